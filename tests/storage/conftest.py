"""Engine kits: open/reopen an engine and break its next commit, the same way for every engine.

The PostgreSQL kit runs against the real server the suite starts (tests/pg_server.py); its
broken commit is the server's own refusal (a trigger raising), not a stand-in for the engine."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import AsyncIterator
from pathlib import Path

import psycopg
import pytest

from storage.engine import Engine, MemoryEngine
from storage.postgres.engine import PostgresEngine
from storage.tinydb_engine import TinyDBEngine

FAILURES = ["write", "fsync", "replace", "dirfsync"]


def enospc(*_args: object, **_kwargs: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


class MemoryKit:
    kind = "memory"

    def __init__(self) -> None:
        self.engine = MemoryEngine()

    async def open(self) -> Engine:
        return self.engine

    async def reopen(self, engine: Engine) -> Engine:
        return engine  # process memory is its only "disk"

    async def break_commits(self, monkeypatch: pytest.MonkeyPatch, how: str) -> None:
        monkeypatch.setattr(self.engine, "fail_writes", True)

    async def mend(self) -> None:
        self.engine.fail_writes = False

    async def close(self) -> None:
        pass


class TinyDBKit:
    kind = "tinydb"

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.engines: list[TinyDBEngine] = []

    async def open(self) -> Engine:
        engine = TinyDBEngine(self.data_dir)
        self.engines.append(engine)
        return engine

    async def reopen(self, engine: Engine) -> Engine:
        await engine.close()
        return await self.open()

    async def break_commits(self, monkeypatch: pytest.MonkeyPatch, how: str) -> None:
        break_disk(monkeypatch, how)

    async def mend(self) -> None:
        pass  # the monkeypatch context undoes break_disk

    async def close(self) -> None:
        for engine in self.engines:
            await engine.close()


class PostgresKit:
    kind = "postgres"

    def __init__(self, url: str) -> None:
        self.url = url
        self.engines: list[PostgresEngine] = []

    async def open(self) -> Engine:
        engine = await PostgresEngine.open(self.url)
        self.engines.append(engine)
        return engine

    async def reopen(self, engine: Engine) -> Engine:
        await engine.close()
        return await self.open()

    async def break_commits(self, monkeypatch: pytest.MonkeyPatch, how: str) -> None:
        # The server refuses every change to the documents, the way a full disk or a lost
        # connection ends a transaction: the engine must roll all of it back.
        await self._sql(
            "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'could not extend file: No space left on device'; END $$; "
            "CREATE TRIGGER refuse BEFORE INSERT OR UPDATE OR DELETE ON documents "
            "FOR EACH STATEMENT EXECUTE FUNCTION refuse()"
        )

    async def mend(self) -> None:
        await self._sql("DROP TRIGGER IF EXISTS refuse ON documents; DROP FUNCTION IF EXISTS refuse()")

    async def close(self) -> None:
        for engine in self.engines:
            await engine.close()

    async def _sql(self, sql: str) -> None:
        async with await psycopg.AsyncConnection.connect(self.url, autocommit=True) as conn:
            await conn.execute(sql)  # type: ignore[arg-type]


def break_disk(monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    """Make the next file writes fail with ENOSPC at one step of the atomic write."""
    if how == "write":
        monkeypatch.setattr(os, "write", enospc)
    elif how == "fsync":
        monkeypatch.setattr(os, "fsync", enospc)
    elif how == "replace":
        monkeypatch.setattr(os, "replace", enospc)
    elif how == "dirfsync":
        real_fsync = os.fsync

        def fsync(fd: int) -> None:
            if stat.S_ISDIR(os.fstat(fd).st_mode):
                raise OSError(errno.EIO, "Input/output error")
            real_fsync(fd)

        monkeypatch.setattr(os, "fsync", fsync)
    else:
        raise ValueError(how)


Kit = MemoryKit | TinyDBKit | PostgresKit


@pytest.fixture(params=["memory", "tinydb", pytest.param("postgres", marks=pytest.mark.postgres)])
async def kit(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Kit]:
    k: Kit
    if request.param == "memory":
        k = MemoryKit()
    elif request.param == "tinydb":
        k = TinyDBKit(tmp_path / "data")
    else:
        k = PostgresKit(request.getfixturevalue("pg_server").create_database())
    try:
        yield k
    finally:
        await k.close()
