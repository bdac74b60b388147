"""The Bot Framework adapter, configured for this service.

- Authentication uses the SDK's own JWT validation (``ConfigurationBotFrameworkAuthentication``);
  tests can point its key lookup at a local OpenID document.
- Connector clients are reused per service URL, and user token clients per app identity,
  instead of being built on every turn (building one constructs msrest pipeline and
  retry-policy objects, the largest cost of a stock turn; see docs/performance.md).
- Cached connector clients copy plain JSON (cards) as it is rather than through msrest's value
  by value serialisation (``send_plain_json`` in bot/teams/connector_http.py).
- Each turn's context copies an outgoing card with marshal rather than ``copy.deepcopy``
  (``_SkisTurnContext``): the SDK deep-copies every activity it sends, and for a card of 200
  action items that walk cost more than building the card.
- In the service (``create_app``), replies and other connector calls go over one aiohttp
  session (bot/teams/connector_http.py) rather than ``requests`` in a thread pool.
- Outside dev mode, replies go only to allowed Teams service URLs.
- The signing keys that tokens are checked against are fetched off the request path
  (``SigningKeys``): the SDK's own refresh calls ``requests.get`` without a timeout on the event
  loop, so one token naming an unknown key could stall every request.
"""

from __future__ import annotations

import asyncio
import contextvars
import copy
import json
import logging
import marshal
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import aiohttp
from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity, Attachment, CallerIdConstants, ResourceResponse
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import (
    AuthenticateRequestResult,
    AuthenticationConstants,
    BotFrameworkAuthentication,
    ClaimsIdentity,
    ConnectorFactory,
)
from botframework.connector.auth.jwt_token_extractor import JwtTokenExtractor
from jwt.algorithms import RSAAlgorithm

from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.messages import reply_locale, t
from bot.teams.connector_http import AiohttpTransport, send_plain_json
from bot.teams.connector_retry import TurnRetry, status_of
from storage.engine import StorageError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _SdkConfig:
    """The attribute names the SDK's configuration readers look for.

    The endpoint fields stay None (the SDK's public-cloud defaults) unless the OpenID metadata
    URL is overridden; then the SDK wants every endpoint spelled out, so they are filled with
    the public-cloud values.
    """

    APP_ID: str
    APP_PASSWORD: str
    APP_TYPE: str
    APP_TENANTID: str
    TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL: str | None = None
    TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL: str | None = None
    TO_BOT_FROM_CHANNEL_TOKEN_ISSUER: str | None = None
    TO_CHANNEL_FROM_BOT_LOGIN_URL: str | None = None
    TO_CHANNEL_FROM_BOT_OAUTH_SCOPE: str | None = None
    OAUTH_URL: str | None = None
    CALLER_ID: str | None = None


# The Bot Framework issues tokens valid for about an hour; Entra ID access tokens live at most a
# day. A token that claims to be valid for longer was not issued for a turn.
MAX_TOKEN_LIFETIME = timedelta(hours=24)


@dataclass(frozen=True)
class _KeyPolicy:
    clock: Clock
    timeout: float


# Set by SkisAuthentication for the SDK's token check it calls, which looks keys up by URL only.
_KEY_POLICY: contextvars.ContextVar[_KeyPolicy | None] = contextvars.ContextVar("skis_key_policy", default=None)
_DEFAULT_POLICY = _KeyPolicy(SystemClock(), 10.0)


@dataclass(frozen=True)
class SigningKey:
    """What the SDK's token check reads of a key (as its own ``_OpenIdConfig``)."""

    public_key: Any
    endorsements: list[str]


