"""TinyDBEngine specifics: file layout, atomic writes, locking, damage, laziness, crashes."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
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


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def engine(data_dir: Path):
    eng = TinyDBEngine(data_dir)
    yield eng
    eng.close()


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


def test_file_is_a_tinydb_database_holding_its_name(engine, data_dir):
    with engine.partition(TEAM).write() as tx:
        tx.put("members", "29:u1", {"name": "Åsa"})
    path = data_dir / partition_relpath(TEAM)
    raw = json.loads(path.read_text("utf-8"))
    assert raw["_meta"] == {"partition": {"name": TEAM}}
    assert "Åsa" in path.read_text("utf-8")  # readable, not \u-escaped

    class StrTable(Table):
        document_id_class = str

    class PlainTinyDB(TinyDB):
        table_class = StrTable

    with PlainTinyDB(path, access_mode="r") as db:
        assert db.table("members").get(doc_id="29:u1") == {"name": "Åsa"}


def test_meta_table_is_reserved(engine):
    part = engine.partition("global")
    with pytest.raises(ValueError), part.write() as tx:
        tx.put("_meta", "partition", {"name": "evil"})
    with pytest.raises(ValueError):
        part.get("_meta", "partition")


# Atomic, durable writes


def test_one_transaction_is_one_file_write(engine, monkeypatch):
    part = engine.partition(TEAM)
    with part.write() as tx:  # first write also creates the directories
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
    with part.write() as tx:
        for i in range(50):
            tx.put("a", str(i), {"i": i})
            tx.put("b", str(i), {"i": i})
    assert calls == ["fsync", "replace", "fsync"]  # file, rename, directory


@pytest.mark.parametrize("how", FAILURES)
def test_failed_write_keeps_old_file_bytes_and_leaves_no_temp(engine, data_dir, monkeypatch, how):
    part = engine.partition(TEAM)
    with part.write() as tx:
        tx.put("members", "u1", {"v": 1})
    path = data_dir / partition_relpath(TEAM)
    before = path.read_bytes()
    with monkeypatch.context() as broken:
        break_disk(broken, how)
        with pytest.raises(StorageError, match="nothing was changed"), part.write() as tx:
            tx.put("members", "u1", {"v": 2})
    assert path.read_bytes() == before
    assert part.get("members", "u1") == {"v": 1}
    assert [p.name for p in path.parent.iterdir()] == ["team.json"]


@pytest.mark.parametrize("how", FAILURES)
def test_failed_first_write_creates_no_partition(engine, data_dir, monkeypatch, how):
    with monkeypatch.context() as broken:
        break_disk(broken, how)
        with pytest.raises(StorageError), engine.partition("global").write() as tx:
            tx.put("t", "k", {})
    assert sorted(p.name for p in data_dir.iterdir()) == [".lock", ".snapshot-lock"]
    assert engine.partition_names() == []


def test_threads_committing_to_one_partition_lose_nothing(engine):
    part = engine.partition(TEAM)

    def worker(w: int) -> None:
        for i in range(25):
            with part.write() as tx:
                tx.put("items", f"{w}-{i}", {"w": w, "i": i})

    threads = [threading.Thread(target=worker, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(part.all("items")) == 100
    engine.close()
    with TinyDBEngine(engine.data_dir) as again:
        assert len(again.partition(TEAM).all("items")) == 100


# Laziness and startup


def test_open_is_lazy_and_fast_with_many_partitions(data_dir):
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
    with TinyDBEngine(data_dir) as eng:
        opened = time.perf_counter() - started
        assert opened < 1.0, opened
        assert sorted(eng._partitions) == ["global"]
        assert eng.partition_names("team/") == sorted(names)
        assert sorted(eng._partitions) == ["global"]
        part = eng.partition(names[5])
        assert not part.loaded
        assert part.get("agenda", "a") is not None
        assert part.loaded


def test_partition_names_sees_new_partitions_after_first_listing(engine):
    assert engine.partition_names() == []
    with engine.partition(TEAM).write() as tx:
        tx.put("t", "k", {})
    assert engine.partition_names() == [TEAM]


def test_stale_temps_are_removed_at_open_but_not_read_only(data_dir):
    write_raw(data_dir, TEAM, {"t": {}})
    write_raw(data_dir, "global", {"t": {}})
    team_dir = (data_dir / partition_relpath(TEAM)).parent
    stale = [team_dir / ".team.json.0a1b2c3d4e5f.tmp", data_dir / ".global.json.old.0a1b2c3d4e5f.tmp"]
    for p in stale:
        p.write_bytes(b'{"half')
    with TinyDBEngine(data_dir, read_only=True) as ro:
        assert ro.partition_names() == sorted(["global", TEAM])
    assert all(p.exists() for p in stale)
    with TinyDBEngine(data_dir) as eng:
        assert not any(p.exists() for p in stale)
        assert eng.partition_names() == sorted(["global", TEAM])
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
def test_damaged_file_is_reported_and_never_overwritten(engine, data_dir, damage):
    with engine.partition(TEAM).write() as tx:
        tx.put("members", "u1", {"v": 1})
    engine.close()
    path = data_dir / partition_relpath(TEAM)
    bad = DAMAGE[damage](path.read_bytes())
    path.write_bytes(bad)

    with TinyDBEngine(data_dir) as eng:  # lazy: opening still works
        part = eng.partition(TEAM)
        with pytest.raises(CorruptDataError) as err:
            part.get("members", "u1")
        assert str(path) in str(err.value) and "skis-bot restore" in str(err.value)
        with pytest.raises(CorruptDataError), part.write() as tx:
            tx.put("members", "u2", {"v": 2})
        problems = eng.verify_all()
        assert len(problems) == 1 and problems[0].startswith(str(path))
        assert eng.check() is True  # global is fine; only this team is damaged
    assert path.read_bytes() == bad


def test_damaged_global_stops_startup_and_releases_the_lock(data_dir):
    path = write_raw(data_dir, "global", {"teams": {"t": {"name": "SKIS"}}})
    good = path.read_bytes()
    path.write_bytes(good[:-10])
    with pytest.raises(CorruptDataError, match="global.json"):
        TinyDBEngine(data_dir)
    with pytest.raises(CorruptDataError):
        TinyDBEngine(data_dir, read_only=True)
    assert path.read_bytes() == good[:-10]
    path.write_bytes(good)  # "restored from backup"
    with TinyDBEngine(data_dir) as eng:
        assert eng.partition("global").get("teams", "t") == {"name": "SKIS"}


def test_verify_all_clean(engine):
    with engine.partition(TEAM).write() as tx:
        tx.put("t", "k", {})
    with engine.partition("global").write() as tx:
        tx.put("t", "k", {})
    assert engine.verify_all() == []


# Locking and read-only access


def test_second_engine_in_same_process_is_refused(engine, data_dir):
    with pytest.raises(DataDirLockedError, match="another skis-bot process is already using") as err:
        TinyDBEngine(data_dir)
    assert str(data_dir) in str(err.value)
    engine.close()
    TinyDBEngine(data_dir).close()


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


def test_second_process_is_refused(engine, data_dir):
    child = run_child(LOCK_CHILD, str(data_dir))
    assert child.returncode == 3, child.stderr
    assert f"already using {data_dir}" in child.stdout
    assert f"pid {os.getpid()}" in child.stdout
    engine.close()
    child = run_child(LOCK_CHILD, str(data_dir))
    assert child.returncode == 0 and "opened" in child.stdout, child.stderr


def test_read_only_next_to_a_running_writer(engine, data_dir):
    with engine.partition(TEAM).write() as tx:
        tx.put("members", "u1", {"v": 1})
    before = files_snapshot(data_dir)
    with TinyDBEngine(data_dir, read_only=True) as ro:
        snapshot = ro.partition(TEAM)
        assert snapshot.get("members", "u1") == {"v": 1}
        with pytest.raises(StorageError, match="read-only"), snapshot.write() as tx:
            tx.put("members", "u2", {})
        assert ro.check() is True
        assert ro.verify_all() == []
        assert files_snapshot(data_dir) == before

        with engine.partition(TEAM).write() as tx:
            tx.put("members", "u1", {"v": 2})
        with engine.partition("global").write() as tx:
            tx.put("t", "k", {})
        assert snapshot.get("members", "u1") == {"v": 1}  # a snapshot stays consistent
        assert ro.partition(TEAM).get("members", "u1") == {"v": 2}  # a fresh one sees the commit
        assert ro.partition_names() == sorted(["global", TEAM])


def test_read_only_on_missing_dir_fails_clearly(tmp_path):
    with pytest.raises(StorageError, match="does not exist"):
        TinyDBEngine(tmp_path / "nope", read_only=True)
    assert not (tmp_path / "nope").exists()


def test_check_and_close(engine, data_dir):
    assert engine.check() is True
    assert not [p for p in data_dir.iterdir() if p.name not in (".lock", ".snapshot-lock")]  # the probe cleans up
    engine.close()
    assert engine.check() is False
    with pytest.raises(StorageError, match="closed"):
        engine.partition("global")
    engine.close()  # idempotent


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_check_false_when_dir_not_writable(engine, data_dir):
    data_dir.chmod(0o500)
    try:
        assert engine.check() is False
    finally:
        data_dir.chmod(0o700)


# Crashes

CRASH_CHILD = """
import sys
from pathlib import Path
from storage.tinydb_engine import TinyDBEngine
engine = TinyDBEngine(Path(sys.argv[1]))
i = int(sys.argv[2])
print("ready", flush=True)
while True:
    name = "global" if i % 5 == 0 else f"team/19:t{i % 3}@thread.tacv2"
    with engine.partition(name).write() as tx:
        tx.put("items", f"k{i}", {"i": i, "pad": "å" * (i % 300)})
        tx.put("last", "last", {"i": i})
    print(f"{name}\\t{i}", flush=True)
    i += 1
