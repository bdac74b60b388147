"""One user turn as the feature handlers see it: who, where, and how to answer."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from botbuilder.core import CardFactory, MessageFactory, TurnContext
from botbuilder.dialogs import DialogContext
from botbuilder.schema import Activity

from bot.cards import outgoing
from bot.messages import t
from bot.services import Services
from bot.teams.mentions import Mention
from storage.teams_repo import Member, Team

TURN_KEY = "skis.turn"

# Teams refuses messages over about 28 KB of JSON; stay well below with text split on line
# breaks, counting both characters and escaped bytes (emoji and Swedish letters cost more than one).
MAX_TEXT_CHARS = 12000
MAX_TEXT_BYTES = 20_000


@dataclass(frozen=True)
class CardReply:
    """What a card action answers: a card that replaces the clicked one, and/or a short message."""

    card: dict[str, Any] | None = None
    message: str | None = None


@dataclass
class Turn:
    context: TurnContext
    services: Services
    locale: str
    team: Team
    member: Member
    mentions: list[Mention] = field(default_factory=list)
    # What the message says as plain text (bot/teams/mentions.read_activity), read once at the edge.
    text: str | None = None
    # Replies sent in this turn, in order (the invoke path and tests read them).
    sent: list[Activity] = field(default_factory=list)
    # The dialog stack of this conversation, set by the edge for text and card turns alike, so any
    # handler can start a multi-step conversation (begin_dialog).
    dialogs: DialogContext | None = None

    @staticmethod
    def of(context: TurnContext) -> Turn:
        """The Turn stored on a TurnContext (dialogs use this)."""
        return context.turn_state[TURN_KEY]

    @property
    def store(self):  # noqa: ANN201 - convenience for handlers
        return self.services.store

    @property
    def now(self) -> datetime:
        return self.services.clock.now()

    @property
    def activity(self) -> Activity:
        return self.context.activity

    def t(self, key: str, /, **params: object) -> str:
        return t(key, self.locale, **params)

    def has_role(self, *roles: str) -> bool:
        return self.member.has_any_role(roles)

    async def say(self, text: str) -> None:
        """Send plain text (markdown), split into several messages if it is too long for Teams."""
        for chunk in split_text(text):
            await self._send(MessageFactory.text(chunk))

    async def say_key(self, key: str, /, **params: object) -> None:
        await self.say(self.t(key, **params))

    async def send_card(self, card: dict[str, Any], summary: str | None = None) -> str | None:
        """Send an Adaptive Card; returns the id of the posted activity (to update it later)."""
        # Every button says which network it acts on (a 1:1 chat can hold cards of several), and
        # the card fits in a Teams message whatever the records it shows hold.
        activity = MessageFactory.attachment(CardFactory.adaptive_card(outgoing(card, self.team.key)))
        if summary:
            activity.summary = summary
        return await self._send(activity)

    async def _send(self, activity: Activity) -> str | None:
        self.sent.append(activity)
        response = await self.context.send_activity(activity)
        return response.id if response else None


def split_text(text: str, limit: int = MAX_TEXT_CHARS, max_bytes: int = MAX_TEXT_BYTES) -> list[str]:
    """Split at line breaks into pieces of at most ``limit`` characters and ``max_bytes`` bytes of
    escaped JSON (a longer line is cut)."""
    pieces: list[str] = []
    current, current_size = "", 0
    for line in text.splitlines(keepends=True) or [""]:
        size = wire_size(line)
        if len(current) + len(line) <= limit and current_size + size <= max_bytes:
            current, current_size = current + line, current_size + size
            continue
        if current:
            pieces.append(current)
        current, current_size = "", 0
        while line:
            size = wire_size(line)
            if len(line) <= limit and size <= max_bytes:
                current, current_size = line, size
                break
            cut = _fitting_prefix(line, limit, max_bytes)
            pieces.append(line[:cut])
            line = line[cut:]
    if current or not pieces:
        pieces.append(current)
    return pieces


def wire_size(text: str) -> int:
    """Bytes ``text`` takes in the activity's JSON (an emoji is 12: ``\\ud83d\\ude00``)."""
    return len(json.dumps(text)) - 2


def _fitting_prefix(line: str, limit: int, max_bytes: int) -> int:
    size = 0
    for index, char in enumerate(line[:limit]):
        size += wire_size(char)
        if size > max_bytes:
            return max(index, 1)
    return min(len(line), limit)
