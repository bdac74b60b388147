"""The action-item dialog keeps what it has been told across restarts and stores it once."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.dialogs.records_restart import first_start, restart, stop
from tests.harness import PETER, SOFIA, TEAM_ID


async def test_action_item_dialog_survives_restarts(tmp_path: Path) -> None:
    service = await first_start(tmp_path / "data")
    try:
        await service.harness.say("uppgift", PETER)
        await service.harness.say("Boka lokal till SKIS-gruppen", PETER)  # "till" that is not a due date
        service = await restart(service)
        replies = await service.harness.say("Sofia", PETER)
        assert "När ska det vara klart?" in replies[0]
        assert await service.harness.store.actions.all(TEAM_ID) == []
        service = await restart(service)
        replies = await service.harness.say("4 december", PETER)
        assert "Uppgift **1**" in replies[0]
        item = await service.harness.store.actions.by_number(TEAM_ID, 1)
        assert item.title == "Boka lokal till SKIS-gruppen" and item.due == date(2026, 12, 4)
        assert [o.key for o in item.owners] == [SOFIA.aad]
    finally:
        await stop(service)


async def test_one_message_with_a_question_continues_after_restart(tmp_path: Path) -> None:
    service = await first_start(tmp_path / "data")
    try:
        replies = await service.harness.say("uppgift Mejla inbjudan till SKIS-gruppen till nästa möte", PETER)
        assert "Vem ska göra det?" in replies[0]
        service = await restart(service)
        await service.harness.say("alla", PETER)
        item = await service.harness.store.actions.by_number(TEAM_ID, 1)
        assert item.title == "Mejla inbjudan till SKIS-gruppen" and item.due_next_meeting and item.owners[0].kind == "all"
    finally:
        await stop(service)


async def test_a_command_typed_as_the_owner_is_not_stored_as_a_name(tmp_path: Path) -> None:
    service = await first_start(tmp_path / "data")
    try:
        replies = await service.harness.say("uppgift Boka lokal till 4 december", PETER)
        assert "Vem ska göra det?" in replies[0]
        replies = await service.harness.say("beslut Nätverket ställer sig bakom förslaget", PETER)
        assert "ser ut som kommandot **beslut**" in replies[0] and "Vem ska göra det?" in replies[0]
        assert await service.harness.store.actions.all(TEAM_ID) == []
        replies = await service.harness.say("uppgift Sofia", PETER)  # the command word itself is fine
        item = await service.harness.store.actions.by_number(TEAM_ID, 1)
        assert item.title == "Boka lokal" and [o.key for o in item.owners] == [SOFIA.aad]
    finally:
        await stop(service)


async def test_the_whole_item_typed_again_starts_over(tmp_path: Path) -> None:
    service = await first_start(tmp_path / "data")
    try:
        replies = await service.harness.say("uppgift Boka lokal", PETER)
        assert "Vem ska göra det?" in replies[0]
        replies = await service.harness.say("uppgift Boka stor lokal @Sofia Adolfsson till 4 december", PETER)
        assert "*Boka lokal* sparades inte" in replies[0] and "Uppgift **1**" in replies[1]
        item = await service.harness.store.actions.by_number(TEAM_ID, 1)
        assert item.title == "Boka stor lokal" and item.due == date(2026, 12, 4)
        assert [o.key for o in item.owners] == [SOFIA.aad]
    finally:
        await stop(service)


async def test_the_next_item_is_not_taken_as_the_owner_of_the_pending_one(tmp_path: Path) -> None:
    service = await first_start(tmp_path / "data")
    try:
        await service.harness.say("uppgift Fixa fika", PETER)
        replies = await service.harness.say("uppgift Boka lokal", PETER)
        assert "*Fixa fika* sparades inte" in replies[0] and "Vem ska göra det?" in replies[1]
        await service.harness.say("Sofia", PETER)
        replies = await service.harness.say("till 4 december", PETER)
        (item,) = await service.harness.store.actions.all(TEAM_ID)
        assert item.title == "Boka lokal" and [o.key for o in item.owners] == [SOFIA.aad]
    finally:
        await stop(service)
