"""bot/ops/command.py: the one way an operator command opens the data and writes its result."""

from __future__ import annotations

import argparse
import ast
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.config import Settings
from bot.ops.command import (
    CommandError,
    ServiceHoldsData,
    open_data,
    operator_command,
    pick_network,
    write_file,
    write_output,
)
from storage.files import DirLock
from storage.open import open_store
from storage.store import Store
from storage.team import Team

REPO = Path(__file__).resolve().parents[3]


def _settings(data_dir: Path) -> Settings:
    return Settings(data_dir=data_dir, dev=True)


async def _seeded(data_dir: Path) -> Path:
    store = open_store(data_dir)  # creates the directory and its files
    await store.close()
    return data_dir


async def test_a_missing_data_directory_is_named_and_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    with pytest.raises(CommandError, match="nowhere does not exist") as caught:
        await open_data(settings=_settings(missing), write=True)
    assert caught.value.code == 1 and not missing.exists()


async def test_create_lets_a_writing_command_start_an_empty_directory(tmp_path: Path) -> None:
    async with await open_data(settings=_settings(tmp_path / "new"), write=True, create=True) as data:
        assert await data.store.teams.all_teams() == []
    assert (tmp_path / "new").is_dir()


async def test_data_dir_option_wins_over_the_setting(tmp_path: Path) -> None:
    given = await _seeded(tmp_path / "given")
    args = argparse.Namespace(data_dir=str(given))
    async with await open_data(args, settings=_settings(tmp_path / "elsewhere")) as data:
        assert await data.store.teams.all_teams() == []
        assert data.now.tzinfo is not None


async def test_writing_is_refused_while_the_service_holds_the_data_reading_is_not(tmp_path: Path) -> None:
    data_dir = await _seeded(tmp_path / "data")
    service = DirLock(data_dir)
    service.acquire()
    try:
        with pytest.raises(ServiceHoldsData, match="Stop the service first.*Nothing was imported"):
            await open_data(settings=_settings(data_dir), write=True, busy="Nothing was imported.")
        async with await open_data(settings=_settings(data_dir)) as data:  # read-only takes no lock
            assert await data.store.teams.all_teams() == []
    finally:
        service.release()


async def test_a_command_error_becomes_one_line_and_the_exit_status(capsys: pytest.CaptureFixture[str]) -> None:
    @operator_command("skis-bot thing")
    async def cmd(args: argparse.Namespace) -> int:
        raise CommandError("it went wrong", 2)

    assert await cmd(argparse.Namespace()) == 2
    assert capsys.readouterr().err == "skis-bot thing: it went wrong\n"


def test_output_goes_to_a_file_whole_or_says_why_not(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    write_output(b"{}\n", str(target))
    assert target.read_bytes() == b"{}\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]  # no temp file left behind
    with pytest.raises(CommandError, match="cannot write"):
        write_output(b"x", str(tmp_path / "no" / "such" / "dir.json"))


def test_output_without_a_file_goes_to_standard_output(capfdbinary: pytest.CaptureFixture[bytes]) -> None:
    write_output(b"hej\n", "-")
    assert capfdbinary.readouterr().out == b"hej\n"


def test_write_file_sets_the_mode_asked_for(tmp_path: Path) -> None:
    target = tmp_path / "page.html"
    write_file(target, b"<p>", mode=0o644)
    assert target.stat().st_mode & 0o777 == 0o644


OPERATOR_MODULES = [
    "bot/ops/export.py", "bot/ops/backup.py", "bot/ops/privacy.py", "bot/ops/command.py",
    "bot/importing/cli.py", "bot/publishing/cli.py", "bot/reminders/cli.py",
]


@pytest.mark.parametrize("relpath", OPERATOR_MODULES)
def test_no_operator_command_reaches_back_into_the_entry_point(relpath: str) -> None:
    """load_settings lives in bot/config.py: nothing imports bot/cli.py (it closed the cycles
    app -> features -> privacy -> cli -> app and importing/cli -> cli), not even inside a function."""
    tree = ast.parse((REPO / relpath).read_text(encoding="utf-8"))
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert "bot.cli" not in imported


def test_the_entry_point_loads_no_bot_until_serve() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "import sys, bot.cli; assert not any(m.startswith(('bot.app', 'botbuilder')) for m in sys.modules)"],
        cwd=REPO, capture_output=True, text=True, env={"PYTHONPATH": str(REPO)},
    )
    assert result.returncode == 0, result.stderr


async def _network(store: Store, key: str, kind: str = "team", day: int = 1) -> None:
    await store.teams.save_team(Team(key=key, name=key, kind=kind, tenant_id=None, conversation_ref={}, installed_by=None,
                               installed_at=datetime(2026, 9, day, tzinfo=UTC)))


async def test_the_network_is_the_one_asked_for_or_the_only_one(tmp_path: Path) -> None:
    async with await open_data(settings=_settings(tmp_path), write=True, create=True) as data:
        with pytest.raises(CommandError, match="no network yet"):
            await pick_network(data.store, None)
        await _network(data.store, "19:a", day=2)
        await _network(data.store, "a:chat", kind="personal")
        assert (await pick_network(data.store, None)).key == "19:a"  # a 1:1 chat is not a network to choose
        assert (await pick_network(data.store, "a:chat", chats=True)).key == "a:chat"
        await _network(data.store, "19:b", day=3)
        with pytest.raises(CommandError, match=r"several networks; choose one with --team ID \(teams: 19:a, 19:b\)"):
            await pick_network(data.store, None)
        assert (await pick_network(data.store, "19:b")).key == "19:b"
        with pytest.raises(CommandError, match=r"no team with id '19:x' \(teams: 19:a, 19:b\)"):
            await pick_network(data.store, "19:x")
