"""The fake Bot Connector the benchmarks reply to, with Teams' rate limits enforced.

It is ``bot.dev.fake_connector.FakeConnector`` (same routes) with three changes for load:
bodies are read but not kept (a long run would otherwise hold every reply in memory), every
send is time-stamped, and, when ``enforce`` is on, a send over Teams' limits (more than
``per_conversation`` in any second in one conversation, or ``per_app`` in any second overall)
is answered 429 with ``Retry-After`` like Teams does. ``/bench/stats`` and ``/bench/reset`` let
a benchmark in another process read and clear the counters.

Run on its own: ``python -m bench.connector`` prints its URL on the first line of stdout.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections import defaultdict, deque
from typing import Any

from aiohttp import web

from bot.dev.fake_connector import FakeConnector

WINDOW = 1.0  # seconds; Teams' tightest window (7 per second per conversation)
TEAMS_PER_CONVERSATION = 7
TEAMS_PER_APP = 50


class BenchConnector(FakeConnector):
    def __init__(self, *, enforce: bool = False, per_conversation: int = TEAMS_PER_CONVERSATION,
                 per_app: int = TEAMS_PER_APP) -> None:
        super().__init__()
        self.enforce = enforce
        self.per_conversation = per_conversation
        self.per_app = per_app
        self.reset()

    def reset(self) -> None:
        """Forget every counter and time stamp."""
        self.calls.clear()
        self.posted.clear()
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

    async def _record(self, request: web.Request, method: str, endpoint: str) -> web.Response:
        self.calls[endpoint] += 1
        raw = await request.read()
        conversation_id = request.match_info["cid"]
        if not self._admit(conversation_id):
            return web.json_response({"error": {"code": "TooManyRequests", "message": "throttled"}},
                                     status=429, headers={"Retry-After": "1"})
        now = time.monotonic()
        if self.first_at is None:
            self.first_at = now
        self.last_at = now
        self.sends += 1
        self.conversations.add(conversation_id)
        self._recent.append(raw)  # parsed only when asked for (stats), to keep the connector cheap
        return web.json_response({"id": f"activity-{self.sends}"})

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
