"""`uppgifter` with many open items: 20 per card, "Visa fler", `uppgifter sida N`, and "Klar" keeps the page."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest

import bot.features.action_items as records_feature
from bot.routing import ACTION_ACTION_DONE, ACTION_ACTION_ITEMS_PAGE
from storage.actions_repo import ALL, MEMBER, Owner
from tests.bot.features.records_support import FRIDAY, card_text, cards_since, invoke, setup
from tests.cards_schema import assert_valid_card
from tests.harness import ANNA, PETER, SOFIA, TEAM_ID, Harness


def _numbers(card: dict[str, Any]) -> list[int]:
    return [int(n) for n in re.findall(r'"\*\*(\d+)\*\* · ', card_text(card))]


async def _many_items(harness: Harness, count: int) -> None:
    """``count`` open items from the Friday meeting; every fifth one overdue (listed first)."""
    m = await setup(harness)
    for i in range(1, count + 1):
        owner = Owner(MEMBER, PETER.name, PETER.aad) if i % 2 else Owner(ALL, "alla", "")
        await harness.store.actions.create(TEAM_ID, title=f"Uppgift {i}", owners=(owner,), created_by=ANNA.aad,
                                           created_at=FRIDAY - timedelta(days=1), meeting_id=m.id,
                                           due=date(2026, 11, 20) if i % 5 == 0 else None)


async def _card(harness: Harness, text: str, user=PETER) -> dict[str, Any]:  # noqa: ANN001
    before = len(harness.connector.posted)
    await harness.say(text, user)
    cards = cards_since(harness, before)
    assert len(cards) == 1
    assert_valid_card(cards[0])
    return cards[0]


async def test_the_first_page_shows_20_overdue_first_with_visa_fler(harness: Harness) -> None:
    await _many_items(harness, 45)
    card = await _card(harness, "uppgifter")
    overdue = [5, 10, 15, 20, 25, 30, 35, 40, 45]
    assert _numbers(card) == overdue + [i for i in range(1, 46) if i % 5][:11]
    raw = card_text(card)
    assert "Visar 1–20 av 45 · sida 1 av 3" in raw and "**uppgifter sida 2**" in raw
    # Recorded before it began, the items are for the meeting on 27 November, not from it.
    assert raw.index("Försenade") < raw.index("Till mötet fredag 27 november 2026")
    titles = [a.get("title") for a in card["actions"]]
    assert titles == ["Visa fler", "Ny uppgift"]
    assert card["actions"][0]["data"] == {"action": ACTION_ACTION_ITEMS_PAGE, "view": "all", "page": 2, "network": TEAM_ID}


async def test_visa_fler_replaces_the_card_with_the_next_page_and_till_borjan_goes_back(harness: Harness) -> None:
    await _many_items(harness, 45)
    first = _numbers(await _card(harness, "uppgifter"))
    body = await invoke(harness, ACTION_ACTION_ITEMS_PAGE, {"view": "all", "page": 2}, SOFIA)
    second = body["value"]
    assert_valid_card(second)
    assert "Visar 21–40 av 45 · sida 2 av 3" in card_text(second)
    body = await invoke(harness, ACTION_ACTION_ITEMS_PAGE, {"view": "all", "page": 3}, SOFIA)
    third = body["value"]
    assert "Visar 41–45 av 45 · sida 3 av 3" in card_text(third)
    assert [a.get("title") for a in third["actions"]] == ["Till början", "Ny uppgift"]
    shown = first + _numbers(second) + _numbers(third)
    assert sorted(shown) == list(range(1, 46))  # every item exactly once, in list order
    body = await invoke(harness, ACTION_ACTION_ITEMS_PAGE, {"view": "all", "page": 1}, SOFIA)
    assert _numbers(body["value"]) == first
    body = await invoke(harness, ACTION_ACTION_ITEMS_PAGE, {"view": "all", "page": "x"}, SOFIA)  # garbled: page 1
    assert _numbers(body["value"]) == first


@pytest.mark.parametrize("words", ["uppgifter sida 2", "uppgifter 2", "Uppgifter s. 2"])
async def test_a_page_by_command(harness: Harness, words: str) -> None:
    await _many_items(harness, 45)
    card = await _card(harness, words)
    assert "Visar 21–40 av 45" in card_text(card)


async def test_a_page_past_the_end_says_how_many_there_are(harness: Harness) -> None:
    await _many_items(harness, 45)
    replies = await harness.say("uppgifter sida 9", PETER)
    assert "3 sid(or)" in replies[0] and "**uppgifter sida 3**" in replies[0]
    body = await invoke(harness, ACTION_ACTION_ITEMS_PAGE, {"view": "all", "page": 9}, PETER)  # an old button
    assert "Visar 41–45 av 45" in card_text(body["value"])


async def test_mina_uppgifter_pages_too(harness: Harness) -> None:
    await _many_items(harness, 45)  # Peter owns the odd ones, everyone the even ones: all 45 are his
    card = await _card(harness, "mina uppgifter sida 3")
    assert "Visar 41–45 av 45" in card_text(card) and "Dina öppna uppgifter" in card_text(card)
    body = await invoke(harness, ACTION_ACTION_ITEMS_PAGE, {"view": "mine", "page": 2}, PETER)
    assert "Dina öppna uppgifter" in card_text(body["value"])


async def test_klar_on_a_later_page_shows_that_page_again(harness: Harness) -> None:
    await _many_items(harness, 41)
    body = await invoke(harness, ACTION_ACTION_DONE, {"number": 39, "view": "all", "page": 2}, PETER)
    card = body["value"]
    assert_valid_card(card)
    assert "Visar 21–40 av 40 · sida 2 av 2" in card_text(card) and 39 not in _numbers(card)
    # The last item of the last page: that page is gone, the card shows the new last page.
    last = _numbers(card)[-1]
    body = await invoke(harness, ACTION_ACTION_DONE, {"number": last, "view": "all", "page": 2}, PETER)
    assert "Visar 21–39 av 39" in card_text(body["value"])


async def test_only_the_items_shown_are_worded(harness: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    """With 200 open items the turn words 20 of them (owners, dates): the cost the benchmark measured."""
    await _many_items(harness, 200)
    worded: list[int] = []
    real = records_feature.owners_text

    def counting(owners, locale="sv"):  # noqa: ANN001, ANN202
        worded.append(1)
        return real(owners, locale)

    monkeypatch.setattr(records_feature, "owners_text", counting)
    card = await _card(harness, "uppgifter")
    assert len(_numbers(card)) == 20 and len(worded) == 20
    assert len(card_text(card).encode()) < 20_000


async def test_the_rows_are_sized_once_per_turn_and_remembered(harness: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    """Paging sizes every open item's row: once per turn (the page check and the card share it),
    and a title and owners sized on an earlier turn are not sized again."""
    await _many_items(harness, 200)
    paged: list[int] = []
    real = records_feature.item_pages

    def counting(sizes, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        paged.append(len(sizes))
        return real(sizes, *args, **kwargs)

    monkeypatch.setattr(records_feature, "item_pages", counting)
    records_feature.item_row_size.cache_clear()
    first = await _card(harness, "uppgifter")
    assert paged == [200]
    misses = records_feature.item_row_size.cache_info().misses
    assert misses == 200  # every title is different
    again = await _card(harness, "uppgifter sida 2")
    assert paged == [200, 200]
    assert records_feature.item_row_size.cache_info().misses == misses
    assert _numbers(first) != _numbers(again) and len(_numbers(again)) == 20
