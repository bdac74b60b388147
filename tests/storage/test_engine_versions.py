"""Partition versions, stamps and transient reads: what caches and the retention watermark rely on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from storage.meetings_repo import Meeting
from storage.store import Store
from storage.tinydb_engine import TinyDBEngine

TEAM = "team/19:t@thread.tacv2"
MEETING = f"{TEAM}/meeting/20261123"


def test_version_changes_on_every_commit_and_not_on_reads(kit):
    engine = kit.open()
    part = engine.partition(TEAM)
    before = part.version
    part.get("t", "k")
    part.all("t")
    assert part.version == before
    with part.write() as tx:
        tx.put("t", "k", {"n": 1})
    first = part.version
    assert first != before
    with part.write():
        pass  # nothing staged: nothing written
    assert part.version == first
    with part.write() as tx:
        tx.put("t", "k", {"n": 2})
    assert part.version not in (before, first)


def test_no_two_partition_objects_share_a_version(kit):
    engine = kit.open()
    versions = {engine.partition(f"team/{i}").version for i in range(20)}
    assert len(versions) == 20


def test_stamp_is_none_until_written_then_changes_with_each_write(kit):
    engine = kit.open()
    assert engine.partition_stamp(MEETING) is None
    with engine.partition(MEETING).write() as tx:
        tx.put("checkins", "a", {"x": 1})
    first = engine.partition_stamp(MEETING)
    assert first is not None
    engine.partition(MEETING).all("checkins")
    assert engine.partition_stamp(MEETING) == first
    with engine.partition(MEETING).write() as tx:
        tx.put("checkins", "a", {"x": 1})  # the same content written again is still a write
    assert engine.partition_stamp(MEETING) not in (None, first)


def test_stamp_survives_a_restart_and_changes_when_another_process_writes(kit):
    engine = kit.open()
    with engine.partition(MEETING).write() as tx:
        tx.put("checkins", "a", {"x": 1})
    stamp = engine.partition_stamp(MEETING)
    engine = kit.reopen(engine)
    assert engine.partition_stamp(MEETING) == stamp
    with engine.partition(MEETING).write() as tx:
        tx.delete("checkins", "a")
    assert engine.partition_stamp(MEETING) != stamp


def test_transient_reads_and_writes_like_partition(kit):
    engine = kit.open()
    with engine.partition(MEETING).write() as tx:
        tx.put("checkins", "a", {"x": 1})
        tx.put("checkins", "b", {"x": 2})
    with engine.transient(MEETING) as part:
        assert part.get("checkins", "a") == {"x": 1}
        with part.write() as tx:
            tx.delete("checkins", "a")
    assert engine.partition(MEETING).all("checkins") == [{"x": 2}]


def test_transient_does_not_keep_an_uncached_partition_in_memory(tmp_path):
    data_dir = tmp_path / "data"
    with TinyDBEngine(data_dir) as engine:
        for i in range(3):
            with engine.partition(f"{TEAM}/meeting/{i}").write() as tx:
                tx.put("checkins", "a", {"i": i})
    with TinyDBEngine(data_dir) as engine:
        cached = engine.partition(f"{TEAM}/meeting/0")
        assert cached.get("checkins", "a") == {"i": 0}
        for i in range(3):
            with engine.transient(f"{TEAM}/meeting/{i}") as part:
                assert part.get("checkins", "a") == {"i": i}
                if i == 2:
                    with part.write() as tx:
                        tx.put("checkins", "a", {"i": 22})
        assert sorted(engine._partitions) == ["global", f"{TEAM}/meeting/0"]
        assert engine.partition(f"{TEAM}/meeting/0") is cached  # what was cached stays cached
        assert engine.partition(f"{TEAM}/meeting/2").get("checkins", "a") == {"i": 22}  # the write is on disk


def test_meetings_are_parsed_once_per_partition_version(kit, monkeypatch):
    engine = kit.open()
    repo = Store(engine).meetings
    key = "19:t@thread.tacv2"
    start = datetime(2026, 11, 23, 9, tzinfo=UTC)
    for d in range(5):
        repo.save(Meeting(id=f"m{d}", team_key=key, starts_at=start + timedelta(days=7 * d)))
    parsed = []
    real = Meeting.from_doc

    def counting(doc):  # noqa: ANN001, ANN202
        parsed.append(doc["id"])
        return real(doc)

    monkeypatch.setattr(Meeting, "from_doc", staticmethod(counting))
    assert [m.id for m in repo.all(key)] == ["m0", "m1", "m2", "m3", "m4"]
    assert repo.current(key, start + timedelta(days=8)).id == "m2"
    assert repo.upcoming(key, start)[0].id == "m0"
    assert len(parsed) == 5  # parsed once for all three questions
    repo.save(Meeting(id="m0", team_key=key, starts_at=start + timedelta(days=60), location="Hjo"))
    assert [m.id for m in repo.all(key)] == ["m1", "m2", "m3", "m4", "m0"]
    assert repo.all(key)[-1].location == "Hjo"
    assert len(parsed) == 10  # a save is a new version: parsed again, once
    other = Store(engine).meetings  # another repository on the same engine sees the same data
    assert [m.id for m in other.all(key)][-1] == "m0"
