"""The APScheduler wrapper: one coroutine job on the loop, aimed at the next due instant, never dropped."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from apscheduler.triggers.date import DateTrigger

from bot.clock import FixedClock, SystemClock
from bot.reminders.jobs import RunReport, SendResult
from bot.reminders.scheduler import JOB_ID, MAX_SLEEP, RETRY_IN, ReminderScheduler
from storage.reminders_repo import MEETING_WEEK

NOW = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)


class StubRunner:
    """Counts runs; says what is due and when the next thing is."""

    def __init__(self, *, due_now: bool = False, next_at: datetime | None = None, fail: bool = False) -> None:
        self.lock = asyncio.Lock()
        self.due_now = due_now
        self.next_at = next_at
        self.fail = fail
        self.runs: list[datetime] = []
        self.ran = asyncio.Event()
        self.raise_once = False
        self.leader = True

    async def leads(self) -> bool:
        return self.leader

    async def next_due_at(self, now: datetime) -> datetime | None:
        return self.next_at

    async def next_wake(self, now: datetime) -> datetime | None:
        return now if self.due_now else self.next_at

    async def run_due(self, now: datetime, *, team_key: str | None = None) -> RunReport:
        self.runs.append(now)
        self.ran.set()
        if self.raise_once:
            self.raise_once = False
            raise RuntimeError("boom")
        self.due_now = False
        status = "failed" if self.fail else "sent"
        return RunReport(now, [SendResult("k", MEETING_WEEK, "t", "m", "channel", now, status)])


@pytest.fixture
async def stopper() -> AsyncIterator[list[ReminderScheduler]]:
    started: list[ReminderScheduler] = []
    yield started
    for scheduler in started:
        await scheduler.stop()


async def ran(runner: StubRunner) -> None:
    await asyncio.wait_for(runner.ran.wait(), timeout=5)  # waits for the loop, not for time to pass
    runner.ran.clear()


async def test_start_catches_up_at_once(stopper: list[ReminderScheduler]) -> None:
    runner = StubRunner(due_now=True)
    scheduler = ReminderScheduler(runner, SystemClock())  # type: ignore[arg-type]
    stopper.append(scheduler)
    await scheduler.start()
    await ran(runner)
    assert len(runner.runs) == 1


async def test_job_is_a_coroutine_with_deliberate_misfire_settings(stopper: list[ReminderScheduler]) -> None:
    scheduler = ReminderScheduler(StubRunner(), SystemClock())  # type: ignore[arg-type]
    stopper.append(scheduler)
    await scheduler.start()
    job = scheduler._scheduler.get_job(JOB_ID)  # type: ignore[union-attr]
    assert asyncio.iscoroutinefunction(job.func)
    assert job.misfire_grace_time is None and job.coalesce is True and job.executor == "default"
    assert type(scheduler._scheduler._lookup_executor("default")).__name__ == "AsyncIOExecutor"  # type: ignore[union-attr]


async def test_a_wake_up_that_is_minutes_late_still_runs(stopper: list[ReminderScheduler]) -> None:
    # With APScheduler's default 1 s grace this run would be silently dropped.
    runner = StubRunner()
    scheduler = ReminderScheduler(runner, SystemClock())  # type: ignore[arg-type]
    stopper.append(scheduler)
    await scheduler.start()
    late = datetime.now(UTC) - timedelta(minutes=5)
    scheduler._scheduler.add_job(scheduler._job, DateTrigger(run_date=late, timezone=UTC), id=JOB_ID, replace_existing=True)  # type: ignore[union-attr]
    await ran(runner)
    assert runner.runs


async def test_after_a_run_it_aims_at_the_next_due_instant_capped_at_an_hour(stopper: list[ReminderScheduler]) -> None:
    clock = SystemClock()
    soon = clock.now() + timedelta(minutes=20)
    runner = StubRunner(next_at=soon)
    scheduler = ReminderScheduler(runner, clock)  # type: ignore[arg-type]
    stopper.append(scheduler)
    await scheduler.start()
    await scheduler.wake()
    assert scheduler.next_wake == soon
    runner.next_at = clock.now() + timedelta(days=3)
    before = clock.now()
    await scheduler.wake()
    assert scheduler.next_wake is not None and before + MAX_SLEEP <= scheduler.next_wake <= clock.now() + MAX_SLEEP
    run_at = scheduler._scheduler.get_job(JOB_ID).next_run_time  # type: ignore[union-attr]
    assert abs((run_at - scheduler.next_wake).total_seconds()) < 5


class MovableClock:
    """Real time shifted by an offset that can jump, like the dev clock of `make run`."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset


async def test_a_clock_that_jumps_forward_is_followed_at_once(stopper: list[ReminderScheduler]) -> None:
    clock = MovableClock()
    runner = StubRunner(next_at=clock.now() + timedelta(days=7))
    scheduler = ReminderScheduler(runner, clock)  # type: ignore[arg-type]
    stopper.append(scheduler)
    await scheduler.start()
    await ran(runner)  # the catch-up run at start
    runner.runs.clear()
    runner.due_now = True  # what falls due a week from now is due once the clock says so
    clock.offset = timedelta(days=7, minutes=1)
    await ran(runner)  # within about a second, not at the next hourly re-check
    assert runner.runs and runner.runs[0] >= datetime.now(UTC) + timedelta(days=7)


