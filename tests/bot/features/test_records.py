"""Check-ins, action items and decisions through /api/messages (harness + fake connector)."""

from __future__ import annotations

import asyncio
import html
import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bot.app import SERVICES_KEY
from bot.routing import ACTION_ACTION_DONE, ACTION_ACTION_ITEM_FORM, ACTION_CHECKIN
from storage.actions_repo import ALL, DONE, MUNICIPALITY, OPEN
from storage.checkins_repo import CHECKOUT
from storage.meetings_repo import Meeting
from tests.cards_schema import assert_valid_card
from tests.harness import ANNA, PETER, SOFIA, TEAM_ID, Harness, User

# fredag 27 november 2026 kl. 08.30–12.00 in Stockholm; the harness starts on Monday 23 November.
FRIDAY = datetime(2026, 11, 27, 7, 30, tzinfo=UTC)
EXACT = (
    "Tre saker från förra mötet:\n"
    "- **Bästa skola** i Skövde & Tibro 🎉\n"
    "- <b>inte html</b> och [ingen länk](http://x)\n"
    "1. Ämnesbetygen\n"
    "    indraget  med två  mellanslag\tch tab\n\n"
    "Åsa, Örjan och Ängla hälsar! 👩🏽‍🏫 {{DATE(2026-12-04T08:00:00Z)}} _slut_"
)
# What Teams sends when EXACT is typed: the characters HTML reserves come as entities.
EXACT_SENT = html.escape(EXACT, quote=False)


def meeting(harness: Harness, starts: datetime = FRIDAY, hours: float = 3.5, **fields: Any) -> Meeting:
    m = Meeting(
        id=harness.store.meetings.new_id(TEAM_ID, starts),
        team_key=TEAM_ID,
        starts_at=starts,
        ends_at=starts + timedelta(hours=hours),
        **fields,
    )
    harness.store.meetings.save(m)
    return m


async def setup(harness: Harness, roster: list[User] | None = None) -> Meeting:
    await harness.install(ANNA, roster=roster or [ANNA, PETER, SOFIA])
    return meeting(harness)


def set_member(harness: Harness, user: User, **changes: Any) -> None:
    member = harness.store.teams.get_member(TEAM_ID, user.aad)
    assert member is not None
    harness.store.teams.save_member(TEAM_ID, replace(member, **changes))


def cards_since(harness: Harness, before: int) -> list[dict[str, Any]]:
    return [c for p in harness.connector.posted[before:] for c in p.cards]


def card_text(card: dict[str, Any]) -> str:
    return json.dumps(card, ensure_ascii=False)


async def invoke(harness: Harness, verb: str, data: dict[str, Any], user: User = ANNA) -> dict[str, Any]:
    resp = await harness.post(harness.invoke(verb, data, user))
    assert resp.status == 200
    return await resp.json()


# --- Check-in -------------------------------------------------------------------------------


async def test_checkin_in_one_message_is_stored_exactly_and_replaced_after_saying_so(harness: Harness) -> None:
    m = await setup(harness)
    replies = await harness.say(f"incheckning {EXACT_SENT}", PETER)
    stored = harness.store.checkins.get_answer(TEAM_ID, m.id, PETER.aad)
    assert stored is not None and stored.answer == EXACT
    assert stored.question == "Vad tog du med från förra mötet?"
    assert stored.conversation_id.startswith(TEAM_ID) and stored.activity_id and stored.answered_at == harness.clock.now()
    assert "Tack Peter!" in replies[0] and "fredag 27 november 2026" in replies[0]
    assert "\\*\\*Bästa skola\\*\\*" in replies[0] and "\\<b\\>" in replies[0]  # shown safely
    assert "**radera incheckning**" in replies[0]

    replies = await harness.say("incheckning Ett kortare svar", PETER)
    assert "ersatt" in replies[0] and "Ett kortare svar" in replies[0] and "Tre saker" in replies[0]
    answers = harness.store.checkins.answers(TEAM_ID, m.id)
    assert [(a.member_key, a.answer) for a in answers] == [(PETER.aad, "Ett kortare svar")]


async def test_checkin_dialog_asks_shows_current_answer_and_replaces_it(harness: Harness) -> None:
    m = await setup(harness)
    replies = await harness.say("incheckning", SOFIA)
    assert "Vad tog du med från förra mötet?" in replies[0] and "**avbryt**" in replies[0]
    replies = await harness.say(EXACT_SENT, SOFIA)
    assert "Tack Sofia!" in replies[0]
    assert harness.store.checkins.get_answer(TEAM_ID, m.id, SOFIA.aad).answer == EXACT

    replies = await harness.say("incheckning", SOFIA)
    assert "Du har redan svarat" in replies[0] and "Tre saker" in replies[0] and "ersätter" in replies[0]
    replies = await harness.say("Nytt svar\nmed två rader", SOFIA)
    assert "ersatt" in replies[0]
    assert harness.store.checkins.get_answer(TEAM_ID, m.id, SOFIA.aad).answer == "Nytt svar\nmed två rader"


