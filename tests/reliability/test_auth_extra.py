"""More forged or misplaced tokens on top of tests/bot/teams/test_auth_tokens.py: all 401, nothing changes."""

from __future__ import annotations

import time

import jwt
import pytest

from tests.bot.teams.test_auth_tokens import APP_ID, secured  # noqa: F401 - the fixture
from tests.fakes.openid import ISSUER, OpenIdServer
from tests.harness import ANNA, Harness


def _forge(openid: OpenIdServer, url: str, case: str) -> str:
    now = int(time.time())
    if case == "not_yet_valid":
        return openid.token(audience=APP_ID, service_url=url, nbf=now + 3600, iat=now + 3600)
    if case == "no_service_url_claim":
        payload = {"iss": ISSUER, "aud": APP_ID, "nbf": now - 60, "exp": now + 3600}
        return jwt.encode(payload, openid.key, algorithm="RS256", headers={"kid": openid.kid})
    if case == "no_expiry":
        payload = {"iss": ISSUER, "aud": APP_ID, "serviceurl": url, "nbf": now - 60}
        return jwt.encode(payload, openid.key, algorithm="RS256", headers={"kid": openid.kid})
    if case == "audience_list_without_us":
        return openid.token(audience=["api://someone-else"], service_url=url)  # type: ignore[arg-type]
    if case == "no_kid":
        payload = {"iss": ISSUER, "aud": APP_ID, "serviceurl": url, "nbf": now - 60, "exp": now + 3600}
        return jwt.encode(payload, openid.key, algorithm="RS256")
    if case == "truncated_signature":
        return openid.token(audience=APP_ID, service_url=url)[:-10]
    raise ValueError(case)


@pytest.mark.parametrize(
    "case", ["not_yet_valid", "no_service_url_claim", "no_expiry", "audience_list_without_us", "no_kid", "truncated_signature"]
)
async def test_more_forged_tokens_are_401(secured: tuple[Harness, OpenIdServer], case: str) -> None:  # noqa: F811
    h, openid = secured
    activity = h.message("hjälp", ANNA)
    resp = await h.post(activity, headers={"Authorization": f"Bearer {_forge(openid, activity['serviceUrl'], case)}"})
    assert resp.status == 401, case
    assert h.connector.posted == [] and await h.store.engine.partition_names() == []


async def test_valid_token_for_a_service_url_outside_the_allowlist_is_401(secured: tuple[Harness, OpenIdServer]) -> None:  # noqa: F811
    h, openid = secured
    activity = h.message("hjälp", ANNA)
    activity["serviceUrl"] = "https://evil.example/teams/"
    token = openid.token(audience=APP_ID, service_url=activity["serviceUrl"])
    resp = await h.post(activity, headers={"Authorization": f"Bearer {token}"})
    assert resp.status == 401
    assert h.connector.posted == [] and await h.store.engine.partition_names() == []


async def test_a_valid_token_cannot_be_reused_for_an_invoke_elsewhere(secured: tuple[Harness, OpenIdServer]) -> None:  # noqa: F811
    h, openid = secured
    token = openid.token(audience=APP_ID, service_url=h.connector.url)
    invoke = h.invoke("help", {}, ANNA)
    invoke["serviceUrl"] = "https://smba.trafficmanager.net/emea/"
    resp = await h.post(invoke, headers={"Authorization": f"Bearer {token}"})
    assert resp.status == 401
