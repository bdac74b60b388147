"""The reminders machinery as the running service holds it (``services.reminders``)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from bot.reminders.jobs import ReminderRunner
from bot.reminders.scheduler import MAX_SLEEP, SHARED_MAX_SLEEP, ReminderScheduler
from bot.services import Services
from bot.teams.proactive import Notifier

log = logging.getLogger(__name__)


@dataclass
class ReminderService:
    runner: ReminderRunner
    scheduler: ReminderScheduler
    notifier: Notifier
    admin_token: str = ""
    token_path: Path | None = None

    async def on_change(self, kind: str, team_key: str, record_id: str) -> None:
        """A meeting, item, team or setting changed: re-aim the scheduler (the schedule is derived)."""
        await self.scheduler.reschedule()


def build_service(services: Services) -> ReminderService:
    """Runner and scheduler over the service's store and clock, sending with its one proactive sender."""
    settings = services.settings
    notifier = services.proactive or Notifier(services.adapter, settings.app_id, services.store.teams)
    runner = ReminderRunner(services.store, notifier, tz=settings.timezone, clock=services.clock, settings=settings)
    # Without run_scheduler nothing falls due by itself: the scheduler fires only when told
    # (tests call wake()/run_due, or the admin route runs it).
    # On a shared database another instance may add a meeting or an item this one never hears
    # of: the sender then plans again every few minutes instead of every hour.
    shared = getattr(services.store.engine, "shared", False)
    scheduler = ReminderScheduler(runner, services.clock, autorun=services.run_scheduler,
                                  max_sleep=SHARED_MAX_SLEEP if shared else MAX_SLEEP)
    return ReminderService(runner, scheduler, notifier)