class SigningKeys:
    """The signing keys published at one OpenID metadata URL, fetched off the request path.

    - A request never waits for a refresh while keys are known: a day-old set, or a token
      naming a key not in the set, starts one background fetch (with a timeout) and the request
      is checked against the keys at hand (an unknown key is refused, 401).
    - Only before the first successful fetch does a request wait, for the one fetch all requests
      share, bounded by the timeout; after a failure, requests are refused at once until the
      next attempt is due.
    - A failed fetch keeps the keys it would have replaced.
    """

    REFRESH_AFTER = timedelta(days=1)
    # How often a token naming an unknown key may cause a fetch (keys are published well before
    # they are used, so a rotation is seen by the daily refresh or the first such token).
    UNKNOWN_KEY_RETRY = timedelta(minutes=5)
    FAILED_RETRY = timedelta(seconds=30)

    def __init__(self, url: str) -> None:
        self.url = url
        self.keys: dict[str, dict[str, Any]] = {}
        self.fetched_at: datetime | None = None
        self.attempted_at: datetime | None = None
        self.fetches = 0
        self._parsed: dict[str, SigningKey] = {}
        self._task: asyncio.Task[None] | None = None

    async def get(self, key_id: str | None) -> SigningKey:
        policy = _KEY_POLICY.get() or _DEFAULT_POLICY
        now = policy.clock.now()
        if not self.keys:
            if self.attempted_at is None or not self._recently(self.attempted_at, now, self.FAILED_RETRY) \
                    or self._running():
                await asyncio.shield(self._refresh(policy))
        elif self.fetched_at is None or not self._recently(self.fetched_at, now, self.REFRESH_AFTER):
            self._refresh(policy)
        key = self._find(key_id)
        if key is None:
            if self.keys and not self._recently(self.attempted_at, now, self.UNKNOWN_KEY_RETRY):
                self._refresh(policy)
            raise PermissionError("the token names no known signing key")
        return key

    @staticmethod
    def _recently(then: datetime | None, now: datetime, within: timedelta) -> bool:
        return then is not None and timedelta(0) <= now - then < within

    def _running(self) -> bool:
        task = self._task
        return task is not None and not task.done() and task.get_loop() is asyncio.get_running_loop()

    def _refresh(self, policy: _KeyPolicy) -> asyncio.Task[None]:
        """The one fetch under way (started if none is); callers may await it or not."""
        if not self._running():
            self.attempted_at = policy.clock.now()
            self._task = asyncio.get_running_loop().create_task(self._fetch(policy))
        assert self._task is not None
        return self._task

    async def _fetch(self, policy: _KeyPolicy) -> None:
        self.fetches += 1
        try:
            timeout = aiohttp.ClientTimeout(total=policy.timeout)
            async with aiohttp.ClientSession(timeout=timeout) as session:
                async with session.get(self.url) as resp:
                    resp.raise_for_status()
                    keys_url = (await resp.json(content_type=None))["jwks_uri"]
                async with session.get(keys_url) as resp:
                    resp.raise_for_status()
                    listed = (await resp.json(content_type=None))["keys"]
            keys = {k["kid"]: k for k in listed if isinstance(k, dict) and isinstance(k.get("kid"), str)}
            if not keys:
                raise ValueError("no keys listed")
        except Exception as exc:  # network, HTTP status, JSON shape: all mean "keep what we have"
            log.warning("could not fetch the token signing keys from %s (%s); %s", self.url, type(exc).__name__,
                        f"keeping the {len(self.keys)} known" if self.keys else "tokens are refused until they are fetched")
            return
        self.keys, self._parsed = keys, {}
        self.fetched_at = policy.clock.now()

    def _find(self, key_id: str | None) -> SigningKey | None:
        if not isinstance(key_id, str) or key_id not in self.keys:
            return None
        parsed = self._parsed.get(key_id)
        if parsed is None:
            jwk = self.keys[key_id]
            try:
                public_key = RSAAlgorithm.from_jwk(json.dumps(jwk))
            except Exception:  # a malformed entry in the published set
                return None
            listed = jwk.get("endorsements")
            endorsements = [str(e) for e in listed] if isinstance(listed, list) else []
            parsed = self._parsed[key_id] = SigningKey(public_key, endorsements)
        return parsed


_SIGNING_KEYS: dict[str, SigningKeys] = {}


def _signing_keys_for(metadata_url: str) -> SigningKeys:
    keys = _SIGNING_KEYS.get(metadata_url)
    if keys is None:
        keys = _SIGNING_KEYS[metadata_url] = SigningKeys(metadata_url)
    return keys


# The SDK builds a token extractor per request and asks this for the keys of its metadata URL.
JwtTokenExtractor.get_open_id_metadata = staticmethod(_signing_keys_for)


def signing_keys(metadata_url: str) -> SigningKeys:
    """The key set of ``metadata_url`` (for operators' health checks and the tests)."""
    return _signing_keys_for(metadata_url)


class ServiceUrlNotAllowed(PermissionError):
    """A request asked the bot to reply to a service URL outside the allowlist."""


