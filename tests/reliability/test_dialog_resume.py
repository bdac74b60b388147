"""A restart in the middle of a dialog: the dialog resumes where it was; never half a record.

The "ends with a clear message" case (a saved dialog the new version does not know) is
tests/bot/test_dialog_recovery.py::test_unknown_saved_dialog_ends_cleanly.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from bot.teams.state import decode_state
from storage.store import Store
from storage.tinydb_engine import TinyDBEngine
from tests.harness import ANNA, PETER, SOFIA, TEAM_ID, User
from tests.reliability.conftest import MEETING_ID, close_disk_bot, open_disk_bot, opened


async def _action_items(store: Store) -> list[Any]:
    return [(i.title, [o.name for o in i.owners]) for i in await store.actions.all(TEAM_ID)]


async def _decisions(store: Store) -> list[Any]:
    return [d.text for d in await store.decisions.all(TEAM_ID)]


async def _checkins(store: Store) -> list[Any]:
    return [a.answer for a in await store.checkins.answers(TEAM_ID, MEETING_ID)]


DIALOGS: dict[str, tuple[User, str, str, Callable[[Store], Awaitable[list[Any]]], str]] = {
    "action_item": (
        ANNA,
        "uppgift Boka lokal",
        "Peter",
        _action_items,
        "Vem ska göra det?",
    ),
    "decision": (
        SOFIA,
        "beslut",
        "Skövde och Tibro presenterar Bästa skola",
        _decisions,
        "Vilket beslut",
    ),
    "checkin": (
        PETER,
        "incheckning",
        "Jag tog med mig idéer om UP2",
        _checkins,
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
        assert await records(first.harness.store) == []  # nothing stored while the question is open
    finally:
        await close_disk_bot(first, keep_connector=True)

    # A new process on the same data directory: only what is on disk carries over.
    second = await open_disk_bot(tmp_path / "data", install=False, connector=connector)
    try:
        assert await records(second.harness.store) == []  # never half a record
        replies = await second.harness.say(answer, user, where=where)
        assert replies and "omstart" not in replies[0]
        stored = await records(second.harness.store)
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
        assert await second.harness.store.actions.all(TEAM_ID) == []
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
        assert [a.answer for a in await store.checkins.answers(TEAM_ID, MEETING_ID)] == ["Peters svar"]
        assert [d.text for d in await store.decisions.all(TEAM_ID)] == ["Sofias beslut"]
    finally:
        await close_disk_bot(second)


async def _rewrite_dialog_states(data_dir: Path, change: Callable[[dict[str, Any]], dict[str, Any]]) -> int:
    """Replace every stored dialog state document's item with ``change(item)`` (between two runs)."""
    count = 0
    async with opened(TinyDBEngine(data_dir)) as engine:
        for name in await engine.partition_names("botstate/"):
            async with engine.write(name) as tx:
                doc = tx.get("state", "item")
                if doc and doc.get("item", {}).get("dialog_state"):
                    tx.put("state", "item", change(dict(doc)))
                    count += 1
    return count


def _as_jsonpickle(doc: dict[str, Any]) -> dict[str, Any]:
    """The document as the version before dialog state format 2 wrote it."""
    from jsonpickle.pickler import Pickler

    value = decode_state(doc["item"])
    return {"key": doc["key"], "e_tag": doc["e_tag"], "item": Pickler(unpicklable=True, keys=True).flatten(value, reset=True)}


async def test_a_dialog_saved_by_the_previous_version_resumes(tmp_path: Path) -> None:
    first = await open_disk_bot(tmp_path / "data")
    connector = first.harness.connector
    await first.harness.say("uppgift Boka lokal", ANNA, where="personal")
    await close_disk_bot(first, keep_connector=True)
    assert await _rewrite_dialog_states(tmp_path / "data", _as_jsonpickle) == 1

    second = await open_disk_bot(tmp_path / "data", install=False, connector=connector)
    try:
        replies = await second.harness.say("Peter", ANNA, where="personal")
        assert replies and "omstart" not in replies[0]
        assert [(i.title, [o.name for o in i.owners]) for i in await second.harness.store.actions.all(TEAM_ID)] == [
                  ("Boka lokal", ["Peter Stark"])
              ]
    finally:
        await close_disk_bot(second)


async def test_a_dialog_state_naming_code_is_not_run_and_the_person_is_told(tmp_path: Path) -> None:
    marker = tmp_path / "code-ran"
    first = await open_disk_bot(tmp_path / "data")
    connector = first.harness.connector
    await first.harness.say("uppgift Boka lokal", ANNA, where="personal")
    await close_disk_bot(first, keep_connector=True)

    def inject(doc: dict[str, Any]) -> dict[str, Any]:
        payload = {"py/reduce": [{"py/function": "os.system"}, {"py/tuple": [f"touch {marker}"]}]}
        return {"key": doc["key"], "e_tag": None, "item": {"dialog_state": payload}}

    assert await _rewrite_dialog_states(tmp_path / "data", inject) == 1
    second = await open_disk_bot(tmp_path / "data", install=False, connector=connector)
    try:
        replies = await second.harness.say("Peter", ANNA, where="personal")
        assert replies and "omstart" in replies[0]
        assert not marker.exists()
        assert await second.harness.store.actions.all(TEAM_ID) == []
        # The person is free again: the next message is an ordinary command.
        assert "förstod inte" in (await second.harness.say("blabla", ANNA, where="personal"))[0]
    finally:
        await close_disk_bot(second)
