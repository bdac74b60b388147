"""What every part of the bot may use, built once by ``create_app``: no module globals."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.clock import Clock
from bot.config import Settings
from storage.store import Store

if TYPE_CHECKING:  # these import botbuilder or the features; Services is read everywhere
    from botbuilder.core import CloudAdapter

    from bot.features.privacy import RetentionPurge
    from bot.reminders.service import ReminderService
    from bot.teams.proactive import Notifier

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
    # Whether background work runs by itself (the reminders scheduler). The service says yes;
    # tests say no and drive it themselves (their clock stands still until they move it).
    run_scheduler: bool = True
    # Filled by create_app: the adapter, and the one sender of every proactive message and card
    # update over it (bot/teams/proactive.py: retries and Teams' rate limits, shared by all).
    adapter: CloudAdapter | None = None
    proactive: Notifier | None = None
    # Filled while the features run (their start/stop): None before start-up and after shutdown.
    reminders: ReminderService | None = None
    purge: RetentionPurge | None = None
