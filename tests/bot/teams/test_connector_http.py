"""Connector calls over aiohttp (bot/teams/connector_http.py): same requests, same errors as the SDK's transport."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
import requests
from aiohttp import web
from botbuilder.core import MessageFactory, TurnContext
from botbuilder.schema import ConversationReference
from msrest.exceptions import HttpOperationError

from bot.app import SERVICES_KEY
from bot.config import Settings
from bot.dev.fake_connector import FakeConnector
from bot.teams.adapter import build_adapter
from bot.teams.connector_http import AiohttpTransport, _AiohttpSender
from bot.teams.proactive import (
    SENT,
    UNDELIVERABLE,
    Notifier,
    Outgoing,
    RateLimiter,
    retry_after_of,
    status_of,
)
from storage.engine import MemoryEngine
from storage.teams_repo import Team, TeamsRepo
from tests.harness import ANNA, Harness


async def test_service_replies_without_the_requests_thread_pool(harness: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_requests(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a connector call went through requests")

    monkeypatch.setattr(requests.Session, "request", no_requests)
    await harness.install(ANNA)
    texts = await harness.say("incheckning", ANNA) + await harness.say("hjälp", ANNA)
    assert texts or harness.connector.cards()
    auth = harness.app[SERVICES_KEY].adapter.bot_framework_authentication
    (client,) = auth._clients.values()
    assert isinstance(client.config.pipeline._sender, _AiohttpSender)


@pytest.fixture
async def direct() -> AsyncIterator[tuple[FakeConnector, Any, AiohttpTransport]]:
    connector = FakeConnector()
    await connector.start()
    transport = AiohttpTransport()
    adapter = build_adapter(Settings(dev=True), transport=transport)
    try:
        yield connector, adapter, transport
    finally:
        await transport.close()
        await connector.stop()


def _reference(url: str) -> ConversationReference:
    return ConversationReference().deserialize({
        "conversation": {"id": "19:c@thread.tacv2"}, "serviceUrl": url, "channelId": "msteams",
        "bot": {"id": "28:bot", "name": "SKIS-boten"},
    })


async def _send(adapter: Any, url: str, text: str) -> Any:
    outcome: dict[str, Any] = {}

    async def logic(context: TurnContext) -> None:
        try:
            outcome["response"] = await context.send_activity(MessageFactory.text(text))
        except Exception as exc:
            outcome["error"] = exc

    await adapter.continue_conversation(_reference(url), logic, "")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["response"]


async def test_a_send_posts_the_sdk_body_and_returns_the_id(direct: tuple[FakeConnector, Any, AiohttpTransport]) -> None:
    connector, adapter, _ = direct
    response = await _send(adapter, connector.url, "Hej på er, åäö!")
    assert response.id.startswith("activity-")
    posted = connector.posted[-1]
    assert posted.conversation_id == "19:c@thread.tacv2" and posted.text == "Hej på er, åäö!"
    assert posted.body["type"] == "message"


async def test_errors_keep_status_and_retry_after(direct: tuple[FakeConnector, Any, AiohttpTransport]) -> None:
    connector, adapter, _ = direct
    connector.fail_next(429, retry_after="3")
    with pytest.raises(HttpOperationError) as caught:
        await _send(adapter, connector.url, "x")
    assert status_of(caught.value) == 429
    assert retry_after_of(caught.value) == 3.0


async def test_the_notifier_works_over_it(direct: tuple[FakeConnector, Any, AiohttpTransport]) -> None:
    connector, adapter, _ = direct
    sleeps: list[float] = []

    async def sleep(seconds: float) -> None:
        sleeps.append(seconds)

    notifier = Notifier(adapter, "", TeamsRepo(MemoryEngine()), limiter=RateLimiter(sleep=sleep), sleep=sleep, rand=lambda: 0.5)
    net = Team(key="19:c@thread.tacv2", name="SKIS", kind="team", tenant_id=None, installed_by=None,
               installed_at=datetime(2026, 11, 23, tzinfo=UTC),
               conversation_ref={"conversation": {"id": "19:c@thread.tacv2"}, "serviceUrl": connector.url,
                                 "channelId": "msteams", "bot": {"id": "28:bot", "name": "SKIS-boten"}})
    connector.fail_next(429, retry_after="1")
    assert (await notifier.to_channel(net, Outgoing(text="Hej!"))).status == SENT
    connector.fail_next(403)
    assert (await notifier.to_channel(net, Outgoing(text="Hej!"))).status == UNDELIVERABLE
    assert connector.texts("19:c@thread.tacv2") == ["Hej!"]


async def test_credentials_sign_each_request_and_user_agent_is_kept() -> None:
    seen: list[dict[str, str]] = []

    async def capture(request: web.Request) -> web.Response:
        seen.append(dict(request.headers))
        return web.json_response({"id": "a-1"})

    app = web.Application()
    app.router.add_post("/v3/conversations/{cid}/activities", capture)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    url = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}/"  # type: ignore[union-attr]

    class FakeCredentials:
        def signed_session(self, session: Any = None) -> Any:
            session.headers["Authorization"] = "Bearer token-1"
            return session

    from botframework.connector.aio import ConnectorClient

    transport = AiohttpTransport()
    try:
        client = transport.use_aiohttp(ConnectorClient(FakeCredentials(), base_url=url))
        client.config.add_user_agent("SkisTest/1")
        activity = MessageFactory.text("hej")
        result = await client.conversations.send_to_conversation("19:c", activity)
        assert result.id == "a-1"
    finally:
        await transport.close()
        await runner.cleanup()
    assert seen[0]["Authorization"] == "Bearer token-1"
    assert "SkisTest/1" in seen[0]["User-Agent"]
    assert seen[0]["Content-Type"].startswith("application/json")
