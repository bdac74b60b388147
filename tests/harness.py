"""Runs the real aiohttp app on loopback with a fake Bot Connector, and builds Teams activities
(with bot/dev/activities.py, numbered and timed by the harness).

Tests talk to the bot exactly as Teams does: JSON activities POSTed to /api/messages, replies
read from what the fake connector received.
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web
from botbuilder.core import MemoryStorage

from bot.app import SERVICES_KEY, create_app
from bot.clock import FixedClock
from bot.config import Settings
from bot.dev import activities
from bot.dev.activities import BOT_ID, TEAM_ID, TENANT  # noqa: F401 (the tests name them through the harness)
from bot.dev.fake_connector import FakeConnector
from bot.teams.state import EngineBotStorage
from storage.engine import Engine, MemoryEngine
from storage.store import Store
from storage.tinydb_engine import TinyDBEngine

CHANNEL_ID = TEAM_ID  # the general channel's id is the team id
User = activities.Person

ANNA = User("Anna Gustafsson", "aad-anna")
PETER = User("Peter Stark", "aad-peter")
SOFIA = User("Sofia Adolfsson", "aad-sofia")


@dataclass
class Harness:
    connector: FakeConnector
    clock: FixedClock
    store: Store
    settings: Settings
    base_url: str
    session: aiohttp.ClientSession
    runner: web.AppRunner
    app: web.Application
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    # Sending -----------------------------------------------------------------------------
    async def post(self, body: Any, *, headers: dict[str, str] | None = None, raw: bytes | None = None) -> aiohttp.ClientResponse:
        hdrs = {"Content-Type": "application/json", **(headers or {})}
        data = raw if raw is not None else (body if isinstance(body, (bytes, str)) else None)
        if data is None:
            async with self.session.post(f"{self.base_url}/api/messages", json=body, headers=hdrs) as resp:
                await resp.read()
                return resp
        async with self.session.post(f"{self.base_url}/api/messages", data=data, headers=hdrs) as resp:
            await resp.read()
            return resp

    async def say(self, text: str, user: User = ANNA, *, where: str = "channel", **extra: Any) -> list[str]:
        """Send a message and return the texts the bot posted in answer."""
        before = len(self.connector.posted)
        resp = await self.post(self.message(text, user, where=where, **extra))
        assert resp.status == 200, resp.status
        return [p.text for p in self.connector.posted[before:] if p.text]

    async def say_cards(self, text: str, user: User = ANNA, *, where: str = "channel") -> list[dict[str, Any]]:
        before = len(self.connector.posted)
        resp = await self.post(self.message(text, user, where=where))
        assert resp.status == 200, resp.status
        return [c for p in self.connector.posted[before:] for c in p.cards]

    async def install(self, user: User = ANNA, *, roster: list[User] | None = None) -> None:
        self.connector.members[TEAM_ID] = [u.account() for u in (roster or [user])]
        resp = await self.post(self.team_install(user))
        assert resp.status == 200, resp.status

    def published(self) -> list[tuple[str, str, str]]:
        """From now on, every change the features publish: (kind, team key, record id), in order."""
        seen: list[tuple[str, str, str]] = []

        async def listen(kind: str, team_key: str, record_id: str) -> None:
            seen.append((kind, team_key, record_id))

        self.app[SERVICES_KEY].changes.subscribe(listen)
        return seen

    # Activities (bot/dev/activities.py), numbered, from the fake connector, at the clock's time ----------
    def _where(self, where: str) -> dict[str, Any]:
        return {"where": where, "activity_id": f"act-{next(self._ids)}", "service_url": self.connector.url,
                "timestamp": self.clock.now()}

    def base(self, user: User = ANNA, where: str = "channel") -> dict[str, Any]:
        """The common fields of an activity from ``user`` (the caller sets its type)."""
        return activities.base(user, **self._where(where))

    def message(self, text: str, user: User = ANNA, *, where: str = "channel", mentions: list[User] | None = None, **extra: Any) -> dict[str, Any]:
        return {**activities.message(text, user, mentions=mentions or (), **self._where(where)), **extra}

    def submit(self, data: dict[str, Any], user: User = ANNA, *, where: str = "channel", reply_to: str = "activity-1") -> dict[str, Any]:
        return activities.submit(data, user, reply_to=reply_to, **self._where(where))

    def invoke(self, verb: str, data: dict[str, Any], user: User = ANNA, *, where: str = "channel", reply_to: str = "activity-1") -> dict[str, Any]:
        return activities.invoke(verb, data, user, reply_to=reply_to, **self._where(where))

    def team_install(self, user: User = ANNA) -> dict[str, Any]:
        return activities.team_install(user, **self._where("channel"))


async def start_harness(
    *,
    engine: Engine | None = None,
    settings: Settings | None = None,
    now: datetime | None = None,
    bot_storage: Any = None,
    connector: FakeConnector | None = None,
    run_scheduler: bool = False,
    **app_kwargs: Any,
) -> Harness:
    own_connector = connector or FakeConnector()
    if not own_connector.url:
        await own_connector.start()
    settings = settings or Settings(dev=True)
    clock = FixedClock(now or datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    store = Store(engine or MemoryEngine())
    # The clock stands still: reminders fire when a test runs them, not by themselves.
    app = create_app(settings, store, clock, bot_storage=bot_storage or MemoryStorage(), run_scheduler=run_scheduler, **app_kwargs)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    session = aiohttp.ClientSession()
    return Harness(own_connector, clock, store, settings, f"http://127.0.0.1:{port}", session, runner, app)


async def stop_harness(h: Harness) -> None:
    await h.session.close()
    await h.runner.cleanup()
    await h.connector.stop()


@asynccontextmanager
async def disk_harness(data_dir: Path, **kwargs: Any) -> AsyncIterator[Harness]:
    """A harness on a TinyDB data directory, dialog state included, as the service runs; closed on
    leaving. Its commits run in a worker thread, so concurrent turns interleave as they do there."""
    engine = TinyDBEngine(data_dir)
    harness = await start_harness(engine=engine, bot_storage=EngineBotStorage(engine), **kwargs)
    try:
        yield harness
    finally:
        await stop_harness(harness)
        await engine.close()


def with_settings(base: Settings, **changes: Any) -> Settings:
    return replace(base, **changes)
