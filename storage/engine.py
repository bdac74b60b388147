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
- Staged operations apply in the order given. ``put`` stores a JSON round-tripped copy of the
  doc (``normalize_doc``): what JSON cannot hold is refused at ``put`` with TypeError/ValueError.
- A transaction that stages nothing writes nothing (and does not create the partition).
- ``partition.version`` changes with every commit, and no two partition objects of one process
  share a value: a repository may cache what it parsed from a partition under (object, version).
- ``engine.partition_stamp(name)`` changes whenever the partition is written, also by another
  process or a restore (None when it does not exist): a housekeeping pass may record it and skip
  the partition next time if it is unchanged, without reading it.
- ``with engine.transient(name) as part:`` is the partition for one synchronous pass over many
  partitions (no ``await`` inside): if it was not in the engine's memory cache before, it is not
  kept there afterwards, so a pass over ten years of meetings leaves memory as it found it.
"""

from __future__ import annotations

import itertools
import json
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


_VERSIONS = itertools.count(1)


def next_version() -> int:
    """A value no partition object of this process has had before (see ``Partition.version``)."""
    return next(_VERSIONS)


class Partition(Protocol):
    name: str
    version: int

    def get(self, table: str, key: str) -> Doc | None: ...

    def all(self, table: str) -> list[Doc]: ...

    def write(self) -> Any:  # a context manager yielding a Transaction
        ...


class Engine(Protocol):
    def partition(self, name: str) -> Partition: ...

    def partition_names(self, prefix: str = "") -> list[str]:
        """Names of the partitions that exist (have been written), under ``prefix``."""
        ...

    def partition_stamp(self, name: str) -> str | None:
        """Changes whenever the partition is written; None when it does not exist."""
        ...

    def transient(self, name: str) -> Any:  # a context manager yielding a Partition
        """The partition for one synchronous pass, not kept cached afterwards if it was not before."""
        ...

    def check(self) -> bool:
        """True when storage is usable (for /healthz)."""
        ...

    def close(self) -> None: ...


def normalize_doc(doc: Doc) -> Doc:
    """A deep copy of ``doc`` exactly as it will read back from disk; rejects what JSON cannot hold."""
    # Both engines store this copy, so a test on MemoryEngine fails the same way production
    # would (tuples become lists, datetimes and NaN are refused, lone surrogates are refused)
    # and a caller mutating its dict after put() cannot change stored state.
    if not isinstance(doc, dict):
        raise TypeError(f"a document must be a dict, not {type(doc).__name__}")
    text = json.dumps(doc, ensure_ascii=False, allow_nan=False)
    return json.loads(text.encode("utf-8"))


class _StagedTransaction:
    """Collects writes in order; the engine applies them in one step."""

    def __init__(self) -> None:
        self.ops: list[tuple[str, str, Doc | None]] = []  # (table, key, doc); doc None = delete

    def put(self, table: str, key: str, doc: Doc) -> None:
        _check_names(table, key)
        self.ops.append((table, key, normalize_doc(doc)))

    def delete(self, table: str, key: str) -> None:
        _check_names(table, key)
        self.ops.append((table, key, None))

    def apply_to(self, tables: dict[str, dict[str, Doc]]) -> None:
        # In order: "delete k, then put k" must leave k present.
        for table, key, doc in self.ops:
            if doc is None:
                tables.get(table, {}).pop(key, None)
            else:
                tables.setdefault(table, {})[key] = doc


def _check_names(table: str, key: str) -> None:
    if not isinstance(table, str) or not table:
        raise TypeError(f"table name must be a non-empty str, not {table!r}")
    if not isinstance(key, str):
        raise TypeError(f"document key must be a str, not {type(key).__name__}")


class MemoryPartition:
    def __init__(self, name: str, engine: MemoryEngine) -> None:
        self.name = name
        self.version = next_version()
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
        if not tx.ops:
            return
        if self._engine.fail_writes:
            raise StorageError(f"simulated write failure in {self.name}")
        tx.apply_to(self._tables)
        self.version = next_version()
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

    def partition_stamp(self, name: str) -> str | None:
        return str(self._partitions[name].version) if name in self.written else None

    @contextmanager
    def transient(self, name: str) -> Iterator[MemoryPartition]:
        # Process memory is this engine's only copy: nothing can be dropped.
        yield self.partition(name)

    def check(self) -> bool:
        return True

    def close(self) -> None:
        pass
