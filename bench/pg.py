"""The PostgreSQL benchmarks: ``skis-bot serve`` with ``SKIS_DATABASE_URL`` against a server of the
bench's own (bot/dev/postgres.py: initdb + pg_ctl on a free loopback port, fsync on as in production).

- ``postgres``: the check-in turn on PostgreSQL, on TinyDB and the stock echo bot, at concurrency 8,
  in rounds that run the three one after the other (the order alternating), like the HTTP suite's pairs.
- ``instances``: two ``skis-bot serve`` instances on one database against one instance, the same
  closed-loop load dealt over both or sent to one, in alternating pairs.
- ``pg-growth``: the ten-year store moved into PostgreSQL by ``skis-bot migrate --from-data-dir``
  against an empty database, check-in latency as in the storage growth suite.

The server's processes may run on every CPU (it is started with the bench's original affinity),
so in the pinned suites it shares the cores with both the bot and the load generator; the report
says so.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import itertools
import os
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import aiohttp

from bench import seed
from bench.load import LoadResult, run_load
from bench.scenarios import (
    SKIS_BOT,
    Activities,
    Config,
    ConnectorProcess,
    CpuSnapshot,
    MachineLoad,
    Measurement,
    Proc,
    Scenario,
    _env,
    cpu_snapshot,
    machine_load,
    measure,
    prepare_tenyear,
    probe,
    start_echo,
    start_skis,
    wait_healthy,
)
from bot.dev.postgres import PostgresServer, start_server
from storage.store import Store

# The CPUs this process may use before the bench pins itself (see ``scenarios.pin_self``).
ALL_CPUS: set[int] | None = set(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None

MIGRATE_LIMIT = 600.0  # seconds; the ten-year store takes a few
CHECKIN_TEXT = "incheckning Jag har haft en bra vecka med många klassrumsbesök."


@contextlib.contextmanager
def unpinned(*pids: int) -> Iterator[None]:
    """This process (and ``pids``) allowed on every CPU for the block; their affinity is restored after."""
    if ALL_CPUS is None:
        yield
        return
    saved = {pid: os.sched_getaffinity(pid) for pid in (0, *pids)}
    try:
        for pid in saved:
            os.sched_setaffinity(pid, ALL_CPUS)
        yield
    finally:
        for pid, cpus in saved.items():
            with contextlib.suppress(OSError):
                os.sched_setaffinity(pid, cpus)


class LazyServer:
    """One PostgreSQL server for the run, started by the first suite that needs it (every CPU allowed:
    its processes inherit the affinity of the one that starts it)."""

    def __init__(self) -> None:
        self.server: PostgresServer | None = None
        self.start_seconds = 0.0

    def get(self) -> PostgresServer:
        if self.server is None:
            t0 = time.perf_counter()
            with unpinned():
                self.server = start_server()
            self.start_seconds = time.perf_counter() - t0
        return self.server

    def _pids(self) -> list[int]:
        """The postmaster and its live children (background workers, one backend per connection)."""
        if self.server is None:
            return []
        try:
            master = int((self.server.root / "data" / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return []
        found = [master]
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == master:
                        found.append(int(entry.name))
                except (OSError, IndexError, ValueError):
                    continue
        return found

    @contextlib.contextmanager
    def on_cpus(self, cpus: set[int] | None) -> Iterator[None]:
        """The server's processes kept on ``cpus`` for the block (connections opened meanwhile too:
        a backend is forked from the postmaster and inherits its affinity); every CPU again after."""
        if not cpus or ALL_CPUS is None:
            yield
            return
        for pid in self._pids():
            with contextlib.suppress(OSError):
                os.sched_setaffinity(pid, cpus)
        try:
            yield
        finally:
            for pid in self._pids():
                with contextlib.suppress(OSError):
                    os.sched_setaffinity(pid, ALL_CPUS)

    def cpu_seconds(self) -> float | None:
        """CPU time the whole cluster has used: the postmaster, its live processes, and the ones it reaped."""
        if self.server is None:
            return None
        try:
            master = int((self.server.root / "data" / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None
        hz = os.sysconf("SC_CLK_TCK")
        total = 0.0
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            pid, ppid = int(entry.name), int(fields[1])
            if pid == master:
                total += sum(int(x) for x in fields[11:15]) / hz  # utime stime cutime cstime
            elif ppid == master:
                total += (int(fields[11]) + int(fields[12])) / hz
        return total

    def snapshot(self, connector: ConnectorProcess) -> CpuSnapshot | None:
        """``cpu_snapshot`` counting the connector and this server as the bench's own (the server is
        not the bench's child: pg_ctl starts it on its own)."""
        snap = cpu_snapshot([connector.popen.pid])
        server = self.cpu_seconds()
        return dataclasses.replace(snap, ours=snap.ours + server) if snap is not None and server is not None else snap

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None


