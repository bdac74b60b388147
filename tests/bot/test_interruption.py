"""A command typed while a question is open (issue 17, point 9): the CancelAndHelpDialog pattern.

Any recognised command ends the question (``hjälp`` keeps it waiting), says so in one line and
runs; an answer that merely begins with a command word ("kommer att läsa mer") stays an answer.
Checked against what is stored.
"""

from __future__ import annotations

from datetime import date

import pytest

from bot.dates import STOCKHOLM
from bot.interruption import interrupts, is_own_command
from bot.routing import parse_command
from storage.attendance_repo import NO, YES
from tests.harness import ANNA, PETER, SOFIA, TEAM_ID, Harness

MEETING = "20261204"
TODAY = date(2026, 11, 23)
LEFT = "lämnar frågan jag ställde"
STILL_OPEN = "väntar fortfarande på ditt svar"


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("möten", True),
        ("protokoll", True),
        ("hjälp", True),
        ("kommer", True),
        ("kommer inte", True),
        ("kommer inte, krockar med nämnden", True),
        ("kommer inte 4 december", True),
        ("kommer 4 december", True),
        ("kommer tyvärr inte", True),
        ("klar 3", True),
        ("klar #3", True),
        ("beslut: Vi kör UP2", True),
        ("uppgift Boka lokal @Sofia", True),
        ("nytt möte fredag 11 december kl 9-12", True),
        ("punkt Nationellt kvalitetssystem", True),
        ("protokoll 4 december", True),
        ("uppgifter sida 2", True),
        ("påminnelser kanal dagen före", True),
        ("påminnelser av", True),
        # Answers that begin with a command word
        ("kommer att läsa mer om betyg", False),
        ("kommer inte ihåg vad jag gjorde", False),
        ("klar med rapporten till nämnden", False),
        ("ångra att jag sa ja", False),
        ("möten med rektorerna tar all tid", False),
        ("beslut om budgeten dröjer", False),
        ("hjälp behövs med schemat", False),
        ("protokoll från förra veckan saknas", False),
        ("medlemmar i nätverket hörs oftare", False),
        ("uppgifter om elevhälsan har jag samlat", False),
        ("påminnelser till rektorerna har jag skickat", False),
    ],
)
def test_what_interrupts_an_open_question(text: str, command: bool) -> None:
    parsed = parse_command(text)
    assert parsed is not None
    assert interrupts(parsed, text, TODAY, STOCKHOLM) is command


@pytest.mark.parametrize(
    ("dialog", "text", "own"),
    [
        ("records.checkin", "incheckning Jag läser mer", True),
        ("records.checkin", "radera incheckning", True),
        ("records.decision", "beslut Vi kör", True),
        ("records.decision", "punkt 2: Vi bjuder in Erik", True),
        ("records.decision", "punkt Ny rubrik", False),
        ("records.action_item", "uppgift @Sofia", True),
        ("records.action_item", "beslut Vi kör", False),
        ("new_meeting", "nytt möte 11 december", True),
        ("new_meeting", "möten", False),
    ],
)
def test_what_a_dialog_reads_itself(dialog: str, text: str, own: bool) -> None:
    parsed = parse_command(text)
    assert parsed is not None and is_own_command(dialog, parsed) is own


async def _setup(h: Harness) -> None:
    await h.install(ANNA, roster=[ANNA, PETER, SOFIA])
    await h.say("nytt möte fredag 4 december kl 9-12 Regionens hus")


async def _checkin(h: Harness, who=PETER) -> str | None:
    answer = await h.store.checkins.get_answer(TEAM_ID, MEETING, who.aad)
    return answer.answer if answer else None


async def _attendance(h: Harness, who=PETER) -> str | None:
    answer = await h.store.attendance.answer_of(TEAM_ID, MEETING, who.aad)
    return answer.answer if answer else None


@pytest.mark.parametrize("word", ["möten", "protokoll", "dagordning", "uppgifter", "medlemmar"])
async def test_a_command_at_the_checkin_question_ends_it_and_runs(harness, word: str) -> None:
    await _setup(harness)
    await harness.say("incheckning", PETER)
    before = len(harness.connector.posted)
    texts = await harness.say(word, PETER)
    assert LEFT in texts[0]
    assert any(p.cards for p in harness.connector.posted[before:]) or len(texts) > 1  # the command answered
    assert await _checkin(harness) is None
    # The question is over: the next message is read as a message, not as the answer.
    texts = await harness.say("Jag har läst mycket", PETER)
    assert await _checkin(harness) is None and "förstod inte" in texts[0]


