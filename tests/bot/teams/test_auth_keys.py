"""Token signing keys are fetched off the request path (issue 18, point 7).

The SDK refreshes its keys with ``requests.get`` without a timeout on the event loop, and a token
naming an unknown key makes it refresh: one such request could stall every other. Here the keys
come from a local OpenID endpoint that can be made slow or failing.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import timedelta

import aiohttp
import pytest
from botframework.connector.auth import MicrosoftAppCredentials

from bot.app import SERVICES_KEY
from bot.config import Settings
from bot.dev.fake_connector import FakeConnector
from bot.teams.adapter import signing_keys
from tests.fakes.openid import OpenIdServer
from tests.harness import ANNA, Harness, start_harness, stop_harness

APP_ID = "8f3c1f2e-1111-4222-8333-944445555666"
TENANT = "b28fdbfd-2b78-4f93-b0f8-8881793f0f8f"
TIMEOUT = 2.0  # the key fetch timeout these tests run with
HUNG = 6.0  # how long a hung endpoint takes to answer: far beyond TIMEOUT


@pytest.fixture
async def keyed() -> AsyncIterator[tuple[Harness, OpenIdServer]]:
    openid = OpenIdServer()
    connector = FakeConnector()
    await connector.start()
    settings = Settings(app_id=APP_ID, app_password="secret", app_tenant_id=TENANT, allowed_tenants=frozenset({TENANT}),
                        service_url_allowlist=(connector.url,), openid_timeout_seconds=TIMEOUT)
    h = await start_harness(settings=settings, connector=connector, openid_metadata_url=openid.metadata_url)

    async def no_token(*_a: object, **_k: object) -> MicrosoftAppCredentials:
        return MicrosoftAppCredentials.empty()  # replies need no real outgoing token here

    auth = h.app[SERVICES_KEY].adapter.bot_framework_authentication
    auth._inner._inner._credentials_factory.create_credentials = no_token  # type: ignore[attr-defined]
    try:
        yield h, openid
    finally:
        openid.delay = 0
        await stop_harness(h)
        openid.stop()


async def _post(h: Harness, openid: OpenIdServer, **token: object) -> tuple[int, float]:
    """Status and seconds taken of one "hjälp" with a token made by ``openid``."""
    activity = h.message("hjälp", ANNA, where="personal")
    bearer = openid.token(audience=APP_ID, service_url=activity["serviceUrl"], **token)  # type: ignore[arg-type]
    started = time.monotonic()
    resp = await h.post(activity, headers={"Authorization": f"Bearer {bearer}"})
    return resp.status, time.monotonic() - started


async def _healthz_done(h: Harness) -> float:
    """When (monotonic seconds) /healthz answered."""
    async with h.session.get(f"{h.base_url}/healthz", timeout=aiohttp.ClientTimeout(total=HUNG + 5)) as resp:
        assert resp.status == 200
    return time.monotonic()


async def test_a_slow_key_endpoint_does_not_stall_the_service(keyed: tuple[Harness, OpenIdServer]) -> None:
    h, openid = keyed
    openid.delay = 0.8  # metadata and keys take 1.6 s together: slow, but within the timeout
    started = time.monotonic()
    first = asyncio.create_task(_post(h, openid))
    await asyncio.sleep(0.1)
    # While the first request waits for the keys, the event loop serves everyone else (a fetch
    # on the event loop would hold /healthz until both answers came: 1.6 s).
    assert await _healthz_done(h) - started < 0.8
    status, _ = await first
    assert status == 200


async def test_a_hung_key_endpoint_is_given_up_after_the_timeout(keyed: tuple[Harness, OpenIdServer]) -> None:
    h, openid = keyed
    openid.delay = HUNG
    started = time.monotonic()
    pending = asyncio.create_task(_post(h, openid))
    await asyncio.sleep(0.1)
    assert await _healthz_done(h) - started < 0.8
    status, seconds = await pending
    assert status == 401 and seconds < HUNG - 1  # refused after the timeout, not after the endpoint answers


async def test_known_keys_are_kept_when_a_refresh_fails_and_nobody_waits_for_it(keyed: tuple[Harness, OpenIdServer]) -> None:
    h, openid = keyed
    assert (await _post(h, openid))[0] == 200
    keys = signing_keys(openid.metadata_url)
    fetches = keys.fetches
    h.clock.advance(timedelta(days=2))  # the keys are due for their daily refresh
    openid.delay = HUNG
    status, seconds = await _post(h, openid)
    assert status == 200 and seconds < 1.0  # checked against the known keys at once
    assert keys.fetches == fetches + 1  # the refresh runs in the background
    openid.delay, openid.status = 0, 503
    h.clock.advance(timedelta(days=2))
    for _ in range(3):
        assert (await _post(h, openid))[0] == 200
    await asyncio.sleep(0.3)
    assert keys.keys and (await _post(h, openid))[0] == 200


async def test_a_token_with_an_unknown_key_waits_for_nothing_and_makes_others_wait_for_nothing(
    keyed: tuple[Harness, OpenIdServer],
) -> None:
    h, openid = keyed
    assert (await _post(h, openid))[0] == 200
    keys = signing_keys(openid.metadata_url)
    fetches = keys.fetches
    h.clock.advance(timedelta(hours=2))
    openid.delay = HUNG
    unknown = [asyncio.create_task(_post(h, openid, kid=f"nobody-{i}", key=openid.other_key)) for i in range(5)]
    known = asyncio.create_task(_post(h, openid))
    for status, seconds in await asyncio.gather(*unknown):
        assert status == 401 and seconds < 1.0
    status, seconds = await known
    assert status == 200 and seconds < 1.0
    assert keys.fetches == fetches + 1  # one background fetch for all of them


async def test_a_rotated_key_is_picked_up_by_a_background_fetch(keyed: tuple[Harness, OpenIdServer]) -> None:
    h, openid = keyed
    assert (await _post(h, openid))[0] == 200
    openid.publish_other_key("rotated")
    h.clock.advance(timedelta(minutes=10))
    assert (await _post(h, openid, kid="rotated", key=openid.other_key))[0] == 401  # not known yet: a fetch starts
    for _ in range(50):
        if "rotated" in signing_keys(openid.metadata_url).keys:
            break
        await asyncio.sleep(0.05)
    assert (await _post(h, openid, kid="rotated", key=openid.other_key))[0] == 200
