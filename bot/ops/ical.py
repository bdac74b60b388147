"""The meeting calendar as iCalendar (RFC 5545), for Outlook and other calendars.

Times are written in the network's zone with a VTIMEZONE (Europe/Stockholm gets a compact one
with the EU summer-time rule, so it stays right after 2038; other zones get the icalendar
package's own). Every meeting keeps the same UID across exports and its SEQUENCE grows when it is
moved or cancelled, so importing a newer file updates the events instead of duplicating them;
cancelled meetings are STATUS:CANCELLED (and say so in the title, which Outlook shows).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

from bot import __version__
from bot.messages import t
from storage.meetings_repo import Meeting
from storage.store import Store

PRODID = f"-//Skaraborgs kommunalförbund//skis-bot {__version__}//SV"


@dataclass(frozen=True)
class TeamCalendar:
    """One network's meetings and, per meeting id, the planned topics shown in the description."""

    team_key: str
    team_name: str
    meetings: tuple[Meeting, ...]
    topics: dict[str, tuple[str, ...]] = field(default_factory=dict)


def uid(meeting: Meeting) -> str:
    """A stable, globally unique id for a meeting (the same in every export)."""
    team = hashlib.sha256(meeting.team_key.encode("utf-8")).hexdigest()[:12]
    return f"{meeting.id}-{team}@skis-bot"


def calendar_ics(calendars: Sequence[TeamCalendar], *, tz: ZoneInfo, now: datetime, name: str, locale: str = "sv") -> bytes:
    """The meetings of ``calendars`` as one iCalendar file (UTF-8 bytes)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", tz.key)
    if tz.key == "Europe/Stockholm":
        cal.add_component(_stockholm())
    for team in calendars:
        for meeting in team.meetings:
            cal.add_component(_event(meeting, team, tz, now, locale))
    if tz.key != "Europe/Stockholm":
        cal.add_missing_timezones()
    return cal.to_ical()


def _event(meeting: Meeting, team: TeamCalendar, tz: ZoneInfo, now: datetime, locale: str) -> Event:
    event = Event()
    event.add("uid", uid(meeting))
    event.add("dtstamp", now.astimezone(ZoneInfo("UTC")))
    event.add("dtstart", meeting.starts_at.astimezone(tz))
    event.add("dtend", meeting.effective_end.astimezone(tz))
    summary = t("meetings.ical_summary", locale, name=team.team_name)
    if meeting.cancelled:
        summary = t("meetings.ical_cancelled", locale, summary=summary)
    event.add("summary", summary)
    event.add("status", "CANCELLED" if meeting.cancelled else "CONFIRMED")
    event.add("sequence", int(meeting.extra.get("sequence") or 0))
    event.add("transp", "TRANSPARENT" if meeting.cancelled else "OPAQUE")
    if meeting.location:
        event.add("location", meeting.location)
        if meeting.location.startswith(("https://", "http://")):
            event.add("url", meeting.location)
    topics = team.topics.get(meeting.id, meeting.topics)
    if topics:
        lines = [t("meetings.ical_topics", locale), *(f"- {x}" for x in topics)]
        event.add("description", "\n".join(lines))
    if meeting.created_at:
        event.add("created", meeting.created_at.astimezone(ZoneInfo("UTC")))
    if meeting.updated_at:
        event.add("last-modified", meeting.updated_at.astimezone(ZoneInfo("UTC")))
    return event


def _stockholm() -> Timezone:
    """Europe/Stockholm with the EU rule (CEST from the last Sunday of March, CET from the last of October)."""
    zone = Timezone()
    zone.add("tzid", "Europe/Stockholm")
    daylight = TimezoneDaylight()
    daylight.add("tzname", "CEST")
    daylight.add("dtstart", datetime(1981, 3, 29, 2, 0))  # noqa: DTZ001 - local wall time, as RFC 5545 wants
    daylight.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1su"})
    daylight.add("tzoffsetfrom", _offset(1))
    daylight.add("tzoffsetto", _offset(2))
    standard = TimezoneStandard()
    standard.add("tzname", "CET")
    standard.add("dtstart", datetime(1996, 10, 27, 3, 0))  # noqa: DTZ001 - local wall time, as RFC 5545 wants
    standard.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1su"})
    standard.add("tzoffsetfrom", _offset(2))
    standard.add("tzoffsetto", _offset(1))
    zone.add_component(daylight)
    zone.add_component(standard)
    return zone


def _offset(hours: int) -> timedelta:
    return timedelta(hours=hours)


async def team_calendar(store: Store, team_key: str, team_name: str) -> TeamCalendar:
    """A network's meetings (cancelled ones too) with their current agenda items as topics."""
    meetings = tuple(await store.meetings.all(team_key, include_cancelled=True))
    topics = {m.id: tuple(i.title for i in await store.agenda.items(m)) for m in meetings}
    return TeamCalendar(team_key, team_name, meetings, topics)
