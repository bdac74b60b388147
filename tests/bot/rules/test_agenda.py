"""The agenda as shown: standing items around the meeting's own, and the follow-up of open action items."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

from bot.rules.agenda import FOLLOW_UP, ITEM, STANDING, build_agenda, follow_up_lines
from storage.actions_repo import MEMBER, Owner
from storage.engine import MemoryEngine
from storage.meetings_repo import Meeting
from storage.store import Store

TEAM = "19:team"
T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
MEETING = Meeting("20261204", TEAM, datetime(2026, 12, 4, 8, 0, tzinfo=UTC), topics=("UP2",), checkin_question="Vad tar du med dig?")
TEAM_OBJ = SimpleNamespace(settings={})


async def test_standing_items_frame_the_meetings_own():
    store = Store(MemoryEngine())
    agenda = await build_agenda(store, TEAM_OBJ, MEETING)
    assert [(e.number, e.title, e.kind) for e in agenda.entries] == [
        (1, "Incheckning", STANDING),
        (2, "Laget runt", STANDING),
        (3, "UP2", ITEM),
        (4, "Övriga frågor", STANDING),
        (5, "Utcheckning", STANDING),
    ]
    assert agenda.entries[0].details == ("Vad tar du med dig?",)
    assert (agenda.items_start, agenda.items_end, agenda.items_count) == (3, 3, 1)
    assert agenda.entry(3).item_id == "t1" and agenda.entry(6) is None and agenda.entry(0) is None


async def test_follow_up_from_open_action_items():
    store = Store(MemoryEngine())
    owner = (Owner(MEMBER, "Anna", "anna"),)
    await store.actions.create(TEAM, title="Mejla inbjudan", owners=owner, created_by="anna", created_at=T0, meeting_id="20261106")
    await store.actions.create(TEAM, title="Nytt på mötet", owners=owner, created_by="anna", created_at=datetime(2026, 12, 4, 9, 0, tzinfo=UTC), meeting_id=MEETING.id)
    done = await store.actions.create(TEAM, title="Klar", owners=owner, created_by="anna", created_at=T0)
    await store.actions.set_status(done, "done", by="anna", at=T0)
    assert await follow_up_lines(store, MEETING) == ["#1 Mejla inbjudan (Anna)"]
    agenda = await build_agenda(store, TEAM_OBJ, MEETING)
    assert agenda.entries[2].kind == FOLLOW_UP and agenda.entries[2].title == "Uppföljning av uppdrag"
    assert agenda.items_start == 4


async def test_without_an_actions_repository_there_is_no_follow_up():
    store = SimpleNamespace()
    assert await follow_up_lines(store, MEETING) == []  # type: ignore[arg-type]


async def test_team_may_name_its_own_standing_items():
    store = Store(MemoryEngine())
    team = SimpleNamespace(settings={"agenda_opening": ["Välkommen"], "agenda_closing": ["Avslut"]})
    titles = [e.title for e in (await build_agenda(store, team, MEETING)).entries]
    assert titles == ["Välkommen", "UP2", "Avslut"]
