"""Issue 18: a modified backup cannot run code, a live backup is one snapshot, numbers are never
reused after a restore, and a small archive holding a huge file is refused from its headers."""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import tarfile
import threading
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

import pytest
from botbuilder.dialogs import DialogInstance, DialogState, PromptOptions

from bot.ops import backup as backup_mod
from bot.ops.backup import MANIFEST, BackupError, read_backup, restore_backup, write_backup
from bot.teams.state import EngineBotStorage, bot_state_partition
from storage.actions_repo import ALL, Owner
from storage.meetings_repo import meeting_partition
from storage.store import Store
from storage.teams_repo import team_partition
from storage.tinydb_engine import TinyDBEngine, _encode, partition_relpath
from tests.harness import TEAM_ID
from tests.reliability.service import run_cli
from tests.reliability.test_backup import seed, snapshot

KEY = "k" * 40
MEETING = "2026-12-04"
AT = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
OWNER = Owner(kind=ALL, name="alla")
STATE_KEY = "msteams/conversations/a:personal-aad-1/users/29:1/"


async def seed_with_dialog(data_dir: Path) -> None:
    await seed(data_dir)
    engine = TinyDBEngine(data_dir)
    try:
        state = {"dialog_state": DialogState([DialogInstance(id="records.decision", state={"options": PromptOptions()})])}
        await EngineBotStorage(engine).write({STATE_KEY: state})
    finally:
        await engine.close()


def write_archive(path: Path, files: dict[str, bytes], manifest: dict) -> None:
    with tarfile.open(path, "w:gz") as tar:
        for name, content in [*((f"data/{rel}", c) for rel, c in files.items()), (MANIFEST, json.dumps(manifest).encode())]:
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))


def tamper(good: Path, bad: Path, rel: str, content: bytes) -> None:
    """What an attacker with write access to the backups does: change a file, recompute its checksum."""
    backup = read_backup(good, key=KEY.encode(), unsigned_ok=True)
    files = {**backup.files, rel: content}
    manifest = dict(backup.manifest)
    manifest["files"] = [
        {**e, "bytes": len(files[e["path"]]), "sha256": hashlib.sha256(files[e["path"]]).hexdigest()}
        for e in manifest["files"]
    ]
    write_archive(bad, files, manifest)


def py_reduce_state(marker: Path) -> bytes:
    name = bot_state_partition(STATE_KEY)
    payload = {"py/reduce": [{"py/function": "os.system"}, {"py/tuple": [f"touch {marker}"]}]}
    doc = {"key": STATE_KEY, "e_tag": None, "item": {"dialog_state": payload}}
    return _encode({"_meta": {"partition": {"name": name}}, "state": {"item": doc}})


# A modified backup -----------------------------------------------------------------------------------


@pytest.mark.parametrize("signed", [False, True])
async def test_backup_with_code_in_dialog_state_and_recomputed_checksum_is_refused(tmp_path: Path, signed: bool) -> None:
    source, target, marker = tmp_path / "source", tmp_path / "data", tmp_path / "code-ran"
    await seed_with_dialog(source)
    env = {"SKIS_BACKUP_KEY": KEY} if signed else {}
    assert run_cli("backup", "--out", str(tmp_path / "good.backup"), data_dir=source, **env).returncode == 0
    rel = str(partition_relpath(bot_state_partition(STATE_KEY)))
    tamper(tmp_path / "good.backup", tmp_path / "bad.backup", rel, py_reduce_state(marker))
    if signed:
        # Still signed, but the signature no longer matches what it covers.
        with tarfile.open(tmp_path / "bad.backup") as tar:
            assert "signature" in json.loads(tar.extractfile(MANIFEST).read())  # type: ignore[union-attr]

    result = run_cli("restore", str(tmp_path / "bad.backup"), data_dir=target, **env)
    assert result.returncode == 1, result.stdout
    if signed:
        assert "was modified after it was written" in result.stderr
    else:
        assert "cannot tell whether this backup was modified" in result.stderr  # the warning
        assert "dialog state this bot never writes" in result.stderr and "py/reduce" in result.stderr
    assert not marker.exists()
    assert snapshot(target) == {} if target.exists() else True


@pytest.mark.parametrize(
    ("rel", "content", "message"),
    [
        ("other/x.json", b'{"_meta":{"partition":{"name":"x"}}}\n', "which no data file of this bot holds"),
        ("global.json", b'{"_meta":{"partition":{"name":"global"}},"Bad Table":{}}\n', "tables no data file has"),
        ("global.json", b'{"_meta":{"partition":{"name":"global"},"more":{}}}\n', "more than the partition name"),
        ("global.json", b"[" * 100_000 + b"]" * 100_000, "nested deeper"),
    ],
)
async def test_restore_checks_every_file_against_the_schema(tmp_path: Path, rel: str, content: bytes, message: str) -> None:
    await seed(tmp_path / "source")
    await write_backup(tmp_path / "source", tmp_path / "good.backup")
    good = read_backup(tmp_path / "good.backup")
    files = {**good.files, rel: content}
    manifest = {**good.manifest, "files": [
        {"path": r, "bytes": len(c), "sha256": hashlib.sha256(c).hexdigest(), "partition": _name(c)} for r, c in files.items()
    ]}
    write_archive(tmp_path / "bad.backup", files, manifest)
    with pytest.raises(BackupError, match=message):
        restore_backup(tmp_path / "bad.backup", tmp_path / "data")
    assert not (tmp_path / "data").exists()