async def open_pg_store(url: str) -> Store:
    from storage.postgres.engine import PostgresEngine

    return Store(await PostgresEngine.open(url, max_size=2))


async def seed_checkin_networks(store: Store, keys: list[str], people: list[seed.BenchUser]) -> None:
    """Networks with the bench members and an ongoing meeting each (what a check-in turn needs)."""
    now = datetime.now(UTC)
    try:
        for i, key in enumerate(keys):
            await seed.add_network(store, key, f"SKIS {i + 1}", people, at=now)
            await seed.add_current_meeting(store, key, now)
    finally:
        await store.close()


async def _one_run(proc_urls: list[str], sc: Scenario, concurrency: int, cfg: Config, base: int,
                   cpu_of: Callable[[], float | None], pg: LazyServer) -> Run:
    """A warm-up, then one measured run; CPU of the bot process(es) and of the database per turn."""
    await run_load(proc_urls, lambda i: sc.body(base + 500_000 + i), concurrency=concurrency,
                   duration=cfg.pair_warmup, max_requests=cfg.max_requests)
    cpu0, db0 = cpu_of(), pg.cpu_seconds()
    result = await run_load(proc_urls, lambda i: sc.body(base + i), concurrency=concurrency,
                            duration=cfg.pair_duration, max_requests=cfg.max_requests)
    cpu1, db1 = cpu_of(), pg.cpu_seconds()
    n = result.requests
    return Run(result, (cpu1 - cpu0) / n if n and cpu0 is not None and cpu1 is not None else None,
               (db1 - db0) / n if n and db0 is not None and db1 is not None else None)


@dataclass
class Run:
    result: LoadResult
    bot_cpu: float | None  # bot CPU seconds per turn (summed over the instances)
    db_cpu: float | None  # PostgreSQL CPU seconds per turn (all its processes)


def _median(values: list[float]) -> float:
    values = [v for v in values if v == v]
    return statistics.median(values) if values else float("nan")


def _cpu(proc: Proc) -> Callable[[], float | None]:
    return proc.cpu_seconds


# Check-in on PostgreSQL -----------------------------------------------------------------------------


@dataclass
class Triple:
    """One round: the echo bot, the check-in on TinyDB and on PostgreSQL, one after the other."""

    echo: Run
    tinydb: Run
    postgres: Run
    order: str

    @property
    def vs_echo(self) -> float:
        e = self.echo.result.throughput
        return self.postgres.result.throughput / e if e else float("nan")

    @property
    def vs_tinydb(self) -> float:
        t = self.tinydb.result.throughput
        return self.postgres.result.throughput / t if t else float("nan")


@dataclass
class PostgresSuite:
    concurrency: int = 8
    rounds: list[Triple] = field(default_factory=list)
    probes: dict[str, tuple[int, str]] = field(default_factory=dict)
    server_start: float = 0.0
    server_cpus: set[int] | None = None  # where the database server ran (None: every CPU)
    load: MachineLoad | None = None

    @property
    def ratio_echo(self) -> float:
        return _median([r.vs_echo for r in self.rounds])

    @property
    def ratio_tinydb(self) -> float:
        return _median([r.vs_tinydb for r in self.rounds])

    def throughput(self, which: str) -> float:
        return _median([getattr(r, which).result.throughput for r in self.rounds])

    def cpu_ms(self, which: str, attr: str = "bot_cpu") -> float:
        values = [getattr(getattr(r, which), attr) for r in self.rounds]
        return _median([v for v in values if v is not None]) * 1000