async def test_checkin_dialog_cancel_and_empty_reply_store_nothing(harness: Harness) -> None:
    m = await setup(harness)
    await harness.say("incheckning", PETER)
    replies = await harness.say("", PETER)  # only the bot's @mention
    assert "Jag fick inget svar" in replies[0]
    replies = await harness.say("avbryt", PETER)
    assert "avbrutit" in replies[0]
    assert harness.store.checkins.answers(TEAM_ID, m.id) == []
    replies = await harness.say("möten?", PETER)  # the dialog is gone: not taken as an answer
    assert harness.store.checkins.answers(TEAM_ID, m.id) == []


async def test_delete_own_checkin(harness: Harness) -> None:
    m = await setup(harness)
    replies = await harness.say("radera incheckning", PETER)
    assert "inget svar" in replies[0]
    await harness.say("incheckning Mitt svar", PETER)
    await harness.say("incheckning Annas svar", ANNA)
    replies = await harness.say("radera incheckning", PETER)
    assert "tagit bort" in replies[0] and "**incheckning**" in replies[0]
    assert [a.member_key for a in harness.store.checkins.answers(TEAM_ID, m.id)] == [ANNA.aad]
    # Also from inside the dialog
    await harness.say("incheckning", ANNA)
    replies = await harness.say("radera incheckning", ANNA)
    assert "tagit bort" in replies[0]
    assert harness.store.checkins.answers(TEAM_ID, m.id) == []


async def test_checkins_show_answers_and_who_has_not_answered_per_municipality(harness: Harness) -> None:
    m = await setup(harness)
    set_member(harness, PETER, municipality="Skövde")
    set_member(harness, SOFIA, municipality="Lidköping")
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
    second = meeting(harness, FRIDAY + timedelta(days=14))
    replies = await harness.say("incheckningsfråga", PETER)
    assert "Vad tog du med från förra mötet?" in replies[0] and "nätverkets egna frågor" in replies[0]
    harness.clock.set(FRIDAY + timedelta(days=1))  # the next meeting is now the second one
    replies = await harness.say("incheckningsfråga", PETER)
    assert "Vad är det bästa som kan hända vid dagens möte?" in replies[0]
    replies = await harness.say("utcheckningsfråga", PETER)
    assert "Vad tar du med dig från dagens möte?" in replies[0]

    replies = await harness.say("incheckningsfråga Vad vill du få med dig i dag?", PETER)
    assert "presidiet" in replies[0] and harness.store.meetings.get(TEAM_ID, second.id).checkin_question is None
    await harness.say("incheckning Något", SOFIA)
    replies = await harness.say("incheckningsfråga Vad vill du få med dig i dag?", ANNA)
    assert "Klart!" in replies[0] and "1 har redan svarat" in replies[0]
    assert harness.store.meetings.get(TEAM_ID, second.id).checkin_question == "Vad vill du få med dig i dag?"
    assert harness.store.meetings.get(TEAM_ID, first.id).checkin_question is None
    replies = await harness.say("incheckning", PETER)
    assert "Vad vill du få med dig i dag?" in replies[0]
    await harness.say("Bra", PETER)
    assert harness.store.checkins.get_answer(TEAM_ID, second.id, PETER.aad).question == "Vad vill du få med dig i dag?"

    replies = await harness.say("incheckningsfråga standard", ANNA)
    assert "Vad är det bästa som kan hända vid dagens möte?" in replies[0]
    assert harness.store.meetings.get(TEAM_ID, second.id).checkin_question is None
    replies = await harness.say("utcheckningsfråga Varför jobbar du där du är?", ANNA)
    assert harness.store.meetings.get(TEAM_ID, second.id).checkout_question == "Varför jobbar du där du är?"


