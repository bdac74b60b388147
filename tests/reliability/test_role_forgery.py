"""Forged card actions: who may do what comes from the sender and the conversation, never from card data.

A member sending the secretary's approve, a card carrying another person's id, a stale or
replayed card, an action aimed at another network's meeting: each is refused (or applied to the
sender's own record), changes nothing else, and leaves an audit line in the log.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.cards import plain_text
from bot.messages import t
from bot.routing import (
    ACTION_ACTION_DONE,
    ACTION_ATTEND_YES,
    ACTION_CHECKIN,
    ACTION_MINUTES_APPROVE,
    ACTION_MINUTES_COSIGN,
    ACTION_MINUTES_SAVE,
)
from storage.actions_repo import MEMBER, Owner
from storage.meetings_repo import Meeting
from storage.teams_repo import Team
from tests.bot.features.test_minutes import MID, seed
from tests.harness import ANNA, PETER, SOFIA, TEAM_ID, Harness

OTHER_TEAM = "19:other-network@thread.tacv2"
OTHER_MEETING = "other-meeting"


async def _invoke(h: Harness, verb: str, data: dict[str, Any], user: Any) -> dict[str, Any]:
    resp = await h.post(h.invoke(verb, data, user))
    assert resp.status == 200
    return await resp.json()


def _audit(caplog: pytest.LogCaptureFixture, verb: str, who: str) -> bool:
    return any(verb in r.getMessage() and who in r.getMessage() for r in caplog.records)


@pytest.fixture
async def minutes(harness: Harness) -> Harness:
    await seed(harness)  # Anna chairs, Sofia is the secretary, Peter a member; meeting MID
    await _invoke(harness, "minutes_refresh", {"meeting_id": MID}, SOFIA)  # the draft exists
    return harness


async def _draft(h: Harness) -> Any:
    draft = await h.store.minutes.draft(TEAM_ID, MID)
    assert draft is not None
    return draft


async def test_member_sending_the_secretarys_approve_is_refused_and_logged(minutes: Harness, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    revision = (await _draft(minutes)).revision
    body = await _invoke(minutes, ACTION_MINUTES_APPROVE, {"meeting_id": MID, "revision": revision,
                                                            "roles": ["sekreterare"], "by": SOFIA.aad}, PETER)
    refusal = plain_text(t("minutes.only_secretary", "sv"))
    assert body["value"] == refusal or refusal in json.dumps(body, ensure_ascii=False)
    assert await minutes.store.minutes.versions(TEAM_ID, MID) == []
    assert (await _draft(minutes)).revision == revision
    assert _audit(caplog, ACTION_MINUTES_APPROVE, PETER.aad)


async def test_member_cannot_save_the_secretarys_draft(minutes: Harness) -> None:
    revision = (await _draft(minutes)).revision
    before = await _draft(minutes)
    await _invoke(minutes, ACTION_MINUTES_SAVE, {"meeting_id": MID, "revision": revision, "checkin_summary": "förfalskat"}, PETER)
    assert await _draft(minutes) == before


async def test_secretary_cannot_cosign_as_chair(minutes: Harness) -> None:
    draft = await _draft(minutes)
    await _invoke(minutes, ACTION_MINUTES_APPROVE, {"meeting_id": MID, "revision": draft.revision}, SOFIA)
    [version] = await minutes.store.minutes.versions(TEAM_ID, MID)
    await _invoke(minutes, ACTION_MINUTES_COSIGN, {"meeting_id": MID, "version": version.version, "by": ANNA.aad}, SOFIA)
    assert (await minutes.store.minutes.versions(TEAM_ID, MID))[0].cosigned_by is None


async def test_stale_approve_card_confirms_nothing(minutes: Harness) -> None:
    old = (await _draft(minutes)).revision
    await _invoke(minutes, ACTION_MINUTES_SAVE, {"meeting_id": MID, "revision": old, "checkin_summary": "Nytt utkast"}, SOFIA)
    assert (await _draft(minutes)).revision > old
    await _invoke(minutes, ACTION_MINUTES_APPROVE, {"meeting_id": MID, "revision": old}, SOFIA)
    assert await minutes.store.minutes.versions(TEAM_ID, MID) == []


async def test_replayed_approve_confirms_once(minutes: Harness) -> None:
    revision = (await _draft(minutes)).revision
    approve = minutes.invoke(ACTION_MINUTES_APPROVE, {"meeting_id": MID, "revision": revision}, SOFIA)
    await minutes.post(approve)
    replay = dict(approve, id="a-new-id-for-the-same-click")  # not caught by the duplicate filter
    await minutes.post(replay)
    assert len(await minutes.store.minutes.versions(TEAM_ID, MID)) == 1


async def test_approve_for_another_networks_meeting_is_refused(minutes: Harness) -> None:
    store = minutes.store
    await store.teams.save_team(Team(key=OTHER_TEAM, name="Annat nätverk", kind="team", tenant_id=None, conversation_ref={},
                                     installed_by=None, installed_at=datetime(2026, 1, 1, tzinfo=UTC)))
    await store.meetings.save(Meeting(id=OTHER_MEETING, team_key=OTHER_TEAM, starts_at=datetime(2026, 11, 20, 8, 0, tzinfo=UTC)))
    body = await _invoke(minutes, ACTION_MINUTES_APPROVE, {"meeting_id": OTHER_MEETING, "revision": 1, "team": OTHER_TEAM}, SOFIA)
    assert plain_text(t("minutes.unknown_meeting_in_card", "sv")) in json.dumps(body, ensure_ascii=False)
    assert await store.minutes.draft(OTHER_TEAM, OTHER_MEETING) is None
    assert await store.minutes.versions(OTHER_TEAM, OTHER_MEETING) == []


# Cards that carry somebody else's id ---------------------------------------------------------------

FORGED_IDS = {"member_key": SOFIA.aad, "member": SOFIA.aad, "user": SOFIA.id, "from": SOFIA.id, "aadObjectId": SOFIA.aad}


@pytest.fixture
async def meeting(harness: Harness) -> Harness:
    await harness.install(ANNA, roster=[ANNA, PETER, SOFIA])
    now = harness.clock.now()
    await harness.store.meetings.save(Meeting(id="m1", team_key=TEAM_ID, starts_at=now + timedelta(days=4), ends_at=now + timedelta(days=4, hours=3)))
    return harness


async def test_attend_button_with_another_persons_id_records_the_sender(meeting: Harness, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    await _invoke(meeting, ACTION_ATTEND_YES, {"meeting_id": "m1", **FORGED_IDS}, PETER)
    answers = {a.member_key for a in await meeting.store.attendance.answers(TEAM_ID, "m1")}
    assert answers == {PETER.aad}
    assert _audit(caplog, ACTION_ATTEND_YES, PETER.aad)


async def test_checkin_card_with_another_persons_id_stores_the_senders_answer(meeting: Harness) -> None:
    await _invoke(meeting, ACTION_CHECKIN, {"meeting_id": "m1", "answer": "Mitt svar", **FORGED_IDS}, PETER)
    assert await meeting.store.checkins.get_answer(TEAM_ID, "m1", SOFIA.aad) is None
    assert (await meeting.store.checkins.get_answer(TEAM_ID, "m1", PETER.aad)).answer == "Mitt svar"


async def test_done_button_for_someone_elses_item_is_refused(meeting: Harness, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    item = await meeting.store.actions.create(TEAM_ID, title="Sofias uppgift", owners=(Owner(MEMBER, SOFIA.name, SOFIA.aad),),
                                              created_by=SOFIA.aad, created_at=meeting.clock.now())
    await _invoke(meeting, ACTION_ACTION_DONE, {"number": item.number, **FORGED_IDS}, PETER)
    assert (await meeting.store.actions.get(TEAM_ID, item.id)).is_open
    assert _audit(caplog, ACTION_ACTION_DONE, PETER.aad)


async def test_role_set_by_card_data_is_ignored(meeting: Harness) -> None:
    draft = {"op": "create", "day": "2026-12-11", "start": "09:00", "end": "12:00", "location": "Skövde", "topics": [],
             "meeting_id": None, "token": "forged-token", "activity_id": None}
    body = await _invoke(meeting, "meeting_confirm", {"draft": draft, "roles": ["presidium"], "member_key": ANNA.aad}, PETER)
    assert "presidiet" in json.dumps(body, ensure_ascii=False)  # told who may do it
    assert [m.id for m in await meeting.store.meetings.all(TEAM_ID)] == ["m1"]
    # The same card from the chair does store it: the refusal was about the sender, not the card.
    await _invoke(meeting, "meeting_confirm", {"draft": draft}, ANNA)
    assert len(await meeting.store.meetings.all(TEAM_ID)) == 2
