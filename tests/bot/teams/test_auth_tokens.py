"""The SDK's real JWT validation against a locally generated RSA key: only a valid token gets in."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from botframework.connector.auth import MicrosoftAppCredentials

from bot.app import SERVICES_KEY
from bot.config import Settings
from bot.dev.fake_connector import FakeConnector
from tests.fakes.openid import OpenIdServer
from tests.harness import Harness, start_harness, stop_harness

APP_ID = "8f3c1f2e-1111-4222-8333-944445555666"
TENANT = "b28fdbfd-2b78-4f93-b0f8-8881793f0f8f"


@pytest.fixture
async def secured() -> AsyncIterator[tuple[Harness, OpenIdServer]]:
    openid = OpenIdServer()
    connector = FakeConnector()
    await connector.start()
    settings = Settings(
        app_id=APP_ID,
        app_password="secret",
        app_tenant_id=TENANT,
        allowed_tenants=frozenset({TENANT}),
        service_url_allowlist=(connector.url,),
    )
    h = await start_harness(settings=settings, connector=connector, openid_metadata_url=openid.metadata_url)
    # Replies need an outgoing token from Entra ID, which this machine cannot reach: hand the
    # connector client a fixed credential instead (the inbound check is what is under test).
    async def no_token(*_a: object, **_k: object) -> MicrosoftAppCredentials:
        return MicrosoftAppCredentials.empty()

    auth = h.app[SERVICES_KEY].adapter.bot_framework_authentication
    auth._inner._inner._credentials_factory.create_credentials = no_token  # type: ignore[attr-defined]
    try:
        yield h, openid
    finally:
        await stop_harness(h)
        openid.stop()


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_valid_token_is_accepted(secured: tuple[Harness, OpenIdServer]) -> None:
    h, openid = secured
    activity = h.message("hjälp")
    resp = await h.post(activity, headers=_bearer(openid.token(audience=APP_ID, service_url=activity["serviceUrl"])))
    assert resp.status == 200
    assert len(h.connector.cards()) == 1


@pytest.mark.parametrize(
    "forgery",
    ["expired", "wrong_audience", "wrong_issuer", "bad_signature", "unknown_key", "service_url_mismatch", "alg_none", "hs256"],
)
async def test_forged_tokens_are_401(secured: tuple[Harness, OpenIdServer], forgery: str) -> None:
    h, openid = secured
    activity = h.message("hjälp")
    url = activity["serviceUrl"]
    if forgery == "expired":
        token = openid.token(audience=APP_ID, service_url=url, expires_in=-3600)
    elif forgery == "wrong_audience":
        token = openid.token(audience="00000000-1111-2222-3333-444444444444", service_url=url)
    elif forgery == "wrong_issuer":
        token = openid.token(audience=APP_ID, service_url=url, issuer="https://evil.example")
    elif forgery == "bad_signature":
        token = openid.token(audience=APP_ID, service_url=url, key=openid.other_key)
    elif forgery == "unknown_key":
        token = openid.token(audience=APP_ID, service_url=url, kid="nobody", key=openid.other_key)
    elif forgery == "service_url_mismatch":
        token = openid.token(audience=APP_ID, service_url="https://smba.trafficmanager.net/emea/")
    elif forgery == "alg_none":
        token = "eyJhbGciOiJub25lIiwia2lkIjoidGVzdC1rZXkifQ.eyJpc3MiOiJodHRwczovL2FwaS5ib3RmcmFtZXdvcmsuY29tIn0."
    else:
        token = openid.token(audience=APP_ID, service_url=url, key="shared-secret-that-is-long-enough-0123456789", algorithm="HS256")
    resp = await h.post(activity, headers=_bearer(token))
    assert resp.status == 401, forgery
    assert h.connector.posted == []
