"""The fake Bot Connector the benchmarks reply to, with Teams' rate limits enforced.

It answers the routes of ``bot.dev.fake_connector.FakeConnector`` (the activities sent, replied
and updated, a conversation created, the roster read: empty here) with three changes for load:
bodies are read but not kept (a long run would otherwise hold every reply in memory), every
send is time-stamped, and, when ``enforce`` is on, a send over Teams' limits (more than
``per_conversation`` in any second in one conversation, or ``per_app`` in any second overall)
is answered 429 with ``Retry-After`` like Teams does. ``/bench/stats`` and ``/bench/reset`` (on a
second port, an aiohttp app) let a benchmark in another process read and clear the counters.

Why not the aiohttp fake itself: the real connector is Microsoft's service, on no core of the
machine under test, while here it shares two cores with the bots, the load generator and
PostgreSQL. Served by aiohttp it cost ~0.25 ms of CPU per reply (~0.6 ms with the cores shared),
as much as a tenth of the turn being measured; this server (asyncio's transport, httptools,
uvicorn's parser, for HTTP/1.1 with keep-alive) does the same work for a third of that
(docs/performance.md, "Method").

Run on its own: ``python -m bench.connector`` prints its URL on the first line of stdout.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
import time
from collections import Counter, defaultdict, deque
from http import HTTPStatus
from typing import Any
from urllib.parse import unquote

import httptools
from aiohttp import web

WINDOW = 1.0  # seconds; Teams' tightest window (7 per second per conversation)
TEAMS_PER_CONVERSATION = 7
TEAMS_PER_APP = 50

# The Bot Connector routes the bot calls (bot/dev/fake_connector.py has the same).
_ACTIVITIES = re.compile(r"^/v3/conversations/([^/]+)/activities(?:/([^/]+))?$")
_MEMBERS = re.compile(r"^/v3/conversations/([^/]+)/(pagedmembers|members)(?:/([^/]+))?$")

Answer = tuple[int, Any, dict[str, str]]  # status, JSON body, extra headers


class BenchConnector:
    def __init__(self, *, enforce: bool = False, per_conversation: int = TEAMS_PER_CONVERSATION,
                 per_app: int = TEAMS_PER_APP) -> None:
        self.calls: Counter[str] = Counter()
        self.url = ""
        self._server: asyncio.Server | None = None
        self._open: set[asyncio.BaseTransport] = set()  # keep-alive connections, closed by stop()
        self.enforce = enforce
        self.per_conversation = per_conversation
        self.per_app = per_app
        self.reset()

    def reset(self) -> None:
        """Forget every counter and time stamp."""
        self.calls.clear()
        self.sends = 0
        self.throttled = 0
        self.over_limit = 0  # sends that would have broken a limit (counted even when not enforced)
        self.first_at: float | None = None
        self.last_at: float | None = None
        self._app_window: deque[float] = deque()
        self._conv_windows: dict[str, deque[float]] = defaultdict(deque)
        self.max_per_app_second = 0
        self.max_per_conversation_second = 0
        self.conversations: set[str] = set()
        self._recent: deque[bytes] = deque(maxlen=3)

    def stats(self) -> dict[str, Any]:
        """Counters since the last reset (JSON-ready)."""
        span = (self.last_at - self.first_at) if self.first_at is not None and self.last_at is not None else 0.0
        return {
            "sends": self.sends,
            "throttled": self.throttled,
            "over_limit": self.over_limit,
            "conversations": len(self.conversations),
            "span_s": span,
            "max_per_app_second": self.max_per_app_second,
            "max_per_conversation_second": self.max_per_conversation_second,
            "calls": dict(self.calls),
            "last_texts": [_text_of(raw) for raw in self._recent],
        }

    def _admit(self, conversation_id: str) -> bool:
        now = time.monotonic()
        app = self._app_window
        conv = self._conv_windows[conversation_id]
        for window in (app, conv):
            while window and now - window[0] >= WINDOW:
                window.popleft()
        over = len(app) >= self.per_app or len(conv) >= self.per_conversation
        if over:
            self.over_limit += 1
            if self.enforce:
                self.throttled += 1
                return False
        app.append(now)
        conv.append(now)
        self.max_per_app_second = max(self.max_per_app_second, len(app))
        self.max_per_conversation_second = max(self.max_per_conversation_second, len(conv))
        return True

    # Serving ------------------------------------------------------------------------------------
    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(lambda: _HttpProtocol(self.answer, self._open), host, port)
        self.url = f"http://{host}:{self._server.sockets[0].getsockname()[1]}/"
        return self.url

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            for transport in list(self._open):
                transport.close()
            await self._server.wait_closed()

    def answer(self, method: str, path: str, body: bytes) -> Answer:
        """One request to the Bot Connector API."""
        activities = _ACTIVITIES.match(path)
        if activities is not None:
            endpoint = {("POST", False): "send", ("POST", True): "reply", ("PUT", True): "update"}.get(
                (method, activities[2] is not None))
            if endpoint is not None:
                return self._record(endpoint, unquote(activities[1]), body)
        members = _MEMBERS.match(path)
        if members is not None and method == "GET":
            if members[2] == "pagedmembers":
                self.calls["paged_members"] += 1
                return 200, {"members": [], "continuationToken": None}, {}
            if members[3] is None:
                self.calls["members"] += 1
                return 200, [], {}
            self.calls["member"] += 1
        elif path == "/v3/conversations" and method == "POST":
            self.calls["create_conversation"] += 1
            try:
                member = (json.loads(body).get("members") or [{}])[0].get("id", "x")
            except (ValueError, AttributeError):
                return 400, {"error": {"code": "BadArgument", "message": "not a conversation"}}, {}
            return 200, {"id": f"a:personal-{member}", "activityId": None, "serviceUrl": None}, {}
        return 404, {"error": {"code": "NotFound", "message": path}}, {}

    def _record(self, endpoint: str, conversation_id: str, raw: bytes) -> Answer:
        self.calls[endpoint] += 1
        if not self._admit(conversation_id):
            return 429, {"error": {"code": "TooManyRequests", "message": "throttled"}}, {"Retry-After": "1"}
        now = time.monotonic()
        if self.first_at is None:
            self.first_at = now
        self.last_at = now
        self.sends += 1
        self.conversations.add(conversation_id)
        self._recent.append(raw)  # parsed only when asked for (stats), to keep the connector cheap
        return 200, {"id": f"activity-{self.sends}"}, {}

    def control_app(self) -> web.Application:
        """Routes for a benchmark in another process: stats, reset, limits."""
        app = web.Application()

        async def stats(_request: web.Request) -> web.Response:
            return web.json_response(self.stats())

        async def reset(request: web.Request) -> web.Response:
            body = await request.json() if request.can_read_body else {}
            self.reset()
            self.enforce = bool(body.get("enforce", self.enforce))
            return web.json_response({"ok": True})

        app.router.add_get("/bench/stats", stats)
        app.router.add_post("/bench/reset", reset)
        return app


_JSON = "Content-Type: application/json; charset=utf-8\r\n"
_STATUS_LINES = {status: f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\n{_JSON}" for status in (200, 404, 429)}


class _HttpProtocol(asyncio.Protocol):
    """HTTP/1.1 with keep-alive, one request at a time per connection, answered by ``answer``."""

    def __init__(self, answer: Any, open_transports: set[asyncio.BaseTransport]) -> None:
        self._answer = answer
        self._open = open_transports
        self._parser = httptools.HttpRequestParser(self)
        self._transport: asyncio.Transport | None = None
        self._url = b""
        self._body: list[bytes] = []

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = transport  # type: ignore[assignment]
        self._open.add(transport)

    def connection_lost(self, exc: Exception | None) -> None:
        if self._transport is not None:
            self._open.discard(self._transport)

    def data_received(self, data: bytes) -> None:
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserError:
            self._write(400, {"error": {"code": "BadRequest", "message": "malformed HTTP"}}, {}, keep_alive=False)

    # httptools' callbacks
    def on_url(self, url: bytes) -> None:
        self._url += url

    def on_body(self, body: bytes) -> None:
        self._body.append(body)

    def on_message_complete(self) -> None:
        # The path as sent: a conversation id is percent-encoded in it, and decoded by answer().
        try:
            path = httptools.parse_url(self._url).path.decode("ascii", "replace")
        except httptools.HttpParserInvalidURLError:
            path = ""
        status, payload, headers = self._answer(self._parser.get_method().decode("ascii"), path, b"".join(self._body))
        self._url, self._body = b"", []
        self._write(status, payload, headers, keep_alive=self._parser.should_keep_alive())

    def _write(self, status: int, payload: Any, headers: dict[str, str], *, keep_alive: bool) -> None:
        transport = self._transport
        if transport is None or transport.is_closing():
            return
        body = json.dumps(payload).encode()
        head = [_STATUS_LINES.get(status) or f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\n{_JSON}",
                f"Content-Length: {len(body)}\r\n"]
        head += [f"{name}: {value}\r\n" for name, value in headers.items()]
        if not keep_alive:
            head.append("Connection: close\r\n")
        transport.write(("".join(head) + "\r\n").encode() + body)
        if not keep_alive:
            transport.close()


def _text_of(raw: bytes) -> str:
    try:
        body = json.loads(raw)
    except ValueError:
        return ""
    if body.get("text"):
        return str(body["text"])
    cards = [a.get("contentType", "") for a in body.get("attachments") or []]
    return f"[{', '.join(cards)}]" if cards else ""


async def _serve(port: int) -> None:
    connector = BenchConnector()
    # Control routes live on a second port so the connector's own app stays the fake's.
    url = await connector.start(port=port)
    runner = web.AppRunner(connector.control_app(), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    control_port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    print(url, f"http://127.0.0.1:{control_port}/", flush=True)
    # Exit when the parent closes our stdin (so a crashed benchmark leaves nothing behind).
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.read)
    await runner.cleanup()
    await connector.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description="Fake Bot Connector for benchmarks")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    asyncio.run(_serve(args.port))


if __name__ == "__main__":
    main()
