"""An action item marked done (or reopened) by two turns at the same moment (two "Klar" clicks, a
click and a typed `klar`): decided on the item as stored, so it is done once, by the first, and
announced to the reminders once; the other turn hears that it is done already."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.routing import ACTION_ACTION_DONE
from storage.actions_repo import DONE, OPEN
from tests.bot.features.records_support import invoke, meeting, setup
from tests.harness import ANNA, PETER, TEAM_ID, Harness, disk_harness


@pytest.fixture
async def h(tmp_path: Path) -> AsyncIterator[Harness]:
    async with disk_harness(tmp_path / "data") as harness:  # its commits run in a thread: the turns interleave
        await setup(harness)
        await meeting(harness, harness.clock.now() + timedelta(days=25))
        await harness.say("uppgift Mejla @Peter", ANNA)
        await harness.say("uppgift Boka @Peter", ANNA)
        yield harness


async def test_two_done_clicks_at_once_mark_it_done_once_and_publish_once(h: Harness) -> None:
    item = await h.store.actions.by_number(TEAM_ID, 1)
    assert item is not None
    seen = h.published()
    bodies: list[dict[str, Any]] = await asyncio.gather(
        invoke(h, ACTION_ACTION_DONE, {"number": 1, "view": "all"}, PETER),
        invoke(h, ACTION_ACTION_DONE, {"number": 1, "view": "all"}, ANNA),
    )
    kinds = sorted(b["type"] for b in bodies)
    # One click marks it done and shows the list again; the other only hears it is done already.
    assert kinds == ["application/vnd.microsoft.activity.message", "application/vnd.microsoft.card.adaptive"]
    message = next(b for b in bodies if b["type"] == "application/vnd.microsoft.activity.message")
    assert "redan markerad som klar" in message["value"]
    assert seen == [("action_item", TEAM_ID, item.id)]
    stored = await h.store.actions.get(TEAM_ID, item.id)
    assert stored is not None and stored.status == DONE and stored.done_at == h.clock.now()
    winner = PETER.aad if bodies[0]["type"].endswith("adaptive") else ANNA.aad
    assert stored.done_by == winner  # the first stays: the second click did not overwrite it


async def test_done_typed_twice_at_once_and_reopened_twice_at_once_publish_once_each(h: Harness) -> None:
    item = await h.store.actions.by_number(TEAM_ID, 2)
    assert item is not None
    seen = h.published()
    before = len(h.connector.posted)
    await asyncio.gather(h.say("klar 2", PETER), h.say("klar 2", ANNA))
    replies = [p.text for p in h.connector.posted[before:] if p.text]
    assert len(replies) == 2 and sorted("redan markerad som klar" in r for r in replies) == [False, True]
    assert len(seen) == 1
    before = len(h.connector.posted)
    await asyncio.gather(h.say("ångra 2", PETER), h.say("ångra 2", ANNA))
    replies = [p.text for p in h.connector.posted[before:] if p.text]
    assert len(replies) == 2 and sum("redan öppen" in r for r in replies) == 1, replies
    assert len(seen) == 2
    stored = await h.store.actions.get(TEAM_ID, item.id)
    assert stored is not None and stored.status == OPEN and stored.done_by is None
