"""Opening the data directory for the service or an operator command."""

from __future__ import annotations

from pathlib import Path

from storage.engine import CorruptDataError, DataDirLockedError, StorageError
from storage.store import Store
from storage.tinydb_engine import TinyDBEngine


class StoreOpenError(Exception):
    """The data directory cannot be served; the message says why and what to do."""


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
