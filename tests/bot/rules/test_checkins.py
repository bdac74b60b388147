"""Check-ins: who has answered, and the rotating questions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.rules.checkins import checkin_overview, question_for
from storage.engine import MemoryEngine
from storage.meetings_repo import Meeting
from storage.store import Store
from storage.teams_repo import Member

ANNA = Member("aad-anna", "29:aad-anna", "Anna Gustafsson", "aad-anna", "Götene")
PETER = Member("aad-peter", "29:aad-peter", "Peter Stark", "aad-peter", "Skövde")
SOFIA = Member("aad-sofia", "29:aad-sofia", "Sofia Adolfsson", "aad-sofia", "Lidköping")


async def test_checkin_overview_and_question_rotation() -> None:
    store = Store(MemoryEngine())
    team = "t1"
    await store.teams.save_members(team, [ANNA, PETER, SOFIA, Member("x", "29:x", "Utan Kommun")])
    start = datetime(2026, 11, 27, 7, 30, tzinfo=UTC)
    meetings = [Meeting(id=f"m{i}", team_key=team, starts_at=start + timedelta(days=14 * i)) for i in range(4)]
    for m in meetings:
        await store.meetings.save(m)
    await store.checkins.save_answer(team, "m0", PETER.key, question="q", answer="a", at=start)
    overview = await checkin_overview(store, team, "m0")
    assert [(a.answer, m.name if m else None) for a, m in overview.answered] == [("a", "Peter Stark")]
    assert [(k, [m.name for m in v]) for k, v in overview.missing] == [
        ("Götene", ["Anna Gustafsson"]), ("Lidköping", ["Sofia Adolfsson"]), (None, ["Utan Kommun"])
    ]
    assert overview.members == 4 and overview.missing_municipalities == ["Götene", "Lidköping"]
    asked = [await question_for(store, m) for m in meetings]
    assert asked == [
        "Vad tog du med från förra mötet?",
        "Vad är det bästa som kan hända vid dagens möte?",
        "Vad fyller dina arbetsdagar just nu?",
        "Vad tog du med från förra mötet?",
    ]
    assert asked == [await question_for(store, m) for m in meetings]  # deterministic
    assert await question_for(store, meetings[1], "checkout") == "Vad tar du med dig från dagens möte?"
    assert await question_for(store, Meeting(id="m9", team_key=team, starts_at=start, checkin_question="Egen?")) == "Egen?"
