"""The network's meeting cycle, as a person sees it in the Agents Playground.

The steps run in file order on one page, as Anna Lindqvist (the first four in her personal chat,
which is open when the page loads; later steps open the conversation they need). Each asserts on
what the page shows and saves a screenshot to tests/e2e/artifacts/. New steps go at the end, in
the order they happen in a real cycle.
"""

from __future__ import annotations

import pytest

from tests.e2e.playground import (
    ADAPTIVE_CARD,
    CARD_HEADING,
    GENERAL_CHANNEL,
    GROUP_CHAT,
    PERSONAL_CHAT,
    PlaygroundChat,
    looks_swedish,
    texts,
)

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]

HELP_TITLE = "Det här kan jag hjälpa till med"


def test_installing_the_bot_greets_in_swedish(chat: PlaygroundChat) -> None:
    # Loading the Playground installs the bot in the personal chat (installationUpdate and
    # conversationUpdate); the bot greets once.
    welcome = chat.wait_for_bot_messages(1)
    text = texts(welcome)
    assert "Jag är SKIS-boten" in text
    assert "hjälp" in text
    assert len(welcome) == 1, f"the bot greeted more than once:\n{text}"
    chat.screenshot("01-welcome")


def test_hjalp_shows_the_help_card(chat: PlaygroundChat) -> None:
    replies = chat.send("hjälp")
    card = replies[-1].locator(ADAPTIVE_CARD)
    assert card.count() == 1, f"no Adaptive Card in the reply:\n{texts(replies)}"
    assert card.locator(CARD_HEADING).first.inner_text().strip() == HELP_TITLE
    body = card.inner_text()
    for group in ("Möten", "Incheckning", "Uppgifter", "Beslut", "Protokoll, rapporter och påminnelser"):
        assert group in body
    assert "avbryt" in body
    replies[-1].scroll_into_view_if_needed()
    chat.screenshot("02-help-card", publish_as="playground-help.png")


def test_moten_answers_in_swedish(chat: PlaygroundChat) -> None:
    replies = chat.send("möten")
    text = texts(replies)
    assert text.strip(), "the bot did not answer"
    assert looks_swedish(text), f"not Swedish:\n{text}"
    chat.screenshot("03-meetings")


def test_gibberish_gets_a_helpful_reply(chat: PlaygroundChat) -> None:
    replies = chat.send("zxqv blorrk")
    text = texts(replies)
    assert "Jag förstod inte" in text, text
    assert "zxqv blorrk" in text
    assert "hjälp" in text
    chat.screenshot("04-not-understood")


def test_in_the_group_chat_an_at_mention_reaches_the_bot(chat: PlaygroundChat) -> None:
    chat.open_conversation(GROUP_CHAT)
    greeting = chat.wait_for_bot_messages(1)
    assert "Jag är SKIS-boten" in texts(greeting)
    replies = chat.send("hjälp", mention_bot=True)
    assert replies[-1].locator(CARD_HEADING).first.inner_text().strip() == HELP_TITLE
    chat.screenshot("05-group-help")


def test_another_person_writes_in_the_group_chat(chat: PlaygroundChat) -> None:
    # Peter Holm, not the current user: sent the way "Mock an Activity > Custom activity" sends.
    group = chat.conversation_ids()["group"]
    replies = chat.send_as("peter", "zxqv", group, mention_bot=True)
    assert "Jag förstod inte" in texts(replies)
    chat.screenshot("06-group-peter")


def test_in_the_team_channel_the_bot_answers_a_post(chat: PlaygroundChat) -> None:
    chat.open_conversation(GENERAL_CHANNEL)
    greeting = chat.wait_for_bot_messages(1)
    assert "Jag är SKIS-boten" in texts(greeting)
    replies = chat.send("hjälp", mention_bot=True)
    assert replies[-1].locator(CARD_HEADING).first.inner_text().strip() == HELP_TITLE
    chat.screenshot("07-channel-help")


def test_back_in_the_personal_chat_the_conversation_is_still_there(chat: PlaygroundChat) -> None:
    chat.open_conversation(PERSONAL_CHAT)
    assert "Jag förstod inte" in chat.transcript()
    replies = chat.send("hjälp")
    assert replies[-1].locator(CARD_HEADING).first.inner_text().strip() == HELP_TITLE
