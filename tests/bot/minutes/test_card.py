"""The minutes card (bot/cards/minutes.py): every view valid Adaptive Card 1.5, buttons and inputs per role."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from bot.cards.minutes import MAX_CARD_BYTES, CardView, minutes_card
from bot.minutes.draft import AgendaEntry, Publication, build_draft
from tests.bot.minutes.sample import TZ, answer, confirmed_pub, draft_pub, sources
from tests.cards_schema import assert_valid_card

IDS = ["29:sofia"]


def card(pub: Publication, view: CardView) -> dict[str, Any]:
    return minutes_card(pub, view, meeting_id="20230526", refresh_user_ids=IDS, tz=TZ)


def verbs(c: dict[str, Any]) -> list[str]:
    out = []
    for a in c.get("actions", []):
        out.extend([a["verb"]] if a["type"] == "Action.Execute" else [x["verb"] for x in a["card"]["actions"]])
    return out


def input_ids(c: dict[str, Any]) -> list[str]:
    return [b["id"] for b in c["body"] if b["type"].startswith("Input.")]


VIEWS = {
    "editor": (draft_pub(), CardView(editable=True)),
    "viewer": (draft_pub(), CardView()),
    "correcting": (draft_pub(), CardView(editable=True, correcting_version=1, notice="Rättelse pågår")),
    "no_secretary": (draft_pub(), CardView(no_secretary=True)),
    "confirmed_secretary": (confirmed_pub(), CardView(can_request_change=False, can_correct=True)),
    "confirmed_chair": (confirmed_pub(cosign_required=True), CardView(can_request_change=False, can_cosign=True)),
    "confirmed_member": (confirmed_pub(), CardView(can_request_change=False)),
}


@pytest.mark.parametrize("name", sorted(VIEWS))
def test_every_view_is_a_valid_card(name: str) -> None:
    pub, view = VIEWS[name]
    c = card(pub, view)
    assert_valid_card(c)
    assert c["refresh"] == {
        "action": {"type": "Action.Execute", "title": "Uppdatera", "verb": "minutes_refresh",
                   "data": {"action": "minutes_refresh", "meeting_id": "20230526"}},
        "userIds": IDS,
    }
    for action in c.get("actions", []):
        if action["type"] == "Action.Execute":
            assert action["data"]["meeting_id"] == "20230526" and action["fallback"]["type"] == "Action.Submit"


def test_editor_has_inputs_and_all_three_actions() -> None:
    c = card(*VIEWS["editor"])
    assert input_ids(c) == ["checkin_summary", "notes_standing-laget-runt", "notes_t1", "notes_p1", "notes_standing-ovriga-fragor", "checkout_summary"]
    notes = next(b for b in c["body"] if b.get("id") == "notes_t1")
    assert notes["isMultiline"] and notes["value"].startswith("Susanne går igenom")
    assert verbs(c) == ["minutes_save", "minutes_approve", "minutes_request_change"]
    titles = [a["title"] for a in c["actions"]]
    assert titles == ["Spara utkast", "Godkänn protokoll", "Begär ändring"]
    save = c["actions"][0]
    assert save["data"] == {"action": "minutes_save", "meeting_id": "20230526", "revision": 3}


def test_viewer_is_read_only_with_escaped_text() -> None:
    c = card(*VIEWS["viewer"])
    assert input_ids(c) == [] and verbs(c) == ["minutes_request_change"]
    texts = " ".join(b.get("text", "") for b in c["body"])
    assert "\\<script\\>" in texts and "\\*fet\\*" in texts
    assert "UTKAST" not in texts and "Utkast: Minnesanteckningar" in texts


def test_correcting_asks_for_a_reason() -> None:
    c = card(*VIEWS["correcting"])
    reason = next(b for b in c["body"] if b.get("id") == "reason")
    assert reason["isRequired"] and "Skäl till rättelsen" in reason["label"]
    assert [a["title"] for a in c["actions"]][1] == "Godkänn rättelse"


def test_confirmed_views() -> None:
    assert verbs(card(*VIEWS["confirmed_secretary"])) == ["minutes_correct"]
    chair = card(*VIEWS["confirmed_chair"])
    assert verbs(chair) == ["minutes_cosign"] and chair["actions"][0]["data"]["version"] == 1
    member = card(*VIEWS["confirmed_member"])
    assert "actions" not in member
    shown = " ".join(b.get("text", "") for b in member["body"])
    assert "Godkänt (version 1)" in shown and "Kontrollsumma" not in shown  # the hash is for the record, not readers


def test_a_huge_meeting_still_fits_in_a_teams_card() -> None:
    many = tuple(answer(f"m{n}", f"Person {n}", "Ett långt svar om vad som fyller dagarna just nu. " * 6) for n in range(60))
    pub = Publication(content=build_draft(sources(checkins=many, checkouts=many)), status="draft", revision=1)
    full = json.dumps(minutes_card(pub, CardView(), meeting_id="m", refresh_user_ids=IDS, tz=TZ), ensure_ascii=False)
    assert len(full.encode()) <= MAX_CARD_BYTES
    assert "60 svar" in full


def test_refresh_lists_at_most_sixty_distinct_users() -> None:
    c = minutes_card(draft_pub(), CardView(), meeting_id="m", refresh_user_ids=[f"29:{n % 70}" for n in range(200)], tz=TZ)
    assert len(c["refresh"]["userIds"]) == 60


def test_no_items_hint() -> None:
    pub = Publication(content=build_draft(sources(agenda=())), status="draft", revision=1)
    texts = " ".join(b.get("text", "") for b in card(pub, CardView(editable=True))["body"])
    assert "Dagordningen har inga punkter" in texts


def test_item_titles_do_not_turn_into_lists() -> None:
    pub = Publication(content=build_draft(sources(agenda=(AgendaEntry("p1", 3, "Budget"),))), status="draft", revision=1)
    texts = [b.get("text", "") for b in card(pub, CardView())["body"]]
    assert "\u200b3. Budget" in texts  # a zero-width space keeps "3. " from starting a list, unseen
    assert replace(pub, status="draft")  # frozen dataclass copies fine


def test_the_card_shows_no_markdown_backslashes_where_the_renderer_reads_no_markup() -> None:
    """ "Tid: 21.45", "2. Laget runt", "- Resultat": Adaptive Cards show a backslash as typed."""
    content = build_draft(sources(agenda=(AgendaEntry("p1", 2, "Laget runt"),)))
    content["time_text"] = "21.45–22.30"
    content["items"][0]["notes"] = "- Resultat\n2. Uppföljning\n#uppdrag1 Skövde -5 %"
    body = json.dumps(card(Publication(content=content, status="draft", revision=1), CardView()), ensure_ascii=False)
    assert "21.45–22.30" in body and "2. Laget runt" in body and "- Resultat" in body and "#uppdrag1 Skövde -5 %" in body
    assert not any(marked in body for marked in ("\\\\.", "\\\\-", "\\\\#"))
