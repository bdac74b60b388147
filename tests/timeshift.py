"""Run the test suite with the system clock moved (libfaketime), so a date that expires is caught early.

    python -m tests.timeshift                      # the fast suite, about seven months ahead
    python -m tests.timeshift --at all --all       # the whole suite at every moment below
    python -m tests.timeshift --at dst -- -k dates # extra arguments go to pytest

The moments are computed from today, never written down, so this keeps working:

- ``summer``: a Friday about seven months ahead, 10.00 Swedish time;
- ``newyear``: 23.30 Swedish time on the coming 31 December;
- ``dst``: noon on the Saturday before the coming autumn change to winter time.

libfaketime moves ``time.time()`` (and the monotonic clock along with it) for pytest and every
process it starts (``skis-bot serve``, the Playground), through ``LD_PRELOAD``. The time zone
is Europe/Stockholm for these runs, so a host that is not on UTC is tried as well.
Tests marked ``no_timeshift`` are left out: they time a child process's exit, which
libfaketime disturbs whatever the date.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Europe/Stockholm")


def _friday_on_or_after(day: date) -> date:
    return day + timedelta(days=(4 - day.weekday()) % 7)


def _last_sunday_of_october(year: int) -> date:
    day = date(year, 10, 31)
    return day - timedelta(days=(day.weekday() + 1) % 7)


def moments(today: date) -> dict[str, datetime]:
    """The shifted instants for a run started on ``today``, in Swedish time."""
    summer = _friday_on_or_after(today + timedelta(days=210))
    new_year = date(today.year, 12, 31)
    change = _last_sunday_of_october(today.year)
    if change - timedelta(days=1) <= today:
        change = _last_sunday_of_october(today.year + 1)
    return {
        "summer": datetime.combine(summer, time(10, 0), TZ),
        "newyear": datetime.combine(new_year, time(23, 30), TZ),
        "dst": datetime.combine(change - timedelta(days=1), time(12, 0), TZ),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.timeshift", description=__doc__.split("\n\n")[0])
    parser.add_argument("--at", default="summer", choices=["summer", "newyear", "dst", "all"])
    parser.add_argument("--all", action="store_true", help="the whole suite (slow and e2e too), not only the fast one")
    parser.add_argument("pytest_args", nargs="*")
    args = parser.parse_args(argv)
    if shutil.which("faketime") is None:
        sys.stderr.write("timeshift: faketime is not installed (Debian: apt-get install faketime)\n")
        return 2
    chosen = moments(datetime.now(TZ).date())
    names = list(chosen) if args.at == "all" else [args.at]
    marks = "not no_timeshift" if args.all else "not slow and not e2e and not no_timeshift"
    failed = []
    for name in names:
        at = chosen[name]
        stamp = at.strftime("%Y-%m-%d %H:%M:%S")
        print(f"timeshift: {name}: the clock says {at:%A %Y-%m-%d %H:%M} ({TZ.key})", flush=True)
        # The monotonic clock moves with it (FAKETIME_DONT_FAKE_MONOTONIC=1 makes libfaketime fail
        # every time.sleep with EINVAL). Under libfaketime a thread's timed wait (join(timeout=…),
        # Event.wait(timeout=…)) does not time out, so tests poll with sleeps instead; and a
        # hang is a failure, not an endless run.
        env = {**os.environ, "TZ": TZ.key}
        command = ["faketime", stamp, sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                   "--timeout", "600", "-m", marks, *args.pytest_args]
        if subprocess.run(command, env=env, check=False).returncode != 0:
            failed.append(name)
    if failed:
        print(f"timeshift: failed at {', '.join(failed)}", flush=True)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
