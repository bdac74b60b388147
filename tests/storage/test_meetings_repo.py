"""Meetings: ids, queries by time and date, confirmation outcomes, and the export with agenda and attendance."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from storage.agenda_repo import AgendaRepo
from storage.attendance_repo import YES, AttendanceAnswer, AttendanceRepo
from storage.meetings_repo import CANCELLED, Meeting, MeetingsRepo
from storage.store import Store

TEAM = "19:abc@thread.tacv2"
STHLM = ZoneInfo("Europe/Stockholm")
DEC4 = datetime(2026, 12, 4, 8, 0, tzinfo=UTC)  # 09.00 in Stockholm


async def _meeting(repo: MeetingsRepo, starts_at: datetime, **kw: object) -> Meeting:
    m = Meeting(id=await repo.new_id(TEAM, starts_at), team_key=TEAM, starts_at=starts_at, ends_at=starts_at + timedelta(hours=3), **kw)  # type: ignore[arg-type]
    await repo.save(m)
    return m


async def test_save_get_and_reopen(kit):
    engine = await kit.open()
    repo = Store(engine).meetings
    m = await _meeting(repo, DEC4, location="Regionens hus, Skövde", topics=("UP2",))
    assert m.id == "20261204"
    assert await repo.new_id(TEAM, DEC4) == "20261204-2"
    repo = Store(await kit.reopen(engine)).meetings
    assert await repo.get(TEAM, "20261204") == m


async def test_upcoming_past_current_and_cancelled(kit):
    repo = Store(await kit.open()).meetings
    a = await _meeting(repo, DEC4)
    b = await _meeting(repo, DEC4 + timedelta(days=14))
    c = replace(await _meeting(repo, DEC4 + timedelta(days=7)), status=CANCELLED)
    await repo.save(c)
    now = DEC4 - timedelta(days=1)
    assert [m.id for m in await repo.upcoming(TEAM, now)] == [a.id, b.id]
    assert await repo.current(TEAM, DEC4 + timedelta(hours=1)) == a  # ongoing
    assert await repo.current(TEAM, DEC4 + timedelta(days=1)) == b
    assert [m.id for m in await repo.past(TEAM, DEC4 + timedelta(days=30))] == [b.id, a.id]
    assert len(await repo.all(TEAM, include_cancelled=True)) == 3


async def test_on_date_uses_the_local_calendar(kit):
    repo = Store(await kit.open()).meetings
    late = await _meeting(repo, datetime(2026, 12, 3, 23, 30, tzinfo=UTC))  # 00.30 on 4 December in Stockholm
    assert await repo.on_date(TEAM, date(2026, 12, 4), STHLM) == [late]
    assert await repo.on_date(TEAM, date(2026, 12, 3), STHLM) == []


async def test_draft_outcome_is_stored_with_the_meeting(kit):
    engine = await kit.open()
    repo = Store(engine).meetings
    assert await repo.draft_outcome(TEAM, "tok") is None
    m = Meeting(id="20261204", team_key=TEAM, starts_at=DEC4)
    await repo.save(m, draft="tok")
    await repo.abort_draft(TEAM, "other")
    repo = Store(await kit.reopen(engine)).meetings
    assert await repo.draft_outcome(TEAM, "tok") == "saved"
    assert await repo.draft_outcome(TEAM, "other") == "aborted"


async def test_export_has_agenda_and_attendance(kit):
    engine = await kit.open()
    repo = Store(engine).meetings
    m = await _meeting(repo, DEC4, location="Teams", topics=("UP2", "Kvalitetsdialog"))
    await AgendaRepo(engine).add(m, "Bästa skola", by="peter", by_name="Peter Stark", at=DEC4 - timedelta(days=2))
    await AttendanceRepo(engine).answer(
        AttendanceAnswer(TEAM, m.id, "anna", "Anna Gustafsson", YES, DEC4 - timedelta(days=3), municipality="Götene")
    )
    rows = (await repo.export(TEAM))["meetings"]
    assert len(rows) == 1
    row = rows[0]
    assert row["id"] == m.id and row["team_id"] == TEAM
    assert row["starts_at"] == "2026-12-04T08:00:00+00:00" and row["ends_at"] == "2026-12-04T11:00:00+00:00"
    assert [i["title"] for i in row["agenda"]] == ["UP2", "Kvalitetsdialog", "Bästa skola"]
    assert row["attendance"] == [
        {
            "member_id": "anna",
            "name": "Anna Gustafsson",
            "municipality": "Götene",
            "answer": "yes",
            "substitute": None,
            "substitute_id": None,
            "note": None,
            "answered_at": "2026-12-01T08:00:00+00:00",
            "first_answered_at": None,
        }
    ]
    assert row["present"] == []
