"""The member register changed by several turns at the same moment (two instances, or one whose
turns yield at every storage call): each change is made on the member as stored, under the team's
lock, so none is lost and the "last leader" rule holds. On the TinyDB engine a commit waits for the
disk in a worker thread, so the turns really interleave."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.roles import CHAIR, PRESIDIUM, ROLE_GIVERS, SECRETARY
from tests.harness import ANNA, PETER, SOFIA, TEAM_ID, Harness, disk_harness


@pytest.fixture
async def tiny(tmp_path: Path) -> AsyncIterator[Harness]:
    async with disk_harness(tmp_path / "data") as h:  # its commits run in a thread: the turns interleave
        yield h


async def said(h: Harness, text: str, user, **extra) -> int:  # type: ignore[no-untyped-def]
    return (await h.post(h.message(text, user, **extra))).status


async def test_own_municipality_and_a_role_given_at_once_are_both_kept(tiny: Harness) -> None:
    h = tiny
    await h.install(ANNA, roster=[ANNA, PETER, SOFIA])
    for place in ("Skövde", "Hjo", "Tibro"):
        # Peter sets his municipality while the chair gives him a role, and Sofia hers while the
        # chair takes one back: every change is on the member as stored.
        statuses = await asyncio.gather(
            said(h, f"kommun {place}", PETER),
            said(h, "roll @Peter Stark sekreterare", ANNA, mentions=[PETER]),
            said(h, f"kommun {place}", SOFIA),
            said(h, "roll @Sofia Adolfsson -sekreterare", ANNA, mentions=[SOFIA]),
        )
        assert statuses == [200, 200, 200, 200]
        peter = await h.store.teams.get_member(TEAM_ID, PETER.aad)
        sofia = await h.store.teams.get_member(TEAM_ID, SOFIA.aad)
        assert peter is not None and sofia is not None
        assert peter.municipality == place and SECRETARY in peter.roles
        assert sofia.municipality == place and SECRETARY not in sofia.roles
        # Undone one by one, for the next round.
        await h.say("roll Peter -sekreterare")
        await h.say("roll Sofia sekreterare")


async def test_two_leaders_taking_each_others_roles_at_once_leave_one(tiny: Harness) -> None:
    h = tiny
    await h.install(ANNA, roster=[ANNA, PETER])
    await h.say("roll Peter presidium ordförande")
    statuses = await asyncio.gather(
        said(h, "roll @Peter Stark -presidium -ordförande", ANNA, mentions=[PETER]),
        said(h, "roll @Anna Gustafsson -presidium -ordförande", PETER, mentions=[ANNA]),
    )
    assert statuses == [200, 200]
    leaders = [m for m in await h.store.teams.members(TEAM_ID) if m.has_any_role(ROLE_GIVERS)]
    assert len(leaders) == 1
    assert {PRESIDIUM, CHAIR} <= leaders[0].roles
    refusals = [p.text for p in h.connector.posted if p.text and "måste ha kvar" in p.text]
    assert len(refusals) == 1


async def test_people_joining_at_once_keep_the_roles_given_meanwhile(tiny: Harness) -> None:
    # The roster read again when people join (conversationUpdate) adds who is missing and brings
    # the addresses up to date: a role given at the same moment to someone already in the register
    # is not written back away with the new address.
    h = tiny
    await h.install(ANNA, roster=[ANNA, PETER])
    nina = type(ANNA)("Nina Nyberg", "aad-nina")
    h.connector.members[TEAM_ID] = [{**u.account(), "email": f"{u.aad}@skaraborg.se"} for u in (ANNA, PETER, nina)]
    joined = h.base(nina, "channel")
    joined.update({"type": "conversationUpdate", "membersAdded": [nina.account()],
                   "conversation": {**joined["conversation"], "id": TEAM_ID}})
    joined["channelData"]["eventType"] = "teamMemberAdded"
    statuses = await asyncio.gather(
        h.post(joined),
        said(h, "roll @Peter Stark sekreterare", ANNA, mentions=[PETER]),
    )
    assert [getattr(s, "status", s) for s in statuses] == [200, 200]
    peter = await h.store.teams.get_member(TEAM_ID, PETER.aad)
    assert peter is not None and SECRETARY in peter.roles and peter.email == "aad-peter@skaraborg.se"
    assert await h.store.teams.get_member(TEAM_ID, nina.aad) is not None
