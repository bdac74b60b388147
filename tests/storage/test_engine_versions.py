"""Snapshot versions, stamps, transient reads and exclusive writes: what caches, the retention
watermark and every read-modify-write rely on."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from storage.meetings_repo import Meeting
from storage.store import Store
from storage.tinydb_engine import TinyDBEngine

TEAM = "team/19:t@thread.tacv2"
MEETING = f"{TEAM}/meeting/20261123"


async def test_version_changes_on_every_commit_and_not_on_reads(kit):
    engine = await kit.open()
    snap = await engine.read(TEAM)
    before = snap.version
    snap.get("t", "k")
    snap.all("t")
    assert snap.version == before
    assert (await engine.read(TEAM)).version == before
    async with engine.write(TEAM) as tx:
        tx.put("t", "k", {"n": 1})
    first = (await engine.read(TEAM)).version
    assert first != before
    assert snap.version == before and snap.get("t", "k") is None  # a snapshot never changes
    async with engine.write(TEAM) as tx:
        assert tx.version == first  # the block starts from the committed state
    # Nothing staged: nothing written.
    assert (await engine.read(TEAM)).version == first
    async with engine.write(TEAM) as tx:
        tx.put("t", "k", {"n": 2})
    assert (await engine.read(TEAM)).version not in (before, first)


async def test_no_two_snapshots_share_a_version(kit):
    engine = await kit.open()
    for i in range(20):
        async with engine.write(f"team/{i}") as tx:
            tx.put("t", "k", {"i": i})
    versions = {(await engine.read(f"team/{i}")).version for i in range(20)}
    assert len(versions) == 20


async def test_stamp_is_none_until_written_then_changes_with_each_write(kit):
    engine = await kit.open()
    assert await engine.partition_stamp(MEETING) is None
    async with engine.write(MEETING) as tx:
        tx.put("checkins", "a", {"x": 1})
    first = await engine.partition_stamp(MEETING)
    assert first is not None
    (await engine.read(MEETING)).all("checkins")
    assert await engine.partition_stamp(MEETING) == first
    async with engine.write(MEETING) as tx:
        tx.put("checkins", "a", {"x": 1})  # the same content written again is still a write
    assert await engine.partition_stamp(MEETING) not in (None, first)


async def test_stamp_survives_a_restart_and_changes_when_another_process_writes(kit):
    engine = await kit.open()
    async with engine.write(MEETING) as tx:
        tx.put("checkins", "a", {"x": 1})
    stamp = await engine.partition_stamp(MEETING)
    engine = await kit.reopen(engine)
    assert await engine.partition_stamp(MEETING) == stamp
    async with engine.write(MEETING) as tx:
        tx.delete("checkins", "a")
    assert await engine.partition_stamp(MEETING) != stamp


async def test_transient_reads_and_a_write_during_the_pass_commits(kit):
    engine = await kit.open()
    async with engine.write(MEETING) as tx:
        tx.put("checkins", "a", {"x": 1})
        tx.put("checkins", "b", {"x": 2})
    async with engine.transient(MEETING) as snap:
        assert snap.get("checkins", "a") == {"x": 1}
        async with engine.write(MEETING) as tx:
            tx.delete("checkins", "a")
        assert snap.get("checkins", "a") == {"x": 1}  # the pass's snapshot does not change under it
    assert (await engine.read(MEETING)).all("checkins") == [{"x": 2}]


async def test_transient_does_not_keep_an_uncached_partition_in_memory(tmp_path):
    data_dir = tmp_path / "data"
    engine = TinyDBEngine(data_dir)
    try:
        for i in range(3):
            async with engine.write(f"{TEAM}/meeting/{i}") as tx:
                tx.put("checkins", "a", {"i": i})
    finally:
        await engine.close()
    engine = TinyDBEngine(data_dir)
    try:
        cached = await engine.read(f"{TEAM}/meeting/0")
        assert cached.get("checkins", "a") == {"i": 0}
        for i in range(3):
            async with engine.transient(f"{TEAM}/meeting/{i}") as snap:
                assert snap.get("checkins", "a") == {"i": i}
                if i == 2:
                    async with engine.write(f"{TEAM}/meeting/2") as tx:
                        tx.put("checkins", "a", {"i": 22})
        assert [n for n in ["global"] + [f"{TEAM}/meeting/{i}" for i in range(3)] if engine.is_cached(n)] == [
            "global",
            f"{TEAM}/meeting/0",
        ]
        assert await engine.read(f"{TEAM}/meeting/0") is cached  # what was cached stays cached
        assert (await engine.read(f"{TEAM}/meeting/2")).get("checkins", "a") == {"i": 22}  # the write is on disk
    finally:
        await engine.close()


async def test_meetings_are_parsed_once_per_partition_version(kit, monkeypatch):
    engine = await kit.open()
    repo = Store(engine).meetings
    key = "19:t@thread.tacv2"
    start = datetime(2026, 11, 23, 9, tzinfo=UTC)
    for d in range(5):
        await repo.save(Meeting(id=f"m{d}", team_key=key, starts_at=start + timedelta(days=7 * d)))
    parsed = []
    real = Meeting.from_doc

    def counting(doc):  # noqa: ANN001, ANN202
        parsed.append(doc["id"])
        return real(doc)

    monkeypatch.setattr(Meeting, "from_doc", staticmethod(counting))
    assert [m.id for m in await repo.all(key)] == ["m0", "m1", "m2", "m3", "m4"]
    assert (await repo.current(key, start + timedelta(days=8))).id == "m2"
    assert (await repo.upcoming(key, start))[0].id == "m0"
    assert len(parsed) == 5  # parsed once for all three questions
    await repo.save(Meeting(id="m0", team_key=key, starts_at=start + timedelta(days=60), location="Hjo"))
    assert [m.id for m in await repo.all(key)] == ["m1", "m2", "m3", "m4", "m0"]
    assert (await repo.all(key))[-1].location == "Hjo"
    assert len(parsed) == 10  # a save is a new version: parsed again, once
    other = Store(engine).meetings  # another repository on the same engine sees the same data
    assert [m.id for m in await other.all(key)][-1] == "m0"


# Exclusive writes


async def test_concurrent_read_modify_writes_lose_no_update(kit):
    engine = await kit.open()

    async def add_one_50_times() -> None:
        for _ in range(50):
            async with engine.write(TEAM) as tx:
                n = (tx.get("counters", "c") or {"n": 0})["n"]
                # Let the other writer run between the read and the write: only the partition's
                # write lock keeps it from reading the same n.
                await asyncio.sleep(0)
                tx.put("counters", "c", {"n": n + 1})

    await asyncio.gather(add_one_50_times(), add_one_50_times())
    assert (await engine.read(TEAM)).get("counters", "c") == {"n": 100}
    engine = await kit.reopen(engine)
    assert (await engine.read(TEAM)).get("counters", "c") == {"n": 100}


async def test_claims_in_memory_are_pruned_now_and_then_not_on_every_claim(monkeypatch) -> None:
    """At hundreds of turns a second every activity claim lives its two minutes; pruning at a fixed
    size rebuilt the whole table on every turn once it was reached."""
    from storage import engine as engine_module
    from storage.engine import MemoryEngine

    monkeypatch.setattr(engine_module, "CLAIMS_PRUNED_FROM", 1_000)
    engine = MemoryEngine()
    engine._prune_claims_at = 1_000
    passes = 0
    prune = engine._prune_claims

    def counted(now: float) -> None:
        nonlocal passes
        passes += 1
        prune(now)

    monkeypatch.setattr(engine, "_prune_claims", counted)
    for i in range(20_000):  # all live: nothing to drop
        assert await engine.claim("activity", f"live-{i}", ttl=timedelta(minutes=2))
    assert passes <= 5  # 1,000 → 2,002 → 4,006 → 8,014 → 16,030
    assert not await engine.claim("activity", "live-7", ttl=timedelta(minutes=2))  # none was lost
    for i in range(100_000):  # already expired: dropped at the next pass
        await engine.claim("activity", f"gone-{i}", ttl=timedelta(seconds=-1))
    assert len(engine._claims) <= 2 * 20_000 + 2
