"""Changes to action items and decisions delivered again after a restart are not made again.

`klar 1` then `ångra 1`, and Teams delivers `klar 1` once more after a restart (the in-memory
duplicate filter is gone): the item stays open. The same for `ändra uppgift`, `tilldela` and
`ändra beslut`, which a later message may have changed since.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.messages import t
from storage.actions_repo import MEMBER, Owner
from tests.harness import ANNA, PETER, SOFIA, TEAM_ID
from tests.reliability.conftest import MEETING_ID, close_disk_bot
from tests.reliability.test_agenda_redelivery import Restartable, _post


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[Restartable]:
    bot = Restartable(tmp_path / "data")
    await bot.start()
    h = bot.h
    await h.store.actions.create(TEAM_ID, title="Boka lokal", owners=(Owner(MEMBER, ANNA.name, ANNA.aad),), created_by=ANNA.aad,
                                 created_at=h.clock.now())
    await h.store.decisions.record(TEAM_ID, MEETING_ID, text="Vi ses i Hjo", recorded_by=ANNA.aad, at=h.clock.now(), recorded_by_name=ANNA.name)
    try:
        yield bot
    finally:
        assert bot.bot is not None
        await close_disk_bot(bot.bot)


async def _item(bot: Restartable):  # noqa: ANN202 - the stored item
    item = await bot.h.store.actions.by_number(TEAM_ID, 1)
    assert item is not None
    return item


async def test_done_delivered_again_after_a_reopen_leaves_the_item_open(bot: Restartable) -> None:
    done = await bot.say("klar 1")
    assert not (await _item(bot)).is_open
    await bot.say("ångra 1")
    await bot.restart()
    await _post(bot.h, done)
    assert (await _item(bot)).is_open
    assert bot.last_reply() == t("records.already_done", "sv")


async def test_an_edit_delivered_again_does_not_undo_a_later_one(bot: Restartable) -> None:
    first = await bot.say("ändra uppgift 1 Boka lokal i Skövde")
    await bot.say("ändra uppgift 1 Boka lokal i Hjo")
    await bot.restart()
    await _post(bot.h, first)
    assert (await _item(bot)).title == "Boka lokal i Hjo"
    assert len((await _item(bot)).history) == 2


async def test_an_assignment_delivered_again_does_not_undo_a_later_one(bot: Restartable) -> None:
    first = await bot.say(f"tilldela 1 {PETER.name}")
    assert [o.key for o in (await _item(bot)).owners] == [PETER.aad]
    await bot.say(f"tilldela 1 {SOFIA.name}")
    await bot.restart()
    await _post(bot.h, first)
    assert [o.key for o in (await _item(bot)).owners] == [SOFIA.aad]


async def test_a_decision_correction_delivered_again_is_not_made_twice(bot: Restartable) -> None:
    first = await bot.say("ändra beslut 1 Vi ses i Skövde")
    await bot.restart()
    await _post(bot.h, first)
    decision = await bot.h.store.decisions.get(TEAM_ID, 1)
    assert decision.text == "Vi ses i Skövde" and len(decision.history) == 1
    await bot.say("ändra beslut 1 Vi ses i Tibro")
    await _post(bot.h, first)
    decision = await bot.h.store.decisions.get(TEAM_ID, 1)
    assert decision.text == "Vi ses i Tibro" and len(decision.history) == 2
