"""Attendance answers (one per member, replaceable) and the secretary's list of who was present."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from storage.attendance_repo import NO, SUBSTITUTE, YES, AttendanceAnswer, AttendanceRepo, Presence, guest_key

TEAM = "19:abc@thread.tacv2"
T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


async def test_answer_replace_keeps_first_time(kit):
    engine = await kit.open()
    repo = AttendanceRepo(engine)
    await repo.answer(AttendanceAnswer(TEAM, "m1", "anna", "Anna", YES, T0, municipality="Götene"))
    second = await repo.answer(AttendanceAnswer(TEAM, "m1", "anna", "Anna", SUBSTITUTE, T0 + timedelta(hours=1), substitute="Pernilla Bergman"))
    assert second.first_answered_at == T0 and second.coming
    await repo.answer(AttendanceAnswer(TEAM, "m1", "bertil", "Bertil", NO, T0))
    repo = AttendanceRepo(await kit.reopen(engine))
    answers = await repo.answers(TEAM, "m1")
    assert [(a.member_key, a.answer, a.coming) for a in answers] == [("anna", SUBSTITUTE, True), ("bertil", NO, False)]
    assert (await repo.answer_of(TEAM, "m1", "anna")).substitute == "Pernilla Bergman"
    assert await repo.answers(TEAM, "m2") == []


async def test_unknown_answer_is_refused(kit):
    with pytest.raises(ValueError):
        await AttendanceRepo(await kit.open()).answer(AttendanceAnswer(TEAM, "m1", "anna", "Anna", "maybe", T0))


async def test_present_add_and_remove(kit):
    repo = AttendanceRepo(await kit.open())
    anna = Presence("Anna Gustafsson", "sek", T0, member_key="anna", municipality="Götene")
    guest = Presence("Susanne Sandgren", "sek", T0)
    assert guest.key == guest_key("susanne  SANDGREN")
    await repo.update_present(TEAM, "m1", add=[anna, guest])
    assert [p.name for p in await repo.present(TEAM, "m1")] == ["Anna Gustafsson", "Susanne Sandgren"]
    left = await repo.update_present(TEAM, "m1", remove=["anna"])
    assert [p.key for p in left] == [guest.key]
