"""open_items filters stored documents before parsing them; the answer is the same as filtering parsed items."""

from __future__ import annotations

from datetime import UTC, datetime

from storage.actions_repo import DONE, MEMBER, OPEN, ActionsRepo, Owner
from storage.engine import MemoryEngine
from storage.tinydb_engine import TinyDBEngine

AT = datetime(2026, 11, 23, 9, tzinfo=UTC)


async def test_open_items_are_the_open_ones_by_number() -> None:
    repo = ActionsRepo(MemoryEngine())
    owner = (Owner(MEMBER, "Anna", "aad-anna"),)
    items = [await repo.create("t", title=f"Uppgift {n}", owners=owner, created_by="aad-anna", created_at=AT) for n in range(12)]
    for item in items[::3]:
        await repo.set_status(item, DONE, by="aad-anna", at=AT)
    await repo.set_status(await repo.get("t", items[3].id), OPEN, by="aad-anna", at=AT)  # reopened
    expected = [i for i in await repo.all("t") if i.is_open]
    assert await repo.open_items("t") == expected
    assert [i.number for i in expected] == [2, 3, 4, 5, 6, 8, 9, 11, 12]
    assert await repo.open_items("no-such-team") == []


async def test_open_items_follow_every_write_also_one_made_through_another_repository(tmp_path) -> None:
    """The parsed open items are kept per partition version: any commit to the network's
    partition, by this repository or another on the same engine, is seen at the next call."""
    engine = TinyDBEngine(tmp_path)
    try:
        first, second = ActionsRepo(engine), ActionsRepo(engine)
        owner = (Owner(MEMBER, "Anna", "aad-anna"),)
        item = await first.create("t", title="Boka lokal", owners=owner, created_by="aad-anna", created_at=AT)
        assert [i.number for i in await first.open_items("t")] == [1]
        shown = await first.open_items("t")
        shown.clear()  # a caller's list is its own: the kept items are untouched
        assert [i.number for i in await first.open_items("t")] == [1]
        await second.set_status(item, DONE, by="aad-anna", at=AT)
        assert await first.open_items("t") == []
        await second.create("t", title="Skicka enkäten", owners=owner, created_by="aad-anna", created_at=AT)
        assert [i.title for i in await first.open_items("t")] == ["Skicka enkäten"]
    finally:
        await engine.close()
