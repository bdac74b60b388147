"""Connector calls over aiohttp (bot/teams/connector_http.py): same requests, same errors as the SDK's transport."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import pytest
import requests
from aiohttp import web
from botbuilder.core import MessageFactory, TurnContext
from botbuilder.schema import Attachment, ConversationReference
from msrest.exceptions import HttpOperationError
from msrest.serialization import Serializer

from bot.app import SERVICES_KEY
from bot.config import Settings
from bot.dev.fake_connector import FakeConnector
from bot.teams.adapter import build_adapter
from bot.teams.connector_http import AiohttpTransport, PlainJsonSerializer, _AiohttpSender, send_plain_json
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


# Plain JSON sent as it is (send_plain_json) ---------------------------------------------------


class _Capture:
    """A loopback Bot Connector that keeps the raw bytes and headers of every request."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str, bytes, dict[str, str]]] = []
        self.url = ""

    async def _keep(self, request: web.Request) -> web.Response:
        headers = {k: v for k, v in request.headers.items() if k != "Host"}  # the port differs between runs
        self.seen.append((request.method, request.path, await request.read(), headers))
        return web.json_response({"id": "a-1"})

    async def start(self) -> web.AppRunner:
        app = web.Application()
        app.router.add_post("/v3/conversations/{cid}/activities/{aid}", self._keep)
        app.router.add_put("/v3/conversations/{cid}/activities/{aid}", self._keep)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}/"  # type: ignore[union-attr]
        return runner


class _Signing:
    def signed_session(self, session: Any = None) -> Any:
        session.headers["Authorization"] = "Bearer token-1"
        return session


class _Kind(StrEnum):
    OPEN = "open"


def _card() -> dict[str, Any]:
    """An Adaptive Card as the features build it, plus values msrest treats specially."""
    return {
        "type": "AdaptiveCard", "version": "1.5", "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "body": [
            {"type": "TextBlock", "text": "Öppna uppgifter (2) – åäö \"citat\" \\ <b>", "wrap": True, "size": "Large"},
            {"type": "Container", "items": [
                {"type": "TextBlock", "text": f"{i}. Ring Peter", "spacing": None, "maxLines": 3, "weight": 0.5}
                for i in range(1, 3)
            ]},
        ],
        "actions": [{"type": "Action.Submit", "title": "Klar", "data": {"verb": "done", "ids": [1, 2], "all": False}}],
        # Not plain JSON: msrest's own conversions must still apply.
        "msteams": {"when": datetime(2026, 11, 23, 9, 30, tzinfo=UTC), "kind": _Kind.OPEN, 7: "int key", "empty": {}},
        # Plain leaves and msrest's cases side by side in lists, nested.
        "mixed": [1, "a", None, True, 2.5, datetime(2026, 11, 23, tzinfo=UTC), _Kind.OPEN, [], {"x": [_Kind.OPEN, 0]}],
    }


async def _replies(plain: bool) -> list[tuple[str, str, bytes, dict[str, str]]]:
    from botframework.connector.aio import ConnectorClient

    capture = _Capture()
    runner = await capture.start()
    transport = AiohttpTransport()
    try:
        client = transport.use_aiohttp(ConnectorClient(_Signing(), base_url=capture.url))
        if plain:
            send_plain_json(client)
        card = MessageFactory.attachment(Attachment(content_type="application/vnd.microsoft.card.adaptive", content=_card()))
        card.reply_to_id, card.value = "act-1", {"verb": "done", "n": 3}
        await client.conversations.reply_to_activity("19:c@thread.tacv2", "act-1", card)
        await client.conversations.reply_to_activity("19:c@thread.tacv2", "act-1", MessageFactory.text("Hej på er, åäö!"))
        update = MessageFactory.attachment(Attachment(content_type="application/vnd.microsoft.card.adaptive", content=_card()))
        update.id = "activity-9"
        await client.conversations.update_activity("19:c@thread.tacv2", "activity-9", update)
    finally:
        await transport.close()
        await runner.cleanup()
    return capture.seen


async def test_plain_json_reaches_the_connector_byte_for_byte_as_msrest_sends_it() -> None:
    stock, plain = await _replies(plain=False), await _replies(plain=True)
    assert [(m, p) for m, p, _, _ in plain] == [
        ("POST", "/v3/conversations/19:c@thread.tacv2/activities/act-1"),
        ("POST", "/v3/conversations/19:c@thread.tacv2/activities/act-1"),
        ("PUT", "/v3/conversations/19:c@thread.tacv2/activities/activity-9"),
    ]
    for (_, _, stock_body, stock_headers), (_, _, plain_body, plain_headers) in zip(stock, plain, strict=True):
        assert plain_body == stock_body
        assert plain_headers == stock_headers
    sent = json.loads(plain[0][2])["attachments"][0]["content"]
    # msrest's own conversions of what is not plain JSON, kept.
    assert sent["msteams"] == {"when": "2026-11-23T09:30:00.000Z", "kind": "open", "7": "int key", "empty": {}}


async def test_a_card_reply_skips_msrests_value_by_value_walk(harness: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    walked: list[Any] = []
    stock = Serializer.serialize_object

    def counting(self: Serializer, attr: Any, **kwargs: Any) -> Any:
        walked.append(attr)
        return stock(self, attr, **kwargs)

    monkeypatch.setattr(Serializer, "serialize_object", counting)
    await harness.install(ANNA)
    before = len(walked)
    (card,) = await harness.say_cards("hjälp", ANNA)
    assert card["type"] == "AdaptiveCard"
    assert walked[before:] == []
    auth = harness.app[SERVICES_KEY].adapter.bot_framework_authentication
    (client,) = auth._clients.values()
    assert isinstance(client.conversations._serialize, PlainJsonSerializer)


async def test_a_reply_skips_msrests_client_side_validation(harness: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    """The walk finds nothing to check: no model the connector serialises has a constraint."""
    from botframework.connector.aio import ConnectorClient

    models = ConnectorClient(_Signing(), base_url="http://localhost/")._serialize.dependencies
    assert len(models) > 100
    assert {name for name, model in models.items() if getattr(model, "_validation", None)} == set()

    validated: list[Any] = []
    stock = Serializer.validate

    def counting(*args: Any, **kwargs: Any) -> Any:
        validated.append(args)
        return stock(*args, **kwargs)

    monkeypatch.setattr(Serializer, "validate", counting)
    await harness.install(ANNA)
    before = len(validated)
    (card,) = await harness.say_cards("hjälp", ANNA)
    assert card["type"] == "AdaptiveCard"
    assert validated[before:] == []
    (client,) = harness.app[SERVICES_KEY].adapter.bot_framework_authentication._clients.values()
    assert client.conversations._serialize.client_side_validation is False


async def test_validation_stays_on_for_models_with_constraints() -> None:
    class Limited:
        _validation = {"name": {"max_length": 3}}

    plain = send_plain_json(type("Client", (), {"_serialize": Serializer({"Limited": Limited})})())
    assert plain._serialize.client_side_validation is True
