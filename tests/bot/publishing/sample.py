"""A network with minutes in every state, for the archive tests: corrected, confirmed, draft, awaiting justering.

Meetings (all Fridays):

- 20251121 (2025): confirmed, then corrected (version 2, reason ``REASON``).
- 20260904 (2026): confirmed; the secretary summarised the check-in, so the answers are not in it.
- 20261009 (2026): confirmed with justering on, not yet co-signed: not published yet.
- 20261120 (2026): only a draft (``DRAFT_NOTE``): never published.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.minutes import sources
from bot.minutes.draft import CHECKIN_SUMMARY, NOTES_PREFIX, apply_edits
from storage.attendance_repo import YES, AttendanceAnswer
from storage.meetings_repo import Meeting
from storage.open import open_store
from storage.store import Store
from storage.teams_repo import Member, Team

TZ = ZoneInfo("Europe/Stockholm")
TEAM = "19:skis-team@thread.tacv2"
SOFIA = "aad-sofia"
ANNA = "aad-anna"

CORRECTED = "20251121"
CONFIRMED = "20260904"
AWAITING = "20261009"
DRAFT = "20261120"

REASON = "Fel datum för nästa möte i punkt 3"
V1_NOTE = "Mötet flyttas till 5 december."
V2_NOTE = "Mötet flyttas till 12 december."
SUMMARY = "Alla berättade om terminsstarten."
SECRET_CHECKIN = "Jag är trött på min chef"
AWAITING_NOTE = "Ännu inte justerad text."
DRAFT_NOTE = "Hemligt utkast som inte får synas."

# Identifiers that must never appear on the public site.
PRIVATE = (TEAM, SOFIA, ANNA, "29:sofia", "29:anna", "tenant-guid", SECRET_CHECKIN, DRAFT_NOTE, AWAITING_NOTE)


def _at(meeting_id: str, hours: float = 0) -> datetime:
    day = datetime.strptime(meeting_id, "%Y%m%d").replace(hour=8, tzinfo=UTC)
    return day + timedelta(hours=hours)


async def _save(store: Store, team: Team, meeting: Meeting, edits: dict[str, str], at: datetime) -> int:
    stored = await store.minutes.draft(TEAM, meeting.id)
    rev = stored.revision if stored else None
    full = {name: {"text": text, "rev": (rev or 0) + 1, "by": SOFIA, "at": at.isoformat()} for name, text in edits.items()}
    content = apply_edits(await sources.build(store, team, meeting, TZ), full)
    return (await store.minutes.save_draft(TEAM, meeting.id, content=content, edits=full, expected_revision=rev, at=at,
                                           by=SOFIA)).revision


async def _meeting(store: Store, meeting_id: str, place: str, topic: str) -> Meeting:
    start = _at(meeting_id)
    meeting = Meeting(meeting_id, TEAM, start, start + timedelta(hours=3), place, (topic,))
    await store.meetings.save(meeting)
    await store.attendance.answer(AttendanceAnswer(TEAM, meeting_id, ANNA, "Anna Gustafsson", YES, start - timedelta(days=1), "Götene"))
    await store.attendance.answer(AttendanceAnswer(TEAM, meeting_id, SOFIA, "Sofia Adolfsson", YES, start - timedelta(days=1), "Lidköping"))
    return meeting


async def fill(store: Store, *, name: str = "SKIS") -> Team:
    """The network and its four meetings (see the module docstring)."""
    team = Team(TEAM, name, "team", "tenant-guid", {"serviceUrl": "https://smba.example/"}, ANNA, datetime(2025, 8, 1, tzinfo=UTC))
    await store.teams.save_team(team)
    await store.teams.save_members(
        TEAM,
        [
            Member(ANNA, "29:anna", "Anna Gustafsson", ANNA, "Götene", frozenset({"medlem", "ordförande", "presidium"})),
            Member(SOFIA, "29:sofia", "Sofia Adolfsson", SOFIA, "Lidköping", frozenset({"medlem", "sekreterare"})),
        ],
    )
    confirm = store.minutes.confirm

    m = await _meeting(store, CORRECTED, "Regionens hus, Skövde", "Nationellt kvalitetssystem")
    await store.decisions.record(TEAM, m.id, text="Nätverket bjuder in Skolverket.", recorded_by=ANNA, at=_at(m.id, 1),
                           recorded_by_name="Anna Gustafsson", agenda_item=3)
    rev = await _save(store, team, m, {NOTES_PREFIX + "t1": V1_NOTE}, _at(m.id, 48))
    await confirm(TEAM, m.id, expected_revision=rev, by=SOFIA, by_name="Sofia Adolfsson", at=_at(m.id, 48))
    await store.minutes.start_correction(TEAM, m.id, at=_at(m.id, 96), by=SOFIA)
    rev = await _save(store, team, m, {NOTES_PREFIX + "t1": V2_NOTE}, _at(m.id, 96))
    await confirm(TEAM, m.id, expected_revision=rev, by=SOFIA, by_name="Sofia Adolfsson", at=_at(m.id, 96), reason=REASON)

    m = await _meeting(store, CONFIRMED, "Teams", "Bästa skola")
    await store.checkins.save_answer(TEAM, m.id, ANNA, question="Vad fyller dina arbetsdagar just nu?", answer=SECRET_CHECKIN,
                               at=_at(m.id, 0.1), member_name="Anna Gustafsson")
    rev = await _save(store, team, m, {CHECKIN_SUMMARY: SUMMARY}, _at(m.id, 30))
    await confirm(TEAM, m.id, expected_revision=rev, by=SOFIA, by_name="Sofia Adolfsson", at=_at(m.id, 30))

    m = await _meeting(store, AWAITING, "Skövde stadshus", "Data")
    rev = await _save(store, team, m, {NOTES_PREFIX + "t1": AWAITING_NOTE}, _at(m.id, 30))
    await confirm(TEAM, m.id, expected_revision=rev, by=SOFIA, by_name="Sofia Adolfsson", at=_at(m.id, 30), cosign_required=True)

    m = await _meeting(store, DRAFT, "Regionens hus, Skövde", "Årsplanering")
    await _save(store, team, m, {NOTES_PREFIX + "t1": DRAFT_NOTE}, _at(m.id, 5))
    return team


async def cosign(store: Store, meeting_id: str = AWAITING) -> None:
    """The chair co-signs: the minutes now apply and are published."""
    await store.minutes.cosign(TEAM, meeting_id, 1, by=ANNA, by_name="Anna Gustafsson", at=_at(meeting_id, 50))


def write(data: Path, change: Callable[[Store], Awaitable[object]]) -> None:
    """``await change(store)`` on the data directory ``data``, then closed: for the command line tests,
    which run ``main`` (and its event loop) themselves, so the data is written before, on a loop of its own."""

    async def run() -> None:
        store = open_store(data)
        try:
            await change(store)
        finally:
            await store.close()

    asyncio.run(run())
