"""Runs the real aiohttp app on loopback with a fake Bot Connector, and builds Teams activities.

Tests talk to the bot exactly as Teams does: JSON activities POSTed to /api/messages, replies
read from what the fake connector received.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

import aiohttp
from aiohttp import web
from botbuilder.core import MemoryStorage

from bot.app import create_app
from bot.clock import FixedClock
from bot.config import Settings
from bot.dev.fake_connector import FakeConnector
from storage.engine import Engine, MemoryEngine
from storage.store import Store

BOT_ID = "28:skis-bot"
TENANT = "b28fdbfd-2b78-4f93-b0f8-8881793f0f8f"
TEAM_ID = "19:skis-team@thread.tacv2"
CHANNEL_ID = TEAM_ID  # the general channel's id is the team id


@dataclass(frozen=True)
class User:
    name: str
    aad: str

    @property
    def id(self) -> str:
        return f"29:{self.aad}"

    def account(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "aadObjectId": self.aad}


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

    # Activities ---------------------------------------------------------------------------
    def _base(self, user: User, where: str) -> dict[str, Any]:
        activity: dict[str, Any] = {
            "id": f"act-{next(self._ids)}",
            "channelId": "msteams",
            "serviceUrl": self.connector.url,
            "timestamp": self.clock.now().isoformat(),
            "from": user.account(),
            "recipient": {"id": BOT_ID, "name": "SKIS-boten"},
            "locale": "sv-SE",
        }
        if where == "channel":
            activity["conversation"] = {"id": f"{CHANNEL_ID};messageid=1", "conversationType": "channel", "isGroup": True, "tenantId": TENANT}
            activity["channelData"] = {"team": {"id": TEAM_ID, "name": "SKIS"}, "channel": {"id": CHANNEL_ID}, "tenant": {"id": TENANT}}
        else:
            activity["conversation"] = {"id": f"a:personal-{user.aad}", "conversationType": "personal", "tenantId": TENANT}
            activity["channelData"] = {"tenant": {"id": TENANT}}
        return activity

    def message(self, text: str, user: User = ANNA, *, where: str = "channel", mentions: list[User] | None = None, **extra: Any) -> dict[str, Any]:
        activity = self._base(user, where)
        entities: list[dict[str, Any]] = []
        if where == "channel":
            text = f"<at>SKIS-boten</at> {text}"
            entities.append({"type": "mention", "text": "<at>SKIS-boten</at>", "mentioned": {"id": BOT_ID, "name": "SKIS-boten"}})
        for person in mentions or []:
            entities.append({"type": "mention", "text": f"<at>{person.name}</at>", "mentioned": {"id": person.id, "name": person.name, "aadObjectId": person.aad}})
        activity.update({"type": "message", "text": text, "textFormat": "plain", "entities": entities, **extra})
        return activity

    def submit(self, data: dict[str, Any], user: User = ANNA, *, where: str = "channel", reply_to: str = "activity-1") -> dict[str, Any]:
        activity = self._base(user, where)
        activity.update({"type": "message", "value": data, "replyToId": reply_to})
        return activity

    def invoke(self, verb: str, data: dict[str, Any], user: User = ANNA, *, where: str = "channel", reply_to: str = "activity-1") -> dict[str, Any]:
        activity = self._base(user, where)
        activity.update(
            {
                "type": "invoke",
                "name": "adaptiveCard/action",
                "replyToId": reply_to,
                "value": {"action": {"type": "Action.Execute", "verb": verb, "data": {"action": verb, **data}}, "trigger": "manual"},
            }
        )
        return activity

    def team_install(self, user: User = ANNA) -> dict[str, Any]:
        activity = self._base(user, "channel")
        activity.update(
            {
                "type": "conversationUpdate",
                "membersAdded": [{"id": BOT_ID}],
                "conversation": {"id": CHANNEL_ID, "conversationType": "channel", "isGroup": True, "tenantId": TENANT},
            }
        )
        activity["channelData"]["eventType"] = "teamMemberAdded"
        return activity


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


def with_settings(base: Settings, **changes: Any) -> Settings:
    return replace(base, **changes)
