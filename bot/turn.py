"""One user turn as the feature handlers see it: who, where, and how to answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from botbuilder.core import CardFactory, MessageFactory, TurnContext
from botbuilder.schema import Activity

from bot.mentions import Mention
from bot.messages import t
from bot.services import Services
from storage.teams_repo import Member, Team

TURN_KEY = "skis.turn"

# Teams refuses messages over about 28 KB; stay well below with text split on line breaks.
MAX_TEXT_CHARS = 12000


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
    # Replies sent in this turn, in order (the invoke path and tests read them).
    sent: list[Activity] = field(default_factory=list)

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
        activity = MessageFactory.attachment(CardFactory.adaptive_card(card))
        if summary:
            activity.summary = summary
        return await self._send(activity)

    async def _send(self, activity: Activity) -> str | None:
        self.sent.append(activity)
        response = await self.context.send_activity(activity)
        return response.id if response else None


def split_text(text: str, limit: int = MAX_TEXT_CHARS) -> list[str]:
    """Split at line breaks into pieces of at most ``limit`` characters (a longer line is cut)."""
    pieces: list[str] = []
    current = ""
    for line in text.splitlines(keepends=True) or [""]:
        while line:
            room = limit - len(current)
            if len(line) <= room:
                current, line = current + line, ""
            elif current:
                pieces.append(current)
                current = ""
            else:
                pieces.append(line[:limit])
                line = line[limit:]
    if current or not pieces:
        pieces.append(current)
    return pieces
