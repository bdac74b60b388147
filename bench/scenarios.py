"""The benchmark scenarios: real processes on loopback, measured from outside.

Setup (2 cores): the bot under test (``skis-bot serve``, or the stock echo bot) runs alone on
the last CPU; the load generator (this process) and the fake Bot Connector (its own process,
``bench.connector``) share the other CPUs. Both bots are single-threaded asyncio servers, so each
gets one whole core and neither competes with the load it is measured under.

Every request loop is bounded in count and time; everything listens on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp

from bench import seed
from bench.load import LoadResult, run_load
from bot.dev import activities
from storage.meetings_repo import Meeting

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SKIS_BOT = str(Path(sys.executable).parent / "skis-bot")


# Configuration ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Config:
    duration: float = 4.0  # seconds per measured run
    warmup: float = 1.0  # seconds of unmeasured load before each run
    max_requests: int = 20_000  # per run, whatever the duration
    rounds: int = 2  # each measurement repeated, interleaved with the baseline; medians reported
    # The throughput target: short check-in runs (concurrency 8) alternating with the echo bot's
    # (echo, skis, skis, echo, ...), each pair giving a ratio; the median ratio is the figure. A
    # burst of other work on the machine then hits both sides of a pair alike.
    pairs: int = 10
    pair_duration: float = 2.0
    pair_warmup: float = 0.5
    concurrencies: tuple[int, ...] = (1, 8)
    members: int = 20  # people in a meeting (one check-in each, replaced when they answer again)
    decision_teams: int = 30  # decisions spread over networks so a meeting holds a realistic number
    open_items: int = 200
    ten_years: seed.TenYearSpec = seed.TenYearSpec()
    growth_duration: float = 4.0
    fanout_teams: int = 500
    fanout_people: int = 1500
    fanout_workers: int = 16
    startup_runs: int = 3
    # Two instances on one PostgreSQL database: closed-loop workers in all (dealt over the instances),
    # and the networks the check-ins are spread over (each meeting its own partition).
    instances_concurrency: int = 16
    instances_networks: int = 8
    cache_dir: Path = seed.CACHE_DIR
    echo_text: str = "incheckning Jag har haft en bra vecka med många klassrumsbesök."

    @classmethod
    def quick(cls, cache_dir: Path | None = None) -> Config:
        """A tiny run (seconds) for the smoke test: same code paths, small numbers."""
        return cls(duration=0.4, warmup=0.2, max_requests=200, rounds=1, pairs=2, pair_duration=0.3, pair_warmup=0.1,
                   members=4, decision_teams=2, open_items=20,
                   ten_years=seed.TenYearSpec(teams=2, years=1, meetings_per_year=2, checkins=3, action_items=2,
                                              decisions=1, members=4),
                   growth_duration=0.4, fanout_teams=5, fanout_people=10, fanout_workers=4, startup_runs=1,
                   instances_concurrency=4, instances_networks=2,
                   cache_dir=cache_dir or seed.CACHE_DIR)


# Processes ----------------------------------------------------------------------------------------


def cpu_plan() -> tuple[set[int] | None, set[int] | None]:
    """(CPUs for the bot under test, CPUs for load generator and connector); None = unpinned."""
    try:
        cpus = sorted(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return None, None
    if len(cpus) < 2:
        return None, None
    return {cpus[-1]}, set(cpus[:-1])


def pin_self(cpus: set[int] | None) -> None:
    if cpus:
        os.sched_setaffinity(0, cpus)


@dataclass
class CpuSnapshot:
    busy: float  # CPU-seconds all processes used (from /proc/stat)
    ours: float  # CPU-seconds this process, its finished children and ``live`` processes used
    loadavg: float


def cpu_snapshot(live: list[int] | None = None) -> CpuSnapshot | None:
    """What the machine and the bench itself have used so far (None off Linux)."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
        ticks = [int(x) for x in fields]
        loadavg = float(Path("/proc/loadavg").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    hz = os.sysconf("SC_CLK_TCK")
    # user nice system idle iowait irq softirq steal: everything but idle and iowait is work.
    busy = (sum(ticks[:8]) - ticks[3] - ticks[4]) / hz
    t = os.times()
    ours = t.user + t.system + t.children_user + t.children_system
    for pid in live or []:
        ours += _proc_cpu(pid) or 0.0
    return CpuSnapshot(busy, ours, loadavg)


def _proc_cpu(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


@dataclass
class MachineLoad:
    """How busy the machine was with other work while a suite ran."""

    seconds: float
    other_cpu: float  # CPU-seconds used by processes that are not the bench's
    cpus: int
    loadavg_start: float
    loadavg_end: float

    @property
    def other_share(self) -> float:
        """Share of all CPUs other processes used, 0..1."""
        return self.other_cpu / (self.seconds * self.cpus) if self.seconds > 0 else 0.0


def machine_load(start: CpuSnapshot | None, end: CpuSnapshot | None, seconds: float) -> MachineLoad | None:
    if start is None or end is None:
        return None
    other = max(0.0, (end.busy - start.busy) - (end.ours - start.ours))
    return MachineLoad(seconds, other, os.cpu_count() or 1, start.loadavg, end.loadavg)


def fsync_probe(directory: Path, count: int = 30) -> tuple[float, float]:
    """(median, 90th percentile) seconds of one durable file replace, as the engine commits (storage/files.py)."""
    from storage.files import atomic_write

    directory.mkdir(parents=True, exist_ok=True)
    target = directory / "probe.json"
    times = []
    for i in range(count):
        t0 = time.perf_counter()
        atomic_write(target, b"{}" * (5000 + i % 2), root=directory)
        times.append(time.perf_counter() - t0)
    times.sort()
    return statistics.median(times), times[int(0.9 * (len(times) - 1))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Proc:
    name: str
    popen: subprocess.Popen[bytes]
    port: int
    log_path: Path
    started_at: float
    log_offset: int = 0  # where this process's output starts in its log file (names are reused)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def messages_url(self) -> str:
        return self.base + "/api/messages"

    def vm_hwm_kib(self) -> int | None:
        """Peak resident memory so far (VmHWM from /proc), in KiB."""
        try:
            for line in Path(f"/proc/{self.popen.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        except OSError:
            return None
        return None

    def cpu_seconds(self) -> float | None:
        """User + system CPU time used so far (from /proc/<pid>/stat)."""
        try:
            fields = Path(f"/proc/{self.popen.pid}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            return None

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGINT)
            try:
                self.popen.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(timeout=5)

    def log_text(self) -> str:
        """Everything this process has logged so far."""
        try:
            with self.log_path.open("rb") as f:
                f.seek(self.log_offset)
                return f.read().decode("utf-8", errors="replace")
        except OSError:
            return ""

    def log_tail(self, lines: int = 15) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def _spawn(name: str, cmd: list[str], env: dict[str, str], log_dir: Path, cpus: set[int] | None) -> Proc:
    port = int(env["PORT"])
    log_path = log_dir / f"{name}.log"
    log = log_path.open("ab")
    offset = log.tell()
    preexec = (lambda: os.sched_setaffinity(0, cpus)) if cpus else None
    started = time.perf_counter()
    popen = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                             preexec_fn=preexec)  # noqa: PLW1509 - only sets CPU affinity
    log.close()
    return Proc(name, popen, port, log_path, started, offset)


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SKIS_", "Microsoft"))}
    env.update(extra)
    return env


def start_skis(name: str, data_dir: Path, log_dir: Path, cpus: set[int] | None, **extra: str) -> Proc:
    """``SKIS_DEV=1 SKIS_DATA_DIR=<dir> PORT=<free> skis-bot serve`` (plus ``extra`` settings)."""
    env = _env(SKIS_DEV="1", SKIS_DATA_DIR=str(data_dir), PORT=str(free_port()), **extra)
    return _spawn(name, [SKIS_BOT, "serve"], env, log_dir, cpus)


def start_echo(log_dir: Path, cpus: set[int] | None) -> Proc:
    """The stock echo bot (bench/echo_bot.py) as its own process."""
    env = _env(PORT=str(free_port()))
    return _spawn("echo-bot", [PYTHON, "-m", "bench.echo_bot"], env, log_dir, cpus)


async def wait_healthy(proc: Proc, session: aiohttp.ClientSession, limit: float = 60.0) -> float:
    """Seconds from process start until ``/healthz`` answers 200 (polled every 10 ms)."""
    deadline = time.perf_counter() + limit
    while time.perf_counter() < deadline:
        if proc.popen.poll() is not None:
            raise RuntimeError(f"{proc.name} exited with {proc.popen.returncode}:\n{proc.log_tail()}")
        try:
            async with session.get(proc.base + "/healthz", timeout=aiohttp.ClientTimeout(total=2)) as resp:
                await resp.read()
                if resp.status == 200:
                    return time.perf_counter() - proc.started_at
        except (TimeoutError, aiohttp.ClientError):
            pass
        await asyncio.sleep(0.01)
    raise RuntimeError(f"{proc.name} did not answer /healthz within {limit:.0f} s:\n{proc.log_tail()}")


class ConnectorProcess:
    """``python -m bench.connector`` in its own process; stats and reset over HTTP."""

    def __init__(self, cpus: set[int] | None) -> None:
        preexec = (lambda: os.sched_setaffinity(0, cpus)) if cpus else None
        self.popen = subprocess.Popen([PYTHON, "-m", "bench.connector"], cwd=ROOT, stdin=subprocess.PIPE,
                                      stdout=subprocess.PIPE, preexec_fn=preexec)  # noqa: PLW1509
        line = self.popen.stdout.readline().decode() if self.popen.stdout else ""
        if not line.strip():
            raise RuntimeError("the fake connector did not start")
        self.url, self.control = line.split()

    async def stats(self, session: aiohttp.ClientSession) -> dict[str, Any]:
        async with session.get(self.control + "bench/stats") as resp:
            return dict(await resp.json())

    async def reset(self, session: aiohttp.ClientSession, *, enforce: bool = False) -> None:
        async with session.post(self.control + "bench/reset", json={"enforce": enforce}) as resp:
            await resp.read()

    def stop(self) -> None:
        if self.popen.stdin:
            self.popen.stdin.close()
        try:
            self.popen.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.popen.kill()


# Activities ---------------------------------------------------------------------------------------


class Activities:
    """Teams channel messages addressed to the bot, as JSON bytes with unique ids."""

    def __init__(self, service_url: str) -> None:
        self.service_url = service_url
        self._ids = itertools.count(1)
        self._run = f"{os.getpid()}-{int(time.time())}"

    def message(self, text: str, user: seed.BenchUser, team_key: str) -> bytes:
        activity = activities.message(text, user, activity_id=f"bench-{self._run}-{next(self._ids)}",
                                      service_url=self.service_url, team_id=team_key, timestamp=datetime.now(UTC))
        return json.dumps(activity, ensure_ascii=False).encode("utf-8")


# Results ------------------------------------------------------------------------------------------


@dataclass
class Measurement:
    target: str  # "skis" or "echo"
    scenario: str
    concurrency: int
    runs: list[LoadResult] = field(default_factory=list)
    replies: list[float] = field(default_factory=list)  # connector sends per turn, per run
    cpu_per_turn: list[float] = field(default_factory=list)  # bot CPU seconds per turn, per run

    @property
    def throughput(self) -> float:
        return statistics.median(r.throughput for r in self.runs) if self.runs else float("nan")

    @property
    def p50(self) -> float:
        return statistics.median(r.p50 for r in self.runs) if self.runs else float("nan")

    @property
    def p99(self) -> float:
        return statistics.median(r.p99 for r in self.runs) if self.runs else float("nan")

    @property
    def requests(self) -> int:
        return sum(r.requests for r in self.runs)

    @property
    def errors(self) -> int:
        return sum(r.errors for r in self.runs)

    @property
    def cpu_ms(self) -> float:
        return statistics.median(self.cpu_per_turn) * 1000 if self.cpu_per_turn else float("nan")


@dataclass
class Scenario:
    name: str  # shown in the report
    command: str | None  # command id in bot.routing that must have a handler (None: always)
    body: Callable[[int], bytes]


async def measure(proc: Proc, scenario: Scenario, concurrency: int, cfg: Config, connector: ConnectorProcess,
                  session: aiohttp.ClientSession, into: Measurement) -> None:
    """One warm-up and one measured run of ``scenario`` against ``proc``; appends to ``into``."""
    offset = len(into.runs) * 1_000_000 + 500_000
    await run_load(proc.messages_url, scenario.body, concurrency=concurrency, duration=cfg.warmup,
                   max_requests=cfg.max_requests)
    await connector.reset(session)
    cpu0 = proc.cpu_seconds()
    result = await run_load(proc.messages_url, lambda i: scenario.body(offset + i), concurrency=concurrency,
                            duration=cfg.duration, max_requests=cfg.max_requests)
    cpu1 = proc.cpu_seconds()
    stats = await connector.stats(session)
    into.runs.append(result)
    if result.requests:
        into.replies.append(stats["sends"] / result.requests)
        if cpu0 is not None and cpu1 is not None:
            into.cpu_per_turn.append((cpu1 - cpu0) / result.requests)


async def probe(proc: Proc, body: bytes, connector: ConnectorProcess, session: aiohttp.ClientSession) -> tuple[int, str]:
    """Send one activity; (HTTP status, the first reply the bot posted)."""
    await connector.reset(session)
    async with session.post(proc.messages_url, data=body, headers={"Content-Type": "application/json"}) as resp:
        await resp.read()
        status = resp.status
    stats = await connector.stats(session)
    texts = stats.get("last_texts") or []
    return status, texts[0] if texts else ""


# The HTTP suite -----------------------------------------------------------------------------------


@dataclass
class PairedRun:
    """One check-in run and the echo bot run beside it, same concurrency, one after the other."""

    echo: LoadResult
    skis: LoadResult
    echo_cpu: float | None  # bot CPU seconds per turn
    skis_cpu: float | None

    @property
    def ratio(self) -> float:
        return self.skis.throughput / self.echo.throughput if self.echo.throughput else float("nan")


@dataclass
class HttpSuite:
    measurements: dict[tuple[str, str, int], Measurement] = field(default_factory=dict)
    probes: dict[str, tuple[int, str]] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)  # scenarios whose feature is not built yet
    memory_kib: dict[str, int | None] = field(default_factory=dict)
    pairs: list[PairedRun] = field(default_factory=list)
    pair_concurrency: int = 8
    load: MachineLoad | None = None  # other processes' use of the machine during the suite
    fsync: tuple[float, float] | None = None  # (median, p90) seconds of one durable file replace

    @property
    def pair_ratio(self) -> float:
        """Median of the paired check-in/echo throughput ratios."""
        ratios = [p.ratio for p in self.pairs if p.ratio == p.ratio]
        return statistics.median(ratios) if ratios else float("nan")

    @property
    def pair_cpu_ratio(self) -> float:
        """The echo bot's median CPU per turn over skis-bot's (how much cheaper a check-in turn is)."""
        echo = [p.echo_cpu for p in self.pairs if p.echo_cpu]
        skis = [p.skis_cpu for p in self.pairs if p.skis_cpu]
        return statistics.median(echo) / statistics.median(skis) if echo and skis else float("nan")


def _available(command: str | None) -> bool:
    if command is None:
        return True
    from bot.features import registry as features

    return command in features.command_handlers()


async def seed_http_store(data_dir: Path, cfg: Config) -> dict[str, Any]:
    """The store the HTTP turns run on: a meeting network, decision networks, a network with open items."""
    now = datetime.now(UTC)
    people = seed.users(cfg.members)
    store = seed.open_store_dir(data_dir)
    try:
        main = seed.team_key("main")
        await seed.add_network(store, main, "SKIS", people, at=now)
        await seed.add_current_meeting(store, main, now)
        decision_teams = [seed.team_key(f"dec-{i:02d}") for i in range(cfg.decision_teams)]
        for key in decision_teams:
            await seed.add_network(store, key, f"SKIS {key}", people, at=now)
            await seed.add_current_meeting(store, key, now)
        items = seed.team_key("items")
        await seed.add_network(store, items, "SKIS uppgifter", people, at=now)
        await seed.add_open_items(store, items, people, cfg.open_items, now)
    finally:
        await store.close()
    return {"main": main, "decisions": decision_teams, "items": items, "people": people}


async def http_suite(cfg: Config, work: Path, connector: ConnectorProcess, session: aiohttp.ClientSession,
                     cpus: set[int] | None, log: Callable[[str], None]) -> HttpSuite:
    suite = HttpSuite()
    layout = await seed_http_store(work / "http-data", cfg)
    people = layout["people"]
    acts = Activities(connector.url)
    n = len(people)
    checkin_texts = ("Jag har haft en bra vecka med många klassrumsbesök.", "Lite trött men nyfiken på dagens tema.",
                     "Vi har startat läslyftet på två skolor.")
    decision_teams = layout["decisions"]

    def pick(i: int) -> seed.BenchUser:
        return people[i % n]

    scenarios = [
        Scenario("hjälp", "help", lambda i: acts.message("hjälp", pick(i), layout["main"])),
        Scenario("incheckning <svar>", "checkin",
                 lambda i: acts.message(f"incheckning {checkin_texts[i % 3]}", pick(i), layout["main"])),
        Scenario("beslut <text>", "decision",
                 lambda i: acts.message(f"beslut Nätverket ställer sig bakom förslaget om gemensam fortbildning ({i}).",
                                        pick(i), decision_teams[(i // n) % len(decision_teams)])),
        Scenario(f"uppgifter ({cfg.open_items} öppna)", "action_items",
                 lambda i: acts.message("uppgifter", pick(i), layout["items"])),
    ]
    echo = Scenario("echo bot (stock SDK)", None, lambda i: acts.message(cfg.echo_text, pick(i), layout["main"]))

    suite.fsync = fsync_probe(work / "fsync-probe")
    log(f"  one durable file replace (write, fsync, rename, fsync dir): median {suite.fsync[0] * 1000:.2f} ms, "
        f"90th percentile {suite.fsync[1] * 1000:.2f} ms")
    started, watch = time.perf_counter(), cpu_snapshot([connector.popen.pid])
    skis = start_skis("skis-http", work / "http-data", work, cpus)
    echo_proc = start_echo(work, cpus)
    try:
        await wait_healthy(skis, session)
        await wait_healthy(echo_proc, session)
        runnable = []
        for sc in scenarios:
            if not _available(sc.command):
                suite.missing.append(sc.name)
                log(f"  {sc.name}: not measured (command {sc.command!r} has no handler yet)")
                continue
            suite.probes[sc.name] = await probe(skis, sc.body(10_000_000), connector, session)
            runnable.append(sc)
        suite.probes[echo.name] = await probe(echo_proc, echo.body(10_000_001), connector, session)
        for rnd in range(cfg.rounds):
            for c in cfg.concurrencies:
                for proc, sc, target in [(echo_proc, echo, "echo")] + [(skis, sc, "skis") for sc in runnable]:
                    m = suite.measurements.setdefault((target, sc.name, c), Measurement(target, sc.name, c))
                    await measure(proc, sc, c, cfg, connector, session, m)
                    r = m.runs[-1]
                    log(f"  round {rnd + 1} c={c} {sc.name}: {r.throughput:.0f}/s p50 {r.p50 * 1000:.1f} ms "
                        f"p99 {r.p99 * 1000:.1f} ms ({r.requests} turns, {r.errors} errors)")
        checkin = next((sc for sc in runnable if sc.command == "checkin"), None)
        if checkin is not None:
            await paired_runs(suite, skis, checkin, echo_proc, echo, cfg, log)
        suite.memory_kib = {"skis": skis.vm_hwm_kib(), "echo": echo_proc.vm_hwm_kib()}
    finally:
        skis.stop()
        echo_proc.stop()
    suite.load = machine_load(watch, cpu_snapshot([connector.popen.pid]), time.perf_counter() - started)
    return suite


async def paired_runs(suite: HttpSuite, skis: Proc, checkin: Scenario, echo_proc: Proc, echo: Scenario, cfg: Config,
                      log: Callable[[str], None]) -> None:
    """The throughput target, measured in pairs: echo, skis, skis, echo, echo, skis, ... (concurrency 8)."""
    c = max(cfg.concurrencies)
    suite.pair_concurrency = c
    offsets = itertools.count(30_000_000, 1_000_000)

    async def one(proc: Proc, sc: Scenario) -> tuple[LoadResult, float | None]:
        base = next(offsets)
        await run_load(proc.messages_url, lambda i: sc.body(base + 500_000 + i), concurrency=c,
                       duration=cfg.pair_warmup, max_requests=cfg.max_requests)
        cpu0 = proc.cpu_seconds()
        result = await run_load(proc.messages_url, lambda i: sc.body(base + i), concurrency=c,
                                duration=cfg.pair_duration, max_requests=cfg.max_requests)
        cpu1 = proc.cpu_seconds()
        cpu = (cpu1 - cpu0) / result.requests if cpu0 is not None and cpu1 is not None and result.requests else None
        return result, cpu

    for i in range(cfg.pairs):
        if i % 2 == 0:
            e, ecpu = await one(echo_proc, echo)
            k, kcpu = await one(skis, checkin)
        else:
            k, kcpu = await one(skis, checkin)
            e, ecpu = await one(echo_proc, echo)
        pair = PairedRun(e, k, ecpu, kcpu)
        suite.pairs.append(pair)
        log(f"  pair {i + 1} c={c}: check-in {k.throughput:.0f}/s, echo {e.throughput:.0f}/s, ratio {pair.ratio:.2f}")


# Storage growth -----------------------------------------------------------------------------------


@dataclass
class GrowthSuite:
    spec_label: str = ""
    built_cache: bool = False
    build_seconds: float = 0.0
    empty: Measurement | None = None
    tenyear: Measurement | None = None
    empty_c8: Measurement | None = None
    tenyear_c8: Measurement | None = None
    written: list[tuple[str, int]] = field(default_factory=list)  # files the check-ins wrote (path, bytes)
    store_files: int = 0
    store_bytes: int = 0
    memory_kib: dict[str, int | None] = field(default_factory=dict)
    missing: bool = False


def _snapshot(data_dir: Path) -> dict[str, tuple[int, int]]:
    out = {}
    for path in data_dir.rglob("*.json"):
        st = path.stat()
        out[str(path.relative_to(data_dir))] = (st.st_mtime_ns, st.st_size)
    return out


async def prepare_tenyear(cfg: Config, dest: Path) -> tuple[bool, float]:
    t0 = time.perf_counter()
    _, built = await seed.ten_year_store(cfg.ten_years, dest, cache_dir=cfg.cache_dir)
    return built, time.perf_counter() - t0


async def add_bench_meeting(data_dir: Path, key: str) -> None:
    store = seed.open_store_dir(data_dir)
    try:
        await seed.add_current_meeting(store, key, datetime.now(UTC))
    finally:
        await store.close()


async def growth_suite(cfg: Config, work: Path, connector: ConnectorProcess, session: aiohttp.ClientSession,
                       cpus: set[int] | None, log: Callable[[str], None]) -> GrowthSuite:
    suite = GrowthSuite(spec_label=cfg.ten_years.label())
    if not _available("checkin"):
        suite.missing = True
        return suite
    key = seed.ten_year_team_keys(cfg.ten_years)[0]
    people = seed.users(min(cfg.members, cfg.ten_years.members))
    # The empty store: the same network, members and ongoing meeting, and nothing else.
    empty_dir = work / "empty-data"
    store = seed.open_store_dir(empty_dir)
    try:
        await seed.add_network(store, key, "SKIS nätverk 1", seed.users(cfg.ten_years.members), at=datetime.now(UTC))
    finally:
        await store.close()
    await add_bench_meeting(empty_dir, key)
    ten_dir = work / "tenyear-data"
    log("  preparing the ten-year store (built once, then cached under bench/.cache)")
    suite.built_cache, suite.build_seconds = await prepare_tenyear(cfg, ten_dir)
    await add_bench_meeting(ten_dir, key)
    snap = _snapshot(ten_dir)
    suite.store_files = len(snap)
    suite.store_bytes = sum(size for _, size in snap.values())

    acts = Activities(connector.url)
    sc = Scenario("incheckning <svar>", "checkin",
                  lambda i: acts.message("incheckning Jag har haft en bra vecka med många klassrumsbesök.",
                                         people[i % len(people)], key))
    # Retention off (0 keeps answers), so the store really holds ten years of check-ins while measured.
    empty = start_skis("skis-empty", empty_dir, work, cpus, SKIS_CHECKIN_RETENTION_DAYS="0")
    ten = start_skis("skis-tenyear", ten_dir, work, cpus, SKIS_CHECKIN_RETENTION_DAYS="0")
    try:
        await wait_healthy(empty, session)
        await wait_healthy(ten, session)
        suite.empty = Measurement("skis", "check-in, empty store", 1)
        suite.tenyear = Measurement("skis", "check-in, ten-year store", 1)
        suite.empty_c8 = Measurement("skis", "check-in, empty store", 8)
        suite.tenyear_c8 = Measurement("skis", "check-in, ten-year store", 8)
        gcfg = dataclasses.replace(cfg, duration=cfg.growth_duration)
        # Warm both first (first answers create state files), then watch what a check-in writes.
        for proc in (empty, ten):
            await run_load(proc.messages_url, lambda i: sc.body(20_000_000 + i), concurrency=1,
                           duration=cfg.warmup * 2, max_requests=max(len(people) * 2, 10))
        before = _snapshot(ten_dir)
        for rnd in range(cfg.rounds):
            for proc, m in ((empty, suite.empty), (ten, suite.tenyear)):
                await measure(proc, sc, 1, gcfg, connector, session, m)
                log(f"  round {rnd + 1} c=1 {m.scenario}: p50 {m.runs[-1].p50 * 1000:.2f} ms, "
                    f"{m.runs[-1].throughput:.0f}/s")
            if rnd == 0:
                after = _snapshot(ten_dir)
                suite.written = sorted((path, size) for path, (mtime, size) in after.items()
                                       if before.get(path, (None, None))[0] != mtime)
            for proc, m in ((empty, suite.empty_c8), (ten, suite.tenyear_c8)):
                await measure(proc, sc, 8, gcfg, connector, session, m)
                log(f"  round {rnd + 1} c=8 {m.scenario}: {m.runs[-1].throughput:.0f}/s")
        suite.memory_kib = {"empty": empty.vm_hwm_kib(), "tenyear": ten.vm_hwm_kib()}
    finally:
        empty.stop()
        ten.stop()
    return suite


# Start-up -----------------------------------------------------------------------------------------


_PURGE_LINE = re.compile(
    r"check-in retention purge \(answers before (?P<cutoff>\S+)\): (?P<deleted>\d+) deleted; (?P<read>\d+) meeting "
    r"partitions read, (?P<skipped>\d+) unchanged skipped, (?P<written>\d+) rewritten; (?P<networks>\d+) networks in "
    r"(?P<seconds>[\d.]+) s")


@dataclass(frozen=True)
class PurgeLog:
    """The service's log line for one pass of its background retention purge."""

    deleted: int
    read: int
    skipped: int
    written: int
    networks: int
    seconds: float


def purge_log(text: str) -> PurgeLog | None:
    m = _PURGE_LINE.search(text)
    if m is None:
        return None
    return PurgeLog(int(m["deleted"]), int(m["read"]), int(m["skipped"]), int(m["written"]), int(m["networks"]),
                    float(m["seconds"]))


@dataclass
class StartupSuite:
    first_tenyear: float | None = None  # the first start on a never-purged copy (its purge runs in the background)
    first_purge: PurgeLog | None = None
    first_purge_wall: float | None = None  # seconds from /healthz 200 until that purge had finished
    healthz_during_purge: list[float] = field(default_factory=list)  # /healthz latencies while it ran
    restart_purge: PurgeLog | None = None  # the same purge on a restart: the watermark skips what it did
    tenyear: list[float] = field(default_factory=list)  # restarts after that
    empty: list[float] = field(default_factory=list)
    echo: list[float] = field(default_factory=list)
    memory_kib: dict[str, int | None] = field(default_factory=dict)

    @property
    def tenyear_all(self) -> list[float]:
        """Every start on the ten-year store, the first included."""
        return ([self.first_tenyear] if self.first_tenyear is not None else []) + self.tenyear


async def _start_once(starter: Callable[[], Proc], session: aiohttp.ClientSession, settle: float,
                      until_purged: StartupSuite | None = None, purge_limit: float = 120.0) -> tuple[float, int | None, PurgeLog | None]:
    """(seconds to /healthz 200, peak memory after ``settle``, the purge's log line if waited for).

    With ``until_purged``, /healthz is polled until the background purge has logged its pass, and
    the latencies are kept there: the service must answer while it works."""
    for attempt in range(2):
        proc = starter()
        try:
            seconds = await wait_healthy(proc, session)
            purged = None
            if until_purged is not None:
                deadline = time.perf_counter() + purge_limit
                healthy_at = time.perf_counter()
                while purged is None and time.perf_counter() < deadline:
                    t0 = time.perf_counter()
                    async with session.get(proc.base + "/healthz", timeout=aiohttp.ClientTimeout(total=10)) as resp:
                        await resp.read()
                    until_purged.healthz_during_purge.append(time.perf_counter() - t0)
                    purged = purge_log(proc.log_text())
                    await asyncio.sleep(0.05)
                until_purged.first_purge_wall = time.perf_counter() - healthy_at
            await asyncio.sleep(settle)  # let start-up work scheduled after the first request finish
            if purged is None:
                purged = purge_log(proc.log_text())
            return seconds, proc.vm_hwm_kib(), purged
        except RuntimeError:
            # Killed from outside (seen once on a shared machine): one more try, then give up.
            if attempt or proc.popen.returncode is None or proc.popen.returncode >= 0:
                raise
        finally:
            proc.stop()
    raise AssertionError("unreachable")


def compile_sources() -> None:
    """Byte-compile the service's modules first, as installing a package does: otherwise a start
    after an edit (or with PYTHONDONTWRITEBYTECODE set, which keeps every start from writing the
    cache) compiles them all again, ~0.4 s that no deployed service pays."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([PYTHON, "-m", "compileall", "-q", "bot", "dialogs", "storage", "bench"], cwd=ROOT, env=env,
                   stdout=subprocess.DEVNULL, check=False, timeout=300)


async def startup_suite(cfg: Config, work: Path, session: aiohttp.ClientSession, cpus: set[int] | None,
                        log: Callable[[str], None]) -> StartupSuite:
    """Time from spawning ``skis-bot serve`` to a 200 from ``/healthz`` (ten-year store, empty store, echo bot).

    The first start on a fresh copy of the ten-year store also finds nine years of check-in answers
    past the retention period; the service purges them in the background after it listens. That
    start is timed like the others, and /healthz is polled until the purge has logged its pass."""
    suite = StartupSuite()
    compile_sources()
    ten_dir = work / "startup-tenyear"
    await prepare_tenyear(cfg, ten_dir)
    empty_dir = work / "startup-empty"
    empty_dir.mkdir(exist_ok=True)
    suite.first_tenyear, suite.memory_kib["tenyear_first"], suite.first_purge = await _start_once(
        lambda: start_skis("skis-start-first", ten_dir, work, cpus), session, 0.0, until_purged=suite)
    p = suite.first_purge
    log(f"  first start on the ten-year store: {suite.first_tenyear:.2f} s to /healthz; background purge "
        + (f"deleted {p.deleted:,} answers, rewrote {p.written:,} meetings in {p.seconds:.2f} s" if p else "not logged")
        + (f"; /healthz meanwhile max {max(suite.healthz_during_purge) * 1000:.0f} ms" if suite.healthz_during_purge else ""))
    for i in range(cfg.startup_runs):
        for label, starter in (("tenyear", lambda: start_skis("skis-start-tenyear", ten_dir, work, cpus)),
                               ("empty", lambda: start_skis("skis-start-empty", empty_dir, work, cpus)),
                               ("echo", lambda: start_echo(work, cpus))):
            seconds, memory, purged = await _start_once(starter, session, 1.0 if i == 0 else 0.0)
            getattr(suite, label).append(seconds)
            if i == 0:
                suite.memory_kib[label] = memory
                if label == "tenyear":
                    suite.restart_purge = purged
        log(f"  start-up run {i + 1}: ten-year {suite.tenyear[-1]:.2f} s, empty {suite.empty[-1]:.2f} s, "
            f"echo {suite.echo[-1]:.2f} s")
    return suite


# Reminder fan-out ---------------------------------------------------------------------------------


@dataclass
class FanoutSuite:
    teams: int = 0
    people: int = 0
    elapsed: float = 0.0
    runs: list[tuple[str, float, int]] = field(default_factory=list)  # (what, seconds, sends)
    bound: float = 0.0  # seconds the app-wide limit alone imposes
    statuses: dict[str, int] = field(default_factory=dict)
    kinds: dict[str, int] = field(default_factory=dict)  # reminders sent, by kind
    connector: dict[str, Any] = field(default_factory=dict)
    app_limit: int = 50
    conversation_limit: int = 7
    missing: str | None = None


@dataclass(frozen=True)
class FanoutPlan:
    meeting_starts: datetime
    week_due: datetime  # when the 7-day reminders fall due
    digest_due: datetime  # when the digests fall due


def fanout_plan(now: datetime) -> FanoutPlan:
    """A meeting on a Thursday about three weeks ahead, and when its reminders fall due (the defaults)."""
    from zoneinfo import ZoneInfo

    from bot.reminders.schedule import local_instant, working_day_before
    from storage.reminders_repo import DEFAULT_KINDS, DIGEST, MEETING_WEEK

    tz = ZoneInfo("Europe/Stockholm")
    day = now.astimezone(tz).date() + timedelta(days=21)
    day += timedelta(days=(3 - day.weekday()) % 7)
    week, digest = DEFAULT_KINDS[MEETING_WEEK], DEFAULT_KINDS[DIGEST]
    return FanoutPlan(
        meeting_starts=local_instant(day, datetime.min.time().replace(hour=9), tz),
        week_due=local_instant(working_day_before(day - timedelta(days=week.days)), week.at, tz),
        digest_due=local_instant(working_day_before(day - timedelta(days=digest.days)), digest.at, tz),
    )


async def seed_fanout_store(data_dir: Path, cfg: Config, service_url: str, plan: FanoutPlan) -> None:
    """``fanout_teams`` networks with a meeting ahead (so the 7-day reminder goes to their channel) and
    ``fanout_people`` presidium members spread over them (each gets the digest in a 1:1 chat they
    already have with the bot); written through the repositories."""
    from storage.store import Store

    bulk = seed._BulkEngine()
    store = Store(bulk)  # type: ignore[arg-type]
    created = plan.week_due - timedelta(days=30)
    made = 0
    for t in range(cfg.fanout_teams):
        key = seed.team_key(f"fan-{t:04d}")
        left = cfg.fanout_teams - t
        count = -(-(cfg.fanout_people - made) // left)  # spread the rest evenly
        members = [seed.BenchUser(10_000 + made + j) for j in range(count)]
        made += count
        await seed.add_network(store, key, f"Nätverk {t + 1}", members, at=created, service_url=service_url)
        await store.meetings.save(Meeting(id=plan.meeting_starts.strftime("%Y%m%d"), team_key=key, starts_at=plan.meeting_starts,
                                    ends_at=plan.meeting_starts + timedelta(hours=3), location="Skövde, Stadshuset",
                                    topics=("Skolutveckling",), created_at=created))
        for person in members:
            ref = seed.conversation_ref(f"a:personal-{person.aad}", service_url, kind=activities.PERSONAL)
            ref["user"] = person.account()
            await store.teams.save_personal_ref(person.aad, ref)
    await seed._flush(bulk, data_dir)


async def fanout_suite(cfg: Config, work: Path, connector: ConnectorProcess, session: aiohttp.ClientSession,
                       log: Callable[[str], None]) -> FanoutSuite:
    """The 7-day reminder to every network's channel, then the digest to every presidium member, sent by
    the reminders runner itself (``ReminderRunner.run_due``: its notifier, rate limiter, retries and
    sent-log) through the SDK adapter as the service builds it, to a connector that answers 429
    (Retry-After: 1) to anything over Teams' limits."""
    from zoneinfo import ZoneInfo

    suite = FanoutSuite(teams=cfg.fanout_teams, people=cfg.fanout_people)
    try:
        from bot.reminders.jobs import ReminderRunner
        from bot.teams.proactive import PER_APP_LIMITS, PER_CONVERSATION_LIMITS, Notifier
    except ImportError as exc:
        suite.missing = f"the reminders runner is not available ({exc})"
        return suite
    from bot.clock import SystemClock
    from bot.config import Settings
    from bot.teams.adapter import build_adapter
    from bot.teams.connector_http import AiohttpTransport

    suite.app_limit = PER_APP_LIMITS[0][0]
    suite.conversation_limit = PER_CONVERSATION_LIMITS[0][0]
    plan = fanout_plan(datetime.now(UTC))
    data_dir = work / "fanout-data"
    await seed_fanout_store(data_dir, cfg, connector.url, plan)
    store = seed.open_store_dir(data_dir)
    transport = AiohttpTransport()
    try:
        settings = Settings(dev=True)
        notifier = Notifier(build_adapter(settings, transport=transport), settings.app_id, store.teams)
        runner = ReminderRunner(store, notifier, tz=ZoneInfo("Europe/Stockholm"), clock=SystemClock(), settings=settings)
        await connector.reset(session, enforce=True)
        statuses: dict[str, int] = {}
        # Bounded: the notifier gives up after its retries; each run also gets a hard ceiling.
        ceiling = 5 * (cfg.fanout_teams + cfg.fanout_people) / suite.app_limit + 60
        t0 = time.perf_counter()
        for what, at in (("7-day reminder to channels", plan.week_due), ("digest to presidium members", plan.digest_due)):
            log(f"  {what}: run_due at {at.isoformat()}")
            r0 = time.perf_counter()
            report = await asyncio.wait_for(runner.run_due(at + timedelta(minutes=1)), timeout=ceiling)
            suite.runs.append((what, time.perf_counter() - r0, len(report.results)))
            for result in report.results:
                statuses[result.status] = statuses.get(result.status, 0) + 1
                suite.kinds[result.kind] = suite.kinds.get(result.kind, 0) + 1
        suite.elapsed = time.perf_counter() - t0
        suite.statuses = statuses
        suite.connector = await connector.stats(session)
        # Every reminder due at those instants counts, not only the two the store was seeded for: in
        # December the yearly roster reminder to each network's secretaries falls due in between.
        suite.bound = sum(sends for _what, _seconds, sends in suite.runs) / suite.app_limit
        log(f"  {suite.connector.get('sends')} sends in {suite.elapsed:.1f} s, {suite.connector.get('throttled')} throttled")
        await connector.reset(session, enforce=False)
    finally:
        await transport.close()
        await store.close()
    return suite


def clean(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
