"""The network's mandate points edited by two turns at the same moment: each edit is made on the
list as stored, so neither is lost. On the TinyDB engine a commit waits for the disk in a worker
thread, so the turns really interleave."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.publishing import report
from tests.harness import ANNA, PETER, TEAM_ID, disk_harness


async def test_a_point_added_while_another_is_reworded_keeps_both(tmp_path: Path) -> None:
    async with disk_harness(tmp_path / "data") as h:
        await h.install(ANNA, roster=[ANNA, PETER])
        await h.say("roll Peter presidium")
        statuses = await asyncio.gather(
            h.post(h.message("årsrapport uppdrag 4 Fullföljd utbildning för alla elever", ANNA)),
            h.post(h.message("årsrapport uppdrag 2 Verka för jämförbara data", PETER)),
        )
        assert [r.status for r in statuses] == [200, 200]
        team = await h.store.teams.get_team(TEAM_ID)
        assert team is not None
        points = report.mandate_points(team)
        assert points == (report.DEFAULT_MANDATE[0], "Verka för jämförbara data", report.DEFAULT_MANDATE[2],
                          "Fullföljd utbildning för alla elever")
        # Two points removed at once: each removes a point on the list as stored, so the list
        # shrinks by two (from a snapshot, both would write a list one shorter).
        await asyncio.gather(h.post(h.message("årsrapport uppdrag 4 -", ANNA)),
                             h.post(h.message("årsrapport uppdrag 1 -", PETER)))
        team = await h.store.teams.get_team(TEAM_ID)
        assert team is not None and len(report.mandate_points(team)) == 2