async def test_checkout_works_like_checkin(harness: Harness) -> None:
    m = await setup(harness)
    replies = await harness.say("utcheckning Jag tar med mig energi", PETER)
    assert "utcheckningen" in replies[0] and "**radera utcheckning**" in replies[0]
    answer = harness.store.checkins.get_answer(TEAM_ID, m.id, PETER.aad, CHECKOUT)
    assert answer.answer == "Jag tar med mig energi" and answer.question == "Varför jobbar du där du är?"
    assert harness.store.checkins.get_answer(TEAM_ID, m.id, PETER.aad) is None
    before = len(harness.connector.posted)
    await harness.say("utcheckningar", ANNA)
    card = cards_since(harness, before)[0]
    assert_valid_card(card)
    assert "Utcheckning – mötet" in card_text(card) and "energi" in card_text(card)
    await harness.say("utcheckning", SOFIA)
    await harness.say("Kul!", SOFIA)
    assert harness.store.checkins.get_answer(TEAM_ID, m.id, SOFIA.aad, CHECKOUT).answer == "Kul!"
    replies = await harness.say("radera utcheckning", PETER)
    assert "tagit bort" in replies[0]


async def test_checkin_from_a_card(harness: Harness) -> None:
    m = await setup(harness)
    body = await invoke(harness, ACTION_CHECKIN, {"meeting_id": m.id, "answer": "Från kortet\nrad två 🎉"}, PETER)
    assert body["type"] == "application/vnd.microsoft.activity.message" and "Tack!" in body["value"]
    assert harness.store.checkins.get_answer(TEAM_ID, m.id, PETER.aad).answer == "Från kortet\nrad två 🎉"
    body = await invoke(harness, ACTION_CHECKIN, {"meeting_id": m.id, "answer": "Andra", "kind": "checkout"}, PETER)
    assert harness.store.checkins.get_answer(TEAM_ID, m.id, PETER.aad, CHECKOUT).answer == "Andra"
    body = await invoke(harness, ACTION_CHECKIN, {"meeting_id": m.id, "answer": "  "}, SOFIA)
    assert "rutan" in body["value"]
    body = await invoke(harness, ACTION_CHECKIN, {"meeting_id": "19990101", "answer": "x"}, SOFIA)
    assert "finns inte längre" in body["value"]
    assert harness.store.checkins.get_answer(TEAM_ID, m.id, SOFIA.aad) is None
    # Action.Submit (clients without Action.Execute) answers with a message
    before = len(harness.connector.posted)
    resp = await harness.post(harness.submit({"action": ACTION_CHECKIN, "answer": "Via submit"}, SOFIA))
    assert resp.status == 200
    assert harness.store.checkins.get_answer(TEAM_ID, m.id, SOFIA.aad).answer == "Via submit"
    assert any("Tack!" in p.text for p in harness.connector.posted[before:])


async def test_fifty_people_checking_in_at_once_lose_nothing(harness: Harness) -> None:
    m = await setup(harness)
    people = [User(f"Deltagare {i}", f"aad-many-{i}") for i in range(50)]
    responses = await asyncio.gather(
        *(harness.post(harness.message(f"incheckning Svar nummer {i} 🎉\nrad två", person)) for i, person in enumerate(people))
    )
    assert [r.status for r in responses] == [200] * 50
    answers = harness.store.checkins.answers(TEAM_ID, m.id)
    assert len(answers) == 50
    assert {a.member_key: a.answer for a in answers} == {p.aad: f"Svar nummer {i} 🎉\nrad två" for i, p in enumerate(people)}


async def test_fifty_people_answering_the_dialog_at_once(harness: Harness) -> None:
    m = await setup(harness)
    people = [User(f"Deltagare {i}", f"aad-dlg-{i}") for i in range(50)]
    await asyncio.gather(*(harness.post(harness.message("incheckning", p)) for p in people))
    await asyncio.gather(*(harness.post(harness.message(f"Svar {i}", p)) for i, p in enumerate(people)))
    assert sorted(a.answer for a in harness.store.checkins.answers(TEAM_ID, m.id)) == sorted(f"Svar {i}" for i in range(50))


async def test_checkin_in_personal_chat_belongs_to_the_network(harness: Harness) -> None:
    m = await setup(harness)
    replies = await harness.say("incheckning Från 1:1", PETER, where="personal")
    assert "Tack Peter!" in replies[0]
    assert harness.store.checkins.get_answer(TEAM_ID, m.id, PETER.aad).answer == "Från 1:1"


async def test_personal_chat_belongs_to_the_team_even_if_a_group_chat_came_first(harness: Harness) -> None:
    group = harness.message("möten", PETER, where="groupChat")
    assert (await harness.post(group)).status == 200  # Peter's first network is the group chat
    m = await setup(harness)
    await harness.say("incheckning Från 1:1", PETER, where="personal")
    assert harness.store.checkins.get_answer(TEAM_ID, m.id, PETER.aad).answer == "Från 1:1"


# --- Action items ---------------------------------------------------------------------------


