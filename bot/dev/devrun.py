"""Local chat for developers (``make run``): the bot in dev mode with the Microsoft 365 Agents
Playground beside it, supervised together so that Ctrl-C stops both.

Three child processes, each in its own process group:

- the bot: ``skis-bot serve`` with ``SKIS_DEV=1`` and no app id, on 127.0.0.1;
- a locale proxy on 127.0.0.1: the Playground (0.2.28) stamps every activity with locale
  ``en-US``, which would make the bot answer in English, while SKIS members run Teams in
  Swedish. The proxy sets the activity's locale (``sv-SE`` unless told otherwise) and passes
  everything else through unchanged;
- the Playground (``agentsplayground -e <proxy>/api/messages -c msteams``), with mock people
  from the SKIS network (``playground_config``) and kept on loopback (it would otherwise listen on
  every interface).

The bot runs with a dev clock (``DevClock``): system time until someone moves it with
``python -m bot.dev.devrun clock <when>``, then time that runs on from there. That is how a whole
meeting cycle (planning a week ahead, the meeting, the minutes after it) is played in minutes.

The end-to-end tests (tests/e2e) start the same stack through ``DevStack``.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[2]  # the repository (this file is bot/dev/devrun.py)
PLAYGROUND_CLI = Path("node_modules/@microsoft/m365agentsplayground/cli.js")
DEFAULT_BOT_PORT = 3978
DEFAULT_PLAYGROUND_PORT = 56150
DEFAULT_LOCALE = "sv-SE"
LOOPBACK = "127.0.0.1"
_LISTENING = re.compile(r"Listening on (\d+)")


class DevRunError(Exception):
    """The local stack cannot start; the message says why and what to do."""


# Mock people ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class MockUser:
    key: str
    given_name: str
    surname: str
    number: int

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.surname}"

    @property
    def id(self) -> str:
        return f"user-{self.key}"

    @property
    def aad_object_id(self) -> str:
        return f"5c15b0d0-0000-4000-8000-{self.number:012d}"

    @property
    def email(self) -> str:
        return f"{self.key}@skis.example"

    def account(self) -> dict[str, str]:
        """The ``from`` of an activity this person sends."""
        return {"id": self.id, "name": self.name, "aadObjectId": self.aad_object_id}

    def config_entry(self) -> dict[str, str]:
        return {
            "id": self.id,
            "name": self.name,
            "userPrincipleName": self.email,  # sic: the Playground's schema spells it so
            "aadObjectId": self.aad_object_id,
            "givenName": self.given_name,
            "surname": self.surname,
            "email": self.email,
        }


# The Playground wants exactly one current user and exactly five others.
MOCK_USERS: tuple[MockUser, ...] = (
    MockUser("anna", "Anna", "Lindqvist", 1),
    MockUser("peter", "Peter", "Holm", 2),
    MockUser("sofia", "Sofia", "Berg", 3),
    MockUser("karin", "Karin", "Ek", 4),
    MockUser("lars", "Lars", "Nilsson", 5),
    MockUser("maria", "Maria", "Lund", 6),
)
SECRETARY = "sofia"
TENANT_ID = "5c15b0d0-0000-4000-8000-000000000100"
BOT_ID = "5c15b0d0-0000-4000-8000-000000000200"
BOT_NAME = "SKIS-boten"
TEAM_ID = "team-skis"
TEAM_NAME = "SKIS – Skolutveckling i Skaraborg"
GROUP_CHAT_ID = "groupchat-skis-presidium"
GROUP_CHAT_NAME = "SKIS presidium"


def mock_user(key_or_name: str) -> MockUser:
    """The mock person called ``key_or_name`` (key, first name or full name, any case)."""
    wanted = key_or_name.strip().casefold()
    for user in MOCK_USERS:
        if wanted in (user.key, user.given_name.casefold(), user.name.casefold()):
            return user
    known = ", ".join(u.given_name for u in MOCK_USERS)
    raise DevRunError(f"no mock person called {key_or_name!r}; choose one of {known}")


def personal_chat_id(user: MockUser) -> str:
    return f"personal-{user.key}"


def playground_config(current: str = "anna") -> dict[str, Any]:
    """The Playground's mock tenant (schema 0.1.1): SKIS people, a group chat and the network's team."""
    me = mock_user(current)
    return {
        "version": "0.1.1",
        "tenantId": TENANT_ID,
        "bot": {"id": BOT_ID, "name": BOT_NAME},
        "currentUser": me.config_entry(),
        "users": [u.config_entry() for u in MOCK_USERS if u != me],
        # One personal chat per person, so switching people does not mix their 1:1 chats up.
        "personalChat": {"id": personal_chat_id(me)},
        "groupChat": {"id": GROUP_CHAT_ID, "name": GROUP_CHAT_NAME},
        "team": {
            "id": TEAM_ID,
            "name": TEAM_NAME,
            "aadGroupId": "5c15b0d0-0000-4000-8000-000000000300",
            "channels": [{"id": "channel-skis-moten", "name": "Möten"}],
        },
    }


def team_install_activity(installer: str, service_url: str, locale: str, at: datetime) -> dict[str, Any]:
    """The mock network's people added to its team, as Teams announces it, sent by ``installer``.

    The Playground installs the bot in a conversation only when it is first opened, and a 1:1
    chat works on the person's network (it founds none of its own): so the stack makes the team
    known at start, and the personal chat the page opens first has a network to work on. It is
    the people joining, not the bot: the bot registers the team (``installer`` as its first chair)
    and reads its members without a word, and greets the team when **General** is first opened
    (the Playground shows only what is posted to a conversation once the page has it open)."""
    me = mock_user(installer)
    return {
        "type": "conversationUpdate",
        "id": f"devrun-install-{int(at.timestamp())}",
        "timestamp": at.astimezone(UTC).isoformat(),
        "channelId": "msteams",
        "serviceUrl": service_url,
        "locale": locale,
        "from": me.account(),
        "recipient": {"id": BOT_ID, "name": BOT_NAME},
        "conversation": {"id": TEAM_ID, "conversationType": "channel", "isGroup": True, "tenantId": TENANT_ID},
        "membersAdded": [user.account() for user in MOCK_USERS],
        "channelData": {
            "eventType": "teamMemberAdded",
            # The Playground's General channel has the team's id, as in Teams.
            "team": {"id": TEAM_ID, "name": TEAM_NAME, "aadGroupId": "5c15b0d0-0000-4000-8000-000000000300"},
            "channel": {"id": TEAM_ID},
            "tenant": {"id": TENANT_ID},
        },
    }


def install_in_team(bot_url: str, service_url: str, installer: str, locale: str, timeout: float = 30.0) -> None:
    """Make the mock team known to the bot (``team_install_activity``); on a data directory where it
    is known already, nothing changes."""
    body = json.dumps(team_install_activity(installer, service_url, locale, datetime.now(UTC))).encode()
    request = urllib.request.Request(bot_url, data=body, headers={"Content-Type": "application/json"}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            if response.status // 100 == 2:
                return
            status = str(response.status)
    except (urllib.error.URLError, OSError) as exc:
        status = type(exc).__name__
    raise DevRunError(f"the bot did not take the team's members ({status}); see the bot's log")


def initial_roles_default() -> str:
    """``SKIS_INITIAL_ROLES`` for the mock network: Sofia keeps the minutes. (Whoever installs the
    bot becomes chair and presidium by the bot's own rules.)"""
    return f"{mock_user(SECRETARY).aad_object_id}:sekreterare"


# The dev clock ---------------------------------------------------------------------------------
CLOCK_FILE = "dev-clock.json"  # in the bot's data directory, so it outlives a restart like the data


def clock_file(data_dir: Path) -> Path:
    """Where the dev clock of the bot using ``data_dir`` is kept."""
    return Path(data_dir) / CLOCK_FILE


class DevClock:
    """The bot's clock in dev mode: system time shifted by the offset stored in ``path`` (none: no shift).

    The file is read again whenever it changes, so ``set_clock`` moves a running bot's time.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._seen: tuple[int, int] | None = None
        self._offset = timedelta(0)

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset()

    def offset(self) -> timedelta:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            self._seen, self._offset = None, timedelta(0)
            return self._offset
        stamp = (stat.st_mtime_ns, stat.st_size)
        if stamp != self._seen:
            try:
                seconds = float(json.loads(self.path.read_text(encoding="utf-8"))["offset_seconds"])
            except (OSError, ValueError, KeyError, TypeError):
                seconds = self._offset.total_seconds()  # half written: keep the last good value
            else:
                self._seen = stamp
            self._offset = timedelta(seconds=seconds)
        return self._offset


def set_clock(data_dir: Path, at: datetime | None) -> None:
    """Make the dev clock of the bot using ``data_dir`` say ``at`` now (and run on); None: system time."""
    path = clock_file(data_dir)
    if at is None:
        path.unlink(missing_ok=True)
        return
    if at.tzinfo is None:
        raise ValueError("the dev clock needs an aware datetime")
    path.parent.mkdir(parents=True, exist_ok=True)
    offset = (at - datetime.now(UTC)).total_seconds()
    tmp = path.with_name(f".{CLOCK_FILE}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"offset_seconds": offset, "set_to": at.astimezone(UTC).isoformat()}), encoding="utf-8")
    os.replace(tmp, path)  # the bot never reads half a file


def clock_now(data_dir: Path) -> datetime:
    """What the dev clock of the bot using ``data_dir`` says now."""
    return DevClock(clock_file(data_dir)).now()


# The locale proxy ----------------------------------------------------------------------------
_HOP_BY_HOP = frozenset(
    {"host", "content-length", "connection", "keep-alive", "transfer-encoding", "upgrade", "te", "trailer",
     "proxy-authorization", "proxy-authenticate"}
)


def set_locale(body: bytes, locale: str) -> bytes:
    """``body`` (an activity as JSON) with its locale fields set to ``locale``; other bodies unchanged."""
    try:
        activity = json.loads(body)
    except ValueError:
        return body
    if not isinstance(activity, dict):
        return body
    changed = False
    if "locale" in activity:
        activity["locale"] = locale
        changed = True
    for entity in activity.get("entities") or []:
        if isinstance(entity, dict) and entity.get("type") == "clientInfo" and "locale" in entity:
            entity["locale"] = locale
            changed = True
    return json.dumps(activity, ensure_ascii=False).encode("utf-8") if changed else body


def run_locale_proxy(listen_port: int, target: str, locale: str) -> None:
    """Serve on 127.0.0.1:``listen_port``, forwarding every request to ``target`` (scheme://host:port)."""
    import aiohttp
    from aiohttp import web

    target = target.rstrip("/")

    async def forward(request: web.Request) -> web.Response:
        body = await request.read()
        if body and request.content_type == "application/json":
            body = set_locale(body, locale)
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP_BY_HOP}
        session: aiohttp.ClientSession = request.app["session"]
        async with session.request(request.method, target + request.rel_url.path_qs, data=body,
                                   headers=headers, allow_redirects=False) as upstream:
            payload = await upstream.read()
            reply_headers = {}
            if "Content-Type" in upstream.headers:
                reply_headers["Content-Type"] = upstream.headers["Content-Type"]
            return web.Response(status=upstream.status, body=payload, headers=reply_headers)

    async def open_session(app: web.Application) -> None:
        app["session"] = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120))

    async def close_session(app: web.Application) -> None:
        await app["session"].close()

    app = web.Application(client_max_size=4 * 1024 * 1024)
    app.on_startup.append(open_session)
    app.on_cleanup.append(close_session)
    app.router.add_route("*", "/{tail:.*}", forward)
    web.run_app(app, host=LOOPBACK, port=listen_port, print=None, access_log=None)


