"""The ``skis-bot`` command: ``serve`` runs the service; the others are operator tools.

Subcommands are registered by the module that owns them (``register_cli(subparsers)``);
``_CLI_MODULES`` is the one list of them. Only this module reads the environment.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import logging
import sys
from collections.abc import Coroutine, Sequence
from typing import Any

from bot import __version__
from bot.clock import SystemClock
from bot.config import ConfigError, load_settings
from storage.open import StoreOpenError, open_store

log = logging.getLogger("skis_bot")

SHUTDOWN_SECONDS = 2.0

# Modules that add subcommands; each defines register_cli(subparsers). Missing ones are skipped
# so a partial install still serves.
_CLI_MODULES: tuple[str, ...] = (
    "manifest.build",
    "bot.ops.export",
    "bot.ops.backup",
    "bot.reminders.cli",
    "bot.ops.privacy",
    "bot.importing.cli",
    "bot.publishing.cli",
    "bot.ops.db",
    "bot.ops.migrate",
)


def setup_logging(level: int = logging.INFO) -> None:
    # Messages people type and tokens never reach the log: handlers log ids and kinds only.
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    logging.getLogger("msrest").setLevel(logging.WARNING)


def cmd_serve(args: argparse.Namespace) -> int:
    """Run the bot service until interrupted."""
    # Start-up economy: the web server and the whole bot (botbuilder) load for `serve` only, not for
    # the operator commands.
    from aiohttp import web

    from bot.app import create_app
    from bot.teams.state import EngineBotStorage
    from storage.open import open_database
    from storage.store import Store

    settings = load_settings()
    try:
        settings.check_can_serve()
    except ConfigError as exc:
        sys.stderr.write(f"skis-bot: refusing to start: {exc}\n")
        return 2
    host = args.host or ("127.0.0.1" if settings.dev else "0.0.0.0")
    if settings.dev and host not in ("127.0.0.1", "localhost", "::1"):
        sys.stderr.write("skis-bot: in dev mode (SKIS_DEV=1, no app id) the bot listens on 127.0.0.1 only\n")
        host = "127.0.0.1"
    port = args.port or settings.port
    if settings.dev:
        log.warning("DEV MODE: requests are not authenticated; listening on %s only", host)
    # The developer stack (bot/dev/devrun.py) passes a clock it can move; a service runs on real time.
    clock = getattr(args, "clock", None) or SystemClock()

    def build(store: Store) -> web.Application:
        app = create_app(settings, store, clock, bot_storage=EngineBotStorage(store.engine), run_scheduler=True)
        app.on_cleanup.append(lambda _app: _close(store))
        return app

    app: web.Application | Coroutine[Any, Any, web.Application]
    if settings.database_url:
        from storage.postgres.url import describe  # psycopg is loaded only for a database

        async def build_on_database() -> web.Application:
            return build(await open_database(settings.database_url))

        app = build_on_database()  # web.run_app runs it on the service's loop before listening
        where = f"the database {describe(settings.database_url)}"
    else:
        try:
            app = build(open_store(settings.data_dir))
        except StoreOpenError as exc:
            sys.stderr.write(f"skis-bot: {exc}\n")
            return 1
        where = str(settings.data_dir)
    log.info("skis-bot %s starting on http://%s:%s/api/messages (data in %s)", __version__, host, port, where)
    try:
        # On SIGTERM (a deployment, a scale-in) turns still running get a few seconds, not
        # aiohttp's default minute: Teams delivers an unanswered activity again, and every record
        # is committed before its reply, so a cut-off turn loses nothing acknowledged.
        web.run_app(app, host=host, port=port, print=None, access_log=None, shutdown_timeout=SHUTDOWN_SECONDS)
    except StoreOpenError as exc:
        sys.stderr.write(f"skis-bot: {exc}\n")
        return 1
    except OSError as exc:
        # Most often the port is taken (another skis-bot, or another program).
        sys.stderr.write(
            f"skis-bot: cannot listen on {host}:{port}: {exc.strerror or exc}. "
            "Stop what uses the port, or choose another with PORT or --port.\n"
        )
        return 1
    return 0


async def _close(store) -> None:  # noqa: ANN001
    await store.close()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="skis-bot", description="The SKIS network's Teams bot.")
    parser.add_argument("--version", action="version", version=f"skis-bot {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the bot service")
    serve.add_argument("--host", help="address to listen on (default 0.0.0.0; 127.0.0.1 in dev mode)")
    serve.add_argument("--port", type=int, help="port (default $PORT or 3978)")
    serve.set_defaults(func=cmd_serve)
    for name in _CLI_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name and name.startswith(exc.name):
                continue
            raise
        module.register_cli(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    setup_logging()
    args = build_parser().parse_args(argv)
    result = args.func(args)
    if asyncio.iscoroutine(result):
        result = asyncio.run(result)
    return int(result or 0)


if __name__ == "__main__":
    raise SystemExit(main())