def published(harness: Harness) -> list[tuple[str, str, str]]:
    seen: list[tuple[str, str, str]] = []

    async def listen(kind: str, team_key: str, record_id: str) -> None:
        seen.append((kind, team_key, record_id))

    harness.app[SERVICES_KEY].changes.subscribe(listen)
    return seen


async def test_action_item_in_one_message_with_a_mention(harness: Harness) -> None:
    m = await setup(harness)
    seen = published(harness)
    replies = await harness.say(
        "uppgift Mejla inbjudan till SKIS-gruppen <at>Peter Stark</at> till 4 december", ANNA, mentions=[PETER]
    )
    items = harness.store.actions.open_items(TEAM_ID)
    assert len(items) == 1
    item = items[0]
    assert (item.number, item.title, item.due, item.status) == (1, "Mejla inbjudan till SKIS-gruppen", date(2026, 12, 4), OPEN)
    assert [(o.kind, o.key, o.name) for o in item.owners] == [("member", PETER.aad, "Peter Stark")]
    assert item.meeting_id == m.id and item.created_by == ANNA.aad and item.created_at == harness.clock.now()
    assert item.conversation_id.startswith(TEAM_ID) and item.activity_id
    assert seen == [("action_item", TEAM_ID, item.id)]
    text = replies[0]
    assert "Uppgift **1**" in text and "Peter Stark" in text and "fredag 4 december 2026" in text
    assert "**klar 1**" in text and "**tilldela 1 @Namn**" in text and "**ändra uppgift 1**" in text


async def test_action_item_typed_names_alla_municipality_and_outsider(harness: Harness) -> None:
    await setup(harness)
    meeting(harness, FRIDAY + timedelta(days=14))  # "till nästa möte": the one after the meeting these items are for
    await harness.say("uppgift Nämn detta för respektive skolchef @alla till nästa möte", ANNA)
    await harness.say("uppgift Presentera Bästa skola @Skövde @Tibro", ANNA)
    replies = await harness.say("uppgift Förmedla detta till Elisabeth @Susanna Sandgren", ANNA)
    assert "finns inte i medlemslistan" in replies[0]
    one, two, three = harness.store.actions.open_items(TEAM_ID)
    assert one.owners[0].kind == ALL and one.due_next_meeting and one.due == date(2026, 12, 11)
    assert [o.key for o in two.owners] == ["Skövde", "Tibro"] and two.owners[0].kind == MUNICIPALITY
    assert three.owners[0].kind == "external" and three.title == "Förmedla detta till Elisabeth"


async def test_action_item_dialog_asks_what_who_and_when(harness: Harness) -> None:
    await setup(harness)
    meeting(harness, FRIDAY + timedelta(days=14))  # "till nästa möte": the one after the meeting these items are for
    replies = await harness.say("uppgift", PETER)
    assert "Vad ska göras?" in replies[0]
    replies = await harness.say("Boka lokal till höstmötet", PETER)
    assert "Vem ska göra det?" in replies[0] and "Boka lokal till höstmötet" in replies[0]
    replies = await harness.say("Sofia och Peter", PETER)
    assert "När ska det vara klart?" in replies[0]
    replies = await harness.say("31 juni", PETER)
    assert "juni" in replies[0] and "När ska det vara klart?" in replies[0]
    assert harness.store.actions.all(TEAM_ID) == []  # nothing half stored while asking
    replies = await harness.say("till nästa möte", PETER)
    item = harness.store.actions.by_number(TEAM_ID, 1)
    assert item.title == "Boka lokal till höstmötet" and [o.key for o in item.owners] == [SOFIA.aad, PETER.aad]
    assert item.due_next_meeting and item.due == date(2026, 12, 11)
    assert "Uppgift **1**" in replies[0]


async def test_action_item_whole_answer_in_the_dialog_and_no_due(harness: Harness) -> None:
    await setup(harness)
    await harness.say("uppgift", PETER)
    replies = await harness.say("Mejla inbjudan @Anna till 4 december", PETER)
    assert "Uppgift **1**" in replies[0]
    await harness.say("uppgift", PETER)
    await harness.say("Boka fika", PETER)
    await harness.say("jag", PETER)
    replies = await harness.say("ingen", PETER)
    item = harness.store.actions.by_number(TEAM_ID, 2)
    assert item.due is None and not item.due_next_meeting and "Inget slutdatum" in replies[0]