async def test_kommer_at_the_checkin_question_is_attendance(harness) -> None:
    await _setup(harness)
    await harness.say("incheckning", PETER)
    texts = await harness.say("kommer", PETER)
    assert LEFT in texts[0] and "anmäld" in texts[1]
    assert await _attendance(harness) == YES and await _checkin(harness) is None


async def test_an_answer_that_begins_with_a_command_word_is_the_answer(harness) -> None:
    await _setup(harness)
    await harness.say("incheckning", PETER)
    texts = await harness.say("kommer att läsa mer om betyg", PETER)
    assert not any(LEFT in t for t in texts)
    assert await _checkin(harness) == "kommer att läsa mer om betyg" and await _attendance(harness) is None
    await harness.say("incheckning", SOFIA)
    await harness.say("klar med rapporten till nämnden", SOFIA)
    assert await _checkin(harness, SOFIA) == "klar med rapporten till nämnden"


async def test_help_keeps_the_question_waiting(harness) -> None:
    await _setup(harness)
    await harness.say("incheckning", PETER)
    before = len(harness.connector.posted)
    texts = await harness.say("hjälp", PETER)
    assert any(p.cards for p in harness.connector.posted[before:])
    assert STILL_OPEN in texts[-1] and not any(LEFT in t for t in texts)
    await harness.say("Jag har läst mycket", PETER)
    assert await _checkin(harness) == "Jag har läst mycket"


async def test_a_new_item_at_the_owner_question_ends_it_and_runs(harness) -> None:
    await _setup(harness)
    texts = await harness.say("uppgift Boka lokal", PETER)
    assert "Vem ska göra det?" in texts[0]
    texts = await harness.say("protokoll", PETER)
    assert LEFT in texts[0]
    assert await harness.store.actions.all(TEAM_ID) == []
    # "@Sofia" is no longer an answer to the dropped question.
    await harness.say("@Sofia Adolfsson", PETER, mentions=[SOFIA])
    assert await harness.store.actions.all(TEAM_ID) == []


async def test_another_command_at_the_owner_question_runs_instead_of_being_a_name(harness) -> None:
    await _setup(harness)
    await harness.say("uppgift Boka lokal till 4 december", PETER)
    texts = await harness.say("kommer inte ihåg vem", PETER)
    # Not a name, and not in the attendance command's form: the question is asked again.
    assert "Vem ska göra det?" in texts[0]
    assert await harness.store.actions.all(TEAM_ID) == [] and await _attendance(harness) is None
    texts = await harness.say("kommer inte, krockar med nämnden", PETER)
    assert LEFT in texts[0] and await _attendance(harness) == NO
    assert (await harness.store.attendance.answer_of(TEAM_ID, MEETING, PETER.aad)).note == "krockar med nämnden"
    await harness.say("Sofia", PETER)
    assert await harness.store.actions.all(TEAM_ID) == []


async def test_a_command_at_the_new_meeting_question_ends_it(harness) -> None:
    await harness.install(ANNA, roster=[ANNA, PETER, SOFIA])
    await harness.say("nytt möte")
    texts = await harness.say("möten")
    assert LEFT in texts[0]
    texts = await harness.say("fredag 11 december kl 9-12")
    assert await harness.store.meetings.all(TEAM_ID) == [] and "förstod inte" in texts[0]


async def test_a_new_item_at_the_decision_question_ends_it(harness) -> None:
    await _setup(harness)
    harness.clock.set(harness.clock.now().replace(day=4, month=12, hour=8, minute=30))
    await harness.say("beslut", ANNA)
    texts = await harness.say("uppgift Boka lokal @Peter Stark till 11 december", ANNA, mentions=[PETER])
    assert LEFT in texts[0]
    assert [i.title for i in await harness.store.actions.all(TEAM_ID)] == ["Boka lokal"]
    assert await harness.store.decisions.all(TEAM_ID) == []
