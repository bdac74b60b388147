"""The Bot Connector throttles or fails: retried or given up as Teams asks, never twice, never a crash.

Teams ("Optimize your bot with rate limiting"): retry 429 with exponential backoff and jitter,
honouring Retry-After; 412, 502 and 504 must be retried too. 503 (not processed) is retried as
well. A 500 on a POST is not retried (the message may already be in the chat); 403/404 mean the
bot was removed or the conversation is gone. Replies within a turn: bot/teams/connector_retry.py, on
a time budget well inside the ~15 s Teams waits. Proactive sends: bot/teams/proactive.py.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.app import SERVICES_KEY
from bot.messages import t
from bot.teams.connector_retry import TurnRetryPolicy
from tests.harness import ANNA, PETER, SOFIA, TEAM_ID, Harness
from tests.reliability.conftest import add_meeting

ERROR_REPLY = t("core.error", "sv")
RECORD = "beslut Vi presenterar UP2 i januari"


class Sleeps:
    """Stands in for asyncio.sleep: records the waits, waits for nothing."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture
async def bot(harness: Harness) -> tuple[Harness, Sleeps]:
    await harness.install(ANNA, roster=[ANNA, PETER, SOFIA])
    await add_meeting(harness)
    harness.connector.clear()
    sleeps = Sleeps()
    retry = harness.app[SERVICES_KEY].adapter.bot_framework_authentication.turn_retry
    retry.sleep = sleeps
    retry.rand = lambda: 0.5
    return harness, sleeps


def _posts(h: Harness) -> int:
    """POSTs of messages to the connector (new messages and replies), answered or not."""
    return h.connector.calls["send"] + h.connector.calls["reply"]


def _replies(h: Harness) -> list[str]:
    return [p.text for p in h.connector.posted if p.method != "PUT"]


@pytest.mark.parametrize("status", [412, 429, 502, 503, 504])
async def test_transient_fault_on_a_reply_is_retried_and_answered_once(bot: tuple[Harness, Sleeps], status: int) -> None:
    h, sleeps = bot
    h.connector.fail_next(status)
    resp = await h.post(h.message(RECORD, SOFIA))
    assert resp.status == 200
    assert h.connector.calls["reply"] == 2
    [reply] = _replies(h)
    assert reply.startswith("Beslut **1**")
    assert len(await h.store.decisions.all(TEAM_ID)) == 1
    assert len(sleeps.waits) == 1 and 0 < sleeps.waits[0] <= TurnRetryPolicy().budget


async def test_retry_after_is_honoured(bot: tuple[Harness, Sleeps]) -> None:
    h, sleeps = bot
    h.connector.fail_next(429, retry_after="3")
    await h.post(h.message(RECORD, SOFIA))
    assert 3.0 <= sleeps.waits[0] <= 3.1
    assert len(_replies(h)) == 1


async def test_backoff_grows_between_attempts(bot: tuple[Harness, Sleeps]) -> None:
    h, sleeps = bot
    h.connector.fail_next(502, 504)
    await h.post(h.message(RECORD, SOFIA))
    assert h.connector.calls["reply"] == 3
    assert len(sleeps.waits) == 2 and sleeps.waits[1] > sleeps.waits[0]
    assert len(_replies(h)) == 1


async def test_persistent_throttling_gives_up_within_the_turn_budget(bot: tuple[Harness, Sleeps]) -> None:
    h, sleeps = bot
    h.connector.fail_next(429, 429, 429, retry_after="2")
    resp = await h.post(h.message(RECORD, SOFIA))
    assert resp.status == 200
    assert sum(sleeps.waits) <= TurnRetryPolicy().budget
    # The decision is stored once; the person then gets the one error sentence instead.
    assert len(await h.store.decisions.all(TEAM_ID)) == 1
    assert _replies(h) == [ERROR_REPLY]


async def test_retry_after_longer_than_the_turn_can_wait_is_not_waited_out(bot: tuple[Harness, Sleeps]) -> None:
    h, sleeps = bot
    h.connector.fail_next(429, retry_after="60")
    resp = await h.post(h.message(RECORD, SOFIA))
    assert resp.status == 200
    assert sleeps.waits == []
    assert _replies(h) == [ERROR_REPLY]


async def test_500_on_a_post_is_not_retried(bot: tuple[Harness, Sleeps]) -> None:
    h, sleeps = bot
    h.connector.fail_next(500)
    resp = await h.post(h.message(RECORD, SOFIA))
    assert resp.status == 200
    assert sleeps.waits == []
    # Not sent a second time (it may already be in the chat); the person is told something failed.
    assert h.connector.calls["reply"] == 2
    assert _replies(h) == [ERROR_REPLY]
    assert len(await h.store.decisions.all(TEAM_ID)) == 1


