"""Outgoing cards are deep-copied by marshal, not copy.deepcopy (bot/teams/adapter.py): same copies."""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import pytest
from botbuilder.core import CardFactory, MessageFactory, TurnContext
from botbuilder.schema import Activity, ConversationReference

from bot.config import Settings
from bot.dev.fake_connector import FakeConnector
from bot.teams.adapter import build_adapter, copy_json
from tests.harness import ANNA, Harness


class _Kind(StrEnum):
    OPEN = "open"


@pytest.mark.parametrize("value", [
    {"type": "AdaptiveCard", "body": [{"type": "TextBlock", "text": "Öppna uppgifter", "wrap": True, "maxLines": 3}]},
    [1, 2.5, True, False, None, "åäö", {"nested": [[], {}]}],
    {7: "an int key stays an int", "t": (1, 2)},
    {"when": datetime(2026, 11, 23, 9, 30, tzinfo=UTC), "kind": _Kind.OPEN},  # not marshal's: copy.deepcopy
])
def test_copy_json_is_a_deep_copy(value: Any) -> None:
    copied = copy_json(value)
    assert copied == value and copied == copy.deepcopy(value)
    assert copied is not value

    def shapes(v: Any) -> Any:
        if isinstance(v, dict):
            return {k: (type(k), shapes(x)) for k, x in v.items()}
        if isinstance(v, (list, tuple)):
            return (type(v), [shapes(x) for x in v])
        return type(v)

    assert shapes(copied) == shapes(value)  # bool stays bool, the enum stays an enum
    inner = copied[-1] if isinstance(copied, list) else next(iter(copied.values()))
    original = value[-1] if isinstance(value, list) else next(iter(value.values()))
    if isinstance(original, (dict, list)):
        assert inner is not original


async def test_a_card_reply_is_not_walked_by_copy_deepcopy(harness: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    walked: list[dict[str, Any]] = []
    stock = copy._deepcopy_dispatch[dict]

    def spying(x: dict[str, Any], memo: dict[int, Any], deepcopy: Any = copy.deepcopy) -> Any:
        walked.append(x)
        return stock(x, memo, deepcopy)

    monkeypatch.setitem(copy._deepcopy_dispatch, dict, spying)
    await harness.install(ANNA)
    before = len(walked)
    (card,) = await harness.say_cards("hjälp", ANNA)
    assert card["type"] == "AdaptiveCard"
    assert not [d for d in walked[before:] if d.get("type") == "AdaptiveCard"]


@pytest.fixture
async def connector() -> AsyncIterator[FakeConnector]:
    fake = FakeConnector()
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()


async def test_the_sent_card_is_a_copy_and_the_callers_activity_is_untouched(connector: FakeConnector) -> None:
    adapter = build_adapter(Settings(dev=True))
    content = {"type": "AdaptiveCard", "version": "1.5", "body": [{"type": "TextBlock", "text": "Hej"}]}
    original = MessageFactory.attachment(CardFactory.adaptive_card(content))
    attachment = original.attachments[0]
    seen: list[Activity] = []

    async def handler(_context: TurnContext, activities: list[Activity], send: Any) -> Any:
        seen.extend(activities)
        # A handler may change what is sent (the SDK copies the activity for this reason).
        activities[0].attachments[0].content["body"].append({"type": "TextBlock", "text": "Tillagt"})
        return await send()

    async def logic(context: TurnContext) -> None:
        context.on_send_activities(handler)
        await context.send_activity(original)

    reference = ConversationReference().deserialize({
        "conversation": {"id": "19:c@thread.tacv2"}, "serviceUrl": connector.url, "channelId": "msteams",
        "bot": {"id": "28:bot", "name": "SKIS-boten"},
    })
    await adapter.continue_conversation(reference, logic, "")

    assert original.attachments == [attachment] and attachment.content is content
    assert content["body"] == [{"type": "TextBlock", "text": "Hej"}]
    (sent,) = seen
    assert type(sent.attachments[0].content) is dict and sent.attachments[0].content is not content
    assert sent.conversation.id == "19:c@thread.tacv2"  # the SDK still applied the reference to the copy
    assert connector.cards("19:c@thread.tacv2") == [
        {"type": "AdaptiveCard", "version": "1.5",
         "body": [{"type": "TextBlock", "text": "Hej"}, {"type": "TextBlock", "text": "Tillagt"}]},
    ]
