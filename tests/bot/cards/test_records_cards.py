"""Check-in, action-item and decision cards: valid Adaptive Cards 1.5, typed text shown as typed."""

from __future__ import annotations

import json

from bot.cards.records import (
    AnswerRow,
    DecisionRow,
    ItemGroup,
    ItemPage,
    ItemRow,
    action_item_form,
    action_items_card,
    checkins_cards,
    decision_log_card,
)
from bot.routing import ACTION_ACTION_DONE, ACTION_ACTION_ITEM_FORM, ACTION_ACTION_ITEMS_PAGE
from tests.cards_schema import assert_valid_card

TRICKY = "Två saker:\n- **Bästa skola** <b>i</b> Skövde 🎉\n1. [länk](http://x) {{DATE(2026-12-04T08:00:00Z)}}"


def _texts(card: dict) -> list[str]:
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("type") == "TextBlock":
                found.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(card)
    return found


def test_checkins_card_escapes_answers_and_lists_who_is_missing() -> None:
    cards = checkins_cards(
        title="Incheckning – mötet fredag 27 november 2026",
        question="Vad *fyller* dina dagar?",
        answers=[AnswerRow("Peter Stark", "Skövde", TRICKY, changed=True), AnswerRow("Åsa Öberg", None, "Kort")],
        missing=[("Götene", ["Anna Gustafsson"]), ("Kommun saknas", ["Sofia Adolfsson"])],
        total=4,
        footer="Svara med **incheckning**.",
    )
    assert len(cards) == 1
    assert_valid_card(cards[0])
    texts = _texts(cards[0])
    assert "*Vad \\*fyller\\* dina dagar?*" in texts
    answer = next(t for t in texts if t.startswith("Två saker"))
    assert "\\*\\*Bästa skola\\*\\*" in answer and "\\<b\\>" in answer and "{\u200b{DATE" in answer and "\u200b- " in answer
    assert "2 av 4 har svarat." in texts
    facts = next(b for b in cards[0]["body"] if b["type"] == "FactSet")["facts"]
    assert facts == [{"title": "Götene", "value": "Anna Gustafsson"}, {"title": "Kommun saknas", "value": "Sofia Adolfsson"}]


def test_checkins_cards_split_when_long() -> None:
    answers = [AnswerRow(f"Person {i}", "Vara", "å" * 3000) for i in range(50)]
    cards = checkins_cards(title="Incheckning", question="Fråga?", answers=answers, missing=[], total=50, footer="f")
    assert len(cards) > 1
    for card in cards:
        assert_valid_card(card)
        assert len(json.dumps(card, ensure_ascii=False).encode()) < 24000
    shown = [t for card in cards for t in _texts(card) if t.startswith("**Person")]
    assert len(shown) == 50
    assert all(len(t) <= 2000 for card in cards for t in _texts(card))  # each answer clipped on the card
    assert "Alla i medlemslistan har svarat. 🎉" in _texts(cards[-1])


def test_checkins_card_with_no_answers() -> None:
    cards = checkins_cards(title="T", question="Q", answers=[], missing=[("Hjo", ["A"])], total=1, footer="f")
    assert_valid_card(cards[0])
    assert "Ingen har svarat än." in _texts(cards[0])


def test_action_items_card_has_done_buttons_and_a_form() -> None:
    groups = [
        ItemGroup("Försenade", (ItemRow(3, "Boka *lokal*", "Anna", "fredag 20 november 2026", overdue=True),), overdue=True),
        ItemGroup("Från mötet fredag 27 november 2026", (ItemRow(1, "Mejla", "alla i nätverket", ""),)),
    ]
    card = action_items_card(title="Öppna uppgifter", groups=groups, footer="Bocka av med **klar**.", view="all")
    assert_valid_card(card)
    raw = json.dumps(card, ensure_ascii=False)
    assert raw.count(f'"verb": "{ACTION_ACTION_DONE}"') == 2
    assert '"number": 3' in raw and '"view": "all"' in raw
    assert "**3** · Boka \\*lokal\\*" in _texts(card)
    assert card["body"][1]["color"] == "Attention"
    form = card["actions"][0]
    assert form == action_item_form("sv", "all")
    assert [i["id"] for i in form["card"]["body"]] == ["title", "owners", "due"]
    assert form["card"]["actions"][0]["verb"] == ACTION_ACTION_ITEM_FORM


def test_action_items_card_caps_long_lists() -> None:
    rows = tuple(ItemRow(i, f"Uppgift {i}", "Anna", "") for i in range(1, 61))
    card = action_items_card(title="T", groups=[ItemGroup("G", rows)], footer="f", view="mine")
    assert_valid_card(card)
    assert json.dumps(card).count('"verb": "action_done"') == 20
    assert any("40 till" in t for t in _texts(card))


def test_a_page_of_a_long_list_says_where_it_is_and_has_more_and_back_buttons() -> None:
    rows = tuple(ItemRow(i, f"Uppgift {i}", "Anna", "") for i in range(21, 41))
    page = ItemPage(page=2, pages=3, first=21, last=40, total=45, next_command="uppgifter sida 3")
    card = action_items_card(title="Öppna uppgifter", groups=[ItemGroup("G", rows)], footer="f", view="all", page=page)
    assert_valid_card(card)
    texts = _texts(card)
    assert texts[1] == "Visar 21–40 av 45 · sida 2 av 3"
    assert any("**uppgifter sida 3**" in t and "Visa fler" in t for t in texts)
    more, first, form = card["actions"]
    assert (more["title"], more["verb"], more["data"]) == ("Visa fler", ACTION_ACTION_ITEMS_PAGE, {"action": ACTION_ACTION_ITEMS_PAGE, "view": "all", "page": 3})
    assert (first["title"], first["data"]["page"]) == ("Till början", 1)
    assert form["type"] == "Action.ShowCard"
    raw = json.dumps(card)
    assert raw.count('"verb": "action_done"') == 20 and '"page": 2' in raw  # "Klar" keeps the page


def test_the_last_page_has_no_more_button_and_a_single_page_no_paging() -> None:
    rows = (ItemRow(41, "Sista", "Anna", ""),)
    last = action_items_card(title="T", groups=[ItemGroup("G", rows)], footer="f", view="mine",
                             page=ItemPage(page=3, pages=3, first=41, last=41, total=41))
    assert_valid_card(last)
    assert [a.get("title") for a in last["actions"]] == ["Till början", "Ny uppgift"]
    single = action_items_card(title="T", groups=[ItemGroup("G", rows)], footer="f", view="mine",
                               page=ItemPage(page=1, pages=1, first=1, last=1, total=1))
    assert [a.get("title") for a in single["actions"]] == ["Ny uppgift"]
    assert not any(t.startswith("Visar") for t in _texts(single))


def test_decision_log_card() -> None:
    rows = [
        DecisionRow(7, "fredag 4 december 2026", "Skövde och Tibro presenterar *Bästa skola*", agenda_item=3, corrected=True),
        DecisionRow(6, "fredag 27 november 2026", "Nästa möte digitalt"),
    ]
    card = decision_log_card(title="Beslutslogg", subtitle="Sida 1 av 2 · 12 beslut", rows=rows, footer="Fler: **beslutslogg sida 2**")
    assert_valid_card(card)
    texts = _texts(card)
    assert "**Beslut 7** · mötet fredag 4 december 2026 (punkt 3) · rättat" in texts
    assert "Skövde och Tibro presenterar \\*Bästa skola\\*" in texts
    assert_valid_card(decision_log_card(title="B", subtitle="s", rows=[], footer=None))
