"""A local fake of the Bot Connector REST API on loopback.

It records every activity the bot posts, answers roster reads from a configurable member list,
and can be told to fail the next requests (429 with Retry-After, 412, 5xx, 403, 404) to test
retries. Tests, benchmarks and local runs point activities' ``serviceUrl`` at it.
"""

from __future__ import annotations

import asyncio
import itertools
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass
class Posted:
    method: str
    conversation_id: str
    activity_id: str | None  # the activity replied to or updated, if any
    body: dict[str, Any]

    @property
    def text(self) -> str:
        return self.body.get("text") or ""

    @property
    def cards(self) -> list[dict[str, Any]]:
        return [a["content"] for a in self.body.get("attachments") or [] if a.get("contentType", "").endswith("card.adaptive")]


@dataclass
class Fault:
    status: int
    headers: dict[str, str] = field(default_factory=dict)


class FakeConnector:
    def __init__(self) -> None:
        self.posted: list[Posted] = []
        self.calls: Counter[str] = Counter()
        self.members: dict[str, list[dict[str, Any]]] = {}
        self.faults: list[Fault] = []
        self.created_conversations: list[dict[str, Any]] = []
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.url = ""
        self.changed = asyncio.Event()
        # Seconds each send takes to be answered, as Teams' own does (0: at once).
        self.latency = 0.0

    # Lifecycle ----------------------------------------------------------------------------
    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        app = web.Application(client_max_size=4 * 1024 * 1024)
        app.router.add_post("/v3/conversations", self._create_conversation)
        app.router.add_post("/v3/conversations/{cid}/activities", self._send)
        app.router.add_post("/v3/conversations/{cid}/activities/{aid}", self._reply)
        app.router.add_put("/v3/conversations/{cid}/activities/{aid}", self._update)
        app.router.add_get("/v3/conversations/{cid}/pagedmembers", self._paged_members)
        app.router.add_get("/v3/conversations/{cid}/members/{mid}", self._member)
        app.router.add_get("/v3/conversations/{cid}/members", self._all_members)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        sockets = site._server.sockets  # type: ignore[union-attr]
        self.url = f"http://{host}:{sockets[0].getsockname()[1]}/"
        return self.url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    # What tests read -------------------------------------------------------------------------
    def texts(self, conversation_id: str | None = None) -> list[str]:
        return [p.text for p in self.posted if p.method != "PUT" and (conversation_id is None or p.conversation_id == conversation_id)]

    def cards(self, conversation_id: str | None = None) -> list[dict[str, Any]]:
        return [c for p in self.posted if conversation_id is None or p.conversation_id == conversation_id for c in p.cards]

    def clear(self) -> None:
        self.posted.clear()
        self.calls.clear()

    def fail_next(self, *statuses: int, retry_after: str | None = None) -> None:
        for status in statuses:
            headers = {"Retry-After": retry_after} if retry_after and status == 429 else {}
            self.faults.append(Fault(status, headers))

    # Handlers ---------------------------------------------------------------------------------
    def _fault(self) -> web.Response | None:
        if self.faults:
            fault = self.faults.pop(0)
            return web.json_response({"error": {"code": str(fault.status), "message": "injected"}}, status=fault.status, headers=fault.headers)
        return None

    async def _record(self, request: web.Request, method: str, endpoint: str) -> web.Response:
        self.calls[endpoint] += 1
        if self.latency:
            await asyncio.sleep(self.latency)
        fault = self._fault()
        if fault is not None:
            return fault
        body = await request.json()
        self.posted.append(Posted(method, request.match_info["cid"], request.match_info.get("aid"), body))
        self.changed.set()
        return web.json_response({"id": f"activity-{next(self._ids)}"})

    async def _send(self, request: web.Request) -> web.Response:
        return await self._record(request, "POST", "send")

    async def _reply(self, request: web.Request) -> web.Response:
        return await self._record(request, "REPLY", "reply")

    async def _update(self, request: web.Request) -> web.Response:
        return await self._record(request, "PUT", "update")

    async def _create_conversation(self, request: web.Request) -> web.Response:
        self.calls["create_conversation"] += 1
        fault = self._fault()
        if fault is not None:
            return fault
        body = await request.json()
        self.created_conversations.append(body)
        member = (body.get("members") or [{}])[0].get("id", "x")
        return web.json_response({"id": f"a:personal-{member}", "activityId": None, "serviceUrl": None})

    async def _paged_members(self, request: web.Request) -> web.Response:
        self.calls["paged_members"] += 1
        fault = self._fault()
        if fault is not None:
            return fault
        return web.json_response({"members": self.members.get(request.match_info["cid"], []), "continuationToken": None})

    async def _all_members(self, request: web.Request) -> web.Response:
        self.calls["members"] += 1
        return web.json_response(self.members.get(request.match_info["cid"], []))

    async def _member(self, request: web.Request) -> web.Response:
        self.calls["member"] += 1
        for member in self.members.get(request.match_info["cid"], []):
            if member["id"] == request.match_info["mid"]:
                return web.json_response(member)
        return web.json_response({"error": {"code": "NotFound"}}, status=404)
