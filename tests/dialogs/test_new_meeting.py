"""NewMeetingDialog and ConfirmMeetingDialog: what they ask, and that they survive a restart."""

from __future__ import annotations

from pathlib import Path

from bot.teams.state import EngineBotStorage
from dialogs.new_meeting import parse_topics
from storage.tinydb_engine import TinyDBEngine
from tests.harness import ANNA, PETER, TEAM_ID, Harness, start_harness, stop_harness


async def _start(data_dir: Path) -> tuple[Harness, TinyDBEngine]:
    engine = TinyDBEngine(data_dir)
    return await start_harness(engine=engine, bot_storage=EngineBotStorage(engine)), engine


async def _stop(h: Harness, engine: TinyDBEngine) -> None:
    await stop_harness(h)
    await engine.close()


async def test_whole_dialog_survives_restarts(tmp_path: Path) -> None:
    h, engine = await _start(tmp_path / "data")
    try:
        await h.install(ANNA, roster=[ANNA, PETER])
        assert "Vilken dag" in (await h.say("nytt möte"))[0]
        assert "Vilken tid" in (await h.say("torsdag 10 december"))[0]
        await _stop(h, engine)
        h, engine = await _start(tmp_path / "data")
        assert "Var hålls" in (await h.say("9-12"))[0]
        assert "punkter" in (await h.say("Skövde stadshus"))[0]
        texts = await h.say("inga")
        assert "inte en fredag" in texts[0] and "Spara ändå?" in texts[0]
        await _stop(h, engine)
        h, engine = await _start(tmp_path / "data")
        texts = await h.say("Ja!")
        assert "Mötet är sparat" in texts[0] and "torsdag 10 december 2026 kl. 09.00–12.00" in texts[0]
        (meeting,) = await h.store.meetings.all(TEAM_ID)
        assert meeting.location == "Skövde stadshus" and meeting.topics == ()
    finally:
        await _stop(h, engine)


async def test_confirm_question_repeats_on_other_answers(tmp_path: Path) -> None:
    h, engine = await _start(tmp_path / "data")
    try:
        await h.install(ANNA)
        await h.say("nytt möte lördag 5 december kl 9-12")
        assert "Svara **ja**" in (await h.say("kanske"))[0]
        assert "inget sparades" in (await h.say("nej tack"))[0]
        assert await h.store.meetings.all(TEAM_ID) == []
    finally:
        await _stop(h, engine)


async def test_date_answer_with_time_and_place_skips_those_questions(tmp_path: Path) -> None:
    h, engine = await _start(tmp_path / "data")
    try:
        await h.install(ANNA)
        await h.say("nytt möte")
        texts = await h.say("fredag 4 december kl 13-15 Regionens hus")
        assert "punkter" in texts[0]
        texts = await h.say("- Nationellt kvalitetssystem\n- Aktuellt från Tidaholm")
        assert "Mötet är sparat" in texts[0]
        (meeting,) = await h.store.meetings.all(TEAM_ID)
        assert meeting.location == "Regionens hus"
        assert meeting.topics == ("Nationellt kvalitetssystem", "Aktuellt från Tidaholm")
    finally:
        await _stop(h, engine)


async def test_bad_time_and_past_date_are_asked_again(tmp_path: Path) -> None:
    h, engine = await _start(tmp_path / "data")
    try:
        await h.install(ANNA)
        await h.say("nytt möte")
        # A held meeting can be recorded up to a year back (confirmed at the end); older is refused.
        assert "redan varit" in (await h.say("20 november 2025"))[0]
        await h.say("fredag 4 december")
        assert "förstod inte tiden" in (await h.say("på förmiddagen"))[0]
        assert "inte efter starttiden" in (await h.say("15-13"))[0]
        assert "Var hålls" in (await h.say("8.30-12"))[0]
    finally:
        await _stop(h, engine)


async def test_the_whole_command_typed_again_at_the_date_question_is_read_as_such(tmp_path: Path) -> None:
    h, engine = await _start(tmp_path / "data")
    try:
        await h.install(ANNA)
        assert "31 juni" in (await h.say("nytt möte 31 juni"))[-1]  # asked again: no such date
        texts = await h.say("nytt möte fredag 4 december kl 9-12 Regionens hus")
        assert "Mötet är sparat" in texts[0] and "Regionens hus." in texts[0]
        (meeting,) = await h.store.meetings.all(TEAM_ID)
        assert meeting.location == "Regionens hus"
    finally:
        await _stop(h, engine)


def test_parse_topics():
    assert parse_topics("inga") == []
    assert parse_topics("UP2; Bästa skola\n\n3. Övrigt") == ["UP2", "Bästa skola", "Övrigt"]
    assert parse_topics("• En\n- Två\n1) Tre") == ["En", "Två", "Tre"]
