"""An agenda change delivered again after a restart is not made again.

The in-memory duplicate filter is gone after a restart, and the agenda's numbers have changed
since the first delivery: `ta bort punkt 4` read again would take off the item that is number 4
now. Each change is kept with the id of the message that asked for it, in the same write.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.messages import t
from bot.rules.agenda import build_agenda
from storage.meetings_repo import Meeting
from tests.harness import ANNA, TEAM_ID, Harness
from tests.reliability.conftest import MEETING_ID, DiskBot, close_disk_bot, open_disk_bot


async def _post(h: Harness, activity: dict[str, Any]) -> None:
    async with h.session.post(f"{h.base_url}/api/messages", json=activity) as resp:
        await resp.read()
        assert resp.status == 200


class Restartable:
    """A bot on a data directory that can be stopped and started again with the same connector."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.bot: DiskBot | None = None

    @property
    def h(self) -> Harness:
        assert self.bot is not None
        return self.bot.harness

    async def start(self) -> None:
        self.bot = await open_disk_bot(self.data_dir)

    async def restart(self) -> None:
        assert self.bot is not None
        connector = self.h.connector
        await close_disk_bot(self.bot, keep_connector=True)
        self.bot = await open_disk_bot(self.data_dir, install=False, connector=connector)

    async def meeting(self) -> Meeting:
        meeting = await self.h.store.meetings.get(TEAM_ID, MEETING_ID)
        assert meeting is not None
        return meeting

    async def titles(self) -> list[str]:
        return [i.title for i in await self.h.store.agenda.items(await self.meeting())]

    async def number(self, title: str) -> int:
        agenda = await build_agenda(self.h.store, await self.h.store.teams.get_team(TEAM_ID), await self.meeting(), "sv")
        return next(e.number for e in agenda.entries if e.title == title)

    async def say(self, text: str) -> dict[str, Any]:
        activity = self.h.message(text, ANNA)
        await _post(self.h, activity)
        return activity

    def last_reply(self) -> str:
        return self.h.connector.posted[-1].text


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[Restartable]:
    bot = Restartable(tmp_path / "data")
    await bot.start()
    for title in ("Alfa", "Beta", "Gamma", "Delta"):
        await bot.say(f"punkt {title}")
    assert await bot.titles() == ["Alfa", "Beta", "Gamma", "Delta"]
    try:
        yield bot
    finally:
        assert bot.bot is not None
        await close_disk_bot(bot.bot)


async def test_remove_delivered_again_after_a_restart_removes_one_item(bot: Restartable) -> None:
    remove = await bot.say(f"ta bort punkt {await bot.number('Beta')}")
    reply = bot.last_reply()
    assert await bot.titles() == ["Alfa", "Gamma", "Delta"]
    await bot.restart()
    await _post(bot.h, remove)
    assert await bot.titles() == ["Alfa", "Gamma", "Delta"]
    assert bot.last_reply() == reply  # the copy gets the same answer


async def test_move_delivered_again_after_a_restart_moves_once(bot: Restartable) -> None:
    move = await bot.say(f"flytta punkt {await bot.number('Delta')} {await bot.number('Beta')}")
    reply = bot.last_reply()
    assert await bot.titles() == ["Alfa", "Delta", "Beta", "Gamma"]
    await bot.restart()
    await _post(bot.h, move)
    assert await bot.titles() == ["Alfa", "Delta", "Beta", "Gamma"]
    assert bot.last_reply() == reply


async def test_edit_delivered_again_after_the_numbers_changed_edits_nothing_else(bot: Restartable) -> None:
    edit = await bot.say(f"ändra punkt {await bot.number('Beta')} Betaversion")
    await bot.say(f"flytta punkt {await bot.number('Delta')} {await bot.number('Betaversion')}")
    assert await bot.titles() == ["Alfa", "Delta", "Betaversion", "Gamma"]
    await bot.restart()
    await _post(bot.h, edit)
    assert await bot.titles() == ["Alfa", "Delta", "Betaversion", "Gamma"]


async def test_an_item_added_and_removed_is_not_added_again_by_a_copy(bot: Restartable) -> None:
    add = await bot.say("punkt Epsilon")
    await bot.say(f"ta bort punkt {await bot.number('Epsilon')}")
    await bot.restart()
    await _post(bot.h, add)
    assert await bot.titles() == ["Alfa", "Beta", "Gamma", "Delta"]
    assert bot.last_reply() == t("meetings.agenda_already_done", "sv")
