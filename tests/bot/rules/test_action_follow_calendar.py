""""Till nästa möte" due dates recalculated while the item or the calendar changes (the recalculation
on one instance, a person's edit or a second recalculation on another): decided on the calendar and
the items as stored, in one write of the team partition."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.rules.action_items import SYSTEM_AUTHOR, follow_next_meeting
from storage.actions_repo import MEMBER, ActionItem, Owner
from storage.meetings_repo import CANCELLED, Meeting
from storage.store import Store
from storage.tinydb_engine import TinyDBEngine

TEAM = "19:a@thread.tacv2"
TZ = ZoneInfo("Europe/Stockholm")
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
DEC_11 = datetime(2026, 12, 11, 8, 0, tzinfo=UTC)
DEC_4 = datetime(2026, 12, 4, 8, 0, tzinfo=UTC)


async def _seed(store: Store) -> ActionItem:
    await store.meetings.save(Meeting(id="20261211", team_key=TEAM, starts_at=DEC_11, ends_at=DEC_11 + timedelta(hours=3)))
    item = await store.actions.create(TEAM, title="Boka lokal", owners=(Owner(MEMBER, "Peter", "peter"),), created_by="anna",
                                      created_at=NOW, due=date(2026, 12, 11), due_next_meeting=True)
    # A meeting planned earlier: "till nästa möte" is now 4 December.
    await store.meetings.save(Meeting(id="20261204", team_key=TEAM, starts_at=DEC_4, ends_at=DEC_4 + timedelta(hours=3)))
    return item


async def test_two_recalculations_at_once_change_and_record_the_date_once(tmp_path: Path) -> None:
    engine = TinyDBEngine(tmp_path / "data")  # its commits run in a thread: the calls interleave
    try:
        store = Store(engine)
        item = await _seed(store)
        first, second = await asyncio.gather(*(follow_next_meeting(store, TEAM, TZ, NOW) for _ in range(2)))
        assert sorted([len(first), len(second)]) == [0, 1]  # one of them changed it, and says so
        stored = await store.actions.get(TEAM, item.id)
        assert stored is not None and stored.due == date(2026, 12, 4)
        assert [e["by"] for e in stored.history] == [SYSTEM_AUTHOR]
    finally:
        await engine.close()


async def test_a_due_date_a_person_sets_meanwhile_is_not_overwritten(tmp_path: Path) -> None:
    engine = TinyDBEngine(tmp_path / "data")
    try:
        store = Store(engine)
        item = await _seed(store)
        own = date(2026, 12, 20)
        await asyncio.gather(
            store.actions.update(item, by="peter", at=NOW, due=own, due_next_meeting=False),
            follow_next_meeting(store, TEAM, TZ, NOW),
        )
        stored = await store.actions.get(TEAM, item.id)
        assert stored is not None and stored.due == own and not stored.due_next_meeting
    finally:
        await engine.close()


async def test_only_open_till_nasta_mote_items_move_and_a_cancelled_meeting_is_skipped(tmp_path: Path) -> None:
    engine = TinyDBEngine(tmp_path / "data")
    try:
        store = Store(engine)
        item = await _seed(store)
        fixed = await store.actions.create(TEAM, title="Skicka enkäten", owners=(Owner(MEMBER, "Peter", "peter"),),
                                           created_by="anna", created_at=NOW, due=date(2026, 12, 24))
        changed = await follow_next_meeting(store, TEAM, TZ, NOW)
        assert [i.id for i in changed] == [item.id]
        meeting = await store.meetings.get(TEAM, "20261204")
        assert meeting is not None
        await store.meetings.change(TEAM, meeting.id, lambda m: replace(m, status=CANCELLED))
        (moved,) = await follow_next_meeting(store, TEAM, TZ, NOW)
        assert moved.due == date(2026, 12, 11)
        assert await follow_next_meeting(store, TEAM, TZ, NOW) == []  # nothing changes: nothing written
        assert (await store.actions.get(TEAM, fixed.id)).due == date(2026, 12, 24)  # type: ignore[union-attr]
    finally:
        await engine.close()
