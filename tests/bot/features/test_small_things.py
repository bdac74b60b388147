"""Small things that add up (issue 19 point 8), through /api/messages: a waiting "Spara ändå?" says
which meeting waits, a standing item is not added twice, and change requests and the draft
minutes stay between the people they concern."""

from __future__ import annotations

from tests.bot.features.test_meeting_list import PLAN
from tests.bot.features.test_meeting_list import _setup as _plan_setup
from tests.bot.features.test_minutes import MID, draft_card, invoke, seed
from tests.harness import ANNA, PETER, SOFIA, TEAM_ID, Harness


async def _install(h: Harness) -> None:
    await h.install(ANNA, roster=[ANNA, PETER, SOFIA])


# 8a: "Spara ändå?" that gets another message ------------------------------------------------------
async def test_another_message_while_spara_anda_waits_says_which_meeting_and_what_to_answer(harness: Harness) -> None:
    await _install(harness)
    asked = " ".join(await harness.say("nytt möte torsdag 3 december kl 13-15 Teams"))
    assert "Spara ändå?" in asked
    other = " ".join(await harness.say("vi tar det sen"))
    assert "Jag väntar på ditt svar om det här mötet: Nytt möte: **torsdag 3 december 2026 kl. 13.00–15.00**, Teams." in other
    assert "Svara **ja** för att spara det eller **nej** för att låta bli" in other and "**avbryt**" in other
    assert await harness.store.meetings.all(TEAM_ID) == []
    await harness.say("ja")
    assert len(await harness.store.meetings.all(TEAM_ID)) == 1  # still waiting, and still answered


async def test_a_waiting_move_and_a_waiting_plan_say_so_too(harness: Harness) -> None:
    await _install(harness)
    await harness.say("nytt möte fredag 4 december kl 9-12 Regionens hus")
    await harness.say("flytta möte 20261204 till torsdag 10 december")
    other = " ".join(await harness.say("hmm"))
    assert "Flytta mötet till **torsdag 10 december 2026 kl. 09.00–12.00**" in other and "**ja**" in other


async def test_a_waiting_pasted_plan_says_how_many_meetings_wait(harness: Harness) -> None:
    await _plan_setup(harness)
    await harness.say(PLAN)
    other = " ".join(await harness.say("hmm"))
    assert "de 3 mötena i listan ovan, det första: Nytt möte: **fredag 2 oktober 2026 kl. 13.00–15.00**" in other
    assert "Svara **ja** för att planera alla" in other


# 8b: a standing item is not added twice ------------------------------------------------------------
async def test_punkt_laget_runt_gets_a_word_instead_of_a_second_laget_runt(harness: Harness) -> None:
    await _install(harness)
    await harness.say("nytt möte fredag 4 december kl 9-12 Regionens hus")
    with_text = " ".join(await harness.say("punkt Laget runt: Skövde berättar om Bästa skola", PETER))
    assert "”Laget runt” är en stående punkt (punkt 2) på varje möte, så jag lade inte till den en gång till." in with_text
    assert "Ta upp ”Skövde berättar om Bästa skola” under Laget runt på mötet fredag 4 december 2026" in with_text
    assert "**punkt Skövde berättar om Bästa skola**" in with_text
    alone = " ".join(await harness.say("punkt laget runt", PETER))
    assert "det är en stående punkt (punkt 2)" in alone
    aob = " ".join(await harness.say("punkt Övriga frågor", PETER))
    assert "”Övriga frågor” står redan på dagordningen" in aob
    meeting = await harness.store.meetings.get(TEAM_ID, "20261204")
    assert meeting is not None and await harness.store.agenda.items(meeting) == []
    # Its own item, which only begins with the name, is added as usual; and so is the suggested one.
    assert "är punkt 3" in " ".join(await harness.say("punkt Laget runt i kommunerna", PETER))
    await harness.say("punkt Skövde berättar om Bästa skola", PETER)
    assert [i.title for i in await harness.store.agenda.items(meeting)] == ["Laget runt i kommunerna", "Skövde berättar om Bästa skola"]
    agenda = str(await harness.say_cards("dagordning", PETER))
    assert agenda.count("Laget runt") == 2  # the standing item and "Laget runt i kommunerna", not a third


# 8d: Begär ändring goes 1:1 -------------------------------------------------------------------------
async def test_a_change_request_goes_to_the_secretary_one_to_one_and_the_channel_sees_nothing_of_it(harness: Harness) -> None:
    await seed(harness)
    await draft_card(harness)
    for user in (ANNA, SOFIA):  # the chair and the secretary have a chat with the bot
        await harness.say("hjälp", user, where="personal")
    before = len(harness.connector.posted)
    body = await invoke(harness, "minutes_request_change", {"meeting_id": MID, "revision": 1, "change_comment": "Jag var inte där"}, PETER)
    assert "Tack! Din begäran är skickad till Anna Gustafsson, Sofia Adolfsson i chatten med boten." in str(body["value"])
    sent = harness.connector.posted[before:]
    assert {p.conversation_id for p in sent} == {f"a:personal-{ANNA.aad}", f"a:personal-{SOFIA.aad}"}
    assert all("Peter Stark begär en ändring" in p.text and "Jag var inte där" in p.text for p in sent)
