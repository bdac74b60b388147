"""Teams sends two activities for one installation (installationUpdate and conversationUpdate), at the
same moment and maybe to two instances: the bot greets once. On the TinyDB engine a commit waits for
the disk in a worker thread, so the two turns really interleave."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.bot.features.test_networks import personal_install
from tests.harness import ANNA, PETER, SOFIA, disk_harness


async def test_a_personal_installation_delivered_twice_at_once_is_greeted_once(tmp_path: Path) -> None:
    async with disk_harness(tmp_path / "data") as h:
        await h.install(ANNA, roster=[ANNA, PETER, SOFIA])
        before = len(h.connector.posted)
        installation = personal_install(h, PETER)
        conversation_update = h.base(PETER, "personal")
        conversation_update.update({"type": "conversationUpdate",
                                    "membersAdded": [{"id": conversation_update["recipient"]["id"]}]})
        statuses = await asyncio.gather(h.post(installation), h.post(conversation_update))
        assert [r.status for r in statuses] == [200, 200]
        assert len([p for p in h.connector.posted[before:] if p.text]) == 1


async def test_a_team_installation_delivered_twice_at_once_is_greeted_once(tmp_path: Path) -> None:
    async with disk_harness(tmp_path / "data") as h:
        installation = h.team_install(ANNA)
        installation_update = {**h.team_install(ANNA), "type": "installationUpdate", "action": "add", "id": "inst-2"}
        installation_update.pop("membersAdded")
        statuses = await asyncio.gather(h.post(installation), h.post(installation_update))
        assert [r.status for r in statuses] == [200, 200]
        assert len([p for p in h.connector.posted if p.text]) == 1
        # Removed and added again: greeted again, once.
        removal = {**h.team_install(ANNA), "type": "installationUpdate", "action": "remove", "id": "inst-3"}
        removal.pop("membersAdded")
        assert (await h.post(removal)).status == 200
        again = [{**h.team_install(ANNA), "id": "inst-4"}, {**installation_update, "id": "inst-5"}]
        await asyncio.gather(*(h.post(a) for a in again))
        assert len([p for p in h.connector.posted if p.text]) == 2
