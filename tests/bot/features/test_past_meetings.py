"""A meeting that has taken place can be recorded afterwards (issue 17 point 7).

"27 november" said on 3 December means last week's meeting, not one a year ahead. The
presidium or the secretary confirms it as a held meeting, and then its attendance, decisions
and action items are recorded on it. Checked against what is stored, through /api/messages.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.harness import ANNA, PETER, SOFIA

TEAM = "19:skis-team@thread.tacv2"
THURSDAY = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)  # the FixedClock's "now"; 27 November was last Friday


async def _setup(harness) -> None:
    harness.clock.set(THURSDAY)
    await harness.install(ANNA, roster=[ANNA, PETER, SOFIA])


async def test_a_held_meeting_is_confirmed_and_then_recorded(harness):
    await _setup(harness)
    texts = await harness.say("nytt möte 27 november kl 9-12 Regionens hus")
    assert "**fredag 27 november 2026 kl. 09.00–12.00** har redan varit" in texts[0]
    assert "Spara ändå?" in texts[0]
    assert await harness.store.meetings.all(TEAM) == []  # asked first
    await harness.say("ja")
    meeting = await harness.store.meetings.get(TEAM, "20261127")
    assert meeting is not None and meeting.starts_at == datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
    assert meeting.location == "Regionens hus"

    await harness.say("beslut Arbetsplanen för våren antas")
    assert [d.text for d in await harness.store.decisions.for_meeting(TEAM, "20261127")] == ["Arbetsplanen för våren antas"]
    await harness.say("närvarande Peter Stark, Sofia Adolfsson")
    assert sorted(p.name for p in await harness.store.attendance.present(TEAM, "20261127")) == ["Peter Stark", "Sofia Adolfsson"]
    await harness.say("uppgift Skicka arbetsplanen <at>Peter Stark</at> till 11 december", ANNA, mentions=[PETER])
    (item,) = await harness.store.actions.open_items(TEAM)
    assert item.meeting_id == "20261127" and item.title == "Skicka arbetsplanen"


async def test_no_saves_nothing(harness):
    await _setup(harness)
    await harness.say("nytt möte 27 november kl 9-12")
    await harness.say("nej")
    assert await harness.store.meetings.all(TEAM, include_cancelled=True) == []


@pytest.mark.parametrize(
    ("command", "meeting_id"),
    [
        ("nytt möte 27 november 2027 kl 9-12", "20271127"),  # a year typed is that year
        ("nytt möte fredag kl 9-12", "20261204"),  # a weekday is the coming one
        ("nytt möte 4 december kl 9-12", "20261204"),
    ],
)
async def test_future_readings_stay_in_the_future(harness, command, meeting_id):
    await _setup(harness)
    texts = await harness.say(command)
    assert "har redan varit" not in texts[0]
    if "Spara ändå?" in texts[0]:
        await harness.say("ja")
    assert [m.id for m in await harness.store.meetings.all(TEAM)] == [meeting_id]


async def test_a_meeting_is_never_moved_into_the_past(harness):
    await _setup(harness)
    await harness.say("nytt möte fredag 11 december kl 9-12")
    texts = await harness.say("flytta möte 11 december till 2 december 2026 kl 9-12")
    assert "har redan varit" in texts[0]
    assert (await harness.store.meetings.get(TEAM, "20261211")).starts_at.day == 11


async def test_a_check_in_is_written_down_for_a_held_meeting_by_date_or_id(harness):
    await _setup(harness)
    await harness.say("nytt möte 27 november kl 9-12 Regionens hus")
    await harness.say("ja")
    await harness.say("nytt möte fredag 11 december kl 9-12")
    await harness.say("incheckning 27 november: Jag tog med mig arbetsplanen", PETER)
    await harness.say("incheckning 20261127: Vi hann mycket", SOFIA)
    await harness.say("incheckning Bra: jag är pigg", ANNA)  # no meeting named: the coming one
    held = [(a.member_name, a.answer) for a in await harness.store.checkins.answers(TEAM, "20261127", "checkin")]
    assert held == [("Peter Stark", "Jag tog med mig arbetsplanen"), ("Sofia Adolfsson", "Vi hann mycket")]
    coming = [(a.member_name, a.answer) for a in await harness.store.checkins.answers(TEAM, "20261211", "checkin")]
    assert coming == [("Anna Gustafsson", "Bra: jag är pigg")]


async def test_the_presidium_writes_down_everyones_check_in_for_a_held_meeting(harness):
    await _setup(harness)  # Anna installed the bot: chair and presidium; Peter and Sofia are members
    await harness.say("nytt möte 27 november kl 9-12 Regionens hus")
    await harness.say("ja")
    texts = await harness.say("incheckning 27 november: <at>Peter Stark</at>: Arbetsplanen", ANNA, mentions=[PETER])
    assert texts[0].startswith("Sparat: svaret från Peter Stark på incheckningen till mötet fredag 27 november 2026"), texts
    await harness.say("utcheckning 27 november: Sofia Adolfsson: Eleverna", ANNA)
    await harness.say("incheckning 27 november: Peter Stark: Arbetsplanen för våren", ANNA)  # corrected
    checkins = [(a.member_key, a.member_name, a.answer) for a in await harness.store.checkins.answers(TEAM, "20261127", "checkin")]
    assert checkins == [(PETER.aad, "Peter Stark", "Arbetsplanen för våren")]
    checkouts = [(a.member_key, a.answer) for a in await harness.store.checkins.answers(TEAM, "20261127", "checkout")]
    assert checkouts == [(SOFIA.aad, "Eleverna")]
    # A member cannot write in someone else's answer; their own works as before.
    texts = await harness.say("incheckning 27 november: Sofia Adolfsson: Något annat", PETER)
    assert "Bara" in texts[0] and "någon annans svar" in texts[0]
    assert [a.answer for a in await harness.store.checkins.answers(TEAM, "20261127", "checkin") if a.member_key == SOFIA.aad] == []
    # A colon in one's own answer that names nobody stays part of the answer.
    await harness.say("incheckning 27 november: Tanke: läsa mer", SOFIA)
    mine = [a.answer for a in await harness.store.checkins.answers(TEAM, "20261127", "checkin") if a.member_key == SOFIA.aad]
    assert mine == ["Tanke: läsa mer"]
