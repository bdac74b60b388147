"""The HTTP surface: ``POST /api/messages`` for Teams, ``GET /healthz`` for operators.

Everything a caller can get wrong is answered with a 4xx before the bot sees it:
wrong content type (415), a body too large (413), a body that cannot be decoded as its
Content-Encoding says or JSON that is not one activity object (400), an unknown activity type
(400), a missing or invalid token (401), and only then a channel other than Teams, a tenant that
is not allowed or a network installed from another tenant (403). Refusals are logged at most
once a minute per kind. The SDK's ``CloudAdapter.process`` is not used because it answers 500
to invoke responses that carry a body; this handler writes invoke responses itself.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
from datetime import datetime, timedelta
from typing import Any

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError
from botbuilder.core import InvokeResponse
from botbuilder.schema import Activity

from bot import __version__
from bot.teams.adapter import SkisAuthentication
from bot.teams.dedup import RecentActivities
from bot.teams.install import foreign_tenant
from storage.engine import StorageError

log = logging.getLogger(__name__)

KNOWN_TYPES = frozenset(
    {
        "message",
        "conversationUpdate",
        "invoke",
        "installationUpdate",
        "messageReaction",
        "messageUpdate",
        "messageDelete",
        "event",
        "typing",
        "endOfConversation",
    }
)
TEAMS_CHANNEL = "msteams"
# Activities that must say where they come from and where to answer.
NEEDS_CONVERSATION = frozenset({"message", "conversationUpdate", "invoke", "installationUpdate"})


# A JSON escape of a UTF-16 surrogate; valid pairs decode to one character, lone ones stay.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


CLAIM_TTL = timedelta(minutes=2)


def _error(status: int, reason: str) -> web.Response:
    return web.json_response({"error": reason}, status=status)


class MessagesHandler:
    def __init__(self, app_services: Any, adapter: Any, bot: Any) -> None:
        self.services = app_services
        self.adapter = adapter
        self.bot = bot
        self.recent = RecentActivities()
        self.refusals = RateLimitedLog(log, app_services.clock)
        auth = getattr(adapter, "bot_framework_authentication", None)
        if isinstance(auth, SkisAuthentication):
            auth.clock = app_services.clock  # times the signing key refreshes

    async def post(self, request: web.Request) -> web.Response:
        if request.content_type != "application/json":
            return _error(415, "Content-Type must be application/json")
        try:
            raw = await request.read()
        except web.HTTPRequestEntityTooLarge:
            return _error(413, "request body too large")
        except (web.RequestPayloadError, HttpProcessingError) as exc:
            # aiohttp decodes Content-Encoding while reading; a body that is not what its header
            # says is the caller's mistake: one line in the log, no traceback, no token check.
            log.warning("refused a body that could not be decoded (Content-Encoding %r): %s",
                        request.headers.get("Content-Encoding", "")[:40], type(exc).__name__)
            # The rest of the body cannot be read either: mark it ended so aiohttp does not try
            # again after this answer (and log the same failure a second time, as an ERROR), and
            # close the connection, whose framing is no longer trustworthy.
            request.content.feed_eof()
            response = _error(400, "body could not be decoded as its Content-Encoding says")
            response.force_close()
            return response
        try:
            body = json.loads(raw)
            if _SURROGATE_ESCAPE.search(raw):
                # Half an emoji (a lone surrogate) cannot be stored or sent as UTF-8; keep the rest
                # of the text and mark the broken character, as UTF-8 decoders do with broken bytes.
                body = _replace_lone_surrogates(body)
        except (ValueError, UnicodeDecodeError):
            return _error(400, "body is not valid JSON")
        except RecursionError:
            return _error(400, "body is nested too deeply")
        problem = _check_shape(body)
        if problem:
            return _error(400, problem)
        try:
            activity = Activity().deserialize(body)
        except Exception:  # the SDK's deserializer raises many kinds of errors on odd input
            return _error(400, "body is not a Bot Framework activity")

        settings = self.services.settings
        # Authentication first: whoever has no valid token learns nothing from a 403 about which
        # tenants or channels this bot serves.
        auth_header = request.headers.get("Authorization", "")
        try:
            auth = await self.adapter.bot_framework_authentication.authenticate_request(activity, auth_header)
        except PermissionError as exc:
            self.refusals.warn("token", "refused a request: %s", type(exc).__name__)
            return _error(401, "unauthorized")
        except Exception as exc:  # malformed tokens make the JWT libraries raise anything
            self.refusals.warn("token", "refused a request with a bad token: %s", type(exc).__name__)
            return _error(401, "unauthorized")

        if settings.auth_enabled and activity.channel_id != TEAMS_CHANNEL:
            # The keys may endorse other channels (Web Chat, Direct Line); this bot speaks Teams only.
            self.refusals.warn("channel", "refused an activity from channel %r", str(activity.channel_id)[:40])
            return _error(403, "channel not supported")
        if settings.allowed_tenants and activity.type in NEEDS_CONVERSATION:
            tenants = _tenant_ids(activity)
            if not tenants or not tenants <= settings.allowed_tenants:
                shown = ", ".join(repr(t[:40]) for t in sorted(tenants or ())) or "(none)"
                self.refusals.warn("tenant", "refused an activity from tenant %s", shown)
                return _error(403, "tenant not allowed")
        # One look at each partition for the whole turn, and its first reads in one round trip (on
        # a shared database; see storage/postgres/engine.py).
        engine = self.services.store.engine
        key = f"{activity.conversation.id}|{activity.id}" if activity.id and activity.conversation else None
        with engine.turn_view():
            try:
                # With the delivery's claim (see _process_once) in the same round trip.
                await engine.prefetch(self.bot.first_reads(activity),
                                      claim=("activity", key, CLAIM_TTL) if key is not None else None)
            except StorageError:
                pass  # an outage: the turn's own reads meet it and say so
            return await self._checked_turn(key, auth, activity)

    async def _checked_turn(self, key: str | None, auth: Any, activity: Activity) -> web.Response:
        """The network's tenant checked, the delivery run once, and the HTTP answer Teams expects."""
        try:
            foreign = await foreign_tenant(self.services, activity)  # the global partition, mostly cached
        except StorageError:
            # The database is out of reach: nothing can be read or saved, and the turn says so to
            # the person (an authenticated sender of an allowed tenant) instead of a 500.
            log.warning("could not check the network's tenant: storage is unavailable")
            foreign = False
        if foreign:
            self.refusals.warn("foreign", "refused an activity naming a network of another tenant")
            return _error(403, "tenant not allowed")

        invoke_response: InvokeResponse | None = await self.recent.once(
            key, lambda: self._process_once(key, auth, activity)
        )
        if activity.type == "invoke":
            if invoke_response is None or invoke_response.status >= 500:
                # (The SDK answers 501 for an invoke whose turn set no response, as a failed one.)
                # The turn failed and the error boundary already told the person; the card stays.
                return web.json_response({"statusCode": 200, "type": "application/vnd.microsoft.activity.message",
                                          "value": ""}, status=200)
            return web.json_response(invoke_response.body, status=invoke_response.status)
        return web.Response(status=200)

    async def _process_once(self, key: str | None, auth: Any, activity: Activity) -> InvokeResponse | None:
        """Run the turn unless another instance sharing the records already took this delivery.

        ``RecentActivities`` settles copies that reach this process; the claim settles copies that
        reach another instance behind the same load balancer (Teams re-sends to whichever). The
        claim lasts ``CLAIM_TTL``: long past Teams' own retries, short enough that a delivery cut off
        by a crashed instance can be sent again a little later (the records' own activity ids keep
        that from storing anything twice). A failed turn gives its claim back, so a retry runs.
        """
        engine = self.services.store.engine
        claimed = False
        if key is not None:
            try:
                if not await engine.claim("activity", key, ttl=CLAIM_TTL):
                    log.info("an activity another instance already took was delivered here too; not run again")
                    return None
                claimed = True
            except StorageError:
                # The database is out of reach: the turn runs and tells the person nothing was saved.
                pass
        try:
            return await self.adapter.process_activity(auth, activity, self.bot.on_turn)
        except BaseException:
            if claimed:
                with contextlib.suppress(StorageError):
                    await engine.unclaim("activity", key)
            raise

    async def healthz(self, request: web.Request) -> web.Response:
        storage_ok = False
        try:
            storage_ok = bool(await self.services.store.check())
        except Exception:
            log.exception("storage health check failed")
        status = 200 if storage_ok else 503
        return web.json_response(
            {"status": "ok" if storage_ok else "degraded", "version": __version__, "storage": "ok" if storage_ok else "error"},
            status=status,
        )


