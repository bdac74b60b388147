"""Only the configured tenants can use the bot: everything else is 403 before the bot sees it."""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.config import ConfigError, Settings
from tests.harness import ANNA, PETER, SOFIA, TEAM_ID, TENANT, Harness, start_harness, stop_harness

OTHER = "0c0ffee0-1111-4222-8333-944445555666"
APP_ID = "8f3c1f2e-1111-4222-8333-944445555666"


@pytest.fixture
async def guarded() -> AsyncIterator[Harness]:
    h = await start_harness(settings=Settings(dev=True, allowed_tenants=frozenset({TENANT})))
    try:
        yield h
    finally:
        await stop_harness(h)


def _kinds(h: Harness) -> dict[str, dict[str, Any]]:
    installation = h.team_install(ANNA)
    installation.update({"type": "installationUpdate", "action": "add"})
    return {
        "message": h.message("hjälp", ANNA),
        "invoke": h.invoke("help", {}, ANNA),
        "submit": h.submit({"action": "help"}, ANNA),
        "conversationUpdate": h.team_install(ANNA),
        "installationUpdate": installation,
        "personal_message": h.message("hjälp", ANNA, where="personal"),
    }


def _set_tenant(activity: dict[str, Any], *, channel_data: Any = "keep", conversation: Any = "keep") -> dict[str, Any]:
    activity = copy.deepcopy(activity)
    if channel_data != "keep":
        if channel_data is None:
            activity["channelData"].pop("tenant", None)
        else:
            activity["channelData"]["tenant"] = channel_data
    if conversation != "keep":
        if conversation is None:
            activity["conversation"].pop("tenantId", None)
        else:
            activity["conversation"]["tenantId"] = conversation
    return activity


REFUSED = {
    "other_tenant": {"channel_data": {"id": OTHER}, "conversation": OTHER},
    "no_tenant_at_all": {"channel_data": None, "conversation": None},
    "channel_data_disagrees": {"channel_data": {"id": OTHER}},
    "conversation_disagrees": {"conversation": OTHER},
    "tenant_not_an_object": {"channel_data": [TENANT]},
    "tenant_id_not_a_string": {"channel_data": {"id": 12345}},
    "tenant_id_empty": {"channel_data": {"id": ""}, "conversation": None},
    "tenant_id_case_changed": {"channel_data": {"id": TENANT.upper()}, "conversation": TENANT.upper()},
}


@pytest.mark.parametrize("kind", ["message", "invoke", "submit", "conversationUpdate", "installationUpdate", "personal_message"])
@pytest.mark.parametrize("case", sorted(REFUSED))
async def test_other_tenants_are_refused_with_403_and_nothing_changes(guarded: Harness, kind: str, case: str) -> None:
    activity = _set_tenant(_kinds(guarded)[kind], **REFUSED[case])
    resp = await guarded.post(activity)
    assert resp.status == 403
    assert await guarded.store.engine.partition_names() == []
    assert guarded.connector.posted == [] and sum(guarded.connector.calls.values()) == 0


@pytest.mark.parametrize("kind", ["message", "invoke", "submit", "conversationUpdate", "installationUpdate", "personal_message"])
@pytest.mark.parametrize("where", ["both", "channel_data_only", "conversation_only"])
async def test_the_allowed_tenant_gets_in(guarded: Harness, kind: str, where: str) -> None:
    activity = _kinds(guarded)[kind]
    if where == "channel_data_only":
        activity = _set_tenant(activity, conversation=None)
    elif where == "conversation_only":
        activity = _set_tenant(activity, channel_data=None)
    resp = await guarded.post(activity)
    assert resp.status == 200


async def test_activities_that_do_nothing_are_not_let_in_to_do_something(guarded: Harness) -> None:
    for kind in ("messageReaction", "typing", "event", "endOfConversation", "messageUpdate", "messageDelete"):
        activity = _set_tenant(guarded.message("hjälp", ANNA), channel_data={"id": OTHER}, conversation=OTHER)
        activity["type"] = kind
        resp = await guarded.post(activity)
        assert resp.status < 500
    assert await guarded.store.engine.partition_names() == []
    assert guarded.connector.posted == []


