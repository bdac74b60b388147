"""The turn view on a real PostgreSQL server: one look at each partition per turn, never a stale
one across turns, and the committed state inside write blocks (storage/postgres/engine.py)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from storage.engine import Doc, StorageError
from storage.postgres.engine import PostgresEngine

pytestmark = pytest.mark.postgres


@pytest.fixture
async def two(pg_url: str) -> AsyncIterator[tuple[PostgresEngine, PostgresEngine]]:
    """Two instances on one database: A runs the turn, B writes meanwhile."""
    a, b = await PostgresEngine.open(pg_url), await PostgresEngine.open(pg_url)
    try:
        yield a, b
    finally:
        await a.close()
        await b.close()


async def put(engine: PostgresEngine, name: str, doc: Doc) -> None:
    async with engine.write(name) as tx:
        tx.put("t", "k", doc)


class Counting(PostgresEngine):
    """Counts the pool's checkouts: each read, prefetch or write is one checkout and a round trip."""

    sent = 0

    @classmethod
    async def open_counting(cls, url: str) -> Counting:
        engine = await cls.open(url)
        assert isinstance(engine, Counting)
        real = engine._pool.connection

        def counted(*args: object, **kwargs: object):  # noqa: ANN202 - the pool's own context manager
            engine.sent += 1
            return real(*args, **kwargs)  # type: ignore[arg-type]

        engine._pool.connection = counted  # type: ignore[method-assign]
        return engine


async def test_inside_a_turn_a_partition_is_looked_up_once_and_the_next_turn_sees_the_change(
        two: tuple[PostgresEngine, PostgresEngine]) -> None:
    a, b = two
    await put(b, "team/x", {"v": 1})
    with a.turn_view():
        assert (await a.read("team/x")).get("t", "k") == {"v": 1}
        await put(b, "team/x", {"v": 2})  # another instance, during A's turn
        assert (await a.read("team/x")).get("t", "k") == {"v": 1}  # one state of it in one turn
    with a.turn_view():
        assert (await a.read("team/x")).get("t", "k") == {"v": 2}  # the next turn reads afresh
    assert (await a.read("team/x")).get("t", "k") == {"v": 2}  # and so does a read outside any turn


async def test_a_write_block_decides_on_the_committed_state_and_the_turn_then_sees_it(
        two: tuple[PostgresEngine, PostgresEngine]) -> None:
    a, b = two
    await put(b, "team/x", {"v": 1})
    await put(b, "team/x/meeting/m", {"n": 1})
    with a.turn_view():
        await a.read("team/x")
        await a.read("team/x/meeting/m")
        await put(b, "team/x", {"v": 2})
        await put(b, "team/x/meeting/m", {"n": 2})
        async with a.write("team/x") as tx:
            assert tx.get("t", "k") == {"v": 2}  # the lock reads what is committed
            # A read inside a write block goes to the database too (a decision checks the meeting
            # while it holds the network's lock).
            assert (await a.read("team/x/meeting/m")).get("t", "k") == {"n": 2}
            tx.put("t", "k", {"v": 3})
        assert (await a.read("team/x")).get("t", "k") == {"v": 3}  # its own write
        assert (await a.read("team/x/meeting/m")).get("t", "k") == {"n": 2}


async def test_a_block_that_changes_nothing_still_shows_the_turn_the_newer_state(
        two: tuple[PostgresEngine, PostgresEngine]) -> None:
    """A turn that retries after finding a newer version (a minutes draft saved meanwhile) must not
    read the old one again."""
    a, b = two
    await put(b, "team/x", {"v": 1})
    with a.turn_view():
        await a.read("team/x")
        await put(b, "team/x", {"v": 2})
        with pytest.raises(LookupError):
            async with a.write("team/x") as tx:
                raise LookupError(tx.get("t", "k"))  # the block gives up: nothing staged
        assert (await a.read("team/x")).get("t", "k") == {"v": 2}


async def test_a_failed_write_is_read_again(two: tuple[PostgresEngine, PostgresEngine]) -> None:
    a, b = two
    await put(b, "team/x", {"v": 1})
    with a.turn_view():
        await a.read("team/x")
        async with b._pool.connection() as conn:  # the server refuses A's next commit
            await conn.execute(
                "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'no'; END $$; "
                "CREATE TRIGGER refuse BEFORE INSERT OR UPDATE ON documents FOR EACH ROW EXECUTE FUNCTION refuse()")
        with pytest.raises(Exception, match="could not write"):
            await put(a, "team/x", {"v": 9})
        async with b._pool.connection() as conn:
            await conn.execute("DROP TRIGGER refuse ON documents")
        await put(b, "team/x", {"v": 2})
        assert (await a.read("team/x")).get("t", "k") == {"v": 2}