class _CachingConnectorFactory(ConnectorFactory):
    def __init__(self, inner: ConnectorFactory, cache: dict[tuple[str, str | None], ConnectorClient],
                 transport: AiohttpTransport | None, retry: TurnRetry | None = None) -> None:
        self._inner = inner
        self._cache = cache
        self._transport = transport
        self._retry = retry

    async def create(self, service_url: str, audience: str | None = None) -> ConnectorClient:
        key = (service_url, audience)
        client = self._cache.get(key)
        if client is None:
            client = send_plain_json(await self._inner.create(service_url, audience))
            if self._transport is not None:
                client = self._transport.use_aiohttp(client)
            self._cache[key] = client
        # Inbound turns retry throttled replies (bot/teams/connector_retry.py); proactive sends have
        # their own retries in the reminders notifier, so their clients are not wrapped.
        return self._retry.wrap(client) if self._retry is not None else client


class SkisAuthentication(BotFrameworkAuthentication):
    """The SDK's authentication plus a service URL allowlist and reused connector clients."""

    def __init__(self, inner: BotFrameworkAuthentication, settings: Settings,
                 transport: AiohttpTransport | None = None) -> None:
        self._inner = inner
        self._settings = settings
        self._clients: dict[tuple[str, str | None], ConnectorClient] = {}
        self._token_clients: dict[tuple[str | None, str | None], Any] = {}
        self.transport = transport
        self.turn_retry = TurnRetry()
        # The service's clock (set by the HTTP handler) times key refreshes.
        self.clock: Clock = SystemClock()

    def check_service_url(self, service_url: str | None) -> None:
        if self._settings.dev:
            return
        if not service_url or not any(service_url.startswith(p) for p in self._settings.service_url_allowlist):
            raise ServiceUrlNotAllowed(f"service URL not allowed: {service_url!r}")

    async def authenticate_request(self, activity: Activity, auth_header: str) -> AuthenticateRequestResult:
        _KEY_POLICY.set(_KeyPolicy(self.clock, self._settings.openid_timeout_seconds))
        result = await self._inner.authenticate_request(activity, auth_header)
        if self._settings.auth_enabled:
            claims = getattr(result.claims_identity, "claims", None) or {}
            # The SDK verifies "exp" only when present; a token that never expires is refused.
            exp = claims.get("exp")
            if not isinstance(exp, (int, float)):
                raise PermissionError("token without an expiry")
            # Nor one that claims to be valid for longer than any issued. The JWT library checks
            # "exp" against the system time, so the lifetime is measured the same way.
            start = next((v for v in (claims.get("nbf"), claims.get("iat")) if isinstance(v, (int, float))), time.time())
            if exp - min(start, time.time()) > MAX_TOKEN_LIFETIME.total_seconds():
                raise PermissionError("token valid for longer than the Bot Framework issues")
        self.check_service_url(activity.service_url)
        if result.connector_factory is not None:
            result.connector_factory = _CachingConnectorFactory(
                result.connector_factory, self._clients, self.transport, self.turn_retry
            )
        return result

    async def authenticate_streaming_request(self, auth_header: str, channel_id_header: str) -> AuthenticateRequestResult:
        raise PermissionError("streaming connections are not supported")

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        return _CachingConnectorFactory(self._inner.create_connector_factory(claims_identity), self._clients, self.transport)

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> Any:
        # The SDK builds a new token API client (msrest pipeline and retry policy) on every
        # turn, for sign-in prompts this bot never shows; one per app identity is enough.
        key = (
            claims_identity.get_claim_value(AuthenticationConstants.AUDIENCE_CLAIM),
            claims_identity.get_claim_value(AuthenticationConstants.APP_ID_CLAIM),
        )
        client = self._token_clients.get(key)
        if client is None:
            client = self._token_clients[key] = await self._inner.create_user_token_client(claims_identity)
        return client

    def create_bot_framework_client(self) -> Any:
        return self._inner.create_bot_framework_client()

    def get_originating_audience(self) -> str:
        return self._inner.get_originating_audience()

    async def authenticate_channel_request(self, auth_header: str) -> ClaimsIdentity:
        return await self._inner.authenticate_channel_request(auth_header)


def copy_json(value: Any) -> Any:
    """A deep copy of ``value``, as ``copy.deepcopy`` makes it.

    marshal copies dicts, lists, strings, numbers, booleans and None in C, keeping their exact
    types (bool stays bool, a non-string key stays what it was); it refuses anything else
    (dates, enums, subclasses, models), and those values are left to ``copy.deepcopy``.
    """
    try:
        return marshal.loads(marshal.dumps(value))
    except ValueError:  # unmarshallable, or nested too deeply
        return copy.deepcopy(value)


