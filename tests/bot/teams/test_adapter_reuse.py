"""The adapter builds its outbound clients once, not on every turn (the stock SDK's main cost)."""

from __future__ import annotations

from typing import Any

from bot.app import SERVICES_KEY
from tests.harness import ANNA, PETER, Harness


async def test_turns_reuse_one_token_client_and_one_connector_client(harness: Harness) -> None:
    auth = harness.app[SERVICES_KEY].adapter.bot_framework_authentication
    built: list[Any] = []
    inner = auth._inner.create_user_token_client

    async def counting(claims_identity: Any) -> Any:
        built.append(claims_identity)
        return await inner(claims_identity)

    auth._inner.create_user_token_client = counting
    await harness.install(ANNA, roster=[ANNA, PETER])
    await harness.say("hjälp", ANNA)
    await harness.say("hjälp", PETER)
    await harness.say("hjälp", ANNA, where="personal")

    assert len(built) == 1
    assert len(auth._clients) == 1
    assert len(harness.connector.posted) >= 4  # the welcome and three help cards still went out