# Keeps the Playground on this machine: 0.2.28 calls server.listen(port) without a host, which
# listens on every interface.
_LOOPBACK_PRELOAD = """\
const net = require("net");
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === "number") {
    if (args.length > 1 && (args[1] === undefined || args[1] === null)) args[1] = "127.0.0.1";
    else if (typeof args[1] !== "string") args.splice(1, 0, "127.0.0.1");
  }
  return listen.apply(this, args);
};
"""


# Starting and stopping the stack ------------------------------------------------------------
def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def port_is_free(port: int) -> bool:
    """Whether 127.0.0.1:``port`` can be listened on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((LOOPBACK, port))
        except OSError:
            return False
        return True


def playground_cli(root: Path = ROOT) -> Path:
    """The installed Playground's entry script; DevRunError if ``npm ci`` has not run."""
    cli = root / PLAYGROUND_CLI
    if not cli.is_file():
        raise DevRunError(f"the Agents Playground is not installed ({cli} is missing): run `npm ci` (make run does)")
    return cli


def node_executable() -> str:
    node = shutil.which("node")
    if node is None:
        raise DevRunError("Node.js is not installed: the Agents Playground needs `node` (Debian: apt-get install nodejs npm)")
    return node


def bot_command(port: int, data_dir: Path) -> list[str]:
    """``skis-bot serve`` (through ``python -m bot.dev.devrun serve``, which gives it the dev clock)."""
    return [sys.executable, "-m", "bot.dev.devrun", "serve", "--host", LOOPBACK, "--port", str(port),
            "--clock-file", str(clock_file(data_dir))]


