"""Date, time and place in meeting commands are told apart by what they are (issue 17 points 3-4).

Swedish clock words ("halv tio", "kvart över nio") are times; words that name no single time
("eftermiddagen", "vecka 12", "januari", "efter jul", "nästa fredag" said early in the week)
are asked about. None of them ever becomes the meeting's place, and a move never goes somewhere
else than what was meant. Checked against what is stored, through /api/messages.
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from tests.harness import ANNA, PETER, SOFIA

TEAM = "19:skis-team@thread.tacv2"
TZ = ZoneInfo("Europe/Stockholm")
WEDNESDAY = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)  # the FixedClock's "now" for these tests
PLACE = "Regionens hus, Skövde"


async def _with_meeting(harness) -> None:
    harness.clock.set(WEDNESDAY)
    await harness.install(ANNA, roster=[ANNA, PETER, SOFIA])
    await harness.say(f"nytt möte fredag 11 december kl 9-12 {PLACE}")
    assert await harness.store.meetings.get(TEAM, "20261211") is not None


def _local(meeting) -> tuple[int, time, time | None, str | None]:
    start = meeting.starts_at.astimezone(TZ)
    end = meeting.ends_at.astimezone(TZ).time() if meeting.ends_at else None
    return start.day, start.time(), end, meeting.location


@pytest.mark.parametrize(
    ("target", "day", "start", "end", "place"),
    [
        ("halv tio", 11, time(9, 30), time(12, 30), PLACE),
        ("kvart över nio", 11, time(9, 15), time(12, 15), PLACE),
        ("kvart i tio", 11, time(9, 45), time(12, 45), PLACE),
        ("kl tio-tolv", 11, time(10), time(12), PLACE),
        ("halv tre", 11, time(14, 30), time(17, 30), PLACE),
        ("Skövde stadshus kl 13-15", 11, time(13), time(15), "Skövde stadshus"),
        ("13-15 Skövde stadshus", 11, time(13), time(15), "Skövde stadshus"),
        ("18 december halv tio Stadshuset", 18, time(9, 30), time(12, 30), "Stadshuset"),
        ("Stadshuset", 11, time(9), time(12), "Stadshuset"),
        ("Stadshuset 9.30", 11, time(9, 30), time(12, 30), "Stadshuset"),
    ],
)
async def test_a_move_reads_time_words_as_times_and_keeps_the_place(harness, target, day, start, end, place):
    await _with_meeting(harness)
    texts = await harness.say(f"flytta möte 11 december till {target}")
    assert "Klart!" in texts[0], texts
    assert _local(await harness.store.meetings.get(TEAM, "20261211")) == (day, start, end, place)


@pytest.mark.parametrize(
    ("target", "asked"),
    [
        ("eftermiddagen", "Vilken tid menar du med ”eftermiddagen”"),
        ("förmiddag", "Vilken tid menar du med ”förmiddag”"),
        ("heldag", "Vilken tid menar du med ”heldag”"),
        ("vecka 12", "Vilken dag i vecka 12?"),
        ("v. 7", "Vilken dag i vecka 7?"),
        ("januari", "Vilken dag i januari?"),
        ("efter jul", "”efter jul”"),
        ("nästa fredag", "Menar du fredag 4 december (den här veckan) eller fredag 11 december (nästa vecka)?"),
        ("efter lunch", "”lunch”"),
    ],
)
async def test_a_move_to_words_with_no_single_time_asks_and_changes_nothing(harness, target, asked):
    await _with_meeting(harness)
    texts = await harness.say(f"flytta möte 11 december till {target}")
    assert asked in texts[0], texts
    assert "Skriv sedan hela kommandot igen" in texts[0]
    assert _local(await harness.store.meetings.get(TEAM, "20261211")) == (11, time(9), time(12), PLACE)


async def test_the_move_reply_shows_the_old_time_and_place_and_undo_restores_both(harness):
    await _with_meeting(harness)
    texts = await harness.say("flytta möte 11 december till 18 december kl 13-15 Stadshuset")
    assert "(förut fredag 11 december 2026 kl. 09.00–12.00, Regionens hus, Skövde)" in texts[0]
    assert _local(await harness.store.meetings.get(TEAM, "20261211")) == (18, time(13), time(15), "Stadshuset")
    undo = texts[0].split("Ångra: *")[1].split("*")[0]
    texts = await harness.say(undo)
    assert "Klart!" in texts[0]
    assert _local(await harness.store.meetings.get(TEAM, "20261211")) == (11, time(9), time(12), PLACE)


@pytest.mark.parametrize(
    ("command", "day", "start", "end", "place"),
    [
        ("nytt möte fredag 18 december halv tio Regionens hus", 18, time(9, 30), None, "Regionens hus"),
        ("nytt möte 18 december Regionens hus kl 13-15", 18, time(13), time(15), "Regionens hus"),
        ("nytt möte kvart över nio fredag 18 december Teams", 18, time(9, 15), None, "Teams"),
    ],
)
async def test_a_new_meeting_reads_the_time_wherever_it_stands(harness, command, day, start, end, place):
    await _with_meeting(harness)
    texts = await harness.say(command)
    assert "Klart" in texts[0] or "Mötet" in texts[0], texts
    assert _local(await harness.store.meetings.get(TEAM, "20261218")) == (day, start, end, place)


@pytest.mark.parametrize(
    ("command", "asked"),
    [
        ("nytt möte fredag 18 december förmiddag Regionens hus", "”förmiddag”"),
        ("nytt möte heldag 18 december", "”heldag”"),
        ("nytt möte 18 december eftermiddagen", "”eftermiddagen”"),
        ("nytt möte vecka 12 Regionens hus", "Vilken dag i vecka 12?"),
        ("nytt möte nästa fredag kl 9-12", "Menar du fredag 4 december"),
    ],
)
async def test_a_new_meeting_with_words_of_no_single_time_asks_and_stores_nothing(harness, command, asked):
    await _with_meeting(harness)
    texts = await harness.say(command)
    assert asked in texts[0], texts
    assert [m.id for m in await harness.store.meetings.all(TEAM)] == ["20261211"]
    assert all(m.location == PLACE for m in await harness.store.meetings.all(TEAM))


async def test_the_date_answer_in_the_dialog_reads_time_words_and_asks_about_vague_ones(harness):
    await _with_meeting(harness)
    assert "Vilken dag" in (await harness.say("nytt möte"))[0]
    texts = await harness.say("18 december eftermiddag")
    assert "”eftermiddag”" in texts[0]  # asked again, not taken as the place
    texts = await harness.say("18 december halv tio Stadshuset")
    assert "punkter" in texts[0]  # date, time and place understood: only the topics are left
    await harness.say("inga")
    assert _local(await harness.store.meetings.get(TEAM, "20261218")) == (18, time(9, 30), None, "Stadshuset")


async def test_a_time_word_answered_to_the_place_question_is_asked_again(harness):
    await _with_meeting(harness)
    await harness.say("nytt möte")
    assert "Var hålls" in (await harness.say("fredag 18 december kl 9-12"))[0]
    texts = await harness.say("halv tio")
    assert "låter som en tid, inte en plats" in texts[0]
    assert "punkter" in (await harness.say("Stadshuset"))[0]
    await harness.say("inga")
    assert _local(await harness.store.meetings.get(TEAM, "20261218")) == (18, time(9), time(12), "Stadshuset")
