"""Decisions through /api/messages (harness + fake connector)."""

from __future__ import annotations

from datetime import timedelta

from tests.bot.features.records_support import (
    FRIDAY,
    card_text,
    cards_since,
    meeting,
    set_member,
    setup,
)
from tests.cards_schema import assert_valid_card
from tests.harness import ANNA, PETER, SOFIA, TEAM_ID, Harness


async def test_decision_during_the_meeting_by_anyone_afterwards_by_presidium_or_secretary(harness: Harness) -> None:
    m = await setup(harness)
    replies = await harness.say("beslut Skövde och Tibro presenterar Bästa skola", PETER)
    assert "Inget möte har börjat" in replies[0]
    harness.clock.set(FRIDAY + timedelta(hours=1))
    replies = await harness.say("beslut punkt 3: Skövde och Tibro presenterar hur de arbetar med Bästa skola på mötet 1 juni", PETER)
    d = await harness.store.decisions.get(TEAM_ID, 1)
    assert d.meeting_id == m.id and d.agenda_item == 3 and d.text.startswith("Skövde och Tibro presenterar")
    assert d.recorded_by == PETER.aad and d.recorded_at == harness.clock.now() and d.conversation_id.startswith(TEAM_ID)
    assert "Beslut **1**" in replies[0] and "(punkt 3)" in replies[0] and "**ändra beslut 1**" in replies[0]
    assert await harness.store.decisions.for_meeting(TEAM_ID, m.id) == [d]

    harness.clock.set(FRIDAY + timedelta(days=2))
    replies = await harness.say("beslut Nästa möte blir digitalt", PETER)
    assert "presidiet, sekreteraren eller ordföranden" in replies[0]
    await set_member(harness, SOFIA, roles=frozenset({"medlem", "sekreterare"}))
    replies = await harness.say("beslut Nästa möte blir digitalt", SOFIA)
    assert "Beslut **2**" in replies[0] and (await harness.store.decisions.get(TEAM_ID, 2)).meeting_id == m.id
    replies = await harness.say("beslut Ett till", ANNA)
    assert "Beslut **3**" in replies[0]


async def test_decision_dialog(harness: Harness) -> None:
    m = await setup(harness)
    harness.clock.set(FRIDAY + timedelta(hours=1))
    replies = await harness.say("beslut", PETER)
    assert "Vilket beslut togs" in replies[0] and "punkt 3:" in replies[0]
    replies = await harness.say("", PETER)
    assert "ingen beslutstext" in replies[0]
    replies = await harness.say("punkt 2: Vi bjuder in Erik Andersson", PETER)
    d = await harness.store.decisions.get(TEAM_ID, 1)
    assert (d.agenda_item, d.text, d.meeting_id) == (2, "Vi bjuder in Erik Andersson", m.id)
    replies = await harness.say("beslut punkt 99: Något", PETER)
    assert "ingen punkt 99" in replies[0] and "beslut punkt 3" in replies[0]
    replies = await harness.say("beslut punkt 4", PETER)
    assert "under punkt 4" in replies[0]
    await harness.say("Tidaholm presenterar kvalitetsdialogen", PETER)
    assert (await harness.store.decisions.get(TEAM_ID, 2)).agenda_item == 4
    await harness.say("beslut", PETER)
    replies = await harness.say("punkt 99: Något", PETER)
    assert "ingen punkt 99" in replies[0]  # and the dialog asks again
    await harness.say("avbryt", PETER)
    assert len(await harness.store.decisions.all(TEAM_ID)) == 2


async def test_correcting_a_decision_keeps_its_history(harness: Harness) -> None:
    await setup(harness)
    harness.clock.set(FRIDAY + timedelta(hours=1))
    await harness.say("beslut Skövde presenterar i maj", PETER)
    replies = await harness.say("ändra beslut 1 Skövde presenterar i juni", SOFIA)
    assert "rättas av den som förde in det" in replies[0]
    replies = await harness.say("ändra beslut 1 Skövde presenterar i juni", PETER)
    assert "är rättat" in replies[0] and "i maj" in replies[0] and "i juni" in replies[0]
    replies = await harness.say("rätta beslut 1 punkt 99: Skövde och Tibro presenterar i juni", ANNA)
    assert "ingen punkt 99" in replies[0] and (await harness.store.decisions.get(TEAM_ID, 1)).agenda_item is None
    replies = await harness.say("rätta beslut 1 punkt 3: Skövde och Tibro presenterar i juni", ANNA)
    d = await harness.store.decisions.get(TEAM_ID, 1)
    assert d.text == "Skövde och Tibro presenterar i juni" and d.agenda_item == 3
    assert [v.text for v in d.history] == ["Skövde presenterar i maj", "Skövde presenterar i juni"]
    assert [v.recorded_by for v in d.history] == [PETER.aad, PETER.aad] and d.recorded_by == ANNA.aad
    for text, expected in (("ändra beslut", "Skriv numret"), ("ändra beslut 9 x", "inget beslut 9"), ("ändra beslut 1 punkt 2", "Skriv numret")):
        replies = await harness.say(text, ANNA)
        assert expected in replies[0], text


async def test_decision_log_search_ignores_case_and_diacritics_and_pages(harness: Harness) -> None:
    replies_empty = None
    first = await setup(harness)
    replies_empty = await harness.say("beslutslogg", PETER)
    assert "Inga beslut är sparade än" in replies_empty[0]
    harness.clock.set(FRIDAY + timedelta(hours=1))
    await harness.say("beslut Skövde och Tibro presenterar Bästa skola", ANNA)
    for i in range(2, 13):
        await harness.say(f"beslut Beslut nummer {i}", ANNA)
    second = await meeting(harness, FRIDAY + timedelta(days=14))
    harness.clock.set(second.starts_at + timedelta(hours=1))
    await harness.say("beslut Bästa skola följs upp i Töreboda", ANNA)

    before = len(harness.connector.posted)
    await harness.say("beslutslogg bästa", PETER)
    card = cards_since(harness, before)[0]
    assert_valid_card(card)
    raw = card_text(card)
    assert raw.index("Bästa skola följs upp") < raw.index("Skövde och Tibro presenterar")  # newest first
    assert "mötet fredag 11 december 2026" in raw and "mötet fredag 27 november 2026" in raw
    assert "Beslut nummer" not in raw
    for query in ("BASTA", "skovde", "toreb", "bäst skola"):
        before = len(harness.connector.posted)
        await harness.say(f"beslutslogg {query}", PETER)
        assert cards_since(harness, before), query

    before = len(harness.connector.posted)
    await harness.say("beslutslogg", PETER)
    raw = card_text(cards_since(harness, before)[0])
    assert "Sida 1 av 2 · 13 beslut" in raw and raw.count("**Beslut ") == 10 and "beslutslogg sida 2" in raw
    before = len(harness.connector.posted)
    await harness.say("beslutslogg sida 2", PETER)
    card = cards_since(harness, before)[0]
    assert_valid_card(card)
    assert card_text(card).count("**Beslut ") == 3 and "Sida 2 av 2" in card_text(card)
    replies = await harness.say("beslutslogg sida 3", PETER)
    assert "Beslutsloggen har 2 sid(or)" in replies[0] and "beslutslogg sida 2" in replies[0]
    replies = await harness.say("beslutslogg budget", PETER)
    assert "Inget beslut innehåller ”budget”" in replies[0]
    assert first.id