def bot_env(data_dir: Path, base: dict[str, str] | None = None, *, initial_roles: str | None = None) -> dict[str, str]:
    """The environment for the bot in dev mode: no app id (so no credentials are used), data in ``data_dir``.

    ``initial_roles`` replaces ``SKIS_INITIAL_ROLES`` ("" for none); by default the developer's own
    setting is kept, else Sofia is the secretary."""
    env = dict(os.environ if base is None else base)
    for name in ("MicrosoftAppPassword", "MicrosoftAppTenantId", "MicrosoftAppType"):
        env.pop(name, None)
    env.update({"SKIS_DEV": "1", "MicrosoftAppId": "", "SKIS_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1"})
    if initial_roles is not None:
        env["SKIS_INITIAL_ROLES"] = initial_roles
    env.setdefault("SKIS_INITIAL_ROLES", initial_roles_default())
    return env


def proxy_command(listen_port: int, bot_port: int, locale: str) -> list[str]:
    return [sys.executable, "-m", "bot.dev.devrun", "proxy", "--listen", str(listen_port),
            "--target", f"http://{LOOPBACK}:{bot_port}", "--locale", locale]


def playground_command(node: str, cli: Path, preload: Path, endpoint: str, port: int) -> list[str]:
    """The Playground pointed at ``endpoint`` as a Teams client; port 0 picks a free one."""
    return [node, "--require", str(preload), str(cli), "--app-endpoint", endpoint, "--channel-id", "msteams",
            "--port", str(port), "--disable-telemetry"]


