"""Replies within a turn, retried the way Teams asks, within the time Teams waits.

The SDK sends replies once: a 429 or a 502 from the Bot Connector fails the turn and the
person sees an error instead of the answer. Teams' rate-limiting guidance says to retry 429
with exponential backoff and jitter (honouring Retry-After), and that 412, 502 and 504 must be
retried too; 503 (not processed) is retried as well. Not retried:

- 500 on a POST: the message may already be in the chat, and sending it again shows it twice;
- 403 and 404: the bot was removed or the conversation is gone, trying again cannot help;
- any other 4xx, and network errors (the HTTP stack already retries failed connects).

Teams waits about 15 seconds for the bot to answer an activity, so the waiting in one turn is
bounded (``TurnRetryPolicy.budget``); a Retry-After longer than what is left is not waited out.
Only the clients handed to inbound turns are wrapped: proactive sends (reminders, minutes
posts, card updates) have their own, more patient retries in bot/teams/proactive.py.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]

# Connector operations a turn uses; all are safe to repeat after one of the statuses retried.
RETRIED_CALLS = frozenset(
    {
        "reply_to_activity",
        "send_to_conversation",
        "update_activity",
        "delete_activity",
        "get_conversation_paged_members",
        "get_teams_conversation_paged_members",
        "get_conversation_members",
        "get_conversation_member",
        "get_activity_members",
    }
)


@dataclass(frozen=True)
class TurnRetryPolicy:
    attempts: int = 3
    base_delay: float = 0.5
    max_delay: float = 4.0
    budget: float = 8.0  # seconds of waiting per turn, well inside the ~15 s Teams waits
    statuses: frozenset[int] = field(default_factory=lambda: frozenset({412, 429, 502, 503, 504}))

    def delay(self, attempt: int, retry_after: float | None, waited: float, rand: Callable[[], float]) -> float | None:
        """Seconds to wait before attempt ``attempt + 1``; None to give up."""
        if attempt >= self.attempts:
            return None
        if retry_after is not None:
            wait = retry_after + rand() * 0.1
        else:
            ceiling = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
            wait = ceiling / 2 + rand() * ceiling / 2  # exponential backoff with jitter
        return wait if waited + wait <= self.budget else None


def status_of(exc: BaseException) -> int | None:
    """The HTTP status of a connector error (its ``response`` is the requests or aiohttp response)."""
    response = getattr(exc, "response", None)
    status = getattr(response, "status_code", None) or getattr(response, "status", None)
    return status if isinstance(status, int) else None


def retry_after_of(exc: BaseException, now: datetime | None = None) -> float | None:
    """Seconds the Retry-After header asks for (seconds or an HTTP date), if present."""
    headers = getattr(getattr(exc, "response", None), "headers", None)
    value = headers.get("Retry-After") if headers is not None and hasattr(headers, "get") else None
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class TurnRetry:
    """The retry settings of one adapter; ``wrap`` gives a turn its retrying client."""

    def __init__(self, policy: TurnRetryPolicy | None = None, *, sleep: Sleep | None = None,
                 rand: Callable[[], float] = random.random) -> None:
        self.policy = policy or TurnRetryPolicy()
        self.sleep: Sleep = sleep or asyncio.sleep
        self.rand = rand

    def wrap(self, client: Any) -> Any:
        """``client`` for one turn: its conversation operations retried within one shared budget."""
        return _RetryingClient(client, self)


class _RetryingClient:
    def __init__(self, inner: Any, retry: TurnRetry) -> None:
        self._inner = inner
        self.conversations = _RetryingOperations(inner.conversations, retry)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class _RetryingOperations:
    def __init__(self, inner: Any, retry: TurnRetry) -> None:
        self._inner = inner
        self._retry = retry
        self._waited = 0.0  # across every call of this turn

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._inner, name)
        if name not in RETRIED_CALLS or not callable(attr):
            return attr

        async def call(*args: Any, **kwargs: Any) -> Any:
            return await self._call(name, attr, args, kwargs)

        return call

    async def _call(self, name: str, operation: Callable[..., Awaitable[Any]], args: tuple[Any, ...],
                    kwargs: dict[str, Any]) -> Any:
        retry = self._retry
        attempt = 0
        while True:
            attempt += 1
            try:
                return await operation(*args, **kwargs)
            except Exception as exc:
                status = status_of(exc)
                if status not in retry.policy.statuses:
                    raise
                wait = retry.policy.delay(attempt, retry_after_of(exc) if status == 429 else None, self._waited, retry.rand)
                if wait is None:
                    log.warning("connector answered %s to %s %d times; giving up", status, name, attempt)
                    raise
                log.info("connector answered %s to %s; retrying in %.2f s", status, name, wait)
                self._waited += wait
                await retry.sleep(wait)