"""


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_sigkill_at_random_moments_loses_no_reported_commit(data_dir):
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    committed: list[tuple[str, int]] = []
    for round_ in range(30):
        child = subprocess.Popen(
            [sys.executable, "-c", CRASH_CHILD, str(data_dir), str((round_ + 1) * 100_000)],
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
        with TinyDBEngine(data_dir) as eng:
            missing = [(n, i) for n, i in committed if eng.partition(n).get("items", f"k{i}") is None]
            assert missing == [], f"seed {seed}, round {round_}"
            assert eng.verify_all() == [], f"seed {seed}"
            assert not list(data_dir.rglob("*.tmp"))
    assert len(committed) > 100


def test_reads_are_plain_shallow_copies_of_the_stored_docs(engine):
    part = engine.partition(TEAM)
    with part.write() as tx:
        tx.put("items", "2", {"title": "Ring Peter", "owners": [{"name": "Åsa"}]})
        tx.put("items", "1", {"title": "Boka lokal", "done": False})
    got = part.get("items", "2")
    listed = part.all("items")
    assert type(got) is dict and all(type(doc) is dict for doc in listed)
    assert listed == [{"title": "Ring Peter", "owners": [{"name": "Åsa"}]}, {"title": "Boka lokal", "done": False}]
    assert part.get("items", "3") is None and part.all("nothing") == []
    got["title"] = "ändrad"
    listed[1]["done"] = True
    assert part.get("items", "2")["title"] == "Ring Peter" and part.all("items")[1]["done"] is False

    class StrTable(Table):
        document_id_class = str

    class PlainTinyDB(TinyDB):
        table_class = StrTable

    with PlainTinyDB(part.path, access_mode="r") as db:
        assert [dict(d) for d in db.table("items").all()] == part.all("items")
        assert db.table("items").get(doc_id="2") == part.get("items", "2")
