"""A restart in the middle of a dialog: the dialog resumes where it was; never half a record.

The "ends with a clear message" case (a saved dialog the new version does not know) is
tests/bot/test_dialog_recovery.py::test_unknown_saved_dialog_ends_cleanly.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from storage.store import Store
from tests.harness import ANNA, PETER, SOFIA, TEAM_ID, User
from tests.reliability.conftest import MEETING_ID, close_disk_bot, open_disk_bot

DIALOGS: dict[str, tuple[User, str, str, Callable[[Store], list[Any]], str]] = {
    "action_item": (
        ANNA,
        "uppgift Boka lokal",
        "Peter",
        lambda store: [(i.title, [o.name for o in i.owners]) for i in store.actions.all(TEAM_ID)],
        "Vem ska göra det?",
    ),
    "decision": (
        SOFIA,
        "beslut",
        "Skövde och Tibro presenterar Bästa skola",
        lambda store: [d.text for d in store.decisions.all(TEAM_ID)],
        "Vilket beslut",
    ),
    "checkin": (
        PETER,
        "incheckning",
        "Jag tog med mig idéer om UP2",
        lambda store: [a.answer for a in store.checkins.answers(TEAM_ID, MEETING_ID)],
        "Skriv ditt svar",
    ),
}


@pytest.mark.parametrize("where", ["channel", "personal"])
@pytest.mark.parametrize("dialog", sorted(DIALOGS))
async def test_dialog_resumes_after_a_restart(tmp_path: Path, dialog: str, where: str) -> None:
    user, start, answer, records, question = DIALOGS[dialog]
    first = await open_disk_bot(tmp_path / "data")
    connector = first.harness.connector
    try:
        asked = await first.harness.say(start, user, where=where)
        assert asked and question in asked[0]
        assert records(first.harness.store) == []  # nothing stored while the question is open
    finally:
        await close_disk_bot(first, keep_connector=True)

    # A new process on the same data directory: only what is on disk carries over.
    second = await open_disk_bot(tmp_path / "data", install=False, connector=connector)
    try:
        assert records(second.harness.store) == []  # never half a record
        replies = await second.harness.say(answer, user, where=where)
        assert replies and "omstart" not in replies[0]
        stored = records(second.harness.store)
        assert len(stored) == 1
        if dialog == "action_item":
            assert stored == [("Boka lokal", ["Peter Stark"])]
        else:
            assert stored == [answer]
        # The dialog is over: the next message is an ordinary command again.
        assert "förstod inte" in (await second.harness.say("blabla", user, where=where))[0]
    finally:
        await close_disk_bot(second)


async def test_cancel_after_a_restart_stores_nothing(tmp_path: Path) -> None:
    first = await open_disk_bot(tmp_path / "data")
    connector = first.harness.connector
    await first.harness.say("uppgift Boka lokal", ANNA)
    await close_disk_bot(first, keep_connector=True)
    second = await open_disk_bot(tmp_path / "data", install=False, connector=connector)
    try:
        replies = await second.harness.say("avbryt", ANNA)
        assert "avbrutit" in replies[0]
        assert second.harness.store.actions.all(TEAM_ID) == []
    finally:
        await close_disk_bot(second)


async def test_each_persons_dialog_resumes_separately(tmp_path: Path) -> None:
    first = await open_disk_bot(tmp_path / "data")
    connector = first.harness.connector
    await first.harness.say("beslut", SOFIA)
    await first.harness.say("incheckning", PETER)
    await close_disk_bot(first, keep_connector=True)
    second = await open_disk_bot(tmp_path / "data", install=False, connector=connector)
    try:
        await second.harness.say("Peters svar", PETER)
        await second.harness.say("Sofias beslut", SOFIA)
        store = second.harness.store
        assert [a.answer for a in store.checkins.answers(TEAM_ID, MEETING_ID)] == ["Peters svar"]
        assert [d.text for d in store.decisions.all(TEAM_ID)] == ["Sofias beslut"]
    finally:
        await close_disk_bot(second)
