"""`skis-bot reminders list|run`, standalone and through the running service's admin route."""

from __future__ import annotations

import asyncio
import os
import stat
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import aiohttp
import pytest

from bot.app import SERVICES_KEY
from bot.cli import main as cli_main
from bot.config import Settings
from bot.dev import activities
from bot.dev.fake_connector import FakeConnector
from bot.reminders.admin import ensure_token, remove_token, token_path
from storage.meetings_repo import Meeting
from storage.store import Store
from storage.teams_repo import Member, Team
from storage.tinydb_engine import TinyDBEngine
from tests.bot.reminders.conftest import STOCKHOLM
from tests.harness import ANNA, CHANNEL_ID, TEAM_ID, TENANT, Harness, start_harness

FRIDAY = datetime.combine(date(2026, 12, 4), time(9), tzinfo=STOCKHOLM).astimezone(UTC)


async def seed(data: Path, connector_url: str) -> None:
    """A network with one meeting, written through the real engine (the service is not running)."""
    engine = TinyDBEngine(data)
    try:
        store = Store(engine)
        ref = activities.conversation_ref(CHANNEL_ID, connector_url)
        await store.teams.save_team(Team(key=TEAM_ID, name="SKIS", kind="team", tenant_id=TENANT, conversation_ref=ref,
                                   installed_by=ANNA.aad, installed_at=datetime(2026, 9, 1, tzinfo=UTC)))
        await store.teams.save_member(TEAM_ID, Member(key=ANNA.aad, teams_id=ANNA.id, name=ANNA.name, municipality="Skövde",
                                                roles=frozenset({"medlem", "ordförande", "presidium"})))
        await store.meetings.save(Meeting(id="20261204", team_key=TEAM_ID, starts_at=FRIDAY, ends_at=FRIDAY + timedelta(hours=3),
                                    location="Skövde stadshus", created_at=datetime(2026, 9, 1, tzinfo=UTC)))
    finally:
        await engine.close()


@pytest.fixture
async def connector() -> FakeConnector:
    fake = FakeConnector()
    await fake.start()
    yield fake  # type: ignore[misc]
    await fake.stop()


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    data = tmp_path / "data"
    for name in ("MicrosoftAppId", "MicrosoftAppPassword", "SKIS_ADMIN_TOKEN", "PORT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SKIS_DATA_DIR", str(data))
    monkeypatch.setenv("SKIS_DEV", "1")
    return data


async def cli(*argv: str) -> int:
    # The command runs its own event loop (asyncio.run), so it gets a thread of its own.
    return await asyncio.to_thread(cli_main, list(argv))


# The token ------------------------------------------------------------------------------------------------
def test_generated_token_is_written_private_and_removed(tmp_path: Path) -> None:
    old = os.umask(0)  # even a permissive umask must not make the token readable by others
    try:
        token, path = ensure_token("", tmp_path)
    finally:
        os.umask(old)
    assert path == token_path(tmp_path) and path.read_text() == token and len(token) >= 40
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again, _ = ensure_token("", tmp_path)
    assert again != token and path.read_text() == again
    remove_token(path)
    assert not path.exists()
    assert ensure_token("configured", tmp_path) == ("configured", None)
    assert ensure_token("", None)[1] is None


# Standalone ----------------------------------------------------------------------------------------------
async def test_run_and_list_without_the_service(env: Path, connector: FakeConnector, capsys: pytest.CaptureFixture[str]) -> None:
    await seed(env, connector.url)
    assert await cli("reminders", "run", "--at", "2026-11-27T08:59") == 0
    assert connector.posted == []
    assert await cli("reminders", "run", "--at", "2026-11-27T09:00") == 0
    out = capsys.readouterr().out
    assert "sent" in out and "channel, week before" in out and "(the service is not running)" in out
    [card] = connector.cards(CHANNEL_ID)
    assert "Nätverksmöte fredag 4 december" in card["body"][0]["text"]
    # A second run sends nothing.
    assert await cli("reminders", "run", "--at", "2026-11-27T09:00") == 0
    assert "nothing was due" in capsys.readouterr().out
    assert len(connector.posted) == 1
    assert await cli("reminders", "list", "--at", "2026-11-27T10:00") == 0
    out = capsys.readouterr().out
    assert "SKIS (19:skis-team@thread.tacv2): reminders on" in out
    assert "2026-11-27 09:00  channel, week before" in out and "[sent]" in out
    assert "2026-12-01 08:00  presidium digest" in out and "Anna Gustafsson" in out
    assert "The service is not running." in out


