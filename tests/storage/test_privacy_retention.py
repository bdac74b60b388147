"""The retention purge and its watermark: expired answers go, and unchanged old meetings are not read again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from storage.checkins_repo import CHECKOUT
from storage.meetings_repo import meeting_partition
from storage.privacy_repo import PrivacyRepo, PurgeStats, privacy_partition
from storage.store import Store
from storage.tinydb_engine import TinyDBEngine

TEAM = "19:t@thread.tacv2"
NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)
YEAR = timedelta(days=365)


async def _meetings(store: Store, count: int, *, first: datetime, step: timedelta = timedelta(days=30), people: int = 3) -> list[str]:
    """``count`` meetings, each with ``people`` check-ins and one check-out given on the day."""
    ids = []
    for i in range(count):
        at = first + i * step
        mid = at.strftime("%Y%m%d")
        for p in range(people):
            await store.checkins.save_answer(TEAM, mid, f"p{p}", question="?", answer=f"svar {i}/{p}", at=at)
        await store.checkins.save_answer(TEAM, mid, "p0", kind=CHECKOUT, question="?", answer="hej då", at=at + timedelta(hours=3))
        ids.append(mid)
    return ids


async def _purge(store: Store, before: datetime, *, dry_run: bool = False) -> PurgeStats:
    stats = PurgeStats()
    await PrivacyRepo(store.engine).purge_answers(TEAM, before, dry_run=dry_run, stats=stats)
    return stats


async def _left(store: Store, ids: list[str]) -> int:
    return sum([len(await store.checkins.answers(TEAM, m)) + len(await store.checkins.answers(TEAM, m, CHECKOUT)) for m in ids])


async def test_second_purge_reads_nothing_that_did_not_change(kit):
    store = Store(await kit.open())
    old = await _meetings(store, 20, first=NOW - 3 * YEAR)  # all expired at a one-year cutoff
    recent = await _meetings(store, 5, first=NOW - timedelta(days=150))
    first = await _purge(store, NOW - YEAR)
    assert (first.answers, first.read, first.skipped, first.written) == (80, 25, 0, 20)
    assert await _left(store, old) == 0 and await _left(store, recent) == 20

    again = await _purge(store, NOW - YEAR + timedelta(days=1))  # the next day
    assert (again.answers, again.read, again.skipped) == (0, 0, 25)


async def test_watermark_survives_a_restart(kit):
    engine = await kit.open()
    await _meetings(Store(engine), 12, first=NOW - 2 * YEAR)
    assert (await _purge(Store(engine), NOW - YEAR)).read == 12
    store = Store(await kit.reopen(engine))
    stats = await _purge(store, NOW - YEAR + timedelta(days=1))
    assert (stats.read, stats.skipped) == (0, 12)


async def test_a_meeting_is_read_again_once_the_cutoff_passes_its_oldest_answer(kit):
    store = Store(await kit.open())
    ids = await _meetings(store, 3, first=NOW - timedelta(days=300), step=timedelta(days=60))  # days 300, 240, 180 ago
    assert (await _purge(store, NOW - YEAR)).read == 3
    later = await _purge(store, NOW + timedelta(days=70) - YEAR)  # 70 days on: only the first meeting has expired
    assert (later.answers, later.read, later.skipped) == (4, 1, 2)
    assert await _left(store, ids) == 8


async def test_an_answer_written_late_to_an_old_meeting_is_still_purged_on_time(kit):
    """Answers can reach an old meeting (a reminder card answered late): its stamp changes, so it is read again."""
    store = Store(await kit.open())
    ids = await _meetings(store, 4, first=NOW - 2 * YEAR)
    await _purge(store, NOW - YEAR)
    await store.checkins.save_answer(TEAM, ids[0], "late", question="?", answer="sent svar", at=NOW)
    soon = await _purge(store, NOW - YEAR + timedelta(days=1))
    assert (soon.read, soon.skipped, soon.answers) == (1, 3, 0)  # read, kept: it is recent
    a_year_on = await _purge(store, NOW + timedelta(days=1))
    assert (a_year_on.read, a_year_on.answers) == (1, 1)
    assert await _left(store, ids) == 0


async def test_deleted_answers_and_new_meetings_change_the_watermark(kit):
    store = Store(await kit.open())
    ids = await _meetings(store, 2, first=NOW - timedelta(days=100))
    assert (await _purge(store, NOW - YEAR)).read == 2
    await store.checkins.delete_member_answers(TEAM, "p1")  # `radera mina svar`: a write to both meetings
    new = await _meetings(store, 1, first=NOW)
    stats = await _purge(store, NOW - YEAR)
    assert (stats.read, stats.skipped) == (3, 0)
    assert await _left(store, ids + new) == 3 + 3 + 4


async def test_dry_run_counts_with_the_watermark_and_writes_nothing(kit):
    engine = await kit.open()
    store = Store(engine)
    await _meetings(store, 6, first=NOW - 2 * YEAR)
    await _meetings(store, 2, first=NOW - timedelta(days=10))
    dry = await _purge(store, NOW - YEAR, dry_run=True)
    assert (dry.answers, dry.read, dry.written) == (24, 8, 0)
    assert await engine.partition_names(privacy_partition(TEAM)) == []  # no watermark written
    assert (await _purge(store, NOW - YEAR)).answers == 24
    dry = await _purge(store, NOW - YEAR, dry_run=True)
    assert (dry.answers, dry.read, dry.skipped) == (0, 0, 8)


async def test_a_cutoff_moved_back_skips_nothing_it_should_not(kit):
    """An operator running `privacy purge --days 30` and then the service with 365 days: still correct."""
    store = Store(await kit.open())
    ids = await _meetings(store, 4, first=NOW - timedelta(days=100), step=timedelta(days=20))  # 100, 80, 60, 40 days ago
    assert (await _purge(store, NOW - timedelta(days=30))).answers == 16
    assert (await _purge(store, NOW - YEAR)).read == 0
    assert await _left(store, ids) == 0


async def test_answers_without_a_date_are_kept_and_do_not_block_skipping(kit):
    engine = await kit.open()
    store = Store(engine)
    await _meetings(store, 1, first=NOW - 2 * YEAR)
    name = meeting_partition(TEAM, "odd")
    async with engine.write(name) as tx:
        tx.put("checkins", "x", {"member_key": "x", "answer": "?", "answered_at": None})
    assert (await _purge(store, NOW - YEAR)).answers == 4
    assert (await _purge(store, NOW - YEAR)).read == 0
    assert (await engine.read(name)).get("checkins", "x") is not None


@pytest.mark.parametrize("cached_before", [False, True])
async def test_purge_leaves_the_engine_cache_as_it_found_it(tmp_path, cached_before):
    data_dir = tmp_path / "data"
    engine = TinyDBEngine(data_dir)
    try:
        ids = await _meetings(Store(engine), 30, first=NOW - 3 * YEAR, step=timedelta(days=10))
    finally:
        await engine.close()
    engine = TinyDBEngine(data_dir)
    try:
        store = Store(engine)
        if cached_before:
            await store.checkins.answers(TEAM, ids[0])
        before = {n for n in await engine.partition_names() if engine.is_cached(n)}
        assert (await _purge(store, NOW - YEAR)).answers == 120
        after = {n for n in await engine.partition_names() if engine.is_cached(n)}
        assert after - before == {privacy_partition(TEAM)}
        assert await _left(store, ids) == 0
    finally:
        await engine.close()
