"""With an app id configured, every request needs a valid Bot Framework token (401 otherwise)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.config import Settings
from tests.harness import Harness, start_harness, stop_harness

APP_ID = "8f3c1f2e-1111-4222-8333-944445555666"
TENANT = "b28fdbfd-2b78-4f93-b0f8-8881793f0f8f"


@pytest.fixture
async def secured() -> AsyncIterator[Harness]:
    settings = Settings(
        app_id=APP_ID,
        app_password="secret",
        app_tenant_id=TENANT,
        allowed_tenants=frozenset({TENANT}),
        service_url_allowlist=("https://smba.trafficmanager.net/",),
    )
    h = await start_harness(settings=settings)
    try:
        yield h
    finally:
        await stop_harness(h)


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "Bearer",
        "Bearer not-a-token",
        "Basic dXNlcjpwYXNz",
        "Bearer eyJhbGciOiJub25lIn0.eyJpc3MiOiJodHRwczovL2FwaS5ib3RmcmFtZXdvcmsuY29tIn0.",
    ],
)
async def test_missing_or_malformed_token_is_401(secured: Harness, header: str | None) -> None:
    activity = secured.message("hjälp")
    headers = {"Authorization": header} if header is not None else {}
    resp = await secured.post(activity, headers=headers)
    assert resp.status == 401
    assert secured.connector.posted == []
    assert await secured.store.engine.partition_names() == []


async def test_other_tenant_without_a_token_is_401_like_everyone_else(secured: Harness) -> None:
    # The tenant is checked only after the token (403 then: tests/reliability/test_edge.py), so an
    # outsider cannot tell allowed tenants from others.
    activity = secured.message("hjälp")
    activity["channelData"]["tenant"]["id"] = "another-tenant"
    activity["conversation"]["tenantId"] = "another-tenant"
    resp = await secured.post(activity)
    assert resp.status == 401
