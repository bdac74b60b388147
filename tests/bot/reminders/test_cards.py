"""Reminder cards as pure functions: valid Adaptive Cards 1.5, people's text shown as typed."""

from __future__ import annotations

from bot.cards.reminders import (
    ActionLine,
    AgendaLine,
    DigestView,
    MeetingInfo,
    action_card,
    day_card,
    digest_card,
    week_card,
)
from bot.routing import ACTION_ACTION_DONE, ACTION_ATTEND_NO, ACTION_ATTEND_YES, ACTION_CHECKIN
from tests.bot.reminders.test_reminders_flow import actions_of, texts_of
from tests.cards_schema import assert_valid_card

INFO = MeetingInfo(id="20261204", day="fredag 4 december", when="fredag 4 december 2026 kl. 09.00–12.00",
                   time="09.00–12.00", location="https://teams.microsoft.com/l/meetup-join/abc", relative="om en vecka")
AGENDA = [AgendaLine(i, f"Punkt *{i}* [länk](x)", "Anna" if i % 2 else "") for i in range(1, 21)]


def test_week_card_with_and_without_question() -> None:
    card = week_card(INFO, AGENDA, "Vad är **bäst** just nu?")
    assert_valid_card(card)
    shown = texts_of(card)
    assert "Teams-möte (länk)" in shown and "… och 5 punkter till" in shown
    assert "Punkt \\*1\\* \\[länk\\](x)" in shown  # escaped: shows as typed
    assert "\\*\\*bäst\\*\\*" in shown
    assert {a["verb"] for a in actions_of(card)} == {ACTION_CHECKIN, ACTION_ATTEND_YES, ACTION_ATTEND_NO}
    plain = week_card(INFO, [], None)
    assert_valid_card(plain)
    assert not [e for e in plain["body"] if e.get("type") == "Input.Text"]
    assert {a["verb"] for a in actions_of(plain)} == {ACTION_ATTEND_YES, ACTION_ATTEND_NO}


def test_day_card_lists_everyone_and_every_missing_municipality() -> None:
    people = [f"Person {i} (Kommun {i})" for i in range(20)]
    missing = ["Essunga", "Falköping", "Grästorp", "Gullspång", "Götene", "Hjo", "Karlsborg", "Lidköping", "Mariestad",
               "Skara", "Skövde", "Tibro", "Tidaholm", "Töreboda", "Vara"]
    card = day_card(INFO, AGENDA[:3], people, missing)
    assert_valid_card(card)
    shown = texts_of(card)
    assert "Kommer (20)" in shown and "Person 19" in shown and "Vara" in shown and "+" not in shown.split("Kommer (20)")[1]
    everyone = day_card(INFO, [], [], [])
    assert "Ingen har anmält sig än." in texts_of(everyone) and "Alla kommuner har anmält sig" in texts_of(everyone)


def test_digest_card() -> None:
    view = DigestView(
        meeting=INFO, agenda=tuple(AGENDA[:4]), question="Vad tog du med?", answered=("Peter",), not_answered=("Anna", "Sofia"),
        coming=("Hjo (Peter)",), not_coming=("Tibro",), no_answer=("Essunga",),
        actions=tuple(ActionLine(i, f"Uppgift {i}", "Peter", "fredag 4 december 2026", overdue=i == 1) for i in range(1, 13)),
        minutes="Protokollet från fredag 6 november är godkänt.", decide=("Platsen är inte bestämd.",),
    )
    card = digest_card(view)
    assert_valid_card(card)
    shown = texts_of(card)
    assert "Incheckning: 1 av 3 har svarat" in shown and "Inte svarat: Anna, Sofia" in shown
    assert "Öppna uppgifter: 12, varav 1 försenade" in shown and "… och 2 till" in shown
    assert "försenad, skulle vara klar fredag 4 december 2026" in shown
    assert "(föreslagen av Anna)" in shown
    empty = digest_card(DigestView(INFO, (), None, (), (), (), (), (), (), "Det finns inget tidigare möte."))
    assert_valid_card(empty)
    assert "Inget just nu." in texts_of(empty) and "Inga öppna uppgifter." in texts_of(empty)


def test_action_cards() -> None:
    for overdue in (False, True):
        card = action_card(ActionLine(7, "Mejla _inbjudan_", "Peter Stark", "fredag 4 december 2026", overdue))
        assert_valid_card(card)
        [done] = actions_of(card)
        assert done["verb"] == ACTION_ACTION_DONE and done["data"]["number"] == 7
        assert "Mejla \\_inbjudan\\_" in texts_of(card)
        assert ("försenad" in texts_of(card)) == overdue
