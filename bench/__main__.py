"""``python -m bench`` (``make bench``): run every benchmark, print the tables, write docs/performance.md."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

from bench import parse, pg, report, scenarios

SUITES = ("http", "growth", "fanout", "startup", "parse", "postgres", "instances", "pg-growth")
PG_SUITES = ("postgres", "instances", "pg-growth")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny sizes and short runs (for the smoke test)")
    parser.add_argument("--only", action="append", choices=SUITES, help="run only these suites (repeatable)")
    parser.add_argument("--out", type=Path, default=scenarios.ROOT / "docs" / "performance.md",
                        help="where to write the report (default docs/performance.md)")
    parser.add_argument("--no-write", action="store_true", help="print the report only")
    parser.add_argument("--cache-dir", type=Path, help="where the ten-year store is cached (default bench/.cache)")
    parser.add_argument("--duration", type=float, help="seconds per measured run")
    parser.add_argument("--rounds", type=int, help="repetitions of each measurement")
    parser.add_argument("--keep", action="store_true", help="keep the work directory (data dirs and bot logs)")
    return parser.parse_args(argv)


def config_from(args: argparse.Namespace) -> scenarios.Config:
    cfg = scenarios.Config.quick(args.cache_dir) if args.quick else scenarios.Config()
    if args.cache_dir and not args.quick:
        cfg = dataclasses.replace(cfg, cache_dir=args.cache_dir)
    if args.duration:
        cfg = dataclasses.replace(cfg, duration=args.duration, growth_duration=args.duration)
    if args.rounds:
        cfg = dataclasses.replace(cfg, rounds=args.rounds)
    return cfg


def log(line: str) -> None:
    print(line, flush=True)


async def run(args: argparse.Namespace) -> report.Report:
    cfg = config_from(args)
    wanted = args.only or list(SUITES)
    command = " ".join(["python -m bench", *sys.argv[1:]]) if sys.argv[0].endswith("__main__.py") else "python -m bench"
    rep = report.Report(command="make bench" if command == "python -m bench" else command, started=report.now(),
                        quick=args.quick)
    bot_cpus, load_cpus = scenarios.cpu_plan()
    scenarios.pin_self(load_cpus)
    rep.setup_lines = setup_lines(cfg, bot_cpus, load_cpus)
    if any(name in wanted for name in PG_SUITES):
        rep.setup_lines += pg_setup_lines(cfg, bot_cpus)
    t0 = time.perf_counter()
    watch = scenarios.cpu_snapshot()
    work = Path(tempfile.mkdtemp(prefix="skis-bench-"))
    connector = scenarios.ConnectorProcess(load_cpus)
    server = pg.LazyServer()  # started by the first PostgreSQL suite, stopped at the end
    try:
        async with aiohttp.ClientSession() as session:
            for name, title, attr, run_suite in (
                ("http", "Turns over HTTP (skis-bot serve and the stock echo bot)", "http",
                 lambda: scenarios.http_suite(cfg, work, connector, session, bot_cpus, log)),
                ("growth", "Storage growth (check-in, empty store vs ten-year store)", "growth",
                 lambda: scenarios.growth_suite(cfg, work, connector, session, bot_cpus, log)),
                ("startup", "Start-up", "startup", lambda: scenarios.startup_suite(cfg, work, session, bot_cpus, log)),
                ("fanout", "Reminder fan-out", "fanout", lambda: scenarios.fanout_suite(cfg, work, connector, session, log)),
                ("parse", "Parsing long messages", "parse", parse_suite),
                ("postgres", "Check-in on PostgreSQL (against TinyDB and the stock echo bot)", "postgres",
                 lambda: pg.postgres_suite(cfg, work, connector, session, bot_cpus, server, log)),
                ("instances", "Two instances on one PostgreSQL database", "instances",
                 lambda: pg.instances_suite(cfg, work, connector, session, server, log)),
                ("pg-growth", "Storage growth on PostgreSQL (check-in, empty database vs ten-year database)", "pg_growth",
                 lambda: pg.pg_growth_suite(cfg, work, connector, session, bot_cpus, server, log)),
            ):
                if name not in wanted:
                    continue
                log(title)
                try:
                    setattr(rep, attr, await run_suite())
                except Exception as exc:  # one broken suite must not lose the others' figures
                    log(f"  {name} failed: {exc}")
                    rep.failures.append(f"{name}: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}")
    finally:
        connector.stop()
        server_cpu = server.cpu_seconds() or 0.0  # not the bench's child: counted as its own here
        server.stop()
        if args.keep:
            log(f"work directory kept: {work}")
        else:
            scenarios.clean(work)
    rep.seconds = time.perf_counter() - t0
    end = scenarios.cpu_snapshot()
    if end is not None:
        end = dataclasses.replace(end, ours=end.ours + server_cpu)
    rep.load = scenarios.machine_load(watch, end, rep.seconds)
    return rep


async def parse_suite() -> list[tuple[str, str, float]]:
    """The slowest parse per parser of a Teams-size message (in this process: parsing is pure)."""
    return parse.worst_cases()


def setup_lines(cfg: scenarios.Config, bot_cpus: set[int] | None, load_cpus: set[int] | None) -> list[str]:
    pinning = (f"the bot under test is pinned to CPU {sorted(bot_cpus)}; this process (load generator and fan-out "
               f"driver) and the fake connector process share CPU(s) {sorted(load_cpus or [])}"
               if bot_cpus else "processes are not pinned (fewer than 2 CPUs)")
    return [
        "- Bots run as real subprocesses on 127.0.0.1: `SKIS_DEV=1 SKIS_DATA_DIR=<tmp> PORT=<free> .venv/bin/skis-bot serve`, "
        "and the baseline `python -m bench.echo_bot` (Microsoft's echo sample: `CloudAdapter(ConfigurationBotFramework"
        "Authentication(DefaultConfig()))`, `ActivityHandler`, `adapter.process(req, bot)`). Neither has an app id, "
        "so neither validates tokens: both take the SDK's anonymous path.",
        "- Replies go to a fake Bot Connector in its own process (`bench/connector.py`: the routes of "
        "`bot/dev/fake_connector.py` with Teams' rate limits, served by asyncio and httptools at ~0.12 ms of CPU a "
        "reply, half of aiohttp's, since the real connector runs on none of the cores measured), via each activity's "
        f"`serviceUrl`. CPU: {pinning}.",
        f"- The load generator (`bench/load.py`, an aiohttp client) posts Teams channel messages (with the bot "
        f"@mention) in a closed loop with 1 or 8 workers: {cfg.warmup:g} s warm-up, then {cfg.duration:g} s or "
        f"{cfg.max_requests:,} turns, whichever ends first; {cfg.rounds} round(s), the bots' runs interleaved; "
        "medians of the rounds are shown. Latency is from POST to the end of the HTTP answer, which the bot sends after "
        "its reply has reached the connector.",
        f"- The throughput target is measured on its own, in {cfg.pairs} pairs of {cfg.pair_duration:g} s runs at "
        f"concurrency {max(cfg.concurrencies)} ({cfg.pair_warmup:g} s warm-up each): the echo bot and the check-in "
        "alternate (echo, skis, skis, echo, ...), each pair gives a ratio, and the median ratio is reported. Work "
        "other processes put on the machine in bursts then slows both runs of a pair alike.",
        "- Other processes' CPU use is the machine's busy time (`/proc/stat`) minus what the bench's own processes "
        "used, over the run.",
        f"- Turns: `hjälp` and `incheckning <svar>` in one network with {cfg.members} members and an ongoing meeting "
        f"(answers replace each member's earlier one); `beslut <text>` spread over {cfg.decision_teams} networks; "
        f"`uppgifter` in a network with {cfg.open_items} open items. The echo bot gets the check-in message.",
        "- Bot CPU per turn is the bot process's user+system CPU time (from /proc) over the measured run divided by "
        "the turns. Peak memory is VmHWM from /proc/<pid>/status.",
        "- Start-up: the service's modules are byte-compiled first (`compileall`), as installing a package does, so "
        "no start pays for compiling sources.",
    ]


def pg_setup_lines(cfg: scenarios.Config, bot_cpus: set[int] | None) -> list[str]:
    cpus = sorted(pg.ALL_CPUS or [])
    pinned = f"each bot pinned to CPU {sorted(bot_cpus)} as in the HTTP suite" if bot_cpus else "nothing pinned"
    return [
        "- PostgreSQL: Debian's server, started by the bench itself (`bot/dev/postgres.py`: initdb, pg_ctl on a free "
        "loopback port, defaults but `max_connections=200`, fsync and synchronous commit on as in production), one new "
        "database per suite (two for the ten-year comparison) owned by an ordinary role; each `skis-bot serve` gets it as `SKIS_DATABASE_URL` "
        "(pool of up to 20 connections). In the check-in suite the server's processes run beside the bot under "
        f"test, on the CPU(s) of the load generator and the connector ({sorted(set(cpus) - set(bot_cpus or ()))}; as "
        "a managed database runs on a server of its own in production); in the other PostgreSQL suites they may run "
        f"on every CPU ({cpus}). PostgreSQL CPU per turn is the CPU time of the postmaster and all its processes over "
        "a run, divided by the turns.",
        f"- Check-in on PostgreSQL: {cfg.pairs} rounds of {cfg.pair_duration:g} s runs at concurrency "
        f"{max(cfg.concurrencies)} ({cfg.pair_warmup:g} s warm-up each): the stock echo bot, the check-in on TinyDB and "
        f"the check-in on PostgreSQL one after the other (order reversed every other round), {pinned}; the figures are "
        "the medians of the rounds' ratios.",
        f"- Two instances: both `skis-bot serve` processes on one database; {cfg.pairs} pairs of {cfg.pair_duration:g} s "
        f"runs with {cfg.instances_concurrency} closed-loop workers in all, either all on instance A or dealt evenly over "
        f"A and B (the order alternating). Check-ins spread over {cfg.instances_networks} networks, each with an ongoing "
        f"meeting. **No process is pinned in this suite**: the two instances, the load generator (this process, one "
        f"asyncio loop), the fake connector (one process) and PostgreSQL (postmaster, background workers and one "
        f"backend per pooled connection) all share CPUs {cpus} under the kernel's scheduler; in the one-instance runs "
        "instance B is up and idle.",
        "- Ten-year database: the storage growth suite's ten-year TinyDB store moved into an empty database with "
        "`skis-bot migrate --from-data-dir` (`PostgresEngine.load_into_empty`, one transaction), then an ongoing meeting "
        f"added; the empty database holds the same network, members and meeting. Both bots ({pinned}) serve with "
        "`SKIS_CHECKIN_RETENTION_DAYS=0`.",
    ]


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    rep = asyncio.run(run(args))
    text = rep.markdown()
    print()
    print(text)
    if not args.no_write:
        report.write(args.out, rep)
        print(f"written to {args.out}")
    return 1 if rep.failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
