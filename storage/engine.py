"""The document engine: partitioned tables of JSON documents with atomic, durable writes.

Domain repositories (``storage/*_repo.py``) sit on top of an Engine; nothing else does.
Two engines implement it: ``MemoryEngine`` (tests) and ``TinyDBEngine`` (production,
``storage/tinydb_engine.py``). Both run the same contract tests.

Why partitions: a write must cost the same whether the network has one meeting or ten
years of them, so data is split into small partitions, e.g.

    global                          teams, installations, user -> team index
    team/<team_key>                 members, meetings, action items, settings
    team/<team_key>/meeting/<id>    agenda, attendance, check-ins, decisions, minutes

and a write rewrites only its own partition.

Contract:
- ``get``/``all`` return the stored dicts; callers must not mutate them (repositories turn
  them into frozen dataclasses).
- ``with partition.write() as tx:`` stages puts and deletes across tables of one partition;
  leaving the block commits them all at once, durably (fsync'd) before it returns. If the
  commit fails, ``StorageError`` is raised and the partition is unchanged, in memory and on disk.
- Readers never see a half-applied transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol

Doc = dict[str, Any]


class StorageError(Exception):
    """A write could not be made durable; nothing of it was applied."""


class CorruptDataError(StorageError):
    """A data file exists but cannot be read; it must be restored, never overwritten."""


class DataDirLockedError(StorageError):
    """Another process already serves this data directory."""


class Transaction(Protocol):
    def put(self, table: str, key: str, doc: Doc) -> None: ...

    def delete(self, table: str, key: str) -> None: ...


class Partition(Protocol):
    name: str

    def get(self, table: str, key: str) -> Doc | None: ...

    def all(self, table: str) -> list[Doc]: ...

    def write(self) -> Any:  # a context manager yielding a Transaction
        ...


class Engine(Protocol):
    def partition(self, name: str) -> Partition: ...

    def partition_names(self, prefix: str = "") -> list[str]:
        """Names of the partitions that exist (have been written), under ``prefix``."""
        ...

    def check(self) -> bool:
        """True when storage is usable (for /healthz)."""
        ...

    def close(self) -> None: ...


class _StagedTransaction:
    """Collects writes; the engine applies them in one step."""

    def __init__(self) -> None:
        self.puts: list[tuple[str, str, Doc]] = []
        self.deletes: list[tuple[str, str]] = []

    def put(self, table: str, key: str, doc: Doc) -> None:
        self.puts.append((table, key, doc))

    def delete(self, table: str, key: str) -> None:
        self.deletes.append((table, key))

    def apply_to(self, tables: dict[str, dict[str, Doc]]) -> None:
        for table, key, doc in self.puts:
            tables.setdefault(table, {})[key] = doc
        for table, key in self.deletes:
            tables.get(table, {}).pop(key, None)


class MemoryPartition:
    def __init__(self, name: str, engine: MemoryEngine) -> None:
        self.name = name
        self._engine = engine
        self._tables: dict[str, dict[str, Doc]] = {}

    def get(self, table: str, key: str) -> Doc | None:
        return self._tables.get(table, {}).get(key)

    def all(self, table: str) -> list[Doc]:
        return list(self._tables.get(table, {}).values())

    @contextmanager
    def write(self) -> Iterator[_StagedTransaction]:
        tx = _StagedTransaction()
        yield tx
        if self._engine.fail_writes:
            raise StorageError(f"simulated write failure in {self.name}")
        tx.apply_to(self._tables)
        self._engine.written.add(self.name)


class MemoryEngine:
    """Everything in process memory; for tests. ``fail_writes`` simulates a full disk."""

    def __init__(self) -> None:
        self._partitions: dict[str, MemoryPartition] = {}
        self.written: set[str] = set()
        self.fail_writes = False

    def partition(self, name: str) -> MemoryPartition:
        part = self._partitions.get(name)
        if part is None:
            part = self._partitions[name] = MemoryPartition(name, self)
        return part

    def partition_names(self, prefix: str = "") -> list[str]:
        return sorted(n for n in self.written if n.startswith(prefix))

    def check(self) -> bool:
        return True

    def close(self) -> None:
        pass