class _CopiedByMarshal:
    """Stands in for an attachment's content while the SDK deep-copies an outgoing activity."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        return copy_json(self.value)


def _cheap_to_copy(activity: Activity) -> Activity:
    """``activity``, or a shallow copy of it whose attachment contents ``copy_json`` will copy.

    The caller's activity and attachments are not changed: the SDK's deep copy of the stand-in
    is what gets sent, and it holds plain copies of the contents."""
    attachments = getattr(activity, "attachments", None)
    if not attachments or not any(isinstance(a, Attachment) and type(a.content) in (dict, list) for a in attachments):
        return activity
    stand_in = copy.copy(activity)
    stand_ins: list[Any] = []
    for attachment in attachments:
        if isinstance(attachment, Attachment) and type(attachment.content) in (dict, list):
            attachment = copy.copy(attachment)
            attachment.content = _CopiedByMarshal(attachment.content)
        stand_ins.append(attachment)
    stand_in.attachments = stand_ins
    return stand_in


class _SkisTurnContext(TurnContext):
    """The SDK's TurnContext; ``send_activities`` still deep-copies each activity before sending
    it (handlers and the adapter may change the copy), only the cards are copied faster."""

    async def send_activities(self, activities: list[Activity]) -> list[ResourceResponse]:
        return await super().send_activities([_cheap_to_copy(a) for a in activities])


class SkisCloudAdapter(CloudAdapter):
    """The SDK's CloudAdapter, whose turn contexts are ``_SkisTurnContext``."""

    def _create_turn_context(self, activity: Activity, *args: Any, **kwargs: Any) -> TurnContext:
        stock = super()._create_turn_context(activity, *args, **kwargs)
        context = _SkisTurnContext(self, activity)
        context.turn_state.update(stock.turn_state)
        return context


def build_adapter(
    settings: Settings,
    *,
    openid_metadata_url: str | None = None,
    token_issuer: str | None = None,
    transport: AiohttpTransport | None = None,
) -> CloudAdapter:
    """The CloudAdapter for ``settings``; with ``transport`` its connector calls go over aiohttp
    (the caller owns the transport and closes it), otherwise over the SDK's requests threads."""
    endpoints: dict[str, str | None] = {}
    if openid_metadata_url:
        endpoints = {
            "TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL": openid_metadata_url,
            "TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL": AuthenticationConstants.TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL,
            "TO_BOT_FROM_CHANNEL_TOKEN_ISSUER": token_issuer or AuthenticationConstants.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER,
            "TO_CHANNEL_FROM_BOT_LOGIN_URL": AuthenticationConstants.TO_CHANNEL_FROM_BOT_LOGIN_URL_PREFIX
            + (settings.app_tenant_id or AuthenticationConstants.DEFAULT_CHANNEL_AUTH_TENANT),
            "TO_CHANNEL_FROM_BOT_OAUTH_SCOPE": AuthenticationConstants.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE,
            "OAUTH_URL": AuthenticationConstants.OAUTH_URL,
            "CALLER_ID": CallerIdConstants.public_azure_channel,
        }
    config = _SdkConfig(
        APP_ID=settings.app_id,
        APP_PASSWORD=settings.app_password,
        # The SDK accepts an empty app id (dev mode) only with its multi-tenant credential reader.
        APP_TYPE=settings.app_type if settings.app_id else "MultiTenant",
        APP_TENANTID=settings.app_tenant_id,
        **endpoints,
    )
    auth = SkisAuthentication(ConfigurationBotFrameworkAuthentication(config), settings, transport)
    adapter = SkisCloudAdapter(auth)
    adapter.on_turn_error = _on_turn_error
    return adapter


async def _on_turn_error(context: TurnContext, error: Exception) -> None:
    """The one error boundary: log with the traceback, tell the person one friendly sentence."""
    activity = context.activity
    if status_of(error) in (403, 404):
        # The bot was removed or the conversation is gone: there is nobody to tell.
        log.warning(
            "turn ended: the connector answered %s (bot removed or conversation gone) in conversation %s",
            status_of(error),
            activity.conversation.id if activity.conversation else None,
        )
        return
    log.error(
        "turn failed (activity %s, type %s, conversation %s)",
        activity.id,
        activity.type,
        activity.conversation.id if activity.conversation else None,
        exc_info=error,
    )
    if activity.type not in ("message", "invoke"):
        return
    key = "core.not_saved" if isinstance(error, StorageError) else "core.error"
    try:
        personal = bool(activity.conversation and activity.conversation.conversation_type == "personal")
        await context.send_activity(t(key, reply_locale(None, activity.locale, personal)))
    except Exception:  # the connector itself may be what failed
        log.warning("could not tell the user about the error", exc_info=True)