async def test_missing_or_ambiguous_owner_is_asked(harness: Harness) -> None:
    anna_m = User("Anna Malmeling Marklund", "aad-annam")
    await setup(harness, roster=[ANNA, PETER, SOFIA, anna_m])
    set_member(harness, ANNA, municipality="Götene")
    set_member(harness, anna_m, municipality="Hjo")
    replies = await harness.say("uppgift Boka lokal till 4 december", PETER)
    assert "Vem ska göra det?" in replies[0] and "Boka lokal" in replies[0]
    replies = await harness.say("Anna", PETER)
    assert "Anna Gustafsson (Götene)" in replies[0] and "Anna Malmeling Marklund (Hjo)" in replies[0]
    assert harness.store.actions.all(TEAM_ID) == []
    replies = await harness.say("Anna Malmeling", PETER)
    item = harness.store.actions.by_number(TEAM_ID, 1)
    assert item.owners[0].key == anna_m.aad and item.due == date(2026, 12, 4)

    replies = await harness.say("uppgift Ring skolchefen @Anna", PETER)
    assert "Skriv hela namnet" in replies[0]
    await harness.say("avbryt", PETER)
    assert len(harness.store.actions.all(TEAM_ID)) == 1


async def test_bad_due_date_in_one_message_is_asked(harness: Harness) -> None:
    await setup(harness)
    replies = await harness.say("uppgift Boka lokal @Peter till 30 februari", ANNA)
    assert "februari" in replies[0] and "När ska det vara klart?" in replies[0]
    await harness.say("4 december", ANNA)
    assert harness.store.actions.by_number(TEAM_ID, 1).due == date(2026, 12, 4)


async def test_lists_group_by_meeting_with_overdue_first_and_mine_includes_alla_and_municipality(harness: Harness) -> None:
    old = await setup(harness)
    set_member(harness, PETER, municipality="Skövde")
    harness.clock.set(FRIDAY + timedelta(hours=1))  # during the meeting
    await harness.say("uppgift Första @Anna till 1 december", ANNA)
    await harness.say("uppgift Andra @alla", ANNA)
    await harness.say("uppgift Tredje @Skövde", ANNA)
    await harness.say("uppgift Fjärde @Sofia", ANNA)
    later = meeting(harness, FRIDAY + timedelta(days=14))
    harness.clock.set(later.starts_at + timedelta(hours=1))
    await harness.say("uppgift Femte @Peter", ANNA)
    items = {i.number: i for i in harness.store.actions.open_items(TEAM_ID)}
    assert items[1].meeting_id == old.id and items[5].meeting_id == later.id

    before = len(harness.connector.posted)
    await harness.say("uppgifter", PETER)
    card = cards_since(harness, before)[0]
    assert_valid_card(card)
    raw = card_text(card)
    assert raw.index("Försenade") < raw.index("**1** · Första") < raw.index("Från mötet fredag 27 november") < raw.index("**2** · Andra")
    assert raw.index("**4** · Fjärde") < raw.index("Från mötet fredag 11 december") < raw.index("**5** · Femte")
    assert "skulle vara klar senast tisdag 1 december 2026" in raw

    before = len(harness.connector.posted)
    await harness.say("mina uppgifter", PETER)
    raw = card_text(cards_since(harness, before)[0])
    assert "Andra" in raw and "Tredje" in raw and "Femte" in raw and "Första" not in raw and "Fjärde" not in raw
    before = len(harness.connector.posted)
    await harness.say("mina uppgifter", User("Ny Person", "aad-new"))  # "alla" includes newcomers
    raw = card_text(cards_since(harness, before)[0])
    assert "Andra" in raw and "Tredje" not in raw
    await harness.say("klar 2", ANNA)
    replies = await harness.say("mina uppgifter", User("Ny Person", "aad-new"))
    assert "inga öppna uppgifter" in replies[0]


async def test_done_by_owner_presidium_or_chair_others_get_a_polite_no(harness: Harness) -> None:
    await setup(harness)
    set_member(harness, SOFIA, municipality="Skövde")
    seen = published(harness)
    await harness.say("uppgift Mejla @Peter", ANNA)
    await harness.say("uppgift Presentera @Skövde", ANNA)
    replies = await harness.say("klar 1", SOFIA)
    assert "lät den vara" in replies[0] and harness.store.actions.by_number(TEAM_ID, 1).status == OPEN
    replies = await harness.say("klar 1", PETER)
    assert "Bra jobbat" in replies[0] and "**ångra 1**" in replies[0]
    item = harness.store.actions.by_number(TEAM_ID, 1)
    assert item.status == DONE and item.done_by == PETER.aad and item.done_at == harness.clock.now()
    replies = await harness.say("klar 1", PETER)
    assert "redan markerad som klar" in replies[0]
    replies = await harness.say("ångra 1", PETER)
    assert "öppen igen" in replies[0] and harness.store.actions.by_number(TEAM_ID, 1).status == OPEN
    replies = await harness.say("ångra 1", PETER)
    assert "redan öppen" in replies[0]
    replies = await harness.say("klar 2", SOFIA)  # her municipality's item
    assert "Bra jobbat" in replies[0]
    replies = await harness.say("klar 1", ANNA)  # presidium and chair
    assert "Bra jobbat" in replies[0]
    assert [k for k, _t, _i in seen].count("action_item") == 6
    for text, expected in (("klar", "Skriv numret"), ("klar 99", "ingen uppgift 99"), ("ångra tolv", "Skriv numret")):
        replies = await harness.say(text, PETER)
        assert expected in replies[0], text