def playground_env(workdir: Path, config: Path, base: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ if base is None else base)
    env.update({
        "TEAMSAPPTESTER_BROWSER": "none",  # never open a browser window itself
        "M365_AGENTS_PLAYGROUND_CONFIG_PATH": str(config),
        "M365_AGENTS_PLAYGROUND_LOGFILE": str(workdir / "playground.log"),
        "M365_AGENTS_PLAYGROUND_RECORDING_FILE": str(workdir / "playground-events.log"),
    })
    return env


def _die_with_parent() -> Callable[[], None] | None:
    """A pre-exec hook that makes a child get SIGTERM when the supervisor dies, even by SIGKILL."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    # Looked up here, in the parent: the hook runs between fork and exec, where importing is unsafe.
    prctl = ctypes.CDLL(None, use_errno=True).prctl
    pr_set_pdeathsig = 1

    def hook() -> None:
        prctl(pr_set_pdeathsig, int(signal.SIGTERM))

    return hook


@dataclass
class Child:
    name: str
    process: subprocess.Popen[bytes]
    log: Path | None = None

    def exited(self) -> int | None:
        return self.process.poll()


@dataclass
class DevStack:
    """The bot, the locale proxy and the Playground; ``start()`` returns once a person can chat."""

    workdir: Path
    data_dir: Path
    bot_port: int = DEFAULT_BOT_PORT
    playground_port: int = DEFAULT_PLAYGROUND_PORT  # 0: any free port
    locale: str = DEFAULT_LOCALE
    current_user: str = "anna"
    config: Path | None = None  # the Playground's config file; default: playground_config(current_user)
    log_dir: Path | None = None  # None: the bot and proxy write to this terminal
    root: Path = ROOT
    clock_at: datetime | None = None  # set the dev clock to this before the bot starts (None: leave it)
    initial_roles: str | None = None  # SKIS_INITIAL_ROLES for the bot (None: see bot_env)
    children: list[Child] = field(default_factory=list)
    playground_url: str = ""
    cancel: threading.Event = field(default_factory=threading.Event)  # set to give up starting
    _endpoint: str = ""

    @property
    def bot_url(self) -> str:
        return f"http://{LOOPBACK}:{self.bot_port}/api/messages"

    def start(self, timeout: float = 60.0) -> None:
        """Start the three processes in order, each once the one before answers; DevRunError on failure."""
        if not port_is_free(self.bot_port):
            # Otherwise another service on the port could answer the health check for our bot.
            raise DevRunError(f"port {self.bot_port} is already in use (another bot?): stop it, or choose --port")
        node_executable(), playground_cli(self.root)  # say what is missing before anything starts
        self.workdir.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + timeout
        try:
            if self.clock_at is not None:
                set_clock(self.data_dir, self.clock_at)
            bot = self._spawn("bot", bot_command(self.bot_port, self.data_dir),
                              bot_env(self.data_dir, initial_roles=self.initial_roles))
            _wait_http(f"http://{LOOPBACK}:{self.bot_port}/healthz", bot, deadline, self.cancel)
            proxy_port = free_port()
            proxy = self._spawn("proxy", proxy_command(proxy_port, self.bot_port, self.locale), dict(os.environ))
            _wait_http(f"http://{LOOPBACK}:{proxy_port}/healthz", proxy, deadline, self.cancel)
            self._endpoint = f"http://{LOOPBACK}:{proxy_port}/api/messages"
            self._start_playground(self.playground_port, deadline)
            if self.config is None:
                # The SKIS mock network: its team is known before anyone opens a chat.
                install_in_team(self.bot_url, f"{self.playground_url}/_connector", self.current_user, self.locale,
                                timeout=max(1.0, deadline - time.monotonic()))
        except BaseException:
            self.stop()
            raise

    def switch_person(self, person: str, timeout: float = 60.0) -> None:
        """Restart only the Playground, as ``person``, on the same address; the bot and its data stay.

        The Playground (0.2.28) reads its current user once, from its config file, and has no switch
        in the page; so this is "signing in as someone else". Conversations shown in the page start
        empty again, but the bot remembers everything, and the proactive messages it sends later
        still reach the same address."""
        if self.config is not None:
            raise DevRunError("switching people needs the SKIS mock network, not your own --playground-config")
        me = mock_user(person)
        old = next((c for c in self.children if c.name == "playground"), None)
        if old is None or not self._endpoint:
            raise DevRunError("the stack is not running")
        port = int(self.playground_url.rsplit(":", 1)[1])
        _stop_children([old], grace=5.0)
        self.children.remove(old)
        self.current_user = me.key
        self._start_playground(port, time.monotonic() + timeout)

    def _start_playground(self, port: int, deadline: float) -> None:
        config = self.config or self._write_config()
        preload = self.workdir / "loopback.cjs"
        preload.write_text(_LOOPBACK_PRELOAD, encoding="utf-8")
        command = playground_command(node_executable(), playground_cli(self.root), preload, self._endpoint, port)
        port = self._spawn_playground(command, playground_env(self.workdir, config), deadline)
        self.playground_url = f"http://localhost:{port}"
        _wait_http(f"http://{LOOPBACK}:{port}/_debug/ping", self.children[-1], deadline, self.cancel)

    def _write_config(self) -> Path:
        path = self.workdir / ".m365agentsplayground.yml"
        # YAML is a superset of JSON, so the Playground reads this as it is.
        path.write_text(json.dumps(playground_config(self.current_user), ensure_ascii=False, indent=2), encoding="utf-8")
        return path

    def _spawn(self, name: str, command: Sequence[str], env: dict[str, str]) -> Child:
        log = self.log_dir / f"{name}.log" if self.log_dir else None
        out: IO[bytes] | None = None
        if log is not None:
            log.parent.mkdir(parents=True, exist_ok=True)
            out = log.open("ab")
        try:
            process = subprocess.Popen(list(command), cwd=self.root, env=env, stdin=subprocess.DEVNULL,
                                       stdout=out, stderr=subprocess.STDOUT if out else None,
                                       start_new_session=True, preexec_fn=_die_with_parent())
        finally:
            if out is not None:
                out.close()
        child = Child(name, process, log)
        self.children.append(child)
        return child

    def _spawn_playground(self, command: Sequence[str], env: dict[str, str], deadline: float) -> int:
        log = (self.log_dir or self.workdir) / "playground-console.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        process = subprocess.Popen(list(command), cwd=self.workdir, env=env, stdin=subprocess.DEVNULL,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
                                   preexec_fn=_die_with_parent())
        child = Child("playground", process, log)
        self.children.append(child)
        found = threading.Event()
        port: list[int] = []

        def on_line(line: str) -> None:
            match = _LISTENING.search(line)
            if match and not port:
                port.append(int(match.group(1)))
                found.set()

        # The pipe is read until the Playground exits, so its output can never fill up and block it.
        threading.Thread(target=_pump, args=(process.stdout, log, on_line), daemon=True).start()
        while not found.wait(0.1):
            if self.cancel.is_set():
                raise DevRunError("stopped while starting")
            if process.poll() is not None:
                raise DevRunError(f"the Playground exited with code {process.returncode} while starting; see {log}")
            if time.monotonic() > deadline:
                raise DevRunError(f"the Playground did not say which port it listens on; see {log}")
        return port[0]

    def dead(self) -> Child | None:
        """The first child that has exited, if any."""
        return next((c for c in self.children if c.exited() is not None), None)

    def stop(self, grace: float = 5.0) -> None:
        """Ask every child to stop, then kill whatever is still running after ``grace`` seconds."""
        _stop_children(self.children, grace)


def _signal_children(children: list[Child], signum: int) -> None:
    for child in children:
        if child.exited() is None:
            try:
                os.killpg(child.process.pid, signum)
            except ProcessLookupError:
                pass


def _stop_children(children: list[Child], grace: float) -> None:
    _signal_children(children, signal.SIGTERM)
    end = time.monotonic() + grace
    for child in children:
        try:
            child.process.wait(max(0.0, end - time.monotonic()))
        except subprocess.TimeoutExpired:
            pass
    _signal_children(children, signal.SIGKILL)
    for child in children:
        child.process.wait()


def _pump(stream: IO[bytes] | None, log: Path, on_line: Callable[[str], None]) -> None:
    if stream is None:
        return
    with stream, log.open("ab") as sink:
        for raw in iter(stream.readline, b""):
            sink.write(raw)
            sink.flush()
            on_line(raw.decode("utf-8", "replace"))


def _wait_http(url: str, child: Child, deadline: float, cancel: threading.Event) -> None:
    """Poll ``url`` until it answers 200; DevRunError if ``child`` exits, time runs out or ``cancel`` is set."""
    while True:
        if cancel.is_set():
            raise DevRunError("stopped while starting")
        code = child.exited()
        if code is not None:
            where = f"; see {child.log}" if child.log else ""
            raise DevRunError(f"the {child.name} exited with code {code} while starting{where}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        if time.monotonic() > deadline:
            raise DevRunError(f"the {child.name} did not answer at {url} in time")
        time.sleep(0.2)


# The supervisor ------------------------------------------------------------------------------
def supervise(stack: DevStack, out: IO[str] = sys.stdout, console: IO[str] | None = None) -> int:
    """Start ``stack``, print where to chat, and run until Ctrl-C/SIGTERM (0) or a child dies (1).

    Lines typed in ``console`` (the terminal, when it is one) are commands: a person's name makes
    the Playground that person, ``clock …`` shows or moves the bot's clock (see ``console_command``)."""
    stopping: list[int] = []

    def on_signal(signum: int, _frame: object) -> None:
        stopping.append(signum)
        stack.cancel.set()

    if console is None and sys.stdin is not None and sys.stdin.isatty():
        console = sys.stdin
    lines: queue.Queue[str] = queue.Queue()
    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        try:
            stack.start()
        except DevRunError as exc:
            if stopping:
                return 0
            sys.stderr.write(f"devrun: {exc}\n")
            return 1
        if not stopping:
            out.write(
                f"\nThe bot answers at {stack.bot_url} (dev mode, data in {stack.data_dir}).\n"
                f"Chat with it here: {stack.playground_url}\n"
                f"You are {mock_user(stack.current_user).name}; the Playground sends locale {stack.locale}.\n"
                + (_CONSOLE_HELP if console is not None else "")
                + "Press Ctrl-C to stop both.\n\n"
            )
            out.flush()
        if console is not None:
            threading.Thread(target=_read_lines, args=(console, lines), daemon=True).start()
        while not stopping:
            child = stack.dead()
            if child is not None:
                where = f" (log: {child.log})" if child.log else ""
                sys.stderr.write(f"devrun: the {child.name} exited with code {child.process.returncode}{where}; "
                                 "stopping everything\n")
                return 1
            try:
                line = lines.get(timeout=0.2)
            except queue.Empty:
                continue
            console_command(stack, line, out)
        return 0
    finally:
        stack.stop()
        for signum, handler in previous.items():
            signal.signal(signum, handler)


