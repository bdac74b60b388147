"""Two chairs click **Justera** at the same moment (or one click reaches two instances): the version
is co-signed once, by the first, and the channel hears of it once."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.bot.features.test_minutes import MID, _confirm, invoke, seed, set_member
from tests.harness import ANNA, PETER, TEAM_ID, disk_harness


async def test_two_chairs_cosigning_at_once_sign_and_announce_once(tmp_path: Path) -> None:
    async with disk_harness(tmp_path / "data") as h:  # its commits run in a thread: the turns interleave
        await seed(h)
        await set_member(h, PETER, roles={"medlem", "ordförande"}, municipality="Skövde")
        await h.say("protokoll justering på", ANNA)
        await _confirm(h)
        published = h.published()
        before = len(h.connector.posted)
        bodies = await asyncio.gather(
            invoke(h, "minutes_cosign", {"meeting_id": MID, "version": 1}, ANNA),
            invoke(h, "minutes_cosign", {"meeting_id": MID, "version": 1}, PETER),
        )
        texts = [p.text for p in h.connector.posted[before:] if p.text and "har justerat" in p.text]
        version = await h.store.minutes.version(TEAM_ID, MID, 1)
        assert version is not None and version.cosigned_by in (ANNA.aad, PETER.aad)
        assert len(texts) == 1 and version.cosigned_by_name in texts[0]
        assert published == [("minutes", TEAM_ID, MID)]
        # Both clickers see the co-signed card (no button left to click).
        for body in bodies:
            assert f"Justerat av {version.cosigned_by_name}" in str(body["value"])
