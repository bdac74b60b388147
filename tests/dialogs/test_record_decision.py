"""The decision dialog survives a restart and stores the decision for the meeting it began in."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from tests.dialogs.records_restart import FRIDAY, first_start, restart, stop
from tests.harness import PETER, TEAM_ID


async def test_decision_dialog_survives_a_restart(tmp_path: Path) -> None:
    during = FRIDAY + timedelta(hours=1)
    service = await first_start(tmp_path / "data", now=during)
    try:
        replies = await service.harness.say("beslut punkt 2", PETER)
        assert "under punkt 2" in replies[0]
        service = await restart(service, now=during + timedelta(minutes=5))
        replies = await service.harness.say("Vi bjuder in Erik Andersson till hösten", PETER)
        assert "Beslut **1**" in replies[0]
        decision = service.harness.store.decisions.get(TEAM_ID, 1)
        assert decision.meeting_id == "20261127" and decision.agenda_item == 2
        assert decision.text == "Vi bjuder in Erik Andersson till hösten"
    finally:
        await stop(service)