_CONSOLE_HELP = (
    "Type here, then Enter: a first name (Peter, Sofia, …) to be that person (then reload the page);\n"
    "`clock 2026-11-20T09:05` to move the bot's clock, `clock now` to put it back, `clock` to see it.\n"
)


def _read_lines(stream: IO[str], lines: queue.Queue[str]) -> None:
    for line in stream:
        lines.put(line)


def console_command(stack: DevStack, line: str, out: IO[str]) -> None:
    """One line typed in ``make run``'s terminal: a person's name, or ``clock [when|now]``."""
    words = line.split()
    if not words:
        return
    if words[0].lower() in ("clock", "klocka", "klockan"):
        _clock_main([*words[1:], "--data-dir", str(stack.data_dir)], out)
        out.flush()
        return
    try:
        person = mock_user(" ".join(words))
    except DevRunError as exc:
        out.write(f"{exc}; or type `clock` and a time.\n")
        out.flush()
        return
    out.write(f"Restarting the Playground as {person.name} …\n")
    out.flush()
    try:
        stack.switch_person(person.key)
    except DevRunError as exc:
        out.write(f"devrun: {exc}\n")
    else:
        out.write(f"You are {person.name}. Reload {stack.playground_url} in your browser.\n")
    out.flush()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot.dev.devrun",
                                     description="Run the bot locally with the Microsoft 365 Agents Playground.")
    parser.add_argument("--port", type=int, default=DEFAULT_BOT_PORT, help="the bot's port (default 3978)")
    parser.add_argument("--playground-port", type=int, default=DEFAULT_PLAYGROUND_PORT,
                        help="the Playground's port (default 56150; 0 or a busy port: any free one)")
    parser.add_argument("--data-dir", type=Path, default=None, help="the bot's data (default $SKIS_DATA_DIR or ./data)")
    parser.add_argument("--as", dest="current_user", default="anna",
                        help="who you are in the Playground: " + ", ".join(u.given_name for u in MOCK_USERS))
    parser.add_argument("--locale", default=DEFAULT_LOCALE, help="the locale activities carry (default sv-SE)")
    parser.add_argument("--playground-config", type=Path, default=None,
                        help="your own .m365agentsplayground.yml instead of the SKIS mock network")
    return parser


