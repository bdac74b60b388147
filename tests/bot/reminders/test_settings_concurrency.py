"""Two people of the presidium change different reminders at the same moment (on two instances, or
while one turn waits for the disk): both changes are kept."""

from __future__ import annotations

import asyncio
from datetime import time
from pathlib import Path

from storage.reminders_repo import ACTIONS, MEETING_WEEK, MINUTES
from tests.bot.features.records_support import set_member
from tests.harness import ANNA, PETER, SOFIA, TEAM_ID, disk_harness


async def test_two_kinds_changed_at_once_are_both_kept(tmp_path: Path) -> None:
    async with disk_harness(tmp_path / "data") as h:  # its commits run in a thread: the turns interleave
        await h.install(ANNA, roster=[ANNA, PETER, SOFIA])
        await set_member(h, SOFIA, roles=frozenset({"medlem", "presidium"}))
        before = len(h.connector.posted)
        await asyncio.gather(
            h.say("påminnelser kallelse 6 dagar före kl 10", ANNA),
            h.say("påminnelser uppgifter 2 dagar före kl 9", SOFIA),
            h.say("påminnelser protokoll 5 dagar", ANNA),
        )
        replies = [p.text for p in h.connector.posted[before:] if p.text]
        assert len(replies) == 3 and all(r.startswith("Sparat.") for r in replies), replies
        settings = await h.store.reminders.settings(TEAM_ID)
        assert (settings.kind(MEETING_WEEK).days, settings.kind(MEETING_WEEK).at) == (6, time(10))
        assert (settings.kind(ACTIONS).days, settings.kind(ACTIONS).at) == (2, time(9))
        assert settings.kind(MINUTES).days == 5
