"""The same activity delivered twice (Teams re-sends; a card is clicked twice): one record, one answer."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from bot.routing import ACTION_ACTION_DONE, ACTION_CHECKIN
from tests.harness import ANNA, PETER, SOFIA, TEAM_ID, Harness
from tests.reliability.conftest import MEETING_ID, DiskBot, add_meeting, close_disk_bot, open_disk_bot


async def _post(h: Harness, activity: dict[str, Any]) -> tuple[int, bytes]:
    async with h.session.post(f"{h.base_url}/api/messages", json=activity) as resp:
        return resp.status, await resp.read()


@pytest.fixture
async def bot(harness: Harness) -> Harness:
    await harness.install(ANNA, roster=[ANNA, PETER, SOFIA])
    await add_meeting(harness)
    harness.connector.clear()
    return harness


# Each probe returns the repository's coroutine; the test awaits it.
RECORD_MESSAGES = {
    "action_item": ("uppgift Mejla inbjudan @Peter Stark", ANNA, {"mentions": [PETER]}, lambda h: h.store.actions.all(TEAM_ID)),
    "decision": ("beslut Vi presenterar UP2 i januari", SOFIA, {}, lambda h: h.store.decisions.all(TEAM_ID)),
    "checkin": ("incheckning Vi tog med oss idéer", PETER, {}, lambda h: h.store.checkins.answers(TEAM_ID, MEETING_ID)),
}


@pytest.mark.parametrize("kind", sorted(RECORD_MESSAGES))
@pytest.mark.parametrize("timing", ["after", "concurrent"])
async def test_message_delivered_twice_gives_one_record_and_one_reply(bot: Harness, kind: str, timing: str) -> None:
    text, user, extra, records = RECORD_MESSAGES[kind]
    activity = bot.message(text, user, **extra)
    if timing == "after":
        first = await _post(bot, activity)
        second = await _post(bot, activity)
    else:
        first, second = await asyncio.gather(_post(bot, activity), _post(bot, activity))
    assert first == second and first[0] == 200
    assert len(await records(bot)) == 1
    assert len(bot.connector.posted) == 1  # the copy did not answer again in the chat
    stored = (await records(bot))[0]
    assert getattr(stored, "first_answered_at", None) is None  # a check-in copy is not a "changed answer"


async def test_many_concurrent_copies_run_once(bot: Harness) -> None:
    activity = bot.message("uppgift Boka lokal @Peter Stark", ANNA, mentions=[PETER])
    results = await asyncio.gather(*(_post(bot, activity) for _ in range(20)))
    assert {r for r in results} == {(200, b"")}
    assert len(await bot.store.actions.all(TEAM_ID)) == 1
    assert len(bot.connector.posted) == 1


@pytest.mark.parametrize("timing", ["after", "concurrent"])
async def test_invoke_delivered_twice_gets_the_same_invoke_answer(bot: Harness, timing: str) -> None:
    invoke = bot.invoke(ACTION_CHECKIN, {"answer": "Svar från kortet", "kind": "checkin", "meeting_id": MEETING_ID}, PETER)
    if timing == "after":
        first = await _post(bot, invoke)
        second = await _post(bot, invoke)
    else:
        first, second = await asyncio.gather(_post(bot, invoke), _post(bot, invoke))
    assert first == second and first[0] == 200
    body = json.loads(first[1])
    assert "sparat" in body["value"] and "ersatt" not in body["value"]
    answers = await bot.store.checkins.answers(TEAM_ID, MEETING_ID)
    assert [a.answer for a in answers] == ["Svar från kortet"] and answers[0].first_answered_at is None


async def test_done_button_clicked_twice_marks_once(bot: Harness) -> None:
    await bot.say("uppgift Boka lokal @Peter Stark", ANNA, mentions=[PETER])
    item = (await bot.store.actions.all(TEAM_ID))[0]
    click = bot.invoke(ACTION_ACTION_DONE, {"number": item.number, "view": "all"}, PETER)
    first, second = await asyncio.gather(_post(bot, click), _post(bot, click))
    assert first == second
    done = await bot.store.actions.get(TEAM_ID, item.id)
    assert done is not None and not done.is_open and done.done_by == PETER.aad


async def test_card_submit_delivered_twice_stores_once(bot: Harness) -> None:
    submit = bot.submit({"action": ACTION_CHECKIN, "answer": "Svar via submit", "kind": "checkin", "meeting_id": MEETING_ID}, SOFIA)
    first, second = await asyncio.gather(_post(bot, submit), _post(bot, submit))
    assert first == second == (200, b"")
    answers = await bot.store.checkins.answers(TEAM_ID, MEETING_ID)
    assert [a.answer for a in answers] == ["Svar via submit"]
    assert len([p for p in bot.connector.posted if p.method != "PUT"]) == 1


async def test_a_failed_delivery_can_be_retried_for_real(bot: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only a delivery that completed is remembered: if the first attempt crashed, the copy runs."""
    from bot.teams import bot as teams_bot

    activity = bot.message("beslut Vi kör", SOFIA)
    calls = {"n": 0}
    real = teams_bot.SkisBot.on_turn

    async def crash_once(self: Any, context: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 1:
            raise asyncio.CancelledError  # the request was torn down mid-turn
        await real(self, context)

    monkeypatch.setattr(teams_bot.SkisBot, "on_turn", crash_once)
    with pytest.raises(Exception):  # noqa: B017 - the connection drops; any client error will do
        await _post(bot, activity)
    monkeypatch.undo()
    assert await _post(bot, activity) == (200, b"")
    assert len(await bot.store.decisions.all(TEAM_ID)) == 1


@pytest.mark.parametrize("kind", ["action_item", "decision", "checkin"])
async def test_redelivery_after_a_restart_still_gives_one_record(tmp_path: Path, kind: str) -> None:
    """The in-memory duplicate filter is gone after a restart; records carry the activity id."""
    text, user, extra, records = RECORD_MESSAGES[kind]
    first = await open_disk_bot(tmp_path / "data")
    connector = first.harness.connector
    activity = first.harness.message(text, user, **extra)
    assert (await _post(first.harness, activity))[0] == 200
    first_reply = connector.posted[-1].text
    await close_disk_bot(first, keep_connector=True)

    second: DiskBot = await open_disk_bot(tmp_path / "data", install=False, connector=connector)
    try:
        assert (await _post(second.harness, activity))[0] == 200
        assert len(await records(second.harness)) == 1
        assert getattr((await records(second.harness))[0], "first_answered_at", None) is None
        assert connector.posted[-1].text == first_reply  # the copy gets the same answer
    finally:
        await close_disk_bot(second)
