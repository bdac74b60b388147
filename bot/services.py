"""What every part of the bot may use, built once by ``create_app``: no module globals."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from bot.clock import Clock
from bot.config import Settings
from storage.store import Store

log = logging.getLogger(__name__)

# (kind, team_key, record id) -> awaited after a change is stored; the scheduler listens here.
ChangeListener = Callable[[str, str, str], Awaitable[None]]


@dataclass
class ChangeFeed:
    """Tells interested parts (reminders) that a meeting or action item changed."""

    listeners: list[ChangeListener] = field(default_factory=list)

    def subscribe(self, listener: ChangeListener) -> None:
        self.listeners.append(listener)

    async def publish(self, kind: str, team_key: str, record_id: str) -> None:
        for listener in self.listeners:
            try:
                await listener(kind, team_key, record_id)
            except Exception:  # a listener's failure must not undo a stored record
                log.exception("change listener failed for %s %s", kind, record_id)


@dataclass
class Services:
    settings: Settings
    store: Store
    clock: Clock
    changes: ChangeFeed = field(default_factory=ChangeFeed)
    # Filled by create_app: the adapter (for proactive sends) and the app id used with it.
    adapter: Any = None
    extras: dict[str, Any] = field(default_factory=dict)
