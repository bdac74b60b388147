"""Minutes drafts saved by several turns at the same moment (a commit that waits on the disk or the
database lets another turn read the draft meanwhile): each builds on the other's revision."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.app import SERVICES_KEY
from bot.features.minutes import sync_draft
from tests.bot.features.test_minutes import MID, seed
from tests.harness import TEAM_ID, disk_harness


async def test_drafts_synced_at_the_same_moment_all_succeed_on_one_revision(tmp_path: Path) -> None:
    async with disk_harness(tmp_path / "data") as h:  # its commits run in a thread: the turns interleave
        await seed(h)
        services = h.app[SERVICES_KEY]
        team = await h.store.teams.get_team(TEAM_ID)
        meeting = await h.store.meetings.get(TEAM_ID, MID)
        assert team is not None and meeting is not None
        results = await asyncio.gather(*(sync_draft(services, team, meeting) for _ in range(8)))
        revisions = {draft.revision for draft, _built in results}
        stored = await h.store.minutes.draft(TEAM_ID, MID)
        assert stored is not None and revisions == {stored.revision} == {1}
