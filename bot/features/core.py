"""Help, and what the bot says when it does not understand."""

from __future__ import annotations

from typing import Any

from bot.cards.help import help_card
from bot.turn import CardReply, Turn


async def show_help(turn: Turn, args: str) -> None:
    """The user sees a card listing every command with an example."""
    await turn.send_card(help_card(turn.locale), summary=turn.t("core.help_title"))


async def cancel_nothing(turn: Turn, args: str) -> None:
    """`avbryt` outside a dialog: nothing to cancel, and what to do instead."""
    await turn.say_key("core.nothing_to_cancel")


async def help_button(turn: Turn, data: dict[str, Any]) -> CardReply | None:
    """A "Hjälp" button on any card sends the help card."""
    await show_help(turn, "")
    return None


COMMANDS = {"help": show_help, "cancel": cancel_nothing}
CARD_ACTIONS = {"help": help_button}
