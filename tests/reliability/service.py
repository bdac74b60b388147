"""``skis-bot`` as a real subprocess on loopback, for the fault tests (kill -9, locks, damage)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
SKIS_BOT = REPO / ".venv" / "bin" / "skis-bot"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cli_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a dev-mode service on ``data_dir`` (nothing inherited that could change it)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SKIS_", "Microsoft"))}
    env.update({"SKIS_DEV": "1", "SKIS_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1", **extra})
    return env


def run_cli(*args: str, data_dir: Path, timeout: float = 60, **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``skis-bot <args>`` to completion."""
    return subprocess.run(
        [str(SKIS_BOT), *args], env=cli_env(data_dir, **env), cwd=REPO, capture_output=True, text=True, timeout=timeout
    )


@dataclass
class Service:
    """One ``skis-bot serve`` process; ``start`` waits until /healthz answers."""

    data_dir: Path
    port: int = field(default_factory=free_port)
    env: dict[str, str] = field(default_factory=dict)
    proc: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30) -> None:
        """Start the process and wait until it serves."""
        self.spawn()
        self.wait_ready(timeout)

    def spawn(self) -> None:
        """Start the process without waiting for it."""
        self.log_path = self.data_dir.parent / f"serve-{self.port}.log"
        log = open(self.log_path, "ab")  # noqa: SIM115 - the child owns it
        self.proc = subprocess.Popen(
            [str(SKIS_BOT), "serve"],
            env=cli_env(self.data_dir, PORT=str(self.port), **self.env),
            cwd=REPO,
            stdout=log,
            stderr=log,
        )
        log.close()

    def wait_ready(self, timeout: float = 30) -> None:
        assert self.proc is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"skis-bot serve exited with {self.proc.returncode}: {self.log()}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=1) as resp:
                    if resp.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.02)
        self.kill()
        raise RuntimeError(f"skis-bot serve did not answer within {timeout}s: {self.log()}")

    def kill(self) -> None:
        """SIGKILL: no cleanup, no flush, exactly like a power cut for the process."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:] if self.log_path and self.log_path.exists() else ""


def post_json(url: str, body: Any, timeout: float = 10) -> tuple[int, bytes]:
    req = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
