"""Backup while the service runs, restore with every check before anything is touched."""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import shutil
import tarfile
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest

from bot.dev.fake_connector import FakeConnector
from bot.ops import backup as backup_mod
from bot.ops.backup import BackupError, read_backup, restore_backup, write_backup
from storage.meetings_repo import Meeting
from storage.store import Store
from storage.teams_repo import team_partition
from storage.tinydb_engine import TinyDBEngine, partition_relpath
from tests.harness import ANNA, TEAM_ID
from tests.reliability import activities as act
from tests.reliability.service import SKIS_BOT, Service, cli_env, run_cli


def snapshot(data_dir: Path) -> dict[str, bytes]:
    """Every data file's bytes (what a restore must bring back)."""
    return {p.relative_to(data_dir).as_posix(): p.read_bytes() for p in backup_mod.data_files(data_dir)}


async def seed(data_dir: Path, members: int = 5) -> None:
    """A small data directory written through the real engine."""
    from storage.teams_repo import Member, Team

    engine = TinyDBEngine(data_dir)
    try:
        store = Store(engine)
        await store.teams.save_team(
            Team(key=TEAM_ID, name="SKIS", kind="team", tenant_id=None, conversation_ref={}, installed_by=None,
                 installed_at=datetime(2026, 1, 9, 8, 0, tzinfo=UTC))
        )
        await store.teams.save_members(TEAM_ID, [Member(key=f"aad-{i}", teams_id=f"29:{i}", name=f"Person {i}") for i in range(members)])
        async with engine.write(f"team/{TEAM_ID}/meeting/2026-12-04") as tx:
            tx.put("checkins", "aad-1", {"answer": "Åäö <b>fet</b> *stjärna* \u200b\u202e"})
    finally:
        await engine.close()


