"""Action items through /api/messages (harness + fake connector)."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

from bot.routing import ACTION_ACTION_DONE, ACTION_ACTION_ITEM_FORM
from storage.actions_repo import ALL, DONE, MUNICIPALITY, OPEN
from tests.bot.features.records_support import (
    FRIDAY,
    card_text,
    cards_since,
    invoke,
    meeting,
    set_member,
    setup,
)
from tests.cards_schema import assert_valid_card
from tests.harness import ANNA, PETER, SOFIA, TEAM_ID, Harness, User


async def test_action_item_in_one_message_with_a_mention(harness: Harness) -> None:
    m = await setup(harness)
    seen = harness.published()
    replies = await harness.say(
        "uppgift Mejla inbjudan till SKIS-gruppen <at>Peter Stark</at> till 4 december", ANNA, mentions=[PETER]
    )
    items = await harness.store.actions.open_items(TEAM_ID)
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
    await meeting(harness, FRIDAY + timedelta(days=14))  # "till nästa möte": the one after the meeting these items are for
    await harness.say("uppgift Nämn detta för respektive skolchef @alla till nästa möte", ANNA)
    await harness.say("uppgift Presentera Bästa skola @Skövde @Tibro", ANNA)
    replies = await harness.say("uppgift Förmedla detta till Elisabeth @Susanna Sandgren", ANNA)
    assert "finns inte i medlemslistan" in replies[0]
    one, two, three = await harness.store.actions.open_items(TEAM_ID)
    assert one.owners[0].kind == ALL and one.due_next_meeting and one.due == date(2026, 12, 11)
    assert [o.key for o in two.owners] == ["Skövde", "Tibro"] and two.owners[0].kind == MUNICIPALITY
    assert three.owners[0].kind == "external" and three.title == "Förmedla detta till Elisabeth"


async def test_action_item_dialog_asks_what_who_and_when(harness: Harness) -> None:
    await setup(harness)
    await meeting(harness, FRIDAY + timedelta(days=14))  # "till nästa möte": the one after the meeting these items are for
    replies = await harness.say("uppgift", PETER)
    assert "Vad ska göras?" in replies[0]
    replies = await harness.say("Boka lokal till höstmötet", PETER)
    assert "Vem ska göra det?" in replies[0] and "Boka lokal till höstmötet" in replies[0]
    replies = await harness.say("Sofia och Peter", PETER)
    assert "När ska det vara klart?" in replies[0]
    replies = await harness.say("31 juni", PETER)
    assert "juni" in replies[0] and "När ska det vara klart?" in replies[0]
    assert await harness.store.actions.all(TEAM_ID) == []  # nothing half stored while asking
    replies = await harness.say("till nästa möte", PETER)
    item = await harness.store.actions.by_number(TEAM_ID, 1)
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
    item = await harness.store.actions.by_number(TEAM_ID, 2)
    assert item.due is None and not item.due_next_meeting and "Inget slutdatum" in replies[0]


async def test_missing_or_ambiguous_owner_is_asked(harness: Harness) -> None:
    anna_m = User("Anna Malmeling Marklund", "aad-annam")
    await setup(harness, roster=[ANNA, PETER, SOFIA, anna_m])
    await set_member(harness, ANNA, municipality="Götene")
    await set_member(harness, anna_m, municipality="Hjo")
    replies = await harness.say("uppgift Boka lokal till 4 december", PETER)
    assert "Vem ska göra det?" in replies[0] and "Boka lokal" in replies[0]
    replies = await harness.say("Anna", PETER)
    assert "Anna Gustafsson (Götene)" in replies[0] and "Anna Malmeling Marklund (Hjo)" in replies[0]
    assert await harness.store.actions.all(TEAM_ID) == []
    replies = await harness.say("Anna Malmeling", PETER)
    item = await harness.store.actions.by_number(TEAM_ID, 1)
    assert item.owners[0].key == anna_m.aad and item.due == date(2026, 12, 4)

    replies = await harness.say("uppgift Ring skolchefen @Anna", PETER)
    assert "Skriv hela namnet" in replies[0]
    await harness.say("avbryt", PETER)
    assert len(await harness.store.actions.all(TEAM_ID)) == 1


async def test_bad_due_date_in_one_message_is_asked(harness: Harness) -> None:
    await setup(harness)
    replies = await harness.say("uppgift Boka lokal @Peter till 30 februari", ANNA)
    assert "februari" in replies[0] and "När ska det vara klart?" in replies[0]
    await harness.say("4 december", ANNA)
    assert (await harness.store.actions.by_number(TEAM_ID, 1)).due == date(2026, 12, 4)


async def test_lists_group_by_meeting_with_overdue_first_and_mine_includes_alla_and_municipality(harness: Harness) -> None:
    old = await setup(harness)
    await set_member(harness, PETER, municipality="Skövde")
    harness.clock.set(FRIDAY + timedelta(hours=1))  # during the meeting
    await harness.say("uppgift Första @Anna till 1 december", ANNA)
    await harness.say("uppgift Andra @alla", ANNA)
    await harness.say("uppgift Tredje @Skövde", ANNA)
    await harness.say("uppgift Fjärde @Sofia", ANNA)
    later = await meeting(harness, FRIDAY + timedelta(days=14))
    harness.clock.set(later.starts_at + timedelta(hours=1))
    await harness.say("uppgift Femte @Peter", ANNA)
    items = {i.number: i for i in await harness.store.actions.open_items(TEAM_ID)}
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
    await set_member(harness, SOFIA, municipality="Skövde")
    seen = harness.published()
    await harness.say("uppgift Mejla @Peter", ANNA)
    await harness.say("uppgift Presentera @Skövde", ANNA)
    replies = await harness.say("klar 1", SOFIA)
    assert "lät den vara" in replies[0] and (await harness.store.actions.by_number(TEAM_ID, 1)).status == OPEN
    replies = await harness.say("klar 1", PETER)
    assert "Bra jobbat" in replies[0] and "**ångra 1**" in replies[0]
    item = await harness.store.actions.by_number(TEAM_ID, 1)
    assert item.status == DONE and item.done_by == PETER.aad and item.done_at == harness.clock.now()
    replies = await harness.say("klar 1", PETER)
    assert "redan markerad som klar" in replies[0]
    replies = await harness.say("ångra 1", PETER)
    assert "öppen igen" in replies[0] and (await harness.store.actions.by_number(TEAM_ID, 1)).status == OPEN
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
    item = await harness.store.actions.by_number(TEAM_ID, 1)
    assert item.title == "Mejla inbjudan till alla skolchefer" and item.due == date(2026, 12, 4)
    assert item.history[-1]["before"]["title"] == "Mejla inbjudan"
    assert "är ändrad" in replies[0] and "Förut: Mejla inbjudan" in replies[0]
    replies = await harness.say("ändra uppgift 1 till nästa möte", PETER)
    item = await harness.store.actions.by_number(TEAM_ID, 1)
    assert item.title == "Mejla inbjudan till alla skolchefer" and item.due_next_meeting
    await harness.say("ändra uppgift 1 till ingen", PETER)
    item = await harness.store.actions.by_number(TEAM_ID, 1)
    assert item.title == "Mejla inbjudan till alla skolchefer" and item.due is None and not item.due_next_meeting
    replies = await harness.say("ändra uppgift 1 Något annat", SOFIA)
    assert "lät den vara" in replies[0]
    replies = await harness.say("ändra uppgift 1", PETER)
    assert "Skriv numret och den nya texten" in replies[0]

    replies = await harness.say("tilldela 1 <at>Sofia Adolfsson</at>", PETER, mentions=[SOFIA])
    assert "ligger nu hos Sofia Adolfsson (förut Peter Stark)" in replies[0]
    assert [o.key for o in (await harness.store.actions.by_number(TEAM_ID, 1)).owners] == [SOFIA.aad]
    replies = await harness.say("tilldela 1 Skövde och Karin Berg", SOFIA)
    owners = (await harness.store.actions.by_number(TEAM_ID, 1)).owners
    assert [(o.kind, o.name) for o in owners] == [("municipality", "Skövde"), ("external", "Karin Berg")]
    replies = await harness.say("tilldela 1", ANNA)
    assert "Skriv numret och vem" in replies[0]
    replies = await harness.say("tilldela 7 Anna", ANNA)
    assert "ingen uppgift 7" in replies[0]


async def test_done_button_refreshes_the_list_and_form_adds_an_item(harness: Harness) -> None:
    await setup(harness)
    await meeting(harness, FRIDAY + timedelta(days=14))  # "till nästa möte": the one after the meeting these items are for
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
    item = await harness.store.actions.by_number(TEAM_ID, 3)
    assert item.title == "Boka lokal" and len(item.owners) == 2 and item.due == date(2026, 12, 11)
    body = await invoke(harness, ACTION_ACTION_ITEM_FORM, {"title": "", "owners": "Peter"}, ANNA)
    assert "första rutan" in body["value"]
    body = await invoke(harness, ACTION_ACTION_ITEM_FORM, {"title": "X", "owners": ""}, ANNA)
    assert "andra rutan" in body["value"]
    body = await invoke(harness, ACTION_ACTION_ITEM_FORM, {"title": "X", "owners": "Peter", "due": "30 februari"}, ANNA)
    assert "februari" in body["value"]
    body = await invoke(harness, ACTION_ACTION_ITEM_FORM, {"title": "X", "owners": "Peter", "due": ""}, ANNA)
    assert "Uppgift 4 är sparad" in body["value"] and "**" not in body["value"]  # shown as plain text
    assert len(await harness.store.actions.all(TEAM_ID)) == 4


async def test_numbers_are_unique_when_many_add_items_at_once(harness: Harness) -> None:
    await setup(harness)
    people = [User(f"Person {i}", f"aad-p{i}") for i in range(20)]
    await asyncio.gather(*(harness.post(harness.message(f"uppgift Sak {i} @jag", p)) for i, p in enumerate(people)))
    numbers = sorted(i.number for i in await harness.store.actions.all(TEAM_ID))
    assert numbers == list(range(1, 21))
    await harness.say("klar 20", ANNA)
    await harness.say("uppgift Till sist @jag", ANNA)
    assert (await harness.store.actions.by_number(TEAM_ID, 21)).title == "Till sist"


async def test_no_items_says_how_to_add_one(harness: Harness) -> None:
    await harness.install(ANNA)
    replies = await harness.say("uppgifter", ANNA)
    assert "inga öppna uppgifter" in replies[0] and "**uppgift**" in replies[0]
    # Without any meeting, an item is stored without one.
    await harness.say("uppgift Skriv verksamhetsplan @jag", ANNA)
    assert (await harness.store.actions.by_number(TEAM_ID, 1)).meeting_id is None


async def test_till_nasta_mote_follows_the_calendar(harness: Harness) -> None:
    await harness.install(ANNA, roster=[ANNA, PETER])
    # No meeting planned yet: the item waits for one.
    await harness.say("uppgift Boka lokal @Peter till nästa möte", ANNA)
    item = await harness.store.actions.by_number(TEAM_ID, 1)
    assert item.due_next_meeting and item.due is None
    await harness.say("nytt möte fredag 18 december kl 9-12 Skövde", ANNA)
    assert (await harness.store.actions.by_number(TEAM_ID, 1)).due == date(2026, 12, 18)
    await harness.say("flytta möte 18 december till fredag 15 januari", ANNA)
    assert (await harness.store.actions.by_number(TEAM_ID, 1)).due == date(2027, 1, 15)
    await harness.say("nytt möte fredag 11 december kl 9-12 Skövde", ANNA)
    assert (await harness.store.actions.by_number(TEAM_ID, 1)).due == date(2026, 12, 11)
    await harness.say("ställ in möte 11 december", ANNA)
    assert (await harness.store.actions.by_number(TEAM_ID, 1)).due == date(2027, 1, 15)
