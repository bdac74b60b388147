"""The network a person's 1:1 chat works on, changed by two turns at the same moment: a reply that
records which network it named does not write back a choice the person changed meanwhile. On the
TinyDB engine a commit waits for the disk in a worker thread, so the calls really interleave."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.features import networks
from tests.harness import ANNA, PETER, TEAM_ID, disk_harness
from tests.reliability.test_card_networks import G, install_network


async def test_a_choice_made_while_a_reply_names_the_network_is_kept(tmp_path: Path) -> None:
    async with disk_harness(tmp_path / "data") as h:
        await h.install(ANNA, roster=[ANNA, PETER])
        await install_network(h, G, [ANNA, PETER])
        repo = h.store.teams
        for now, then in ((TEAM_ID, G), (G, TEAM_ID), (TEAM_ID, G)):
            await repo.save_network_choice(ANNA.aad, chosen=now, named=None)
            selection = await networks.select(h.store, ANNA.aad)
            assert selection is not None and selection.team.key == now
            # `nätverk` chooses the other network while a reply on the first records that it named it.
            await asyncio.gather(repo.save_network_choice(ANNA.aad, chosen=then, named=then),
                                 networks.remember_named(h.store, ANNA.aad, selection))
            assert (await repo.network_choice(ANNA.aad))["chosen"] == then


async def test_a_choice_that_is_gone_is_forgotten_but_a_new_one_is_kept(tmp_path: Path) -> None:
    async with disk_harness(tmp_path / "data") as h:
        await h.install(ANNA, roster=[ANNA, PETER])
        await install_network(h, G, [ANNA, PETER])
        repo = h.store.teams
        await repo.save_network_choice(ANNA.aad, chosen="19:removed@thread.tacv2", named=None)
        selection = await networks.select(h.store, ANNA.aad)
        assert selection is not None and selection.fallback_from is not None
        await networks.remember_named(h.store, ANNA.aad, selection)
        assert await repo.network_choice(ANNA.aad) == {"chosen": None, "named": selection.team.key}
        # The same, while the person chooses G on another instance: G stays chosen.
        await repo.save_network_choice(ANNA.aad, chosen="19:removed@thread.tacv2", named=None)
        selection = await networks.select(h.store, ANNA.aad)
        assert selection is not None
        await asyncio.gather(repo.save_network_choice(ANNA.aad, chosen=G, named=G),
                             networks.remember_named(h.store, ANNA.aad, selection))
        assert (await repo.network_choice(ANNA.aad))["chosen"] == G
