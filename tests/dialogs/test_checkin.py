"""The check-in dialog survives a restart of the service (dialog state is on disk)."""

from __future__ import annotations

from pathlib import Path

from botbuilder.core import MemoryStorage

from storage.engine import MemoryEngine
from storage.meetings_repo import Meeting
from tests.dialogs.records_restart import FRIDAY, first_start, restart, stop
from tests.harness import ANNA, PETER, TEAM_ID, start_harness, stop_harness


async def test_checkin_dialog_survives_a_restart(tmp_path: Path) -> None:
    service = await first_start(tmp_path / "data")
    try:
        replies = await service.harness.say("incheckning", PETER)
        assert "Vad tog du med från förra mötet?" in replies[0]
        service = await restart(service)
        replies = await service.harness.say("Jag tog med mig\n- två saker 🎉", PETER)
        assert "Tack Peter!" in replies[0]
        answer = await service.harness.store.checkins.get_answer(TEAM_ID, "20261127", PETER.aad)
        assert answer is not None and answer.answer == "Jag tog med mig\n- två saker 🎉"
        service = await restart(service)
        replies = await service.harness.say("Ett svar till", PETER)  # the dialog ended: not an answer
        assert (await service.harness.store.checkins.get_answer(TEAM_ID, "20261127", PETER.aad)).answer.startswith("Jag tog")
    finally:
        await stop(service)


async def test_checkin_dialog_survives_a_restart_on_shared_memory_storage() -> None:
    engine, bot_storage = MemoryEngine(), MemoryStorage()
    first = await start_harness(engine=engine, bot_storage=bot_storage)
    try:
        await first.install(ANNA, roster=[ANNA, PETER])
        await first.store.meetings.save(Meeting(id="20261127", team_key=TEAM_ID, starts_at=FRIDAY))
        await first.say("incheckning", PETER)
    finally:
        await stop_harness(first)
    second = await start_harness(engine=engine, bot_storage=bot_storage)
    try:
        replies = await second.say("Svar efter omstart", PETER)
        assert "Tack Peter!" in replies[0]
        assert (await second.store.checkins.get_answer(TEAM_ID, "20261127", PETER.aad)).answer == "Svar efter omstart"
    finally:
        await stop_harness(second)