class RateLimitedLog:
    """One WARNING per kind of refusal and minute; the next one says how many were not logged.

    Refusals are what an outsider can cause at will: a log line for each would let them fill
    the disk and bury everything else.
    """

    def __init__(self, logger: logging.Logger, clock: Any, interval: timedelta = timedelta(minutes=1)) -> None:
        self._log = logger
        self._clock = clock
        self._interval = interval
        self._last: dict[str, datetime] = {}
        self._quiet: dict[str, int] = {}

    def warn(self, kind: str, msg: str, *args: Any) -> None:
        now = self._clock.now()
        last = self._last.get(kind)
        if last is not None and timedelta(0) <= now - last < self._interval:
            self._quiet[kind] = self._quiet.get(kind, 0) + 1
            return
        self._last[kind] = now
        quiet = self._quiet.pop(kind, 0)
        if quiet and last is not None:
            self._log.warning(msg + " (and %d more like it not logged since %s)", *args, quiet, last.isoformat())
        else:
            self._log.warning(msg, *args)


def _tenant_ids(activity: Activity) -> set[str] | None:
    """Every tenant id the activity names (they agree in real traffic); None if one is malformed."""
    channel_data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    tenant = channel_data.get("tenant")
    if tenant is not None and not isinstance(tenant, dict):
        return None
    conversation = activity.conversation
    # Teams writes "tenantId"; the SDK's model maps "tenantID", so it lands in additional_properties.
    extra = getattr(conversation, "additional_properties", None) or {}
    ids = [(tenant or {}).get("id"), getattr(conversation, "tenant_id", None), extra.get("tenantId")]
    if any(i is not None and not isinstance(i, str) for i in ids):
        return None
    return {i for i in ids if i}