def _proxy_main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.dev.devrun proxy")
    parser.add_argument("--listen", type=int, required=True)
    parser.add_argument("--target", required=True)
    parser.add_argument("--locale", default=DEFAULT_LOCALE)
    args = parser.parse_args(argv)
    run_locale_proxy(args.listen, args.target, args.locale)
    return 0


def _serve_main(argv: Sequence[str]) -> int:
    """``skis-bot serve`` with the dev clock (the bot child of the stack)."""
    parser = argparse.ArgumentParser(prog="python -m bot.dev.devrun serve")
    parser.add_argument("--clock-file", type=Path, required=True)
    args, rest = parser.parse_known_args(argv)
    # Imported here for start-up economy: only the bot child needs the whole command line.
    from bot.cli import build_parser, setup_logging

    setup_logging()
    serve_args = build_parser().parse_args(["serve", *rest])
    serve_args.clock = DevClock(args.clock_file)
    return int(serve_args.func(serve_args) or 0)


def _timezone() -> ZoneInfo:
    return ZoneInfo(os.environ.get("SKIS_TIMEZONE") or "Europe/Stockholm")


def parse_when(text: str, tz: ZoneInfo) -> datetime:
    """``2026-11-20T09:05`` (wall-clock time in ``tz``) or with an offset; ValueError if neither."""
    value = datetime.fromisoformat(text.strip().replace(" ", "T").replace("Z", "+00:00"))
    return value.replace(tzinfo=tz) if value.tzinfo is None else value


