"""Attendance (kommer, kommer inte, ersättare, the card buttons) and presence (närvarande) through /api/messages."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.rules import municipalities as mun
from storage.attendance_repo import NO, SUBSTITUTE, YES
from tests.cards_schema import assert_valid_card
from tests.harness import ANNA, PETER, SOFIA

TEAM = "19:skis-team@thread.tacv2"
MEETING = "20261204"


async def _setup(harness) -> None:
    await harness.install(ANNA, roster=[ANNA, PETER, SOFIA])
    await harness.say("nytt möte fredag 4 december kl 9-12 Regionens hus")


async def _answer(harness, who) -> str | None:
    a = await harness.store.attendance.answer_of(TEAM, MEETING, who.aad)
    return a.answer if a else None


async def test_kommer_and_change_of_mind(harness):
    await _setup(harness)
    await harness.say("kommun Skövde", PETER)
    texts = await harness.say("kommer", PETER)
    assert "Du är anmäld" in texts[0] and "fredag 4 december 2026 kl. 09.00–12.00" in texts[0]
    assert await _answer(harness, PETER) == YES
    texts = await harness.say("kommer inte", PETER)
    assert "inte kommer" in texts[0] and "Skövde" in texts[0] and "ersättare" in texts[0]
    assert await _answer(harness, PETER) == NO
    texts = await harness.say("kommer", PETER)
    assert "ändrat ditt svar" in texts[0]
    assert "redan anmäld" in (await harness.say("kommer", PETER))[0]


async def test_no_municipality_gets_a_tip(harness):
    await _setup(harness)
    texts = await harness.say("kommer", SOFIA)
    assert "kommun Skövde" in texts[0]


async def test_substitute_by_name_and_by_mention(harness):
    await _setup(harness)
    await harness.say("kommun Lidköping", SOFIA)
    assert "Vem kommer" in (await harness.say("ersättare", SOFIA))[0]
    texts = await harness.say("ersättare Theres Rydell", SOFIA)
    assert "Theres Rydell kommer i ditt ställe" in texts[0] and "Lidköping" in texts[0]
    answer = await harness.store.attendance.answer_of(TEAM, MEETING, SOFIA.aad)
    assert answer.answer == SUBSTITUTE and answer.substitute == "Theres Rydell"
    # A registered member from another municipality is not a substitute for Lidköping.
    await harness.say("kommun Skövde", PETER)
    texts = await harness.say("ersättare @Peter Stark", SOFIA, mentions=[PETER])
    assert "Skövde" in texts[0] and "samma" not in texts[0] and "Lidköping" in texts[0]
    assert (await harness.store.attendance.answer_of(TEAM, MEETING, SOFIA.aad)).substitute == "Theres Rydell"


async def test_card_buttons_record_answers(harness):
    await _setup(harness)
    card = (await harness.say_cards("möten", PETER))[0]
    yes, no = card["actions"]
    resp = await harness.post(harness.invoke(yes["verb"], {"meeting_id": yes["data"]["meeting_id"]}, PETER))
    assert resp.status == 200
    assert await _answer(harness, PETER) == YES
    before = len(harness.connector.posted)
    await harness.post(harness.submit(no["data"], PETER))
    assert await _answer(harness, PETER) == NO
    assert any("inte kommer" in (p.text or "") for p in harness.connector.posted[before:])
    # A button for a meeting that is gone says so and stores nothing.
    before = len(harness.connector.posted)
    await harness.post(harness.submit({"action": "attend_yes", "meeting_id": "19990101"}, SOFIA))
    assert any("redan varit" in (p.text or "") for p in harness.connector.posted[before:])


async def test_no_meeting_to_answer(harness):
    await harness.install(ANNA)
    assert "inget planerat möte" in (await harness.say("kommer"))[0]


async def test_answer_for_a_named_date(harness):
    await _setup(harness)
    await harness.say("nytt möte fredag 11 december kl 9-12")
    await harness.say("kommer inte 11 december, krockar med nämnden", PETER)
    a = await harness.store.attendance.answer_of(TEAM, "20261211", PETER.aad)
    assert a.answer == NO and a.note == "krockar med nämnden"
    assert await _answer(harness, PETER) is None


async def test_presence_by_mention_and_names_and_represented(harness):
    await _setup(harness)
    await harness.say("kommun Götene")
    await harness.say("kommun Skövde", PETER)
    await harness.say("kommun Lidköping", SOFIA)
    await harness.say("kommer", PETER)
    here, missing = await mun.represented(harness.store, TEAM, MEETING)
    assert here == {"Skövde"} and len(missing) == 14
    # Before the meeting starts there is nothing to record presence for.
    assert "Inget möte har börjat" in (await harness.say("närvarande @Peter Stark", ANNA, mentions=[PETER]))[0]
    harness.clock.set(datetime(2026, 12, 4, 9, 0, tzinfo=UTC))
    assert "presidiet" in (await harness.say("närvarande Sofia", PETER))[0]
    texts = await harness.say("närvarande @Peter Stark, Sofia Adolfsson, Susanne Sandgren, Skaraborgs kommunalförbund", ANNA, mentions=[PETER])
    assert "(3):" in texts[0] and "gäster" in texts[0] and "Susanne Sandgren" in texts[0]
    here, _missing = await mun.represented(harness.store, TEAM, MEETING)
    assert here == {"Skövde", "Lidköping"}
    texts = await harness.say("närvarande ta bort Sofia")
    assert "(2):" in texts[0]
    card = (await harness.say_cards("närvarande", SOFIA))[0]
    assert_valid_card(card)
    assert "Närvarande (2)" in str(card) and "Kommuner som inte var representerade (14)" in str(card)


async def test_attendance_card_before_the_meeting(harness):
    await _setup(harness)
    await harness.say("kommun Skövde", PETER)
    await harness.say("kommer", PETER)
    await harness.say("kommer inte", SOFIA)
    card = (await harness.say_cards("närvarande", SOFIA))[0]
    assert_valid_card(card)
    flat = str(card)
    assert "Kommer (1)" in flat and "Peter Stark (Skövde)" in flat and "Kommer inte (1)" in flat
    assert "Kommuner som inte har anmält sig (14)" in flat
    assert card["actions"][0]["data"]["meeting_id"] == MEETING


async def test_presence_for_a_named_past_meeting(harness):
    await _setup(harness)
    harness.clock.set(datetime(2026, 12, 20, 9, 0, tzinfo=UTC))
    await harness.say("nytt möte fredag 8 januari kl 9-12")
    texts = await harness.say("närvarande 4 december @Peter Stark", ANNA, mentions=[PETER])
    assert "fredag 4 december 2026" in texts[0] and "(1):" in texts[0]
    assert [p.member_key for p in await harness.store.attendance.present(TEAM, MEETING)] == [PETER.aad]


async def test_answer_for_a_day_without_a_meeting(harness):
    await _setup(harness)
    texts = await harness.say("kommer 11 december", PETER)
    assert "hittar inget kommande möte ”11 december”" in texts[0]
    assert await _answer(harness, PETER) is None
