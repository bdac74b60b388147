"""Versioned schema migrations, run under an advisory lock so instances starting together migrate once.

Each migration is a file ``migrations/NNNN_name.sql`` beside this module, applied in order, each
in its own transaction together with its row in ``schema_migrations``. A migration that fails
leaves the schema at the previous version. Files are never edited once released: a change is a
new file. ``upgrade`` is what start-up and ``skis-bot db upgrade`` run; ``status`` only reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

import psycopg

# pg_advisory_lock key for migrations (any fixed bigint; this one spells "skismigr").
MIGRATION_LOCK = 0x736B69736D696772

_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


@dataclass(frozen=True)
class SchemaStatus:
    current: int  # the highest applied version (0: an empty database)
    latest: int  # the highest version this program knows
    applied: tuple[int, ...]

    @property
    def pending(self) -> tuple[int, ...]:
        return tuple(m.version for m in migrations() if m.version not in self.applied)

    @property
    def newer_than_program(self) -> bool:
        """The database was upgraded by a newer release (a rolling upgrade still in progress)."""
        return self.current > self.latest


def migrations() -> list[Migration]:
    """Every migration this program ships, by version."""
    found = []
    for entry in resources.files("storage.postgres").joinpath("migrations").iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), match.group(2), entry.read_text(encoding="utf-8")))
    return sorted(found, key=lambda m: m.version)


_CREATE_TABLE = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version     integer PRIMARY KEY,
    name        text NOT NULL,
    applied_at  timestamptz NOT NULL DEFAULT now()
)
"""


async def _applied(conn: psycopg.AsyncConnection) -> tuple[int, ...]:
    exists = await (await conn.execute("SELECT to_regclass('schema_migrations') IS NOT NULL")).fetchone()
    if not exists or not exists[0]:
        return ()
    rows = await (await conn.execute("SELECT version FROM schema_migrations ORDER BY version")).fetchall()
    return tuple(int(r[0]) for r in rows)


async def status(url: str) -> SchemaStatus:
    """Which migrations the database has (reads only; no lock)."""
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
        applied = await _applied(conn)
    latest = max((m.version for m in migrations()), default=0)
    return SchemaStatus(max(applied, default=0), latest, applied)


async def upgrade(url: str) -> list[Migration]:
    """Apply what is missing, under the migration lock; returns the migrations applied (maybe none).

    A second instance starting at the same moment waits on the lock, then finds nothing to do.
    """
    done: list[Migration] = []
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
        await conn.execute("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK,))
        try:
            await conn.execute(_CREATE_TABLE)
            applied = set(await _applied(conn))
            for migration in migrations():
                if migration.version in applied:
                    continue
                async with conn.transaction():
                    await conn.execute(migration.sql.encode("utf-8"))
                    await conn.execute("INSERT INTO schema_migrations (version, name) VALUES (%s, %s)",
                                       (migration.version, migration.name))
                done.append(migration)
        finally:
            await conn.execute("SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK,))
    return done