async def test_prefetch_reads_several_partitions_in_one_round_trip(pg_url: str) -> None:
    b = await PostgresEngine.open(pg_url)
    a = await Counting.open_counting(pg_url)
    try:
        await put(b, "global", {"teams": 1})
        await put(b, "team/x", {"members": 20})
        await a.read("global")  # cached at its version: the prefetch needs no load for it
        names = ["global", "team/x", "botstate/never-written"]
        with a.turn_view():
            before = a.sent
            await a.prefetch(names)
            assert a.sent - before == 1
            got = [await a.read(n) for n in names]
            assert a.sent - before == 1  # served from the turn's view
        assert [s.get("t", "k") for s in got] == [{"teams": 1}, {"members": 20}, None]
        assert [s.version for s in got] == [(await b.read(n)).version for n in names]
        assert got[2].version == 0
    finally:
        await a.close()
        await b.close()


async def test_outside_a_turn_view_prefetch_does_nothing_and_every_read_asks(pg_url: str) -> None:
    a = await Counting.open_counting(pg_url)
    try:
        await put(a, "team/x", {"v": 1})
        before = a.sent
        await a.prefetch(["team/x"])
        await a.read("team/x")
        await a.read("team/x")
        assert a.sent - before == 2
    finally:
        await a.close()


async def test_concurrent_turns_each_have_their_own_view(two: tuple[PostgresEngine, PostgresEngine]) -> None:
    a, b = two
    await put(b, "team/x", {"v": 1})
    first_read = asyncio.Event()
    changed = asyncio.Event()

    async def early_turn() -> list[Doc | None]:
        with a.turn_view():
            seen = [(await a.read("team/x")).get("t", "k")]
            first_read.set()
            await changed.wait()
            seen.append((await a.read("team/x")).get("t", "k"))
            return seen

    async def late_turn() -> Doc | None:
        await first_read.wait()
        await put(b, "team/x", {"v": 2})
        with a.turn_view():
            found = (await a.read("team/x")).get("t", "k")
        changed.set()
        return found

    early, late = await asyncio.gather(early_turn(), late_turn())
    assert early == [{"v": 1}, {"v": 1}]
    assert late == {"v": 2}


async def test_a_task_the_turn_started_reads_afresh_once_the_turn_is_over(
        two: tuple[PostgresEngine, PostgresEngine]) -> None:
    a, b = two
    await put(b, "team/x", {"v": 1})
    go = asyncio.Event()

    async def later() -> Doc | None:
        await go.wait()
        return (await a.read("team/x")).get("t", "k")

    with a.turn_view():
        await a.read("team/x")
        task = asyncio.create_task(later())
    await put(b, "team/x", {"v": 2})
    go.set()
    assert await task == {"v": 2}


async def test_a_write_keeps_escaped_names_and_the_last_change_of_each_key(pg_url: str) -> None:
    """One statement applies a write's changes (bound in the client): quotes, backslashes, NUL and %."""
    a = await PostgresEngine.open(pg_url)
    try:
        name, table, key = "team/%00\x00%", "t%25\x00", "k\x00%"
        async with a.write(name) as tx:
            tx.put(table, key, {"x": "\x00'\\"})
            tx.delete(table, "gone")
            tx.put(table, "gone", {"back": True})  # delete, then put: present
            tx.put(table, "other", {"y": 1})
            tx.delete(table, "other")  # put, then delete: absent
        fresh = await PostgresEngine.open(pg_url)
        try:
            snap = await fresh.read(name)
            assert snap.tables() == {table: {key: {"x": "\x00'\\"}, "gone": {"back": True}}}
        finally:
            await fresh.close()
    finally:
        await a.close()


async def test_a_claim_made_with_the_first_reads_is_won_once_across_instances(pg_url: str) -> None:
    from datetime import timedelta

    b = await PostgresEngine.open(pg_url)
    a = await Counting.open_counting(pg_url)
    ttl = timedelta(minutes=2)
    try:
        await put(b, "global", {"teams": 1})

        async def turn(engine: PostgresEngine) -> bool:
            with engine.turn_view():
                await engine.prefetch(["global"], claim=("activity", "c|1", ttl))
                return await engine.claim("activity", "c|1", ttl=ttl)

        before = a.sent
        results = await asyncio.gather(turn(a), turn(b), turn(a), turn(b))
        assert sorted(results) == [False, False, False, True]
        with a.turn_view():
            await a.prefetch(["global"], claim=("activity", "c|2", ttl))
            assert await a.claim("activity", "c|2", ttl=ttl) is True  # answered from the prefetch ...
            assert await a.claim("activity", "c|2", ttl=ttl) is False  # ... once: then the database says
        assert a.sent - before == 2 + 1 + 1  # two turns of A and the last one: a round trip each, +1 claim
        with a.turn_view():  # a claim given back can be made again with the next delivery's reads
            await a.unclaim("activity", "c|2")
            await a.prefetch([], claim=("activity", "c|2", ttl))
            assert await a.claim("activity", "c|2", ttl=ttl) is True
    finally:
        await a.close()
        await b.close()


