"""``make run``'s supervisor (python -m bot.dev.devrun): it starts the bot and the Playground, says where
to chat, stops both on Ctrl-C, and stops everything (exit 1) when one of them dies."""

from __future__ import annotations

import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.dev import devrun

# no_timeshift: these tests time the supervisor's exit after its children (the bot and Node.js's
# Playground) stop; under libfaketime the children's exit is not noticed within the wait at any
# date (also with the clock unmoved), so the time-shifted runs leave them out.
pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120), pytest.mark.no_timeshift]

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Supervisor:
    process: subprocess.Popen[str]
    bot_port: int
    playground_port: int
    url: str


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _wait_closed(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while _listening(port):
        assert time.monotonic() < deadline, f"port {port} still open"
        time.sleep(0.1)


@pytest.fixture
def supervisor(tmp_path: Path) -> Iterator[Supervisor]:
    bot_port = devrun.free_port()
    stderr = (tmp_path / "devrun.err").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.dev.devrun", "--port", str(bot_port), "--playground-port", "0",
         "--data-dir", str(tmp_path / "data")],
        cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=stderr, text=True,
        start_new_session=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout or []], daemon=True).start()
    url = ""
    deadline = time.monotonic() + 60
    while not url:
        assert process.poll() is None, (tmp_path / "devrun.err").read_text()
        assert time.monotonic() < deadline, "devrun did not say where to chat"
        try:
            match = re.search(r"Chat with it here: (http://\S+)", lines.get(timeout=0.5))
        except queue.Empty:
            continue
        url = match.group(1) if match else ""
    port = int(url.rsplit(":", 1)[1])
    try:
        yield Supervisor(process, bot_port, port, url)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        stderr.close()


def test_ctrl_c_stops_the_bot_and_the_playground(supervisor: Supervisor) -> None:
    with urllib.request.urlopen(supervisor.url, timeout=10) as page:
        assert "Microsoft 365 Agents Playground" in page.read().decode()
    with urllib.request.urlopen(f"http://127.0.0.1:{supervisor.bot_port}/healthz", timeout=10) as health:
        assert health.status == 200
    supervisor.process.send_signal(signal.SIGINT)
    assert supervisor.process.wait(timeout=20) == 0
    _wait_closed(supervisor.bot_port)
    _wait_closed(supervisor.playground_port)


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="finds the bot's process through /proc")
def test_when_the_bot_dies_everything_stops_with_an_error(supervisor: Supervisor) -> None:
    bot_pid = _pid_of_bot(supervisor.bot_port)
    os.kill(bot_pid, signal.SIGKILL)
    assert supervisor.process.wait(timeout=20) == 1
    _wait_closed(supervisor.playground_port)


def _pid_of_bot(port: int) -> int:
    """The bot this test's supervisor started: the only ``serve`` process on this test's free port."""
    wanted = ["serve", "--host", "127.0.0.1", "--port", str(port)]
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            argv = (proc / "cmdline").read_bytes().decode(errors="replace").split("\0")
        except OSError:
            continue
        if any(argv[i:i + len(wanted)] == wanted for i in range(len(argv))):
            return int(proc.name)
    raise AssertionError(f"no bot process serving on port {port}")