def _clock_main(argv: Sequence[str], out: IO[str] = sys.stdout) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot.dev.devrun clock",
        description="Show or move the dev-mode bot's clock (make run). It runs on from the time you set.")
    parser.add_argument("when", nargs="?",
                        help="e.g. 2026-11-20T09:05 (network time unless it has an offset), or `now` for the real time")
    parser.add_argument("--data-dir", type=Path, default=None, help="the bot's data (default $SKIS_DATA_DIR or ./data)")
    args = parser.parse_args(argv)
    data_dir = args.data_dir or Path(os.environ.get("SKIS_DATA_DIR") or "./data")
    tz = _timezone()
    if args.when is not None:
        if args.when.strip().lower() in ("now", "nu", "real"):
            set_clock(data_dir, None)
        else:
            try:
                set_clock(data_dir, parse_when(args.when, tz))
            except ValueError:
                sys.stderr.write(f"devrun: give a date and time such as 2026-11-20T09:05, or `now`; not {args.when!r}\n")
                return 2
    moved = clock_file(data_dir).exists()
    shown = clock_now(data_dir).astimezone(tz).strftime("%A %Y-%m-%d %H:%M")
    out.write(f"The bot's clock says {shown} ({tz})" + (", moved; `clock now` puts it back.\n" if moved else ", the real time.\n"))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["proxy"]:
        return _proxy_main(argv[1:])
    if argv[:1] == ["serve"]:
        return _serve_main(argv[1:])
    if argv[:1] == ["clock"]:
        return _clock_main(argv[1:])
    args = build_parser().parse_args(argv)
    try:
        mock_user(args.current_user)
    except DevRunError as exc:
        sys.stderr.write(f"devrun: {exc}\n")
        return 2
    data_dir = args.data_dir or Path(os.environ.get("SKIS_DATA_DIR") or "./data")
    with tempfile.TemporaryDirectory(prefix="skis-devrun-") as workdir:
        stack = DevStack(workdir=Path(workdir), data_dir=data_dir.resolve(), bot_port=args.port,
                         playground_port=args.playground_port, locale=args.locale, current_user=args.current_user,
                         config=args.playground_config.resolve() if args.playground_config else None)
        return supervise(stack)


if __name__ == "__main__":
    raise SystemExit(main())
