"""The document engine: partitioned tables of JSON documents with atomic, durable writes.

Domain repositories (``storage/*_repo.py``) sit on top of an Engine; nothing else does.
Three engines implement it: ``MemoryEngine`` (tests), ``TinyDBEngine`` (the embedded default,
``storage/tinydb_engine.py``) and ``PostgresEngine`` (several instances on one database,
``storage/postgres/engine.py``). All run the same contract tests.

Why partitions: a write must cost the same whether the network has one meeting or ten
years of them, so data is split into small partitions, e.g.

    global                          teams, installations, user -> team index
    team/<team_key>                 members, meetings, action items, settings
    team/<team_key>/meeting/<id>    agenda, attendance, check-ins, decisions, minutes

and a write rewrites only its own partition.

Contract (every call that may touch a disk or a network is async, so the event loop never waits):
- ``await engine.read(name)`` is a ``Snapshot``: the partition as last committed (by any process,
  for the PostgreSQL engine). ``get``/``all`` return the stored dicts; callers must not mutate them
  (repositories turn them into frozen dataclasses). A never-written partition reads empty.
- ``async with engine.write(name) as tx:`` locks the partition for writing — against other
  coroutines and, for PostgreSQL, other processes — and its ``tx.get``/``tx.all`` read the committed
  state plus what the block staged. A read-modify-write (the next number, "already applied?",
  a status change) therefore reads inside the block, never from an earlier snapshot. Leaving the
  block commits every staged put and delete at once, durably, before it returns. If the commit
  fails, ``StorageError`` is raised and nothing of it is applied; an exception inside the block
  applies nothing either.
- Readers never see a half-applied transaction.
- Staged operations apply in the order given. ``put`` stores a JSON round-tripped copy of the
  doc (``normalize_doc``): what JSON cannot hold is refused at ``put`` with TypeError/ValueError.
  The table name ``_meta`` is reserved.
- A transaction that stages nothing writes nothing (and does not create the partition).
- ``snapshot.version`` changes with every commit, and no two snapshots of different states share
  a value within one process: a repository may cache what it parsed from a partition under
  (name, version).
- ``await engine.partition_stamp(name)`` changes whenever the partition is written, also by another
  process or a restore (None when it does not exist): a housekeeping pass may record it and skip
  the partition next time if it is unchanged, without reading it.
- ``async with engine.transient(name) as snap:`` is the partition for one pass over many
  partitions: if it was not in the engine's memory cache before, it is not kept there afterwards,
  so a pass over ten years of meetings leaves memory as it found it.
- ``await engine.claim(scope, key, ttl=…)`` is True for the first caller only (until ``ttl`` has
  passed), across every instance sharing the data: a redelivered activity runs once.
- ``await engine.lead(name)`` is True while this instance is the one that does job ``name``
  (sending reminders); an embedded engine's process is always the only one.
- ``with engine.turn_view():`` around one turn, and ``await engine.prefetch(names)`` inside it: on a
  shared database a turn looks at each partition once (its first reads in one round trip), reads
  inside a write block still see the committed state, and the next turn reads afresh
  (storage/postgres/engine.py). The embedded engines read from their always-current cache, so
  for them both are no-ops.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
import weakref
from collections.abc import AsyncIterator, Iterable, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import timedelta
from typing import Any, Protocol

Doc = dict[str, Any]
Tables = dict[str, dict[str, Doc]]
META = "_meta"


class StorageError(Exception):
    """A write could not be made durable; nothing of it was applied."""


class CorruptDataError(StorageError):
    """A data file exists but cannot be read; it must be restored, never overwritten."""


class DataDirLockedError(StorageError):
    """Another process already serves this data directory."""


_VERSIONS = itertools.count(1)


def next_version() -> int:
    """A value no snapshot of this process has had before (see ``Snapshot.version``)."""
    return next(_VERSIONS)


class Snapshot:
    """One partition as committed at one moment. Never changes; callers must not mutate what it returns."""

    def __init__(self, name: str, version: int, tables: Tables) -> None:
        self.name = name
        self.version = version
        self._tables = tables

    def get(self, table: str, key: str) -> Doc | None:
        return self._tables.get(table, {}).get(key)

    def all(self, table: str) -> list[Doc]:
        return list(self._tables.get(table, {}).values())

    def tables(self) -> Tables:
        return self._tables


class WriteTx:
    """A partition locked for writing: reads see the committed state plus what this block staged.

    Copy-on-write per table: the snapshot it started from is never changed, so a failed commit
    needs no undo and readers keep seeing the committed state until the commit succeeds."""

    def __init__(self, base: Snapshot) -> None:
        self.name = base.name
        self.version = base.version
        self._tables: Tables = dict(base.tables())
        self._copied: set[str] = set()
        self.ops: list[tuple[str, str, Doc | None]] = []  # (table, key, doc); doc None = delete

    def get(self, table: str, key: str) -> Doc | None:
        return self._tables.get(table, {}).get(key)

    def all(self, table: str) -> list[Doc]:
        return list(self._tables.get(table, {}).values())

    def put(self, table: str, key: str, doc: Doc) -> None:
        check_names(table, key)
        stored = normalize_doc(doc)
        self.ops.append((table, key, stored))
        self._table(table)[key] = stored

    def delete(self, table: str, key: str) -> None:
        check_names(table, key)
        self.ops.append((table, key, None))
        # In order: "delete k, then put k" leaves k present.
        if key in self._tables.get(table, {}):
            del self._table(table)[key]

    def result(self) -> Tables:
        """The partition's tables as they are after this transaction (empty tables left out)."""
        return {table: docs for table, docs in self._tables.items() if docs}

    def _table(self, table: str) -> dict[str, Doc]:
        if table not in self._copied:
            self._tables[table] = dict(self._tables.get(table, {}))
            self._copied.add(table)
        return self._tables[table]


