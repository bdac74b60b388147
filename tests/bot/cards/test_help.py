"""The help card: a command word on every line, in one language."""

from __future__ import annotations

import re

from bot.cards.help import HELP_GROUPS, help_card
from bot.messages import t
from bot.routing import parse_command
from tests.cards_schema import assert_valid_card

_BOLD = re.compile(r"\*\*([^*]+)\*\*")


def _lines(card: dict) -> list[str]:
    return [line[2:] for block in card["body"] for line in block.get("text", "").split("\n") if line.startswith("- ")]


def test_every_line_starts_with_a_command_word_the_bot_understands() -> None:
    lines = _lines(help_card("sv"))
    assert len(lines) == sum(len(items) for _group, items in HELP_GROUPS)
    for line in lines:
        first = _BOLD.match(line)
        assert first is not None, f"no command word first: {line}"
        for word in _BOLD.findall(line):
            assert parse_command(word) is not None, f"{word!r} is not a command ({line})"


def test_the_card_for_an_english_client_is_not_half_english() -> None:
    card = help_card("en")
    assert_valid_card(card)
    shown = " ".join(block.get("text", "") for block in card["body"])
    # The command lines exist only in Swedish, so the whole card is Swedish.
    assert t("core.help_title", "sv") in shown and t("core.help_title", "en") not in shown


def test_personal_data_is_not_called_uppgifter_on_the_help_card() -> None:
    # "uppgifter" means action items everywhere else in the bot.
    headings = [block.get("text", "") for block in help_card("sv")["body"] if block.get("style") == "heading" or block.get("weight")]
    assert "Dina uppgifter" not in " ".join(headings) and "Om dig" in " ".join(headings)
