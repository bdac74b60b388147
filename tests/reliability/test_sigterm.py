"""The longest message Teams can send keeps nobody waiting, and SIGTERM always stops the service.

A real `skis-bot serve` gets messages of about 28 KB built to be as hard as possible for the
parsers ("uppgift till till till …", digits, dates, mentions) from several people at once. While
they are answered, /healthz must answer promptly (one busy turn must not stall the event loop
for everyone), and a SIGTERM sent in the middle must stop the process within a few seconds.
The bounds are generous (a busy CI machine), far below the 17 s one such message took before.
"""

from __future__ import annotations

import asyncio
import signal
import threading
import time
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import pytest

from bot.dev.fake_connector import FakeConnector
from storage.meetings_repo import Meeting
from storage.store import Store
from storage.teams_repo import Team
from storage.tinydb_engine import TinyDBEngine
from tests.harness import ANNA, CHANNEL_ID, TEAM_ID, TENANT
from tests.reliability import activities as act
from tests.reliability.conftest import opened
from tests.reliability.service import Service, post_json

TEAMS_MESSAGE = 28_000  # bytes: about the largest message Teams sends
T = TypeVar("T")
HARD = [
    "uppgift " + "till " * (TEAMS_MESSAGE // 5),
    "nytt möte " + "fredag 4 december kl 9 " * (TEAMS_MESSAGE // 23),
    "närvarande " + "Anna Gustafsson Götene, " * (TEAMS_MESSAGE // 24),
    "uppgift X " + "@Anna " * (TEAMS_MESSAGE // 6),
    "flytta möte " + "1" * TEAMS_MESSAGE,
]


async def _seed(data_dir: Path) -> None:
    now = datetime.now(UTC)
    async with opened(TinyDBEngine(data_dir)) as engine:
        store = Store(engine)
        ref = {"channelId": "msteams", "conversation": {"id": CHANNEL_ID, "tenantId": TENANT}, "bot": {"id": act.BOT_ID}}
        await store.teams.save_team(Team(key=TEAM_ID, name="SKIS", kind="team", tenant_id=TENANT, conversation_ref=ref,
                                         installed_by=ANNA.aad, installed_at=now))
        await store.meetings.save(Meeting(id="sigterm", team_key=TEAM_ID, starts_at=now + timedelta(days=3),
                                          ends_at=now + timedelta(days=3, hours=3)))


def _health_time(url: str) -> float:
    started = time.monotonic()
    with urllib.request.urlopen(f"{url}/healthz", timeout=30) as resp:
        assert resp.status == 200
    return time.monotonic() - started


@pytest.mark.slow
async def test_hard_long_messages_do_not_stall_the_service_and_sigterm_stops_it(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    await _seed(data_dir)
    connector = FakeConnector()
    await connector.start()
    service = Service(data_dir)
    try:
        service.start()
        url = f"{service.url}/api/messages"
        answered: list[int] = []

        def send(n: int, text: str) -> None:
            try:
                status, _body = post_json(url, act.message(text, act.user(n), connector.url, f"hard-{n}"), timeout=60)
            except OSError:
                status = 0  # cut off by the SIGTERM below
            answered.append(status)

        # Each hard message alone is answered (a reply or a question), never a 5xx.
        for n, text in enumerate(HARD):
            assert len(text.encode()) >= TEAMS_MESSAGE - 100
            await _to_thread(send, n, text)
        assert answered == [200] * len(HARD), answered

        # All at once, twice over: /healthz still answers promptly meanwhile.
        threads = [threading.Thread(target=send, args=(10 + n, text)) for n, text in enumerate(HARD * 2)]
        for thread in threads:
            thread.start()
        waits = [await _to_thread(_health_time, service.url) for _ in range(5)]
        assert max(waits) < 2.0, waits

        # SIGTERM in the middle of another burst: the process is gone within a few seconds.
        more = [threading.Thread(target=send, args=(30 + n, text)) for n, text in enumerate(HARD)]
        for thread in more:
            thread.start()
        assert service.proc is not None
        service.proc.send_signal(signal.SIGTERM)
        started = time.monotonic()
        await _to_thread(service.proc.wait, 30)
        assert time.monotonic() - started < 5.0
        for thread in threads + more:
            thread.join(timeout=60)
        assert 500 not in answered and all(status in (0, 200) for status in answered), answered
    finally:
        service.kill()
        await connector.stop()


async def _to_thread(func: Callable[..., T], *args: Any) -> T:
    """A blocking call, off the event loop the fake connector answers on."""
    return await asyncio.to_thread(func, *args)
