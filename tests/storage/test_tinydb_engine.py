"""TinyDBEngine specifics: file layout, atomic writes, locking, damage, laziness, crashes, cancellation."""

from __future__ import annotations

import asyncio
import errno
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path, PurePosixPath

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tinydb import TinyDB
from tinydb.table import Table

from storage.engine import CorruptDataError, DataDirLockedError, StorageError
from storage.tinydb_engine import TinyDBEngine, _encode, partition_relpath, safe_segment
from tests.storage.conftest import FAILURES, break_disk

REPO = Path(__file__).resolve().parents[2]
TEAM = "team/19:abc@thread.tacv2"
MEETING = f"{TEAM}/meeting/20261203"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
async def engine(data_dir: Path) -> AsyncIterator[TinyDBEngine]:
    eng = TinyDBEngine(data_dir)
    yield eng
    await eng.close()


@asynccontextmanager
async def opened(data_dir: Path, *, read_only: bool = False) -> AsyncIterator[TinyDBEngine]:
    eng = TinyDBEngine(data_dir, read_only=read_only)
    try:
        yield eng
    finally:
        await eng.close()


def write_raw(data_dir: Path, name: str, tables: dict) -> Path:
    """Create a partition file directly (fast, for setting up big directories)."""
    path = data_dir / partition_relpath(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_encode({"_meta": {"partition": {"name": name}}, **tables}))
    return path


def files_snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(p.relative_to(root)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name not in (".lock", ".snapshot-lock")
    }


def run_child(code: str, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code, *args], cwd=REPO, capture_output=True, text=True, timeout=timeout
    )


class StrTable(Table):
    document_id_class = str


class PlainTinyDB(TinyDB):
    table_class = StrTable


# Layout


def test_layout():
    assert partition_relpath("global") == PurePosixPath("global.json")
    team = partition_relpath(TEAM)
    assert team.parts[0] == "teams" and team.name == "team.json"
    assert team.parts[1].startswith("19_abc@thread.tacv2~")
    meeting = partition_relpath(f"{TEAM}/meeting/m-1")
    assert meeting == PurePosixPath("teams", team.parts[1], "meetings", "m-1.json")
    assert partition_relpath("botstate/" + "a" * 64) == PurePosixPath("botstate", "a" * 64 + ".json")
    assert partition_relpath("something/else").parts[0] == "other"
    with pytest.raises(ValueError):
        partition_relpath("")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=80), min_size=2, max_size=6, unique=True))
def test_partition_paths_are_safe_and_collision_free(ids):
    names = (
        ["global"] + [f"team/{i}" for i in ids] + [f"team/{ids[0]}/meeting/{i}" for i in ids if "/" not in i]
    )
    names += [f"botstate/{i}" for i in ids] + list(ids)
    names = list(dict.fromkeys(names))
    paths = [partition_relpath(n) for n in names]
    # Collision-free even on case-insensitive filesystems.
    assert len({str(p).lower() for p in paths}) == len(names)
    for p in paths:
        for part in p.parts:
            assert part not in ("", ".", "..") and not part.startswith(".")
            assert "/" not in part and "\x00" not in part
            assert len(part.encode()) <= 255


def test_safe_segment_keeps_plain_ids_readable():
    assert safe_segment("m-2025.03") == "m-2025.03"
    assert safe_segment("Åsa") != safe_segment("åsa")
    assert "~" in safe_segment("..")


async def test_file_is_a_tinydb_database_holding_its_name(engine, data_dir):
    async with engine.write(TEAM) as tx:
        tx.put("members", "29:u1", {"name": "Åsa"})
    path = data_dir / partition_relpath(TEAM)
    assert engine.path_of(TEAM) == path
    raw = json.loads(path.read_text("utf-8"))
    assert raw["_meta"] == {"partition": {"name": TEAM}}
    assert "Åsa" in path.read_text("utf-8")  # readable, not \u-escaped

    with PlainTinyDB(path, access_mode="r") as db:
        assert db.table("members").get(doc_id="29:u1") == {"name": "Åsa"}