class Engine(Protocol):
    async def read(self, name: str) -> Snapshot: ...

    def write(self, name: str) -> Any:  # an async context manager yielding a WriteTx
        ...

    async def partition_names(self, prefix: str = "") -> list[str]:
        """Names of the partitions that exist (have been written), under ``prefix``, sorted."""
        ...

    async def partition_stamp(self, name: str) -> str | None:
        """Changes whenever the partition is written; None when it does not exist."""
        ...

    def transient(self, name: str) -> Any:  # an async context manager yielding a Snapshot
        """The partition for one pass, not kept cached afterwards if it was not before."""
        ...

    def turn_view(self) -> Any:  # a context manager
        """For the block (one turn): each partition looked up once (a shared database; a no-op here)."""
        ...

    async def prefetch(self, names: Iterable[str], *, claim: tuple[str, str, timedelta] | None = None) -> None:
        """Inside a turn view: read ``names`` (and make ``claim``: scope, key, ttl, answered by the
        turn's ``claim``) in one round trip (a shared database; a no-op here)."""
        ...

    async def check(self) -> bool:
        """True when storage is usable (for /healthz)."""
        ...

    async def close(self) -> None: ...

    async def claim(self, scope: str, key: str, *, ttl: timedelta) -> bool:
        """True for the first caller to claim ``key`` in ``scope`` until ``ttl`` has passed."""
        ...

    async def unclaim(self, scope: str, key: str) -> None:
        """Give a claim back (the work failed; a retry may claim it again)."""
        ...

    async def lead(self, name: str) -> bool:
        """True while this instance is the one that does job ``name``."""
        ...


def normalize_doc(doc: Doc) -> Doc:
    """A deep copy of ``doc`` exactly as it will read back from disk; rejects what JSON cannot hold."""
    # Every engine stores this copy, so a test on MemoryEngine fails the same way production
    # would (tuples become lists, datetimes and NaN are refused, lone surrogates are refused)
    # and a caller mutating its dict after put() cannot change stored state.
    if not isinstance(doc, dict):
        raise TypeError(f"a document must be a dict, not {type(doc).__name__}")
    text = json.dumps(doc, ensure_ascii=False, allow_nan=False)
    return json.loads(text.encode("utf-8"))


