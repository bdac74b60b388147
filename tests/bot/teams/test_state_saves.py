"""The dialog state is saved once per activity, whichever path the activity takes (text, an
Action.Submit card, an Action.Execute invoke), and a card action can start a dialog."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import pytest
from botbuilder.core import Storage
from botbuilder.schema import Activity

from bot.app import SERVICES_KEY
from bot.teams.bot import SkisBot
from bot.teams.state import EngineBotStorage, PersonalDialogState, bot_state_partition
from storage.engine import MemoryEngine
from storage.partitions import GLOBAL, team_partition
from tests.bot.features.test_minutes import MID, seed
from tests.harness import PETER, Harness, User, start_harness, stop_harness


class CountingStorage(Storage):
    """The service's dialog-state storage (one partition per key), counting the writes per key."""

    def __init__(self) -> None:
        self.inner = EngineBotStorage(MemoryEngine())
        self.writes: Counter[str] = Counter()
        self.reads: Counter[str] = Counter()

    async def read(self, keys: list[str]) -> dict[str, Any]:
        self.reads.update(keys)
        return await self.inner.read(keys)

    async def write(self, changes: dict[str, Any]) -> None:
        self.writes.update(changes.keys())
        await self.inner.write(changes)

    async def delete(self, keys: list[str]) -> None:
        await self.inner.delete(keys)


def dialog_key(user: User, where: str) -> str:
    """The storage key of one person's dialog state in one conversation (PrivateConversationState)."""
    conversation = "19:skis-team@thread.tacv2;messageid=1" if where == "channel" else f"a:personal-{user.aad}"
    return f"msteams/conversations/{conversation}/users/{user.id}/"


@pytest.fixture
async def counted() -> AsyncIterator[tuple[Harness, CountingStorage]]:
    storage = CountingStorage()
    h = await start_harness(bot_storage=storage)
    try:
        await seed(h)
        yield h, storage
    finally:
        await stop_harness(h)


@pytest.mark.parametrize("where", ["channel", "personal"])
async def test_a_card_action_starts_a_dialog_saved_once_and_the_next_text_continues_it(
    counted: tuple[Harness, CountingStorage], where: str
) -> None:
    h, storage = counted
    key = dialog_key(PETER, where)
    data = {"action": "minutes_request_change", "meeting_id": MID, "revision": 1}
    if where == "personal":
        data["network"] = "19:skis-team@thread.tacv2"
    resp = await h.post(h.submit(data, PETER, where=where))
    assert resp.status == 200
    assert storage.writes[key] == 1  # the card's turn saved the dialog it started, once
    assert "Skriv vad som behöver ändras" in h.connector.posted[-1].text

    texts = await h.say("Datum saknas i beslutet", PETER, where=where)
    # The dialog went on: the comment was handled (here nobody has a 1:1 chat with the bot yet).
    assert any("din kommentar kom inte fram" in x or "Din begäran är skickad till" in x for x in texts)
    assert storage.writes[key] == 2  # one more for the text turn


async def test_a_text_activity_and_an_invoke_save_once_each(counted: tuple[Harness, CountingStorage]) -> None:
    h, storage = counted
    key = dialog_key(PETER, "channel")
    assert await h.say("uppgift", PETER)  # starts the action item dialog
    assert storage.writes[key] == 1
    # A card clicked with the change box empty asks in the chat instead: the open question is replaced.
    resp = await h.post(h.invoke("minutes_request_change", {"meeting_id": MID, "revision": 1}, PETER))
    assert resp.status == 200
    assert storage.writes[key] == 2
    # A card action that changes no dialog writes nothing (botbuilder writes changed state only).
    resp = await h.post(h.invoke("minutes_refresh", {"meeting_id": MID}, PETER))
    assert resp.status == 200
    assert storage.writes[key] == 2
    texts = await h.say("Datum saknas i beslutet", PETER)
    assert any("din kommentar kom inte fram" in x or "Din begäran är skickad till" in x for x in texts)
    assert storage.writes[key] == 3


async def test_a_failed_turn_saves_nothing_and_the_question_is_still_open(counted: tuple[Harness, CountingStorage]) -> None:
    h, storage = counted
    key = dialog_key(PETER, "personal")
    await h.post(h.submit({"action": "minutes_request_change", "meeting_id": MID, "revision": 1}, PETER, where="personal"))
    assert storage.writes[key] == 1
    # The change request's post in the channel is refused, and so is the reply: the turn fails.
    h.connector.fail_next(400, 400)
    await h.post(h.message("Datum saknas i beslutet", PETER, where="personal"))
    assert storage.writes[key] == 1  # not saved: the dialog still waits for the answer
    texts = await h.say("Datum saknas i beslutet", PETER, where="personal")
    assert any("din kommentar kom inte fram" in x or "Din begäran är skickad till" in x for x in texts)
    assert storage.writes[key] == 2


async def test_a_message_or_click_that_leaves_no_question_open_writes_nothing(counted: tuple[Harness, CountingStorage]) -> None:
    h, storage = counted
    key = dialog_key(PETER, "channel")
    await h.say("hjälp", PETER)  # the help card
    resp = await h.post(h.invoke("minutes_refresh", {"meeting_id": MID}, PETER))
    assert resp.status == 200
    assert storage.writes[key] == 0
    assert await h.say("uppgift", PETER)  # a question: written once
    assert await h.say("avbryt", PETER)  # the question ends: written once more, empty
    assert storage.writes[key] == 2
    await h.say("hjälp", PETER)
    assert storage.writes[key] == 2


@pytest.mark.parametrize("where", ["channel", "personal"])
async def test_a_message_reads_the_dialog_state_once_also_when_there_is_none(
    counted: tuple[Harness, CountingStorage], where: str
) -> None:
    """botbuilder's Python state reads an empty state again at each access; on a shared database
    every read is a round trip (bot/teams/state.py PersonalDialogState)."""
    h, storage = counted
    key = dialog_key(PETER, where)
    assert await h.say_cards("hjälp", PETER, where=where)
    assert storage.reads[key] == 1 and storage.writes[key] == 0
    assert await h.say("uppgift", PETER, where=where)  # starts a dialog: read once, saved once
    assert storage.reads[key] == 2 and storage.writes[key] == 1
    assert await h.say("avbryt", PETER, where=where)
    assert storage.reads[key] == 3


@pytest.mark.parametrize("where", ["channel", "personal"])
async def test_the_partitions_a_turn_reads_first_include_its_dialog_state(
    counted: tuple[Harness, CountingStorage], where: str
) -> None:
    """What bot/teams/http.py prefetches is what the turn then reads."""
    h, storage = counted
    bot = SkisBot(h.app[SERVICES_KEY], PersonalDialogState(storage))
    names = bot.first_reads(Activity().deserialize(h.message("hjälp", PETER, where=where)))
    assert bot_state_partition(dialog_key(PETER, where)) in names
    assert GLOBAL in names
    assert (team_partition("19:skis-team@thread.tacv2") in names) == (where == "channel")
