"""The three kinds of record together: export, personal data, a failing disk."""

from __future__ import annotations

from datetime import timedelta

from tests.bot.features.records_support import (
    FRIDAY,
    setup,
)
from tests.harness import ANNA, PETER, TEAM_ID, Harness


async def test_export_and_personal_data(harness: Harness) -> None:
    m = await setup(harness)
    harness.clock.set(FRIDAY + timedelta(hours=1))
    await harness.say("incheckning Svar", PETER)
    await harness.say("uppgift Mejla @Peter", ANNA)
    await harness.say("beslut Ett beslut", ANNA)
    store = harness.store
    checkins = (await store.checkins.export(TEAM_ID))["checkins"]
    assert {"meeting_id", "member_id", "question", "answer", "answered_at"} <= set(checkins[0])
    assert checkins[0]["member_id"] == PETER.aad and checkins[0]["meeting_id"] == m.id
    items = (await store.actions.export(TEAM_ID))["action_items"]
    assert set(items[0]) == {"id", "number", "meeting_id", "title", "owners", "due", "status", "created_by", "created_at", "done_at"}
    decisions = (await store.decisions.export(TEAM_ID))["decisions"]
    assert {"id", "meeting_id", "text", "agenda_item", "recorded_by", "recorded_at", "history"} <= set(decisions[0])
    assert [a.answer for a in await store.checkins.answers_of(TEAM_ID, PETER.aad)] == ["Svar"]
    assert await store.checkins.delete_member_answers(TEAM_ID, PETER.aad) == 1
    assert await store.checkins.answers(TEAM_ID, m.id) == []



async def test_a_failing_disk_stores_nothing_and_says_so(harness: Harness) -> None:
    m = await setup(harness)
    harness.store.engine.fail_writes = True  # type: ignore[attr-defined]
    for text in ("incheckning Mitt svar", "uppgift Mejla @Peter", "incheckningsfråga Ny fråga?"):
        replies = await harness.say(text, ANNA)
        assert "kunde inte spara" in replies[-1], text
    harness.store.engine.fail_writes = False  # type: ignore[attr-defined]
    assert await harness.store.checkins.answers(TEAM_ID, m.id) == [] and await harness.store.actions.all(TEAM_ID) == []
    await harness.say("uppgift Mejla @Peter", ANNA)
    assert await harness.store.actions.by_number(TEAM_ID, 1) is not None
