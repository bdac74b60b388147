"""A full disk or an I/O error while saving: the person is told, old data stays, the bot keeps going."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from bot.messages import t
from storage.store import Store
from tests.harness import ANNA, PETER, SOFIA, TEAM_ID, User
from tests.reliability.conftest import MEETING_ID, DiskBot
from tests.reliability.test_backup import snapshot
from tests.storage.conftest import FAILURES, break_disk

NINA = User("Nina Nyberg", "aad-nina")  # not in the register yet: her first message adds her

NOT_SAVED = t("core.not_saved", "sv")


async def _checkin(store: Store) -> list[Any]:
    answer = await store.checkins.get_answer(TEAM_ID, MEETING_ID, PETER.aad)
    return [answer] if answer else []


async def _action_item(store: Store) -> list[Any]:
    return [i for i in await store.actions.all(TEAM_ID) if i.title.startswith("Boka lokal")]


async def _decisions(store: Store) -> list[Any]:
    return await store.decisions.all(TEAM_ID)


async def _new_member(store: Store) -> list[Any]:
    return [m for m in [await store.teams.get_member(TEAM_ID, NINA.aad)] if m]


RECORDS: dict[str, tuple[str, User, dict[str, Any], Callable[[Store], Awaitable[list[Any]]]]] = {
    "checkin": ("incheckning Jag tog med mig idéer om UP2", PETER, {}, _checkin),
    "action_item": ("uppgift Boka lokal till nästa möte @Peter Stark", ANNA, {"mentions": [PETER]}, _action_item),
    "decision": ("beslut Skövde och Tibro presenterar Bästa skola", SOFIA, {}, _decisions),
    "new_member": ("hjälp", NINA, {}, _new_member),
}


@pytest.mark.parametrize("how", FAILURES)
@pytest.mark.parametrize("record", sorted(RECORDS))
async def test_failed_write_says_not_saved_keeps_old_data_and_keeps_serving(
    disk_bot: DiskBot, monkeypatch: pytest.MonkeyPatch, how: str, record: str
) -> None:
    h = disk_bot.harness
    text, user, extra, stored = RECORDS[record]
    assert await h.say("incheckning Ett tidigare svar som ska finnas kvar", ANNA)
    before = snapshot(disk_bot.data_dir)
    assert await stored(h.store) == []

    break_disk(monkeypatch, how)
    texts = await h.say(text, user, **extra)
    monkeypatch.undo()

    assert texts == [NOT_SAVED]
    assert snapshot(disk_bot.data_dir) == before  # not one byte of earlier data changed
    assert await stored(h.store) == []  # nor did the bot's own view of it
    assert (await h.store.checkins.get_answer(TEAM_ID, MEETING_ID, ANNA.aad)).answer == "Ett tidigare svar som ska finnas kvar"

    # The disk has room again: the same request now works, and the service is healthy.
    before_posted = len(h.connector.posted)
    resp = await h.post(h.message(text, user, **extra))
    replies = h.connector.posted[before_posted:]
    assert resp.status == 200 and replies and all(p.text != NOT_SAVED for p in replies)
    assert len(await stored(h.store)) == 1
    async with h.session.get(f"{h.base_url}/healthz") as resp:
        assert resp.status == 200


async def test_reading_still_works_while_the_disk_is_full(disk_bot: DiskBot, monkeypatch: pytest.MonkeyPatch) -> None:
    h = disk_bot.harness
    await h.say("incheckning Svar före", PETER)
    break_disk(monkeypatch, "write")
    cards = await h.say_cards("incheckningar", ANNA)
    monkeypatch.undo()
    assert cards and "Svar före" in str(cards)


async def test_health_check_reports_a_full_disk(disk_bot: DiskBot, monkeypatch: pytest.MonkeyPatch) -> None:
    h = disk_bot.harness
    break_disk(monkeypatch, "write")
    async with h.session.get(f"{h.base_url}/healthz") as resp:
        status, body = resp.status, await resp.json()
    monkeypatch.undo()
    assert status == 503 and body["storage"] == "error"


def test_fault_kinds_cover_write_fsync_and_rename() -> None:
    assert {"write", "fsync", "replace", "dirfsync"} <= set(FAILURES)
