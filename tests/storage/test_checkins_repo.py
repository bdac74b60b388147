"""Check-in answers: one per person and meeting, replaced on answering again, exact text kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from storage.checkins_repo import CHECKIN, CHECKOUT, CheckinsRepo

T0 = datetime(2026, 12, 4, 8, 0, tzinfo=UTC)
TEAM = "19:abc@thread.tacv2"
LONG = "Två saker:\n- *Bästa skola* i Skövde 🎉\n- [länk](http://x) <b>fet</b> _kursiv_\n\nÅÄÖ åäö {{DATE(2026-12-04T08:00:00Z)}}"


async def test_save_replace_and_read_back_exactly(kit):
    engine = await kit.open()
    repo = CheckinsRepo(engine)
    first, previous = await repo.save_answer(TEAM, "20261204", "anna", question="Vad fyller dina dagar?", answer="Planering", at=T0, member_name="Anna")
    assert previous is None and first.first_answered_at is None
    second, previous = await repo.save_answer(TEAM, "20261204", "anna", question="Vad fyller dina dagar?", answer=LONG, at=T0 + timedelta(minutes=5))
    assert previous == first
    assert second.first_answered_at == T0
    engine = await kit.reopen(engine)
    repo = CheckinsRepo(engine)
    got = await repo.get_answer(TEAM, "20261204", "anna")
    assert got is not None and got.answer == LONG and got.question == "Vad fyller dina dagar?"
    assert [a.member_key for a in await repo.answers(TEAM, "20261204")] == ["anna"]


async def test_the_same_message_delivered_again_changes_nothing(kit):
    repo = CheckinsRepo(await kit.open())
    first, _ = await repo.save_answer(TEAM, "m1", "anna", question="q", answer="Svar", at=T0, activity_id="act-1")
    again, replaced = await repo.save_answer(TEAM, "m1", "anna", question="q", answer="Svar", at=T0 + timedelta(seconds=9), activity_id="act-1")
    assert again == first and replaced is None
    changed, replaced = await repo.save_answer(TEAM, "m1", "anna", question="q", answer="Nytt", at=T0 + timedelta(minutes=1), activity_id="act-2")
    assert replaced == first and changed.first_answered_at == T0


async def test_checkin_and_checkout_are_separate(kit):
    repo = CheckinsRepo(await kit.open())
    await repo.save_answer(TEAM, "m1", "anna", question="in?", answer="in", at=T0)
    await repo.save_answer(TEAM, "m1", "anna", kind=CHECKOUT, question="ut?", answer="ut", at=T0)
    assert (await repo.get_answer(TEAM, "m1", "anna", CHECKIN)).answer == "in"
    assert (await repo.get_answer(TEAM, "m1", "anna", CHECKOUT)).answer == "ut"
    assert (await repo.delete_answer(TEAM, "m1", "anna", CHECKOUT)).answer == "ut"
    assert await repo.get_answer(TEAM, "m1", "anna", CHECKOUT) is None
    assert await repo.delete_answer(TEAM, "m1", "anna", CHECKOUT) is None
    assert (await repo.get_answer(TEAM, "m1", "anna")).answer == "in"


async def test_empty_answer_refused(kit):
    repo = CheckinsRepo(await kit.open())
    with pytest.raises(ValueError):
        await repo.save_answer(TEAM, "m1", "anna", question="q", answer="  \n", at=T0)
    with pytest.raises(ValueError):
        await repo.save_answer(TEAM, "m1", "anna", kind="other", question="q", answer="x", at=T0)


async def test_personal_data_across_meetings_and_export(kit):
    repo = CheckinsRepo(await kit.open())
    await repo.save_answer(TEAM, "m1", "anna", question="q1", answer="a1", at=T0)
    await repo.save_answer(TEAM, "m2", "anna", question="q2", answer="a2", at=T0 + timedelta(days=30))
    await repo.save_answer(TEAM, "m2", "anna", kind=CHECKOUT, question="q3", answer="a3", at=T0 + timedelta(days=30, hours=2))
    await repo.save_answer(TEAM, "m2", "peter", question="q2", answer="p2", at=T0 + timedelta(days=30))
    await repo.save_answer("other-team", "m2", "anna", question="q2", answer="elsewhere", at=T0)
    assert [a.answer for a in await repo.answers_of(TEAM, "anna")] == ["a1", "a2", "a3"]
    exported = await repo.export(TEAM)
    assert set(exported) == {"checkins"}
    assert len(exported["checkins"]) == 4
    row = exported["checkins"][0]
    assert row == {"meeting_id": "m1", "member_id": "anna", "question": "q1", "answer": "a1", "answered_at": "2026-12-04T08:00:00+00:00", "kind": "checkin"}
    assert await repo.delete_member_answers(TEAM, "anna") == 3
    assert await repo.answers_of(TEAM, "anna") == []
    assert [a.member_key for a in await repo.answers(TEAM, "m2")] == ["peter"]
    assert (await repo.answers_of("other-team", "anna"))[0].answer == "elsewhere"
    assert await repo.delete_member_answers(TEAM, "anna") == 0