async def test_bad_at_is_refused(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert await cli("reminders", "run", "--at", "fredag") == 2
    assert "--at must be an ISO date" in capsys.readouterr().err


async def test_standalone_send_refuses_without_credentials_outside_dev(env: Path, connector: FakeConnector,
                                                                      monkeypatch: pytest.MonkeyPatch,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    await seed(env, connector.url)
    monkeypatch.setenv("SKIS_DEV", "0")
    assert await cli("reminders", "run", "--at", "2026-11-27T09:00") == 2
    assert "refusing to send" in capsys.readouterr().err and connector.posted == []


# With the service running ----------------------------------------------------------------------------------
@pytest.fixture
async def running(env: Path, connector: FakeConnector) -> Harness:
    await seed(env, connector.url)
    h = await start_harness(engine=TinyDBEngine(env), connector=connector, settings=Settings(dev=True, data_dir=env),
                            now=datetime(2026, 11, 27, 12, tzinfo=UTC))
    yield h  # type: ignore[misc]
    await h.session.close()
    await h.runner.cleanup()
    await h.store.close()


def port_of(h: Harness) -> str:
    return h.base_url.rsplit(":", 1)[1]


async def test_run_through_the_running_service(running: Harness, env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert stat.S_IMODE(token_path(env).stat().st_mode) == 0o600
    assert await cli("reminders", "run", "--at", "2026-11-27T09:00", "--port", port_of(running)) == 0
    out = capsys.readouterr().out
    assert "sent by the running service" in out
    assert len(running.connector.cards(CHANNEL_ID)) == 1
    assert await cli("reminders", "run", "--at", "2026-11-27T09:00", "--port", port_of(running)) == 0
    assert len(running.connector.posted) == 1
    assert await cli("reminders", "list", "--port", port_of(running), "--json") == 0
    out = capsys.readouterr().out
    assert '"service": true' in out and '"status": "sent"' in out


async def test_running_service_without_readable_token(running: Harness, env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    token_path(env).unlink()
    assert await cli("reminders", "run", "--port", port_of(running)) == 1
    assert "admin token is not readable" in capsys.readouterr().err


async def test_running_service_on_another_port(running: Harness, capsys: pytest.CaptureFixture[str]) -> None:
    assert await cli("reminders", "list", "--port", "1") == 1
    assert "does not answer at 127.0.0.1:1" in capsys.readouterr().err


# The admin route itself ----------------------------------------------------------------------------------------
async def test_admin_route_needs_the_token_and_a_local_unproxied_caller(running: Harness) -> None:
    token = running.app[SERVICES_KEY].reminders.admin_token
    url = f"{running.base_url}/admin/reminders/run"
    good = {"Authorization": f"Bearer {token}"}
    async with aiohttp.ClientSession() as session:
        for headers, status in (
            ({}, 401),
            ({"Authorization": "Bearer nope"}, 401),
            ({**good, "X-Forwarded-For": "203.0.113.9"}, 403),
            ({**good, "Forwarded": "for=203.0.113.9"}, 403),
        ):
            async with session.post(url, json={"at": "2026-11-27T09:00"}, headers=headers) as resp:
                assert resp.status == status, headers
        async with session.post(url, json={"at": "not a time"}, headers=good) as resp:
            assert resp.status == 400
        async with session.post(url, json={"at": "2026-11-27T09:00+01:00"}, headers=good) as resp:
            assert resp.status == 200
            body = await resp.json()
            assert [r["kind"] for r in body["results"]] == ["meeting_week"]
        async with session.get(f"{running.base_url}/admin/reminders", params={"team": TEAM_ID}, headers=good) as resp:
            assert resp.status == 200
            body = await resp.json()
            assert body["teams"][0]["key"] == TEAM_ID and body["teams"][0]["sent"][0]["status"] == "sent"
    assert running.connector.posted and len(running.connector.posted) == 1


async def test_admin_route_on_a_harness_without_data_dir_uses_an_in_memory_token(harness: Harness) -> None:
    service = harness.app[SERVICES_KEY].reminders
    assert service.admin_token and service.token_path is None
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{harness.base_url}/admin/reminders", headers={"Authorization": f"Bearer {service.admin_token}"}) as resp:
            assert resp.status == 200


async def test_stopping_the_service_removes_the_token_file(env: Path, connector: FakeConnector) -> None:
    await seed(env, connector.url)
    h = await start_harness(engine=TinyDBEngine(env), connector=connector, settings=Settings(dev=True, data_dir=env))
    assert token_path(env).exists()
    await h.session.close()
    await h.runner.cleanup()
    await h.store.close()
    assert not token_path(env).exists()