@pytest.mark.parametrize("status", [403, 404])
async def test_bot_removed_is_given_up_at_once_without_a_crash(bot: tuple[Harness, Sleeps], status: int) -> None:
    h, sleeps = bot
    h.connector.fail_next(status)
    resp = await h.post(h.message(RECORD, SOFIA))
    assert resp.status == 200
    assert sleeps.waits == []
    assert h.connector.calls["reply"] == 1  # no retry, and no error message to nobody
    assert _replies(h) == []
    # The service carries on for everyone else.
    assert await h.say("incheckning Här är jag", PETER)


async def test_card_update_is_retried(bot: tuple[Harness, Sleeps]) -> None:
    h, sleeps = bot
    await h.say("uppgift Boka lokal @Peter Stark", ANNA, mentions=[PETER])
    item = (await h.store.actions.all(TEAM_ID))[0]
    h.connector.clear()
    h.connector.fail_next(502)
    resp = await h.post(h.submit({"action": "action_done", "number": item.number, "view": "all"}, PETER))
    assert resp.status == 200
    assert not (await h.store.actions.get(TEAM_ID, item.id)).is_open
    assert len(sleeps.waits) == 1
    assert len(_replies(h)) == 1


async def test_roster_read_at_install_is_retried(harness: Harness) -> None:
    sleeps = Sleeps()
    retry = harness.app[SERVICES_KEY].adapter.bot_framework_authentication.turn_retry
    retry.sleep = sleeps
    harness.connector.fail_next(429, retry_after="1")
    await harness.install(ANNA, roster=[ANNA, PETER, SOFIA])
    assert harness.connector.calls["paged_members"] == 2
    assert {m.key for m in await harness.store.teams.members(TEAM_ID)} == {ANNA.aad, PETER.aad, SOFIA.aad}


# --- Proactive sends: the reminders notifier -------------------------------------------------------


@pytest.fixture
async def notifier(bot: tuple[Harness, Sleeps]) -> tuple[Harness, Any, Sleeps]:
    from bot.teams.proactive import Notifier

    h, _ = bot
    sleeps = Sleeps()
    services = h.app[SERVICES_KEY]
    n = Notifier(services.adapter, services.settings.app_id, services.store.teams, sleep=sleeps, rand=lambda: 0.5)
    h.connector.clear()
    return h, n, sleeps


async def _to_channel(h: Harness, n: Any) -> Any:
    from bot.teams.proactive import Outgoing

    return await n.to_channel(await h.store.teams.get_team(TEAM_ID), Outgoing(text="Påminnelse: möte på fredag"))


@pytest.mark.parametrize("status", [412, 429, 502, 503, 504])
async def test_notifier_retries_transient_faults_and_sends_once(notifier: tuple[Harness, Any, Sleeps], status: int) -> None:
    h, n, sleeps = notifier
    h.connector.fail_next(status, status, retry_after="2")
    delivery = await _to_channel(h, n)
    assert delivery.status == "sent" and delivery.attempts == 3
    assert _posts(h) == 3  # not multiplied by the turn retries
    assert _replies(h) == ["Påminnelse: möte på fredag"]
    if status == 429:
        assert all(2.0 <= w <= 2.5 for w in sleeps.waits)


@pytest.mark.parametrize("status", [403, 404])
async def test_notifier_gives_up_at_once_when_the_bot_was_removed(notifier: tuple[Harness, Any, Sleeps], status: int) -> None:
    h, n, sleeps = notifier
    h.connector.fail_next(status)
    delivery = await _to_channel(h, n)
    assert delivery.status == "undeliverable" and _posts(h) == 1 and sleeps.waits == []


async def test_notifier_does_not_resend_after_a_500(notifier: tuple[Harness, Any, Sleeps]) -> None:
    h, n, sleeps = notifier
    h.connector.fail_next(500)
    delivery = await _to_channel(h, n)
    assert _posts(h) == 1 and sleeps.waits == []
    # Recorded as final, so a later run of the reminders does not send it a second time.
    assert delivery.status == "uncertain" and delivery.final


def test_turn_budget_fits_inside_what_teams_waits() -> None:
    policy = TurnRetryPolicy()
    assert policy.budget <= 10 and policy.attempts >= 3
    assert {412, 429, 502, 504} <= policy.statuses and 500 not in policy.statuses
