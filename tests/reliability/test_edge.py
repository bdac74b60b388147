"""The Teams edge: what a caller can get wrong at the HTTP level is a 4xx with one log line."""

from __future__ import annotations

import gzip
import json
import logging
import time
import zlib
from datetime import timedelta
from typing import Any

import jwt
import pytest

from bot.config import Settings
from bot.messages import t
from storage.meetings_repo import meeting_partition
from storage.teams_repo import team_partition
from storage.tinydb_engine import partition_relpath
from tests.bot.teams.test_auth_tokens import APP_ID, secured  # noqa: F401 - the fixture
from tests.fakes.openid import ISSUER, OpenIdServer
from tests.harness import ANNA, PETER, TEAM_ID, TENANT, Harness, start_harness, stop_harness
from tests.reliability.conftest import MEETING_ID, DiskBot
from tests.reliability.test_backup import snapshot

# --- A body that is not what its Content-Encoding says (issue 18, point 9) -------------------


async def _post_encoded(h: Harness, raw: bytes, encoding: str) -> tuple[int, bytes]:
    headers = {"Content-Type": "application/json", "Content-Encoding": encoding}
    async with h.session.post(f"{h.base_url}/api/messages", data=raw, headers=headers) as resp:
        return resp.status, await resp.read()


def _problems(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.WARNING]


@pytest.mark.parametrize("encoding", ["deflate", "gzip", "br"])
@pytest.mark.parametrize("body", ["plain_json", "garbage", "truncated"])
async def test_a_body_that_cannot_be_decoded_is_400_with_one_log_line(
    harness: Harness, caplog: pytest.LogCaptureFixture, encoding: str, body: str
) -> None:
    plain = json.dumps(harness.message("hjälp", ANNA)).encode()
    raw = {"plain_json": plain, "garbage": b"\x00\xff" * 40, "truncated": gzip.compress(plain)[:20]}[body]
    caplog.set_level(logging.DEBUG)
    status, _ = await _post_encoded(harness, raw, encoding)
    assert status == 400
    problems = _problems(caplog)
    # A truncated stream may decode to a prefix without error; that is then just not JSON.
    assert len(problems) == 1 if body != "truncated" else len(problems) <= 1, [r.getMessage() for r in problems]
    for record in problems:
        assert record.levelno == logging.WARNING and not record.exc_info
        assert "\n" not in record.getMessage()
    assert harness.connector.posted == [] and await harness.store.engine.partition_names() == []


@pytest.mark.parametrize("encoding", ["deflate", "gzip"])
async def test_a_properly_compressed_body_is_answered(harness: Harness, encoding: str) -> None:
    plain = json.dumps(harness.message("hjälp", ANNA)).encode()
    raw = gzip.compress(plain) if encoding == "gzip" else zlib.compress(plain)
    status, _ = await _post_encoded(harness, raw, encoding)
    assert status == 200
    assert len(harness.connector.cards()) == 1


async def test_an_undecodable_body_is_400_before_any_token_check(secured: tuple[Harness, OpenIdServer]) -> None:  # noqa: F811
    h, _openid = secured
    status, _ = await _post_encoded(h, json.dumps(h.message("hjälp", ANNA)).encode(), "deflate")
    assert status == 400  # not 401: the body is refused before the (missing) token is looked at


# Refusals after authentication, and quietly (issue 18, point 14) -----------------------------

OTHER_TENANT = "0c0ffee0-1111-4222-8333-944445555666"


def _other_tenant(activity: dict[str, Any]) -> dict[str, Any]:
    activity["channelData"]["tenant"] = {"id": OTHER_TENANT}
    activity["conversation"]["tenantId"] = OTHER_TENANT
    return activity


@pytest.mark.parametrize("token", ["none", "forged"])
async def test_an_outsider_learns_nothing_about_allowed_tenants(secured: tuple[Harness, OpenIdServer], token: str) -> None:  # noqa: F811
    h, openid = secured
    activity = _other_tenant(h.message("hjälp", ANNA))
    headers = {} if token == "none" else {
        "Authorization": f"Bearer {openid.token(audience=APP_ID, service_url=activity['serviceUrl'], key=openid.other_key)}"
    }
    resp = await h.post(activity, headers=headers)
    assert resp.status == 401  # the same answer as for an allowed tenant without a valid token


async def test_an_authenticated_activity_from_another_tenant_is_403(secured: tuple[Harness, OpenIdServer]) -> None:  # noqa: F811
    h, openid = secured
    activity = _other_tenant(h.message("hjälp", ANNA))
    resp = await h.post(activity, headers={"Authorization": f"Bearer {openid.token(audience=APP_ID, service_url=activity['serviceUrl'])}"})
    assert resp.status == 403
    assert h.connector.posted == [] and await h.store.engine.partition_names() == []


@pytest.mark.parametrize("channel", ["webchat", "directline", "emulator", "MSTEAMS"])
async def test_an_endorsed_token_for_another_channel_is_refused(secured: tuple[Harness, OpenIdServer], channel: str) -> None:  # noqa: F811
    h, openid = secured
    openid.jwks["keys"][0]["endorsements"].append(channel)  # the keys vouch for it
    activity = h.message("hjälp", ANNA, channelId=channel)
    resp = await h.post(activity, headers={"Authorization": f"Bearer {openid.token(audience=APP_ID, service_url=activity['serviceUrl'])}"})
    assert resp.status == 403
    assert h.connector.posted == [] and await h.store.engine.partition_names() == []