async def test_claims_made_with_the_first_reads_also_clear_the_expired_ones_now_and_then(
        pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import timedelta

    from storage.postgres import engine as engine_module

    a = await PostgresEngine.open(pg_url)
    try:
        for i in range(5):
            await a.claim("activity", f"old|{i}", ttl=timedelta(seconds=-1))  # expired at once
        monkeypatch.setattr(engine_module.random, "random", lambda: 0.0)  # the one time in a hundred
        with a.turn_view():
            await a.prefetch(["global"], claim=("activity", "new|1", timedelta(minutes=2)))
        async with a._pool.connection() as conn:
            left = await (await conn.execute("SELECT key FROM claims ORDER BY key")).fetchall()
        assert [k for (k,) in left] == ["new|1"]
    finally:
        await a.close()


async def test_a_write_on_a_partition_another_instance_changed_is_still_two_round_trips(
        two: tuple[PostgresEngine, PostgresEngine], monkeypatch: pytest.MonkeyPatch) -> None:
    """The lock brings the documents when the cached version is not the locked one: the block
    decides on the other instance's state (puts and deletes) without a third round trip."""
    import psycopg

    a, b = two
    async with a.write("team/x/meeting/m") as tx:
        for key in ("anna", "bo", "cecilia"):
            tx.put("checkins", key, {"by": key, "n": 1})
    await a.read("team/x/meeting/m")  # A caches this version
    async with b.write("team/x/meeting/m") as tx:  # B changes it behind A's cache
        tx.put("checkins", "bo", {"by": "bo", "n": 2})
        tx.delete("checkins", "cecilia")
        tx.put("checkins", "david", {"by": "david", "n": 1})
    sent: list[str] = []
    real = psycopg.AsyncCursor.execute

    async def counted(self, query, *args, **kwargs):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202
        sent.append(str(query))
        return await real(self, query, *args, **kwargs)

    monkeypatch.setattr(psycopg.AsyncCursor, "execute", counted)
    for expected in ({"anna": 1, "bo": 2, "david": 1}, {"anna": 1, "bo": 2, "david": 1, "erik": 1}):
        sent.clear()
        async with a.write("team/x/meeting/m") as tx:
            assert {d["by"]: d["n"] for d in tx.all("checkins")} == expected
            tx.put("checkins", "erik", {"by": "erik", "n": 1})
        assert len(sent) == 2, sent  # the stale cache the first time, the fresh one the second
    monkeypatch.undo()
    assert {d["by"] for d in (await b.read("team/x/meeting/m")).all("checkins")} == {"anna", "bo", "david", "erik"}


async def test_the_statements_of_writes_and_first_reads_are_prepared_once_per_connection(
        pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Sent with the simple query protocol (several in one message), they would be planned on every
    call: PREPAREd on a connection's first use and EXECUTEd after, the server plans them once."""
    from datetime import timedelta

    import psycopg

    from storage.postgres import engine as engine_module

    a = await PostgresEngine.open(pg_url, min_size=1, max_size=1)
    try:
        prepares: list[object] = []
        real = psycopg.AsyncConnection.execute

        async def counted(self, query, *args, **kwargs):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202
            if isinstance(query, bytes) and query.startswith(b"PREPARE"):
                prepares.append(query)
            return await real(self, query, *args, **kwargs)

        monkeypatch.setattr(psycopg.AsyncConnection, "execute", counted)
        async with a._pool.connection() as conn:  # what psycopg would prepare by itself (used five times)
            for i in range(6):
                await conn.execute("SELECT version FROM partitions WHERE name = %s", (f"n{i}",))
        for i in range(3):
            with a.turn_view():
                await a.prefetch(["global"], claim=("activity", f"c|{i}", timedelta(minutes=2)))
                await put(a, "team/x", {"v": i})
            # A block that gives up rolls back: psycopg deallocates a connection's prepared
            # statements after a rollback unless, as here, it prepares none itself.
            with pytest.raises(LookupError):
                async with a.write("team/x") as tx:
                    raise LookupError(tx.get("t", "k"))
            async with a.write("team/x"):
                pass  # stages nothing: rolled back too
        assert len(prepares) == 1
        monkeypatch.undo()
        async with a._pool.connection() as conn:
            rows = await (await conn.execute(
                "SELECT name, generic_plans + custom_plans FROM pg_prepared_statements "
                "WHERE name LIKE 'skis%' ORDER BY name")).fetchall()
        plans = dict(rows)
        assert set(plans) == {"skis_claim", "skis_commit", "skis_documents_unless", "skis_load", "skis_lock",
                              "skis_version", "skis_versions"}
        assert (plans["skis_claim"], plans["skis_versions"], plans["skis_commit"], plans["skis_lock"]) == (3, 3, 3, 9)

        # A connection whose preparing failed halfway is closed (what it prepared would clash with
        # the next try): the write fails, nothing is written, and the next one works on a new connection.
        good = engine_module._PREPARE
        monkeypatch.setattr(engine_module, "_PREPARE", good + "; PREPARE skis_broken AS SELECT * FROM nowhere")
        async with a._pool.connection() as conn:
            await conn.execute("DEALLOCATE ALL")  # as if new: the engine prepares it again
        a._prepared.clear()
        with pytest.raises(StorageError):
            await put(a, "team/x", {"v": "lost"})
        monkeypatch.setattr(engine_module, "_PREPARE", good)
        await put(a, "team/x", {"v": "kept"})
        assert (await a.read("team/x")).get("t", "k") == {"v": "kept"}
    finally:
        await a.close()
