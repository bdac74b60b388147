"""Start-up refusals at the command line: a second service on the same data, damaged data files."""

from __future__ import annotations

import asyncio
import json
import urllib.request
from pathlib import Path

import pytest

from bot.dev.fake_connector import FakeConnector
from storage.teams_repo import team_partition
from storage.tinydb_engine import partition_relpath
from tests.harness import ANNA, TEAM_ID
from tests.reliability import activities as act
from tests.reliability.service import Service, post_json, run_cli
from tests.reliability.test_backup import seed, snapshot


def test_second_service_on_the_same_data_directory_refuses_to_start(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    first = Service(data_dir)
    first.start()
    try:
        second = run_cli("serve", data_dir=data_dir, timeout=30, PORT=str(first.port + 1 if first.port < 65000 else 40001))
        assert second.returncode == 1
        assert "another skis-bot process is already using" in second.stderr
        assert f"pid {first.proc.pid}" in second.stderr  # type: ignore[union-attr]
        # The first one never noticed.
        with urllib.request.urlopen(f"{first.url}/healthz", timeout=5) as resp:
            assert resp.status == 200
    finally:
        first.stop()
    # Once the first has stopped, the directory is free again.
    again = Service(data_dir)
    again.start()
    again.stop()


def test_a_busy_port_is_a_clear_message_not_a_traceback(tmp_path: Path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("serve", data_dir=tmp_path / "data", timeout=30, PORT=str(port))
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr and "PORT or --port" in result.stderr
    assert "Traceback" not in result.stderr
    # The data directory was let go: a service can start on it now.
    again = Service(tmp_path / "data")
    again.start()
    again.stop()


DAMAGE = {
    "truncated": lambda raw: raw[: len(raw) // 2],
    "empty": lambda raw: b"",
    "garbage": lambda raw: b"\x00\xff\xfe not json at all",
    "wrong_shape": lambda raw: b'["a list", "not a partition"]',
    "no_meta": lambda raw: json.dumps({"teams": {}}).encode(),
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
async def test_damaged_global_file_stops_start_up_untouched_and_points_to_restore(tmp_path: Path, damage: str) -> None:
    data_dir = tmp_path / "data"
    await seed(data_dir)
    path = data_dir / "global.json"
    path.write_bytes(DAMAGE[damage](path.read_bytes()))
    before = snapshot(data_dir)
    mtime = path.stat().st_mtime_ns

    result = run_cli("serve", data_dir=data_dir, timeout=30, PORT="1")
    assert result.returncode == 1
    assert "global.json" in result.stderr and "damaged" in result.stderr
    assert "skis-bot restore" in result.stderr
    assert snapshot(data_dir) == before and path.stat().st_mtime_ns == mtime


@pytest.mark.parametrize("damage", ["truncated", "garbage"])
async def test_damaged_team_file_is_never_overwritten_by_a_running_service(tmp_path: Path, damage: str) -> None:
    """Files other than global.json are checked when first used: the service runs, refuses to
    write over the damaged one, tells the person nothing was saved and logs how to restore."""
    data_dir = tmp_path / "data"
    await seed(data_dir)
    path = data_dir / partition_relpath(team_partition(TEAM_ID))
    path.write_bytes(DAMAGE[damage](path.read_bytes()))
    damaged = path.read_bytes()
    connector = FakeConnector()
    await connector.start()
    service = Service(data_dir)
    service.start()
    try:
        status, _ = await asyncio.to_thread(
            post_json, f"{service.url}/api/messages", act.message("hjälp", ANNA, connector.url, "m-1")
        )
        assert status == 200
        assert any("inget har ändrats" in t for t in connector.texts()), (connector.texts(), service.log())
    finally:
        service.stop()
        await connector.stop()
    assert path.read_bytes() == damaged
    log = service.log()
    assert "team.json is damaged" in log and "skis-bot restore" in log
