"""One long record must not break the cards everyone shares.

Each kind of record has a length limit, answered in plain Swedish with the limit and what to do;
an emoji counts as two characters (twelve bytes once escaped). Records stored before the limits
(30 KB, 2,500 emoji) still give cards within Teams' size: lists shorten each row and page by size,
and every card sent is cut to fit.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from bot.app import SERVICES_KEY
from bot.cards import MAX_CARD_BYTES, card_size, clip, fit, wire_size
from bot.cards.records import item_pages
from bot.messages import t
from bot.routing import (
    ACTION_ACTION_ITEM_FORM,
    ACTION_ACTION_ITEMS_PAGE,
    ACTION_CHECKIN,
    ACTION_MINUTES_APPROVE,
    ACTION_MINUTES_SAVE,
)
from bot.rules import limits
from storage.actions_repo import MEMBER, Owner
from tests.bot.features.test_minutes import MID, seed
from tests.cards_schema import assert_valid_card
from tests.harness import ANNA, PETER, SOFIA, TEAM_ID, Harness

LONG = "Ett mycket långt stycke text om skolutveckling i Skaraborg. " * 500  # about 30 KB
EMOJI = "😀" * 2500
TEAMS_LIMIT = 28 * 1024  # what Teams accepts for one activity


def _first(key: str, **params: Any) -> str:
    """The start of a catalogue text (before its first parameter), to find it in a reply."""
    return t(key, "sv", **params).split("(")[0]


def _sizes_ok(h: Harness, since: int = 0) -> list[dict[str, Any]]:
    """Every card posted since ``since`` fits, and no reply is the error line."""
    posted = h.connector.posted[since:]
    assert not any(t("core.error", "sv") in p.text for p in posted)
    cards = [c for p in posted for c in p.cards]
    for card in cards:
        assert card_size(card) <= MAX_CARD_BYTES
        assert_valid_card(card)
    for p in posted:
        assert len(json.dumps(p.body)) <= TEAMS_LIMIT
    return cards


# Limits where records are made -------------------------------------------------------------------
@pytest.fixture
async def bot(harness: Harness) -> Harness:
    await seed(harness)  # Anna chairs, Sofia is the secretary, Peter a member
    return harness


@pytest.mark.parametrize("answer", [LONG[: limits.CHECKIN_ANSWER + 1], "😀" * (limits.CHECKIN_ANSWER // 2 + 1)], ids=["text", "emoji"])
async def test_a_check_in_answer_over_the_limit_is_refused_with_the_limit(bot: Harness, answer: str) -> None:
    before = len(await bot.store.checkins.answers(TEAM_ID, "20261204")) + len(await bot.store.checkins.answers(TEAM_ID, MID))
    [reply] = await bot.say(f"incheckning {answer}", PETER)
    assert str(limits.CHECKIN_ANSWER) in reply and "Inget sparades" in reply
    after = len(await bot.store.checkins.answers(TEAM_ID, "20261204")) + len(await bot.store.checkins.answers(TEAM_ID, MID))
    assert after == before


async def test_a_check_in_answer_at_the_limit_is_stored(bot: Harness) -> None:
    answer = ("Skövde " * 400)[: limits.CHECKIN_ANSWER].strip()
    [reply] = await bot.say(f"incheckning {answer}", PETER)
    assert "Inget sparades" not in reply


async def test_the_check_in_box_on_a_card_has_the_same_limit(bot: Harness) -> None:
    resp = await bot.post(bot.invoke(ACTION_CHECKIN, {"meeting_id": "20261204", "answer": EMOJI}, PETER))
    body = await resp.json()
    assert str(limits.CHECKIN_ANSWER) in body["value"]
    assert await bot.store.checkins.get_answer(TEAM_ID, "20261204", PETER.aad) is None


async def test_an_action_item_title_over_the_limit_is_refused(bot: Harness) -> None:
    before = len(await bot.store.actions.all(TEAM_ID))
    [reply] = await bot.say(f"uppgift {'Boka lokal ' * 40} @Peter Stark till fredag", ANNA, mentions=[PETER])
    assert str(limits.ACTION_TITLE) in reply and "Inget sparades" in reply
    [reply] = await bot.say(f"uppgift {LONG}", ANNA)
    assert str(limits.ACTION_TITLE) in reply
    assert len(await bot.store.actions.all(TEAM_ID)) == before


async def test_the_new_item_form_has_the_same_limit(bot: Harness) -> None:
    before = len(await bot.store.actions.all(TEAM_ID))
    resp = await bot.post(bot.invoke(ACTION_ACTION_ITEM_FORM, {"title": EMOJI[:200], "owners": "Peter Stark", "view": "all"}, ANNA))
    assert str(limits.ACTION_TITLE) in (await resp.json())["value"]
    assert len(await bot.store.actions.all(TEAM_ID)) == before


async def test_editing_an_item_to_a_long_title_is_refused(bot: Harness) -> None:
    item = (await bot.store.actions.all(TEAM_ID))[0]
    [reply] = await bot.say(f"ändra uppgift {item.number} {'Ny rubrik ' * 40}", ANNA)
    assert str(limits.ACTION_TITLE) in reply
    assert (await bot.store.actions.get(TEAM_ID, item.id)).title == item.title


@pytest.mark.parametrize("text", [LONG, EMOJI], ids=["30kb", "emoji"])
async def test_a_decision_over_the_limit_is_refused(bot: Harness, text: str) -> None:
    before = [d.text for d in await bot.store.decisions.all(TEAM_ID)]
    [reply] = await bot.say(f"beslut {text}", ANNA)
    assert str(limits.DECISION_TEXT) in reply and "Inget sparades" in reply
    [reply] = await bot.say(f"ändra beslut 1 {text}", ANNA)
    assert str(limits.DECISION_TEXT) in reply
    assert [d.text for d in await bot.store.decisions.all(TEAM_ID)] == before


async def test_a_long_decision_in_the_dialog_is_asked_again(bot: Harness) -> None:
    await bot.say("beslut", ANNA)
    [reply] = await bot.say(EMOJI, ANNA)
    assert str(limits.DECISION_TEXT) in reply
    before = len(await bot.store.decisions.all(TEAM_ID))
    await bot.say("Vi ses i Hjo", ANNA)
    assert len(await bot.store.decisions.all(TEAM_ID)) == before + 1


async def test_a_meeting_place_over_the_limit_is_refused(bot: Harness) -> None:
    before = len(await bot.store.meetings.all(TEAM_ID))
    [reply] = await bot.say(f"nytt möte fredag 11 december 2026 kl 9-12 {'Regionens hus ' * 20}", ANNA)
    assert str(limits.PLACE) in reply and "Inget sparades" in reply
    assert len(await bot.store.meetings.all(TEAM_ID)) == before


async def test_an_agenda_item_of_emoji_counts_them_as_two(bot: Harness) -> None:
    [reply] = await bot.say("punkt " + "😀" * (limits.AGENDA_ITEM // 2 + 1), ANNA)
    assert str(limits.AGENDA_ITEM) in reply


async def test_a_minutes_note_over_the_limit_is_not_saved(bot: Harness) -> None:
    resp = await bot.post(bot.invoke("minutes_refresh", {"meeting_id": MID}, SOFIA))
    assert resp.status == 200
    draft = await bot.store.minutes.draft(TEAM_ID, MID)
    resp = await bot.post(bot.invoke(ACTION_MINUTES_SAVE, {"meeting_id": MID, "revision": draft.revision, "checkin_summary": EMOJI}, SOFIA))
    shown = json.dumps(await resp.json(), ensure_ascii=False)
    assert str(limits.MINUTES_NOTE) in shown and "Spara utkast" in shown
    assert (await bot.store.minutes.draft(TEAM_ID, MID)).revision == draft.revision
    resp = await bot.post(bot.invoke(ACTION_MINUTES_APPROVE, {"meeting_id": MID, "revision": draft.revision, "checkin_summary": EMOJI}, SOFIA))
    assert await bot.store.minutes.versions(TEAM_ID, MID) == []


# Records stored before the limits ------------------------------------------------------------------
async def _store_long_records(h: Harness) -> None:
    now = h.clock.now()
    for title in (LONG, EMOJI):
        await h.store.actions.create(TEAM_ID, title=title, owners=(Owner(MEMBER, ANNA.name, ANNA.aad),), created_by=ANNA.aad,
                                     created_at=now, meeting_id=MID)
    for text in (LONG, EMOJI):
        await h.store.decisions.record(TEAM_ID, MID, text=text, recorded_by=ANNA.aad, at=now, recorded_by_name=ANNA.name)


@pytest.mark.parametrize("command", ["uppgifter", "mina uppgifter", "beslutslogg"])
async def test_shared_lists_fit_after_a_30_kb_record(bot: Harness, command: str) -> None:
    await _store_long_records(bot)
    cards = await bot.say_cards(command, ANNA)
    assert cards
    _sizes_ok(bot)
    if command != "beslutslogg":  # every page of the list, not only the first
        view, page, shown = ("mine" if command.startswith("mina") else "all"), 1, set()
        while True:
            resp = await bot.post(bot.invoke(ACTION_ACTION_ITEMS_PAGE, {"view": view, "page": page}, ANNA))
            value = (await resp.json())["value"]
            assert card_size(value) <= MAX_CARD_BYTES
            assert_valid_card(value)
            shown |= {a["data"]["number"] for a in _buttons(value) if a.get("verb") == "action_done"}
            if not any(a.get("verb") == ACTION_ACTION_ITEMS_PAGE and a["data"].get("page") == page + 1 for a in _buttons(value)):
                break
            page += 1
        assert {i.title[:20] for i in await bot.store.actions.open_items(TEAM_ID) if i.number in shown} >= {LONG[:20], EMOJI[:20]}


async def test_the_secretarys_minutes_card_fits_and_the_minutes_can_be_confirmed(bot: Harness) -> None:
    await _store_long_records(bot)
    await bot.say_cards("protokoll", SOFIA)
    _sizes_ok(bot)
    draft = await bot.store.minutes.draft(TEAM_ID, MID)
    assert draft is not None
    resp = await bot.post(bot.invoke(ACTION_MINUTES_APPROVE, {"meeting_id": MID, "revision": draft.revision}, SOFIA))
    body = await resp.json()
    assert resp.status == 200 and body["statusCode"] == 200
    if body.get("type") == "application/vnd.microsoft.card.adaptive":
        assert card_size(body["value"]) <= MAX_CARD_BYTES
    assert len(await bot.store.minutes.versions(TEAM_ID, MID)) == 1
    _sizes_ok(bot)


async def test_many_long_items_make_more_pages_each_within_the_limit(bot: Harness) -> None:
    now = bot.clock.now()
    for n in range(25):
        await bot.store.actions.create(TEAM_ID, title=f"{n}: " + "Lång rubrik om kvalitetsarbetet 😀 " * 40, owners=(Owner(MEMBER, ANNA.name, ANNA.aad),),
                                       created_by=ANNA.aad, created_at=now)
    cards = await bot.say_cards("uppgifter", ANNA)
    _sizes_ok(bot)
    [card] = cards
    page_texts = json.dumps(card, ensure_ascii=False)
    assert "sida 1 av" in page_texts.lower() or "Visa fler" in page_texts
    total = len(await bot.store.actions.open_items(TEAM_ID))
    seen: list[int] = []
    per_page: list[int] = []
    page = 1
    while True:
        resp = await bot.post(bot.invoke(ACTION_ACTION_ITEMS_PAGE, {"view": "all", "page": page}, ANNA))
        value = (await resp.json())["value"]
        assert card_size(value) <= MAX_CARD_BYTES
        numbers = [a["data"]["number"] for a in _buttons(value) if a.get("verb") == "action_done"]
        seen += numbers
        per_page.append(len(numbers))
        more = [a for a in _buttons(value) if a.get("verb") == ACTION_ACTION_ITEMS_PAGE and a["data"].get("page") == page + 1]
        if not more:
            break
        page += 1
    assert per_page[0] < 20  # 20 such rows do not fit on one card: the page is shorter
    assert sorted(seen) == sorted(i.number for i in await bot.store.actions.open_items(TEAM_ID)) and len(seen) == total


def _buttons(card: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(card, dict):
        if card.get("type") == "Action.Execute":
            found.append(card)
        for key, value in card.items():
            if key != "fallback":
                found += _buttons(value)
    elif isinstance(card, list):
        for value in card:
            found += _buttons(value)
    return found


# The pure helpers, as tables -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "max_bytes"),
    [("abc", 10), (LONG, 600), (EMOJI, 600), ("å" * 400, 601), ("**fet** " * 200, 300), ("a\\" * 300, 101)],
    ids=["short", "30kb", "emoji", "å", "markup", "backslashes"],
)
def test_clip_stays_within_its_bytes(value: str, max_bytes: int) -> None:
    clipped = clip(value, max_bytes)
    assert wire_size(clipped) <= max_bytes
    assert clipped == value or clipped.endswith("…")


def test_fit_cuts_texts_never_inputs_or_buttons() -> None:
    card = {"type": "AdaptiveCard", "body": [{"type": "TextBlock", "text": LONG}, {"type": "TextBlock", "text": EMOJI},
                                             {"type": "Input.Text", "id": "x", "value": "kept"}],
            "actions": [{"type": "Action.Execute", "verb": "v", "data": {"action": "v", "title": LONG[:3000]}}]}
    fitted = fit(card)
    assert card_size(fitted) <= MAX_CARD_BYTES
    assert fitted["body"][2]["value"] == "kept" and fitted["actions"] == card["actions"]
    assert card["body"][0]["text"] == LONG  # the card given is not changed


@pytest.mark.parametrize(
    ("sizes", "pages"),
    [([1000] * 20, [(0, 20)]), ([1000] * 21, [(0, 20), (20, 21)]), ([5000] * 5, [(0, 4), (4, 5)]), ([30000, 100], [(0, 1), (1, 2)]), ([], [(0, 0)])],
)
def test_item_pages_end_at_twenty_rows_or_the_budget(sizes: list[int], pages: list[tuple[int, int]]) -> None:
    assert item_pages(sizes, budget=20_000) == pages


async def test_the_agenda_and_check_in_cards_fit_after_long_old_records(bot: Harness) -> None:
    upcoming = await bot.store.meetings.get(TEAM_ID, "20261204")
    await bot.store.agenda.add(upcoming, LONG, by=ANNA.aad, by_name=ANNA.name, at=bot.clock.now())
    for user in (ANNA, PETER, SOFIA):
        await bot.store.checkins.save_answer(TEAM_ID, "20261204", user.aad, question="Hur går det?", answer=EMOJI,
                                             at=bot.clock.now(), member_name=user.name)
    for command in ("dagordning", "incheckningar"):
        before = len(bot.connector.posted)
        assert await bot.say_cards(command, ANNA)
        _sizes_ok(bot, before)


async def test_reminder_cards_fit_after_long_old_records(bot: Harness) -> None:
    upcoming = await bot.store.meetings.get(TEAM_ID, "20261204")
    await bot.store.agenda.add(upcoming, LONG, by=ANNA.aad, by_name=ANNA.name, at=bot.clock.now())
    await bot.store.actions.create(TEAM_ID, title=EMOJI, owners=(Owner(MEMBER, PETER.name, PETER.aad),), created_by=ANNA.aad,
                                   created_at=bot.clock.now(), due=upcoming.starts_at.date())
    before = len(bot.connector.posted)
    service = bot.app[SERVICES_KEY].reminders
    for days in (4, 8, 10):
        await service.runner.run_due(bot.clock.now() + timedelta(days=days))
    assert len(_sizes_ok(bot, before)) >= 2  # the week reminder, the digest, the action item nudge


async def _save_notes(h: Harness, **fields: str) -> dict[str, Any]:
    await h.post(h.invoke("minutes_refresh", {"meeting_id": MID}, SOFIA))
    draft = await h.store.minutes.draft(TEAM_ID, MID)
    resp = await h.post(h.invoke(ACTION_MINUTES_SAVE, {"meeting_id": MID, "revision": draft.revision, **fields}, SOFIA))
    return await resp.json()


async def test_minutes_notes_together_over_the_limit_are_not_saved(bot: Harness) -> None:
    note = "Anteckning om mötet. " * 180  # 3,780 characters: each field is within its own limit
    body = await _save_notes(bot, checkin_summary=note, checkout_summary=note, notes_t1=note)
    assert str(limits.MINUTES_NOTES) in json.dumps(body, ensure_ascii=False)
    assert "Anteckning om mötet" not in json.dumps((await bot.store.minutes.draft(TEAM_ID, MID)).content, ensure_ascii=False)


async def test_the_editor_card_fits_with_notes_at_the_limit_and_long_records(bot: Harness) -> None:
    await _store_long_records(bot)
    note = "Anteckning om mötet, med å, ä och ö. " * 100  # about 3,700 characters
    await _save_notes(bot, checkin_summary=note, checkout_summary=note)
    assert "Anteckning om mötet" in json.dumps((await bot.store.minutes.draft(TEAM_ID, MID)).content, ensure_ascii=False)
    before = len(bot.connector.posted)
    await bot.say_cards("protokoll", SOFIA)
    _sizes_ok(bot, before)
