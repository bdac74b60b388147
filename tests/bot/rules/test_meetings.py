"""Meeting drafts: JSON round trip, warnings for unusual days, storing, moving and cancelling."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.dates import DateQuestion, When
from bot.rules import meetings as ops
from storage.engine import MemoryEngine
from storage.meetings_repo import Meeting
from storage.store import Store
from storage.teams_repo import Member

STHLM = ZoneInfo("Europe/Stockholm")
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TEAM = "19:team"
CHAIR = Member("anna", "29:a", "Anna", roles=frozenset({"medlem", "ordförande"}))
MEMBER = Member("peter", "29:p", "Peter")


@dataclass
class Recorder:
    seen: list[tuple[str, str, str]] = field(default_factory=list)

    async def __call__(self, kind: str, team: str, record: str) -> None:
        self.seen.append((kind, team, record))


def _setup() -> tuple[Store, Recorder]:
    return Store(MemoryEngine()), Recorder()


async def _store(store: Store, member: Member, draft: ops.Draft, rec: Recorder) -> tuple[Meeting | None, str]:
    return await ops.store_draft(store, TEAM, member, draft, "sv", now=NOW, tz=STHLM, publish=rec)


def test_draft_round_trip_and_bad_data():
    draft = ops.Draft(ops.CREATE, date(2026, 12, 4), time(9), time(12), "Regionens hus", ("UP2",))
    assert ops.Draft.from_data(draft.to_data()) == draft
    assert ops.Draft.from_data(None) is None
    assert ops.Draft.from_data({**draft.to_data(), "op": "delete"}) is None
    assert ops.Draft.from_data({**draft.to_data(), "end": "08:00"}) is None
    assert ops.Draft.from_data({**draft.to_data(), "day": "4 december"}) is None
    assert draft.starts_at(STHLM) == datetime(2026, 12, 4, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 12, 4), []),
        (date(2026, 12, 3), ["inte en fredag"]),
        (date(2027, 3, 26), ["Långfredagen"]),
        (date(2027, 5, 6), ["inte en fredag", "Kristi himmelsfärd"]),
        (date(2027, 6, 25), ["Midsommarafton"]),
        (date(2026, 12, 24), ["inte en fredag", "Julafton"]),
    ],
)
async def test_warnings(day, expected):
    store = Store(MemoryEngine())
    found = await ops.warnings(store, TEAM, ops.Draft(ops.CREATE, day, time(9)), STHLM)
    assert len(found) == len(expected)
    for text, word in zip(found, expected, strict=True):
        assert word.casefold() in text.casefold()


async def test_store_move_cancel():
    store, rec = _setup()
    draft = ops.Draft(ops.CREATE, date(2026, 12, 4), time(9), time(12), "Regionens hus")
    meeting, reply = await _store(store, CHAIR, draft, rec)
    assert meeting is not None and "fredag 4 december 2026 kl. 09.00–12.00" in reply
    # The same draft again (a second "ja", a second click) stores nothing.
    again, reply = await _store(store, CHAIR, draft, rec)
    assert again is None and "redan klart" in reply
    assert len(await store.meetings.all(TEAM)) == 1
    # Same day: warned.
    assert any("samma dag" in w for w in await ops.warnings(store, TEAM, ops.Draft(ops.CREATE, date(2026, 12, 4), time(13)), STHLM))
    move = ops.move_draft(meeting, When(date(2026, 12, 11)), None, STHLM)
    assert (move.start, move.end, move.location) == (time(9), time(12), "Regionens hus")
    assert await ops.warnings(store, TEAM, move, STHLM) == []
    moved, reply = await _store(store, CHAIR, move, rec)
    assert moved is not None and moved.id == meeting.id and moved.extra["sequence"] == 1 and "förut fredag 4 december" in reply
    cancelled = await ops.cancel_meeting(store, moved, CHAIR, now=NOW, publish=rec)
    assert cancelled.cancelled and cancelled.extra["sequence"] == 2
    assert rec.seen == [("meeting", TEAM, meeting.id)] * 3
    # A cancelled meeting cannot be moved.
    _none, reply = await _store(store, CHAIR, ops.move_draft(cancelled, When(date(2026, 12, 18)), None, STHLM), rec)
    assert "inställt" in reply


async def test_store_refuses_members_and_the_past():
    store, rec = _setup()
    _m, reply = await _store(store, MEMBER, ops.Draft(ops.CREATE, date(2026, 12, 4), time(9)), rec)
    assert "presidiet" in reply
    # Older than a year: refused (a held meeting within the year is recorded after "Spara ändå?").
    _m, reply = await _store(store, CHAIR, ops.Draft(ops.CREATE, date(2025, 11, 20), time(9)), rec)
    assert "redan varit" in reply
    assert await store.meetings.all(TEAM) == []
    assert rec.seen == []


def test_move_draft_keeps_length_for_a_new_start():
    meeting = Meeting("m", TEAM, datetime(2026, 12, 4, 8, 0, tzinfo=UTC), datetime(2026, 12, 4, 11, 0, tzinfo=UTC))
    draft = ops.move_draft(meeting, When(date(2026, 12, 4), time(13)), "Teams", STHLM)
    assert (draft.start, draft.end, draft.location) == (time(13), time(16), "Teams")


async def test_find_meetings():
    store = Store(MemoryEngine())
    m = Meeting("20261204", TEAM, datetime(2026, 12, 4, 8, 0, tzinfo=UTC))
    await store.meetings.save(m)
    assert await ops.find_meetings(store, TEAM, "20261204", now=NOW, tz=STHLM) == [m]
    assert await ops.find_meetings(store, TEAM, "4 december", now=NOW, tz=STHLM) == [m]
    assert await ops.find_meetings(store, TEAM, "nästa", now=NOW, tz=STHLM) == [m]
    assert await ops.find_meetings(store, TEAM, "11 december", now=NOW, tz=STHLM) == []
    assert isinstance(await ops.find_meetings(store, TEAM, "31 juni", now=NOW, tz=STHLM), DateQuestion)


@pytest.mark.parametrize(
    ("typed", "place"),
    [("i Regionens hus", "Regionens hus"), ("(digitalt)", "digitalt"), (", Skövde stadshus.", "Skövde stadshus."), ("", None), ("på Teams", "Teams")],
)
def test_clean_location(typed, place):
    assert ops.clean_location(typed) == place


def test_the_rules_know_neither_the_bot_framework_nor_the_service_container():
    # A fresh interpreter: what importing the rules pulls in, not what other tests loaded.
    code = (
        "import sys, bot.rules.meetings; "
        "print(sorted(m for m in sys.modules if m.startswith('botbuilder') or m == 'bot.services'))"
    )
    root = Path(__file__).resolve().parents[3]
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root)
    assert result.stdout.strip() == "[]"