def _name(content: bytes) -> str:
    try:
        return json.loads(content)["_meta"]["partition"]["name"]
    except (ValueError, RecursionError, KeyError, TypeError):
        return "global"


async def test_signed_backups_restore_with_their_key_only(tmp_path: Path) -> None:
    source = tmp_path / "source"
    await seed_with_dialog(source)
    signed = run_cli("backup", "--out", str(tmp_path / "signed.backup"), data_dir=source, SKIS_BACKUP_KEY=KEY)
    assert signed.returncode == 0 and "signed" in signed.stdout and signed.stderr == ""
    unsigned = run_cli("backup", "--out", str(tmp_path / "unsigned.backup"), data_dir=source)
    assert unsigned.returncode == 0 and "not signed" in unsigned.stderr

    other = run_cli("restore", str(tmp_path / "signed.backup"), data_dir=tmp_path / "a", SKIS_BACKUP_KEY="o" * 40)
    assert other.returncode == 1 and "another SKIS_BACKUP_KEY" in other.stderr
    refused = run_cli("restore", str(tmp_path / "unsigned.backup"), data_dir=tmp_path / "b", SKIS_BACKUP_KEY=KEY)
    assert refused.returncode == 1 and "--unsigned" in refused.stderr
    assert not (tmp_path / "a").exists() or snapshot(tmp_path / "a") == {}
    assert not (tmp_path / "b").exists() or snapshot(tmp_path / "b") == {}

    ok = run_cli("restore", str(tmp_path / "signed.backup"), data_dir=tmp_path / "c", SKIS_BACKUP_KEY=KEY)
    assert ok.returncode == 0 and ok.stderr == "", ok.stderr
    forced = run_cli("restore", str(tmp_path / "unsigned.backup"), "--unsigned", data_dir=tmp_path / "d", SKIS_BACKUP_KEY=KEY)
    assert forced.returncode == 0, forced.stderr
    warned = run_cli("restore", str(tmp_path / "signed.backup"), data_dir=tmp_path / "e")
    assert warned.returncode == 0 and "cannot tell whether this backup was modified" in warned.stderr
    for restored in "cde":
        assert snapshot(tmp_path / restored) == snapshot(source)

    short = run_cli("backup", "--out", str(tmp_path / "x.backup"), data_dir=source, SKIS_BACKUP_KEY="short")
    assert short.returncode == 2 and "SKIS_BACKUP_KEY must be at least 32 characters" in short.stderr


# One snapshot while the service writes -------------------------------------------------------------


def decisions_unknown_to_the_counter(files: dict[str, bytes]) -> list[int]:
    team = json.loads(files[str(partition_relpath(team_partition(TEAM_ID)))])
    following = (team.get("counters", {}).get("decisions") or {}).get("next", 1)
    meeting = json.loads(files.get(str(partition_relpath(meeting_partition(TEAM_ID, MEETING))), b"{}"))
    return [d["number"] for d in meeting.get("decisions", {}).values()
            if d["number"] >= following or str(d["number"]) not in team.get("decision_index", {})]


def _wait_a_while_for(thread: threading.Thread, seconds: float) -> None:
    """Give ``thread`` up to ``seconds`` to finish. Polls with sleeps rather than
    ``join(timeout=…)``, whose timeout libfaketime ignores (tests.timeshift)."""
    deadline = time.monotonic() + seconds
    while thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.01)


async def test_a_backup_is_one_snapshot_while_decisions_are_recorded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data_dir = tmp_path / "data"
    await seed(data_dir)
    team_file = data_dir / partition_relpath(team_partition(TEAM_ID))
    engine = TinyDBEngine(data_dir)  # the running service, in another thread
    store = Store(engine)
    await store.decisions.record(TEAM_ID, MEETING, text="Första beslutet", recorded_by="aad-1", at=AT)
    recorded = threading.Event()

    def record() -> None:  # the service's own event loop, in its thread
        asyncio.run(store.decisions.record(TEAM_ID, MEETING, text="Beslut under backupen", recorded_by="aad-1", at=AT))
        recorded.set()

    real_files = backup_mod.data_files

    def files_with_a_decision_recorded_midway(root: Path):
        for path in real_files(root):
            yield path
            if path == team_file:
                # The team file has been read; the service records a decision before the
                # meeting file is read. It must wait until the backup has read every file.
                writer = threading.Thread(target=record)
                writer.start()
                _wait_a_while_for(writer, 1.0)
                threads.append(writer)

    threads: list[threading.Thread] = []
    with monkeypatch.context() as patch:
        patch.setattr(backup_mod, "data_files", files_with_a_decision_recorded_midway)
        try:
            await write_backup(data_dir, tmp_path / "live.backup")
            for writer in threads:
                writer.join(timeout=10)
            assert recorded.is_set()
        finally:
            await engine.close()
    files = read_backup(tmp_path / "live.backup").files
    assert decisions_unknown_to_the_counter(files) == []
    assert decisions_unknown_to_the_counter(snapshot(data_dir)) == []  # the decision itself was kept