async def test_meta_table_is_reserved(engine):
    async with engine.write("global") as tx:
        tx.put("t", "k", {})
    with pytest.raises(ValueError):
        async with engine.write("global") as tx:
            tx.put("_meta", "partition", {"name": "evil"})
    with pytest.raises(ValueError):
        async with engine.write("global") as tx:
            tx.delete("_meta", "partition")
    # What the file keeps in _meta is the engine's own: reads never show it.
    snap = await engine.read("global")
    assert snap.get("_meta", "partition") is None and snap.all("_meta") == []
    assert json.loads(engine.path_of("global").read_bytes())["_meta"] == {"partition": {"name": "global"}}


# Atomic, durable writes


async def test_one_transaction_is_one_file_write(engine, monkeypatch):
    async with engine.write(TEAM) as tx:  # first write also creates the directories
        tx.put("a", "0", {})
    calls: list[str] = []
    real_replace, real_fsync = os.replace, os.fsync

    def replace(src, dst):
        calls.append("replace")
        return real_replace(src, dst)

    def fsync(fd):
        calls.append("fsync")
        return real_fsync(fd)

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(os, "fsync", fsync)
    async with engine.write(TEAM) as tx:
        for i in range(50):
            tx.put("a", str(i), {"i": i})
            tx.put("b", str(i), {"i": i})
    assert calls == ["fsync", "replace", "fsync"]  # file, rename, directory


@pytest.mark.parametrize("how", FAILURES)
async def test_failed_write_keeps_old_file_bytes_and_leaves_no_temp(engine, data_dir, monkeypatch, how):
    async with engine.write(TEAM) as tx:
        tx.put("members", "u1", {"v": 1})
    path = data_dir / partition_relpath(TEAM)
    before = path.read_bytes()
    with monkeypatch.context() as broken:
        break_disk(broken, how)
        with pytest.raises(StorageError, match="nothing was changed"):
            async with engine.write(TEAM) as tx:
                tx.put("members", "u1", {"v": 2})
    assert path.read_bytes() == before
    assert (await engine.read(TEAM)).get("members", "u1") == {"v": 1}
    assert [p.name for p in path.parent.iterdir()] == ["team.json"]


@pytest.mark.parametrize("how", FAILURES)
async def test_failed_first_write_creates_no_partition(engine, data_dir, monkeypatch, how):
    with monkeypatch.context() as broken:
        break_disk(broken, how)
        with pytest.raises(StorageError):
            async with engine.write("global") as tx:
                tx.put("t", "k", {})
    assert sorted(p.name for p in data_dir.iterdir()) == [".lock", ".snapshot-lock"]
    assert await engine.partition_names() == []


async def test_concurrent_writers_to_one_partition_lose_nothing(engine):
    async def worker(w: int) -> None:
        for i in range(25):
            async with engine.write(TEAM) as tx:
                await asyncio.sleep(0)  # let the other writers try to get in meanwhile
                tx.put("items", f"{w}-{i}", {"w": w, "i": i})

    await asyncio.gather(*(worker(w) for w in range(4)))
    assert len((await engine.read(TEAM)).all("items")) == 100
    await engine.close()
    async with opened(engine.data_dir) as again:
        assert len((await again.read(TEAM)).all("items")) == 100


def hold_first_fsync(monkeypatch, *, fail: bool = False) -> tuple[threading.Event, threading.Event, list[int]]:
    """os.fsync patched: the first call (a commit's file, in the worker thread) waits for ``go_on``
    (and fails with ENOSPC when ``fail``); returns (in_fsync, go_on, the fds fsync'd)."""
    in_fsync, go_on = threading.Event(), threading.Event()
    calls: list[int] = []
    real_fsync = os.fsync

    def held_fsync(fd: int) -> None:
        calls.append(fd)
        if not in_fsync.is_set():
            in_fsync.set()
            assert go_on.wait(10)
            if fail:
                raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", held_fsync)
    return in_fsync, go_on, calls


