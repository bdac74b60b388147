"""200 people recording on the same meeting at the same moment: 200 records, none lost or doubled."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest

from tests.harness import TEAM_ID
from tests.reliability import activities as act
from tests.reliability.conftest import MEETING_ID, DiskBot, opened

PEOPLE = 200

KINDS = {
    "checkin": "incheckning Svar nummer {n}",
    "action_item": "uppgift Uppgift nummer {n} @alla",
    "decision": "beslut Beslut nummer {n}",
}


async def _texts(bot: DiskBot, kind: str) -> list[str]:
    store = bot.harness.store
    if kind == "checkin":
        return [a.answer for a in await store.checkins.answers(TEAM_ID, MEETING_ID)]
    if kind == "action_item":
        return [i.title for i in await store.actions.all(TEAM_ID)]
    return [d.text for d in await store.decisions.all(TEAM_ID)]


@pytest.mark.parametrize("kind", sorted(KINDS))
async def test_200_concurrent_turns_on_one_meeting(disk_bot: DiskBot, kind: str) -> None:
    h = disk_bot.harness
    url = h.connector.url
    activities = [act.message(KINDS[kind].format(n=n), act.user(n), url, f"{kind}-{n}") for n in range(PEOPLE)]

    async def post(activity: dict) -> int:
        async with h.session.post(f"{h.base_url}/api/messages", json=activity) as resp:
            return resp.status

    statuses = await asyncio.gather(*(post(a) for a in activities))
    assert Counter(statuses) == {200: PEOPLE}

    stored = await _texts(disk_bot, kind)
    expected = [KINDS[kind].format(n=n).split(" ", 1)[1].removesuffix(" @alla") for n in range(PEOPLE)]
    assert Counter(stored) == Counter(expected)  # every one there, exactly once
    # Each person got exactly one answer, in their own thread.
    replied_to = Counter(p.activity_id for p in h.connector.posted if p.activity_id and p.activity_id.startswith(kind))
    assert replied_to == {a["id"]: 1 for a in activities}
    if kind == "action_item":
        assert sorted(i.number for i in await h.store.actions.all(TEAM_ID)) == list(range(1, PEOPLE + 1))
    if kind == "decision":
        assert sorted(d.number for d in await h.store.decisions.all(TEAM_ID)) == list(range(1, PEOPLE + 1))
    # And it is all on disk, not only in the cache.
    members = await h.store.teams.members(TEAM_ID)
    assert len(members) >= PEOPLE


async def test_200_concurrent_turns_survive_a_reopen(disk_bot: DiskBot) -> None:
    from storage.store import Store
    from storage.tinydb_engine import TinyDBEngine

    h = disk_bot.harness
    url = h.connector.url
    activities = [act.message(f"incheckning Svar {n}", act.user(n), url, f"c-{n}") for n in range(PEOPLE)]
    await asyncio.gather(*(h.post(a) for a in activities))
    await disk_bot.engine.close()
    async with opened(TinyDBEngine(disk_bot.data_dir, read_only=True)) as engine:
        answers = await Store(engine).checkins.answers(TEAM_ID, MEETING_ID)
    assert sorted(a.answer for a in answers) == sorted(f"Svar {n}" for n in range(PEOPLE))
