"""Profile one turn under load: ``python -m bench.profile checkin`` (or help, decision, items, echo).

Starts ``skis-bot serve`` (or the echo bot) under cProfile on a seeded store, drives it with
the load generator for a few seconds at concurrency 8, stops it with SIGINT and prints the
functions that took the most time. This is how the costs in docs/performance.md were found.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import pstats
import sys
import tempfile
from pathlib import Path

import aiohttp

from bench import scenarios
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


async def profile(turn: str, seconds: float, concurrency: int, top: int, sort: str) -> None:
    bot_cpus, load_cpus = scenarios.cpu_plan()
    scenarios.pin_self(load_cpus)
    work = Path(tempfile.mkdtemp(prefix="skis-profile-"))
    cfg = scenarios.Config()
    layout = scenarios.seed_http_store(work / "data", cfg)
    out = work / "turn.prof"
    connector = scenarios.ConnectorProcess(load_cpus)
    env = scenarios._env(SKIS_DEV="1", SKIS_DATA_DIR=str(work / "data"), PORT=str(scenarios.free_port()))
    proc = scenarios._spawn("profiled", [scenarios.PYTHON, "-c", _RUNNER, turn, str(out)], env, work, bot_cpus)
    acts = scenarios.Activities(connector.url)
    people = layout["people"]
    team = layout["items"] if turn == "items" else layout["main"]
    try:
        async with aiohttp.ClientSession() as session:
            await scenarios.wait_healthy(proc, session)
            result = await run_load(proc.messages_url, lambda i: acts.message(TEXTS[turn], people[i % len(people)], team),
                                    concurrency=concurrency, duration=seconds, max_requests=50_000)
        print(f"{turn}: {result.requests} turns, {result.throughput:.0f}/s under the profiler, p50 {result.p50 * 1000:.1f} ms")
    finally:
        proc.stop()
        connector.stop()
    stats = pstats.Stats(str(out))
    stats.sort_stats(sort).print_stats(top)
    print(f"profile kept in {out} (pstats); work directory {work}")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__)
    parser.add_argument("turn", choices=sorted(TEXTS))
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sort", default="tottime", help="pstats sort key (tottime, cumulative, ...)")
    args = parser.parse_args()
    asyncio.run(profile(args.turn, args.seconds, args.concurrency, args.top, args.sort))
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