async def until(event: threading.Event) -> None:
    deadline = time.monotonic() + 10
    while not event.is_set():
        assert time.monotonic() < deadline, "the commit never reached its fsync"
        await asyncio.sleep(0.001)


@pytest.mark.parametrize("commit_fails", [False, True], ids=["commit lands", "commit fails"])
async def test_cancelled_commit_finishes_in_its_thread_and_the_next_writer_builds_on_it(
    engine, data_dir, monkeypatch, commit_fails
):
    async with engine.write(TEAM) as tx:
        tx.put("counters", "c", {"n": 0})
    in_fsync, go_on, _calls = hold_first_fsync(monkeypatch, fail=commit_fails)
    seen: list[int] = []

    async def add_one() -> None:
        async with engine.write(TEAM) as tx:
            n = tx.get("counters", "c")["n"]
            seen.append(n)
            tx.put("counters", "c", {"n": n + 1})

    first = asyncio.create_task(add_one())
    await until(in_fsync)
    second = asyncio.create_task(add_one())
    await asyncio.sleep(0.05)
    first.cancel()
    await asyncio.wait([first], timeout=10)
    assert first.cancelled()  # the turn that was cancelled goes on at once ...
    # ... while its commit is still under way in the thread. The next writer's block has run on
    # the state the first one staged (group commit: no lost update), but readers see only what
    # is durable, and the next writer has not returned: its state is not on disk yet.
    assert seen == [0, 1]
    assert (await engine.read(TEAM)).get("counters", "c") == {"n": 0}
    assert not second.done()

    go_on.set()
    if commit_fails:
        # Its state was built on one that never became durable: it fails too, nothing applied.
        with pytest.raises(StorageError):
            await asyncio.wait_for(second, 10)
        expected = 0
    else:
        await asyncio.wait_for(second, 10)
        expected = 2
    snap = await engine.read(TEAM)
    on_disk = json.loads(engine.path_of(TEAM).read_bytes())
    assert snap.get("counters", "c") == {"n": expected}
    assert {t: d for t, d in on_disk.items() if t != "_meta"} == snap.tables()  # cache and file agree
    assert not list(data_dir.rglob("*.tmp"))
    # The next write starts from what is durable.
    await add_one()
    assert (await engine.read(TEAM)).get("counters", "c") == {"n": expected + 1}
    await engine.close()
    async with opened(data_dir) as again:
        assert (await again.read(TEAM)).get("counters", "c") == {"n": expected + 1}


async def test_writers_that_wait_for_one_commit_share_the_next(engine, data_dir, monkeypatch):
    """Group commit: eight check-ins to one meeting while a commit is at its fsync make one more
    commit between them, not eight, and each returns only once its answer is on disk."""
    async with engine.write(MEETING) as tx:
        tx.put("checkins", "first", {"n": 0})
    in_fsync, go_on, calls = hold_first_fsync(monkeypatch)
    returned: list[str] = []

    async def answer(key: str) -> None:
        async with engine.write(MEETING) as tx:
            tx.put("checkins", key, {"answer": key})
        on_disk = json.loads(engine.path_of(MEETING).read_bytes())
        assert key in on_disk["checkins"]  # durable before the writer goes on
        returned.append(key)

    first = asyncio.create_task(answer("a0"))
    await until(in_fsync)
    others = [asyncio.create_task(answer(f"a{i}")) for i in range(1, 9)]
    await asyncio.sleep(0.05)
    assert returned == []
    go_on.set()
    await asyncio.wait_for(asyncio.gather(first, *others), 10)
    assert sorted(returned) == sorted(f"a{i}" for i in range(9))
    # Each commit fsyncs the file and its directory: two commits, four fsyncs (eight per-writer
    # commits would have made sixteen more).
    assert len(calls) == 4
    snap = await engine.read(MEETING)
    assert len(snap.all("checkins")) == 10


# Laziness and startup


