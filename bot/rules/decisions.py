"""Decisions: which meeting a decision belongs to, "punkt 3: …" against the agenda, storing and wording it.

Command handlers (bot/features/decisions.py) and the dialog (dialogs/record_decision.py) call these;
who may record or correct a decision is decided in bot/roles.py. Plain values in, no Turn.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.cards import escape
from bot.formatting import meeting_date
from bot.messages import t
from bot.roles import SECRETARY
from bot.rules import hints
from bot.rules.agenda import AgendaEntry, build_agenda
from storage.decisions_repo import Decision
from storage.meetings_repo import Meeting
from storage.minutes_repo import CORRECTING
from storage.store import Store
from storage.teams_repo import Member, Team

_AGENDA_PREFIX = re.compile(r"^\s*(?:punkt|p\.?|§)\s*(\d{1,3})\s*[:.,\-–]?\s*", re.IGNORECASE)


async def decision_meeting(store: Store, team_key: str, now: datetime) -> Meeting | None:
    """The meeting a decision belongs to: the ongoing one, else the latest that has started."""
    return await store.meetings.latest_started(team_key, now)


def split_agenda_item(text: str) -> tuple[int | None, str]:
    """ "punkt 3: Skövde presenterar …" -> (3, "Skövde presenterar …")."""
    m = _AGENDA_PREFIX.match(text)
    if not m:
        return None, text.strip()
    return int(m.group(1)), text[m.end() :].strip()


async def agenda_item_problem(store: Store, team: Team, meeting: Meeting, number: int | None, tz: ZoneInfo, locale: str) -> str | None:
    """A question back when ``number`` is not an item on the meeting's agenda; None when it is (or none given)."""
    if number is None:
        return None
    agenda = await build_agenda(store, team, meeting, locale)
    if agenda.entry(number) is not None:
        return None
    when = meeting_date(meeting, tz, locale)
    return t("records.agenda_item_missing", locale, number=number, meeting=when, last=len(agenda.entries))


async def record_decision(
    store: Store,
    team_key: str,
    meeting: Meeting,
    member: Member,
    text: str,
    agenda_item: int | None,
    *,
    now: datetime,
    conversation_id: str | None = None,
    activity_id: str | None = None,
) -> Decision:
    """Store the decision with the next decision number, recorded by ``member``."""
    return await store.decisions.record(
        team_key,
        meeting.id,
        text=text,
        agenda_item=agenda_item,
        recorded_by=member.key,
        recorded_by_name=member.name,
        at=now,
        conversation_id=conversation_id,
        activity_id=activity_id,
    )


def place_decisions(decisions: Sequence[Decision], numbers: set[int]) -> dict[int, int | None]:
    """The agenda item each decision is printed under (decision number -> item number, None for
    "Övriga beslut").

    A decision tied to an item ("beslut punkt 3: …") goes under it. One recorded without an item
    was taken while some item was being handled; what the records tell of that is the item of the
    last decision tied to an item before it at the same meeting ("beslut punkt 3: …", then
    "beslut …" a while later: still punkt 3). A decision with no such decision before it, or one naming
    an item no longer on the agenda, is gathered at the end."""
    def first_recorded(d: Decision) -> tuple[datetime, int]:
        return (d.created_at or d.recorded_at, d.number)

    placed: dict[int, int | None] = {}
    current: int | None = None
    for d in sorted(decisions, key=first_recorded):
        if d.agenda_item is None:
            placed[d.number] = current
        elif d.agenda_item in numbers:
            current = d.agenda_item
            placed[d.number] = d.agenda_item
        else:  # names an item no longer on the agenda: not guessed, gathered at the end
            placed[d.number] = None
    return placed


async def decision_saved_text(meeting: Meeting, decision: Decision, tz: ZoneInfo, locale: str,
                        store: Store | None = None, person_key: str | None = None) -> str:
    """The reply after a decision is stored: its number, meeting, agenda item and wording, and how
    to change it the first few times ``person_key`` sees that (never without a person)."""
    item = t("records.decision_item_suffix", locale, item=decision.agenda_item) if decision.agenda_item else ""
    text = t(
        "records.decision_saved",
        locale,
        number=decision.number,
        meeting=meeting_date(meeting, tz, locale),
        item=item,
        text=escape(decision.text),
    )
    if decision.agenda_item is None and store is not None:
        placed = await _placed_under(store, meeting, decision, locale)
        if placed is not None:
            text += "\n\n" + t("records.decision_placed", locale, number=placed.number, title=escape(placed.title),
                                 decision=decision.number)
    if store is not None and person_key is not None and await hints.take_hint(store, meeting.team_key, person_key, hints.DECISION_HOW_TO_CHANGE):
        text += "\n\n" + t("records.decision_how_to_change", locale, number=decision.number)
    return text


async def confirmed_minutes_note(store: Store, team_key: str, meeting: Meeting, member: Member, tz: ZoneInfo, locale: str) -> str | None:
    """A word after a decision is recorded or corrected for a meeting whose minutes are already
    confirmed: a confirmed version never changes, so it does not contain the decision. The
    secretary is offered a rättelse (a new version with its reason, built from the records as
    they are now); anyone else is told who can make one. None while the minutes are unconfirmed
    (the draft takes the decision by itself)."""
    latest = await store.minutes.latest(team_key, meeting.id)
    if latest is None:
        return None
    when = meeting_date(meeting, tz, locale)
    draft = await store.minutes.draft(team_key, meeting.id)
    if draft is not None and draft.status == CORRECTING:
        return t("records.decision_after_minutes_correcting", locale, meeting=when, version=latest.version)
    if SECRETARY in member.roles:
        return t("records.decision_after_minutes_secretary", locale, meeting=when, version=latest.version,
                 next=latest.version + 1, meeting_id=meeting.id)
    names = sorted(m.name for m in await store.teams.members(team_key) if SECRETARY in m.roles)
    who = ", ".join(escape(n) for n in names) if names else t("records.decision_after_minutes_no_secretary", locale)
    return t("records.decision_after_minutes", locale, meeting=when, version=latest.version, secretaries=who, meeting_id=meeting.id)


async def _placed_under(store: Store, meeting: Meeting, decision: Decision, locale: str) -> AgendaEntry | None:
    """The agenda item a decision recorded without one is printed under in the minutes, if any."""
    team = await store.teams.get_team(meeting.team_key)
    if team is None:
        return None
    agenda = await build_agenda(store, team, meeting, locale)
    number = place_decisions(await store.decisions.for_meeting(meeting.team_key, meeting.id), {e.number for e in agenda.entries}).get(decision.number)
    return agenda.entry(number) if number is not None else None
