"""The decision dialog survives a restart and stores the decision for the meeting it began in."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot.roles import MEMBER, SECRETARY
from tests.bot.features.records_support import set_member, setup
from tests.dialogs.records_restart import FRIDAY, first_start, restart, stop
from tests.harness import PETER, SOFIA, TEAM_ID, Harness


async def test_decision_dialog_survives_a_restart(tmp_path: Path) -> None:
    during = FRIDAY + timedelta(hours=1)
    service = await first_start(tmp_path / "data", now=during)
    try:
        replies = await service.harness.say("beslut punkt 2", PETER)
        assert "under punkt 2" in replies[0]
        service = await restart(service, now=during + timedelta(minutes=5))
        replies = await service.harness.say("Vi bjuder in Erik Andersson till hösten", PETER)
        assert "Beslut **1**" in replies[0]
        decision = await service.harness.store.decisions.get(TEAM_ID, 1)
        assert decision.meeting_id == "20261127" and decision.agenda_item == 2
        assert decision.text == "Vi bjuder in Erik Andersson till hösten"
    finally:
        await stop(service)


async def test_a_recorder_who_loses_the_role_before_answering_is_refused_and_nothing_is_stored(harness: Harness) -> None:
    await setup(harness)
    await set_member(harness, SOFIA, roles=frozenset({MEMBER, SECRETARY}))
    harness.clock.set(FRIDAY + timedelta(days=2))  # the meeting is over: only recorders add decisions
    replies = await harness.say("beslut", SOFIA)
    assert "Vilket beslut togs" in replies[0]
    await set_member(harness, SOFIA, roles=frozenset({MEMBER}))
    replies = await harness.say("Nästa möte blir digitalt", SOFIA)
    assert "presidiet, sekreteraren eller ordföranden" in replies[0] and "beslutslogg" in replies[0]
    assert await harness.store.decisions.all(TEAM_ID) == []
    # The conversation is over: the same words again are not taken as the decision either.
    await harness.say("Nästa möte blir digitalt", SOFIA)
    assert await harness.store.decisions.all(TEAM_ID) == []


async def test_whoever_began_during_the_meeting_may_finish_after_it(harness: Harness) -> None:
    m = await setup(harness)
    harness.clock.set(FRIDAY + timedelta(hours=6))  # the last of the grace after its end
    replies = await harness.say("beslut", PETER)  # a member without a role, during the meeting
    assert "Vilket beslut togs" in replies[0]
    harness.clock.set(FRIDAY + timedelta(hours=8))  # the meeting is over meanwhile
    replies = await harness.say("Nästa möte blir digitalt", PETER)
    assert "Beslut **1**" in replies[0]
    assert (await harness.store.decisions.get(TEAM_ID, 1)).meeting_id == m.id
