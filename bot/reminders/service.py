"""The reminders machinery as the running service holds it (``services.extras["reminders"]``)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.clock import FixedClock
from bot.reminders.jobs import ReminderRunner
from bot.reminders.scheduler import ReminderScheduler
from bot.teams.proactive import Notifier

log = logging.getLogger(__name__)

EXTRAS_KEY = "reminders"
# Set services.extras["reminders.autorun"] to force the scheduler on or off.
AUTORUN_KEY = "reminders.autorun"


@dataclass
class ReminderService:
    runner: ReminderRunner
    scheduler: ReminderScheduler
    notifier: Notifier
    admin_token: str = ""
    token_path: Path | None = None

    async def on_change(self, kind: str, team_key: str, record_id: str) -> None:
        """A meeting, item, team or setting changed: re-aim the scheduler (the schedule is derived)."""
        self.scheduler.reschedule()


def build_service(services: Any, *, adapter: Any | None = None) -> ReminderService:
    """Runner, notifier and scheduler over the service's store, adapter and clock."""
    settings = services.settings
    notifier = Notifier(adapter or services.adapter, settings.app_id, services.store.teams)
    runner = ReminderRunner(services.store, notifier, tz=settings.timezone, clock=services.clock, settings=settings)
    # A FixedClock stands still until a test moves it: nothing falls due by itself, so the
    # scheduler only fires when told (tests call wake()/run_due); other clocks run for real.
    autorun = services.extras.get(AUTORUN_KEY, not isinstance(services.clock, FixedClock))
    scheduler = ReminderScheduler(runner, services.clock, autorun=bool(autorun))
    return ReminderService(runner, scheduler, notifier)


def service_of(services: Any) -> ReminderService | None:
    return services.extras.get(EXTRAS_KEY)
