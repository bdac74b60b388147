"""Decisions: per-meeting storage, numbers per network, corrections keep history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from storage.decisions_repo import DecisionsRepo

T0 = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
TEAM = "19:abc@thread.tacv2"


async def test_record_number_find_and_list_newest_first(kit):
    engine = await kit.open()
    repo = DecisionsRepo(engine)
    a = await repo.record(TEAM, "m1", text="Skövde och Tibro presenterar Bästa skola", recorded_by="anna", at=T0, agenda_item=3)
    b = await repo.record(TEAM, "m2", text="Nästa möte digitalt", recorded_by="peter", at=T0 + timedelta(days=30))
    await repo.record("team2", "m1", text="Annat nätverk", recorded_by="x", at=T0)
    assert (a.number, b.number) == (1, 2)
    engine = await kit.reopen(engine)
    repo = DecisionsRepo(engine)
    assert await repo.get(TEAM, 1) == a and await repo.get(TEAM, 2) == b and await repo.get(TEAM, 3) is None
    assert [d.number for d in await repo.all(TEAM)] == [2, 1]
    assert [d.text for d in await repo.for_meeting(TEAM, "m1")] == ["Skövde och Tibro presenterar Bästa skola"]
    assert (await repo.record(TEAM, "m1", text="Tredje", recorded_by="anna", at=T0)).number == 3


async def test_correction_keeps_history(kit):
    repo = DecisionsRepo(await kit.open())
    first = await repo.record(TEAM, "m1", text="Första", recorded_by="anna", at=T0, recorded_by_name="Anna")
    second = await repo.correct(first, text="Andra", by="peter", at=T0 + timedelta(hours=1), by_name="Peter")
    third = await repo.correct(second, text="Tredje", by="anna", at=T0 + timedelta(hours=2))
    assert await repo.get(TEAM, 1) == third
    assert [v.text for v in third.history] == ["Första", "Andra"]
    assert third.created_by == "anna" and third.recorded_by == "anna" and third.history[1].recorded_by == "peter"
    rows = (await repo.export(TEAM))["decisions"]
    assert rows[0]["text"] == "Tredje" and [h["text"] for h in rows[0]["history"]] == ["Första", "Andra"]
    assert set(rows[0]) >= {"id", "meeting_id", "text", "agenda_item", "recorded_by", "recorded_at", "history"}


async def test_duplicate_activity_and_empty_text(kit):
    repo = DecisionsRepo(await kit.open())
    a = await repo.record(TEAM, "m1", text="Ett", recorded_by="anna", at=T0, activity_id="act-9")
    assert await repo.record(TEAM, "m1", text="Ett", recorded_by="anna", at=T0, activity_id="act-9") == a
    with pytest.raises(ValueError):
        await repo.record(TEAM, "m1", text="  ", recorded_by="anna", at=T0)
    assert len(await repo.all(TEAM)) == 1