async def test_open_is_lazy_and_fast_with_many_partitions(data_dir):
    names = []
    for t in range(100):
        team = f"team/19:team{t}@thread.tacv2"
        names.append(team)
        write_raw(data_dir, team, {"members": {f"u{i}": {"i": i} for i in range(20)}})
        for m in range(12):
            meeting = f"{team}/meeting/{m}"
            names.append(meeting)
            write_raw(data_dir, meeting, {"agenda": {"a": {"title": "x" * 500}}})
    write_raw(data_dir, "global", {"teams": {}})
    assert len(names) == 1300

    started = time.perf_counter()
    async with opened(data_dir) as eng:
        opened_in = time.perf_counter() - started
        assert opened_in < 1.0, opened_in
        assert eng.is_cached("global")
        assert [n for n in names if eng.is_cached(n)] == []
        assert await eng.partition_names("team/") == sorted(names)
        assert [n for n in names if eng.is_cached(n)] == []
        assert (await eng.read(names[5])).get("agenda", "a") is not None
        assert [n for n in names if eng.is_cached(n)] == [names[5]]


async def test_partition_names_sees_new_partitions_after_first_listing(engine):
    assert await engine.partition_names() == []
    async with engine.write(TEAM) as tx:
        tx.put("t", "k", {})
    assert await engine.partition_names() == [TEAM]
    assert engine.partition_names_now() == [TEAM]


async def test_stale_temps_are_removed_at_open_but_not_read_only(data_dir):
    write_raw(data_dir, TEAM, {"t": {}})
    write_raw(data_dir, "global", {"t": {}})
    team_dir = (data_dir / partition_relpath(TEAM)).parent
    stale = [team_dir / ".team.json.0a1b2c3d4e5f.tmp", data_dir / ".global.json.old.0a1b2c3d4e5f.tmp"]
    for p in stale:
        p.write_bytes(b'{"half')
    async with opened(data_dir, read_only=True) as ro:
        assert await ro.partition_names() == sorted(["global", TEAM])
    assert all(p.exists() for p in stale)
    async with opened(data_dir) as eng:
        assert not any(p.exists() for p in stale)
        assert await eng.partition_names() == sorted(["global", TEAM])
        assert eng.verify_all() == []


# Damaged files

