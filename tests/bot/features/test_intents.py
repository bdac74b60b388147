"""Everyday phrases through /api/messages, in the channel (bot mentioned) and in 1:1: read-only
intents are answered at once, guesses that would change data only give the command to type."""

from __future__ import annotations

import pytest

from tests.harness import ANNA, PETER, SOFIA

TEAM = "19:skis-team@thread.tacv2"
WHERE = ["channel", "personal"]


async def _setup(harness, *, meeting: bool = True) -> None:
    await harness.install(ANNA, roster=[ANNA, PETER, SOFIA])  # Anna installs: ordförande and presidium
    await harness.say("kommun Skövde", ANNA)
    if meeting:
        await harness.say("nytt möte fredag 4 december kl 9-12 Regionens hus")


async def _snapshot(harness) -> tuple:
    """Everything a data-changing guess could touch: meetings, answers, members."""
    meetings = await harness.store.meetings.all(TEAM, include_cancelled=True)
    answers = [a for m in meetings for a in await harness.store.attendance.answers(TEAM, m.id)]
    return meetings, answers, await harness.store.teams.members(TEAM)


@pytest.mark.parametrize("where", WHERE)
async def test_greeting_and_thanks(harness, where):
    await _setup(harness, meeting=False)
    texts = await harness.say("Hej!", PETER, where=where)
    assert len(texts) == 1 and texts[0].startswith("Hej Peter!") and "**möten**" in texts[0]
    texts = await harness.say("tack så mycket!", PETER, where=where)
    assert texts == ["Varsågod! Skriv **hjälp** om du vill göra något mer."]


@pytest.mark.parametrize("where", WHERE)
async def test_what_can_you_do_sends_the_help_card(harness, where):
    await _setup(harness, meeting=False)
    cards = await harness.say_cards("vad kan du?", PETER, where=where)
    expected = await harness.say_cards("hjälp", PETER, where=where)
    assert cards == expected and len(cards) == 1


@pytest.mark.parametrize("where", WHERE)
async def test_next_meeting_and_agenda_run_the_commands(harness, where):
    await _setup(harness)
    for phrase, command in (("när är nästa möte?", "möten"), ("Nasta mote", "möten"), ("visa dagordningen", "dagordning")):
        cards = await harness.say_cards(phrase, SOFIA, where=where)
        assert len(cards) == 1 and "4 december" in str(cards[0]), phrase
        assert cards == await harness.say_cards(command, SOFIA, where=where)


@pytest.mark.parametrize("where", WHERE)
async def test_who_is_coming_runs_the_attendance_command(harness, where):
    await _setup(harness)
    await harness.say("kommer", PETER)
    asked = (await harness.say("vem kommer på fredag?", SOFIA, where=where), await harness.say_cards("hur många kommer?", SOFIA, where=where))
    typed = (await harness.say("närvarande", SOFIA, where=where), await harness.say_cards("närvarande", SOFIA, where=where))
    assert asked == typed and "Peter" in str(asked)


@pytest.mark.parametrize("where", WHERE)
async def test_who_holds_a_role_is_read_from_the_register(harness, where):
    await _setup(harness, meeting=False)
    texts = await harness.say("vem är ordförande?", PETER, where=where)
    assert texts[0].startswith("Ordförande är Anna Gustafsson (Skövde).")
    assert "*roll @Namn ordförande*" in texts[0] and "**medlemmar**" in texts[0]
    texts = await harness.say("vem ar sekreteraren", PETER, where=where)
    assert texts[0].startswith("Ingen har rollen sekreterare i medlemslistan än.")
    await harness.say("roll Sofia sekreterare", ANNA)
    await harness.say("roll Peter presidium", ANNA)
    assert (await harness.say("vem skriver protokollet?", PETER, where=where))[0].startswith("Sekreterare är Sofia Adolfsson.")
    texts = await harness.say("vilka sitter i presidiet?", SOFIA, where=where)
    assert texts[0].startswith("I presidiet sitter Anna Gustafsson (Skövde) och Peter Stark.")


@pytest.mark.parametrize("where", WHERE)
async def test_moving_the_next_meeting_is_only_proposed(harness, where):
    await _setup(harness)
    before = await _snapshot(harness)
    for phrase in ("mötet flyttas till 18 december", "flytta nästa möte till 18 december", "Kan vi flytta mötet den 4 december till 18 december?"):
        texts = await harness.say(phrase, ANNA, where=where)
        assert texts == [
            "Menade du **flytta möte 4 december till 18 december**? Skriv det, så flyttar jag mötet "
            "fredag 4 december 2026 kl. 09.00–12.00. Jag har inte ändrat något än."
        ], phrase
        assert await _snapshot(harness) == before
    # The proposed command, typed, does what it promised.
    await harness.say("flytta möte 4 december till 18 december", ANNA, where=where)
    moved = await harness.store.meetings.get(TEAM, "20261204")
    assert moved.starts_at.date().isoformat() == "2026-12-18"


async def test_a_member_is_told_who_may_move_a_meeting(harness):
    await _setup(harness)
    before = await _snapshot(harness)
    texts = await harness.say("mötet flyttas till 18 december", PETER)
    assert "**flytta möte 4 december till 18 december**" in texts[0]
    assert "Bara presidiet, ordföranden eller sekreteraren kan göra det" in texts[0]
    assert await _snapshot(harness) == before