async def test_tenant_refusals_are_logged_once_a_minute_with_a_count(caplog: pytest.LogCaptureFixture) -> None:
    h = await start_harness(settings=Settings(dev=True, allowed_tenants=frozenset({TENANT})))
    try:
        caplog.set_level(logging.INFO)
        for _ in range(30):
            assert (await h.post(_other_tenant(h.message("hjälp", ANNA)))).status == 403
        warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
        assert len(warnings) == 1 and OTHER_TENANT in warnings[0]
        h.clock.advance(timedelta(seconds=61))
        assert (await h.post(_other_tenant(h.message("hjälp", ANNA)))).status == 403
        warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
        assert len(warnings) == 2 and "29 more" in warnings[1]
    finally:
        await stop_harness(h)


# A team id with "/" cannot write into another network's partition (issue 18, point 11) -------


async def test_a_team_id_naming_another_networks_meeting_writes_only_its_own_files(disk_bot: DiskBot) -> None:
    h = disk_bot.harness
    async with h.store.engine.write(meeting_partition(TEAM_ID, MEETING_ID)) as tx:
        tx.put("notes", "1", {"text": "network A's meeting"})
    theirs = partition_relpath(team_partition(TEAM_ID)).parent.as_posix() + "/"
    meetings_before = await h.store.engine.partition_names(meeting_partition(TEAM_ID, ""))
    before = {p: b for p, b in snapshot(disk_bot.data_dir).items() if p.startswith(theirs)}
    assert any("/meetings/" in p for p in before)  # the meeting the forged id names exists
    forged = f"{TEAM_ID}/meeting/{MEETING_ID}"
    for activity in (h.team_install(PETER), h.message("hjälp", PETER), h.message("uppgifter", PETER)):
        activity["channelData"]["team"]["id"] = forged
        assert (await h.post(activity)).status == 200
    after = snapshot(disk_bot.data_dir)
    assert {p: b for p, b in after.items() if p.startswith(theirs)} == before
    assert await h.store.engine.partition_names(meeting_partition(TEAM_ID, "")) == meetings_before
    assert [m.key for m in await h.store.teams.members(forged)] == [PETER.aad]  # its own, separate network


@pytest.mark.parametrize("case", ["ten_years", "two_days", "no_start_claims_a_year"])
async def test_a_token_valid_for_longer_than_any_issued_is_401(secured: tuple[Harness, OpenIdServer], case: str) -> None:  # noqa: F811
    h, openid = secured
    activity = h.message("hjälp", ANNA)
    url = activity["serviceUrl"]
    if case == "no_start_claims_a_year":
        payload = {"iss": ISSUER, "aud": APP_ID, "serviceurl": url, "exp": int(time.time()) + 365 * 86400}
        token = jwt.encode(payload, openid.key, algorithm="RS256", headers={"kid": openid.kid})
    else:
        token = openid.token(audience=APP_ID, service_url=url, expires_in={"ten_years": 10 * 365 * 86400, "two_days": 2 * 86400}[case])
    resp = await h.post(activity, headers={"Authorization": f"Bearer {token}"})
    assert resp.status == 401
    assert h.connector.posted == [] and await h.store.engine.partition_names() == []


# Shapes the fuzz (tests/fuzz/) found failing inside a turn: refused at the edge instead ------


def _with(activity: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    *parents, last = path.split(".")
    node: Any = activity
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node.setdefault(part, {})
    node[last] = value
    return activity


FOUND_BY_FUZZ = {
    "team_id_a_list": ("channelData.team.id", [None]),
    "sender_name_a_list": ("from.name", ["x"]),
    "conversation_type_an_object": ("conversation.conversationType", {}),
    "mention_text_a_list": ("entities.0.text", ["<at>x</at>"]),
    "mentioned_a_string": ("entities.0.mentioned", "28:skis-bot"),
    "member_added_without_id": ("membersAdded", [{"name": "x"}]),
    "member_added_a_string": ("membersAdded", ["29:x"]),
}


@pytest.mark.parametrize("kind", ["message", "invoke"])
@pytest.mark.parametrize("case", sorted(FOUND_BY_FUZZ))
async def test_malformed_ids_are_4xx_and_change_nothing(harness: Harness, kind: str, case: str) -> None:
    await harness.install(ANNA)
    harness.connector.posted.clear()
    names = await harness.store.engine.partition_names()
    base = harness.message("hjälp", PETER) if kind == "message" else harness.invoke("help", {}, PETER)
    resp = await harness.post(_with(base, *FOUND_BY_FUZZ[case]))
    assert 400 <= resp.status < 500
    assert harness.connector.posted == [] and await harness.store.engine.partition_names() == names


async def test_install_naming_a_channel_setting_of_the_wrong_shape_is_answered(harness: Harness) -> None:
    harness.connector.members["19:skis-team@thread.tacv2"] = [ANNA.account()]
    resp = await harness.post(_with(harness.team_install(ANNA), "channelData.settings", ["general"]))
    assert resp.status == 200
    assert await harness.store.teams.get_team(TEAM_ID) is not None
    assert t("core.error", "sv") not in harness.connector.texts()


async def test_token_refusals_are_logged_once_a_minute(secured: tuple[Harness, OpenIdServer], caplog: pytest.LogCaptureFixture) -> None:  # noqa: F811
    h, _openid = secured
    caplog.set_level(logging.INFO)
    for _ in range(30):
        assert (await h.post(h.message("hjälp", ANNA), headers={"Authorization": "Bearer not-a-token"})).status == 401
    assert len([r for r in caplog.records if r.levelno >= logging.WARNING]) == 1
