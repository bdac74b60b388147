"""``skis-bot migrate --from-data-dir DIR``: move a TinyDB data directory into PostgreSQL.

Every partition of DIR (networks, meetings, dialog state: whatever the TinyDB engine lists) is
read through the TinyDB engine in read-only mode and written into the database named by
``SKIS_DATABASE_URL``, documents unchanged. Numbering continues where DIR left off because the
counters are documents like any other (``counters`` in each network's partition).

- **Never prompts; refuses rather than merges.** The schema is created on an empty database (the
  migrations, under their lock). A database that already holds partitions is refused, and so is
  DIR while a service holds it (the engine's ``.lock``): migrate holds that lock itself, read-only,
  for the whole run, so no service or restore can start on DIR meanwhile.
- **All or nothing.** The partitions go in one transaction (``PostgresEngine.load_into_empty``):
  a damaged file or a lost connection leaves the database empty; fix the cause and run it again.
- **Verified.** After the commit every partition is read back from PostgreSQL and compared with
  DIR, document by document.
- **Output.** On a terminal a progress line (networks and records moved) is redrawn as it goes;
  otherwise (a log, a pipe) only one summary line is printed.

Exit codes: 0 migrated; 1 refused or failed (nothing written); 2 no usable ``SKIS_DATABASE_URL``
or the server cannot be reached.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import errno
import fcntl
import os
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from bot.ops.db import EXIT_FAILED, EXIT_UNUSABLE, describe, unreachable, url_or_exit
from storage.engine import CorruptDataError, Doc, StorageError
from storage.files import LOCK_NAME
from storage.postgres.engine import DatabaseNotEmpty, PostgresEngine
from storage.tinydb_engine import TinyDBEngine

# A network's own partition; its meetings are "team/<key>/meeting/<id>" (storage/engine.py).
_NETWORK = re.compile(r"team/(?!.*/meeting/[^/]+$).+", re.DOTALL)
# A terminal's progress line is redrawn at most this often.
REDRAW_SECONDS = 0.1


class MigrateError(Exception):
    """The migration was refused or failed; the message says why and what to do."""


class SourceBusyError(MigrateError):
    pass


@contextlib.contextmanager
def hold_source(data_dir: Path) -> Iterator[None]:
    """Hold DIR's ``.lock`` for the whole run (as a serving engine would), without writing to DIR.

    A service or restore holds this flock while it uses DIR; taking it here both tells whether one
    does and keeps one from starting until the copy is done. The file is opened read-only (flock
    needs no more) and never created: without it no service has ever served DIR."""
    path = data_dir / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        yield
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN):
                raise
            pid = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            who = f" (pid {pid})" if pid.isdigit() else ""
            raise SourceBusyError(
                f"a skis-bot process is using {data_dir}{who}; stop the service first, then run migrate again. "
                "Nothing was copied."
            ) from None
        yield
    finally:
        os.close(fd)  # closing drops the flock


def partition_tables(source: TinyDBEngine, name: str) -> dict[str, dict[str, Doc]]:
    """Every table of a partition as stored (keys and documents), without the engine's ``_meta``."""
    # {table: {key: doc}}: the keys are what the repositories address documents by, which a
    # snapshot's all() does not return.
    return {table: dict(docs) for table, docs in source.tables_now(name).items()}


@dataclass
class Progress:
    """Counts for the progress line and the summary."""

    out: TextIO
    live: bool  # a terminal: redraw a progress line
    networks_total: int
    partitions_total: int
    networks: int = 0
    partitions: int = 0
    records: int = 0
    _drawn: float = 0.0

    def partition_done(self, name: str, documents: int) -> None:
        self.partitions += 1
        self.records += documents
        if _NETWORK.fullmatch(name):
            self.networks += 1
        now = time.monotonic()
        if self.live and (now - self._drawn >= REDRAW_SECONDS or self.partitions == self.partitions_total):
            self._drawn = now
            self.out.write(
                f"\rmoving: {self.networks}/{self.networks_total} networks, {self.records} records "
                f"({self.partitions}/{self.partitions_total} partitions)"
            )
            self.out.flush()

    def end_line(self) -> None:
        if self.live and self.partitions:
            self.out.write("\n")


