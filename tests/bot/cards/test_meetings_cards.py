"""Meeting cards are valid Adaptive Cards 1.5, carry the right verbs, and show typed text literally."""

from __future__ import annotations

from bot.cards import meetings as cards
from tests.cards_schema import assert_valid_card

WHEN = "fredag 4 december 2026 kl. 09.00–12.00"


def _strings(node: object) -> str:
    """Every string in the card, one per line (as the client would read them)."""
    if isinstance(node, dict):
        return "\n".join(_strings(v) for v in node.values())
    if isinstance(node, list):
        return "\n".join(_strings(v) for v in node)
    return str(node)


def test_meetings_card_with_buttons_and_many_meetings():
    views = [
        cards.MeetingView("20261204", WHEN, "Regionens hus, Skövde", ("UP2", "*Bästa* skola"), coming=3, not_coming=1),
        cards.MeetingView("20261211", WHEN, "https://teams.microsoft.com/l/x", cancelled=True),
        *[cards.MeetingView(f"2027010{i}", WHEN) for i in range(1, 14)],
    ]
    card = cards.meetings_card("Kommande möten", views, attend_id="20261204", hint="Skriv **kommer**.")
    assert_valid_card(card)
    flat = _strings(card)
    assert "Fredag 4 december" in flat and "3 kommer, 1 kommer inte" in flat and "INSTÄLLT" in flat
    assert r"\*Bästa\* skola" in flat and "[Teams-möte (länk)](https://teams.microsoft.com/l/x)" in flat
    assert "… och 3 till." in flat
    yes, no = card["actions"]
    assert (yes["verb"], yes["data"]) == ("attend_yes", {"action": "attend_yes", "meeting_id": "20261204"})
    assert (no["verb"], no["data"]) == ("attend_no", {"action": "attend_no", "meeting_id": "20261204"})
    assert yes["fallback"]["type"] == "Action.Submit"


def test_attend_actions_are_reusable():
    actions = cards.attend_actions("20261204")
    assert [a["verb"] for a in actions] == ["attend_yes", "attend_no"]


def test_agenda_card():
    entries = [
        cards.AgendaView(1, "Incheckning", details=("Vad tog du med från förra mötet?",), standing=True),
        cards.AgendaView(2, "Uppföljning av uppdrag", details=("#3 Mejla inbjudan (Anna)",), standing=True),
        cards.AgendaView(3, "Nationellt <b>kvalitetssystem</b>", by="Peter Stark"),
    ]
    card = cards.agenda_card("Dagordning", WHEN, "Teams", entries, hint="Föreslå med *punkt*.")
    assert_valid_card(card)
    flat = _strings(card)
    assert r"**3.** Nationellt \<b\>kvalitetssystem\</b\>" in flat and "föreslagen av Peter Stark" in flat


def test_confirm_and_notice_cards():
    draft = {"op": "create", "day": "2026-12-03", "start": "09:00", "end": None, "token": "abc"}
    card = cards.confirm_card("Spara ändå?", "Nytt möte: **torsdag 3 december**", ["Inte en fredag."], draft)
    assert_valid_card(card)
    save, dont = card["actions"]
    assert save["verb"] == "meeting_confirm" and save["data"]["draft"] == draft
    assert dont["verb"] == "meeting_abort"
    assert_valid_card(cards.notice_card("Sparat", "Klart!"))


def test_members_and_attendance_cards():
    groups = [
        cards.MunicipalityGroup("Götene", (cards.PersonView("Anna Gustafsson", ("presidium", "ordförande")),)),
        cards.MunicipalityGroup("Kommun saknas", (cards.PersonView("Peter_Stark"),)),
    ]
    card = cards.members_card("Medlemmar (2)", groups, missing=["Essunga", "Hjo"], hint="Skriv *kommun Skövde*.")
    assert_valid_card(card)
    assert "Anna Gustafsson – presidium, ordförande" in str(card)
    card = cards.attendance_card("Närvaro", WHEN, [("Kommer (1)", ["Peter Stark (Skövde)"]), ("Kommer inte (0)", [])], meeting_id="20261204")
    assert_valid_card(card)
    assert card["actions"][0]["data"]["meeting_id"] == "20261204"
    assert "actions" not in cards.attendance_card("Närvaro", WHEN, [])