# Configuration: a production service always has an allowlist --------------------------------------

BASE = {"MicrosoftAppId": APP_ID, "MicrosoftAppPassword": "x"}


def test_single_tenant_app_allows_its_own_tenant() -> None:
    settings = Settings.from_env({**BASE, "MicrosoftAppTenantId": TENANT})
    assert settings.allowed_tenants == frozenset({TENANT})


def test_multi_tenant_app_without_an_allowlist_refuses_to_start() -> None:
    with pytest.raises(ConfigError, match="SKIS_ALLOWED_TENANTS"):
        Settings.from_env({**BASE, "MicrosoftAppType": "MultiTenant"})


def test_multi_tenant_app_uses_its_tenant_or_the_allowlist() -> None:
    assert Settings.from_env({**BASE, "MicrosoftAppType": "MultiTenant", "MicrosoftAppTenantId": TENANT}).allowed_tenants == {TENANT}
    listed = Settings.from_env({**BASE, "MicrosoftAppType": "MultiTenant", "SKIS_ALLOWED_TENANTS": f"{TENANT}, {OTHER}"})
    assert listed.allowed_tenants == {TENANT, OTHER}


@pytest.mark.parametrize("value", ["contoso.onmicrosoft.com", f"{TENANT};{OTHER}", "*"])
def test_allowlist_entries_must_be_tenant_ids(value: str) -> None:
    with pytest.raises(ConfigError, match="SKIS_ALLOWED_TENANTS"):
        Settings.from_env({**BASE, "MicrosoftAppTenantId": TENANT, "SKIS_ALLOWED_TENANTS": value})


# A network is bound to the tenant it was installed from (issue 18, point 12) ----------------------


@pytest.fixture
async def two_tenants() -> AsyncIterator[Harness]:
    h = await start_harness(settings=Settings(dev=True, allowed_tenants=frozenset({TENANT, OTHER})))
    try:
        await h.install(ANNA, roster=[ANNA])
        h.connector.posted.clear()
        yield h
    finally:
        await stop_harness(h)


def _from_other_tenant(activity: dict[str, Any]) -> dict[str, Any]:
    return _set_tenant(activity, channel_data={"id": OTHER}, conversation=OTHER)


@pytest.mark.parametrize("kind", ["message", "invoke", "submit", "conversationUpdate", "installationUpdate"])
async def test_another_tenant_naming_a_networks_team_id_is_403_and_changes_nothing(two_tenants: Harness, kind: str) -> None:
    h = two_tenants
    kinds = {
        "message": h.message("uppgifter", PETER),
        "invoke": h.invoke("help", {}, PETER),
        "submit": h.submit({"action": "help"}, PETER),
        "conversationUpdate": h.team_install(PETER),
        "installationUpdate": {**h.team_install(PETER), "type": "installationUpdate", "action": "add"},
    }
    before = {n: (await h.store.engine.read(n)).all("members") for n in await h.store.engine.partition_names()}
    resp = await h.post(_from_other_tenant(kinds[kind]))
    assert resp.status == 403
    assert [m.key for m in await h.store.teams.members(TEAM_ID, active_only=False)] == [ANNA.aad]
    assert {n: (await h.store.engine.read(n)).all("members") for n in await h.store.engine.partition_names()} == before
    assert h.connector.posted == [] and (await h.store.teams.get_team(TEAM_ID)).tenant_id == TENANT  # type: ignore[union-attr]


async def test_the_networks_own_tenant_still_gets_in_and_the_other_tenant_has_its_own_networks(two_tenants: Harness) -> None:
    h = two_tenants
    assert (await h.post(h.message("hjälp", PETER))).status == 200
    assert {m.key for m in await h.store.teams.members(TEAM_ID)} == {ANNA.aad, PETER.aad}
    # A personal chat in the other tenant is that tenant's own network.
    resp = await h.post(_set_tenant(h.message("hjälp", SOFIA, where="personal"), channel_data={"id": OTHER}, conversation=OTHER))
    assert resp.status == 200
