"""A new database per test on the session's real PostgreSQL server (pg_server, tests/conftest.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from storage.postgres.engine import PostgresEngine
from tests.pg_server import PostgresServer


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
