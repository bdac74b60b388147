"""A meeting changed by several turns at the same moment (a commit that waits on the disk lets the
other turn read the meeting meanwhile): each change is decided on the meeting as stored, none is
lost, and every change that was made gets its own iCal SEQUENCE."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage.meetings_repo import CANCELLED
from tests.bot.features.records_support import set_member
from tests.harness import ANNA, PETER, SOFIA, TEAM_ID, Harness, User, disk_harness

MID = "20261204"


@pytest.fixture
async def h(tmp_path: Path) -> AsyncIterator[Harness]:
    async with disk_harness(tmp_path / "data") as harness:  # its commits run in a thread: the turns interleave
        await harness.install(ANNA, roster=[ANNA, PETER, SOFIA])
        await harness.say("nytt möte fredag 4 december kl 9-12 Regionens hus")
        # Two people of the presidium: each has a conversation state of their own.
        await set_member(harness, SOFIA, roles=frozenset({"medlem", "presidium"}))
        assert await harness.store.meetings.get(TEAM_ID, MID) is not None
        yield harness


async def _at_once(h: Harness, *turns: tuple[str, User]) -> list[str]:
    """Every text the bot posted in answer to the turns (in whatever order they finished)."""
    before = len(h.connector.posted)
    await asyncio.gather(*(h.say(text, user) for text, user in turns))
    return [p.text for p in h.connector.posted[before:] if p.text]


async def test_question_set_while_the_meeting_is_cancelled_keeps_it_cancelled(h: Harness) -> None:
    changes = h.published()
    await _at_once(h, ("incheckningsfråga Vad vill du få med dig i dag?", ANNA), ("ställ in möte 4 december", SOFIA))
    meeting = await h.store.meetings.get(TEAM_ID, MID)
    assert meeting is not None
    assert meeting.status == CANCELLED  # no reminders for a meeting that does not happen
    assert meeting.checkin_question == "Vad vill du få med dig i dag?"
    assert meeting.extra["sequence"] == 1
    assert changes.count(("meeting", TEAM_ID, MID)) == 2


async def test_checkin_and_checkout_questions_set_at_once_are_both_kept(h: Harness) -> None:
    await _at_once(
        h, ("incheckningsfråga Vad vill du få med dig i dag?", ANNA), ("utcheckningsfråga Vad tar du med dig hem?", SOFIA)
    )
    meeting = await h.store.meetings.get(TEAM_ID, MID)
    assert meeting is not None
    assert meeting.checkin_question == "Vad vill du få med dig i dag?"
    assert meeting.checkout_question == "Vad tar du med dig hem?"


async def test_move_and_cancel_at_once_lose_neither_and_never_share_a_sequence(h: Harness) -> None:
    changes = h.published()
    replies = await _at_once(h, ("flytta möte 4 december till 11 december", ANNA), ("ställ in möte 4 december", SOFIA))
    meeting = await h.store.meetings.get(TEAM_ID, MID)
    assert meeting is not None
    assert meeting.status == CANCELLED
    assert len(replies) == 2 and any("Ångra: *nytt möte" in r for r in replies)
    if meeting.starts_at.day == 11:  # the move came first and is kept under the cancellation
        assert meeting.extra["sequence"] == 2 and len(changes) == 2
    else:  # the cancellation came first: the move moves nothing (refused with the reason, or, when
        # it looked after the cancellation was saved, no meeting to move that day)
        assert sum("Ångra: *nytt möte" in r for r in replies) == 1, replies
        assert meeting.extra["sequence"] == 1 and len(changes) == 1


async def test_two_cancellations_at_once_cancel_and_announce_once(h: Harness) -> None:
    changes = h.published()
    replies = await _at_once(h, ("ställ in möte 4 december", ANNA), ("ställ in möte 4 december", SOFIA))
    meeting = await h.store.meetings.get(TEAM_ID, MID)
    assert meeting is not None and meeting.status == CANCELLED
    assert meeting.extra["sequence"] == 1
    assert changes == [("meeting", TEAM_ID, MID)]
    # One says it is cancelled now (with the undo); the other cancels nothing: it says the meeting
    # is cancelled already, or, when it looked after the first was saved, that there is no meeting
    # to cancel that day.
    assert len(replies) == 2
    assert sorted("Ångra" in r for r in replies) == [False, True], replies
