"""Proactive sending: to a network's channel or to a person's 1:1 chat, politely and persistently.

This is the one way the bot speaks outside a turn (reminders, the minutes' posts and change
requests, updating a card posted earlier): ``create_app`` builds one ``Notifier`` as
``services.proactive`` so every such send shares the same retries and the same rate limits.

- Messages go through stored conversation references (``Team.conversation_ref`` for the channel,
  ``TeamsRepo.personal_ref`` for 1:1). A person the bot has never chatted with gets a new 1:1
  conversation (``adapter.create_conversation``) and its reference is stored for next time.
- The Bot Framework SDK does not retry. Here 429 (honouring Retry-After), 412, 502, 503, 504 and
  network errors are retried with exponential backoff and jitter, a bounded number of times.
- A 403 or 404 means the bot was removed or the conversation is gone: the target is reported
  undeliverable at once and never retried. Other 4xx are rejected (retrying cannot help). A 500
  is never resent, now or at a later run: the message may already be in the chat.
- Teams allows a bot about 7 messages a second per conversation (and 60 per 30 s) and about 50 a
  second in all: token buckets keep under that. Time and sleep are injected so tests never wait.

Nothing here raises for a failed send: every outcome is a ``Delivery``.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from time import monotonic
from typing import Any

from aiohttp import ClientConnectionError
from botbuilder.core import CardFactory, MessageFactory, TurnContext
from botbuilder.schema import Activity, ChannelAccount, ConversationParameters, ConversationReference
from msrest.exceptions import ClientRequestError

from bot.teams.connector_retry import retry_after_of, status_of
from bot.teams.install import conversation_ref
from storage.teams_repo import Member, Team, TeamsRepo

log = logging.getLogger(__name__)

SENT = "sent"
UNDELIVERABLE = "undeliverable"
REJECTED = "rejected"
# A 500 (or other 5xx Teams does not ask us to retry) on a POST: the message may be in the chat
# already, so it is recorded and never sent again rather than risk a duplicate.
UNCERTAIN = "uncertain"
FAILED = "failed"  # transient, or a fault of ours: try again at the next run

Sleep = Callable[[float], Awaitable[None]]

# (messages, per seconds): Teams' documented per-bot limits for one conversation, and for the app.
PER_CONVERSATION_LIMITS: tuple[tuple[int, float], ...] = ((7, 1.0), (8, 2.0), (60, 30.0), (1800, 3600.0))
PER_APP_LIMITS: tuple[tuple[int, float], ...] = ((50, 1.0),)


@dataclass(frozen=True)
class Outgoing:
    """What to send: markdown text and/or an Adaptive Card (a fresh Activity is built for every attempt)."""

    text: str | None = None
    card: dict[str, Any] | None = None
    summary: str | None = None

    def activity(self) -> Activity:
        if self.card is not None:
            activity = MessageFactory.attachment(CardFactory.adaptive_card(self.card), text=self.text)
        else:
            activity = MessageFactory.text(self.text or "")
        if self.summary:
            activity.summary = self.summary
        return activity


@dataclass(frozen=True)
class Delivery:
    status: str  # SENT | UNDELIVERABLE | REJECTED | UNCERTAIN | FAILED
    activity_id: str | None = None
    detail: str | None = None
    attempts: int = 1

    @property
    def final(self) -> bool:
        """True when trying again cannot change the outcome (it is recorded in the sent-log)."""
        return self.status != FAILED


# Rate limits ---------------------------------------------------------------------------------------
class TokenBucket:
    """``rate`` tokens a second up to ``capacity``; a reservation may borrow ahead (callers then wait)."""

    def __init__(self, rate: float, capacity: float, now: float) -> None:
        self.rate = rate
        self.capacity = capacity
        self.tokens = capacity
        self.updated = now

    @classmethod
    def for_limit(cls, messages: int, per: float, now: float) -> TokenBucket:
        """A bucket that never lets more than ``messages`` through in any ``per`` seconds.

        A bucket passes at most ``capacity + rate * T`` in any T seconds, so half the limit is
        allowed as a burst and the other half refills over the window.
        """
        capacity = max(1, messages // 2)
        return cls((messages - capacity) / per, capacity, now)

    @classmethod
    def for_throughput(cls, messages: int, per: float, now: float) -> TokenBucket:
        """Like ``for_limit``, but with a small burst so a long fan-out runs near the limit itself.

        Half the limit as burst leaves only half as refill: 2,000 sends at "50 a second" would
        take 80 s. A tenth as burst and one message of slack (for network jitter between our
        clock and Teams') keeps any ``per`` seconds at ``messages - 1`` and sustains ~0.88 of the limit.
        """
        capacity = max(1, messages // 10)
        return cls(max(1, messages - capacity - 1) / per, capacity, now)

    def reserve(self, now: float) -> float:
        """Take one token; return how long to wait until it is really there."""
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        self.tokens -= 1
        return 0.0 if self.tokens >= 0 else -self.tokens / self.rate

    def full(self, now: float) -> bool:
        return self.tokens + (now - self.updated) * self.rate >= self.capacity


class RateLimiter:
    """Waits as long as needed to stay within every per-conversation and per-app limit."""

    def __init__(
        self,
        *,
        per_conversation: tuple[tuple[int, float], ...] = PER_CONVERSATION_LIMITS,
        per_app: tuple[tuple[int, float], ...] = PER_APP_LIMITS,
        clock: Callable[[], float] = monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._per_conversation = per_conversation
        self._clock = clock
        self.sleep = sleep
        # App-wide limits govern big fan-outs (one message to each of many chats): favour throughput.
        self._app = [TokenBucket.for_throughput(n, per, clock()) for n, per in per_app]
        self._conversations: dict[str, list[TokenBucket]] = {}

    async def acquire(self, conversation_id: str | None) -> float:
        """Wait for a slot to post to ``conversation_id`` (None: app-wide limits only); returns the wait."""
        now = self._clock()
        buckets = list(self._app)
        if conversation_id is not None:
            buckets += self._buckets(conversation_id, now)
        wait = max(bucket.reserve(now) for bucket in buckets)
        if wait > 0:
            await self.sleep(wait)
        return wait

    def _buckets(self, conversation_id: str, now: float) -> list[TokenBucket]:
        found = self._conversations.get(conversation_id)
        if found is None:
            if len(self._conversations) > 1000:  # forget idle conversations
                self._conversations = {k: v for k, v in self._conversations.items() if not all(b.full(now) for b in v)}
            found = self._conversations[conversation_id] = [TokenBucket.for_limit(n, per, now) for n, per in self._per_conversation]
        return found


# Retries -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 5
    base_delay: float = 1.0
    max_delay: float = 30.0
    # A Retry-After longer than this is not waited out here: the next run tries again.
    max_retry_after: float = 120.0
    retry_statuses: frozenset[int] = field(default_factory=lambda: frozenset({412, 429, 502, 503, 504}))

    def delay(self, attempt: int, retry_after: float | None, rand: Callable[[], float]) -> float | None:
        """Seconds to wait before attempt ``attempt + 1``, or None to give up for now."""
        if attempt >= self.attempts:
            return None
        if retry_after is not None:
            if retry_after > self.max_retry_after:
                return None
            # The server's wait, plus a little jitter so parallel senders do not return together.
            return retry_after + rand() * min(1.0, retry_after * 0.1 + 0.1)
        ceiling = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        return ceiling / 2 + rand() * ceiling / 2


def _is_network_error(exc: BaseException) -> bool:
    # msrest wraps connection failures in ClientRequestError; the aiohttp transport raises its own.
    return isinstance(exc, (asyncio.TimeoutError, OSError, ClientConnectionError, ClientRequestError))


# The notifier ----------------------------------------------------------------------------------------
class Notifier:
    """Sends one message to one target and says what happened; never raises for a failed send."""

    def __init__(
        self,
        adapter: Any,
        app_id: str,
        teams: TeamsRepo,
        *,
        limiter: RateLimiter | None = None,
        policy: RetryPolicy | None = None,
        sleep: Sleep | None = None,
        rand: Callable[[], float] = random.random,
    ) -> None:
        self.adapter = adapter
        self.app_id = app_id
        self.teams = teams
        self.sleep: Sleep = sleep or asyncio.sleep
        self.limiter = limiter or RateLimiter(sleep=lambda s: self.sleep(s))
        self.policy = policy or RetryPolicy()
        self.rand = rand

    async def to_channel(self, team: Team, message: Outgoing) -> Delivery:
        """Post in the network's channel (or chat)."""
        return await self.to_conversation(team.conversation_ref, message)

    async def to_conversation(self, ref: dict[str, Any] | None, message: Outgoing) -> Delivery:
        """Post in a conversation the bot has a stored reference to (a channel or a 1:1 chat)."""
        if not ref:
            return Delivery(UNDELIVERABLE, detail="no conversation reference")
        return await self._with_retries(_known(_conversation_id(ref)), lambda: self._continue(ref, message))

    async def update_card(self, ref: dict[str, Any] | None, activity_id: str, card: dict[str, Any]) -> Delivery:
        """Replace the card of activity ``activity_id`` (posted earlier in that conversation) with ``card``."""
        if not ref:
            return Delivery(UNDELIVERABLE, detail="no conversation reference")
        message = Outgoing(card=card)
        return await self._with_retries(_known(_conversation_id(ref)), lambda: self._continue(ref, message, replaces=activity_id))

    async def to_person(self, team: Team, member: Member, message: Outgoing) -> Delivery:
        """Send in the person's 1:1 chat with the bot, starting that chat if there is none yet."""

        if not await self.teams.personal_ref(member.key) and not (team.conversation_ref or {}).get("serviceUrl"):
            return Delivery(UNDELIVERABLE, detail="no conversation reference")

        async def attempt() -> str | None:
            ref = await self.teams.personal_ref(member.key)
            if ref:
                return await self._continue(ref, message)
            return await self._create_and_send(team, member, message)

        async def conversation() -> str | None:
            # None until the 1:1 chat exists: creating it counts against the app-wide limit only.
            ref = await self.teams.personal_ref(member.key)
            return _conversation_id(ref) if ref else None

        return await self._with_retries(conversation, attempt)

    # Attempts --------------------------------------------------------------------------------
    async def _with_retries(
        self, conversation: Callable[[], Awaitable[str | None]], attempt: Callable[[], Awaitable[str | None]]
    ) -> Delivery:
        tries = 0
        while True:
            tries += 1
            conversation_id = await conversation()
            await self.limiter.acquire(conversation_id)
            try:
                activity_id = await attempt()
                return Delivery(SENT, activity_id=activity_id, attempts=tries)
            except Exception as exc:
                status = status_of(exc)
                if status in (403, 404):
                    log.warning("proactive target unreachable (%s) in conversation %s", status, conversation_id)
                    return Delivery(UNDELIVERABLE, detail=str(status), attempts=tries)
                retryable = status in self.policy.retry_statuses or (status is None and _is_network_error(exc))
                if not retryable:
                    if status is not None and 400 <= status < 500 and status != 401:
                        log.warning("connector rejected a proactive message with %s", status)
                        return Delivery(REJECTED, detail=str(status), attempts=tries)
                    if status is not None and status >= 500:
                        log.warning("connector answered %s to a proactive message; not resending (it may have arrived)", status)
                        return Delivery(UNCERTAIN, detail=str(status), attempts=tries)
                    log.error("sending a proactive message failed", exc_info=exc)
                    return Delivery(FAILED, detail=str(status) if status else type(exc).__name__, attempts=tries)
                wait = self.policy.delay(tries, retry_after_of(exc) if status == 429 else None, self.rand)
                detail = str(status) if status else type(exc).__name__
                if wait is None:
                    log.warning("giving up on a proactive message for now after %s attempts (%s)", tries, detail)
                    return Delivery(FAILED, detail=detail, attempts=tries)
                log.info("connector answered %s; retrying in %.1f s", detail, wait)
                await self.sleep(wait)

    async def _continue(self, ref: dict[str, Any], message: Outgoing, *, replaces: str | None = None) -> str | None:
        reference = ConversationReference().deserialize(ref)
        outcome: dict[str, Any] = {}

        async def send(context: TurnContext) -> None:
            # Errors are caught here: the adapter's error boundary would otherwise swallow them.
            try:
                activity = message.activity()
                if replaces is None:
                    response = await context.send_activity(activity)
                    outcome["id"] = response.id if response else None
                else:
                    activity.id = replaces
                    await context.update_activity(activity)
                    outcome["id"] = replaces
            except Exception as exc:
                outcome["error"] = exc

        await self.adapter.continue_conversation(reference, send, self.app_id)
        if "error" in outcome:
            raise outcome["error"]
        if "id" not in outcome:
            raise RuntimeError("the proactive turn did not run")
        return outcome["id"]

    async def _create_and_send(self, team: Team, member: Member, message: Outgoing) -> str | None:
        channel_ref = team.conversation_ref or {}
        service_url = channel_ref.get("serviceUrl")
        bot = channel_ref.get("bot") or {}
        params = ConversationParameters(
            is_group=False,
            bot=ChannelAccount(id=bot.get("id"), name=bot.get("name")),
            members=[ChannelAccount(id=member.teams_id)],
            tenant_id=team.tenant_id,
            channel_data={"tenant": {"id": team.tenant_id}} if team.tenant_id else None,
        )
        outcome: dict[str, Any] = {}

        async def send(context: TurnContext) -> None:
            # Remember the chat first: if sending fails, the retry continues it instead of creating another.
            await self.teams.save_personal_ref(member.key, conversation_ref(context.activity))
            try:
                response = await context.send_activity(message.activity())
                outcome["id"] = response.id if response else None
            except Exception as exc:
                outcome["error"] = exc

        await self.adapter.create_conversation(
            self.app_id, send, params, channel_id=channel_ref.get("channelId") or "msteams", service_url=service_url, audience=None
        )
        if "error" in outcome:
            raise outcome["error"]
        if "id" not in outcome:
            raise RuntimeError("the new conversation's turn did not run")
        return outcome["id"]


def _conversation_id(ref: dict[str, Any]) -> str | None:
    return (ref.get("conversation") or {}).get("id")


def _known(conversation_id: str | None) -> Callable[[], Awaitable[str | None]]:
    """The conversation of a message whose conversation is known before it is sent."""

    async def conversation() -> str | None:
        return conversation_id

    return conversation
