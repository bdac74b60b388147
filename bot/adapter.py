"""The Bot Framework adapter, configured for this service.

- Authentication uses the SDK's own JWT validation (``ConfigurationBotFrameworkAuthentication``);
  tests can point its key lookup at a local OpenID document.
- Connector clients are reused per service URL, and user token clients per app identity,
  instead of being built on every turn (building one constructs msrest pipeline and
  retry-policy objects, the largest cost of a stock turn; see docs/performance.md).
- In the service (``create_app``), replies and other connector calls go over one aiohttp
  session (bot/connector_http.py) rather than ``requests`` in a thread pool.
- Outside dev mode, replies go only to allowed Teams service URLs.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity, CallerIdConstants
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import (
    AuthenticateRequestResult,
    AuthenticationConstants,
    BotFrameworkAuthentication,
    ClaimsIdentity,
    ConnectorFactory,
)

from bot.config import Settings
from bot.connector_http import AiohttpTransport
from bot.connector_retry import TurnRetry, status_of
from bot.messages import locale_of, t
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
            client = await self._inner.create(service_url, audience)
            if self._transport is not None:
                client = self._transport.use_aiohttp(client)
            self._cache[key] = client
        # Inbound turns retry throttled replies (bot/connector_retry.py); proactive sends have
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

    def check_service_url(self, service_url: str | None) -> None:
        if self._settings.dev:
            return
        if not service_url or not any(service_url.startswith(p) for p in self._settings.service_url_allowlist):
            raise ServiceUrlNotAllowed(f"service URL not allowed: {service_url!r}")

    async def authenticate_request(self, activity: Activity, auth_header: str) -> AuthenticateRequestResult:
        result = await self._inner.authenticate_request(activity, auth_header)
        if self._settings.auth_enabled:
            claims = getattr(result.claims_identity, "claims", None) or {}
            # The SDK verifies "exp" only when present; a token that never expires is refused.
            if not isinstance(claims.get("exp"), (int, float)):
                raise PermissionError("token without an expiry")
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
    adapter = CloudAdapter(auth)
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
        await context.send_activity(t(key, locale_of(activity.locale)))
    except Exception:  # the connector itself may be what failed
        log.warning("could not tell the user about the error", exc_info=True)
