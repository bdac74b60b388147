"""``create_app`` builds the whole service graph; the CLI and the tests call it alike."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from bot.clock import Clock
from bot.config import Settings
from bot.features import registry as features
from bot.services import Services
from bot.teams.adapter import build_adapter
from bot.teams.bot import SkisBot
from bot.teams.connector_http import AiohttpTransport
from bot.teams.http import MessagesHandler, add_routes
from bot.teams.proactive import Notifier
from bot.teams.state import PersonalDialogState
from storage.store import Store

SERVICES_KEY = web.AppKey("skis.services", Services)


def create_app(
    settings: Settings,
    store: Store,
    clock: Clock,
    *,
    bot_storage: Any,
    openid_metadata_url: str | None = None,
    token_issuer: str | None = None,
    run_scheduler: bool,
) -> web.Application:
    """The aiohttp application with the bot, its adapter and every feature wired together.

    ``bot_storage`` is a botbuilder ``Storage`` for dialog state (TinyDB-backed in production).
    ``run_scheduler`` (always said, never guessed from the clock): True for the service; False keeps
    the reminders from firing by themselves, so tests run them when they choose.
    """
    # Connector calls over aiohttp instead of requests threads (see bot/teams/connector_http.py).
    transport = AiohttpTransport()
    adapter = build_adapter(settings, openid_metadata_url=openid_metadata_url, token_issuer=token_issuer,
                            transport=transport)
    services = Services(settings=settings, store=store, clock=clock, adapter=adapter, run_scheduler=run_scheduler)
    services.proactive = Notifier(adapter, settings.app_id, store.teams)
    bot = SkisBot(services, PersonalDialogState(bot_storage))
    app = web.Application(client_max_size=settings.max_body_bytes)
    app[SERVICES_KEY] = services
    add_routes(app, MessagesHandler(services, adapter, bot))
    # Features may serve extra routes (e.g. the local admin route for operator commands).
    for feature in features.FEATURES:
        routes = getattr(feature, "routes", None)
        if routes is not None:
            app.add_routes(routes(services))

    async def start_features(_app: web.Application) -> None:
        for feature in features.FEATURES:
            start = getattr(feature, "start", None)
            if start is not None:
                await start(services)

    async def stop_features(_app: web.Application) -> None:
        for feature in reversed(features.FEATURES):
            stop = getattr(feature, "stop", None)
            if stop is not None:
                await stop(services)

    async def close_transport(_app: web.Application) -> None:
        await transport.close()

    app.on_startup.append(start_features)
    app.on_cleanup.append(stop_features)
    app.on_cleanup.append(close_transport)
    return app
