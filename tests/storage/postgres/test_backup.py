"""``skis-bot backup`` and ``restore`` with ``SKIS_DATABASE_URL``: the same verified archive as a data
directory's, so a backup of either engine restores into either."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import pytest

from bot.ops.backup import data_files, read_backup
from storage.postgres.engine import PostgresEngine
from storage.store import Store
from storage.teams_repo import Team
from tests.bot.publishing import sample
from tests.reliability.service import Service
from tests.storage.postgres.cli import run
from tests.storage.postgres.test_migrate import AT, build_source, read_back, source_partitions

pytestmark = pytest.mark.postgres


async def _fill(url: str) -> None:
    engine = await PostgresEngine.open(url)
    try:
        await sample.fill(Store(engine))
    finally:
        await engine.close()


def test_a_database_backup_restores_into_an_empty_database_as_it_was(tmp_path: Path, pg_server, pg_url: str) -> None:
    asyncio.run(_fill(pg_url))
    before = asyncio.run(read_back(pg_url))
    out = tmp_path / "skis.backup"

    made = run("backup", "--out", str(out), url=pg_url)

    assert made.returncode == 0, made.stderr
    assert "verified" in made.stdout
    backup = read_backup(out, unsigned_ok=True)
    assert {json.loads(raw)["_meta"]["partition"]["name"] for raw in backup.files.values()} == set(before)
    other = pg_server.create_database()
    restored = run("restore", str(out), url=other)
    assert restored.returncode == 0, restored.stderr
    assert asyncio.run(read_back(other)) == before


def test_restore_into_a_database_with_records_needs_force_and_keeps_what_it_replaces(
    tmp_path: Path, pg_url: str
) -> None:
    asyncio.run(_fill(pg_url))
    out = tmp_path / "skis.backup"
    assert run("backup", "--out", str(out), url=pg_url).returncode == 0
    backed_up = asyncio.run(read_back(pg_url))

    async def change() -> None:
        engine = await PostgresEngine.open(pg_url)
        try:
            await Store(engine).teams.save_team(Team("19:later@thread.tacv2", "Senare", "team", None, {}, None, AT))
        finally:
            await engine.close()

    asyncio.run(change())
    changed = asyncio.run(read_back(pg_url))
    refused = run("restore", str(out), url=pg_url)
    assert refused.returncode == 1 and "--force" in refused.stderr
    assert asyncio.run(read_back(pg_url)) == changed  # nothing was touched

    forced = run("restore", str(out), "--force", url=pg_url)

    assert forced.returncode == 0, forced.stderr
    assert asyncio.run(read_back(pg_url)) == backed_up
    [kept] = tmp_path.glob("skis-bot-before-restore-*.tar.gz")
    assert str(kept) in forced.stdout
    kept_names = {json.loads(raw)["_meta"]["partition"]["name"] for raw in read_backup(kept, unsigned_ok=True).files.values()}
    assert kept_names == set(changed)


def test_a_data_directory_backup_restores_into_the_database(tmp_path: Path, pg_url: str) -> None:
    data_dir = tmp_path / "data"
    build_source(data_dir)
    out = tmp_path / "dir.backup"
    made = run("backup", "--out", str(out), "--data-dir", str(data_dir), url=pg_url)
    assert made.returncode == 0, made.stderr
    assert {p.name for p in data_files(data_dir)}  # a real directory
    restored = run("restore", str(out), url=pg_url)
    assert restored.returncode == 0, restored.stderr
    assert asyncio.run(read_back(pg_url)) == source_partitions(data_dir)


def test_restore_is_refused_while_an_instance_runs_on_the_database(tmp_path: Path, pg_url: str) -> None:
    asyncio.run(_fill(pg_url))
    out = tmp_path / "skis.backup"
    assert run("backup", "--out", str(out), url=pg_url).returncode == 0
    (tmp_path / "unused").mkdir()
    service = Service(tmp_path / "unused", env={"SKIS_DATABASE_URL": pg_url})
    service.start(timeout=60)
    try:
        deadline = time.monotonic() + 20
        while True:  # the instance takes the sender's lock as its scheduler starts
            refused = run("restore", str(out), "--force", url=pg_url)
            if refused.returncode == 1 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert refused.returncode == 1 and "stop every instance" in refused.stderr
        assert not list(tmp_path.glob("skis-bot-before-restore-*"))  # nothing was done
    finally:
        service.stop()
    assert run("restore", str(out), "--force", url=pg_url).returncode == 0