async def test_numbers_are_not_reused_after_restoring_a_backup_with_an_unknown_decision(tmp_path: Path) -> None:
    """A backup written by the previous version while decisions were recorded, restored."""
    source = tmp_path / "source"
    await seed(source)
    engine = TinyDBEngine(source)
    try:
        store = Store(engine)
        for n in range(3):
            await store.decisions.record(TEAM_ID, MEETING, text=f"Beslut {n + 1}", recorded_by="aad-1", at=AT)
            await store.actions.create(TEAM_ID, title=f"Uppgift {n + 1}", owners=[OWNER], created_by="aad-1", created_at=AT)
    finally:
        await engine.close()
    await write_backup(source, tmp_path / "good.backup")
    good = read_backup(tmp_path / "good.backup")
    team_rel = str(partition_relpath(team_partition(TEAM_ID)))
    team = json.loads(good.files[team_rel])
    # As the team file was before decision 3 was numbered: counter at 3, no index entry for 3.
    team["counters"]["decisions"] = {"next": 3}
    del team["decision_index"]["3"]
    team["counters"]["action_items"] = {"next": 2}  # a counter behind its items
    files = {**good.files, team_rel: _encode(team)}
    manifest = {**good.manifest, "files": [
        {**e, "bytes": len(files[e["path"]]), "sha256": hashlib.sha256(files[e["path"]]).hexdigest()}
        for e in good.manifest["files"]
    ]}
    write_archive(tmp_path / "torn.backup", files, manifest)
    assert decisions_unknown_to_the_counter(read_backup(tmp_path / "torn.backup").files) == [3]

    restore_backup(tmp_path / "torn.backup", tmp_path / "data")
    assert decisions_unknown_to_the_counter(snapshot(tmp_path / "data")) == []
    engine = TinyDBEngine(tmp_path / "data")
    try:
        store = Store(engine)
        new = await store.decisions.record(TEAM_ID, MEETING, text="Nästa", recorded_by="aad-1", at=AT)
        assert new.number == 4
        assert sorted(d.number for d in await store.decisions.all(TEAM_ID)) == [1, 2, 3, 4]
        assert (await store.decisions.get(TEAM_ID, 3)).text == "Beslut 3"
        item = await store.actions.create(TEAM_ID, title="Nästa", owners=[OWNER], created_by="aad-1", created_at=AT)
        assert item.number == 4
    finally:
        await engine.close()


# A small archive holding a huge file ------------------------------------------------------------------


class _Zeros(io.RawIOBase):
    def __init__(self, size: int) -> None:
        self.left = size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        n = min(len(buffer), self.left)
        buffer[:n] = b"\0" * n
        self.left -= n
        return n


def test_restore_of_a_small_archive_with_a_huge_file_reads_nothing_of_it(tmp_path: Path) -> None:
    huge = 200 * 1024 * 1024
    bomb = tmp_path / "bomb.backup"
    with tarfile.open(bomb, "w:gz", compresslevel=1) as tar:
        info = tarfile.TarInfo("data/global.json")
        info.size = huge
        tar.addfile(info, io.BufferedReader(_Zeros(huge), 1024 * 1024))
    assert bomb.stat().st_size < 2 * 1024 * 1024

    tracemalloc.start()
    try:
        with pytest.raises(BackupError, match="larger than any file a backup holds"):
            restore_backup(bomb, tmp_path / "data")
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 16 * 1024 * 1024, peak
    assert not (tmp_path / "data").exists()

    result = run_cli("restore", str(bomb), data_dir=tmp_path / "data")
    assert result.returncode == 1 and "larger than any file a backup holds" in result.stderr


async def test_a_decision_number_in_the_meeting_is_not_given_out_again() -> None:
    from storage.engine import MemoryEngine

    engine = MemoryEngine()
    store = Store(engine)
    await store.decisions.record(TEAM_ID, MEETING, text="Ett", recorded_by="aad-1", at=AT)
    second = await store.decisions.record(TEAM_ID, MEETING, text="Två", recorded_by="aad-1", at=AT)
    async with engine.write(team_partition(TEAM_ID)) as tx:  # the team file as before decision 2
        tx.put("counters", "decisions", {"next": 2})
        tx.delete("decision_index", "2")
    third = await store.decisions.record(TEAM_ID, MEETING, text="Tre", recorded_by="aad-1", at=AT)
    assert (second.number, third.number) == (2, 3)
