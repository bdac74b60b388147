"""Running ``skis-bot`` as the operator does, in a subprocess, with a given SKIS_DATABASE_URL."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


def cli_env(url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SKIS_", "Microsoft"))}
    env["PYTHONUNBUFFERED"] = "1"
    if url is not None:
        env["SKIS_DATABASE_URL"] = url
    return env


def command(*args: str) -> list[str]:
    # `python -m bot.cli` from the checkout: the same entry point as the installed `skis-bot`.
    return [sys.executable, "-m", "bot.cli", *args]


def run(*args: str, url: str | None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command(*args), env=cli_env(url), cwd=REPO, capture_output=True, text=True,
                          timeout=timeout, check=False)