async def test_failed_sends_are_retried_soon() -> None:
    runner = StubRunner(fail=True, next_at=NOW + timedelta(days=2))
    scheduler = ReminderScheduler(runner, FixedClock(NOW), autorun=False)  # type: ignore[arg-type]
    report = await scheduler.wake()
    assert report.failed and scheduler.next_wake == NOW + RETRY_IN


async def test_a_crashing_run_does_not_break_the_chain(stopper: list[ReminderScheduler]) -> None:
    runner = StubRunner(due_now=True)
    runner.raise_once = True
    scheduler = ReminderScheduler(runner, SystemClock())  # type: ignore[arg-type]
    stopper.append(scheduler)
    await scheduler.start()
    await ran(runner)
    await asyncio.sleep(0)  # let the job's own error handling finish (a loop turn, not a delay)
    for _ in range(20):
        if scheduler._scheduler.get_job(JOB_ID) is not None:  # type: ignore[union-attr]
            break
        await asyncio.sleep(0)
    assert scheduler._scheduler.get_job(JOB_ID) is not None  # type: ignore[union-attr]
    assert scheduler.next_wake is not None and scheduler.next_wake > datetime.now(UTC) + RETRY_IN - timedelta(minutes=1)


async def test_change_re_aims_and_runs_at_once_when_something_is_due(stopper: list[ReminderScheduler]) -> None:
    runner = StubRunner(next_at=datetime.now(UTC) + timedelta(minutes=30))
    scheduler = ReminderScheduler(runner, SystemClock())  # type: ignore[arg-type]
    stopper.append(scheduler)
    await scheduler.start()
    await ran(runner)  # the start-up catch-up run
    runner.due_now = True  # e.g. a meeting moved so close that a reminder is already due
    await scheduler.reschedule()
    await ran(runner)
    assert len(runner.runs) == 2


async def test_fixed_clock_means_nothing_fires_by_itself() -> None:
    runner = StubRunner(due_now=True, next_at=NOW + timedelta(minutes=10))
    scheduler = ReminderScheduler(runner, FixedClock(NOW), autorun=False)  # type: ignore[arg-type]
    await scheduler.start()
    assert not scheduler.running and runner.runs == []
    await scheduler.reschedule()
    assert scheduler.next_wake == NOW and runner.runs == []
    await scheduler.wake()
    assert runner.runs == [NOW] and scheduler.next_wake == NOW + timedelta(minutes=10)
    await scheduler.stop()


async def test_stop_waits_for_a_run_in_progress() -> None:
    runner = StubRunner()
    scheduler = ReminderScheduler(runner, FixedClock(NOW), autorun=False)  # type: ignore[arg-type]
    order: list[str] = []
    await runner.lock.acquire()

    async def finish() -> None:
        await asyncio.sleep(0)
        order.append("run finished")
        runner.lock.release()

    task = asyncio.create_task(finish())
    await scheduler.stop()
    order.append("stopped")
    await task
    assert order == ["run finished", "stopped"]


async def test_the_service_subscribes_to_changes(harness) -> None:  # noqa: ANN001
    from bot.app import SERVICES_KEY

    services = harness.app[SERVICES_KEY]
    service = services.reminders
    assert service.on_change in services.changes.listeners
    assert service.notifier is services.proactive  # one sender (and one set of rate limits) for all
    assert not service.scheduler.running  # the harness asks for no scheduler (run_scheduler=False)
    calls: list[str] = []

    async def re_aimed() -> None:
        calls.append("re-aimed")

    service.scheduler.reschedule = re_aimed
    await services.changes.publish("meeting", "team", "m1")
    await services.changes.publish("team_removed", "team", "team")
    assert calls == ["re-aimed", "re-aimed"]


async def test_whether_the_scheduler_runs_is_the_apps_setting_not_the_clocks_class() -> None:
    from bot.app import SERVICES_KEY
    from tests.harness import start_harness, stop_harness

    # The same standing clock (the harness's FixedClock) with the setting on: the scheduler runs.
    h = await start_harness(run_scheduler=True)
    try:
        service = h.app[SERVICES_KEY].reminders
        assert service is not None and isinstance(h.clock, FixedClock)
        assert service.scheduler.autorun and service.scheduler.running
    finally:
        await stop_harness(h)
    assert not service.scheduler.running  # stopped with the app


async def test_an_instance_that_does_not_lead_sends_nothing_and_takes_over_when_it_may(
    stopper: list[ReminderScheduler],
) -> None:
    # Several instances on one database: only the holder of the "reminders" lock runs what is due;
    # the others check again later and run once the lock is theirs (the leader died).
    runner = StubRunner(due_now=True)
    runner.leader = False
    scheduler = ReminderScheduler(runner, SystemClock())  # type: ignore[arg-type]
    stopper.append(scheduler)
    await scheduler.start()
    await asyncio.sleep(0.3)
    assert runner.runs == []
    assert scheduler.next_wake is not None and scheduler.next_wake > SystemClock().now()
    runner.leader = True
    await scheduler._job()  # the follower's next check
    assert len(runner.runs) == 1
