"""A pasted plan of meetings after `nytt möte` is offered as a whole (issue 17 point 6).

Checked against what is stored, through /api/messages.
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from tests.harness import ANNA, PETER, SOFIA

TEAM = "19:skis-team@thread.tacv2"
TZ = ZoneInfo("Europe/Stockholm")
AUGUST = datetime(2026, 8, 20, 9, 0, tzinfo=UTC)  # the FixedClock's "now": the autumn is ahead
PLAN = "nytt möte\n2 oktober 13 - 15 (digitalt)\n8 november 9 - 15 (Regionens hus, Skövde)\n4 december 13 - 15 (digitalt)"


async def _setup(harness) -> None:
    harness.clock.set(AUGUST)
    await harness.install(ANNA, roster=[ANNA, PETER, SOFIA])


async def _stored(harness) -> list[tuple[str, time, time | None, str | None]]:
    return [
        (m.id, m.starts_at.astimezone(TZ).time(), m.ends_at.astimezone(TZ).time() if m.ends_at else None, m.location)
        for m in await harness.store.meetings.all(TEAM)
    ]


async def test_a_pasted_plan_is_listed_on_one_card_and_saved_with_one_yes(harness):
    await _setup(harness)
    texts = await harness.say(PLAN)
    assert "Jag förstod 3 möten" in texts[0]
    for when in ("fredag 2 oktober 2026 kl. 13.00–15.00", "söndag 8 november 2026 kl. 09.00–15.00", "fredag 4 december 2026 kl. 13.00–15.00"):
        assert when in texts[0]
    assert "inte en fredag" in texts[0]  # 8 november is a Sunday: said before anything is saved
    assert len(harness.connector.posted[-1].cards) == 1
    assert await harness.store.meetings.all(TEAM) == []
    await harness.say("ja")
    assert await _stored(harness) == [
        ("20261002", time(13), time(15), "digitalt"),
        ("20261108", time(9), time(15), "Regionens hus, Skövde"),
        ("20261204", time(13), time(15), "digitalt"),
    ]


async def test_no_plans_none_of_them(harness):
    await _setup(harness)
    await harness.say(PLAN)
    await harness.say("nej")
    assert await harness.store.meetings.all(TEAM) == []


async def test_a_line_that_is_no_meeting_is_named_and_nothing_is_planned(harness):
    await _setup(harness)
    texts = await harness.say("nytt möte\n2 oktober 13 - 15 (digitalt)\n8 november efter lunch\n4 december 13 - 15")
    assert "8 november efter lunch" in texts[0] and "Inget är sparat" in texts[0]
    assert await harness.store.meetings.all(TEAM) == []


async def test_one_meeting_with_its_place_on_the_next_line_is_no_list(harness):
    await _setup(harness)
    await harness.say("nytt möte fredag 2 oktober kl 13-15\nRegionens hus")
    assert await _stored(harness) == [("20261002", time(13), time(15), "Regionens hus")]
