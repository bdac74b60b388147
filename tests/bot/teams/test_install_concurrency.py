"""Installation racing other writes: the founder keeps the chair whatever arrives beside the
installation, a re-activation keeps settings changed meanwhile, and a failed write between the team
and its founder leaves no network without a chair. On the TinyDB engine a commit waits for the disk
in a worker thread, so the turns really interleave."""

from __future__ import annotations

import asyncio
import errno
import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from botbuilder.schema import Activity

from bot.app import SERVICES_KEY
from bot.roles import CHAIR, PRESIDIUM
from bot.teams import install
from bot.teams.state import EngineBotStorage
from storage.tinydb_engine import TinyDBEngine
from tests.harness import ANNA, PETER, SOFIA, TEAM_ID, Harness, start_harness, stop_harness


@pytest.fixture
async def tiny(tmp_path: Path) -> AsyncIterator[Harness]:
    engine = TinyDBEngine(tmp_path / "data")
    h = await start_harness(engine=engine, bot_storage=EngineBotStorage(engine))
    try:
        yield h
    finally:
        await stop_harness(h)
        await engine.close()


def installation_update(h: Harness, team_id: str = TEAM_ID) -> dict:  # type: ignore[type-arg]
    activity = {**team_install(h, team_id), "type": "installationUpdate", "action": "add"}
    activity.pop("membersAdded")
    return activity


def team_install(h: Harness, team_id: str) -> dict:  # type: ignore[type-arg]
    activity = h.team_install(ANNA)
    activity["channelData"]["team"]["id"] = activity["conversation"]["id"] = team_id
    return activity


async def test_the_founder_keeps_the_chair_when_the_installation_comes_twice_at_once(tiny: Harness) -> None:
    # installationUpdate registers the founder as chair while the conversationUpdate beside it
    # reads the roster: the roster must not write the founder back as a plain member. Several
    # networks installed at once, so the two activities of one of them surely interleave.
    h = tiny
    keys = [f"19:team-{n}@thread.tacv2" for n in range(6)]
    for key in keys:
        h.connector.members[key] = [{**u.account(), "email": f"{u.aad}@skaraborg.se"} for u in (ANNA, PETER, SOFIA)]
    statuses = await asyncio.gather(*(h.post(a) for key in keys
                                      for a in (team_install(h, key), installation_update(h, key))))
    assert {r.status for r in statuses} == {200}
    for key in keys:
        anna = await h.store.teams.get_member(key, ANNA.aad)
        assert anna is not None and {CHAIR, PRESIDIUM} <= anna.roles, key
        assert anna.email == "aad-anna@skaraborg.se"
        assert len(await h.store.teams.members(key)) == 3


async def test_added_again_keeps_settings_changed_at_the_same_moment(tiny: Harness) -> None:
    h = tiny
    await h.install(ANNA, roster=[ANNA, PETER])
    removal = {**installation_update(h), "action": "remove"}
    assert (await h.post(removal)).status == 200
    services = h.app[SERVICES_KEY]
    again = Activity().deserialize(installation_update(h))
    # A setting written by another turn while the installation re-activates the team.
    await asyncio.gather(
        h.store.teams.update_team_settings(TEAM_ID, {"language": "en"}),
        install.ensure_team(services, again, installer=again.from_property),
    )
    team = await h.store.teams.get_team(TEAM_ID)
    assert team is not None and team.active and team.settings.get("language") == "en"


async def test_a_failed_write_between_the_team_and_its_founder_leaves_a_chair(
    tiny: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The team's own partition cannot be written (a full disk) while the bot is installed: whatever
    # was written, the founder's next message finds a network she chairs.
    h = tiny
    h.connector.members[TEAM_ID] = [u.account() for u in (ANNA, PETER)]
    real_replace = os.replace

    def replace(src: str, dst: str) -> None:
        if f"{os.sep}teams{os.sep}" in os.fspath(dst):
            raise OSError(errno.ENOSPC, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    await h.post(h.team_install(ANNA))  # fails: Teams is told so
    monkeypatch.undo()
    await h.say("hjälp", ANNA)
    anna = await h.store.teams.get_member(TEAM_ID, ANNA.aad)
    assert anna is not None and CHAIR in anna.roles
