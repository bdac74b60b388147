"""The storage contract on PostgreSQL, for several service instances sharing one database.

The same partitions of JSON documents as the TinyDB engine (see storage/engine.py), in two tables:
``partitions`` (name, version) and ``documents`` (partition, table, key, JSON text). The contract's
promises hold across processes, not only inside one event loop:

- **Reads are never stale.** ``read(name)`` asks the database for the partition's version (one
  round trip) and serves the cached documents only when the version is the one cached; otherwise it
  loads the partition in one statement (a consistent snapshot). A write acknowledged by one instance
  is therefore seen by the next read on any other.
- **Read-modify-write is exclusive.** ``async with engine.write(name) as tx`` takes the partition's
  row lock (``SELECT … FOR UPDATE``) before ``tx.get``/``tx.all`` read anything, so two instances
  numbering the next decision, or closing the same action item, run one after the other and the
  second sees the first's result. Leaving the block commits every staged put and delete and a new
  version in one transaction; an exception, or a failed commit (``StorageError``), applies nothing.
  Two round trips whatever happened meanwhile: the lock's answer carries the documents when another
  instance wrote the partition since this one cached it.
- **Every call is async** (psycopg 3 with a connection pool): the event loop never waits on the
  network.
- **One turn, one look at each partition.** Inside ``with engine.turn_view():`` (the service opens
  one per incoming activity, bot/teams/http.py) a partition's version is asked for once: a turn that
  reads the network's register three times sees one state of it, and pays one round trip.
  ``prefetch(names)`` asks for several partitions' versions in one round trip. Reads inside a write
  block always go to the database (a read-modify-write across two partitions decides on committed
  state, as without a view), and a write refreshes the view with what it saw under its lock, so a
  turn that retries on a newer version reads the newer one. The view ends with the turn: the next
  turn on any instance reads afresh.

Besides partitions: ``claim(scope, key)`` is a first-comer claim shared by all instances (a
redelivered activity runs once, a reminder is sent once), and ``lead(name)`` holds a PostgreSQL
advisory lock on a connection of its own, so exactly one instance at a time does a job (sending
reminders); when that instance dies its connection closes, the lock is released and another can take
over.

``load_into_empty`` writes a whole TinyDB data directory's partitions in one transaction, for
``skis-bot migrate`` (bot/ops/migrate.py).
"""

from __future__ import annotations

import itertools
import json
import logging
import random
import re
import weakref
import zlib
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import asynccontextmanager, contextmanager, suppress
from contextvars import ContextVar
from datetime import timedelta

import psycopg
from psycopg.pq import TransactionStatus
from psycopg_pool import AsyncConnectionPool, PoolTimeout

from storage.engine import Doc, Snapshot, StorageError, WriteTx, check_names, normalize_doc
from storage.postgres import migrations

log = logging.getLogger(__name__)

# Partitions kept parsed in memory; a ten-year store has thousands of meetings, most never read.
CACHE_PARTITIONS = 4096
# How long a turn may wait for a pooled connection before it is told nothing was saved (Teams
# gives up on a turn after 15 seconds; during an outage the pool has no connection to give).
POOL_TIMEOUT = 5.0


