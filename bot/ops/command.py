"""One way for an operator command to open the data and hand back its result.

Every command that reads or changes the records (export, publish, roster, report,
import-minutes, forget-member, privacy purge, reminders, backup) does the same steps first: read
the settings, find the data directory (``--data-dir`` or ``SKIS_DATA_DIR``), open it read-only
(no lock: safe while the service runs) or for writing (refused while the service holds it), and
at the end write its result atomically to a file or to standard output. They live here, so each
command says only what it does, and every command says the same thing when the data is missing
or busy, and which network it is for.

A command body raises ``CommandError`` to stop; ``operator_command`` turns it into the line
``<prog>: <why>`` on standard error and the exit status.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType

from bot.clock import SystemClock
from bot.config import Settings, load_settings
from storage.engine import DataDirLockedError
from storage.open import StoreOpenError, open_database, open_store
from storage.store import Store
from storage.team import Team

USAGE_ERROR = 2  # as argparse: the command line itself is wrong


class CommandError(Exception):
    """Stops an operator command; the message (without the command's name) says why."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code

    def report(self, prog: str) -> int:
        sys.stderr.write(f"{prog}: {self}\n")
        return self.code


class ServiceHoldsData(CommandError):
    """The running service holds the data directory, so this command may not write to it."""


def operator_command(
    prog: str,
) -> Callable[[Callable[[argparse.Namespace], Awaitable[int]]], Callable[[argparse.Namespace], Awaitable[int]]]:
    """Run the decorated ``async cmd_*(args)``, reporting a ``CommandError`` as ``<prog>: <why>`` and its exit status.

    The command is a coroutine: ``skis-bot``'s ``main`` runs it with one ``asyncio.run``."""

    def wrap(body: Callable[[argparse.Namespace], Awaitable[int]]) -> Callable[[argparse.Namespace], Awaitable[int]]:
        @functools.wraps(body)
        async def run(args: argparse.Namespace) -> int:
            try:
                return await body(args)
            except CommandError as exc:
                return exc.report(prog)

        return run

    return wrap


def data_dir_of(settings: Settings, args: argparse.Namespace | None = None) -> Path:
    """``--data-dir`` when the command has it and it was given, else ``SKIS_DATA_DIR``."""
    given = getattr(args, "data_dir", None) if args is not None else None
    return Path(given) if given else settings.data_dir


@dataclass
class OpenData:
    """The data opened for one command run; closes the store when the ``async with`` block ends."""

    settings: Settings
    store: Store
    now: datetime

    async def __aenter__(self) -> OpenData:
        return self

    async def __aexit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        await self.store.close()


async def open_data(
    args: argparse.Namespace | None = None,
    *,
    settings: Settings | None = None,
    write: bool = False,
    busy: str = "",
    create: bool = False,
) -> OpenData:
    """Open the records for a command (``async with await open_data(...) as data:``).

    With ``SKIS_DATABASE_URL`` that is the PostgreSQL database, shared with the running service:
    the database keeps concurrent writers consistent, so nothing is refused as busy. Otherwise the
    data directory: read-only (no lock) unless ``write``. Raises ``CommandError`` when the
    directory is missing (unless ``create``: a writing command that may start an empty one) or
    the data cannot be opened, and ``ServiceHoldsData`` when writing and the service holds the
    directory; ``busy`` is added to that message (what was left undone, what works meanwhile)."""
    settings = settings or load_settings()
    if settings.database_url:
        try:
            return OpenData(settings, await open_database(settings.database_url, max_size=2), SystemClock().now())
        except StoreOpenError as exc:
            raise CommandError(str(exc)) from exc
    data_dir = data_dir_of(settings, args)
    if not create and not data_dir.is_dir():
        raise CommandError(f"the data directory {data_dir} does not exist (set SKIS_DATA_DIR)")
    try:
        store = open_store(data_dir, read_only=not write)
    except StoreOpenError as exc:
        if isinstance(exc.__cause__, DataDirLockedError):
            raise ServiceHoldsData(
                f"{exc}. Stop the service first (it holds the data), run this again, then start the service."
                + (f" {busy}" if busy else "")
            ) from exc
        raise CommandError(str(exc)) from exc
    return OpenData(settings, store, SystemClock().now())


async def pick_network(store: Store, team_key: str | None, *, chats: bool = False) -> Team:
    """The network a command is for: ``--team``, or the only one there is (1:1 chats only with ``chats``).

    Raises ``CommandError`` naming the networks there are when none or several fit."""
    teams = sorted((t for t in await store.teams.all_teams(active_only=False) if chats or t.kind != "personal"),
                   key=lambda t: (t.installed_at, t.key))
    if team_key is not None:
        chosen = [t for t in teams if t.key == team_key]
        if chosen:
            return chosen[0]
        raise CommandError(f"no team with id {team_key!r} (teams: {', '.join(t.key for t in teams) or 'none'})")
    if len(teams) == 1:
        return teams[0]
    if not teams:
        raise CommandError("there is no network yet (the bot has not been added to a team)")
    raise CommandError("there are several networks; choose one with --team ID (teams: " + ", ".join(t.key for t in teams) + ")")


def write_output(data: bytes, out: str | None) -> None:
    """Write to ``out`` atomically (temp file, fsync, rename), or to standard output when ``out`` is empty or "-".

    Raises ``CommandError`` when the file cannot be written."""
    if not out or out == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    try:
        write_file(Path(out), data)
    except OSError as exc:
        raise CommandError(f"cannot write {out}: {exc.strerror or exc}") from exc


def write_file(target: Path, data: bytes, *, mode: int | None = None) -> None:
    """Write ``data`` to ``target`` atomically: a reader never sees a half-written file.

    ``mode`` sets the permissions (the temp file starts private to the owner)."""
    directory = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise

