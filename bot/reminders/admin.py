"""The local admin route: operator commands ask the running service instead of racing it.

``skis-bot reminders run|list`` cannot open the data directory while the service holds its lock,
and must not send reminders behind its back. So the service answers, on loopback only:

- ``POST /admin/reminders/run`` with ``{"at": "<ISO datetime>", "team": "<key>"|null}``: runs
  exactly what the scheduler would at that instant; answers the run report.
- ``GET /admin/reminders?team=<key>&at=<ISO>``: what is scheduled and what was sent.

Both need ``Authorization: Bearer <token>``: ``SKIS_ADMIN_TOKEN`` if set, otherwise a random token
the service writes at start-up to ``<data_dir>/admin.token`` (mode 0600, readable only by the
account that runs the service) and deletes when it stops. Requests from any peer other than
127.0.0.1/::1, or carrying proxy headers (a reverse proxy on the same host would make remote
callers look local), are refused.
"""

from __future__ import annotations

import contextlib
import hmac
import ipaddress
import logging
import os
import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from aiohttp import web

from bot.services import Services

log = logging.getLogger(__name__)

TOKEN_FILE = "admin.token"
RUN_PATH = "/admin/reminders/run"
LIST_PATH = "/admin/reminders"
PROXY_HEADERS = ("Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Real-IP")


def token_path(data_dir: Path) -> Path:
    return Path(data_dir) / TOKEN_FILE


def ensure_token(configured: str, data_dir: Path | None) -> tuple[str, Path | None]:
    """The admin token: the configured one, else a fresh random one written 0600 to the data dir."""
    if configured:
        return configured, None
    token = secrets.token_urlsafe(32)
    if data_dir is None:
        return token, None
    path = token_path(data_dir)
    tmp = path.with_name(f".{TOKEN_FILE}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)  # whatever the umask or an earlier file said
        os.write(fd, token.encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    return token, path


def remove_token(path: Path | None) -> None:
    if path is not None:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def read_token(configured: str, data_dir: Path) -> str | None:
    """What a local operator command presents: the configured token, else the service's file."""
    if configured:
        return configured
    try:
        return token_path(data_dir).read_text(encoding="ascii").strip() or None
    except OSError:
        return None


# How far from now an operator may run or look at reminders; beyond it (year 1, year 9999) the
# date arithmetic of the scheduler would overflow, and no meeting lies there.
MAX_AT_DISTANCE = timedelta(days=100 * 366)


def parse_at(text: object, tz: ZoneInfo, default: datetime) -> datetime:
    """An ISO datetime; without an offset it is wall-clock time in ``tz``. Raises ValueError."""
    if text is None or text == "":
        return default
    if not isinstance(text, str):
        raise ValueError("at must be an ISO date and time in a string, such as 2026-12-04T08:00")
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
        if value.tzinfo is None:
            value = value.replace(tzinfo=tz)
        value = value.astimezone(UTC)
    except OverflowError:
        raise ValueError(f"at {text[:40]!r} is out of range") from None
    if abs(value - default) > MAX_AT_DISTANCE:
        raise ValueError(f"at {text[:40]!r} is more than 100 years from now")
    return value


def _refusal(request: web.Request, token: str) -> web.Response | None:
    peer = request.transport.get_extra_info("peername") if request.transport else None
    host = peer[0] if isinstance(peer, tuple) and peer else None
    try:
        loopback = host is not None and ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        loopback = False
    if not loopback or any(h in request.headers for h in PROXY_HEADERS):
        log.warning("refused an admin request from %s", host)
        return web.json_response({"error": "admin routes answer on loopback only"}, status=403)
    given = request.headers.get("Authorization", "")
    if not token or not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return web.json_response({"error": "unauthorized"}, status=401)
    return None


def routes(services: Services) -> list[web.RouteDef]:
    """The admin routes; they answer 503 until the reminders feature has started."""

    async def run(request: web.Request) -> web.Response:
        service = services.reminders
        if service is None:
            return web.json_response({"error": "reminders are not running"}, status=503)
        refused = _refusal(request, service.admin_token)
        if refused is not None:
            return refused
        try:
            body = await request.json() if request.can_read_body else {}
            if not isinstance(body, dict):
                raise ValueError("body must be an object")
            at = parse_at(body.get("at"), services.settings.timezone, services.clock.now())
            team = body.get("team")
            if team is not None and not isinstance(team, str):
                raise ValueError("team must be a string")
        except ValueError as exc:
            return web.json_response({"error": f"bad request: {exc}"}, status=400)
        report = await service.runner.run_due(at, team_key=team)
        await service.scheduler.reschedule()
        return web.json_response(report.to_dict())

    async def overview(request: web.Request) -> web.Response:
        service = services.reminders
        if service is None:
            return web.json_response({"error": "reminders are not running"}, status=503)
        refused = _refusal(request, service.admin_token)
        if refused is not None:
            return refused
        try:
            at = parse_at(request.query.get("at"), services.settings.timezone, services.clock.now())
        except ValueError as exc:
            return web.json_response({"error": f"bad request: {exc}"}, status=400)
        data = await service.runner.overview(at, request.query.get("team") or None)
        wake = service.scheduler.next_wake
        data["next_wake"] = wake.isoformat() if wake else None
        data["service"] = True
        return web.json_response(data)

    return [web.post(RUN_PATH, run), web.get(LIST_PATH, overview)]
