"""The background retention purge: it runs after start-up on the event loop, lets turns run between
meetings, stops cleanly, repeats daily on the injected clock and reads unchanged meetings only once."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.clock import FixedClock
from bot.config import Settings
from bot.features import privacy
from bot.features.privacy import RetentionPurge
from bot.services import Services
from storage.engine import Engine, MemoryEngine
from storage.meetings_repo import meeting_partition
from storage.store import Store
from storage.teams_repo import Team
from storage.tinydb_engine import TinyDBEngine

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TEAMS = ("19:a@thread.tacv2", "19:b@thread.tacv2")


async def _services(engine: Engine, meetings: int = 20, days: int = 365) -> Services:
    """Two networks, each with ``meetings`` meetings two years ago (expired) and one last week."""
    store = Store(engine)
    for key in TEAMS:
        await store.teams.save_team(Team(key=key, name=key, kind="team", tenant_id=None, conversation_ref={},
                                         installed_by=None, installed_at=NOW - timedelta(days=900)))
        for i in range(meetings):
            for who in ("anna", "peter"):
                await store.checkins.save_answer(key, f"old-{i:03d}", who, question="?", answer="gammalt",
                                                 at=NOW - timedelta(days=730 - i))
        await store.checkins.save_answer(key, "recent", "anna", question="?", answer="nytt", at=NOW - timedelta(days=7))
    return Services(settings=Settings(dev=True, checkin_retention_days=days), store=store, clock=FixedClock(NOW))


async def _until(condition: Callable[[], bool | Awaitable[bool]], steps: int = 100_000) -> None:
    """Let the loop run (no real time passes) until ``condition`` holds (it may read the store: then it is awaited)."""
    for _ in range(steps):
        held = condition()
        if await held if inspect.isawaitable(held) else held:
            return
        await asyncio.sleep(0)
    raise AssertionError("condition never held")


def _purge(services: Services) -> RetentionPurge:
    assert services.purge is not None
    return services.purge


async def _answers(services: Services, meeting: str) -> int:
    return sum([len(await services.store.checkins.answers(key, meeting)) for key in TEAMS])


async def test_purge_starts_after_start_returns_and_lets_other_work_run_between_meetings() -> None:
    services = await _services(MemoryEngine())
    await privacy.start(services)
    purge = services.purge
    assert purge is not None
    try:
        assert await _answers(services, "old-000") == 4  # start() itself purges nothing: the server starts first
        ticks = 0
        while not purge.first_pass_done.is_set():
            ticks += 1  # a turn's worth of other work, between two steps of the purge
            await asyncio.sleep(0)
        assert ticks >= 2 * 21  # at least once per meeting partition
        assert [await _answers(services, f"old-{i:03d}") for i in range(20)] == [0] * 20
        assert await _answers(services, "recent") == 2
        assert purge.last is not None and purge.last.failed == []
        stats = purge.last.stats
        assert (stats.answers, stats.read, stats.written, stats.skipped) == (80, 42, 40, 0)
    finally:
        await privacy.stop(services)


async def test_stop_in_the_middle_leaves_every_meeting_whole_and_the_next_start_finishes() -> None:
    services = await _services(MemoryEngine())
    await privacy.start(services)
    purge = services.purge
    assert purge is not None
    async def five_purged() -> bool:
        return sum([await _answers(services, f"old-{i:03d}") == 0 for i in range(20)]) >= 5

    await _until(five_purged)
    await privacy.stop(services)
    assert purge.task is not None and purge.task.done()
    assert services.purge is None
    assert purge.first_pass_done.is_set()  # nobody waits for a pass that will not come
    left = [await _answers(services, f"old-{i:03d}") for i in range(20)]
    assert all(n in (0, 2, 4) for n in left) and 0 < sum(left) < 80  # per meeting and network: all or nothing

    await privacy.start(services)
    try:
        await asyncio.wait_for(_purge(services).first_pass_done.wait(), timeout=10)
        assert sum([await _answers(services, f"old-{i:03d}") for i in range(20)]) == 0
    finally:
        await privacy.stop(services)


async def test_retention_off_starts_no_purge() -> None:
    services = await _services(MemoryEngine(), meetings=2, days=0)
    await privacy.start(services)
    assert services.purge is None
    await privacy.stop(services)
    assert await _answers(services, "old-000") == 4


async def test_daily_passes_follow_the_injected_clock_and_skip_what_did_not_change() -> None:
    services = await _services(MemoryEngine(), meetings=3)
    clock = services.clock
    assert isinstance(clock, FixedClock)
    # One answer that expires one day after the first pass.
    await services.store.checkins.save_answer(TEAMS[0], "almost", "sofia", question="?", answer="snart borta",
                                                    at=NOW - timedelta(days=365) + timedelta(hours=12))
    nights: asyncio.Queue[None] = asyncio.Queue()
    slept: list[float] = []

    async def night(seconds: float) -> None:
        slept.append(seconds)
        await nights.get()  # the test decides when the day is over
        clock.advance(timedelta(seconds=seconds))

    purge = RetentionPurge(services, sleep=night)
    task = asyncio.create_task(purge.run_forever())
    try:
        await asyncio.wait_for(purge.first_pass_done.wait(), timeout=10)
        assert purge.passes == 1 and await services.store.checkins.get_answer(TEAMS[0], "almost", "sofia") is not None
        first = purge.last
        assert first is not None and first.stats.read == 2 * 4 + 1

        nights.put_nowait(None)
        await _until(lambda: purge.passes >= 2)
        assert slept == [24 * 60 * 60] * 2  # one day between passes; now waiting for the third
        assert await services.store.checkins.get_answer(TEAMS[0], "almost", "sofia") is None
        second = purge.last
        assert second is not None and second.cutoff == NOW + timedelta(days=1) - timedelta(days=365)
        # Only the meeting with an answer old enough was read; the others were skipped unread.
        assert (second.stats.read, second.stats.answers, second.stats.skipped) == (1, 1, 2 * 4)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def test_restart_on_a_data_directory_reads_no_old_meeting_again(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    engine = TinyDBEngine(data_dir)
    services = await _services(engine, meetings=10)
    await privacy.start(services)
    await asyncio.wait_for(_purge(services).first_pass_done.wait(), timeout=10)
    await privacy.stop(services)
    await engine.close()

    engine = TinyDBEngine(data_dir)  # the service restarts
    services = Services(settings=services.settings, store=Store(engine), clock=FixedClock(NOW + timedelta(hours=1)))
    try:
        await privacy.start(services)
        purge = _purge(services)
        await asyncio.wait_for(purge.first_pass_done.wait(), timeout=10)
        await privacy.stop(services)
        assert purge.last is not None
        assert (purge.last.stats.read, purge.last.stats.skipped) == (0, 2 * 11)
        # Nothing of the meetings was loaded into memory.
        meetings = await engine.partition_names(meeting_partition(TEAMS[0], ""))
        assert meetings and not any(engine.is_cached(name) for name in meetings)
    finally:
        await engine.close()
