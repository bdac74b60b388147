"""Installation racing other writes: the founder keeps the chair whatever arrives beside the
installation, a re-activation keeps settings changed meanwhile, and a failed write between the team
and its founder leaves no network without a chair. On the TinyDB engine a commit waits for the disk
in a worker thread, so the turns really interleave."""

from __future__ import annotations

import asyncio
import errno
import os
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from botbuilder.schema import Activity

from bot.app import SERVICES_KEY
from bot.roles import CHAIR, PRESIDIUM
from bot.teams import install
from tests.harness import ANNA, PETER, TEAM_ID, Harness, disk_harness


@pytest.fixture
async def tiny(tmp_path: Path) -> AsyncIterator[Harness]:
    async with disk_harness(tmp_path / "data") as h:
        yield h


def installation_update(h: Harness) -> dict[str, Any]:
    """The other activity Teams sends for one installation, beside ``h.team_install``."""
    activity = {**h.team_install(ANNA), "type": "installationUpdate", "action": "add"}
    activity.pop("membersAdded")
    return activity


async def test_the_founder_keeps_the_chair_when_the_roster_was_read_before_she_was_written(
    tiny: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A slow disk for the team's register: the installationUpdate has registered the team and is
    # still writing its founder when the conversationUpdate beside it finds the team and reads the
    # roster. What that roster adds must not write the founder back as a plain member.
    h = tiny
    h.connector.members[TEAM_ID] = [u.account() for u in (ANNA, PETER)]
    real_replace = os.replace

    def slow_replace(src: str, dst: str) -> None:
        if f"{os.sep}teams{os.sep}" in os.fspath(dst):
            time.sleep(0.3)  # in the engine's worker thread: the event loop goes on
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", slow_replace)

    async def later() -> aiohttp.ClientResponse:
        await asyncio.sleep(0.1)
        return await h.post(h.team_install(ANNA))

    statuses = await asyncio.gather(h.post(installation_update(h)), later())
    monkeypatch.undo()
    assert [r.status for r in statuses] == [200, 200]
    anna = await h.store.teams.get_member(TEAM_ID, ANNA.aad)
    assert anna is not None and {CHAIR, PRESIDIUM} <= anna.roles
    assert len(await h.store.teams.members(TEAM_ID)) == 2


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