async def postgres_suite(cfg: Config, work: Path, connector: ConnectorProcess, session: aiohttp.ClientSession,
                         cpus: set[int] | None, pg: LazyServer, log: Callable[[str], None]) -> PostgresSuite:
    suite = PostgresSuite(concurrency=max(cfg.concurrencies))
    server = pg.get()
    suite.server_start = pg.start_seconds
    key = seed.team_key("main")
    people = seed.users(cfg.members)
    tiny_dir = work / "pg-suite-tinydb"
    await seed_checkin_networks(seed.open_store_dir(tiny_dir), [key], people)
    url = server.create_database()
    await seed_checkin_networks(await open_pg_store(url), [key], people)
    acts = Activities(connector.url)
    checkin = Scenario("incheckning <svar>", "checkin", lambda i: acts.message(CHECKIN_TEXT, people[i % len(people)], key))
    started, watch = time.perf_counter(), pg.snapshot(connector)
    # The bot under test has its CPU to itself, as in the HTTP suite: the database server, like the
    # load generator and the connector (and like Azure Database for PostgreSQL in production), runs
    # beside it, on the other CPU(s).
    server_cpus = (ALL_CPUS - cpus) if ALL_CPUS and cpus and ALL_CPUS - cpus else None
    suite.server_cpus = server_cpus
    with pg.on_cpus(server_cpus):
        echo = start_echo(work, cpus)
        tiny = start_skis("skis-pg-suite-tinydb", tiny_dir, work, cpus)
        onpg = start_skis("skis-pg-suite-postgres", work / "pg-suite-unused", work, cpus, SKIS_DATABASE_URL=url)
        try:
            for proc in (echo, tiny, onpg):
                await wait_healthy(proc, session)
            for name, proc in (("check-in on PostgreSQL", onpg), ("check-in on TinyDB", tiny)):
                suite.probes[name] = await probe(proc, checkin.body(10_000_000), connector, session)
            c = suite.concurrency
            offsets = itertools.count(40_000_000, 1_000_000)
            sides = [("echo", echo), ("tinydb", tiny), ("postgres", onpg)]
            for i in range(cfg.pairs):
                order = sides if i % 2 == 0 else sides[::-1]
                runs = {}
                for label, proc in order:
                    runs[label] = await _one_run([proc.messages_url], checkin, c, cfg, next(offsets), _cpu(proc), pg)
                t = Triple(runs["echo"], runs["tinydb"], runs["postgres"], ", ".join(label for label, _ in order))
                suite.rounds.append(t)
                log(f"  round {i + 1} c={c}: PostgreSQL {t.postgres.result.throughput:.0f}/s, TinyDB "
                    f"{t.tinydb.result.throughput:.0f}/s, echo {t.echo.result.throughput:.0f}/s")
        finally:
            for proc in (echo, tiny, onpg):
                proc.stop()
    suite.load = machine_load(watch, pg.snapshot(connector), time.perf_counter() - started)
    return suite


# Two instances on one database ----------------------------------------------------------------------


@dataclass
class InstancesPair:
    one: Run
    two: Run
    order: str

    @property
    def ratio(self) -> float:
        o = self.one.result.throughput
        return self.two.result.throughput / o if o else float("nan")


@dataclass
class InstancesSuite:
    concurrency: int = 16
    networks: int = 0
    pairs: list[InstancesPair] = field(default_factory=list)
    cpus: int = 0
    load: MachineLoad | None = None
    per_instance: list[tuple[int, int]] = field(default_factory=list)  # (turns by A, turns by B) per "two" run

    @property
    def ratio(self) -> float:
        return _median([p.ratio for p in self.pairs])

    def throughput(self, which: str) -> float:
        return _median([getattr(p, which).result.throughput for p in self.pairs])

    def cpu_ms(self, which: str, attr: str = "bot_cpu") -> float:
        values = [getattr(getattr(p, which), attr) for p in self.pairs]
        return _median([v for v in values if v is not None]) * 1000


