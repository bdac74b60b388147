"""A due date the bot cannot read keeps the rest of the action item (issue 17 point 8).

``uppgift X @Anna till nästa träff`` (also ``innan nästa möte``) is due at the next meeting;
``till v. 7``, ``till jul`` … keep the title and the owner and ask only for the day. Checked
against what is stored, through /api/messages.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tests.harness import ANNA, PETER, SOFIA

TEAM = "19:skis-team@thread.tacv2"
WEDNESDAY = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


async def _setup(harness) -> None:
    harness.clock.set(WEDNESDAY)
    await harness.install(ANNA, roster=[ANNA, PETER, SOFIA])
    await harness.say("nytt möte fredag 11 december kl 9-12 Regionens hus")


async def _items(harness) -> list[tuple[str, list[str], date | None, bool]]:
    return [(i.title, [o.name for o in i.owners], i.due, i.due_next_meeting) for i in await harness.store.actions.open_items(TEAM)]


@pytest.mark.parametrize("due", ["till nästa träff", "innan nästa möte", "till nästa nätverksträff", "före nästa möte"])
async def test_the_next_meeting_in_the_networks_words_is_a_due_date(harness, due):
    await _setup(harness)
    # Recorded before 11 December, the item is for that meeting: "nästa möte" is the one after it.
    await harness.say("nytt möte fredag 15 januari 2027 kl 9-12 Teams")
    texts = await harness.say(f"uppgift Boka lokal <at>Peter Stark</at> {due}", ANNA, mentions=[PETER])
    assert "Vem ska göra det" not in texts[0]
    assert await _items(harness) == [("Boka lokal", ["Peter Stark"], date(2027, 1, 15), True)]


@pytest.mark.parametrize(
    ("due", "asked", "answer", "stored"),
    [
        ("till v. 7", "Vilken dag i vecka 7?", "fredag 19 februari", date(2027, 2, 19)),
        ("till vecka 12", "Vilken dag i vecka 12?", "26 mars", date(2027, 3, 26)),
        ("till jul", "”jul”", "23 december", date(2026, 12, 23)),
        ("innan jul", "”jul”", "18 december", date(2026, 12, 18)),
        ("till hösten", "”hösten”", "4 september", date(2027, 9, 4)),
        ("till januari", "Vilken dag i januari?", "29 januari", date(2027, 1, 29)),
    ],
)
async def test_a_due_date_naming_no_day_keeps_title_and_owner_and_asks_only_the_day(harness, due, asked, answer, stored):
    await _setup(harness)
    texts = await harness.say(f"uppgift Boka lokal <at>Peter Stark</at> {due}", ANNA, mentions=[PETER])
    assert asked in " ".join(texts) and "Vem ska göra det" not in " ".join(texts), texts
    assert await _items(harness) == []  # nothing saved without the due date that was meant
    texts = await harness.say(answer)
    assert await _items(harness) == [("Boka lokal", ["Peter Stark"], stored, False)]


async def test_date_words_inside_a_title_stay_in_the_title(harness):
    await _setup(harness)
    await harness.say("uppgift Skicka enkäten till kommunerna i vår <at>Peter Stark</at>", ANNA, mentions=[PETER])
    assert await _items(harness) == [("Skicka enkäten till kommunerna i vår", ["Peter Stark"], None, False)]
