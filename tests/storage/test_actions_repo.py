"""Action items: numbers per network that are never reused, owners, status and history."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from storage.actions_repo import ALL, DONE, EXTERNAL, MEMBER, MUNICIPALITY, OPEN, ActionsRepo, Owner

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TEAM = "19:abc@thread.tacv2"
ANNA = Owner(MEMBER, "Anna Gustafsson", "anna")


async def test_numbers_count_up_per_team_and_survive_reopen(kit):
    engine = await kit.open()
    repo = ActionsRepo(engine)
    one = await repo.create(TEAM, title="Mejla inbjudan", owners=[ANNA], created_by="anna", created_at=T0, meeting_id="m1")
    two = await repo.create(TEAM, title="Boka lokal", owners=[Owner(ALL, "alla")], created_by="anna", created_at=T0)
    other = await repo.create("team2", title="x", owners=[ANNA], created_by="anna", created_at=T0)
    assert (one.number, two.number, other.number) == (1, 2, 1)
    engine = await kit.reopen(engine)
    repo = ActionsRepo(engine)
    three = await repo.create(TEAM, title="Tre", owners=[ANNA], created_by="anna", created_at=T0)
    assert three.number == 3
    assert await repo.by_number(TEAM, 1) == one
    assert await repo.get(TEAM, two.id) == two
    assert await repo.by_number(TEAM, 9) is None


async def test_same_activity_creates_one_item(kit):
    repo = ActionsRepo(await kit.open())
    a = await repo.create(TEAM, title="A", owners=[ANNA], created_by="anna", created_at=T0, activity_id="act-1")
    b = await repo.create(TEAM, title="A", owners=[ANNA], created_by="anna", created_at=T0, activity_id="act-1")
    assert a == b and len(await repo.all(TEAM)) == 1


async def test_half_records_refused(kit):
    repo = ActionsRepo(await kit.open())
    with pytest.raises(ValueError):
        await repo.create(TEAM, title=" ", owners=[ANNA], created_by="anna", created_at=T0)
    with pytest.raises(ValueError):
        await repo.create(TEAM, title="x", owners=[], created_by="anna", created_at=T0)
    assert await repo.all(TEAM) == []


async def test_ownership_done_reopen_update(kit):
    repo = ActionsRepo(await kit.open())
    mine = await repo.create(TEAM, title="Mitt", owners=[ANNA, Owner(EXTERNAL, "Karin Berg")], created_by="peter", created_at=T0, due=date(2026, 12, 4))
    skovde = await repo.create(TEAM, title="Kommunens", owners=[Owner(MUNICIPALITY, "Skövde", "Skövde")], created_by="peter", created_at=T0)
    everyone = await repo.create(TEAM, title="Allas", owners=[Owner(ALL, "alla")], created_by="peter", created_at=T0)
    assert mine.is_owned_by("anna") and not mine.is_owned_by("peter")
    assert skovde.is_owned_by("peter", "skövde") and not skovde.is_owned_by("anna", "Götene")
    assert everyone.is_owned_by("whoever")
    assert [i.number for i in await repo.open_items_of(TEAM, "peter", "Skövde")] == [2, 3]
    # One person may represent two municipalities that work together.
    assert skovde.is_owned_by("maria", "Mariestad, Skövde") and not skovde.is_owned_by("maria", "Mariestad, Gullspång")
    assert [i.number for i in await repo.open_items_of(TEAM, "maria", "Tibro, Skövde")] == [2, 3]
    assert mine.is_overdue(date(2026, 12, 5)) and not mine.is_overdue(date(2026, 12, 4))

    done = await repo.set_status(mine, DONE, by="anna", at=T0 + timedelta(days=1))
    assert done.status == DONE and done.done_by == "anna" and not done.is_overdue(date(2027, 1, 1))
    assert [i.number for i in await repo.open_items(TEAM)] == [2, 3]
    again = await repo.set_status(done, OPEN, by="anna", at=T0 + timedelta(days=2))
    assert again.status == OPEN and again.done_at is None

    edited = await repo.update(again, by="peter", at=T0 + timedelta(days=3), title="Nytt", due=None, owners=(Owner(ALL, "alla"),))
    assert edited.title == "Nytt" and edited.due is None
    assert edited.history[-1]["before"] == {"title": "Mitt", "due": "2026-12-04", "owners": [ANNA.to_doc(), Owner(EXTERNAL, "Karin Berg").to_doc()]}
    assert await repo.by_number(TEAM, 1) == edited


async def test_export_fields(kit):
    repo = ActionsRepo(await kit.open())
    item = await repo.create(TEAM, title="Mejla", owners=[ANNA], created_by="anna", created_at=T0, meeting_id="m1", due=date(2026, 12, 4))
    rows = (await repo.export(TEAM))["action_items"]
    assert rows == [
        {
            "id": item.id, "number": 1, "meeting_id": "m1", "title": "Mejla", "owners": [ANNA.to_doc()],
            "due": "2026-12-04", "status": "open", "created_by": "anna", "created_at": "2026-11-23T09:00:00+00:00", "done_at": None,
        }
    ]  # fmt: skip
