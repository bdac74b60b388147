"""Swedish wording (issue 19 point 4), each reply through /api/messages."""

from __future__ import annotations

from bot.rules.hints import hints_seen
from tests.harness import ANNA, PETER, SOFIA

TEAM = "19:skis-team@thread.tacv2"


async def _setup(harness) -> None:
    await harness.install(ANNA, roster=[ANNA, PETER, SOFIA])
    await harness.say("nytt möte fredag 4 december kl 9-12 Regionens hus")
    assert await harness.store.meetings.get(TEAM, "20261204") is not None


async def test_one_own_item_is_punkt_n_not_punkterna_n_to_n(harness):
    await _setup(harness)
    await harness.say("punkt Bästa skola", PETER)
    fixed = (await harness.say("ta bort punkt 1"))[0]
    assert "Du kan ändra punkt 3." in fixed and "punkterna" not in fixed
    moved = (await harness.say("flytta punkt 3 till 1"))[0]
    assert "mötets enda egna punkt" in moved and "punkterna 3–3" not in moved
    await harness.say("punkt Laget runt i kommunerna", SOFIA)
    assert "Du kan ändra punkterna 3–4." in (await harness.say("ta bort punkt 1"))[0]


async def test_who_may_tick_off_is_said_for_klar_and_who_may_change_for_edit_and_assign(harness):
    await _setup(harness)
    await harness.say("uppgift Mejla inbjudan @Peter", ANNA)
    done = (await harness.say("klar 1", SOFIA))[0]
    assert "kan bocka av den" in done and "bockas av av" not in done
    for command in ("ändra uppgift 1 Mejla inbjudan i dag", "tilldela 1 @Sofia"):
        text = (await harness.say(command, SOFIA, mentions=[SOFIA]))[0]
        assert "kan ändra den" in text and "bocka" not in text, command
    assert (await harness.store.actions.by_number(TEAM, 1)).title == "Mejla inbjudan"


async def test_a_due_date_reads_till_nasta_mote_or_senast(harness):
    await _setup(harness)
    # Recorded before 4 December, the item is for that meeting: "nästa möte" is the one after it.
    await harness.say("nytt möte fredag 18 december kl 9-12 Teams")
    next_meeting = (await harness.say("uppgift Boka lokal @Peter till nästa möte", ANNA))[0]
    assert "Ska vara klar till nästa möte (fredag 18 december 2026)" in next_meeting
    dated = (await harness.say("uppgift Skicka underlag @Peter till 1 december", ANNA))[0]
    assert "Ska vara klar senast tisdag 1 december 2026" in dated
    listing = str(await harness.say_cards("uppgifter", PETER))
    assert "klar till nästa möte (fredag 18 december 2026)" in listing and "klar senast tisdag 1 december 2026" in listing
    assert "klar nästa möte" not in listing


async def test_a_municipality_is_said_the_way_people_say_it(harness):
    await harness.install(ANNA, roster=[ANNA, PETER, SOFIA])
    text = (await harness.say("kommun Skövde", PETER))[0]
    assert "I medlemslistan står det nu att Peter Stark kommer från Skövde." in text
    assert "står nu som" not in text


async def test_a_personal_welcome_uses_the_first_name_the_register_knows(harness):
    await harness.install(ANNA, roster=[ANNA, PETER, SOFIA])
    activity = harness.base(PETER, "personal")
    activity.update({"type": "installationUpdate", "action": "add", "from": {"id": PETER.id, "aadObjectId": PETER.aad}})
    before = len(harness.connector.posted)
    assert (await harness.post(activity)).status == 200
    texts = [p.text for p in harness.connector.posted[before:] if p.text]
    assert texts and texts[0].startswith("Hej Peter! Jag är SKIS-boten.") and "där" not in texts[0].split(".")[0]