def _dumps(doc: Doc) -> str:
    # Control characters (also NUL) are escaped by json.dumps, so the text column can hold any document.
    return json.dumps(doc, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


# Names, tables and keys may hold any text, but a PostgreSQL text value cannot hold NUL: they are
# stored with NUL as %00 (and % as %25, so the mapping is one-to-one). Character by character, so
# an escaped prefix is the prefix of the escaped names.
_ESCAPED = re.compile(r"%(25|00)")


def _esc(text: str) -> str:
    return text.replace("%", "%25").replace("\x00", "%00")


def _unesc(text: str) -> str:
    return _ESCAPED.sub(lambda m: "%" if m[1] == "25" else "\x00", text)


class _TurnView:
    """The partitions one turn has read (see the module's docstring); open until the turn ends."""

    __slots__ = ("engine", "seen", "claims", "open")

    def __init__(self, engine: PostgresEngine) -> None:
        self.engine = engine
        self.seen: dict[str, Snapshot] = {}
        self.claims: dict[tuple[str, str], bool] = {}  # made by prefetch, answered once by claim()
        self.open = True


# The turn the running task belongs to, and how many write blocks it is inside (reads there go to
# the database). Context variables: concurrent turns on one event loop each have their own.
_VIEW: ContextVar[_TurnView | None] = ContextVar("skis_turn_view", default=None)
_WRITING: ContextVar[int] = ContextVar("skis_writing", default=0)


def _view(engine: PostgresEngine) -> _TurnView | None:
    view = _VIEW.get()
    return view if view is not None and view.open and view.engine is engine else None


def lock_key(name: str) -> int:
    """A stable advisory-lock key for ``name`` (crc32: the same in every process and release)."""
    return 0x736B6900000000 + zlib.crc32(name.encode("utf-8"))


class PostgresEngine:
    """Built with ``await PostgresEngine.open(url)``; ``await engine.close()`` at shutdown."""

    # Other processes write the same records (the reminders plan again more often).
    shared = True

    def __init__(self, url: str, pool: AsyncConnectionPool) -> None:
        self.url = url
        self._pool = pool
        self._cache: OrderedDict[str, Snapshot] = OrderedDict()
        self._leads: dict[str, psycopg.AsyncConnection] = {}
        self._prepared: weakref.WeakSet[psycopg.AsyncConnection] = weakref.WeakSet()

    @classmethod
    async def open(cls, url: str, *, min_size: int = 1, max_size: int = 20, migrate: bool = True) -> PostgresEngine:
        """Connect (and, unless told not to, bring the schema up to date under the migration lock)."""
        try:
            if migrate:
                await migrations.upgrade(url)
            # Autocommit: a read is one statement and one round trip (no COMMIT after it); writes
            # and the backup's dump open their transactions explicitly (conn.transaction()).
            # psycopg's own preparing is off: the engine prepares what it sends often itself
            # (``_execute``), and psycopg deallocates every prepared statement of a connection
            # after a rollback, the engine's too.
            pool = AsyncConnectionPool(url, min_size=min_size, max_size=max_size, timeout=POOL_TIMEOUT,
                                       open=False, kwargs={"autocommit": True, "prepare_threshold": None})
            await pool.open(wait=True, timeout=POOL_TIMEOUT)
        except (psycopg.Error, PoolTimeout, OSError) as exc:
            raise StorageError(f"cannot use the database: {exc}") from exc
        return cls(url, pool)

    async def close(self) -> None:
        for name in list(self._leads):
            await self.release_lead(name)
        await self._pool.close()

    # Reading -------------------------------------------------------------------------------------
    @contextmanager
    def turn_view(self) -> Iterator[None]:
        """For the block (one turn), each partition is asked for once (see the module's docstring)."""
        view = _TurnView(self)
        token = _VIEW.set(view)
        try:
            yield
        finally:
            view.open = False  # also for a task the turn started that outlives it
            _VIEW.reset(token)

    async def read(self, name: str) -> Snapshot:
        """The partition as last committed by any instance (empty, version 0, if never written);
        inside a turn view, as this turn first saw it."""
        view = _view(self)
        if view is not None and not _WRITING.get() and name in view.seen:
            return view.seen[name]
        try:
            async with self._pool.connection() as conn:
                row = await (await self._execute(conn, "EXECUTE skis_version(%s)", (_esc(name),))).fetchone()
                snapshot = await self._current(conn, name, int(row[0]) if row else 0)
        except (psycopg.Error, PoolTimeout) as exc:
            raise StorageError(f"cannot read {name}: {exc}") from exc
        if view is not None:
            view.seen[name] = snapshot
        return snapshot

    async def prefetch(self, names: Iterable[str], *, claim: tuple[str, str, timedelta] | None = None) -> None:
        """Inside a turn view: read the partitions ``names`` with one version query for all of them
        (a turn's first reads: the networks, the network's register, the dialog state), and with
        ``claim`` (scope, key, ttl) make that claim in the same round trip; the turn's
        ``claim(scope, key)`` then answers from what was found (once)."""
        view = _view(self)
        if view is None or _WRITING.get():
            return
        wanted = [n for n in dict.fromkeys(names) if n not in view.seen]
        if not wanted and claim is None:
            return
        try:
            async with self._pool.connection() as conn:
                if claim is None:
                    rows = await (await self._execute(conn, "EXECUTE skis_versions(%s)", ([_esc(n) for n in wanted],))).fetchall()
                else:
                    # Two statements in one message (the simple query protocol: bound in the client).
                    scope, key, ttl = claim
                    cur = await self._execute(conn, "EXECUTE skis_claim(%s, %s, %s); EXECUTE skis_versions(%s)",
                                              (_esc(scope), _esc(key), ttl, [_esc(n) for n in wanted]))
                    won = await cur.fetchone() is not None
                    cur.nextset()
                    rows = await cur.fetchall()
                    view.claims[(scope, key)] = won
                    await _now_and_then_drop_expired_claims(conn)
                versions = {_unesc(name): int(version) for name, version in rows}
                for name in wanted:
                    view.seen[name] = await self._current(conn, name, versions.get(name, 0))
        except (psycopg.Error, PoolTimeout) as exc:
            raise StorageError(f"cannot read {', '.join(wanted)}: {exc}") from exc

    async def _current(self, conn: psycopg.AsyncConnection, name: str, version: int) -> Snapshot:
        """The partition at ``version`` (just read from the database): cached, loaded, or empty."""
        if version == 0:
            # Never written (a version-0 row is a write's lock that was rolled back): no
            # documents, nothing to load (a dialog state not saved yet, a new network).
            self._cache.pop(name, None)
            return Snapshot(name, 0, {})
        cached = self._cache.get(name)
        if cached is not None and cached.version == version:
            self._cache.move_to_end(name)
            return cached
        snapshot = await self._load(conn, name)
        self._remember(snapshot)
        return snapshot

    async def _load(self, conn: psycopg.AsyncConnection, name: str) -> Snapshot:
        # One statement: the version and the documents belong to the same moment.
        rows = await (await self._execute(conn, "EXECUTE skis_load(%s)", (_esc(name),))).fetchall()
        version = int(rows[0][0]) if rows else 0
        return Snapshot(name, version, _tables(row[1:] for row in rows if row[1] is not None))

    def _remember(self, snapshot: Snapshot) -> None:
        if snapshot.version == 0:
            self._cache.pop(snapshot.name, None)
            return
        self._cache[snapshot.name] = snapshot
        self._cache.move_to_end(snapshot.name)
        while len(self._cache) > CACHE_PARTITIONS:
            self._cache.popitem(last=False)

    @asynccontextmanager
    async def transient(self, name: str) -> AsyncIterator[Snapshot]:
        """The partition for one housekeeping pass, not added to the cache."""
        cached = name in self._cache
        snapshot = await self.read(name)
        try:
            yield snapshot
        finally:
            if not cached:
                self._cache.pop(name, None)

    async def partition_names(self, prefix: str = "") -> list[str]:
        """Names of the partitions that have been written, under ``prefix``, sorted."""
        try:
            async with self._pool.connection() as conn:
                rows = await (await conn.execute(
                    "SELECT name FROM partitions WHERE version > 0 AND starts_with(name, %s)",
                    (_esc(prefix),),
                )).fetchall()
        except (psycopg.Error, PoolTimeout) as exc:
            raise StorageError(f"cannot list partitions: {exc}") from exc
        return sorted(_unesc(r[0]) for r in rows)

    async def partition_stamp(self, name: str) -> str | None:
        """Changes whenever the partition is written, by any instance; None if it was never written."""
        try:
            async with self._pool.connection() as conn:
                row = await (await conn.execute(
                    "SELECT version FROM partitions WHERE name = %s AND version > 0", (_esc(name),))).fetchone()
        except (psycopg.Error, PoolTimeout) as exc:
            raise StorageError(f"cannot read {name}: {exc}") from exc
        return str(row[0]) if row else None

    # Writing -------------------------------------------------------------------------------------
    @asynccontextmanager
    async def write(self, name: str) -> AsyncIterator[WriteTx]:
        """Lock the partition (across instances), stage puts and deletes, commit them all on leaving."""
        key = _esc(name)
        view = _view(self)
        writing = _WRITING.set(_WRITING.get() + 1)
        try:
            async with self._pool.connection() as conn:
                # Two round trips whatever the block stages: "BEGIN; lock" (its answer, the version,
                # is needed before the block runs), then "the changes; COMMIT". Several statements
                # in one message need the simple query protocol, so the parameters are bound in the
                # client (psycopg quotes them with the server's own rules). Measured: less than half
                # the CPU of the same statements sent in pipeline mode (docs/performance.md).
                try:
                    # The lock statement gives a partition written for the first time its row
                    # (version 0); a second instance inserting the same name waits on the unique
                    # index until the first is done. The same message brings the documents when the
                    # version is not the cached one (another instance wrote since): under the lock,
                    # so they are the locked version's.
                    cached = self._cache.get(name)
                    cur = await self._execute(conn, "BEGIN; EXECUTE skis_lock(%s); EXECUTE skis_documents_unless(%s, %s)",
                                              (key, key, cached.version if cached is not None else 0))
                    cur.nextset()
                    row = await cur.fetchone()
                    version = int(row[0]) if row else 0
                    cur.nextset()
                    if cached is not None and cached.version == version and version > 0:
                        base = cached
                    else:
                        base = Snapshot(name, version, _tables(await cur.fetchall()))
                    if view is not None:
                        view.seen[name] = base  # what the block decides on is what the turn sees next
                    tx = WriteTx(base)
                    yield tx
                    if not tx.ops:
                        raise _NothingStaged
                    cur = await self._execute(conn, "EXECUTE skis_commit(%(p)s, %(dt)s, %(dk)s, %(pt)s, %(pk)s, %(pd)s); COMMIT",
                                              _changes(key, tx))
                    new = await cur.fetchone()
                except BaseException:
                    await _roll_back(conn)
                    raise
                committed = Snapshot(name, int(new[0]), tx.result())  # type: ignore[index]
        except _NothingStaged:
            return  # rolled back: nothing written, the partition not created
        except (psycopg.Error, PoolTimeout) as exc:
            if view is not None:
                view.seen.pop(name, None)  # unknown whether it was applied: read it again
            raise StorageError(f"could not write {name}: {exc}") from exc
        finally:
            with suppress(ValueError):  # a block left unfinished and collected in another context
                _WRITING.reset(writing)
        self._remember(committed)
        if view is not None:
            view.seen[name] = committed

    async def _execute(self, conn: psycopg.AsyncConnection, query: str,
                       params: Sequence[object] | Mapping[str, object]) -> psycopg.AsyncClientCursor:
        """``query``, EXECUTEs of the engine's prepared statements (several may go in one message),
        on ``conn``, preparing them first when the connection is new.

        Statements sent with the simple query protocol, as several in one message must be, are
        parsed and planned by the server on every call (psycopg prepares only what it sends alone).
        Prepared with SQL's PREPARE the first time a connection is used (one message) and run with
        EXECUTE, they are planned once per connection: measured, ~40 % of the server's CPU per
        check-in turn less. The parameters are bound in the client (psycopg quotes them with the
        server's own rules)."""
        if conn not in self._prepared:
            try:
                await conn.execute(_PREPARE.encode("utf-8"))
            except psycopg.Error:
                # What was prepared before the failure stays in the session (PREPARE outlives a
                # rollback) and would clash with the next try: the pool replaces a closed connection.
                await _quietly_close(conn)
                raise
            self._prepared.add(conn)
        cur = psycopg.AsyncClientCursor(conn)
        try:
            await cur.execute(query, params)
        except psycopg.errors.InvalidSqlStatementName:
            self._prepared.discard(conn)  # no longer in the session: prepared again on its next use
            raise
        return cur

    # Moving a data directory in ---------------------------------------------------------------
    async def dump(self) -> dict[str, dict[str, dict[str, Doc]]]:
        """Every written partition's tables, all as of one instant (one repeatable-read transaction),
        for ``skis-bot backup``: a decision is never there without the counter written before it."""
        found: dict[str, dict[str, dict[str, Doc]]] = {}
        try:
            async with self._pool.connection() as conn:
                await conn.set_isolation_level(psycopg.IsolationLevel.REPEATABLE_READ)
                try:
                    async with conn.transaction():
                        cursor = await conn.execute(
                            "SELECT p.name, d.tbl, d.key, d.doc FROM partitions p "
                            "JOIN documents d ON d.partition = p.name WHERE p.version > 0")
                        async for name, table, key, doc in cursor:
                            found.setdefault(_unesc(name), {}).setdefault(_unesc(table), {})[_unesc(key)] = json.loads(doc)
                finally:
                    await conn.set_isolation_level(None)
        except (psycopg.Error, PoolTimeout) as exc:
            raise StorageError(f"could not read the partitions: {exc}") from exc
        return found

    async def load_into_empty(
        self,
        names: Sequence[str],
        tables_of: Callable[[str], Mapping[str, Mapping[str, Doc]]],
        *,
        on_partition: Callable[[str, int], None] | None = None,
        replace: bool = False,
    ) -> int:
        """Write every partition in ``names`` (its tables from ``tables_of(name)``) in ONE transaction,
        into a database that holds no partition yet; returns the number of documents written.

        For ``skis-bot migrate``: all or nothing, so a migration that fails halfway (a damaged source
        file, the network) leaves the database empty and can simply be run again. The partitions
        table is locked against writers for the duration, so a second migration, or a service
        instance started too early, waits and then finds the database no longer empty.
        ``on_partition(name, documents)`` is called after each partition is sent (for progress).
        Raises ``DatabaseNotEmpty`` (nothing written) when any partition exists already, unless
        ``replace`` (``skis-bot restore --force``): then everything there is deleted in the same
        transaction, so the database holds either what it held or exactly what is loaded."""
        total = 0
        try:
            async with self._pool.connection() as conn:
                async with conn.transaction():
                    await conn.execute("LOCK TABLE partitions IN EXCLUSIVE MODE")
                    if replace:
                        await conn.execute("DELETE FROM documents")
                        await conn.execute("DELETE FROM partitions")
                    row = await (await conn.execute("SELECT count(*) FROM partitions")).fetchone()
                    if row and row[0]:
                        raise DatabaseNotEmpty(f"the database already holds {row[0]} partitions")
                    async with conn.cursor() as cur:
                        # Partition rows first (documents reference them), each with its own version.
                        await cur.executemany(
                            "INSERT INTO partitions (name, version) VALUES (%s, nextval('partition_versions'))",
                            [(_esc(name),) for name in names])
                        async with cur.copy("COPY documents (partition, tbl, key, doc) FROM STDIN") as copy:
                            for name in names:
                                count = 0
                                for table, docs in tables_of(name).items():
                                    for key, doc in docs.items():
                                        check_names(table, key)
                                        await copy.write_row((_esc(name), _esc(table), _esc(key), _dumps(normalize_doc(doc))))
                                        count += 1
                                total += count
                                if on_partition is not None:
                                    on_partition(name, count)
        except (psycopg.Error, PoolTimeout) as exc:
            raise StorageError(f"could not write the partitions: {exc}") from exc
        return total

    # Shared claims and leadership ----------------------------------------------------------------
    async def claim(self, scope: str, key: str, *, ttl: timedelta) -> bool:
        """True for the first instance to claim ``key`` in ``scope`` (until ``ttl`` has passed)."""
        view = _view(self)
        if view is not None and (scope, key) in view.claims:
            return view.claims.pop((scope, key))  # made with the turn's first reads (prefetch)
        try:
            async with self._pool.connection() as conn:
                row = await (await self._execute(conn, "EXECUTE skis_claim(%s, %s, %s)", (_esc(scope), _esc(key), ttl))).fetchone()
                await _now_and_then_drop_expired_claims(conn)
        except (psycopg.Error, PoolTimeout) as exc:
            raise StorageError(f"could not claim {scope}: {exc}") from exc
        return row is not None

    async def unclaim(self, scope: str, key: str) -> None:
        """Give a claim back (the work failed; a retry may claim it again)."""
        try:
            async with self._pool.connection() as conn:
                await conn.execute("DELETE FROM claims WHERE scope = %s AND key = %s", (_esc(scope), _esc(key)))
        except (psycopg.Error, PoolTimeout) as exc:
            raise StorageError(f"could not give back the claim in {scope}: {exc}") from exc

    async def lead(self, name: str) -> bool:
        """True while this instance holds the advisory lock ``name`` (taken now if it is free)."""
        conn = self._leads.get(name)
        if conn is not None:
            try:
                await conn.execute("SELECT 1")
                return True
            except psycopg.Error:
                self._leads.pop(name, None)  # the connection died: so did the lock
                await _quietly_close(conn)
        try:
            conn = await psycopg.AsyncConnection.connect(self.url, autocommit=True)
            row = await (await conn.execute("SELECT pg_try_advisory_lock(%s)", (lock_key(name),))).fetchone()
        except (psycopg.Error, OSError) as exc:
            log.warning("could not ask for the %s lock: %s", name, exc)
            return False
        if row and row[0]:
            self._leads[name] = conn
            return True
        await _quietly_close(conn)
        return False

    async def release_lead(self, name: str) -> None:
        conn = self._leads.pop(name, None)
        if conn is not None:
            await _quietly_close(conn)  # closing the session releases the lock

    async def check(self) -> bool:
        """True when the database answers (for /healthz)."""
        try:
            async with self._pool.connection(timeout=2.0) as conn:
                await conn.execute("SELECT 1")
            return True
        except (psycopg.Error, PoolTimeout, OSError):
            return False


_VERSION = "SELECT version FROM partitions WHERE name = %s"
_VERSIONS = "SELECT name, version FROM partitions WHERE name = ANY(%s)"
# One statement: the version and the documents belong to the same moment.
_LOAD = ("SELECT p.version, d.tbl, d.key, d.doc FROM partitions p "
         "LEFT JOIN documents d ON d.partition = p.name WHERE p.name = %s")
_CLAIM = ("INSERT INTO claims (scope, key, expires_at) VALUES (%s, %s, now() + %s) "
          "ON CONFLICT (scope, key) DO UPDATE SET claimed_at = now(), expires_at = EXCLUDED.expires_at "
          "WHERE claims.expires_at < now() RETURNING 1")
# The documents of the partition (%s) unless its version is %s (the one cached).
_DOCUMENTS_UNLESS = ("SELECT d.tbl, d.key, d.doc FROM partitions p JOIN documents d ON d.partition = p.name "
                     "WHERE p.name = %s AND p.version <> %s")
_LOCK = ("INSERT INTO partitions (name, version) VALUES (%s, 0) "
         "ON CONFLICT (name) DO UPDATE SET version = partitions.version RETURNING version")

# Every change of one write in one statement: the documents deleted, the documents put, and the
# partition's new version (what the statement returns). The deleted and the put keys are disjoint
# (_changes keeps each key's last change), as the parts of one statement see the same snapshot.
_COMMIT = (
    "WITH gone AS (DELETE FROM documents d USING unnest(%(dt)s::text[], %(dk)s::text[]) AS x (tbl, key) "
    "  WHERE d.partition = %(p)s AND d.tbl = x.tbl AND d.key = x.key), "
    "put AS (INSERT INTO documents (partition, tbl, key, doc) "
    "  SELECT %(p)s, y.tbl, y.key, y.doc FROM unnest(%(pt)s::text[], %(pk)s::text[], %(pd)s::text[]) AS y (tbl, key, doc) "
    "  ON CONFLICT (partition, tbl, key) DO UPDATE SET doc = EXCLUDED.doc) "
    "UPDATE partitions SET version = nextval('partition_versions'), written_at = now() "
    "WHERE name = %(p)s RETURNING version"
)


def _numbered(sql: str, names: Sequence[str] = ()) -> str:
    """``sql`` with psycopg's placeholders (``%s`` in order, or ``%(name)s`` for ``names``) as
    PREPARE's ``$1``, ``$2``, …"""
    if names:
        for number, name in enumerate(names, 1):
            sql = sql.replace(f"%({name})s", f"${number}")
        return sql
    numbers = itertools.count(1)
    return re.sub(r"%s", lambda _m: f"${next(numbers)}", sql)


# What ``_execute`` sends first on a connection: the statements above, under the names the engine EXECUTEs.
_PREPARE = "; ".join([
    f"PREPARE skis_version (text) AS {_numbered(_VERSION)}",
    f"PREPARE skis_load (text) AS {_numbered(_LOAD)}",
    f"PREPARE skis_lock (text) AS {_numbered(_LOCK)}",
    f"PREPARE skis_documents_unless (text, bigint) AS {_numbered(_DOCUMENTS_UNLESS)}",
    "PREPARE skis_commit (text, text[], text[], text[], text[], text[]) AS "
    + _numbered(_COMMIT, ("p", "dt", "dk", "pt", "pk", "pd")),
    f"PREPARE skis_claim (text, text, interval) AS {_numbered(_CLAIM)}",
    f"PREPARE skis_versions (text[]) AS {_numbered(_VERSIONS)}",
])


def _tables(rows: Iterable[Sequence[str]]) -> dict[str, dict[str, Doc]]:
    """Rows of (table, key, JSON text) as a partition's tables."""
    tables: dict[str, dict[str, Doc]] = {}
    for table, key, doc in rows:
        tables.setdefault(_unesc(table), {})[_unesc(key)] = json.loads(doc)
    return tables


def _changes(partition: str, tx: WriteTx) -> dict[str, object]:
    """_COMMIT's parameters: each staged key once, with its last change ("delete k, then put k"
    leaves k present)."""
    last: dict[tuple[str, str], Doc | None] = {}
    for table, key, doc in tx.ops:
        last.pop((table, key), None)
        last[(table, key)] = doc
    dt: list[str] = []
    dk: list[str] = []
    pt: list[str] = []
    pk: list[str] = []
    pd: list[str] = []
    for (table, key), doc in last.items():
        if doc is None:
            dt.append(_esc(table))
            dk.append(_esc(key))
        else:
            pt.append(_esc(table))
            pk.append(_esc(key))
            pd.append(_dumps(doc))
    return {"p": partition, "dt": dt, "dk": dk, "pt": pt, "pk": pk, "pd": pd}


class DatabaseNotEmpty(StorageError):
    """``load_into_empty`` found partitions already there; nothing was written."""


class _NothingStaged(Exception):
    """Leaves the transaction block so it rolls back."""


async def _now_and_then_drop_expired_claims(conn: psycopg.AsyncConnection) -> None:
    """Housekeeping after about one claim in a hundred, so the claims table holds about the
    claims still running (minutes of deliveries), not every one ever made."""
    if random.random() < 0.01:  # noqa: S311 - housekeeping now and then, not security
        await conn.execute("DELETE FROM claims WHERE expires_at < now()")


async def _roll_back(conn: psycopg.AsyncConnection) -> None:
    """End a write's open transaction (the block failed, or its changes did); a broken connection
    is left to the pool, which replaces it."""
    if conn.info.transaction_status in (TransactionStatus.INTRANS, TransactionStatus.INERROR):
        try:
            await conn.execute("ROLLBACK")
        except psycopg.Error:
            pass


async def _quietly_close(conn: psycopg.AsyncConnection) -> None:
    try:
        await conn.close()
    except psycopg.Error:
        pass
