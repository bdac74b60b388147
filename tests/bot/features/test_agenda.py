"""The agenda through /api/messages: standing items, proposals, follow-up of action items, ordering and roles."""

from __future__ import annotations

from datetime import UTC, datetime

from storage.actions_repo import MEMBER, Owner
from tests.cards_schema import assert_valid_card
from tests.harness import ANNA, PETER, SOFIA

TEAM = "19:skis-team@thread.tacv2"


async def _setup(harness, topics: bool = True) -> None:
    await harness.install(ANNA, roster=[ANNA, PETER, SOFIA])
    await harness.say("nytt möte fredag 4 december kl 9-12 Regionens hus")


def _lines(card: dict) -> list[str]:
    return [block["items"][0]["text"] for block in card["body"] if block.get("type") == "Container"]


async def test_agenda_has_standing_items_and_proposals(harness):
    await _setup(harness)
    texts = await harness.say("punkt Nationellt kvalitetssystem", PETER)
    assert "punkt 3" in texts[0] and "fredag 4 december 2026" in texts[0]
    cards = await harness.say_cards("dagordning", SOFIA)
    card = cards[0]
    assert_valid_card(card)
    lines = _lines(card)
    assert lines[0].startswith("**1.** Incheckning") and lines[1].startswith("**2.** Laget runt")
    assert "Nationellt kvalitetssystem" in lines[2] and "föreslagen av Peter Stark" in lines[2]
    assert lines[3].startswith("**4.** Övriga frågor") and lines[4].startswith("**5.** Utcheckning")


async def test_open_action_items_become_a_follow_up_item(harness):
    await _setup(harness)
    await harness.store.actions.create(
        TEAM,
        title="Mejla inbjudan till SKIS-gruppen",
        owners=(Owner(MEMBER, "Anna Gustafsson", "aad-anna"),),
        created_by="aad-anna",
        created_at=datetime(2026, 11, 20, 9, 0, tzinfo=UTC),
        meeting_id="20261106",
    )
    card = (await harness.say_cards("dagordning"))[0]
    assert_valid_card(card)
    flat = str(card)
    assert "Uppföljning av uppdrag" in flat and "Mejla inbjudan till SKIS" in flat
    lines = _lines(card)
    assert "Uppföljning av uppdrag" in lines[2]
    # Proposals now start at 4; the follow-up itself cannot be removed.
    assert "punkt 4" in (await harness.say("punkt Bästa skola", PETER))[0]
    assert "stående punkt" in (await harness.say("ta bort punkt 3"))[0]


async def test_presidium_orders_edits_removes(harness):
    await _setup(harness)
    await harness.say("punkt A", PETER)
    await harness.say("punkt B", SOFIA)
    await harness.say("punkt C", PETER)
    assert "är nu punkt 3" in (await harness.say("flytta punkt 5 3"))[0]
    titles = [i.title for i in await harness.store.agenda.items(await harness.store.meetings.get(TEAM, "20261204"))]
    assert titles == ["C", "A", "B"]
    texts = await harness.say("flytta punkt 3 till 1")
    assert "punkterna 3–5 kan flyttas" in texts[0]
    assert "heter nu ”A2”" in (await harness.say("ändra punkt 3 A2"))[0]
    assert "borttagen" in (await harness.say("ta bort punkt 4"))[0]
    titles = [i.title for i in await harness.store.agenda.items(await harness.store.meetings.get(TEAM, "20261204"))]
    assert titles == ["A2", "B"]  # C was renamed A2; A (then punkt 4) was removed


async def test_members_may_change_only_their_own_items(harness):
    await _setup(harness)
    await harness.say("punkt A", PETER)
    await harness.say("punkt B", SOFIA)
    texts = await harness.say("ta bort punkt 3", SOFIA)
    assert "presidiet" in texts[0] and "föreslog" in texts[0]
    assert "heter nu" in (await harness.say("ändra punkt 4 B, kort", SOFIA))[0]
    assert "är nu punkt 3" in (await harness.say("flytta punkt 4 3", SOFIA))[0]
    assert "stående" in (await harness.say("ändra punkt 1 Ny incheckning"))[0]
    assert "ingen punkt 9" in (await harness.say("ta bort punkt 9"))[0]
    assert "till exempel" in (await harness.say("ta bort punkt"))[0]


async def test_planned_topics_are_on_the_agenda(harness):
    await harness.install(ANNA, roster=[ANNA, PETER])
    await harness.say("nytt möte")
    for answer in ("fredag 4 december", "9-12", "-", "UP2; Kvalitetsdialog"):
        await harness.say(answer)
    lines = _lines((await harness.say_cards("dagordning"))[0])
    assert "UP2" in lines[2] and "Kvalitetsdialog" in lines[3]
    card = (await harness.say_cards("möten"))[0]
    assert "UP2; Kvalitetsdialog" in str(card)


async def test_no_meeting_no_agenda(harness):
    await harness.install(ANNA)
    assert "inget kommande möte" in (await harness.say("dagordning"))[0]
    assert "inget kommande möte" in (await harness.say("punkt Test"))[0]
    assert "till exempel" in (await harness.say("punkt"))[0]


async def test_first_last_and_another_meetings_agenda(harness):
    await _setup(harness)
    await harness.say("nytt möte fredag 11 december kl 9-12")
    await harness.say("punkt A", PETER)
    await harness.say("punkt B", PETER)
    assert "är nu punkt 3" in (await harness.say("flytta punkt 4 först"))[0]
    assert "är nu punkt 4" in (await harness.say("flytta punkt 3 sist"))[0]
    lines = _lines((await harness.say_cards("dagordning 11 december"))[0])
    assert len(lines) == 4  # only the standing items: the proposals went to 4 December
    assert "hittar inget" in (await harness.say("dagordning 18 december"))[0]
