"""Activities delivered twice get one effect.

Teams re-sends an activity when the bot answers slowly, and a card button can be clicked
twice before the first click is answered. The first delivery is processed; a copy that
arrives while it runs waits for it, and a copy that arrives later gets the same HTTP answer
without running the bot again (so no second record and no second reply in the chat).
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


class RecentActivities:
    def __init__(self, capacity: int = 20_000) -> None:
        self._capacity = capacity
        self._results: OrderedDict[str, asyncio.Future[object]] = OrderedDict()

    async def once(self, key: str | None, work: Callable[[], Awaitable[T]]) -> T:
        """Run ``work`` the first time ``key`` is seen; later calls share its result."""
        if not key:
            return await work()
        existing = self._results.get(key)
        if existing is not None:
            return await asyncio.shield(existing)  # type: ignore[arg-type]
        future: asyncio.Future[object] = asyncio.get_running_loop().create_future()
        self._results[key] = future
        while len(self._results) > self._capacity:
            self._results.popitem(last=False)
        try:
            result = await work()
        except BaseException as exc:
            # A failed delivery may be retried for real: forget it, and wake any waiting copy.
            self._results.pop(key, None)
            future.set_exception(exc)
            future.exception()  # mark retrieved so an unawaited failure is not logged twice
            raise
        future.set_result(result)
        return result
