"""The storage contract on a real PostgreSQL server, within one instance and across two."""

from __future__ import annotations

import asyncio
import math
from datetime import timedelta

import pytest

from storage.engine import StorageError
from storage.postgres import migrations
from storage.postgres.engine import DatabaseNotEmpty, PostgresEngine

pytestmark = pytest.mark.postgres


async def test_put_get_all_and_json_round_trip(pg_engine: PostgresEngine) -> None:
    async with pg_engine.write("team/a") as tx:
        tx.put("meetings", "m1", {"id": "m1", "tags": ("a", "b"), "n": 1, "text": "Skövde\u0000\n😀"})
        tx.put("meetings", "m2", {"id": "m2"})
    snap = await pg_engine.read("team/a")
    assert snap.get("meetings", "m1") == {"id": "m1", "tags": ["a", "b"], "n": 1, "text": "Skövde\u0000\n😀"}
    assert sorted(d["id"] for d in snap.all("meetings")) == ["m1", "m2"]
    assert snap.get("meetings", "nope") is None and snap.all("other") == []


async def test_what_json_cannot_hold_is_refused_at_put(pg_engine: PostgresEngine) -> None:
    with pytest.raises(ValueError):
        async with pg_engine.write("team/a") as tx:
            tx.put("t", "k", {"x": math.nan})
    assert await pg_engine.partition_stamp("team/a") is None


async def test_an_exception_in_the_block_applies_nothing(pg_engine: PostgresEngine) -> None:
    async with pg_engine.write("team/a") as tx:
        tx.put("t", "k", {"v": 1})
    with pytest.raises(RuntimeError):
        async with pg_engine.write("team/a") as tx:
            tx.put("t", "k", {"v": 2})
            tx.put("t", "k2", {"v": 3})
            raise RuntimeError("boom")
    snap = await pg_engine.read("team/a")
    assert snap.get("t", "k") == {"v": 1} and snap.get("t", "k2") is None


async def test_an_empty_write_creates_nothing(pg_engine: PostgresEngine) -> None:
    async with pg_engine.write("team/empty") as tx:
        assert tx.get("t", "k") is None
    assert await pg_engine.partition_names() == []
    assert await pg_engine.partition_stamp("team/empty") is None


async def test_staged_operations_apply_in_order_and_are_read_back_inside_the_block(pg_engine: PostgresEngine) -> None:
    async with pg_engine.write("p") as tx:
        tx.put("t", "k", {"v": 1})
        tx.delete("t", "k")
        tx.put("t", "k", {"v": 2})
        assert tx.get("t", "k") == {"v": 2}
        tx.delete("t", "gone")
    assert (await pg_engine.read("p")).get("t", "k") == {"v": 2}


async def test_versions_and_stamps_change_with_every_commit(pg_engine: PostgresEngine) -> None:
    async with pg_engine.write("p") as tx:
        tx.put("t", "k", {"v": 1})
    first = await pg_engine.read("p")
    stamp = await pg_engine.partition_stamp("p")
    async with pg_engine.write("p") as tx:
        tx.put("t", "k", {"v": 2})
    second = await pg_engine.read("p")
    assert second.version != first.version and await pg_engine.partition_stamp("p") != stamp
    assert (await pg_engine.read("p")) is second  # unchanged: served from the cache


async def test_partition_names_by_prefix_literal_even_with_like_wildcards(pg_engine: PostgresEngine) -> None:
    for name in ("team/a", "team/a/meeting/20261204", "team/a_b", "team/%", "global"):
        async with pg_engine.write(name) as tx:
            tx.put("t", "k", {})
    assert await pg_engine.partition_names("team/a/") == ["team/a/meeting/20261204"]
    assert await pg_engine.partition_names("team/%") == ["team/%"]
    assert await pg_engine.partition_names() == sorted(["global", "team/%", "team/a", "team/a/meeting/20261204", "team/a_b"])


async def test_transient_reads_leave_the_cache_as_they_found_it(pg_engine: PostgresEngine) -> None:
    async with pg_engine.write("old/meeting") as tx:
        tx.put("t", "k", {"v": 1})
    pg_engine._cache.clear()
    async with pg_engine.transient("old/meeting") as snap:
        assert snap.get("t", "k") == {"v": 1}
    assert "old/meeting" not in pg_engine._cache


# Two instances on one database -----------------------------------------------------------------

async def test_a_write_on_one_instance_is_seen_by_the_next_read_on_the_other(pg_url: str) -> None:
    a, b = await PostgresEngine.open(pg_url), await PostgresEngine.open(pg_url)
    try:
        async with a.write("team/x") as tx:
            tx.put("items", "1", {"title": "first"})
        assert (await b.read("team/x")).get("items", "1") == {"title": "first"}
        async with a.write("team/x") as tx:
            tx.put("items", "1", {"title": "changed"})
        assert (await b.read("team/x")).get("items", "1") == {"title": "changed"}  # not B's cached copy
    finally:
        await a.close()
        await b.close()