async def test_edit_and_reassign(harness: Harness) -> None:
    await setup(harness)
    await harness.say("uppgift Mejla inbjudan @Peter", ANNA)
    replies = await harness.say("ändra uppgift 1 Mejla inbjudan till alla skolchefer till 4 december", PETER)
    item = harness.store.actions.by_number(TEAM_ID, 1)
    assert item.title == "Mejla inbjudan till alla skolchefer" and item.due == date(2026, 12, 4)
    assert item.history[-1]["before"]["title"] == "Mejla inbjudan"
    assert "är ändrad" in replies[0] and "Förut: Mejla inbjudan" in replies[0]
    replies = await harness.say("ändra uppgift 1 till nästa möte", PETER)
    item = harness.store.actions.by_number(TEAM_ID, 1)
    assert item.title == "Mejla inbjudan till alla skolchefer" and item.due_next_meeting
    await harness.say("ändra uppgift 1 till ingen", PETER)
    item = harness.store.actions.by_number(TEAM_ID, 1)
    assert item.title == "Mejla inbjudan till alla skolchefer" and item.due is None and not item.due_next_meeting
    replies = await harness.say("ändra uppgift 1 Något annat", SOFIA)
    assert "lät den vara" in replies[0]
    replies = await harness.say("ändra uppgift 1", PETER)
    assert "Skriv numret och den nya texten" in replies[0]

    replies = await harness.say("tilldela 1 <at>Sofia Adolfsson</at>", PETER, mentions=[SOFIA])
    assert "ligger nu hos Sofia Adolfsson (förut Peter Stark)" in replies[0]
    assert [o.key for o in harness.store.actions.by_number(TEAM_ID, 1).owners] == [SOFIA.aad]
    replies = await harness.say("tilldela 1 Skövde och Karin Berg", SOFIA)
    owners = harness.store.actions.by_number(TEAM_ID, 1).owners
    assert [(o.kind, o.name) for o in owners] == [("municipality", "Skövde"), ("external", "Karin Berg")]
    replies = await harness.say("tilldela 1", ANNA)
    assert "Skriv numret och vem" in replies[0]
    replies = await harness.say("tilldela 7 Anna", ANNA)
    assert "ingen uppgift 7" in replies[0]


async def test_done_button_refreshes_the_list_and_form_adds_an_item(harness: Harness) -> None:
    await setup(harness)
    meeting(harness, FRIDAY + timedelta(days=14))  # "till nästa möte": the one after the meeting these items are for
    await harness.say("uppgift Mejla @Peter", ANNA)
    await harness.say("uppgift Boka @Sofia", ANNA)
    body = await invoke(harness, ACTION_ACTION_DONE, {"number": 1, "view": "all"}, PETER)
    assert body["type"] == "application/vnd.microsoft.card.adaptive"
    assert_valid_card(body["value"])
    assert "Boka" in card_text(body["value"]) and "Mejla" not in card_text(body["value"])
    body = await invoke(harness, ACTION_ACTION_DONE, {"number": 2, "view": "all"}, PETER)
    assert body["type"] == "application/vnd.microsoft.activity.message" and "lät den vara" in body["value"]
    body = await invoke(harness, ACTION_ACTION_DONE, {"number": 2}, SOFIA)  # from another card: just a message
    assert "Bra jobbat" in body["value"]
    body = await invoke(harness, ACTION_ACTION_DONE, {}, SOFIA)
    assert "numret" in body["value"]

    body = await invoke(harness, ACTION_ACTION_ITEM_FORM, {"title": "Boka lokal", "owners": "Peter, Sofia", "due": "nästa möte", "view": "all"}, ANNA)
    assert_valid_card(body["value"])
    item = harness.store.actions.by_number(TEAM_ID, 3)
    assert item.title == "Boka lokal" and len(item.owners) == 2 and item.due == date(2026, 12, 11)
    body = await invoke(harness, ACTION_ACTION_ITEM_FORM, {"title": "", "owners": "Peter"}, ANNA)
    assert "första rutan" in body["value"]
    body = await invoke(harness, ACTION_ACTION_ITEM_FORM, {"title": "X", "owners": ""}, ANNA)
    assert "andra rutan" in body["value"]
    body = await invoke(harness, ACTION_ACTION_ITEM_FORM, {"title": "X", "owners": "Peter", "due": "30 februari"}, ANNA)
    assert "februari" in body["value"]
    body = await invoke(harness, ACTION_ACTION_ITEM_FORM, {"title": "X", "owners": "Peter", "due": ""}, ANNA)
    assert "Uppgift 4 är sparad" in body["value"] and "**" not in body["value"]  # shown as plain text
    assert len(harness.store.actions.all(TEAM_ID)) == 4


