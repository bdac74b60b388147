"""Stopping the service in the middle of a conversation and starting a new one on the same files."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.teams.state import EngineBotStorage
from storage.meetings_repo import Meeting
from storage.tinydb_engine import TinyDBEngine
from tests.harness import ANNA, PETER, SOFIA, TEAM_ID, Harness, start_harness, stop_harness

FRIDAY = datetime(2026, 11, 27, 7, 30, tzinfo=UTC)  # fredag 27 november 2026 kl. 08.30


@dataclass
class Service:
    harness: Harness
    engine: TinyDBEngine
    data_dir: Path


async def start(data_dir: Path, **kwargs: Any) -> Service:
    engine = TinyDBEngine(data_dir)
    harness = await start_harness(engine=engine, bot_storage=EngineBotStorage(engine), **kwargs)
    return Service(harness, engine, data_dir)


async def stop(service: Service) -> None:
    await stop_harness(service.harness)
    await service.engine.close()


async def restart(service: Service, **kwargs: Any) -> Service:
    """A new process: new engine, new dialog storage, new app, same data directory."""
    await stop(service)
    return await start(service.data_dir, **kwargs)


async def first_start(data_dir: Path, **kwargs: Any) -> Service:
    service = await start(data_dir, **kwargs)
    await service.harness.install(ANNA, roster=[ANNA, PETER, SOFIA])
    await service.harness.store.meetings.save(
        Meeting(id="20261127", team_key=TEAM_ID, starts_at=FRIDAY, ends_at=datetime(2026, 11, 27, 11, 0, tzinfo=UTC))
    )
    return service
