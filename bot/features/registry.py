"""The bot's features, each one module that binds handlers to the ids in ``bot.routing``.

A feature module defines:

- ``COMMANDS: dict[str, CommandHandler]``: command id -> ``async def handler(turn, args) -> None``
- ``CARD_ACTIONS: dict[str, CardHandler]``: card verb -> ``async def handler(turn, data) -> CardReply | None``
- optionally ``def dialogs(services) -> list[Dialog]``: the multi-step conversations it starts
- optionally ``async def start(services) -> None`` / ``async def stop(services) -> None``
- optionally ``def routes(services) -> list[aiohttp.web.RouteDef]``: extra HTTP routes

``FEATURES`` below is the one place that lists them. (Not in the package's ``__init__``: a feature
module may import another feature module without importing them all.)
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from types import ModuleType
from typing import Any

from bot.features import (
    action_items,
    agenda,
    attendance,
    checkins,
    core,
    decisions,
    importing,
    language,
    meetings,
    members,
    minutes,
    networks,
    privacy,
    publishing,
    reminders,
)
from bot.turn import CardReply, Turn

CommandHandler = Callable[[Turn, str], Awaitable[None]]
CardHandler = Callable[[Turn, dict[str, Any]], Awaitable["CardReply | None"]]

FEATURES: tuple[ModuleType, ...] = (
    core, meetings, agenda, attendance, members, checkins, action_items, decisions, reminders, minutes, privacy,
    importing, publishing, language, networks,
)


def command_handlers() -> dict[str, CommandHandler]:
    return _merge("COMMANDS")


def card_handlers() -> dict[str, CardHandler]:
    return _merge("CARD_ACTIONS")


def _merge(attr: str) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for feature in FEATURES:
        for key, handler in getattr(feature, attr, {}).items():
            if key in merged:
                raise RuntimeError(f"{attr} {key!r} handled twice ({feature.__name__})")
            merged[key] = handler
    return merged
