"""Opening the records for the service or an operator command: the TinyDB data directory by
default, the PostgreSQL database when ``SKIS_DATABASE_URL`` names one."""

from __future__ import annotations

from pathlib import Path

from storage.engine import CorruptDataError, DataDirLockedError, StorageError
from storage.store import Store
from storage.tinydb_engine import TinyDBEngine


class StoreOpenError(Exception):
    """The data cannot be served; the message says why and what to do."""


def open_store(data_dir: Path, *, read_only: bool = False) -> Store:
    """The Store on ``data_dir`` (created if missing); ``store.engine`` also holds the service's
    dialog state (bot/teams/state.py).

    Refuses a directory another process serves, and a corrupt file (pointing to restore)."""
    try:
        if not read_only:
            data_dir.mkdir(parents=True, exist_ok=True)
        engine = TinyDBEngine(data_dir, read_only=read_only)
    except DataDirLockedError as exc:
        raise StoreOpenError(str(exc)) from exc
    except CorruptDataError as exc:
        raise StoreOpenError(f"{exc}. Nothing was changed. Restore a backup with `skis-bot restore FILE`.") from exc
    except (StorageError, OSError) as exc:
        raise StoreOpenError(f"cannot open the data directory {data_dir}: {exc}") from exc
    return Store(engine)


async def open_database(url: str, *, max_size: int = 20) -> Store:
    """The Store on the PostgreSQL database at ``url``, its schema brought up to date first (under
    the migration lock, so instances starting together migrate once).

    Any number of instances may open one database at once: it keeps the records consistent
    itself (row locks, claims), so there is nothing like the data directory's lock."""
    # Imported here: the embedded default never loads psycopg.
    from storage.postgres.engine import PostgresEngine
    from storage.postgres.url import describe

    try:
        engine = await PostgresEngine.open(url, max_size=max_size)
    except StorageError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise StoreOpenError(f"cannot use the database {describe(url)}: {first}") from exc
    return Store(engine)
