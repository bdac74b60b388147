"""Agenda items: planned topics first, proposals appended, ordered, edited and removed in one write each."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from storage.agenda_repo import PLANNED, PROPOSED, AgendaRepo
from storage.meetings_repo import Meeting

TEAM = "19:abc@thread.tacv2"
T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
MEETING = Meeting(id="20261204", team_key=TEAM, starts_at=T0 + timedelta(days=11), topics=("UP2", "Kvalitetsdialog"), created_by="anna")


async def titles(repo: AgendaRepo) -> list[str]:
    return [i.title for i in await repo.items(MEETING)]


async def test_planned_topics_are_the_first_items_until_changed(kit):
    repo = AgendaRepo(await kit.open())
    items = await repo.items(MEETING)
    assert [(i.id, i.title, i.source) for i in items] == [("t1", "UP2", PLANNED), ("t2", "Kvalitetsdialog", PLANNED)]


async def test_add_move_edit_remove_and_reopen(kit):
    engine = await kit.open()
    repo = AgendaRepo(engine)
    a = await repo.add(MEETING, "  Bästa skola ", by="peter", by_name="Peter Stark", at=T0, activity_id="act-1")
    assert a.title == "Bästa skola" and a.source == PROPOSED and a.id == "p1"
    assert await repo.add(MEETING, "Bästa skola", by="peter", by_name="Peter Stark", at=T0, activity_id="act-1") == a
    await repo.add(MEETING, "Aktuellt från Tidaholm", by="sofia", by_name="Sofia", at=T0)
    assert await titles(repo) == ["UP2", "Kvalitetsdialog", "Bästa skola", "Aktuellt från Tidaholm"]
    await repo.move(MEETING, "p2", 0)
    assert await titles(repo) == ["Aktuellt från Tidaholm", "UP2", "Kvalitetsdialog", "Bästa skola"]
    await repo.move(MEETING, "t1", 99)
    assert await titles(repo) == ["Aktuellt från Tidaholm", "Kvalitetsdialog", "Bästa skola", "UP2"]
    assert (await repo.edit(MEETING, "t2", "Kvalitetsdialog med Skolverket", by="anna", at=T0)).updated_by == "anna"
    assert (await repo.remove(MEETING, "p1")).title == "Bästa skola"
    assert await repo.remove(MEETING, "p1") is None
    assert await repo.edit(MEETING, "nope", "x", by="anna", at=T0) is None
    repo = AgendaRepo(await kit.reopen(engine))
    assert await titles(repo) == ["Aktuellt från Tidaholm", "Kvalitetsdialog med Skolverket", "UP2"]


async def test_removing_a_planned_topic_stores_the_rest(kit):
    repo = AgendaRepo(await kit.open())
    await repo.remove(MEETING, "t1")
    assert await titles(repo) == ["Kvalitetsdialog"]
    assert (await repo.add(MEETING, "Ny", by=None, by_name="", at=T0)).id == "p1"
    assert await titles(repo) == ["Kvalitetsdialog", "Ny"]


async def test_empty_title_is_refused(kit):
    with pytest.raises(ValueError):
        await AgendaRepo(await kit.open()).add(MEETING, "  ", by=None, by_name="", at=T0)


async def test_failed_write_changes_nothing(kit, monkeypatch):
    repo = AgendaRepo(await kit.open())
    await kit.break_commits(monkeypatch, "replace")
    with pytest.raises(Exception):  # noqa: B017 - StorageError, whichever engine
        await repo.add(MEETING, "Bästa skola", by=None, by_name="", at=T0)
    monkeypatch.undo()
    assert await titles(repo) == ["UP2", "Kvalitetsdialog"]