async def test_numbers_are_unique_when_many_add_items_at_once(harness: Harness) -> None:
    await setup(harness)
    people = [User(f"Person {i}", f"aad-p{i}") for i in range(20)]
    await asyncio.gather(*(harness.post(harness.message(f"uppgift Sak {i} @jag", p)) for i, p in enumerate(people)))
    numbers = sorted(i.number for i in harness.store.actions.all(TEAM_ID))
    assert numbers == list(range(1, 21))
    await harness.say("klar 20", ANNA)
    await harness.say("uppgift Till sist @jag", ANNA)
    assert harness.store.actions.by_number(TEAM_ID, 21).title == "Till sist"


async def test_no_items_says_how_to_add_one(harness: Harness) -> None:
    await harness.install(ANNA)
    replies = await harness.say("uppgifter", ANNA)
    assert "inga öppna uppgifter" in replies[0] and "**uppgift**" in replies[0]
    # Without any meeting, an item is stored without one.
    await harness.say("uppgift Skriv verksamhetsplan @jag", ANNA)
    assert harness.store.actions.by_number(TEAM_ID, 1).meeting_id is None


async def test_till_nasta_mote_follows_the_calendar(harness: Harness) -> None:
    await harness.install(ANNA, roster=[ANNA, PETER])
    # No meeting planned yet: the item waits for one.
    await harness.say("uppgift Boka lokal @Peter till nästa möte", ANNA)
    item = harness.store.actions.by_number(TEAM_ID, 1)
    assert item.due_next_meeting and item.due is None
    await harness.say("nytt möte fredag 18 december kl 9-12 Skövde", ANNA)
    assert harness.store.actions.by_number(TEAM_ID, 1).due == date(2026, 12, 18)
    await harness.say("flytta möte 18 december till fredag 15 januari", ANNA)
    assert harness.store.actions.by_number(TEAM_ID, 1).due == date(2027, 1, 15)
    await harness.say("nytt möte fredag 11 december kl 9-12 Skövde", ANNA)
    assert harness.store.actions.by_number(TEAM_ID, 1).due == date(2026, 12, 11)
    await harness.say("ställ in möte 11 december", ANNA)
    assert harness.store.actions.by_number(TEAM_ID, 1).due == date(2027, 1, 15)


# --- Decisions ------------------------------------------------------------------------------


async def test_decision_during_the_meeting_by_anyone_afterwards_by_presidium_or_secretary(harness: Harness) -> None:
    m = await setup(harness)
    replies = await harness.say("beslut Skövde och Tibro presenterar Bästa skola", PETER)
    assert "Inget möte har börjat" in replies[0]
    harness.clock.set(FRIDAY + timedelta(hours=1))
    replies = await harness.say("beslut punkt 3: Skövde och Tibro presenterar hur de arbetar med Bästa skola på mötet 1 juni", PETER)
    d = harness.store.decisions.get(TEAM_ID, 1)
    assert d.meeting_id == m.id and d.agenda_item == 3 and d.text.startswith("Skövde och Tibro presenterar")
    assert d.recorded_by == PETER.aad and d.recorded_at == harness.clock.now() and d.conversation_id.startswith(TEAM_ID)
    assert "Beslut **1**" in replies[0] and "(punkt 3)" in replies[0] and "**ändra beslut 1**" in replies[0]
    assert harness.store.decisions.for_meeting(TEAM_ID, m.id) == [d]

    harness.clock.set(FRIDAY + timedelta(days=2))
    replies = await harness.say("beslut Nästa möte blir digitalt", PETER)
    assert "presidiet, sekreteraren eller ordföranden" in replies[0]
    set_member(harness, SOFIA, roles=frozenset({"medlem", "sekreterare"}))
    replies = await harness.say("beslut Nästa möte blir digitalt", SOFIA)
    assert "Beslut **2**" in replies[0] and harness.store.decisions.get(TEAM_ID, 2).meeting_id == m.id
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
    d = harness.store.decisions.get(TEAM_ID, 1)
    assert (d.agenda_item, d.text, d.meeting_id) == (2, "Vi bjuder in Erik Andersson", m.id)
    replies = await harness.say("beslut punkt 99: Något", PETER)
    assert "ingen punkt 99" in replies[0] and "beslut punkt 3" in replies[0]
    replies = await harness.say("beslut punkt 4", PETER)
    assert "under punkt 4" in replies[0]
    await harness.say("Tidaholm presenterar kvalitetsdialogen", PETER)
    assert harness.store.decisions.get(TEAM_ID, 2).agenda_item == 4
    await harness.say("beslut", PETER)
    replies = await harness.say("punkt 99: Något", PETER)
    assert "ingen punkt 99" in replies[0]  # and the dialog asks again
    await harness.say("avbryt", PETER)
    assert len(harness.store.decisions.all(TEAM_ID)) == 2


