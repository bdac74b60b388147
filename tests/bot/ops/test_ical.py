"""The iCalendar export: Stockholm times with a VTIMEZONE, stable UIDs, cancelled meetings marked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar

from bot.ops.ical import TeamCalendar, calendar_ics, uid
from storage.meetings_repo import CANCELLED, Meeting

STHLM = ZoneInfo("Europe/Stockholm")
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TEAM = "19:skis@thread.tacv2"


def _meetings() -> tuple[Meeting, ...]:
    winter = Meeting("20261204", TEAM, datetime(2026, 12, 4, 8, 0, tzinfo=UTC), datetime(2026, 12, 4, 11, 0, tzinfo=UTC), "Regionens hus, Skövde", ("UP2",))
    summer = Meeting(
        "20270604",
        TEAM,
        datetime(2027, 6, 4, 11, 0, tzinfo=UTC),
        None,
        "https://teams.microsoft.com/l/meetup-join/x",
        status=CANCELLED,
        extra={"sequence": 2},
    )
    return winter, summer


def _parse(data: bytes) -> Calendar:
    return Calendar.from_ical(data)


def test_events_in_stockholm_time_with_timezone():
    data = calendar_ics([TeamCalendar(TEAM, "SKIS", _meetings(), {"20261204": ("UP2", "Bästa skola")})], tz=STHLM, now=NOW, name="SKIS")
    assert b"BEGIN:VTIMEZONE" in data and b"TZID:Europe/Stockholm" in data
    assert b"DTSTART;TZID=Europe/Stockholm:20261204T090000" in data
    assert b"DTSTART;TZID=Europe/Stockholm:20270604T130000" in data  # summer time: UTC+2
    cal = _parse(data)
    events = list(cal.walk("VEVENT"))
    assert len(events) == 2
    first, second = events
    assert first.decoded("dtstart") == datetime(2026, 12, 4, 9, 0, tzinfo=STHLM)
    assert first.decoded("dtend") - first.decoded("dtstart") == timedelta(hours=3)
    assert str(first["status"]) == "CONFIRMED" and str(first["location"]) == "Regionens hus, Skövde"
    assert "Bästa skola" in str(first["description"])
    assert str(first["uid"]) == uid(_meetings()[0])
    assert str(second["status"]) == "CANCELLED" and "INSTÄLLT" in str(second["summary"])
    assert int(second["sequence"]) == 2
    assert str(second["url"]).startswith("https://teams.microsoft.com")


def test_uid_is_stable_and_team_specific():
    m = _meetings()[0]
    assert uid(m) == uid(m)
    other = Meeting(m.id, "19:other", m.starts_at)
    assert uid(other) != uid(m)


def test_other_zones_get_a_generated_timezone():
    tz = ZoneInfo("America/New_York")
    data = calendar_ics([TeamCalendar(TEAM, "SKIS", _meetings()[:1])], tz=tz, now=NOW, name="SKIS")
    assert b"TZID:America/New_York" in data and b"DTSTART;TZID=America/New_York:20261204T030000" in data


def test_empty_calendar_is_valid():
    cal = _parse(calendar_ics([], tz=STHLM, now=NOW, name="SKIS"))
    assert list(cal.walk("VEVENT")) == []
