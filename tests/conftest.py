"""Shared fixtures: the bot on loopback with a fake connector (see tests/harness.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from tests.harness import Harness, start_harness, stop_harness
from tests.pg_server import PostgresServer, start_server


@pytest.fixture
async def harness() -> AsyncIterator[Harness]:
    h = await start_harness()
    try:
        yield h
    finally:
        await stop_harness(h)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    """A real PostgreSQL server for the session (tests/pg_server.py), started on first use."""
    server = start_server()  # fails (never skips) when PostgreSQL is not installed
    try:
        yield server
    finally:
        server.stop()
