""""Till nästa möte" and the meeting an action item belongs to (issue 19 points 6 and 8), through /api/messages.

An item recorded before a meeting began belongs to that meeting (it is followed up at the next one),
so "till nästa möte" is the meeting after it, never that very meeting; and the bot says the item is
*for* that meeting ("Till mötet"), not *from* a meeting that has not happened.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from tests.harness import ANNA, PETER, SOFIA, TEAM_ID, Harness

WEDNESDAY = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)  # nothing has met yet
DURING = datetime(2026, 12, 11, 9, 30, tzinfo=UTC)  # fredag 11 december kl. 10.30, the meeting is on
DEC_11, JAN_15 = date(2026, 12, 11), date(2027, 1, 15)


async def _setup(h: Harness, *, both: bool = True) -> None:
    h.clock.set(WEDNESDAY)
    await h.install(ANNA, roster=[ANNA, PETER, SOFIA])
    await h.say("nytt möte fredag 11 december kl 9-12 Regionens hus")
    if both:
        await h.say("nytt möte fredag 15 januari 2027 kl 9-12 Teams")


async def _items(h: Harness) -> list[tuple[str, str | None, date | None, bool]]:
    return [(i.title, i.meeting_id, i.due, i.due_next_meeting) for i in await h.store.actions.open_items(TEAM_ID)]


async def _meeting_id(h: Harness, day: date) -> str:
    return next(m.id for m in await h.store.meetings.all(TEAM_ID) if m.starts_at.date() == day)


async def test_before_a_meeting_till_nasta_mote_is_the_meeting_after_it_and_the_item_is_for_it(harness: Harness) -> None:
    await _setup(harness)
    reply = " ".join(await harness.say("uppgift Boka lokal <at>Peter Stark</at> till nästa möte", ANNA, mentions=[PETER]))
    assert await _items(harness) == [("Boka lokal", await _meeting_id(harness, DEC_11), JAN_15, True)]
    assert "till nästa möte (fredag 15 januari 2027)" in reply
    assert "Till mötet: fredag 11 december 2026" in reply and "Från mötet" not in reply
    listed = str(await harness.say_cards("uppgifter", ANNA))
    assert "Till mötet fredag 11 december 2026" in listed and "Från mötet" not in listed


async def test_during_a_meeting_till_nasta_mote_is_the_next_one_and_the_item_is_from_it(harness: Harness) -> None:
    await _setup(harness)
    harness.clock.set(DURING)
    reply = " ".join(await harness.say("uppgift Boka lokal <at>Peter Stark</at> till nästa möte", ANNA, mentions=[PETER]))
    assert await _items(harness) == [("Boka lokal", await _meeting_id(harness, DEC_11), JAN_15, True)]
    assert "Från mötet: fredag 11 december 2026" in reply and "Till mötet" not in reply


async def test_an_item_for_the_only_planned_meeting_waits_for_the_meeting_after_it(harness: Harness) -> None:
    await _setup(harness, both=False)
    await harness.say("uppgift Boka lokal <at>Peter Stark</at> till nästa möte", ANNA, mentions=[PETER])
    assert await _items(harness) == [("Boka lokal", await _meeting_id(harness, DEC_11), None, True)]  # not 11 december
    await harness.say("nytt möte fredag 15 januari 2027 kl 9-12 Teams")
    assert (await _items(harness))[0][2:] == (JAN_15, True)  # follows the calendar once the meeting after it is planned


async def test_changing_an_item_to_till_nasta_mote_before_its_meeting_is_the_meeting_after_it(harness: Harness) -> None:
    await _setup(harness)
    await harness.say("uppgift Boka lokal <at>Peter Stark</at> till 9 december", ANNA, mentions=[PETER])
    assert (await _items(harness))[0][2:] == (date(2026, 12, 9), False)
    reply = " ".join(await harness.say("ändra uppgift 1 till nästa möte", ANNA))
    assert (await _items(harness))[0][2:] == (JAN_15, True), reply
