"""One user turn as the feature handlers see it: who, where, what they wrote, and how to answer.

The message is read once (plain text and @mentions, bot/teams/mentions.read_activity) when the Turn
is made; handlers and dialogs use ``text``, ``mentions`` and ``command_args`` rather than reading
the activity again. Permissions are decided in bot/roles.py; ``deny`` is the one polite refusal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from botbuilder.core import CardFactory, MessageFactory, TurnContext
from botbuilder.dialogs import DialogContext
from botbuilder.schema import Activity

from bot.cards import outgoing
from bot.messages import network_language, reply_locale, t
from bot.roles import has, roles_text
from bot.routing import parse_command
from bot.services import Services
from bot.teams.mentions import Mention, read_activity
from bot.text import split_text
from storage.store import Store
from storage.teams_repo import Member, Team

TURN_KEY = "skis.turn"



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
    # People @mentioned in the message, in order (read with ``text``).
    mentions: list[Mention] = field(default_factory=list)
    # What the message says as plain text, the bot's @mention removed and people's as ``@Name``
    # (bot/teams/mentions.read_activity); read from the activity when the Turn is made.
    text: str | None = None
    # Replies sent in this turn, in order (the invoke path and tests read them).
    sent: list[Activity] = field(default_factory=list)
    # The dialog stack of this conversation, set by the edge for text and card turns alike, so any
    # handler can start a multi-step conversation (begin_dialog).
    dialogs: DialogContext | None = None

    def __post_init__(self) -> None:
        if self.text is None:
            text, mentions = read_activity(self.context.activity)
            self.text = text
            self.mentions = self.mentions or mentions

    @staticmethod
    def of(context: TurnContext) -> Turn:
        """The Turn stored on a TurnContext (dialogs use this)."""
        return context.turn_state[TURN_KEY]

    @property
    def store(self) -> Store:
        return self.services.store

    @property
    def now(self) -> datetime:
        return self.services.clock.now()

    @property
    def activity(self) -> Activity:
        return self.context.activity

    @property
    def conversation_id(self) -> str | None:
        """Where the message was written (kept with records, to point back at it)."""
        return self.activity.conversation.id if self.activity.conversation else None

    @property
    def tz(self) -> ZoneInfo:
        """The network's time zone (dates people type and read are local)."""
        return self.services.settings.timezone

    @property
    def today(self) -> date:
        return self.now.astimezone(self.tz).date()

    @property
    def in_personal_chat(self) -> bool:
        """True in the person's 1:1 chat with the bot (not a channel or group chat)."""
        conversation = self.activity.conversation
        return bool(conversation and conversation.conversation_type == "personal")

    def command_args(self, args: str) -> str:
        """The arguments of the command this message starts with, people's @mentions kept as
        ``@Name``; ``args`` when the message is no command (a handler run for a question)."""
        command = parse_command(self.text)
        return command.args if command is not None else args

    @property
    def channel_locale(self) -> str:
        """The language of what this turn posts for everyone (the channel, a shared card)."""
        return reply_locale(network_language(self.team), None, personal=False)

    def t(self, key: str, /, **params: object) -> str:
        return t(key, self.locale, **params)

    def has_role(self, *roles: str) -> bool:
        """True if the person holds any of ``roles`` (one of bot/roles.py's permissions)."""
        return has(self.member, roles)

    async def deny(self, roles: tuple[str, ...]) -> None:
        """The polite refusal when the person lacks the role: who may, and how to find them."""
        await self.say(self.denial(roles))

    def denial(self, roles: tuple[str, ...]) -> str:
        """``deny``'s words, for a card reply."""
        return self.t("core.role_required", roles=roles_text(self.locale, roles))

    async def begin_dialog(self, dialog_id: str, options: dict[str, Any]) -> None:
        """Start a multi-step conversation; its next step waits for the person's next message."""
        if self.dialogs is None:
            raise RuntimeError(f"no dialog context on this turn to start {dialog_id!r}")
        await self.dialogs.begin_dialog(dialog_id, options)

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