def _replace_lone_surrogates(value: Any) -> Any:
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_replace_lone_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {_replace_lone_surrogates(k): _replace_lone_surrogates(v) for k, v in value.items()}
    return value


def _check_shape(body: Any) -> str | None:
    """Why ``body`` cannot be an activity this bot handles, or None."""
    if not isinstance(body, dict):
        return "body must be a JSON object (one activity)"
    kind = body.get("type")
    if not isinstance(kind, str) or not kind:
        return "activity has no type"
    if kind not in KNOWN_TYPES:
        return f"unsupported activity type {kind[:40]!r}"
    if kind in NEEDS_CONVERSATION:
        conversation = body.get("conversation")
        sender = body.get("from")
        if not isinstance(conversation, dict) or not isinstance(conversation.get("id"), str):
            return "activity has no conversation id"
        if not isinstance(sender, dict) or not isinstance(sender.get("id"), str):
            return "activity has no sender id"
        if not isinstance(body.get("serviceUrl"), str) or not body["serviceUrl"].startswith(("https://", "http://")):
            return "activity has no serviceUrl"
    for field in ("text", "name", "id", "locale"):
        if field in body and body[field] is not None and not isinstance(body[field], str):
            return f"activity field {field} must be a string"
    for field in ("entities", "membersAdded", "membersRemoved", "attachments"):
        if field in body and body[field] is not None and not isinstance(body[field], list):
            return f"activity field {field} must be a list"
    channel_data = body.get("channelData")
    if channel_data is not None and not isinstance(channel_data, dict):
        return "activity field channelData must be an object"
    # The ids the bot keys its records by (the network, the person, the conversation) must be
    # strings; anything else would fail deep inside a turn instead of here. (A malformed tenant
    # is answered by the tenant check, 403.)
    for name, holder in (("channelData.team", (channel_data or {}).get("team")),
                         ("channelData.channel", (channel_data or {}).get("channel")),
                         ("from", body.get("from")), ("recipient", body.get("recipient")),
                         ("conversation", body.get("conversation"))):
        if holder is None:
            continue
        if not isinstance(holder, dict):
            return f"activity field {name} must be an object"
        problem = _string_fields(name, holder)
        if problem:
            return problem
    for field in ("membersAdded", "membersRemoved"):
        for account in body.get(field) or []:
            if not isinstance(account, dict) or not isinstance(account.get("id"), str):
                return f"activity field {field} must list accounts with an id"
            problem = _string_fields(field, account)
            if problem:
                return problem
    for entity in body.get("entities") or []:
        if not isinstance(entity, dict):
            return "activity field entities must list objects"
        if entity.get("type") == "mention":
            mentioned = entity.get("mentioned")
            if entity.get("text") is not None and not isinstance(entity["text"], str):
                return "a mention's text must be a string"
            if mentioned is not None and not isinstance(mentioned, dict):
                return "a mention's mentioned must be an object"
            problem = _string_fields("mentioned", mentioned or {})
            if problem:
                return problem
    return None


def _string_fields(name: str, holder: dict[str, Any]) -> str | None:
    for field in ("id", "name", "aadObjectId", "conversationType", "tenantId"):
        if holder.get(field) is not None and not isinstance(holder[field], str):
            return f"activity field {name}.{field} must be a string"
    return None


class _OneLineForBadRequests(logging.Filter):
    """aiohttp refuses some bad requests before any handler runs (a Content-Encoding it cannot
    decode, such as ``br`` without Brotli; broken HTTP framing) and logs each as an ERROR with a
    traceback. A caller's mistake is not the service's error: one WARNING line instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, HttpProcessingError):
            detail = " ".join(str(exc).split())[:160]
            record.msg, record.args = "%s: %s %s", (record.getMessage(), type(exc).__name__, detail)
            record.exc_info = None
            record.exc_text = None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


_BAD_REQUEST_FILTER = _OneLineForBadRequests()


def add_routes(app: web.Application, handler: MessagesHandler) -> None:
    server_log = logging.getLogger("aiohttp.server")
    if _BAD_REQUEST_FILTER not in server_log.filters:
        server_log.addFilter(_BAD_REQUEST_FILTER)
    app.router.add_post("/api/messages", handler.post)
    app.router.add_get("/healthz", handler.healthz)