DAMAGE = {
    "empty": lambda good: b"",
    "truncated": lambda good: good[: len(good) // 2],
    "not utf-8": lambda good: b"\xff\xfe" + good,
    "list at top": lambda good: b"[]",
    "table not object": lambda good: b'{"_meta":{"partition":{"name":"team/x"}},"members":[1]}',
    "doc not object": lambda good: good.replace(b'{"v":1}', b"42"),
    "no meta": lambda good: b'{"members":{}}',
    "other partition": lambda good: good.replace(b"team/19", b"team/20"),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
async def test_damaged_file_is_reported_and_never_overwritten(engine, data_dir, damage):
    async with engine.write(TEAM) as tx:
        tx.put("members", "u1", {"v": 1})
    await engine.close()
    path = data_dir / partition_relpath(TEAM)
    bad = DAMAGE[damage](path.read_bytes())
    path.write_bytes(bad)

    async with opened(data_dir) as eng:  # lazy: opening still works
        with pytest.raises(CorruptDataError) as err:
            await eng.read(TEAM)
        assert str(path) in str(err.value) and "skis-bot restore" in str(err.value)
        with pytest.raises(CorruptDataError):
            async with eng.write(TEAM) as tx:
                tx.put("members", "u2", {"v": 2})
        problems = eng.verify_all()
        assert len(problems) == 1 and problems[0].startswith(str(path))
        assert await eng.check() is True  # global is fine; only this team is damaged
    assert path.read_bytes() == bad


async def test_damaged_global_stops_startup_and_releases_the_lock(data_dir):
    path = write_raw(data_dir, "global", {"teams": {"t": {"name": "SKIS"}}})
    good = path.read_bytes()
    path.write_bytes(good[:-10])
    with pytest.raises(CorruptDataError, match="global.json"):
        TinyDBEngine(data_dir)
    with pytest.raises(CorruptDataError):
        TinyDBEngine(data_dir, read_only=True)
    assert path.read_bytes() == good[:-10]
    path.write_bytes(good)  # "restored from backup"
    async with opened(data_dir) as eng:
        assert (await eng.read("global")).get("teams", "t") == {"name": "SKIS"}


async def test_verify_all_clean(engine):
    async with engine.write(TEAM) as tx:
        tx.put("t", "k", {})
    async with engine.write("global") as tx:
        tx.put("t", "k", {})
    assert engine.verify_all() == []


# Locking and read-only access


async def test_second_engine_in_same_process_is_refused(engine, data_dir):
    with pytest.raises(DataDirLockedError, match="another skis-bot process is already using") as err:
        TinyDBEngine(data_dir)
    assert str(data_dir) in str(err.value)
    await engine.close()
    await TinyDBEngine(data_dir).close()


LOCK_CHILD = """
import sys
from pathlib import Path
from storage.engine import DataDirLockedError
from storage.tinydb_engine import TinyDBEngine
try:
    TinyDBEngine(Path(sys.argv[1]))
except DataDirLockedError as exc:
    print(exc)
    sys.exit(3)
print("opened")
"""


async def test_second_process_is_refused(engine, data_dir):
    child = run_child(LOCK_CHILD, str(data_dir))
    assert child.returncode == 3, child.stderr
    assert f"already using {data_dir}" in child.stdout
    assert f"pid {os.getpid()}" in child.stdout
    await engine.close()
    child = run_child(LOCK_CHILD, str(data_dir))
    assert child.returncode == 0 and "opened" in child.stdout, child.stderr


async def test_read_only_next_to_a_running_writer(engine, data_dir):
    async with engine.write(TEAM) as tx:
        tx.put("members", "u1", {"v": 1})
    before = files_snapshot(data_dir)
    async with opened(data_dir, read_only=True) as ro:
        snapshot = await ro.read(TEAM)
        assert snapshot.get("members", "u1") == {"v": 1}
        with pytest.raises(StorageError, match="read-only"):
            async with ro.write(TEAM) as tx:
                tx.put("members", "u2", {})
        assert await ro.check() is True
        assert ro.verify_all() == []
        assert files_snapshot(data_dir) == before

        async with engine.write(TEAM) as tx:
            tx.put("members", "u1", {"v": 2})
        async with engine.write("global") as tx:
            tx.put("t", "k", {})
        assert snapshot.get("members", "u1") == {"v": 1}  # a snapshot stays consistent
        assert (await ro.read(TEAM)).get("members", "u1") == {"v": 2}  # a fresh one sees the commit
        assert await ro.partition_names() == sorted(["global", TEAM])
        assert not ro.is_cached(TEAM)  # another process writes the files: nothing is kept


def test_read_only_on_missing_dir_fails_clearly(tmp_path):
    with pytest.raises(StorageError, match="does not exist"):
        TinyDBEngine(tmp_path / "nope", read_only=True)
    assert not (tmp_path / "nope").exists()


async def test_check_and_close(engine, data_dir):
    assert await engine.check() is True
    assert not [p for p in data_dir.iterdir() if p.name not in (".lock", ".snapshot-lock")]  # the probe cleans up
    await engine.close()
    assert await engine.check() is False
    with pytest.raises(StorageError, match="closed"):
        await engine.read("global")
    with pytest.raises(StorageError, match="closed"):
        async with engine.write("global") as tx:
            tx.put("t", "k", {})
    await engine.close()  # idempotent
    engine.close_now()


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
async def test_check_false_when_dir_not_writable(engine, data_dir):
    data_dir.chmod(0o500)
    try:
        assert await engine.check() is False
    finally:
        data_dir.chmod(0o700)


# Crashes

CRASH_CHILD = """
import asyncio
import sys
from pathlib import Path
from storage.tinydb_engine import TinyDBEngine

async def main():
    engine = TinyDBEngine(Path(sys.argv[1]))
    i = int(sys.argv[2])
    print("ready", flush=True)
    while True:
        name = "global" if i % 5 == 0 else f"team/19:t{i % 3}@thread.tacv2"
        async with engine.write(name) as tx:
            tx.put("items", f"k{i}", {"i": i, "pad": "å" * (i % 300)})
            tx.put("last", "last", {"i": i})
        print(f"{name}\\t{i}", flush=True)
        i += 1

asyncio.run(main())
"""


def run_and_kill(data_dir: Path, first: int, rng: random.Random) -> list[tuple[str, int]]:
    """Run CRASH_CHILD, SIGKILL it after a random number of commits; the commits it reported."""
    committed: list[tuple[str, int]] = []
    child = subprocess.Popen(
        [sys.executable, "-c", CRASH_CHILD, str(data_dir), str(first)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline() == "ready\n", child.stderr.read() if child.stderr else ""
        for _ in range(rng.randint(0, 40)):
            line = child.stdout.readline()
            name, i = line.rstrip("\n").split("\t")
            committed.append((name, int(i)))
        child.send_signal(signal.SIGKILL)
        # Lines printed before the kill were printed after their commit returned.
        for line in child.stdout:
            if line.endswith("\n"):
                name, i = line.rstrip("\n").split("\t")
                committed.append((name, int(i)))
    finally:
        child.kill()
        child.wait(timeout=30)
    return committed


@pytest.mark.slow
@pytest.mark.timeout(300)
async def test_sigkill_at_random_moments_loses_no_reported_commit(data_dir):
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    committed: list[tuple[str, int]] = []
    for round_ in range(30):
        committed += run_and_kill(data_dir, (round_ + 1) * 100_000, rng)
        async with opened(data_dir) as eng:
            missing = [(n, i) for n, i in committed if (await eng.read(n)).get("items", f"k{i}") is None]
            assert missing == [], f"seed {seed}, round {round_}"
            assert eng.verify_all() == [], f"seed {seed}"
            assert not list(data_dir.rglob("*.tmp"))
    assert len(committed) > 100


async def test_reads_are_the_stored_docs_as_plain_dicts_in_order(engine):
    # The contract: get/all hand out the snapshot's own dicts (callers must not mutate them;
    # repositories build frozen dataclasses), no longer copies.
    async with engine.write(TEAM) as tx:
        tx.put("items", "2", {"title": "Ring Peter", "owners": [{"name": "Åsa"}]})
        tx.put("items", "1", {"title": "Boka lokal", "done": False})
    snap = await engine.read(TEAM)
    got = snap.get("items", "2")
    listed = snap.all("items")
    assert type(got) is dict and all(type(doc) is dict for doc in listed)
    assert listed == [{"title": "Ring Peter", "owners": [{"name": "Åsa"}]}, {"title": "Boka lokal", "done": False}]
    assert snap.get("items", "3") is None and snap.all("nothing") == []
    listed.append({"title": "extra"})  # the list is the caller's own
    assert len(snap.all("items")) == 2

    with PlainTinyDB(engine.path_of(TEAM), access_mode="r") as db:
        assert [dict(d) for d in db.table("items").all()] == snap.all("items")
        assert db.table("items").get(doc_id="2") == snap.get("items", "2")


class _Dying(BaseException):
    """Not an Exception: as when the process is being stopped in the middle of a commit."""


async def test_a_commit_dying_with_a_base_exception_reaches_its_writer(engine, monkeypatch):
    import storage.tinydb_engine as tinydb_engine

    def dying(path: Path, data: bytes, *, root: Path) -> None:
        raise _Dying

    monkeypatch.setattr(tinydb_engine, "atomic_write", dying)

    async def write() -> None:
        async with engine.write(TEAM) as tx:
            tx.put("t", "k", {"n": 1})

    with pytest.raises(_Dying):
        await asyncio.wait_for(write(), 10)  # never left waiting
    monkeypatch.undo()
    await write()  # the next write starts from what is durable
    assert (await engine.read(TEAM)).get("t", "k") == {"n": 1}