@pytest.mark.parametrize("where", WHERE)
async def test_moving_without_a_meeting_says_so(harness, where):
    await _setup(harness, meeting=False)
    texts = await harness.say("flytta nästa möte till 18 december", ANNA, where=where)
    assert texts[0].startswith("Det finns inget planerat möte än, så jag har inte ändrat något.")
    assert await harness.store.meetings.all(TEAM, include_cancelled=True) == []


@pytest.mark.parametrize("where", WHERE)
async def test_planning_a_meeting_is_only_proposed(harness, where):
    await _setup(harness)
    before = await _snapshot(harness)
    texts = await harness.say("nästa möte blir fredag 12 mars kl 9 i Skara", ANNA, where=where)
    assert texts == [
        "Menade du **nytt möte fredag 12 mars kl 9 i Skara**? Skriv det, så lägger jag in mötet. Jag har inte ändrat något än."
    ]
    assert await _snapshot(harness) == before


@pytest.mark.parametrize("where", WHERE)
async def test_absence_with_a_substitute_is_only_proposed(harness, where):
    await _setup(harness)
    before = await _snapshot(harness)
    texts = await harness.say("jag kan inte komma på fredag, Anna kommer istället", PETER, where=where)
    # Friday is the next Friday from the clock's Monday 23 November: no meeting then.
    assert texts[0].startswith("Jag hittar inget kommande möte som passar ”27 november 2026”")
    texts = await harness.say("jag kan inte komma den 4 december, Pernilla Bergman kommer istället", PETER, where=where)
    assert texts == [
        "Menade du **ersättare 4 december Pernilla Bergman**? Skriv det, så anmäler jag att Pernilla Bergman kommer "
        "i ditt ställe fredag 4 december 2026 kl. 09.00–12.00. Jag har inte sparat något än."
    ]
    texts = await harness.say("Jag är sjuk, Per kommer i mitt ställe", PETER, where=where)
    assert texts[0].startswith("Menade du **ersättare 4 december Per**?")
    texts = await harness.say("jag har förhinder på fredag 4 december", PETER, where=where)
    assert texts[0].startswith("Menade du **kommer inte 4 december**? Skriv det, så anmäler jag att du inte kommer")
    assert await _snapshot(harness) == before
    # The proposed command, typed, records the substitute.
    await harness.say("ersättare 4 december Pernilla Bergman", PETER, where=where)
    assert (await harness.store.attendance.answer_of(TEAM, "20261204", PETER.aad)).substitute == "Pernilla Bergman"


@pytest.mark.parametrize("where", WHERE)
async def test_kommer_inte_with_someone_coming_instead_is_not_saved_as_only_not_coming(harness, where):
    await _setup(harness)
    before = await _snapshot(harness)
    texts = await harness.say("jag kommer inte den 4 december, Pernilla Bergman kommer istället", PETER, where=where)
    assert texts[0].startswith("Menade du **ersättare 4 december Pernilla Bergman**?"), texts
    assert await _snapshot(harness) == before  # not "no" with the substitute lost in a note
    # Without anyone instead it is the command it looks like.
    await harness.say("kommer inte 4 december, sjuk", PETER, where=where)
    assert (await harness.store.attendance.answer_of(TEAM, "20261204", PETER.aad)).answer == "no"


@pytest.mark.parametrize("where", WHERE)
async def test_mistyped_commands_get_a_suggestion(harness, where):
    await _setup(harness, meeting=False)
    assert (await harness.say("mötne", PETER, where=where))[0].startswith("Jag förstod inte riktigt ”mötne”. Menade du **möten**?")
    assert "Menade du **dagordning**?" in (await harness.say("dagordnig", PETER, where=where))[0]
    assert "Menade du **närvarande**?" in (await harness.say("vilka är narvarande", PETER, where=where))[0]
    texts = await harness.say("inchekningar", PETER, where=where)
    assert "Menade du **incheckningar** eller **incheckning**?" in texts[0]


@pytest.mark.parametrize("where", WHERE)
async def test_anything_else_still_gets_the_fallback(harness, where):
    await _setup(harness, meeting=False)
    texts = await harness.say("blabla", PETER, where=where)
    assert len(texts) == 1 and texts[0].startswith("Jag förstod inte riktigt ”blabla”. Skriv **hjälp**")


async def test_moving_without_a_new_day_asks_for_it_and_an_unknown_day_is_named(harness):
    await _setup(harness)
    before = await _snapshot(harness)
    texts = await harness.say("vi måste flytta mötet", ANNA)
    assert texts == [
        "Vill du flytta mötet fredag 4 december 2026 kl. 09.00–12.00? Skriv **flytta möte 4 december till** och den nya "
        "dagen, tiden eller platsen, till exempel *flytta möte 4 december till 11 december*. Jag har inte ändrat något än."
    ]
    texts = await harness.say("kan vi flytta mötet 11 december till 18 december", ANNA)
    assert texts[0].startswith("Jag hittar inget kommande möte som passar ”11 december 2026”, så jag har inte ändrat något.")
    assert await _snapshot(harness) == before
