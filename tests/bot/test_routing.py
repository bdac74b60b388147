"""Command and card-action matching, as a table."""

from __future__ import annotations

import pytest

from bot.routing import COMMANDS, Command, card_action, clean_text, fold, parse_command
from bot.teams.mentions import plain_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hjälp", Command("help", "")),
        ("Hjälp", Command("help", "")),
        ("HJALP", Command("help", "")),
        ("hjälp?", Command("help", "")),
        ("?", Command("help", "")),
        ("help", Command("help", "")),
        ("/hjälp", Command("help", "")),
        (" : hjälp ", Command("help", "")),
        ("möten", Command("meetings", "")),
        ("moten", Command("meetings", "")),
        ("tidigare möten", Command("past_meetings", "")),
        ("nytt möte fredag 4 december kl 9-12 Regionens hus, Skövde", Command("new_meeting", "fredag 4 december kl 9-12 Regionens hus, Skövde")),
        ("Nytt  möte   fredag 4 december", Command("new_meeting", "fredag 4 december")),
        ("nytt möte", Command("new_meeting", "")),
        ("kommer", Command("attend_yes", "")),
        ("kommer inte", Command("attend_no", "")),
        ("Kommer inte!", Command("attend_no", "")),
        ("ersättare Anna Svensson", Command("substitute", "Anna Svensson")),
        ("incheckning", Command("checkin", "")),
        ("incheckning Jag tog med mig\nen lista", Command("checkin", "Jag tog med mig\nen lista")),
        ("incheckningar", Command("checkins", "")),
        ("incheckningsfråga Vad fyller dina dagar?", Command("checkin_question", "Vad fyller dina dagar?")),
        ("uppgift Mejla inbjudan till SKIS-gruppen @Anna till 4 december", Command("action_item", "Mejla inbjudan till SKIS-gruppen @Anna till 4 december")),
        ("uppgifter", Command("action_items", "")),
        ("mina uppgifter", Command("my_action_items", "")),
        ("mina uppgifter om mig", Command("my_data", "")),
        ("klar 12", Command("action_done", "12")),
        ("ångra 12", Command("action_reopen", "12")),
        ("angra 12", Command("action_reopen", "12")),
        ("beslut: Skövde och Tibro presenterar", Command("decision", "Skövde och Tibro presenterar")),
        ("beslutslogg bästa skola", Command("decision_log", "bästa skola")),
        ("protokoll", Command("minutes", "")),
        ("påminnelser", Command("reminders", "")),
        ("kommun toreboda", Command("municipality", "toreboda")),
        ("roll @Peter sekreterare", Command("role", "@Peter sekreterare")),
        ("avbryt", Command("cancel", "")),
        ("", None),
        ("   ", None),
        ("hej hej", None),
        ("kommunen", None),
        ("beslutet", None),
    ],
)
def test_parse_command(text: str, expected: Command | None) -> None:
    assert parse_command(text) == expected


def test_every_phrase_parses_to_its_own_command() -> None:
    for name, phrases in COMMANDS.items():
        for phrase in phrases:
            parsed = parse_command(phrase)
            assert parsed is not None and parsed.name == name, phrase


def test_fold_and_clean() -> None:
    assert fold("Töreboda") == fold("toreboda") == "toreboda"
    assert clean_text("/ hjälp ") == "hjälp"
    # The HTML, mentions and odd spaces are the edge's (bot/teams/mentions.py); clean_text reads plain text.
    assert clean_text(plain_text("<at>Bot</at>\u200b&nbsp; hjälp ")) == "hjälp"


@pytest.mark.parametrize(
    ("value", "verb", "data"),
    [
        ({"action": "attend_yes", "meeting_id": "20261204"}, "attend_yes", {"meeting_id": "20261204"}),
        ({"action": {"type": "Action.Execute", "verb": "minutes_approve", "data": {"action": "minutes_approve", "version": 3}}, "trigger": "manual"}, "minutes_approve", {"version": 3}),
        ({"action": {"type": "Action.Execute", "title": "x", "data": {"feedback": "test"}}, "trigger": "manual"}, None, None),
        ({"action": "drop_tables"}, None, None),
        ("attend_yes", None, None),
        (None, None, None),
        ({"action": 5}, None, None),
    ],
)
def test_card_action(value: object, verb: str | None, data: dict | None) -> None:
    result = card_action(value)
    if verb is None:
        assert result is None
    else:
        assert result is not None and result.verb == verb and result.data == data


def test_card_number_reads_whole_numbers_and_refuses_garbage() -> None:
    from bot.routing import card_number

    assert card_number({"n": 3}, "n") == 3 and card_number({"n": "12"}, "n") == 12
    assert card_number({}, "n") is None and card_number({"n": ""}, "n") is None
    assert card_number({"n": "tre"}, "n") is None and card_number({"n": [1]}, "n") is None
    assert card_number({"n": float("inf")}, "n") is None
