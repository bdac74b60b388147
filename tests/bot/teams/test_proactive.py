"""Proactive sending through the real SDK adapter to the local fake Bot Connector."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest

from bot.config import Settings
from bot.dev.fake_connector import FakeConnector
from bot.teams.adapter import build_adapter
from bot.teams.proactive import (
    FAILED,
    REJECTED,
    SENT,
    UNDELIVERABLE,
    Notifier,
    Outgoing,
    RateLimiter,
    RetryPolicy,
    retry_after_of,
)
from storage.engine import MemoryEngine
from storage.teams_repo import TeamsRepo
from tests.bot.reminders.conftest import TEAM_KEY, member, team

PETER = member("aad-peter")


@dataclass
class FakeTime:
    now: float = 0.0
    sleeps: list[float] = field(default_factory=list)

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@dataclass
class Kit:
    connector: FakeConnector
    notifier: Notifier
    teams: TeamsRepo
    time: FakeTime

    @property
    def team(self):  # noqa: ANN201
        return team(conversation_ref={
            "conversation": {"id": TEAM_KEY}, "serviceUrl": self.connector.url, "channelId": "msteams",
            "bot": {"id": "28:skis-bot", "name": "SKIS-boten"},
        })


@pytest.fixture
async def kit() -> AsyncIterator[Kit]:
    connector = FakeConnector()
    await connector.start()
    fake = FakeTime()
    teams = TeamsRepo(MemoryEngine())
    limiter = RateLimiter(clock=fake.monotonic, sleep=fake.sleep)
    notifier = Notifier(build_adapter(Settings(dev=True)), "", teams, limiter=limiter, sleep=fake.sleep, rand=lambda: 0.5)
    try:
        yield Kit(connector, notifier, teams, fake)
    finally:
        await connector.stop()


HELLO = Outgoing(text="Hej!")


async def test_channel_message_is_posted(kit: Kit) -> None:
    delivery = await kit.notifier.to_channel(kit.team, HELLO)
    assert delivery.status == SENT and delivery.activity_id and delivery.attempts == 1
    assert kit.connector.texts(TEAM_KEY) == ["Hej!"]


async def test_card_is_posted_with_summary(kit: Kit) -> None:
    card = {"type": "AdaptiveCard", "version": "1.5", "body": [{"type": "TextBlock", "text": "x"}]}
    await kit.notifier.to_channel(kit.team, Outgoing(card=card, summary="Möte på fredag"))
    posted = kit.connector.posted[-1]
    assert posted.cards == [card] and posted.body["summary"] == "Möte på fredag"


async def test_429_waits_retry_after_then_succeeds(kit: Kit) -> None:
    kit.connector.fail_next(429, retry_after="1")
    delivery = await kit.notifier.to_channel(kit.team, HELLO)
    assert delivery.status == SENT and delivery.attempts == 2
    assert len(kit.time.sleeps) == 1 and 1.0 <= kit.time.sleeps[0] <= 1.2
    assert kit.connector.texts(TEAM_KEY) == ["Hej!"]


@pytest.mark.parametrize("status", [412, 502, 503, 504])
async def test_transient_errors_are_retried_with_backoff(kit: Kit, status: int) -> None:
    kit.connector.fail_next(status, status)
    delivery = await kit.notifier.to_channel(kit.team, HELLO)
    assert delivery.status == SENT and delivery.attempts == 3
    assert kit.time.sleeps == [0.75, 1.5]  # 1 s then 2 s ceilings, half plus jitter (rand 0.5)


async def test_retries_are_bounded(kit: Kit) -> None:
    kit.connector.fail_next(*[502] * 10)
    delivery = await kit.notifier.to_channel(kit.team, HELLO)
    assert delivery.status == FAILED and delivery.attempts == RetryPolicy().attempts and not delivery.final
    assert kit.connector.calls["reply"] == RetryPolicy().attempts
    assert kit.connector.texts() == []


async def test_long_retry_after_is_not_waited_out(kit: Kit) -> None:
    kit.connector.fail_next(429, retry_after="3600")
    delivery = await kit.notifier.to_channel(kit.team, HELLO)
    assert delivery.status == FAILED and kit.time.sleeps == []


@pytest.mark.parametrize("status", [403, 404])
async def test_bot_removed_or_conversation_gone_is_undeliverable_at_once(kit: Kit, status: int) -> None:
    kit.connector.fail_next(status)
    delivery = await kit.notifier.to_channel(kit.team, HELLO)
    assert delivery.status == UNDELIVERABLE and delivery.detail == str(status) and delivery.final
    assert kit.connector.calls["reply"] == 1 and kit.time.sleeps == []


async def test_other_client_errors_are_rejected_without_retry(kit: Kit) -> None:
    kit.connector.fail_next(400)
    delivery = await kit.notifier.to_channel(kit.team, HELLO)
    assert delivery.status == REJECTED and delivery.final and kit.connector.calls["reply"] == 1


async def test_unreachable_service_is_a_transient_failure(kit: Kit) -> None:
    # (Against a stopped connector the SDK's own HTTP layer retries connects with real sleeps; a
    # stand-in adapter raises the connection error directly.)
    class Unreachable:
        calls = 0

        async def continue_conversation(self, *_args: object) -> None:
            Unreachable.calls += 1
            raise ConnectionRefusedError(111, "Connection refused")

    kit.notifier.adapter = Unreachable()
    delivery = await kit.notifier.to_channel(kit.team, HELLO)
    assert delivery.status == FAILED and delivery.attempts == RetryPolicy().attempts == Unreachable.calls
    assert delivery.detail == "ConnectionRefusedError" and len(kit.time.sleeps) == RetryPolicy().attempts - 1


async def test_team_without_reference_is_undeliverable(kit: Kit) -> None:
    delivery = await kit.notifier.to_channel(team(conversation_ref={}), HELLO)
    assert delivery.status == UNDELIVERABLE
    delivery = await kit.notifier.to_person(team(conversation_ref={}), PETER, HELLO)
    assert delivery.status == UNDELIVERABLE


# 1:1 --------------------------------------------------------------------------------------------------
async def test_first_personal_message_creates_the_chat_and_stores_its_reference(kit: Kit) -> None:
    delivery = await kit.notifier.to_person(kit.team, PETER, HELLO)
    assert delivery.status == SENT
    created = kit.connector.created_conversations
    assert len(created) == 1 and created[0]["members"] == [{"id": "29:aad-peter"}]
    assert created[0]["bot"]["id"] == "28:skis-bot" and created[0]["channelData"] == {"tenant": {"id": "tenant"}}
    ref = await kit.teams.personal_ref("aad-peter")
    assert ref is not None and ref["conversation"]["id"] == "a:personal-29:aad-peter"
    assert kit.connector.texts("a:personal-29:aad-peter") == ["Hej!"]
    # The next message continues the stored chat.
    await kit.notifier.to_person(kit.team, PETER, Outgoing(text="Igen"))
    assert len(kit.connector.created_conversations) == 1
    assert kit.connector.texts("a:personal-29:aad-peter") == ["Hej!", "Igen"]


async def test_stored_personal_reference_is_used(kit: Kit) -> None:
    await kit.teams.save_personal_ref("aad-peter", {"conversation": {"id": "a:existing"}, "serviceUrl": kit.connector.url,
                                              "channelId": "msteams", "bot": {"id": "28:skis-bot"}})
    await kit.notifier.to_person(kit.team, PETER, HELLO)
    assert kit.connector.created_conversations == [] and kit.connector.texts("a:existing") == ["Hej!"]


async def test_failed_send_after_creating_the_chat_retries_without_creating_another(kit: Kit) -> None:
    # create succeeds, the first post answers 429, the retry continues the stored chat
    original = kit.connector._create_conversation

    async def create_then_fail(request):  # noqa: ANN001, ANN202
        response = await original(request)
        kit.connector.fail_next(429, retry_after="1")
        return response

    kit.connector._create_conversation = create_then_fail  # type: ignore[method-assign]
    await kit.connector.stop()
    await kit.connector.start()  # routes are bound at start
    team_ = kit.team
    delivery = await kit.notifier.to_person(team_, PETER, HELLO)
    assert delivery.status == SENT and delivery.attempts == 2
    assert kit.connector.calls["create_conversation"] == 1
    assert kit.connector.texts("a:personal-29:aad-peter") == ["Hej!"]


async def test_creating_the_chat_refused_is_undeliverable(kit: Kit) -> None:
    kit.connector.fail_next(403)
    delivery = await kit.notifier.to_person(kit.team, PETER, HELLO)
    assert delivery.status == UNDELIVERABLE and await kit.teams.personal_ref("aad-peter") is None


# Limits ----------------------------------------------------------------------------------------------
async def test_rate_limiter_keeps_within_seven_a_second_per_conversation() -> None:
    fake = FakeTime()
    limiter = RateLimiter(clock=fake.monotonic, sleep=fake.sleep)
    stamps = []
    for _ in range(30):
        await limiter.acquire("conv")
        stamps.append(fake.now)
    for i, start in enumerate(stamps):
        assert sum(1 for s in stamps[i:] if s <= start + 1.0) <= 7
        assert sum(1 for s in stamps[i:] if s <= start + 2.0) <= 8
        assert sum(1 for s in stamps[i:] if s <= start + 30.0) <= 60
    assert stamps[2] == 0.0  # a short burst goes at once
    assert fake.now < 30  # paced, not stalled


async def test_rate_limiter_app_wide_limit_across_conversations() -> None:
    fake = FakeTime()
    limiter = RateLimiter(clock=fake.monotonic, sleep=fake.sleep)
    stamps = []
    for i in range(120):
        await limiter.acquire(f"conv{i}")
        stamps.append(fake.now)
    for i, start in enumerate(stamps):
        assert sum(1 for s in stamps[i:] if s <= start + 1.0) <= 50
    assert fake.now < 5


async def test_notifier_sends_through_the_limiter(kit: Kit) -> None:
    for _ in range(10):
        assert (await kit.notifier.to_channel(kit.team, HELLO)).status == SENT
    assert len(kit.connector.texts(TEAM_KEY)) == 10
    assert kit.time.now > 0  # the 8th message had to wait


def test_retry_after_as_http_date() -> None:
    class Resp:
        headers = {"Retry-After": "Mon, 23 Nov 2026 09:00:30 GMT"}

    class Exc(Exception):
        response = Resp()

    assert retry_after_of(Exc(), now=datetime(2026, 11, 23, 9, 0, tzinfo=UTC)) == 30.0
