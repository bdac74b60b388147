"""Waking up when a reminder falls due: one APScheduler job on the event loop, always re-aimed.

The schedule itself is derived, never stored: after every run and every change (a meeting or
item saved, a team removed, settings changed) the scheduler asks the runner for the next due
instant and moves its one date-triggered job there. At start-up it wakes at once, so reminders
that fell due while the service was down go out (if still useful) as soon as it is back.

The job is a coroutine run on the service's event loop (``AsyncIOScheduler``), never in a
thread pool: it shares the loop with the bot, the adapter and the storage lock.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger

from bot.clock import Clock
from bot.reminders.jobs import ReminderRunner, RunReport

log = logging.getLogger(__name__)
# APScheduler logs every add/run of the one job at INFO; our own log says what a run did.
logging.getLogger("apscheduler").setLevel(logging.WARNING)

JOB_ID = "skis-reminders"
# After a run with failed sends (connector down, throttled for long), try again this soon.
RETRY_IN = timedelta(minutes=15)
# Never sleep longer than this: a cheap re-check guards against a missed change event or a
# wall clock that jumped (suspend, NTP), since the job's timer runs on the loop's monotonic clock.
MAX_SLEEP = timedelta(hours=1)
# With several instances on one database (the engine says ``shared``): what another instance
# stored is planned for within this long.
SHARED_MAX_SLEEP = timedelta(minutes=2)
STOP_TIMEOUT = 30.0
# How often to compare the injected clock with real time. The job's timer runs on real time, so
# when the clock is moved (the dev clock's `clock …` in `make run`) the aim is stale: re-aim at
# once instead of sleeping on towards an instant that now means something else.
CLOCK_WATCH_EVERY = 1.0
CLOCK_JUMP = timedelta(seconds=2)


# How often an instance that does not send (another one on the same database does) checks
# whether that one is still there.
FOLLOWER_CHECK = timedelta(seconds=30)


class ReminderScheduler:
    """Keeps one job aimed at the next due instant; each firing runs ``runner.run_due(now)``.

    With ``autorun=False`` nothing fires by itself (a FixedClock stands still, so tests drive
    ``wake()`` explicitly); ``next_wake`` still says when it would.
    """

    def __init__(
        self,
        runner: ReminderRunner,
        clock: Clock,
        *,
        autorun: bool = True,
        retry_in: timedelta = RETRY_IN,
        max_sleep: timedelta = MAX_SLEEP,
    ) -> None:
        self.runner = runner
        self.clock = clock
        self.autorun = autorun
        self.retry_in = retry_in
        self.max_sleep = max_sleep
        self.next_wake: datetime | None = None
        self.last_report: RunReport | None = None
        self._scheduler: AsyncIOScheduler | None = None
        self._watch: asyncio.Task[None] | None = None
        self._skew = timedelta(0)  # clock.now() - real time when the job was last aimed

    @property
    def running(self) -> bool:
        return self._scheduler is not None and self._scheduler.running

    async def start(self) -> None:
        """Start on the running event loop and wake at once to catch up on anything missed."""
        if not self.autorun:
            self.next_wake = await self._compute_next(self.clock.now())
            return
        self._scheduler = AsyncIOScheduler(
            event_loop=asyncio.get_running_loop(),
            timezone=UTC,
            job_defaults={
                # APScheduler's default grace of 1 s silently drops a run that starts later than
                # that, e.g. while the loop is busy with a slow turn or after the host was
                # suspended; a date-triggered job then never fires at all. No limit: the runner
                # itself decides what is still worth sending (each reminder's useful_until).
                "misfire_grace_time": None,
                # Several missed firings are one run: run_due sends everything due at that moment.
                "coalesce": True,
                # The job is re-aimed (same id) while a run may be in progress; a second instance
                # then queues behind the runner's lock instead of being dropped by APScheduler.
                "max_instances": 2,
            },
        )
        self._scheduler.start()
        self._aim(self.clock.now(), self.clock.now())
        self._watch = asyncio.get_running_loop().create_task(self._watch_clock(), name="skis-reminders-clock")

    async def stop(self) -> None:
        """Stop firing, and let a run in progress finish so no send is left unrecorded."""
        scheduler, self._scheduler = self._scheduler, None
        watch, self._watch = self._watch, None
        if watch is not None:
            watch.cancel()
        if scheduler is not None and scheduler.running:
            scheduler.shutdown(wait=False)
        try:
            async with asyncio.timeout(STOP_TIMEOUT):
                async with self.runner.lock:
                    pass
        except TimeoutError:
            log.warning("stopped while a reminder run was still sending")

    async def reschedule(self) -> None:
        """Something changed: wake at the next due instant (at once if something is already due)."""
        now = self.clock.now()
        try:
            target = await self.runner.next_wake(now)
        except Exception:
            log.exception("could not plan reminders; trying again later")
            target = now + self.retry_in
        if self.autorun:
            self._aim(target, now)
        else:
            self.next_wake = target

    async def wake(self) -> RunReport:
        """Run what is due now, then aim at the next due instant."""
        now = self.clock.now()
        report = await self.runner.run_due(now)
        self.last_report = report
        target = await self._compute_next(now)
        if report.failed:
            retry = now + self.retry_in
            target = retry if target is None else min(target, retry)
        if self.autorun:
            self._aim(target, now)
        else:
            self.next_wake = target
        return report

    async def _job(self) -> None:
        try:
            if not await self.runner.leads():
                # Another instance on the same database sends (one at a time, so Teams' per-app
                # rate limit is kept by one token bucket). Ask again a little later: when that
                # instance dies its lock goes with it and this one takes over.
                now = self.clock.now()
                self._aim(now + FOLLOWER_CHECK, now)
                return
            await self.wake()
        except Exception:  # never let the wake-up chain break: try again later
            log.exception("reminder run failed")
            now = self.clock.now()
            self._aim(now + self.retry_in, now)

    async def _watch_clock(self) -> None:
        """Re-aim when the injected clock jumps against real time (see CLOCK_WATCH_EVERY)."""
        while True:
            await asyncio.sleep(CLOCK_WATCH_EVERY)
            skew = self.clock.now() - datetime.now(UTC)
            if abs(skew - self._skew) > CLOCK_JUMP:
                log.info("the clock moved by %s: re-planning reminders", skew - self._skew)
                await self.reschedule()

    async def _compute_next(self, now: datetime) -> datetime | None:
        return await self.runner.next_due_at(now)

    def _aim(self, target: datetime | None, now: datetime) -> None:
        """Point the one job at ``target`` (capped at ``max_sleep`` from now)."""
        latest = now + self.max_sleep
        target = latest if target is None else min(target, latest)
        self.next_wake = target
        scheduler = self._scheduler
        if scheduler is None or not scheduler.running:
            return
        # The job timer runs on real time; the delay comes from the injected clock.
        delay = max(0.0, (target - now).total_seconds())
        real_now = datetime.now(UTC)
        self._skew = now - real_now
        run_at = real_now + timedelta(seconds=delay)
        scheduler.add_job(self._job, DateTrigger(run_date=run_at, timezone=UTC), id=JOB_ID, replace_existing=True)
