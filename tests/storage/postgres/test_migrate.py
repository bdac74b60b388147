"""``skis-bot migrate --from-data-dir DIR`` into the real server: everything arrives, once, as it was."""

from __future__ import annotations

import asyncio
import json
import os
import pty
import subprocess
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.cli import main
from bot.ops.backup import data_files
from bot.ops.migrate import hold_source
from bot.teams.state import EngineBotStorage
from storage.actions_repo import ALL, DONE, Owner
from storage.engine import DataDirLockedError, Doc
from storage.meetings_repo import Meeting
from storage.postgres import migrations
from storage.postgres.engine import PostgresEngine
from storage.store import Store
from storage.teams_repo import Team, team_partition
from storage.tinydb_engine import TinyDBEngine
from tests.bot.publishing import sample
from tests.storage.postgres.cli import REPO, cli_env, command, run

pytestmark = pytest.mark.postgres

OTHER = "19:other-network@thread.tacv2"
STATE_KEY = "msteams/conversations/a:personal-aad-1/users/29:1/"
AT = datetime(2026, 9, 4, 9, 0, tzinfo=UTC)


def build_source(data_dir: Path) -> None:
    """Two networks written through the repositories: meetings, attendance, check-ins, action items,
    decisions, minutes in every state, and a person's dialog state."""
    asyncio.run(_build_source(data_dir))


async def _build_source(data_dir: Path) -> None:
    with TinyDBEngine(data_dir) as engine:
        store = Store(engine)
        await sample.fill(store)
        owners = [Owner(kind=ALL, name="alla")]
        first = await store.actions.create(sample.TEAM, title="Boka lokal", owners=owners, created_by=sample.ANNA,
                                           created_at=AT, meeting_id=sample.CONFIRMED, due=date(2026, 10, 1))
        await store.actions.create(sample.TEAM, title="Skicka inbjudan", owners=owners, created_by=sample.SOFIA,
                                   created_at=AT)
        await store.actions.set_status(first, DONE, by=sample.ANNA, at=AT + timedelta(days=1))
        await store.decisions.record(sample.TEAM, sample.DRAFT, text="Nästa möte i Skövde.",
                                     recorded_by=sample.ANNA, at=AT)
        await store.teams.save_team(Team(OTHER, "Andra nätverket", "team", None, {}, None, AT))
        await store.meetings.save(Meeting("20261204", OTHER, AT, AT + timedelta(hours=2), "Mariestad", ("Start",)))
        await store.checkins.save_answer(OTHER, "20261204", "aad-x", question="Hur mår du?",
                                         answer="Bra 😀\u0000", at=AT)
        await EngineBotStorage(engine).write({STATE_KEY: {"dialog_state": {"n": 1, "text": "Åäö"}}})


def source_partitions(data_dir: Path) -> dict[str, dict[str, dict[str, Doc]]]:
    """Every partition as its file holds it (read here without the engine), empty tables left out."""
    found = {}
    for path in data_files(data_dir):
        data = json.loads(path.read_bytes())
        name = data.pop("_meta")["partition"]["name"]
        found[name] = {table: docs for table, docs in data.items() if docs}
    return found


async def read_back(url: str) -> dict[str, dict[str, dict[str, Doc]]]:
    engine = await PostgresEngine.open(url, migrate=False)
    try:
        return {name: (await engine.read(name)).tables() for name in await engine.partition_names()}
    finally:
        await engine.close()


def test_every_partition_and_document_arrives_as_it_was_and_numbering_continues(tmp_path: Path, pg_url: str) -> None:
    data_dir = tmp_path / "data"
    build_source(data_dir)
    before = {p: p.read_bytes() for p in data_files(data_dir)}
    expected = source_partitions(data_dir)
    assert asyncio.run(migrations.status(pg_url)).current == 0  # an empty database: migrate creates the schema

    result = run("migrate", "--from-data-dir", str(data_dir), url=pg_url)

    assert result.returncode == 0, result.stderr
    # Not a terminal: one summary line, no progress.
    assert result.stdout.count("\n") == 1 and "\r" not in result.stdout
    documents = sum(len(docs) for tables in expected.values() for docs in tables.values())
    assert f": 2 networks, {len(expected)} partitions, {documents} records, verified." in result.stdout
    migrated = asyncio.run(read_back(pg_url))
    assert migrated == expected
    assert any(name.startswith("botstate/") for name in migrated)  # dialog state moved too
    # The counters are documents: the next action item and decision get the numbers they would have.
    counters = migrated[team_partition(sample.TEAM)]["counters"]
    assert counters["action_items"] == {"next": 3} and counters["decisions"] == {"next": 3}
    assert sorted(int(n) for n in migrated[team_partition(sample.TEAM)]["decision_index"]) == [1, 2]
    assert {p: p.read_bytes() for p in data_files(data_dir)} == before  # the source is only read
    assert asyncio.run(migrations.status(pg_url)).pending == ()