async def instances_suite(cfg: Config, work: Path, connector: ConnectorProcess, session: aiohttp.ClientSession,
                          pg: LazyServer, log: Callable[[str], None]) -> InstancesSuite:
    """One database, two ``skis-bot serve`` instances; one instance alone takes all the load, or both share it.

    Nothing is pinned here: the instances, this process and the connector may use every CPU."""
    suite = InstancesSuite(concurrency=cfg.instances_concurrency, networks=cfg.instances_networks,
                           cpus=len(ALL_CPUS) if ALL_CPUS else (os.cpu_count() or 1))
    server = pg.get()
    people = seed.users(cfg.members)
    keys = [seed.team_key(f"inst-{i:02d}") for i in range(cfg.instances_networks)]
    url = server.create_database()
    await seed_checkin_networks(await open_pg_store(url), keys, people)
    acts = Activities(connector.url)
    n = len(people)
    # Check-ins spread over the networks (each its own meeting partition), every member in turn.
    checkin = Scenario("incheckning <svar>", "checkin",
                       lambda i: acts.message(CHECKIN_TEXT, people[i % n], keys[(i // n) % len(keys)]))
    started, watch = time.perf_counter(), pg.snapshot(connector)
    with unpinned(connector.popen.pid):
        a = start_skis("skis-instance-a", work / "instance-a", work, ALL_CPUS, SKIS_DATABASE_URL=url)
        b = start_skis("skis-instance-b", work / "instance-b", work, ALL_CPUS, SKIS_DATABASE_URL=url)
        try:
            for proc in (a, b):
                await wait_healthy(proc, session)
            offsets = itertools.count(60_000_000, 1_000_000)
            c = suite.concurrency

            def both_cpu() -> float | None:
                ca, cb = a.cpu_seconds(), b.cpu_seconds()
                return ca + cb if ca is not None and cb is not None else None

            for i in range(cfg.pairs):
                runs: dict[str, Run] = {}
                order = ("one", "two") if i % 2 == 0 else ("two", "one")
                for which in order:
                    if which == "one":
                        runs[which] = await _one_run([a.messages_url], checkin, c, cfg, next(offsets), both_cpu, pg)
                    else:
                        a0, b0 = a.cpu_seconds(), b.cpu_seconds()
                        runs[which] = await _one_run([a.messages_url, b.messages_url], checkin, c, cfg,
                                                     next(offsets), both_cpu, pg)
                        a1, b1 = a.cpu_seconds(), b.cpu_seconds()
                        if None not in (a0, a1, b0, b1):
                            suite.per_instance.append((round((a1 - a0) * 1000), round((b1 - b0) * 1000)))  # type: ignore[operator]
                p = InstancesPair(runs["one"], runs["two"], ", ".join(order))
                suite.pairs.append(p)
                log(f"  pair {i + 1} c={c}: two instances {p.two.result.throughput:.0f}/s, one "
                    f"{p.one.result.throughput:.0f}/s, ratio {p.ratio:.2f}")
        finally:
            a.stop()
            b.stop()
    suite.load = machine_load(watch, pg.snapshot(connector), time.perf_counter() - started)
    return suite


# The ten-year store on PostgreSQL -----------------------------------------------------------------


@dataclass
class PgGrowthSuite:
    spec_label: str = ""
    migrate_seconds: float = 0.0
    migrate_line: str = ""  # migrate's own summary line
    database_bytes: int = 0
    empty_bytes: int = 0
    empty: Measurement | None = None
    tenyear: Measurement | None = None
    empty_c8: Measurement | None = None
    tenyear_c8: Measurement | None = None


async def migrate_into(url: str, data_dir: Path) -> str:
    """``skis-bot migrate --from-data-dir DATA_DIR`` into the empty database at ``url``; its summary line."""
    migrate = await asyncio.create_subprocess_exec(
        SKIS_BOT, "migrate", "--from-data-dir", str(data_dir), env=_env(SKIS_DATABASE_URL=url),
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        stdout, stderr = await asyncio.wait_for(migrate.communicate(), timeout=MIGRATE_LIMIT)
    except TimeoutError:
        migrate.kill()
        await migrate.wait()
        raise RuntimeError(f"skis-bot migrate did not finish within {MIGRATE_LIMIT:.0f} s") from None
    out, err = stdout.decode(errors="replace").strip(), stderr.decode(errors="replace").strip()
    if migrate.returncode != 0:
        raise RuntimeError(f"skis-bot migrate failed ({migrate.returncode}): {(err or out)[-500:]}")
    return (out.splitlines() or [""])[-1]


def _database_bytes(server: PostgresServer, url: str) -> int:
    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT pg_database_size(current_database())").fetchone()
    return int(row[0]) if row else 0


async def pg_growth_suite(cfg: Config, work: Path, connector: ConnectorProcess, session: aiohttp.ClientSession,
                          cpus: set[int] | None, pg: LazyServer, log: Callable[[str], None]) -> PgGrowthSuite:
    suite = PgGrowthSuite(spec_label=cfg.ten_years.label())
    server = pg.get()
    key = seed.ten_year_team_keys(cfg.ten_years)[0]
    people = seed.users(min(cfg.members, cfg.ten_years.members))
    ten_dir = work / "pg-tenyear-source"
    log("  preparing the ten-year store (TinyDB, from bench/.cache) and moving it in with skis-bot migrate")
    await prepare_tenyear(cfg, ten_dir)
    ten_url = server.create_database()
    t0 = time.perf_counter()
    suite.migrate_line = await migrate_into(ten_url, ten_dir)
    suite.migrate_seconds = time.perf_counter() - t0
    store = await open_pg_store(ten_url)
    try:
        await seed.add_current_meeting(store, key, datetime.now(UTC))
    finally:
        await store.close()
    empty_url = server.create_database()
    await seed_checkin_networks(await open_pg_store(empty_url), [key], seed.users(cfg.ten_years.members))
    suite.database_bytes = _database_bytes(server, ten_url)
    suite.empty_bytes = _database_bytes(server, empty_url)

    acts = Activities(connector.url)
    sc = Scenario("incheckning <svar>", "checkin", lambda i: acts.message(CHECKIN_TEXT, people[i % len(people)], key))
    empty = start_skis("skis-pg-empty", work / "pg-empty-unused", work, cpus, SKIS_DATABASE_URL=empty_url,
                       SKIS_CHECKIN_RETENTION_DAYS="0")
    ten = start_skis("skis-pg-tenyear", work / "pg-tenyear-unused", work, cpus, SKIS_DATABASE_URL=ten_url,
                     SKIS_CHECKIN_RETENTION_DAYS="0")
    try:
        await wait_healthy(empty, session)
        await wait_healthy(ten, session)
        suite.empty = Measurement("skis", "check-in, empty database", 1)
        suite.tenyear = Measurement("skis", "check-in, ten-year database", 1)
        suite.empty_c8 = Measurement("skis", "check-in, empty database", 8)
        suite.tenyear_c8 = Measurement("skis", "check-in, ten-year database", 8)
        gcfg = dataclasses.replace(cfg, duration=cfg.growth_duration)
        for proc in (empty, ten):
            await run_load(proc.messages_url, lambda i: sc.body(20_000_000 + i), concurrency=1,
                           duration=cfg.warmup * 2, max_requests=max(len(people) * 2, 10))
        for rnd in range(cfg.rounds):
            for c, pairs in ((1, ((empty, suite.empty), (ten, suite.tenyear))),
                             (8, ((empty, suite.empty_c8), (ten, suite.tenyear_c8)))):
                for proc, m in pairs:
                    await measure(proc, sc, c, gcfg, connector, session, m)
                    log(f"  round {rnd + 1} c={c} {m.scenario}: p50 {m.runs[-1].p50 * 1000:.2f} ms, "
                        f"{m.runs[-1].throughput:.0f}/s")
    finally:
        empty.stop()
        ten.stop()
    return suite
