"""Follow-up answers in a channel without @SKIS-boten (issue 17, point 10).

With the RSC permission Teams delivers every channel message; the bot reads one only when that
person has an open question in that conversation, and is silent (nothing sent, nothing stored)
otherwise. Until an un-mentioned message has shown that RSC is granted, its questions say to
answer with @SKIS-boten. Messages are shaped like the real ones (tests/bot/teams/test_teams_text.py).
"""

from __future__ import annotations

from bot.teams.bot import ALL_MESSAGES
from tests.bot.teams.test_teams_text import BOT_AT, send, teams_message
from tests.harness import ANNA, PETER, SOFIA, TEAM_ID, Harness, User

HINT = "@SKIS-boten** först"


async def _setup(h: Harness) -> None:
    await h.install(ANNA, roster=[ANNA, PETER, SOFIA])
    await h.say("nytt möte fredag 4 december kl 9-12 Regionens hus")


async def _silent(h: Harness, text: str, user: User, **kwargs) -> None:
    before = len(h.connector.posted)
    resp = await h.post(teams_message(h, text, user, **kwargs))
    assert resp.status == 200
    assert h.connector.posted[before:] == []


async def test_a_channel_message_to_others_gets_no_reply_and_nothing_is_stored(harness) -> None:
    await _setup(harness)
    newcomer = User("Yvonne Hagle", "aad-yvonne")
    members_before = [m.key for m in await harness.store.teams.members(TEAM_ID)]
    await _silent(harness, "Hej alla, ses vi på fredag? Jag kommer inte", newcomer)
    await _silent(harness, "möten", PETER)
    await _silent(harness, "kommer inte", PETER)
    assert [m.key for m in await harness.store.teams.members(TEAM_ID)] == members_before
    assert await harness.store.attendance.answer_of(TEAM_ID, "20261204", PETER.aad) is None
    # Teams delivered messages without a mention: the permission is granted in this team.
    assert (await harness.store.teams.get_team(TEAM_ID)).settings[ALL_MESSAGES] is True


async def test_an_unmentioned_answer_to_an_open_question_is_read(harness) -> None:
    await _setup(harness)
    texts = await send(harness, f"{BOT_AT} uppgift Boka lokal till 4 december", PETER)
    assert "Vem ska göra det?" in texts[0]
    assert HINT in texts[-1]  # not yet known that answers without a mention arrive
    # Someone else talks in the channel meanwhile: not an answer, and no reply.
    await _silent(harness, "<p>Jag tar fikat!</p>", ANNA)
    assert await harness.store.actions.all(TEAM_ID) == []
    texts = await send(harness, "<p><at>Sofia Adolfsson</at>&nbsp;</p>", PETER, mentions=[SOFIA])
    (item,) = await harness.store.actions.all(TEAM_ID)
    assert item.title == "Boka lokal" and [o.key for o in item.owners] == [SOFIA.aad]
    assert "Uppgift **1**" in texts[0]
    # Now that question is answered, Peter's next un-mentioned message is not for the bot.
    await _silent(harness, "Tack Sofia!", PETER)


async def test_once_answers_arrive_the_question_no_longer_asks_for_a_mention(harness) -> None:
    await _setup(harness)
    await _silent(harness, "God morgon", ANNA)
    texts = await send(harness, f"{BOT_AT} incheckning", PETER)
    assert not any(HINT in t for t in texts)
    await send(harness, "Jag har läst om&nbsp;betyg", PETER)
    assert (await harness.store.checkins.get_answer(TEAM_ID, "20261204", PETER.aad)).answer == "Jag har läst om betyg"


async def test_the_personal_chat_needs_no_mention_and_no_hint(harness) -> None:
    await _setup(harness)
    texts = await send(harness, "uppgift Boka lokal till 4 december", PETER, where="personal")
    assert "Vem ska göra det?" in texts[0] and not any(HINT in t for t in texts)
    before = len(harness.connector.posted)
    await harness.post(teams_message(harness, "hjälp", PETER, where="personal"))
    assert harness.connector.posted[before:]  # answered: the personal chat is never silent


async def test_a_group_chat_is_read_the_same_way(harness) -> None:
    # The presidium's planning chat: a group chat, where Teams also needs a mention (or RSC).
    def in_group_chat(text: str, user: User) -> dict:
        return teams_message(harness, text, user, where="groupChat")

    before = len(harness.connector.posted)
    await harness.post(in_group_chat(f"{BOT_AT} uppgift Boka lokal till 4 december", ANNA))
    (question,) = [p.text for p in harness.connector.posted[before:] if p.text]
    assert "Vem ska göra det?" in question and HINT in question  # one message: the question says it
    before = len(harness.connector.posted)
    await harness.post(in_group_chat("Ska vi ta fika efteråt?", PETER))
    assert harness.connector.posted[before:] == []
    await harness.post(in_group_chat("alla", ANNA))
    (item,) = await harness.store.actions.all("19:planering@thread.v2")
    assert item.title == "Boka lokal" and [o.kind for o in item.owners] == ["all"]
