"""``skis-bot db status`` and ``skis-bot db upgrade``: the PostgreSQL schema, for operators.

The database is the one ``SKIS_DATABASE_URL`` names (a libpq URL,
``postgresql://user:password@host:port/db``). ``status`` only reads; ``upgrade`` applies the
pending migrations under the migration advisory lock (storage/postgres/migrations.py), so two
upgrades, or an upgrade and instances starting, run each migration once.

Exit codes: 0 done (also: already current); 1 a migration failed (the schema stays at the last
version that applied whole); 2 no usable ``SKIS_DATABASE_URL`` or the server cannot be reached.
Messages name the database as ``user@host:port/db``, never with its password.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping
from typing import Any

import psycopg

from storage.postgres import migrations
from storage.postgres.url import ENV, DatabaseUrlError, describe, normalize_url

EXIT_FAILED = 1
EXIT_UNUSABLE = 2


def database_url(env: Mapping[str, str] | None = None) -> str:
    """The libpq connection string from ``SKIS_DATABASE_URL`` (with a connect timeout unless it sets one)."""
    env = os.environ if env is None else env
    return normalize_url(env.get(ENV, ""))


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def unreachable(command: str, url: str, exc: BaseException) -> int:
    sys.stderr.write(f"skis-bot {command}: cannot use the database {describe(url)}: {_first_line(exc)}\n")
    return EXIT_UNUSABLE


def url_or_exit(command: str) -> str | None:
    """The URL, or None after a one-line message on stderr (the caller exits 2)."""
    try:
        return database_url()
    except DatabaseUrlError as exc:
        sys.stderr.write(f"skis-bot {command}: {exc}\n")
        return None


def _names(versions: tuple[int, ...]) -> str:
    by_version = {m.version: f"{m.version:04d}_{m.name}" for m in migrations.migrations()}
    return ", ".join(by_version.get(v, f"{v:04d}") for v in versions)


async def cmd_status(args: argparse.Namespace) -> int:
    """Print the schema version and whether migrations are pending (reads only)."""
    url = url_or_exit("db status")
    if url is None:
        return EXIT_UNUSABLE
    try:
        status = await migrations.status(url)
    except (psycopg.Error, OSError) as exc:
        return unreachable("db status", url, exc)
    where = describe(url)
    if status.newer_than_program:
        sys.stdout.write(
            f"{where}: schema version {status.current}, newer than this program knows ({status.latest}); "
            "a newer release upgraded it (a rolling upgrade in progress?). Nothing to do here.\n"
        )
    elif status.pending:
        sys.stdout.write(
            f"{where}: schema version {status.current}; {len(status.pending)} migration(s) pending "
            f"({_names(status.pending)}). Run `skis-bot db upgrade`.\n"
        )
    else:
        sys.stdout.write(f"{where}: schema version {status.current}; up to date, no migrations pending.\n")
    return 0


async def cmd_upgrade(args: argparse.Namespace) -> int:
    """Apply the pending migrations under the migration lock (safe next to running instances)."""
    url = url_or_exit("db upgrade")
    if url is None:
        return EXIT_UNUSABLE
    try:
        done = await migrations.upgrade(url)
        after = await migrations.status(url)
    except (psycopg.OperationalError, OSError) as exc:
        return unreachable("db upgrade", url, exc)
    except psycopg.Error as exc:
        sys.stderr.write(
            f"skis-bot db upgrade: a migration failed on {describe(url)}: {_first_line(exc)}. "
            "The schema stays at the last version that applied whole; see `skis-bot db status`.\n"
        )
        return EXIT_FAILED
    where = describe(url)
    if done:
        sys.stdout.write(
            f"{where}: applied {_names(tuple(m.version for m in done))}; schema version {after.current}.\n"
        )
    else:
        sys.stdout.write(f"{where}: already up to date (schema version {after.current}); nothing to do.\n")
    return 0


def register_cli(subparsers: Any) -> None:
    """Add ``db status`` and ``db upgrade`` to the ``skis-bot`` command."""
    db = subparsers.add_parser("db", help=f"the PostgreSQL schema of the database in ${ENV}")
    sub = db.add_subparsers(dest="db_command", required=True)
    status = sub.add_parser("status", help="show the schema version and whether migrations are pending")
    status.set_defaults(func=cmd_status)
    upgrade = sub.add_parser("upgrade", help="apply pending migrations (safe while instances run)")
    upgrade.set_defaults(func=cmd_upgrade)
