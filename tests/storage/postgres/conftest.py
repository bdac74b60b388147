"""A real PostgreSQL server for the session (tests/pg_server.py), and a new database per test."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from storage.postgres.engine import PostgresEngine
from tests.pg_server import PostgresServer, start_server


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    server = start_server()  # fails (never skips) when PostgreSQL is not installed
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def pg_url(pg_server: PostgresServer) -> str:
    return pg_server.create_database()


@pytest.fixture
async def pg_engine(pg_url: str) -> AsyncIterator[PostgresEngine]:
    engine = await PostgresEngine.open(pg_url)
    try:
        yield engine
    finally:
        await engine.close()