def migrate(data_dir: Path, url: str, *, out: TextIO, live: bool) -> Progress:
    """Copy every partition of ``data_dir`` into the empty database at ``url`` and verify it."""
    if not data_dir.is_dir():
        raise MigrateError(f"{data_dir} is not a directory; give the service's data directory (SKIS_DATA_DIR)")
    with hold_source(data_dir):
        try:
            source = TinyDBEngine(data_dir, read_only=True)
        except StorageError as exc:
            raise MigrateError(f"cannot read {data_dir}: {exc}. Nothing was copied.") from exc
        try:
            names = source.partition_names_now()
            if not names:
                raise MigrateError(f"{data_dir} holds no skis-bot data; nothing to migrate")
            problems = source.verify_all()
            if problems:
                raise MigrateError(
                    f"{data_dir} has damaged files ({'; '.join(problems[:3])}); nothing was copied. "
                    "Restore a backup into it (`skis-bot restore`) and migrate again."
                )
            progress = Progress(out, live, sum(1 for n in names if _NETWORK.fullmatch(n)), len(names))
            asyncio.run(_copy(source, names, url, progress))
        finally:
            source.close_now()
    return progress


async def _copy(source: TinyDBEngine, names: list[str], url: str, progress: Progress) -> None:
    # An operator command alone on its event loop: reading the source files inline blocks nothing else.
    target = await PostgresEngine.open(url, max_size=2)  # creates the schema on an empty database
    try:
        try:
            await target.load_into_empty(names, lambda n: partition_tables(source, n),
                                         on_partition=progress.partition_done)
        finally:
            progress.end_line()
        await _verify(source, target, names)
    finally:
        await target.close()


async def _verify(source: TinyDBEngine, target: PostgresEngine, names: list[str]) -> None:
    """Every partition reads back from PostgreSQL as it is in DIR, and no other partition is there."""
    copied = await target.partition_names()
    if copied != sorted(names):
        raise MigrateError(f"after the copy the database lists {len(copied)} partitions, not {len(names)}")
    for name in names:
        async with target.transient(name) as snapshot:
            if snapshot.tables() != {t: d for t, d in partition_tables(source, name).items() if d}:
                raise MigrateError(f"partition {name!r} does not read back as it is in the data directory")


def cmd_migrate(args: argparse.Namespace) -> int:
    """Move the TinyDB data directory DIR into the PostgreSQL database in SKIS_DATABASE_URL."""
    url = url_or_exit("migrate")
    if url is None:
        return EXIT_UNUSABLE
    data_dir = Path(args.from_data_dir)
    live = sys.stdout.isatty()
    try:
        progress = migrate(data_dir, url, out=sys.stdout, live=live)
    except MigrateError as exc:
        sys.stderr.write(f"skis-bot migrate: {exc}\n")
        return EXIT_FAILED
    except DatabaseNotEmpty:
        sys.stderr.write(
            f"skis-bot migrate: the database {describe(url)} already holds records; migrate only fills an "
            "empty database and never merges. Nothing was copied. Point SKIS_DATABASE_URL at a new, empty "
            "database.\n"
        )
        return EXIT_FAILED
    except CorruptDataError as exc:
        sys.stderr.write(f"skis-bot migrate: {exc} Nothing was copied.\n")
        return EXIT_FAILED
    except StorageError as exc:
        return unreachable("migrate", url, exc)
    sys.stdout.write(
        f"Migrated {data_dir} into {describe(url)}: {progress.networks} networks, {progress.partitions} partitions, "
        f"{progress.records} records, verified. Numbering continues where it left off.\n"
    )
    return 0


def register_cli(subparsers: Any) -> None:
    """Add ``migrate`` to the ``skis-bot`` command."""
    migrate_cmd = subparsers.add_parser(
        "migrate", help="move a TinyDB data directory into the empty PostgreSQL database in $SKIS_DATABASE_URL")
    migrate_cmd.add_argument("--from-data-dir", required=True, metavar="DIR",
                             help="the data directory to copy (the service must be stopped)")
    migrate_cmd.set_defaults(func=cmd_migrate)
