"""Profile one turn under load: ``python -m bench.profile checkin`` (or help, decision, items, echo).

Starts ``skis-bot serve`` (or the echo bot) under cProfile on a seeded store, drives it with
the load generator for a few seconds at concurrency 8 (``--postgres``: on a PostgreSQL database), stops it with SIGINT and prints the
functions that took the most time. This is how the costs in docs/performance.md were found.

With ``--sampler py-spy`` the bot runs as in the bench (no profiler in the process) and py-spy
samples it from outside: cProfile counts every resumption of a coroutine as a call and inflates
Python-heavy code, while sampling shows each function's share of the bot's CPU time as it is.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import os
import pstats
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import aiohttp

from bench import pg, scenarios
from bench.load import run_load

_RUNNER = """
import cProfile, sys
target, out = sys.argv[1], sys.argv[2]
prof = cProfile.Profile()
prof.enable()
try:
    if target == "echo":
        import runpy
        runpy.run_module("bench.echo_bot", run_name="__main__")
    else:
        from bot.cli import main
        main(["serve"])
except (KeyboardInterrupt, SystemExit):
    pass
finally:
    prof.disable()
    prof.dump_stats(out)
"""

TEXTS = {
    "help": "hjälp",
    "checkin": "incheckning Jag har haft en bra vecka med många klassrumsbesök.",
    "decision": "beslut Nätverket ställer sig bakom förslaget om gemensam fortbildning.",
    "items": "uppgifter",
    "echo": "incheckning Jag har haft en bra vecka med många klassrumsbesök.",
}


async def profile(turn: str, seconds: float, concurrency: int, top: int, sort: str, sampler: str = "cprofile",
                  postgres: bool = False) -> None:
    bot_cpus, load_cpus = scenarios.cpu_plan()
    scenarios.pin_self(load_cpus)
    work = Path(tempfile.mkdtemp(prefix="skis-profile-"))
    cfg = scenarios.Config()
    layout = await scenarios.seed_http_store(work / "data", cfg)
    out = work / "turn.prof"
    server = pg.LazyServer()
    extra = {}
    if postgres and turn != "echo":
        # The same seeded store, moved into a database of the bench's own server.
        url = server.get().create_database()
        await pg.migrate_into(url, work / "data")
        extra["SKIS_DATABASE_URL"] = url
    connector = scenarios.ConnectorProcess(load_cpus)
    env = scenarios._env(SKIS_DEV="1", SKIS_DATA_DIR=str(work / "data"), PORT=str(scenarios.free_port()), **extra)
    if sampler == "py-spy":
        command = [scenarios.PYTHON, "-m", "bench.echo_bot"] if turn == "echo" else [scenarios.SKIS_BOT, "serve"]
    else:
        command = [scenarios.PYTHON, "-c", _RUNNER, turn, str(out)]
    proc = scenarios._spawn("profiled", command, env, work, bot_cpus)
    spy: subprocess.Popen[bytes] | None = None
    acts = scenarios.Activities(connector.url)
    people = layout["people"]
    team = layout["items"] if turn == "items" else layout["main"]
    try:
        async with aiohttp.ClientSession() as session:
            await scenarios.wait_healthy(proc, session)
            if sampler == "py-spy":
                spy = _start_py_spy(proc.popen.pid, seconds, out)
            result = await run_load(proc.messages_url, lambda i: acts.message(TEXTS[turn], people[i % len(people)], team),
                                    concurrency=concurrency, duration=seconds, max_requests=50_000)
        print(f"{turn}: {result.requests} turns, {result.throughput:.0f}/s under the profiler, p50 {result.p50 * 1000:.1f} ms")
        if spy is not None:
            spy.wait(timeout=seconds + 30)
    finally:
        proc.stop()
        connector.stop()
        server.stop()
    if sampler == "py-spy":
        print_samples(out, top)
        print(f"samples kept in {out} (py-spy raw, one collapsed stack a line); work directory {work}")
        return
    stats = pstats.Stats(str(out))
    stats.sort_stats(sort).print_stats(top)
    print(f"profile kept in {out} (pstats); work directory {work}")


def _start_py_spy(pid: int, seconds: float, out: Path) -> subprocess.Popen[bytes]:
    """py-spy sampling ``pid`` for ``seconds`` (500 Hz, without pausing it) into ``out``."""
    return subprocess.Popen([_py_spy(), "record", "--pid", str(pid), "--format", "raw", "--rate", "500",
                             "--duration", str(int(seconds)), "--output", str(out), "--nonblocking"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _py_spy() -> str:
    found = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(found).exists():
        raise SystemExit("py-spy is not installed (pip install py-spy)")
    return found


def summarise(lines: list[str]) -> tuple[int, collections.Counter[str], collections.Counter[str]]:
    """Samples in py-spy's raw format (``frame;frame;... count``): the total, each function's
    inclusive samples (once per stack) and its own (the innermost frame)."""
    total = 0
    inclusive: collections.Counter[str] = collections.Counter()
    own: collections.Counter[str] = collections.Counter()
    for line in lines:
        stack, _, count = line.rstrip().rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        frames = [f for f in stack.split(";") if f]
        total += n
        for frame in set(frames):
            inclusive[frame] += n
        if frames:
            own[frames[-1]] += n
    return total, inclusive, own


def print_samples(path: Path, top: int) -> None:
    total, inclusive, own = summarise(path.read_text().splitlines())
    if not total:
        print("py-spy took no samples")
        return
    for title, counter in (("inclusive", inclusive), ("own", own)):
        print(f"\n{title} share of {total} samples:")
        for frame, n in counter.most_common(top):
            print(f"{100 * n / total:6.1f}%  {frame}")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__)
    parser.add_argument("turn", choices=sorted(TEXTS))
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sort", default="tottime", help="pstats sort key (tottime, cumulative, ...)")
    parser.add_argument("--sampler", choices=("cprofile", "py-spy"), default="cprofile",
                        help="cProfile inside the bot, or py-spy sampling it from outside")
    parser.add_argument("--postgres", action="store_true",
                        help="serve from a PostgreSQL database (a server of the bench's own, the seeded store migrated in)")
    args = parser.parse_args()
    asyncio.run(profile(args.turn, args.seconds, args.concurrency, args.top, args.sort, args.sampler, args.postgres))
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
