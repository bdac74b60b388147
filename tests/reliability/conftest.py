"""The bot on real TinyDB files (not memory) for the fault tests, with a meeting going on."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.teams.state import EngineBotStorage
from storage.meetings_repo import Meeting
from storage.tinydb_engine import TinyDBEngine
from tests.harness import ANNA, PETER, SOFIA, TEAM_ID, Harness, start_harness, stop_harness

# The harness clock says Monday 2026-11-23 09:00 UTC; this meeting is going on then, so check-ins,
# action items and decisions all belong to it.
MEETING_ID = "20261123"


@asynccontextmanager
async def opened(engine: TinyDBEngine) -> AsyncIterator[TinyDBEngine]:
    """``async with opened(TinyDBEngine(data_dir)) as engine:`` closes the engine after the block
    (its close is a coroutine, so the engine is no plain context manager)."""
    try:
        yield engine
    finally:
        await engine.close()


async def add_meeting(harness: Harness, meeting_id: str = MEETING_ID) -> Meeting:
    meeting = Meeting(
        id=meeting_id,
        team_key=TEAM_ID,
        starts_at=datetime(2026, 11, 23, 8, 0, tzinfo=UTC),
        ends_at=datetime(2026, 11, 23, 12, 0, tzinfo=UTC),
    )
    await harness.store.meetings.save(meeting)
    return meeting


@dataclass
class DiskBot:
    harness: Harness
    data_dir: Path
    engine: TinyDBEngine


async def open_disk_bot(data_dir: Path, *, install: bool = True, **kwargs: object) -> DiskBot:
    engine = TinyDBEngine(data_dir)
    harness = await start_harness(engine=engine, bot_storage=EngineBotStorage(engine), **kwargs)  # type: ignore[arg-type]
    if install:
        await harness.install(ANNA, roster=[ANNA, PETER, SOFIA])
        await add_meeting(harness)
    return DiskBot(harness, data_dir, engine)


async def close_disk_bot(bot: DiskBot, *, keep_connector: bool = False) -> None:
    """Stop the app and close its data directory (the fake connector may outlive it: a restart)."""
    if keep_connector:
        await bot.harness.session.close()
        await bot.harness.runner.cleanup()
    else:
        await stop_harness(bot.harness)
    await bot.engine.close()


@pytest.fixture
async def disk_bot(tmp_path: Path) -> AsyncIterator[DiskBot]:
    bot = await open_disk_bot(tmp_path / "data")
    try:
        yield bot
    finally:
        await close_disk_bot(bot)