async def test_a_personal_welcome_to_someone_nobody_knows_says_hej_without_där(harness):
    activity = harness.base(SOFIA, "personal")
    activity.update({"type": "installationUpdate", "action": "add", "from": {"id": SOFIA.id, "aadObjectId": SOFIA.aad}})
    before = len(harness.connector.posted)
    assert (await harness.post(activity)).status == 200
    texts = [p.text for p in harness.connector.posted[before:] if p.text]
    assert texts and texts[0].startswith("Hej! Jag är SKIS-boten.")


async def test_a_short_numeric_date_is_a_date_not_a_time(harness):
    await harness.install(ANNA, roster=[ANNA, PETER, SOFIA])
    texts = " ".join(await harness.say("nytt möte 27-01-29 kl 9-12 Regionens hus"))
    assert "Klockslaget" not in texts and "29 januari 2027" in texts
    if await harness.store.meetings.get(TEAM, "20270129") is None:
        await harness.say("ja")
    assert await harness.store.meetings.get(TEAM, "20270129") is not None


async def test_a_meeting_that_is_not_found_is_quoted_with_swedish_quotes(harness):
    await harness.install(ANNA, roster=[ANNA, PETER, SOFIA])
    await harness.say("roll @Sofia sekreterare", ANNA, mentions=[SOFIA])
    text = (await harness.say("protokoll 20261106", SOFIA))[0]
    assert "med id eller datum ”20261106”" in text and '"' not in text


async def test_the_how_to_footer_after_an_action_item_is_shown_three_times_per_person(harness):
    await _setup(harness)
    footer = "Ändra texten med **ändra uppgift"
    shown = [footer in (await harness.say(f"uppgift Uppgift {n} @Peter", ANNA))[0] for n in range(1, 6)]
    assert shown == [True, True, True, False, False]
    assert footer in (await harness.say("uppgift Sofias första @Peter", SOFIA))[0]  # counted per person
    # Kept in storage with the network, not in memory: a restarted service counts on.
    assert await hints_seen(harness.store, TEAM, ANNA.aad) == {"action_how_to_change": 3}
    assert await hints_seen(harness.store, TEAM, SOFIA.aad) == {"action_how_to_change": 1}
    reply = (await harness.say("uppgift Sjätte @Peter till nästa möte", ANNA))[0]
    assert footer not in reply and "Uppgift **7** är sparad" in reply and "Ska vara klar till nästa möte" in reply


async def test_the_footer_count_survives_a_restart():
    from storage.engine import MemoryEngine
    from tests.harness import start_harness, stop_harness

    engine = MemoryEngine()
    first = await start_harness(engine=engine)
    try:
        await _setup(first)
        for n in range(3):
            await first.say(f"uppgift Uppgift {n} @Peter", ANNA)
    finally:
        await stop_harness(first)
    second = await start_harness(engine=engine)
    try:
        reply = (await second.say("uppgift Efter omstart @Peter", ANNA))[0]
        assert "Uppgift **4** är sparad" in reply and "Ändra texten med" not in reply
    finally:
        await stop_harness(second)


async def test_forgetting_a_person_leaves_no_id_in_the_footer_counts(harness):
    from bot.ops.privacy import forget_member

    await _setup(harness)
    await harness.say("uppgift Boka lokal @Anna", PETER)
    assert await hints_seen(harness.store, TEAM, PETER.aad) == {"action_how_to_change": 1}
    await forget_member(harness.store, PETER.aad)
    settings = (await harness.store.teams.get_team(TEAM)).settings
    assert PETER.aad not in str(settings) and await hints_seen(harness.store, TEAM, PETER.aad) == {}


async def test_the_how_to_footer_after_a_decision_is_shown_three_times_per_person(harness):
    await _setup(harness)
    harness.clock.set(harness.clock.now().replace(month=12, day=4, hour=9, minute=30))  # during the meeting
    footer = "Rätta det med **ändra beslut"
    replies = [(await harness.say(f"beslut Vi gör {n}", ANNA))[0] for n in range(1, 5)]
    assert [footer in r for r in replies] == [True, True, True, False]
    assert "Beslut **4** är sparat" in replies[3]
    assert footer in (await harness.say("beslut Peters första", PETER))[0]