async def test_correcting_a_decision_keeps_its_history(harness: Harness) -> None:
    await setup(harness)
    harness.clock.set(FRIDAY + timedelta(hours=1))
    await harness.say("beslut Skövde presenterar i maj", PETER)
    replies = await harness.say("ändra beslut 1 Skövde presenterar i juni", SOFIA)
    assert "rättas av den som förde in det" in replies[0]
    replies = await harness.say("ändra beslut 1 Skövde presenterar i juni", PETER)
    assert "är rättat" in replies[0] and "i maj" in replies[0] and "i juni" in replies[0]
    replies = await harness.say("rätta beslut 1 punkt 99: Skövde och Tibro presenterar i juni", ANNA)
    assert "ingen punkt 99" in replies[0] and harness.store.decisions.get(TEAM_ID, 1).agenda_item is None
    replies = await harness.say("rätta beslut 1 punkt 3: Skövde och Tibro presenterar i juni", ANNA)
    d = harness.store.decisions.get(TEAM_ID, 1)
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
    second = meeting(harness, FRIDAY + timedelta(days=14))
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


# --- Export and personal data ------------------------------------------------------------------


async def test_export_and_personal_data(harness: Harness) -> None:
    m = await setup(harness)
    harness.clock.set(FRIDAY + timedelta(hours=1))
    await harness.say("incheckning Svar", PETER)
    await harness.say("uppgift Mejla @Peter", ANNA)
    await harness.say("beslut Ett beslut", ANNA)
    store = harness.store
    checkins = store.checkins.export(TEAM_ID)["checkins"]
    assert {"meeting_id", "member_id", "question", "answer", "answered_at"} <= set(checkins[0])
    assert checkins[0]["member_id"] == PETER.aad and checkins[0]["meeting_id"] == m.id
    items = store.actions.export(TEAM_ID)["action_items"]
    assert set(items[0]) == {"id", "number", "meeting_id", "title", "owners", "due", "status", "created_by", "created_at", "done_at"}
    decisions = store.decisions.export(TEAM_ID)["decisions"]
    assert {"id", "meeting_id", "text", "agenda_item", "recorded_by", "recorded_at", "history"} <= set(decisions[0])
    assert [a.answer for a in store.checkins.answers_of(TEAM_ID, PETER.aad)] == ["Svar"]
    assert store.checkins.delete_member_answers(TEAM_ID, PETER.aad) == 1
    assert store.checkins.answers(TEAM_ID, m.id) == []


async def test_mentions_in_an_answer_are_kept_as_names(harness: Harness) -> None:
    m = await setup(harness)
    await harness.say("incheckning Tack <at>Sofia Adolfsson</at> för sist!", PETER, mentions=[SOFIA])
    assert harness.store.checkins.get_answer(TEAM_ID, m.id, PETER.aad).answer == "Tack @Sofia Adolfsson för sist!"


async def test_a_failing_disk_stores_nothing_and_says_so(harness: Harness) -> None:
    m = await setup(harness)
    harness.store.engine.fail_writes = True  # type: ignore[attr-defined]
    for text in ("incheckning Mitt svar", "uppgift Mejla @Peter", "incheckningsfråga Ny fråga?"):
        replies = await harness.say(text, ANNA)
        assert "kunde inte spara" in replies[-1], text
    harness.store.engine.fail_writes = False  # type: ignore[attr-defined]
    assert harness.store.checkins.answers(TEAM_ID, m.id) == [] and harness.store.actions.all(TEAM_ID) == []
    await harness.say("uppgift Mejla @Peter", ANNA)
    assert harness.store.actions.by_number(TEAM_ID, 1) is not None
