"""Check-ins and check-outs through /api/messages (harness + fake connector)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.routing import ACTION_CHECKIN
from storage.checkins_repo import CHECKOUT
from tests.bot.features.records_support import (
    EXACT,
    EXACT_SENT,
    FRIDAY,
    card_text,
    cards_since,
    invoke,
    meeting,
    set_member,
    setup,
)
from tests.cards_schema import assert_valid_card
from tests.harness import ANNA, PETER, SOFIA, TEAM_ID, TENANT, Harness, User


async def test_checkin_in_one_message_is_stored_exactly_and_replaced_after_saying_so(harness: Harness) -> None:
    m = await setup(harness)
    replies = await harness.say(f"incheckning {EXACT_SENT}", PETER)
    stored = await harness.store.checkins.get_answer(TEAM_ID, m.id, PETER.aad)
    assert stored is not None and stored.answer == EXACT
    assert stored.question == "Vad tog du med från förra mötet?"
    assert stored.conversation_id.startswith(TEAM_ID) and stored.activity_id and stored.answered_at == harness.clock.now()
    assert "Tack Peter!" in replies[0] and "fredag 27 november 2026" in replies[0]
    assert "\\*\\*Bästa skola\\*\\*" in replies[0] and "\\<b\\>" in replies[0]  # shown safely
    assert "**radera incheckning**" in replies[0]

    replies = await harness.say("incheckning Ett kortare svar", PETER)
    assert "ersatt" in replies[0] and "Ett kortare svar" in replies[0] and "Tre saker" in replies[0]
    answers = await harness.store.checkins.answers(TEAM_ID, m.id)
    assert [(a.member_key, a.answer) for a in answers] == [(PETER.aad, "Ett kortare svar")]


async def test_checkin_dialog_asks_shows_current_answer_and_replaces_it(harness: Harness) -> None:
    m = await setup(harness)
    replies = await harness.say("incheckning", SOFIA)
    assert "Vad tog du med från förra mötet?" in replies[0] and "**avbryt**" in replies[0]
    replies = await harness.say(EXACT_SENT, SOFIA)
    assert "Tack Sofia!" in replies[0]
    assert (await harness.store.checkins.get_answer(TEAM_ID, m.id, SOFIA.aad)).answer == EXACT

    replies = await harness.say("incheckning", SOFIA)
    assert "Du har redan svarat" in replies[0] and "Tre saker" in replies[0] and "ersätter" in replies[0]
    replies = await harness.say("Nytt svar\nmed två rader", SOFIA)
    assert "ersatt" in replies[0]
    assert (await harness.store.checkins.get_answer(TEAM_ID, m.id, SOFIA.aad)).answer == "Nytt svar\nmed två rader"


async def test_checkin_dialog_cancel_and_empty_reply_store_nothing(harness: Harness) -> None:
    m = await setup(harness)
    await harness.say("incheckning", PETER)
    replies = await harness.say("", PETER)  # only the bot's @mention
    assert "Jag fick inget svar" in replies[0]
    replies = await harness.say("avbryt", PETER)
    assert "avbrutit" in replies[0]
    assert await harness.store.checkins.answers(TEAM_ID, m.id) == []
    replies = await harness.say("möten?", PETER)  # the dialog is gone: not taken as an answer
    assert await harness.store.checkins.answers(TEAM_ID, m.id) == []


async def test_delete_own_checkin(harness: Harness) -> None:
    m = await setup(harness)
    replies = await harness.say("radera incheckning", PETER)
    assert "inget svar" in replies[0]
    await harness.say("incheckning Mitt svar", PETER)
    await harness.say("incheckning Annas svar", ANNA)
    replies = await harness.say("radera incheckning", PETER)
    assert "tagit bort" in replies[0] and "**incheckning**" in replies[0]
    assert [a.member_key for a in await harness.store.checkins.answers(TEAM_ID, m.id)] == [ANNA.aad]
    # Also from inside the dialog
    await harness.say("incheckning", ANNA)
    replies = await harness.say("radera incheckning", ANNA)
    assert "tagit bort" in replies[0]
    assert await harness.store.checkins.answers(TEAM_ID, m.id) == []


async def test_checkins_show_answers_and_who_has_not_answered_per_municipality(harness: Harness) -> None:
    m = await setup(harness)
    await set_member(harness, PETER, municipality="Skövde")
    await set_member(harness, SOFIA, municipality="Lidköping")
    await harness.say(f"incheckning {EXACT_SENT}", PETER)
    before = len(harness.connector.posted)
    await harness.say("incheckningar", SOFIA)
    cards = cards_since(harness, before)
    assert len(cards) == 1
    assert_valid_card(cards[0])
    raw = card_text(cards[0])
    assert "Incheckning – mötet fredag 27 november 2026" in raw
    assert "**Peter Stark** · Skövde" in raw and "\\\\*\\\\*Bästa skola\\\\*\\\\*" in raw
    assert "1 av 3 har svarat." in raw
    facts = next(b for b in cards[0]["body"] if b["type"] == "FactSet")["facts"]
    assert facts == [{"title": "Lidköping", "value": "Sofia Adolfsson"}, {"title": "Kommun saknas", "value": "Anna Gustafsson"}]
    assert m.id


async def test_no_meeting_means_a_helpful_answer(harness: Harness) -> None:
    await harness.install(ANNA, roster=[ANNA, PETER])
    for command in ("incheckning", "incheckning Hej", "incheckningar", "radera incheckning", "utcheckning", "incheckningsfråga"):
        replies = await harness.say(command, PETER)
        assert "inget kommande möte" in replies[0] and "**möten**" in replies[0], command


async def test_question_is_set_by_presidium_rotates_by_default_and_can_be_reset(harness: Harness) -> None:
    first = await setup(harness)
    second = await meeting(harness, FRIDAY + timedelta(days=14))
    replies = await harness.say("incheckningsfråga", PETER)
    assert "Vad tog du med från förra mötet?" in replies[0] and "nätverkets egna frågor" in replies[0]
    harness.clock.set(FRIDAY + timedelta(days=1))  # the next meeting is now the second one
    replies = await harness.say("incheckningsfråga", PETER)
    assert "Vad är det bästa som kan hända vid dagens möte?" in replies[0]
    replies = await harness.say("utcheckningsfråga", PETER)
    assert "Vad tar du med dig från dagens möte?" in replies[0]

    replies = await harness.say("incheckningsfråga Vad vill du få med dig i dag?", PETER)
    assert "presidiet" in replies[0] and (await harness.store.meetings.get(TEAM_ID, second.id)).checkin_question is None
    await harness.say("incheckning Något", SOFIA)
    replies = await harness.say("incheckningsfråga Vad vill du få med dig i dag?", ANNA)
    assert "Klart!" in replies[0] and "1 har redan svarat" in replies[0]
    assert (await harness.store.meetings.get(TEAM_ID, second.id)).checkin_question == "Vad vill du få med dig i dag?"
    assert (await harness.store.meetings.get(TEAM_ID, first.id)).checkin_question is None
    replies = await harness.say("incheckning", PETER)
    assert "Vad vill du få med dig i dag?" in replies[0]
    await harness.say("Bra", PETER)
    assert (await harness.store.checkins.get_answer(TEAM_ID, second.id, PETER.aad)).question == "Vad vill du få med dig i dag?"

    replies = await harness.say("incheckningsfråga standard", ANNA)
    assert "Vad är det bästa som kan hända vid dagens möte?" in replies[0]
    assert (await harness.store.meetings.get(TEAM_ID, second.id)).checkin_question is None
    replies = await harness.say("utcheckningsfråga Varför jobbar du där du är?", ANNA)
    assert (await harness.store.meetings.get(TEAM_ID, second.id)).checkout_question == "Varför jobbar du där du är?"


async def test_checkout_works_like_checkin(harness: Harness) -> None:
    m = await setup(harness)
    replies = await harness.say("utcheckning Jag tar med mig energi", PETER)
    assert "utcheckningen" in replies[0] and "**radera utcheckning**" in replies[0]
    answer = await harness.store.checkins.get_answer(TEAM_ID, m.id, PETER.aad, CHECKOUT)
    assert answer.answer == "Jag tar med mig energi" and answer.question == "Varför jobbar du där du är?"
    assert await harness.store.checkins.get_answer(TEAM_ID, m.id, PETER.aad) is None
    before = len(harness.connector.posted)
    await harness.say("utcheckningar", ANNA)
    card = cards_since(harness, before)[0]
    assert_valid_card(card)
    assert "Utcheckning – mötet" in card_text(card) and "energi" in card_text(card)
    await harness.say("utcheckning", SOFIA)
    await harness.say("Kul!", SOFIA)
    assert (await harness.store.checkins.get_answer(TEAM_ID, m.id, SOFIA.aad, CHECKOUT)).answer == "Kul!"
    replies = await harness.say("radera utcheckning", PETER)
    assert "tagit bort" in replies[0]


async def test_checkin_from_a_card(harness: Harness) -> None:
    m = await setup(harness)
    body = await invoke(harness, ACTION_CHECKIN, {"meeting_id": m.id, "answer": "Från kortet\nrad två 🎉"}, PETER)
    assert body["type"] == "application/vnd.microsoft.activity.message" and "Tack!" in body["value"]
    assert (await harness.store.checkins.get_answer(TEAM_ID, m.id, PETER.aad)).answer == "Från kortet\nrad två 🎉"
    body = await invoke(harness, ACTION_CHECKIN, {"meeting_id": m.id, "answer": "Andra", "kind": "checkout"}, PETER)
    assert (await harness.store.checkins.get_answer(TEAM_ID, m.id, PETER.aad, CHECKOUT)).answer == "Andra"
    body = await invoke(harness, ACTION_CHECKIN, {"meeting_id": m.id, "answer": "  "}, SOFIA)
    assert "rutan" in body["value"]
    body = await invoke(harness, ACTION_CHECKIN, {"meeting_id": "19990101", "answer": "x"}, SOFIA)
    assert "finns inte längre" in body["value"]
    assert await harness.store.checkins.get_answer(TEAM_ID, m.id, SOFIA.aad) is None
    # Action.Submit (clients without Action.Execute) answers with a message
    before = len(harness.connector.posted)
    resp = await harness.post(harness.submit({"action": ACTION_CHECKIN, "answer": "Via submit"}, SOFIA))
    assert resp.status == 200
    assert (await harness.store.checkins.get_answer(TEAM_ID, m.id, SOFIA.aad)).answer == "Via submit"
    assert any("Tack!" in p.text for p in harness.connector.posted[before:])


async def test_fifty_people_checking_in_at_once_lose_nothing(harness: Harness) -> None:
    m = await setup(harness)
    people = [User(f"Deltagare {i}", f"aad-many-{i}") for i in range(50)]
    responses = await asyncio.gather(
        *(harness.post(harness.message(f"incheckning Svar nummer {i} 🎉\nrad två", person)) for i, person in enumerate(people))
    )
    assert [r.status for r in responses] == [200] * 50
    answers = await harness.store.checkins.answers(TEAM_ID, m.id)
    assert len(answers) == 50
    assert {a.member_key: a.answer for a in answers} == {p.aad: f"Svar nummer {i} 🎉\nrad två" for i, p in enumerate(people)}


async def test_fifty_people_answering_the_dialog_at_once(harness: Harness) -> None:
    m = await setup(harness)
    people = [User(f"Deltagare {i}", f"aad-dlg-{i}") for i in range(50)]
    await asyncio.gather(*(harness.post(harness.message("incheckning", p)) for p in people))
    await asyncio.gather(*(harness.post(harness.message(f"Svar {i}", p)) for i, p in enumerate(people)))
    assert sorted(a.answer for a in await harness.store.checkins.answers(TEAM_ID, m.id)) == sorted(f"Svar {i}" for i in range(50))


async def test_checkin_in_personal_chat_belongs_to_the_network(harness: Harness) -> None:
    m = await setup(harness)
    replies = await harness.say("incheckning Från 1:1", PETER, where="personal")
    assert "Tack Peter!" in replies[0]
    assert (await harness.store.checkins.get_answer(TEAM_ID, m.id, PETER.aad)).answer == "Från 1:1"


async def test_personal_chat_belongs_to_the_team_even_if_a_group_chat_came_first(harness: Harness) -> None:
    group = harness.message("möten", PETER, where="personal")
    group["conversation"] = {"id": "19:presidiet@thread.v2", "conversationType": "groupChat", "isGroup": True, "tenantId": TENANT}
    assert (await harness.post(group)).status == 200  # Peter's first network is the group chat
    m = await setup(harness)
    await harness.say("incheckning Från 1:1", PETER, where="personal")
    assert (await harness.store.checkins.get_answer(TEAM_ID, m.id, PETER.aad)).answer == "Från 1:1"



async def test_mentions_in_an_answer_are_kept_as_names(harness: Harness) -> None:
    m = await setup(harness)
    await harness.say("incheckning Tack <at>Sofia Adolfsson</at> för sist!", PETER, mentions=[SOFIA])
    assert (await harness.store.checkins.get_answer(TEAM_ID, m.id, PETER.aad)).answer == "Tack @Sofia Adolfsson för sist!"