async def test_read_modify_write_on_two_instances_never_loses_an_update(pg_url: str) -> None:
    a, b = await PostgresEngine.open(pg_url, max_size=8), await PostgresEngine.open(pg_url, max_size=8)

    async def add_one(engine: PostgresEngine) -> None:
        async with engine.write("team/counter") as tx:
            current = (tx.get("counters", "n") or {"next": 0})["next"]
            await asyncio.sleep(0)  # another task may run here; the row lock keeps it out
            tx.put("counters", "n", {"next": current + 1})

    try:
        await asyncio.gather(*(add_one(a if i % 2 else b) for i in range(60)))
        assert (await a.read("team/counter")).get("counters", "n") == {"next": 60}
    finally:
        await a.close()
        await b.close()


async def test_a_claim_is_won_once_across_instances_until_it_expires(pg_url: str) -> None:
    a, b = await PostgresEngine.open(pg_url), await PostgresEngine.open(pg_url)
    try:
        results = await asyncio.gather(*(e.claim("activity", "act-1", ttl=timedelta(hours=1)) for e in (a, b, a, b)))
        assert sorted(results) == [False, False, False, True]
        assert await a.claim("activity", "act-2", ttl=timedelta(seconds=-1)) is True  # already expired
        assert await b.claim("activity", "act-2", ttl=timedelta(hours=1)) is True
    finally:
        await a.close()
        await b.close()


async def test_one_leader_at_a_time_and_another_takes_over_when_it_goes(pg_url: str) -> None:
    a, b = await PostgresEngine.open(pg_url), await PostgresEngine.open(pg_url)
    try:
        assert await a.lead("reminders") is True
        assert await b.lead("reminders") is False
        assert await a.lead("reminders") is True  # still held
        await a.close()  # the instance stops (or dies): its session ends, the lock with it
        assert await b.lead("reminders") is True
    finally:
        await b.close()


# Migrations ------------------------------------------------------------------------------------

async def test_two_instances_starting_together_on_an_empty_database_migrate_once(pg_url: str) -> None:
    assert (await migrations.status(pg_url)).current == 0
    engines = await asyncio.gather(PostgresEngine.open(pg_url), PostgresEngine.open(pg_url))
    try:
        status = await migrations.status(pg_url)
        latest = max(m.version for m in migrations.migrations())
        assert status.current == latest and status.applied == tuple(m.version for m in migrations.migrations())
        assert status.pending == ()
        assert await migrations.upgrade(pg_url) == []  # already current: nothing to do
    finally:
        for engine in engines:
            await engine.close()


async def test_an_unreachable_database_is_a_storage_error(pg_server) -> None:  # noqa: ANN001
    url = f"postgresql://skis:wrong@127.0.0.1:{pg_server.port}/does_not_exist"
    with pytest.raises(StorageError):
        await PostgresEngine.open(url)


# Loading a whole data directory (skis-bot migrate) -------------------------------------------

SOURCE = {
    "global": {"teams": {"t1": {"key": "t1"}}},
    "team/t1": {"counters": {"decisions": {"next": 8}}, "members": {"a": {"name": "Åsa"}, "b": {"name": "Bo"}}},
    "team/t1/meeting/20261204": {"checkins": {"a": {"answer": "Bra\u0000😀"}}, "empty": {}},
}


async def test_load_into_empty_writes_every_partition_in_one_go(pg_engine: PostgresEngine) -> None:
    seen: list[tuple[str, int]] = []
    count = await pg_engine.load_into_empty(sorted(SOURCE), SOURCE.__getitem__,
                                            on_partition=lambda name, n: seen.append((name, n)))
    assert count == 5 and seen == [("global", 1), ("team/t1", 3), ("team/t1/meeting/20261204", 1)]
    assert await pg_engine.partition_names() == sorted(SOURCE)
    for name, tables in SOURCE.items():
        assert (await pg_engine.read(name)).tables() == {t: d for t, d in tables.items() if d}
    async with pg_engine.write("team/t1") as tx:  # and the partitions are ordinary ones afterwards
        tx.put("counters", "decisions", {"next": tx.get("counters", "decisions")["next"] + 1})
    assert (await pg_engine.read("team/t1")).get("counters", "decisions") == {"next": 9}


async def test_a_load_that_fails_halfway_leaves_the_database_empty(pg_engine: PostgresEngine) -> None:
    def tables_of(name: str) -> dict:
        if name.startswith("team/t1/meeting/"):
            raise OSError("the disk went away")
        return SOURCE[name]

    with pytest.raises(OSError):
        await pg_engine.load_into_empty(sorted(SOURCE), tables_of)
    assert await pg_engine.partition_names() == []
    assert await pg_engine.load_into_empty(sorted(SOURCE), SOURCE.__getitem__) == 5  # and it can be run again


async def test_a_database_holding_partitions_is_refused_also_when_two_loads_race(pg_url: str) -> None:
    a, b = await PostgresEngine.open(pg_url), await PostgresEngine.open(pg_url)
    try:
        results = await asyncio.gather(*(e.load_into_empty(sorted(SOURCE), SOURCE.__getitem__) for e in (a, b)),
                                       return_exceptions=True)
        assert sorted(map(type, results), key=str) == sorted([int, DatabaseNotEmpty], key=str), results
        async with a.write("team/t2") as tx:
            tx.put("t", "k", {})
        with pytest.raises(DatabaseNotEmpty):
            await b.load_into_empty(["other"], lambda _name: {"t": {"k": {}}})
        assert await b.partition_names() == sorted([*SOURCE, "team/t2"])
    finally:
        await a.close()
        await b.close()