async def cli(*args: str, data_dir: Path) -> tuple[int, str, str]:
    """``skis-bot <args>`` without blocking the event loop (the fake connector lives on it)."""
    proc = await asyncio.create_subprocess_exec(
        str(SKIS_BOT), *args, env=cli_env(data_dir), stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await asyncio.wait_for(proc.communicate(), timeout=60)
    return proc.returncode or 0, out.decode(), err.decode()


async def export_json(data_dir: Path) -> dict:
    """``skis-bot export --format json``: every record, as the operator sees it (minus when it ran)."""
    code, out, err = await cli("export", "--format", "json", data_dir=data_dir)
    assert code == 0, err
    exported = json.loads(out)  # strict JSON
    exported.pop("exported_at", None)
    assert exported
    return exported


@pytest.fixture
async def connector() -> AsyncIterator[FakeConnector]:
    fake = FakeConnector()
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()


async def test_backup_while_serving_then_wipe_and_restore_round_trip(tmp_path: Path, connector: FakeConnector) -> None:
    data_dir = tmp_path / "data"
    engine = TinyDBEngine(data_dir)
    try:  # a meeting going on now, so decisions can be recorded
        now = datetime.now(UTC)
        await Store(engine).meetings.save(Meeting(id="live", team_key=TEAM_ID, starts_at=now - timedelta(hours=1),
                                                        ends_at=now + timedelta(hours=3)))
    finally:
        await engine.close()
    service = Service(data_dir)
    service.start()
    try:
        async with aiohttp.ClientSession() as session:
            url = f"{service.url}/api/messages"

            async def send(activity: dict) -> int:
                async with session.post(url, json=activity) as resp:
                    return resp.status

            connector.members[act.CHANNEL_ID] = [ANNA.account()]
            assert await send(act.team_install(ANNA, connector.url)) == 200
            for n in range(10):
                assert await send(act.message("hjälp", act.user(n), connector.url, f"m-{n}")) == 200

            # Writes keep coming while the backup runs.
            acknowledged: list[int] = []
            stop = asyncio.Event()

            async def writer() -> None:
                n = 100
                while not stop.is_set():
                    # Every other message records a decision: its number is counted in the team
                    # file before the decision is written to the meeting file.
                    text = f"beslut Beslut nummer {n}" if n % 2 else "hjälp"
                    if await send(act.message(text, act.user(n), connector.url, f"m-{n}")) == 200:
                        acknowledged.append(n)
                    n += 1

            task = asyncio.create_task(writer())
            await asyncio.sleep(0.2)
            acked_before = list(acknowledged)
            code, out, err = await cli("backup", "--out", str(tmp_path / "live.backup"), data_dir=data_dir)
            for n in range(3):  # more backups while decisions keep coming: each is one state
                more = await cli("backup", "--out", str(tmp_path / f"live-{n}.backup"), data_dir=data_dir)
                assert more[0] == 0, more[2]
            stop.set()
            await task
            assert code == 0, err
            assert "verified" in out
            assert len(acknowledged) > len(acked_before)  # the service really was writing meanwhile

            live = read_backup(tmp_path / "live.backup")
            team_doc = json.loads(live.files[str(partition_relpath(team_partition(TEAM_ID)))])
            for n in [*range(10), *acked_before]:
                assert act.user(n).aad in team_doc["members"], n
            decisions = 0
            for name in ["live.backup", *(f"live-{n}.backup" for n in range(3))]:
                files = read_backup(tmp_path / name).files
                team_doc = json.loads(files[str(partition_relpath(team_partition(TEAM_ID)))])
                following = team_doc["counters"]["decisions"]["next"]
                for rel, raw in files.items():
                    for decision in json.loads(raw).get("decisions", {}).values():
                        decisions += 1
                        assert decision["number"] < following and str(decision["number"]) in team_doc["decision_index"], rel
            assert decisions
    finally:
        service.stop()

    # With the service stopped: back up, wipe, restore, compare.
    before = snapshot(data_dir)
    export_before = await export_json(data_dir)
    code, _out, err = await cli("backup", "--out", str(tmp_path / "final.backup"), data_dir=data_dir)
    assert code == 0, err
    shutil.rmtree(data_dir)
    code, out, err = await cli("restore", str(tmp_path / "final.backup"), data_dir=data_dir)
    assert code == 0, err
    assert snapshot(data_dir) == before
    assert await export_json(data_dir) == export_before

    # The restored directory serves.
    service = Service(data_dir)
    service.start()
    service.stop()


async def test_backup_of_a_damaged_file_fails_naming_it(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    await seed(data_dir)
    damaged = data_dir / partition_relpath(team_partition(TEAM_ID))
    damaged.write_bytes(damaged.read_bytes()[:40])
    result = run_cli("backup", "--out", str(tmp_path / "b.backup"), data_dir=data_dir)
    assert result.returncode == 1
    assert "team.json" in result.stderr and "damaged" in result.stderr
    assert not (tmp_path / "b.backup").exists()
    assert not list(tmp_path.glob(".b.backup*"))  # noqa: ASYNC240 - nothing else runs on the loop here


async def test_backup_is_verified_after_writing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data_dir = tmp_path / "data"
    await seed(data_dir)
    real_add = backup_mod._add

    def flaky_add(tar: tarfile.TarFile, name: str, content: bytes) -> None:
        # What reaches the archive differs from what was checksummed (a bad disk, a bug).
        if name.endswith("team.json"):
            content = content.replace(b"Person", b"Persom")
        real_add(tar, name, content)

    monkeypatch.setattr(backup_mod, "_add", flaky_add)
    with pytest.raises(BackupError, match="checksum"):
        await write_backup(data_dir, tmp_path / "b.backup")
    assert not (tmp_path / "b.backup").exists()
    assert not list(tmp_path.glob(".b.backup*"))  # noqa: ASYNC240 - nothing else runs on the loop here


async def test_backup_file_is_private(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    await seed(data_dir)
    await write_backup(data_dir, tmp_path / "b.backup")
    assert (tmp_path / "b.backup").stat().st_mode & 0o077 == 0


async def test_restore_refuses_a_data_dir_with_data_unless_forced(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    await seed(data_dir, members=3)
    await write_backup(data_dir, tmp_path / "three.backup")
    await seed(data_dir, members=7)
    current = snapshot(data_dir)

    result = run_cli("restore", str(tmp_path / "three.backup"), data_dir=data_dir)
    assert result.returncode == 1
    assert "--force" in result.stderr and "nothing was changed" in result.stderr
    assert snapshot(data_dir) == current

    result = run_cli("restore", str(tmp_path / "three.backup"), "--force", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    assert snapshot(data_dir) == read_backup(tmp_path / "three.backup").files
    kept = [p for p in data_dir.iterdir() if p.name.startswith(".before-restore-")]
    assert len(kept) == 1 and snapshot(kept[0]) == current
    assert str(kept[0]) in result.stdout


async def test_restore_refuses_while_the_service_holds_the_directory(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    await seed(data_dir)
    await write_backup(data_dir, tmp_path / "b.backup")
    current = snapshot(data_dir)
    engine = TinyDBEngine(data_dir)  # holds the lock exactly as `skis-bot serve` does
    try:
        result = run_cli("restore", str(tmp_path / "b.backup"), "--force", data_dir=data_dir)
    finally:
        await engine.close()
    assert result.returncode == 1
    assert "another skis-bot process" in result.stderr and "Stop the service" in result.stderr
    assert snapshot(data_dir) == current
    assert not [p for p in data_dir.iterdir() if p.name.startswith((".before-restore-", ".restore-"))]


def _rewrite(src: Path, dst: Path, change: dict[str, bytes | None], *, keep_manifest: bool = True) -> None:
    """Copy a backup archive, replacing (or dropping, None) members but keeping the old manifest."""
    with tarfile.open(src, "r:gz") as tin, tarfile.open(dst, "w:gz") as tout:
        for member in tin:
            data = tin.extractfile(member).read()  # type: ignore[union-attr]
            if member.name in change:
                if change[member.name] is None:
                    continue
                data = change[member.name]  # type: ignore[assignment]
            info = tarfile.TarInfo(member.name)
            info.size = len(data)
            tout.addfile(info, io.BytesIO(data))
        for name, data in change.items():
            if data is not None and name not in tin.getnames():
                info = tarfile.TarInfo(name)
                info.size = len(data)
                tout.addfile(info, io.BytesIO(data))


@pytest.mark.parametrize(
    "damage",
    ["flipped_byte", "truncated_archive", "missing_file", "extra_file", "path_traversal", "not_a_backup", "empty_file", "manifest_missing"],
)
async def test_restore_checks_everything_before_touching_anything(tmp_path: Path, damage: str) -> None:
    source = tmp_path / "source"
    await seed(source)
    good = tmp_path / "good.backup"
    await write_backup(source, good)
    team_member = "data/" + str(partition_relpath(team_partition(TEAM_ID)))
    bad = tmp_path / "bad.backup"
    if damage == "flipped_byte":
        content = read_backup(good).files[team_member[5:]]
        _rewrite(good, bad, {team_member: content.replace(b"Person 1", b"Person 9")})
    elif damage == "truncated_archive":
        bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    elif damage == "missing_file":
        _rewrite(good, bad, {team_member: None})
    elif damage == "extra_file":
        _rewrite(good, bad, {"data/other/x.json": b'{"_meta":{"partition":{"name":"x"}}}'})
    elif damage == "path_traversal":
        _rewrite(good, bad, {"data/../../escaped.json": b"{}"})
    elif damage == "not_a_backup":
        bad.write_bytes(b"just some text, not an archive\n")
    elif damage == "empty_file":
        bad.write_bytes(b"")
    else:
        _rewrite(good, bad, {"manifest.json": None})

    target = tmp_path / "data"
    await seed(target, members=2)
    current = snapshot(target)
    result = run_cli("restore", str(bad), "--force", data_dir=target)
    assert result.returncode == 1, result.stdout
    assert "skis-bot restore:" in result.stderr
    assert snapshot(target) == current
    assert not [p for p in target.iterdir() if p.name.startswith((".before-restore-", ".restore-"))]
    assert not (tmp_path / "escaped.json").exists()


async def test_restore_into_a_missing_directory(tmp_path: Path) -> None:
    source = tmp_path / "source"
    await seed(source)
    await write_backup(source, tmp_path / "b.backup")
    assert restore_backup(tmp_path / "b.backup", tmp_path / "new" / "data") is None
    assert snapshot(tmp_path / "new" / "data") == snapshot(source)
    manifest = read_backup(tmp_path / "b.backup").manifest
    for entry in manifest["files"]:
        content = (source / entry["path"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(content).hexdigest()