def _export(env_extra: dict[str, str], team: str) -> dict[str, object]:
    env = {**cli_env(None), "SKIS_DEV": "1", **env_extra}
    result = subprocess.run(command("export", "--format", "json", "--team", team), env=env, cwd=REPO,
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    document.pop("exported_at")
    return document


def test_the_json_export_is_the_same_before_and_after_the_migration(tmp_path: Path, pg_url: str) -> None:
    data_dir = tmp_path / "data"
    build_source(data_dir)
    before = {team: _export({"SKIS_DATA_DIR": str(data_dir)}, team) for team in (sample.TEAM, OTHER)}
    assert run("migrate", "--from-data-dir", str(data_dir), url=pg_url).returncode == 0
    # From the database (SKIS_DATA_DIR points at an empty directory: it must not be what is read).
    empty = tmp_path / "elsewhere"
    empty.mkdir()
    after = {team: _export({"SKIS_DATA_DIR": str(empty), "SKIS_DATABASE_URL": pg_url}, team) for team in (sample.TEAM, OTHER)}
    assert after == before
    assert before[sample.TEAM] != before[OTHER]  # two real networks, not two empty documents


def test_a_database_that_already_holds_records_is_refused_and_left_alone(tmp_path: Path, pg_url: str) -> None:
    data_dir = tmp_path / "data"
    build_source(data_dir)
    assert run("migrate", "--from-data-dir", str(data_dir), url=pg_url).returncode == 0
    migrated = asyncio.run(read_back(pg_url))
    with TinyDBEngine(data_dir) as engine:  # the source changes; a second migrate must not merge it in
        asyncio.run(Store(engine).teams.save_team(Team("19:third@thread.tacv2", "Tredje", "team", None, {}, None, AT)))

    again = run("migrate", "--from-data-dir", str(data_dir), url=pg_url)

    assert again.returncode == 1 and again.stdout == ""
    assert "already holds records" in again.stderr and "never merges" in again.stderr
    assert asyncio.run(read_back(pg_url)) == migrated


def migrate_in_process(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], url: str,
                       data_dir: Path) -> tuple[int, str, str]:
    """``skis-bot migrate`` in this process (the refusals; the migrations themselves run as a subprocess)."""
    monkeypatch.setenv("SKIS_DATABASE_URL", url)
    code = main(["migrate", "--from-data-dir", str(data_dir)])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_data_directory_a_service_holds_is_refused_and_nothing_is_created(
        tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    data_dir = tmp_path / "data"
    build_source(data_dir)
    with TinyDBEngine(data_dir):  # what `skis-bot serve` holds while it runs (flock: also within one process)
        code, out, err = migrate_in_process(monkeypatch, capsys, pg_url, data_dir)
    assert code == 1 and out == ""
    assert f"a skis-bot process is using {data_dir} (pid {os.getpid()})" in err and "stop the service first" in err
    assert asyncio.run(migrations.status(pg_url)).current == 0  # not even the schema


def test_a_damaged_file_stops_the_migration_before_anything_is_written(
        tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    data_dir = tmp_path / "data"
    build_source(data_dir)
    meeting_file = next(p for p in data_files(data_dir) if p.parent.name == "meetings")
    meeting_file.write_bytes(meeting_file.read_bytes()[:50])
    code, _out, err = migrate_in_process(monkeypatch, capsys, pg_url, data_dir)
    assert code == 1
    assert "damaged" in err and str(meeting_file) in err and "nothing was copied" in err
    assert asyncio.run(migrations.status(pg_url)).current == 0  # checked before the database is touched


@pytest.mark.parametrize("source", ["missing", "empty"])
def test_no_data_to_migrate_is_said_plainly(tmp_path: Path, pg_url: str, source: str, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    data_dir = tmp_path / "data"
    if source == "empty":
        data_dir.mkdir()
    code, out, err = migrate_in_process(monkeypatch, capsys, pg_url, data_dir)
    assert code == 1 and out == "" and err.count("\n") == 1
    assert ("is not a directory" if source == "missing" else "holds no skis-bot data") in err


def test_without_a_database_url_nothing_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("SKIS_DATABASE_URL", raising=False)
    assert main(["migrate", "--from-data-dir", str(tmp_path)]) == 2
    assert capsys.readouterr().err == (
        "skis-bot migrate: SKIS_DATABASE_URL is not set; set it to postgresql://user:password@host:5432/dbname\n")


def test_on_a_terminal_it_shows_networks_and_records_moved(tmp_path: Path, pg_url: str) -> None:
    data_dir = tmp_path / "data"
    build_source(data_dir)
    primary, secondary = pty.openpty()
    proc = subprocess.Popen(command("migrate", "--from-data-dir", str(data_dir)), env=cli_env(pg_url), cwd=REPO,
                            stdin=subprocess.DEVNULL, stdout=secondary, stderr=subprocess.PIPE)
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(primary, 4096)
        except OSError:  # EIO: the program has exited and closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(primary)
    assert proc.wait(timeout=60) == 0, proc.stderr.read() if proc.stderr else ""
    screen = b"".join(chunks).decode()
    total = len(source_partitions(data_dir))
    assert "\rmoving: 2/2 networks, " in screen and f"({total}/{total} partitions)" in screen
    assert screen.rstrip().splitlines()[-1].startswith(f"Migrated {data_dir} into skis@127.0.0.1:")


def test_while_migrate_holds_the_directory_no_service_can_start_on_it(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    build_source(data_dir)
    with hold_source(data_dir), pytest.raises(DataDirLockedError):
        TinyDBEngine(data_dir)  # what `skis-bot serve` and `restore` open
    TinyDBEngine(data_dir).close_now()  # released afterwards
    never_served = tmp_path / "copy"
    never_served.mkdir()
    with hold_source(never_served):
        pass
    assert list(never_served.iterdir()) == []  # the source is only read: no lock file is created
