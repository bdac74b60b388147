"""Members written by two instances at the same moment: the global index of who is in which network
(which the 1:1 chat works on) agrees with the register as committed, whatever order the two writes
of each call interleave in. Within one process the partition locks keep the writes in order; two
instances on one PostgreSQL database do not."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from storage.postgres.engine import PostgresEngine
from storage.teams_repo import Member, TeamsRepo
from tests.pg_server import PostgresServer

TEAM = "19:skis-team@thread.tacv2"
PETER = Member(key="aad-peter", teams_id="29:aad-peter", name="Peter Stark", aad_object_id="aad-peter",
               joined_at=datetime(2026, 11, 23, 9, 0, tzinfo=UTC))


@pytest.mark.postgres
async def test_an_index_write_delayed_past_an_opposite_change_follows_the_register(pg_server: PostgresServer) -> None:
    # Two instances share the database. Instance X marks Peter as gone; before X writes the index
    # (its connections are busy), instance Y marks him back and writes its index. X's index write
    # must not remove him again: it follows the register as committed, not what X wrote.
    url = pg_server.create_database()
    x = await PostgresEngine.open(url, min_size=2, max_size=2)
    y = await PostgresEngine.open(url)
    release = asyncio.Event()

    async def hold(name: str, holding: asyncio.Event) -> None:
        async with x.write(name) as tx:  # keeps one of X's two connections until released
            tx.put("held", "k", {"key": "k"})
            holding.set()
            await release.wait()

    try:
        await TeamsRepo(y).save_member(TEAM, PETER)
        first, second = asyncio.Event(), asyncio.Event()
        holders = [asyncio.create_task(hold("hold/1", first))]
        await first.wait()
        gone = asyncio.create_task(TeamsRepo(x).save_member(TEAM, replace(PETER, active=False)))
        for _ in range(5000):  # until X's last connection is taken by the change
            if not x._pool.get_stats().get("pool_available", 0):
                break
            await asyncio.sleep(0.001)
        holders.append(asyncio.create_task(hold("hold/2", second)))
        await second.wait()  # the change has committed the register and waits for a connection
        await TeamsRepo(y).save_member(TEAM, PETER)  # back, on the other instance, index and all
        release.set()
        await asyncio.gather(gone, *holders)
        repo = TeamsRepo(y)
        stored = await repo.get_member(TEAM, PETER.key)
        assert stored is not None and stored.active
        assert TEAM in await repo.teams_of_person(PETER.key)
    finally:
        release.set()
        await x.close()
        await y.close()