def check_names(table: str, key: str) -> None:
    if not isinstance(table, str) or not table:
        raise TypeError(f"table name must be a non-empty str, not {table!r}")
    if table == META:
        raise ValueError(f"table name {META!r} is reserved by the storage engine")
    if not isinstance(key, str):
        raise TypeError(f"document key must be a str, not {type(key).__name__}")


# Claims held in process memory before the expired ones are first dropped (see _prune_claims).
CLAIMS_PRUNED_FROM = 10_000


class _Group:
    """The writers of one partition waiting for their states to be durable, and the task committing."""

    __slots__ = ("waiting", "task")

    def __init__(self) -> None:
        self.waiting: list[asyncio.Future[None]] = []
        self.task: asyncio.Task[None] | None = None


class LocalEngine:
    """What the embedded engines share: one process owns the data, so a per-partition asyncio lock
    makes writes exclusive, snapshots are cached in memory, and claims and leadership are local.

    Subclasses say how a partition is loaded (``_load``) and made durable (``_persist``, which may
    block: with ``persist_in_thread`` it runs in a worker thread, so an fsync never stalls the loop,
    and commits are grouped: writers that finish their blocks while a commit of the partition is
    under way are made durable together by the next one; see ``_await_durable``).
    """

    persist_in_thread = False
    keep_cache = True

    def __init__(self) -> None:
        self._cache: dict[str, Snapshot] = {}
        # Per event loop: an asyncio.Lock belongs to the loop it first waited on, and an operator
        # command or a test may use one engine from several loops in turn.
        self._write_locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, asyncio.Lock]] = (
            weakref.WeakKeyDictionary())
        self._claims: dict[tuple[str, str], float] = {}
        self._prune_claims_at = CLAIMS_PRUNED_FROM
        self._mutex = threading.Lock()
        self._closed = False
        # Group commit (``persist_in_thread`` engines): the newest state of a partition staged by
        # a write block but not yet durable, the writers waiting for it, and the one task per
        # partition that commits. See ``_await_durable``.
        self._heads: dict[str, Snapshot] = {}
        self._failures: dict[str, int] = {}  # group commits of a partition that failed, ever
        self._groups: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, _Group]] = (
            weakref.WeakKeyDictionary())

    # Subclass hooks --------------------------------------------------------------------------
    def _load(self, name: str) -> Tables:
        raise NotImplementedError

    def _persist(self, name: str, tables: Tables) -> None:
        raise NotImplementedError

    def _ensure_open(self) -> None:
        if self._closed:
            raise StorageError("the storage engine is closed")

    def _ensure_writable(self) -> None:
        self._ensure_open()

    def _note_written(self, name: str) -> None:
        """Called (possibly from a worker thread) after a commit to ``name`` is durable."""

    # The contract ------------------------------------------------------------------------------
    async def read(self, name: str) -> Snapshot:
        return self._read(name)

    def _read(self, name: str) -> Snapshot:
        self._ensure_open()
        snap = self._cache.get(name)
        if snap is None:
            snap = Snapshot(name, next_version(), self._load(name))
            if self.keep_cache:
                with self._mutex:
                    # Another load may have won meanwhile; keep the first so versions stay stable.
                    snap = self._cache.setdefault(name, snap)
        return snap

    @asynccontextmanager
    async def write(self, name: str) -> AsyncIterator[WriteTx]:
        self._ensure_writable()
        locks = self._write_locks.setdefault(asyncio.get_running_loop(), {})
        lock = locks.get(name)
        if lock is None:
            lock = locks[name] = asyncio.Lock()
        await lock.acquire()
        staged: Snapshot | None = None
        seen: Snapshot | None = None  # another writer's staged state this block read, not yet durable
        failure: BaseException | None = None
        try:
            seen = self._heads.get(name)
            failures = self._failures.get(name, 0)
            base = seen or self._read(name)
            tx = WriteTx(base)
            try:
                yield tx
            except GeneratorExit:
                raise
            except BaseException as exc:  # noqa: BLE001 - raised again below, after the wait
                failure = exc
            if failure is None and tx.ops:
                self._ensure_writable()
                if not self.persist_in_thread:
                    self._commit(Snapshot(name, next_version(), tx.result()))
                    return
                if (self._heads.get(name) or self._read(name)) is not base:
                    # The state this block started from was in a group whose commit failed meanwhile
                    # (see _await_durable): it will never be durable, so neither can this.
                    raise StorageError(f"an earlier write to {name!r} failed; nothing of this one was applied")
                staged = self._heads[name] = Snapshot(name, next_version(), tx.result())
        finally:
            # With group commit the lock covers the block only, not the commit: the next writer
            # starts from the staged state while this one waits for the disk (see below).
            lock.release()
        if staged is not None:
            await self._await_durable(name, staged)
        elif seen is not None and not isinstance(failure, asyncio.CancelledError):
            # Nothing written, but the block decided on a state another writer staged that is not on
            # disk yet ("already signed", "already cancelled"): what the caller does next, a reply
            # or a read, must not go ahead of the disk.
            await self._await_seen(name, failures)
        if failure is not None:
            raise failure

    async def _await_seen(self, name: str, failures: int) -> None:
        """Return once the states staged when a block began are durable; StorageError if they failed."""
        if self._failures.get(name, 0) == failures:
            head = self._heads.get(name)
            if head is None:
                return  # committed meanwhile
            await self._await_durable(name, head)  # a later state is built on the one seen
            return
        raise StorageError(f"an earlier write to {name!r} failed; what this one read was not saved")

    async def _await_durable(self, name: str, staged: Snapshot) -> None:
        """Return once ``staged`` (or a later state built on it) is durable; StorageError if not.

        Group commit: while one commit of a partition is in its worker thread, the writers that
        finish their blocks meanwhile each stage a state built on the previous one, and the next
        commit writes only the newest of them, with one fsync for all. Each writer still returns
        only after a commit holding its changes is durable, and readers still see committed
        states only (the cache). Without this, concurrent turns writing one partition (check-ins
        to the ongoing meeting) waited for each other's fsyncs one by one.
        """
        loop = asyncio.get_running_loop()
        groups = self._groups.setdefault(loop, {})
        group = groups.get(name)
        if group is None:
            group = groups[name] = _Group()
        done: asyncio.Future[None] = loop.create_future()
        # A writer cancelled while it waits leaves its outcome unread; that is not an error.
        done.add_done_callback(lambda f: f.cancelled() or f.exception())
        group.waiting.append(done)
        if group.task is None:
            group.task = loop.create_task(self._commit_groups(name, groups, group))
        # Cancelling a writer does not cancel the commit: its state is staged and others build on it.
        await asyncio.shield(done)

    async def _commit_groups(self, name: str, groups: dict[str, _Group], group: _Group) -> None:
        loop = asyncio.get_running_loop()
        cancelled = False
        try:
            while group.waiting and not cancelled:
                batch, group.waiting = group.waiting, []
                head = self._heads.get(name)
                if head is None:
                    # Only writers waiting for states the last commit made durable (see _await_seen).
                    for waiter in batch:
                        if not waiter.done():
                            waiter.set_result(None)
                    continue
                commit = loop.run_in_executor(None, self._commit, head)
                while not commit.done():
                    try:
                        await asyncio.shield(commit)
                    except asyncio.CancelledError:
                        # Shutting down: let the thread finish first, so that two commits of
                        # one partition never overlap and the writers learn how it ended.
                        cancelled = True
                    except BaseException:  # noqa: BLE001 - read from the future below, for every writer
                        pass
                failure = commit.exception()
                if failure is None:
                    if self._heads.get(name) is head:
                        del self._heads[name]  # the cache holds it now
                    for waiter in batch:
                        if not waiter.done():
                            waiter.set_result(None)
                    continue
                # Every state staged since the last durable one is built on this one: all of
                # them fail, and the next write starts from what is durable.
                self._fail_staged(name, batch + group.waiting, failure)
                group.waiting = []
            if cancelled:
                self._fail_staged(name, group.waiting, StorageError(f"the service stopped before {name!r} was saved"))
                raise asyncio.CancelledError
        finally:
            groups.pop(name, None)

    def _fail_staged(self, name: str, waiters: list[asyncio.Future[None]], failure: BaseException) -> None:
        self._heads.pop(name, None)
        self._failures[name] = self._failures.get(name, 0) + 1
        for waiter in waiters:
            if not waiter.done():
                waiter.set_exception(failure)

    def _commit(self, new: Snapshot) -> None:
        self._persist(new.name, new.tables())
        # Only now, with the state durable, do readers get it.
        with self._mutex:
            self._cache[new.name] = new
        self._note_written(new.name)

    @asynccontextmanager
    async def transient(self, name: str) -> AsyncIterator[Snapshot]:
        cached = name in self._cache
        snap = await self.read(name)
        try:
            yield snap
        finally:
            lock = self._write_locks.get(asyncio.get_running_loop(), {}).get(name)
            if not cached and not (lock is not None and lock.locked()) and name not in self._heads:
                with self._mutex:
                    # Also a state the pass itself committed: it is durable, so dropping it
                    # only costs a reload. (Not while a write is in flight: it would store its
                    # state after this and keep it.)
                    self._cache.pop(name, None)

    async def claim(self, scope: str, key: str, *, ttl: timedelta) -> bool:
        now = time.monotonic()
        with self._mutex:
            if len(self._claims) > self._prune_claims_at:
                self._prune_claims(now)
            expires = self._claims.get((scope, key))
            if expires is not None and expires > now:
                return False
            self._claims[(scope, key)] = now + ttl.total_seconds()
        return True

    def _prune_claims(self, now: float) -> None:
        """Drop expired claims. The next pass waits until the live ones have doubled, so each claim
        pays for its pruning once: at hundreds of turns a second every claim lives its two minutes,
        and pruning at a fixed size rebuilt a dict of tens of thousands on every turn."""
        self._claims = {k: exp for k, exp in self._claims.items() if exp > now}
        self._prune_claims_at = max(CLAIMS_PRUNED_FROM, 2 * len(self._claims))

    async def unclaim(self, scope: str, key: str) -> None:
        with self._mutex:
            self._claims.pop((scope, key), None)

    async def lead(self, name: str) -> bool:
        return not self._closed

    async def release_lead(self, name: str) -> None:
        pass

    @contextmanager
    def turn_view(self) -> Iterator[None]:
        # One process owns the data and its cache is always current: a read costs no round trip.
        yield

    async def prefetch(self, names: Iterable[str], *, claim: tuple[str, str, timedelta] | None = None) -> None:
        pass  # (the claim is made by claim() itself)


class MemoryEngine(LocalEngine):
    """Everything in process memory; for tests. ``fail_writes`` simulates a full disk."""

    def __init__(self) -> None:
        super().__init__()
        self.written: set[str] = set()
        self.fail_writes = False

    def _load(self, name: str) -> Tables:
        return {}

    def _persist(self, name: str, tables: Tables) -> None:
        if self.fail_writes:
            raise StorageError(f"simulated write failure in {name}")
        self.written.add(name)

    async def partition_names(self, prefix: str = "") -> list[str]:
        return sorted(n for n in self.written if n.startswith(prefix))

    async def partition_stamp(self, name: str) -> str | None:
        return str(self._cache[name].version) if name in self.written else None

    @asynccontextmanager
    async def transient(self, name: str) -> AsyncIterator[Snapshot]:
        # Process memory is this engine's only copy: nothing can be dropped.
        yield await self.read(name)

    async def check(self) -> bool:
        return True

    async def close(self) -> None:
        pass  # nothing to release; the data stays readable for the test that made it
