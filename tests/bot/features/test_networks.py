"""The 1:1 chat works on the person's networks: nothing before a team, `nätverk` to choose among several."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.cards import NETWORK
from bot.features.networks import pick
from bot.teams.state import EngineBotStorage
from storage.privacy_repo import PrivacyRepo
from storage.teams_repo import Member, Team
from storage.tinydb_engine import TinyDBEngine
from tests.harness import ANNA, PETER, SOFIA, TEAM_ID, Harness, start_harness, stop_harness
from tests.reliability.test_card_networks import G, in_network, install_network

NOT_IN_TEAM = "Jag är inte med i nätverkets team än"
HOW_TO_ADD = "**Appar** → **SKIS-boten** → **Lägg till i ett team**"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", 0),
        ("2", 1),
        ("3", None),  # there are two
        ("0", None),
        ("SKIS", 0),
        ("skis", 0),
        ("Presidiet", 1),
        ("presidiet i skaraborg", 1),  # the whole name, any case
        ("Skovde", None),  # in no name
        ("i", None),  # in both names: not a choice
        ("", None),
    ],
)
def test_pick_by_number_or_name(text: str, expected: int | None) -> None:
    assert pick(["SKIS", "Presidiet i Skaraborg"], text) == expected


async def snapshot(h: Harness) -> dict[str, Any]:
    """Every stored partition with its version: equal before and after means nothing was written."""
    engine = h.store.engine
    return {name: await engine.partition_stamp(name) for name in await engine.partition_names()}


def personal_install(h: Harness, user: Any) -> dict[str, Any]:
    activity = h.base(user, "personal")
    activity.update({"type": "installationUpdate", "action": "add"})
    return activity


def networks_on(value: Any) -> set[str]:
    """The networks the buttons of ``value`` (cards) carry."""
    if isinstance(value, list):
        return set().union(*(networks_on(v) for v in value)) if value else set()
    if not isinstance(value, dict):
        return set()
    found = {value["data"][NETWORK]} if isinstance(value.get("data"), dict) and NETWORK in value["data"] else set()
    return found.union(*(networks_on(v) for v in value.values()))


def next_friday_words(h: Harness, weeks: int = 1) -> str:
    """A Friday ``weeks`` weeks after this one, as people write it (from the harness's clock)."""
    today = h.clock.now().date()
    day = today + timedelta(days=(4 - today.weekday()) % 7 + 7 * weeks)
    return day.strftime("%Y-%m-%d")


async def test_before_any_team_the_personal_chat_founds_nothing_and_says_how_to_add_the_bot(harness: Harness) -> None:
    before = await snapshot(harness)
    connector = harness.connector
    welcome = personal_install(harness, ANNA)
    assert (await harness.post(welcome)).status == 200
    texts = [p.text for p in connector.posted if p.text]
    assert len(texts) == 1 and texts[0].startswith("Hej Anna! Jag är SKIS-boten.")
    assert NOT_IN_TEAM in texts[0] and HOW_TO_ADD in texts[0]
    for text in ("möten", "nytt möte " + next_friday_words(harness) + " kl 9-12", "kommun Skövde", "uppgift Boka lokal",
                 "nätverk", "mina data", "blabla"):
        replies = await harness.say(text, ANNA, where="personal")
        assert len(replies) == 1, (text, replies)
        assert NOT_IN_TEAM in replies[0] and HOW_TO_ADD in replies[0] and "hjälp" in replies[0], text
    # A greeting is answered as one, with the same explanation.
    greeting = await harness.say("hej!", ANNA, where="personal")
    assert greeting[0].startswith("Hej Anna!") and HOW_TO_ADD in greeting[0]
    # Help still shows the help card.
    cards = await harness.say_cards("hjälp", ANNA, where="personal")
    assert cards and cards[0]["body"][0]["text"] == "Det här kan jag hjälpa till med"
    # A card clicked there does nothing either (Action.Submit and Action.Execute).
    submitted = await harness.post(harness.submit({"action": "attend_yes", "meeting": "x"}, ANNA, where="personal"))
    assert submitted.status == 200 and NOT_IN_TEAM in connector.posted[-1].text
    invoked = await harness.post(harness.invoke("attend_yes", {"meeting": "x"}, ANNA, where="personal"))
    assert invoked.status == 200
    assert await snapshot(harness) == before
    assert await harness.store.teams.all_teams(active_only=False) == []


async def test_the_installation_is_welcomed_once_although_teams_sends_two_activities(harness: Harness) -> None:
    conversation_update = harness.base(PETER, "personal")
    conversation_update.update({"type": "conversationUpdate", "membersAdded": [{"id": conversation_update["recipient"]["id"]}]})
    for activity in (personal_install(harness, PETER), conversation_update):
        assert (await harness.post(activity)).status == 200
    assert len([p for p in harness.connector.posted if p.text]) == 1
    assert await harness.store.teams.all_teams(active_only=False) == []


async def test_once_the_team_exists_the_personal_chat_works_on_it(harness: Harness) -> None:
    assert NOT_IN_TEAM in (await harness.say("möten", ANNA, where="personal"))[0]
    await harness.install(ANNA, roster=[ANNA, PETER, SOFIA])
    day = next_friday_words(harness)
    created = await harness.say(f"nytt möte {day} kl 9-12 Regionens hus", ANNA, where="personal")
    if not await harness.store.meetings.all(TEAM_ID):
        created = await harness.say("ja", ANNA, where="personal")
    meetings = await harness.store.meetings.all(TEAM_ID)
    assert len(meetings) == 1
    # With one network the replies stay quiet about it; the 1:1 welcome names it.
    assert "(nätverk:" not in " ".join(created)
    before = len(harness.connector.posted)
    assert (await harness.post(personal_install(harness, PETER))).status == 200
    welcome = [p.text for p in harness.connector.posted[before:] if p.text]
    assert len(welcome) == 1 and "Det du gör här gäller nätverket **SKIS**." in welcome[0]
    # The channel and another member's 1:1 chat see the same meeting.
    assert "Regionens hus" in json.dumps(await harness.say_cards("möten", PETER), ensure_ascii=False)
    assert "Regionens hus" in json.dumps(await harness.say_cards("möten", PETER, where="personal"), ensure_ascii=False)
    # No network was founded for the 1:1 chat.
    assert [t.kind for t in await harness.store.teams.all_teams(active_only=False)] == ["team"]


async def test_two_networks_nätverk_lists_chooses_and_names_the_network(harness: Harness) -> None:
    await harness.install(ANNA, roster=[ANNA, PETER])
    await install_network(harness, G, [ANNA, PETER])
    listed = (await harness.say("nätverk", ANNA, where="personal"))[0]
    assert "1. **SKIS** (det jag arbetar med här nu)" in listed and "2. G" in listed
    assert "nätverk 2" in listed
    chosen = (await harness.say("nätverk 2", ANNA, where="personal"))[0]
    assert "nu med nätverket **G**" in chosen
    assert "1. SKIS" in (await harness.say("nätverk", ANNA, where="personal"))[0]
    # With several networks every reply that acts on one names it.
    for _ in range(2):
        assert "(nätverk: G)" in " ".join(await harness.say("möten", ANNA, where="personal"))
    # A meeting planned in the 1:1 chat lands in G.
    await harness.say(f"nytt möte {next_friday_words(harness)} kl 9-12", ANNA, where="personal")
    if not await harness.store.meetings.all(G):
        await harness.say("ja", ANNA, where="personal")
    assert len(await harness.store.meetings.all(G)) == 1 and await harness.store.meetings.all(TEAM_ID) == []
    # Cards sent in the 1:1 chat carry the chosen network.
    stamped = networks_on(await harness.say_cards("möten", ANNA, where="personal"))
    assert stamped and stamped == {G}
    # By name, and a name that is none of them.
    assert "nu med nätverket **SKIS**" in (await harness.say("nätverk skis", ANNA, where="personal"))[0]
    assert "inget nätverk ”Skövde”" in (await harness.say("nätverk Skövde", ANNA, where="personal"))[0]
    # The choice is per person: Peter still works on the first.
    assert "(nätverk: SKIS)" in " ".join(await harness.say("möten", PETER, where="personal"))


async def test_with_one_network_nätverk_says_so_and_in_a_channel_names_it(harness: Harness) -> None:
    await harness.install(ANNA, roster=[ANNA, PETER])
    assert "Du är med i ett nätverk: **SKIS**" in (await harness.say("nätverk", ANNA, where="personal"))[0]
    assert "Här arbetar jag med nätverket **SKIS**" in (await harness.say("nätverk", ANNA))[0]


async def test_the_choice_is_remembered_across_a_restart(tmp_path: Path) -> None:
    engine = TinyDBEngine(tmp_path / "data")
    first = await start_harness(engine=engine, bot_storage=EngineBotStorage(engine))
    connector = first.connector
    try:
        await first.install(ANNA, roster=[ANNA, PETER])
        await install_network(first, G, [ANNA, PETER])
        await first.say("nätverk 2", ANNA, where="personal")
    finally:
        await first.session.close()
        await first.runner.cleanup()
        await engine.close()
    engine = TinyDBEngine(tmp_path / "data")
    second = await start_harness(engine=engine, bot_storage=EngineBotStorage(engine), connector=connector)
    try:
        assert "1. SKIS\n\n2. **G** (det jag arbetar med här nu)" in (await second.say("nätverk", ANNA, where="personal"))[0]
    finally:
        await stop_harness(second)
        await engine.close()


async def test_a_chosen_network_that_is_gone_falls_back_to_the_first_and_says_so(harness: Harness) -> None:
    await harness.install(ANNA, roster=[ANNA, PETER])
    await install_network(harness, G, [ANNA, PETER])
    await harness.say("nätverk 2", ANNA, where="personal")
    removed = harness.base(ANNA)
    removed.update({"type": "installationUpdate", "action": "remove"})
    assert (await harness.post(in_network(removed, G))).status == 200
    replies = " ".join(await harness.say("möten", ANNA, where="personal"))
    assert "Nätverket **G** som du hade valt finns inte längre för dig" in replies and "Nu arbetar jag med **SKIS**" in replies
    # Said once: the first network is now the one, and with one network the chat stays quiet.
    again = " ".join(await harness.say("möten", ANNA, where="personal"))
    assert "finns inte längre" not in again and "(nätverk:" not in again


async def test_an_old_personal_network_keeps_its_records_but_is_not_the_default(harness: Harness) -> None:
    # As an older version stored it: the 1:1 chat as a network of its own, with a meeting in it.
    old_key = harness.base(ANNA, "personal")["conversation"]["id"]
    now = harness.clock.now()
    await harness.store.teams.save_team(Team(key=old_key, name="Personlig chatt", kind="personal", tenant_id=None,
                                             conversation_ref={}, installed_by=ANNA.aad, installed_at=now))
    await harness.store.teams.save_member(old_key, Member(key=ANNA.aad, teams_id=ANNA.id, name=ANNA.name, aad_object_id=ANNA.aad,
                                                          roles=frozenset({"medlem", "ordförande", "presidium"}), joined_at=now))
    # Alone, it is still the one the chat works on.
    alone = (await harness.say("nätverk", ANNA, where="personal"))[0]
    assert "Du är med i ett nätverk: **Din personliga chatt (sparad av en äldre version av boten)**" in alone
    await harness.install(ANNA, roster=[ANNA, PETER])
    listed = (await harness.say("nätverk", ANNA, where="personal"))[0]
    assert "1. **SKIS** (det jag arbetar med här nu)" in listed
    assert "2. Din personliga chatt (sparad av en äldre version av boten)" in listed
    assert "nu med nätverket **Din personliga chatt" in (await harness.say("nätverk 2", ANNA, where="personal"))[0]


async def test_a_forgotten_person_leaves_no_network_choice(harness: Harness) -> None:
    await harness.install(ANNA, roster=[ANNA, PETER])
    await install_network(harness, G, [ANNA, PETER])
    await harness.say("nätverk 2", PETER, where="personal")
    assert (await harness.store.teams.network_choice(PETER.aad))["chosen"] == G
    repo = PrivacyRepo(harness.store.engine)
    person, teams = await repo.find(PETER.aad)
    assert person is not None
    await repo.forget(person, teams, all_teams=True)
    assert (await harness.store.engine.read("global")).get("network_choices", PETER.aad) is None
