"""Every reminder kind end to end: the real app, stored state, the fake Bot Connector over HTTP."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from bot.app import SERVICES_KEY
from bot.dev.fake_connector import FakeConnector
from bot.reminders.service import ReminderService
from bot.routing import ACTION_ACTION_DONE, ACTION_ATTEND_NO, ACTION_ATTEND_YES, ACTION_CHECKIN
from bot.teams.proactive import RateLimiter
from storage.actions_repo import MEMBER, Owner
from storage.attendance_repo import NO, YES, AttendanceAnswer
from storage.meetings_repo import CANCELLED, Meeting
from storage.reminders_repo import ACTION_DUE, DIGEST, MEETING_DAY, MEETING_WEEK, MINUTES, SENT, UNDELIVERABLE
from storage.tinydb_engine import TinyDBEngine
from tests.bot.reminders.conftest import STOCKHOLM, local
from tests.bot.teams.test_proactive import FakeTime
from tests.cards_schema import assert_valid_card
from tests.harness import ANNA, CHANNEL_ID, PETER, SOFIA, TEAM_ID, Harness, start_harness, stop_harness

ANNA_CHAT = f"a:personal-{ANNA.id}"
PETER_CHAT = f"a:personal-{PETER.id}"
SOFIA_CHAT = f"a:personal-{SOFIA.id}"
MEETING_DAY_ = date(2026, 12, 4)  # a Friday


class PickyConnector(FakeConnector):
    """The fake connector, refusing to open 1:1 chats with the people in ``refuse`` (id -> status)."""

    def __init__(self) -> None:
        super().__init__()
        self.refuse: dict[str, int] = {}

    async def _create_conversation(self, request: web.Request) -> web.Response:
        body = await request.json()
        member = (body.get("members") or [{}])[0].get("id")
        if member in self.refuse:
            self.calls["create_conversation"] += 1
            return web.json_response({"error": {"code": "refused"}}, status=self.refuse[member])
        return await super()._create_conversation(request)


@dataclass
class Kit:
    h: Harness
    service: ReminderService
    time: FakeTime

    async def run(self, at: datetime) -> Any:
        return await self.service.runner.run_due(at.astimezone(UTC))

    def channel_cards(self) -> list[dict[str, Any]]:
        return self.h.connector.cards(CHANNEL_ID)

    async def meeting(self, day: date = MEETING_DAY_, *, id: str | None = None, **changes: Any) -> Meeting:
        start = datetime.combine(day, time(9, 0), tzinfo=STOCKHOLM).astimezone(UTC)
        meeting = Meeting(id=id or day.strftime("%Y%m%d"), team_key=TEAM_ID, starts_at=start, ends_at=start + timedelta(hours=3),
                          location="Regionens hus, Skövde", topics=("Nationellt kvalitetssystem",),
                          created_at=datetime(2026, 9, 1, tzinfo=UTC), **changes)
        await self.h.store.meetings.save(meeting)
        return meeting


async def make_kit(h: Harness) -> Kit:
    await h.install(ANNA, roster=[ANNA, PETER, SOFIA])
    teams = h.store.teams
    for user, municipality, roles in ((ANNA, "Skövde", None), (PETER, "Hjo", None), (SOFIA, "Tibro", {"medlem", "sekreterare"})):
        member = await teams.get_member(TEAM_ID, user.aad)
        assert member is not None
        await teams.save_member(TEAM_ID, replace(member, municipality=municipality, roles=frozenset(roles) if roles else member.roles))
    service = h.app[SERVICES_KEY].reminders
    fake = FakeTime()
    service.notifier.sleep = fake.sleep
    service.notifier.limiter = RateLimiter(clock=fake.monotonic, sleep=fake.sleep)
    h.connector.clear()
    return Kit(h, service, fake)


@pytest.fixture
async def kit(harness: Harness) -> Kit:
    return await make_kit(harness)


def texts_of(card: dict[str, Any]) -> str:
    """Every text on a card, for asserting what people read."""
    out: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key in ("text", "title", "value", "placeholder", "label"):
                if isinstance(node.get(key), str):
                    out.append(node[key])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(card)
    return "\n".join(out)


def actions_of(card: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") in ("Action.Execute", "Action.Submit") and "fallback" in node or node.get("type") == "Action.Execute":
                found.append(node)
            for key, value in node.items():
                if key != "fallback":
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(card)
    return found


# Channel, a week before -----------------------------------------------------------------------------
async def test_week_reminder_in_the_channel(kit: Kit) -> None:
    meeting = await kit.meeting()
    assert (await kit.run(local(2026, 11, 27, 8, 59))).results == []
    report = await kit.run(local(2026, 11, 27, 9))
    assert [(r.kind, r.target, r.status) for r in report.results] == [(MEETING_WEEK, "channel", SENT)]
    [card] = kit.channel_cards()
    assert_valid_card(card)
    shown = texts_of(card)
    assert "Nätverksmöte fredag 4 december" in shown
    assert "om en vecka" in shown
    assert "09.00–12.00" in shown and "Regionens hus, Skövde" in shown
    assert "Nationellt kvalitetssystem" in shown and "Incheckning" in shown
    inputs = [e for e in card["body"] if e.get("type") == "Input.Text"]
    assert [i["id"] for i in inputs] == ["answer"]
    verbs = {(a["verb"], a["data"].get("meeting_id")) for a in actions_of(card)}
    assert verbs == {(ACTION_CHECKIN, meeting.id), (ACTION_ATTEND_YES, meeting.id), (ACTION_ATTEND_NO, meeting.id)}
    assert kit.h.connector.posted[-1].body.get("summary", "").startswith("Nätverksmöte fredag 4 december")


async def test_running_twice_sends_nothing_the_second_time(kit: Kit) -> None:
    await kit.meeting()
    await kit.run(local(2026, 11, 27, 9))
    again = await kit.run(local(2026, 11, 27, 9))
    later = await kit.run(local(2026, 11, 27, 15))
    assert again.results == [] and later.results == []
    assert len(kit.channel_cards()) == 1


async def test_check_in_answer_from_the_card_is_stored(kit: Kit) -> None:
    meeting = await kit.meeting()
    await kit.run(local(2026, 11, 27, 9))
    kit.h.clock.set(local(2026, 11, 27, 10))
    resp = await kit.h.post(kit.h.invoke(ACTION_CHECKIN, {"meeting_id": meeting.id, "answer": "Mycket planering"}, PETER))
    assert resp.status == 200
    stored = await kit.h.store.checkins.get_answer(TEAM_ID, meeting.id, PETER.aad)
    assert stored is not None and stored.answer == "Mycket planering"


# Channel, the day before -----------------------------------------------------------------------------
async def test_day_before_lists_who_is_coming_and_missing_municipalities(kit: Kit) -> None:
    meeting = await kit.meeting()
    at = datetime(2026, 11, 30, tzinfo=UTC)
    await kit.h.store.attendance.answer(AttendanceAnswer(TEAM_ID, meeting.id, PETER.aad, PETER.name, YES, at, municipality="Hjo"))
    await kit.h.store.attendance.answer(AttendanceAnswer(TEAM_ID, meeting.id, SOFIA.aad, SOFIA.name, NO, at, municipality="Tibro"))
    await kit.run(local(2026, 11, 27, 9))
    kit.h.connector.clear()
    report = await kit.run(local(2026, 12, 3, 9))
    assert [(r.kind, r.status) for r in report.results if r.target == "channel"] == [(MEETING_DAY, SENT)]
    [card] = kit.channel_cards()
    assert_valid_card(card)
    shown = texts_of(card)
    assert "I morgon: nätverksmöte fredag 4 december" in shown
    assert "Kommer (1)" in shown and "Peter Stark (Hjo)" in shown
    assert "Tibro" in shown and "Skövde" in shown and "Essunga" in shown
    missing_block = shown.split("Kommuner som inte har anmält sig")[1]
    assert "Hjo" not in missing_block.split("Kommer du?")[0]
    assert {a["verb"] for a in actions_of(card)} == {ACTION_ATTEND_YES, ACTION_ATTEND_NO}


# Presidium digest ------------------------------------------------------------------------------------------
async def test_digest_to_the_presidium_in_one_to_one_chat(kit: Kit) -> None:
    meeting = await kit.meeting(checkin_question=None)
    previous = await kit.meeting(date(2026, 11, 6))
    store = kit.h.store
    await store.checkins.save_answer(TEAM_ID, meeting.id, PETER.aad, question="Q", answer="Bra", at=datetime(2026, 11, 28, tzinfo=UTC),
                               member_name=PETER.name)
    answered_at = datetime(2026, 11, 28, tzinfo=UTC)
    await store.attendance.answer(AttendanceAnswer(TEAM_ID, meeting.id, PETER.aad, PETER.name, YES, answered_at, municipality="Hjo"))
    await store.attendance.answer(AttendanceAnswer(TEAM_ID, meeting.id, SOFIA.aad, SOFIA.name, NO, answered_at, municipality="Tibro"))
    await store.actions.create(TEAM_ID, title="Mejla inbjudan", owners=(Owner(MEMBER, PETER.name, PETER.aad),), created_by=ANNA.aad,
                         created_at=datetime(2026, 11, 1, tzinfo=UTC), due=date(2026, 11, 20), meeting_id=previous.id)
    await store.actions.create(TEAM_ID, title="Boka lokal", owners=(Owner(MEMBER, SOFIA.name, SOFIA.aad),), created_by=ANNA.aad,
                         created_at=datetime(2026, 11, 1, tzinfo=UTC), due=date(2026, 12, 10))
    await kit.run(local(2026, 11, 27, 9))
    kit.h.connector.clear()
    report = await kit.run(local(2026, 12, 1, 8))
    digests = [r for r in report.results if r.kind == DIGEST]
    assert [(r.target, r.status) for r in digests] == [(ANNA.aad, SENT)]  # Anna is chair and presidium
    assert [c["members"] for c in kit.h.connector.created_conversations].count([{"id": ANNA.id}]) == 1
    assert (await kit.h.store.teams.personal_ref(ANNA.aad))["conversation"]["id"] == ANNA_CHAT
    [card] = kit.h.connector.cards(ANNA_CHAT)
    assert_valid_card(card)
    shown = texts_of(card)
    assert "Inför mötet fredag 4 december" in shown
    assert "Nationellt kvalitetssystem" in shown
    assert "Incheckning: 1 av 2 har svarat" in shown and "Inte svarat: Anna Gustafsson" in shown  # Sofia is not coming
    assert "Hjo (Peter Stark)" in shown and "Kommer inte\nTibro" in shown and "Inget svar\nEssunga, Falköping" in shown
    assert "Mejla inbjudan" in shown and "försenad" in shown and "Boka lokal" in shown
    assert "Öppna uppgifter: 2, varav 1 försenade" in shown
    assert "Protokollet från fredag 6 november är inte godkänt än." in shown
    assert "Incheckningsfrågan är inte vald" in shown
    assert "14 kommuner har inte anmält sig än" in shown


async def test_digest_reaches_every_presidium_member_and_resumes_a_partial_fan_out() -> None:
    connector = PickyConnector()
    await connector.start()
    h = await start_harness(connector=connector)
    try:
        kit = await make_kit(h)
        teams = h.store.teams
        await teams.save_member(TEAM_ID, replace(await teams.get_member(TEAM_ID, PETER.aad), roles=frozenset({"medlem", "presidium"})))
        await kit.meeting()
        await kit.run(local(2026, 11, 27, 9))
        # Anna's digest goes out; Peter's chat cannot be created right now.
        connector.refuse[PETER.id] = 502
        report = await kit.run(local(2026, 12, 1, 8))
        assert {(r.target, r.status) for r in report.results} == {(ANNA.aad, SENT), (PETER.aad, "failed")}
        connector.refuse.clear()
        report = await kit.run(local(2026, 12, 1, 8, 15))
        assert [(r.target, r.status) for r in report.results] == [(PETER.aad, SENT)]
        assert len(connector.cards(ANNA_CHAT)) == 1 and len(connector.cards(PETER_CHAT)) == 1
    finally:
        await stop_harness(h)


# Action items ------------------------------------------------------------------------------------------------
async def test_action_item_reminder_to_the_owner_with_a_done_button(kit: Kit) -> None:
    item = await kit.h.store.actions.create(TEAM_ID, title="Mejla inbjudan till SKIS-gruppen", owners=(Owner(MEMBER, PETER.name, PETER.aad),),
                                      created_by=ANNA.aad, created_at=datetime(2026, 11, 1, tzinfo=UTC), due=date(2026, 12, 4))
    report = await kit.run(local(2026, 12, 1, 9))
    assert [(r.kind, r.target, r.status) for r in report.results] == [(ACTION_DUE, PETER.aad, SENT)]
    [card] = kit.h.connector.cards(PETER_CHAT)
    assert_valid_card(card)
    shown = texts_of(card)
    assert "Mejla inbjudan till SKIS-gruppen" in shown and "fredag 4 december 2026" in shown
    [done] = [a for a in actions_of(card) if a["verb"] == ACTION_ACTION_DONE]
    assert done["data"]["number"] == item.number
    # The owner presses Klar in the 1:1 chat: the records feature closes the item.
    kit.h.clock.set(local(2026, 12, 1, 10))
    resp = await kit.h.post(kit.h.invoke(ACTION_ACTION_DONE, {"number": item.number}, PETER, where="personal"))
    assert resp.status == 200
    assert not (await kit.h.store.actions.get(TEAM_ID, item.id)).is_open
    # A done item is never nagged about.
    assert (await kit.run(local(2026, 12, 7, 9))).results == []


async def test_overdue_item_is_nagged_weekly_never_more(kit: Kit) -> None:
    await kit.h.store.actions.create(TEAM_ID, title="Boka lokal", owners=(Owner(MEMBER, PETER.name, PETER.aad),),
                               created_by=ANNA.aad, created_at=datetime(2026, 11, 1, tzinfo=UTC), due=date(2026, 11, 20))
    first = await kit.run(local(2026, 11, 23, 9))  # Monday after the due Friday (Saturday moves to Monday)
    assert [r.status for r in first.results] == [SENT]
    for day in (23, 24, 25, 26, 27, 28, 29):
        assert (await kit.run(local(2026, 11, day, 18))).results == []
    second = await kit.run(local(2026, 11, 30, 9))
    assert [r.status for r in second.results] == [SENT]
    cards = kit.h.connector.cards(PETER_CHAT)
    assert len(cards) == 2 and "Uppgiften är försenad" in texts_of(cards[0])


# Minutes ----------------------------------------------------------------------------------------------------
async def test_minutes_reminder_to_the_secretary_when_not_confirmed(kit: Kit) -> None:
    await kit.meeting(date(2026, 11, 20))
    report = await kit.run(local(2026, 11, 23, 9))
    assert [(r.kind, r.target, r.status) for r in report.results] == [(MINUTES, SOFIA.aad, SENT)]
    [text] = [t for t in kit.h.connector.texts(SOFIA_CHAT) if t]
    assert text.startswith("Hej Sofia! Protokollet från mötet fredag 20 november är inte godkänt än.")
    assert "**protokoll**" in text


async def test_no_minutes_reminder_once_confirmed(kit: Kit, monkeypatch: pytest.MonkeyPatch) -> None:
    await kit.meeting(date(2026, 11, 20))

    async def latest(team_key: str, meeting_id: str) -> object:
        return object()

    monkeypatch.setattr(kit.h.store.minutes, "latest", latest)
    assert (await kit.run(local(2026, 11, 23, 9))).results == []


# Cancelled, moved, removed ----------------------------------------------------------------------------------------
async def test_cancelled_meeting_gets_no_reminders(kit: Kit) -> None:
    await kit.meeting(status=CANCELLED)
    for at in (local(2026, 11, 27, 9), local(2026, 12, 1, 8), local(2026, 12, 3, 9)):
        assert (await kit.run(at)).results == []
    assert kit.h.connector.posted == []


async def test_moved_meeting_moves_its_reminders(kit: Kit) -> None:
    meeting = await kit.meeting()
    moved = replace(meeting, starts_at=meeting.starts_at + timedelta(days=7), ends_at=meeting.ends_at + timedelta(days=7))
    await kit.h.store.meetings.save(moved)
    await kit.h.app[SERVICES_KEY].changes.publish("meeting", TEAM_ID, meeting.id)
    assert (await kit.run(local(2026, 11, 27, 9))).results == []
    report = await kit.run(local(2026, 12, 4, 9))
    assert [r.kind for r in report.results] == [MEETING_WEEK]
    assert "fredag 11 december" in texts_of(kit.channel_cards()[0])


async def test_bot_removed_from_the_team_stops_its_reminders(kit: Kit) -> None:
    await kit.meeting()
    removal = kit.h.team_install(ANNA)
    removal.pop("membersAdded")
    removal["membersRemoved"] = [{"id": "28:skis-bot"}]
    removal["channelData"]["eventType"] = "teamMemberRemoved"
    assert (await kit.h.post(removal)).status == 200
    assert not (await kit.h.store.teams.get_team(TEAM_ID)).active
    assert (await kit.run(local(2026, 11, 27, 9))).results == []
    assert kit.h.connector.posted == []


# Connector faults --------------------------------------------------------------------------------------------------
async def test_429_then_success_sends_once(kit: Kit) -> None:
    await kit.meeting()
    kit.h.connector.fail_next(429, retry_after="1")
    report = await kit.run(local(2026, 11, 27, 9))
    assert [r.status for r in report.results] == [SENT]
    assert kit.time.sleeps and 1.0 <= kit.time.sleeps[0] <= 1.2
    assert len(kit.channel_cards()) == 1


async def test_403_marks_the_channel_undeliverable_and_is_not_retried(kit: Kit) -> None:
    await kit.meeting()
    kit.h.connector.fail_next(403)
    report = await kit.run(local(2026, 11, 27, 9))
    assert [(r.status, r.detail) for r in report.results] == [(UNDELIVERABLE, "403")]
    [entry] = await kit.h.store.reminders.entries(TEAM_ID)
    assert entry.status == UNDELIVERABLE and entry.kind == MEETING_WEEK
    assert (await kit.run(local(2026, 11, 27, 10))).results == []
    assert kit.h.connector.calls["reply"] == 1
    overview = await kit.service.runner.overview(local(2026, 11, 27, 10).astimezone(UTC))
    assert overview["teams"][0]["undeliverable"][0]["detail"] == "403"
    # The next reminder is attempted as usual (the bot may have been added back).
    later = await kit.run(local(2026, 12, 3, 9))
    assert [(r.kind, r.status) for r in later.results if r.target == "channel"] == [(MEETING_DAY, SENT)]


async def test_transient_failure_is_not_recorded_and_retried_later(kit: Kit) -> None:
    await kit.meeting()
    kit.h.connector.fail_next(*[502] * 5)
    report = await kit.run(local(2026, 11, 27, 9))
    assert [r.status for r in report.results] == ["failed"] and report.failed
    assert await kit.h.store.reminders.entries(TEAM_ID) == []
    report = await kit.run(local(2026, 11, 27, 9, 15))
    assert [r.status for r in report.results] == [SENT]


# Restart ---------------------------------------------------------------------------------------------------------
async def test_restart_in_the_middle_keeps_the_sent_log(tmp_path: Path) -> None:
    connector = PickyConnector()
    await connector.start()
    data = tmp_path / "data"
    try:
        h = await start_harness(engine=TinyDBEngine(data), connector=connector)
        try:
            kit = await make_kit(h)
            teams = h.store.teams
            await teams.save_member(TEAM_ID, replace(await teams.get_member(TEAM_ID, PETER.aad), roles=frozenset({"medlem", "presidium"})))
            await kit.meeting()
            await kit.run(local(2026, 11, 27, 9))
            # The digest fan-out is cut short: Anna's is sent, Peter's fails for now.
            connector.refuse[PETER.id] = 504
            report = await kit.run(local(2026, 12, 1, 8))
            assert {(r.target, r.status) for r in report.results} == {(ANNA.aad, SENT), (PETER.aad, "failed")}
        finally:
            await h.session.close()
            await h.runner.cleanup()
            await h.store.close()
        connector.refuse.clear()
        posted_before = len(connector.posted)

        # The service comes back an hour later on the same data directory.
        at = local(2026, 12, 1, 9).astimezone(UTC)
        h2 = await start_harness(engine=TinyDBEngine(data), connector=connector, now=at)
        try:
            service = h2.app[SERVICES_KEY].reminders
            report = await service.runner.run_due(at)
            assert [(r.kind, r.target, r.status) for r in report.results] == [(DIGEST, PETER.aad, SENT)]
            assert len(connector.posted) == posted_before + 1
            assert len(connector.cards(CHANNEL_ID)) == 1  # the week reminder was not sent again
            assert len(connector.cards(ANNA_CHAT)) == 1 and len(connector.cards(PETER_CHAT)) == 1
            assert (await service.runner.run_due(at + timedelta(hours=1))).results == []
        finally:
            await h2.session.close()
            await h2.runner.cleanup()
            await h2.store.close()
    finally:
        await connector.stop()


# Daylight saving, whatever the host's zone -------------------------------------------------------------------------
async def test_reminders_across_dst_changes(kit: Kit, new_york_host: None) -> None:
    await kit.meeting(date(2026, 10, 30))  # the week reminder on 23 October is still summer time
    assert (await kit.run(datetime(2026, 10, 23, 6, 59, tzinfo=UTC))).results == []
    assert [r.kind for r in (await kit.run(datetime(2026, 10, 23, 7, 0, tzinfo=UTC))).results] == [MEETING_WEEK]
    assert [r.kind for r in (await kit.run(datetime(2026, 10, 29, 8, 0, tzinfo=UTC))).results if r.kind == MEETING_DAY] == [MEETING_DAY]
    await kit.meeting(date(2027, 4, 2))  # the day-before reminder on 1 April is summer time again
    early = await kit.run(datetime(2027, 4, 1, 6, 59, tzinfo=UTC))
    assert MEETING_DAY not in [r.kind for r in early.results]
    assert [r.kind for r in (await kit.run(datetime(2027, 4, 1, 7, 0, tzinfo=UTC))).results] == [MEETING_DAY]


# Settings in chat --------------------------------------------------------------------------------------------------
async def test_everyone_sees_the_settings(kit: Kit) -> None:
    await kit.meeting()
    [reply] = await kit.h.say("påminnelser", PETER)
    assert "**kallelse**: Kallelse i kanalen, 7 dagar före mötet kl. 09.00" in reply
    assert "**presidiet**: Sammanfattning till presidiet, 3 dagar före mötet kl. 08.00" in reply
    assert "**protokoll**: Påminnelse om protokollet (till sekreteraren), 3 dagar efter mötet kl. 09.00" in reply
    assert "Nästa: Kallelse i kanalen fredag 27 november 2026 kl. 09.00." in reply


async def test_presidium_changes_when_a_reminder_goes_out(kit: Kit) -> None:
    await kit.meeting()
    [reply] = await kit.h.say("påminnelser kallelse 6 dagar före kl 10", ANNA)
    assert reply.startswith("Sparat. Kallelse i kanalen skickas nu 6 dagar före mötet kl. 10.00.")
    assert (await kit.h.store.reminders.settings(TEAM_ID)).kind(MEETING_WEEK).days == 6
    assert (await kit.run(local(2026, 11, 27, 9))).results == []
    # Six days before is a Saturday: it goes out on the Friday, at the new time.
    assert [r.kind for r in (await kit.run(local(2026, 11, 27, 10))).results] == [MEETING_WEEK]


async def test_members_cannot_change_settings(kit: Kit) -> None:
    [reply] = await kit.h.say("påminnelser av", PETER)
    assert "Det får bara presidiet eller ordföranden göra" in reply
    assert (await kit.h.store.reminders.settings(TEAM_ID)).enabled


async def test_all_off_and_on_again(kit: Kit) -> None:
    await kit.meeting()
    [reply] = await kit.h.say("påminnelser av", ANNA)
    assert "Alla påminnelser är avstängda" in reply
    assert (await kit.run(local(2026, 11, 27, 9))).results == []
    [reply] = await kit.h.say("påminnelser", PETER)
    assert "Alla påminnelser är avstängda just nu." in reply
    await kit.h.say("påminnelser på", ANNA)
    assert [r.kind for r in (await kit.run(local(2026, 11, 27, 9))).results] == [MEETING_WEEK]


async def test_unclear_settings_get_a_helpful_question(kit: Kit) -> None:
    [reply] = await kit.h.say("påminnelser 7 dagar före kl 9", ANNA)
    assert "Vilken påminnelse menar du?" in reply and "**påminnelser kallelse 7 dagar före kl 9**" in reply
    [reply] = await kit.h.say("påminnelser protokoll 2 dagar före", ANNA)
    assert "efter mötet" in reply
    [reply] = await kit.h.say("påminnelser kallelse kl 25", ANNA)
    assert "Jag förstod inte tiden" in reply


# Together with the meetings feature ------------------------------------------------------------------------------
async def test_meeting_made_in_chat_then_answered_from_the_reminder_card(kit: Kit) -> None:
    replies = await kit.h.say("nytt möte fredag 4 december kl 9-12 Regionens hus, Skövde", ANNA)
    assert replies, "the meetings feature answered"
    [meeting] = await kit.h.store.meetings.all(TEAM_ID)
    await kit.h.say("punkt Nationellt kvalitetssystem", ANNA)
    kit.h.connector.clear()
    await kit.run(local(2026, 11, 27, 9))
    [card] = kit.channel_cards()
    shown = texts_of(card)
    assert "Nationellt kvalitetssystem" in shown and "Regionens hus, Skövde" in shown
    [yes] = [a for a in actions_of(card) if a["verb"] == ACTION_ATTEND_YES]
    kit.h.clock.set(local(2026, 11, 27, 10))
    resp = await kit.h.post(kit.h.invoke(yes["verb"], {k: v for k, v in yes["data"].items() if k != "action"}, PETER))
    assert resp.status == 200
    answer = await kit.h.store.attendance.answer_of(TEAM_ID, meeting.id, PETER.aad)
    assert answer is not None and answer.coming
    await kit.run(local(2026, 12, 3, 9))
    day = kit.channel_cards()[-1]
    assert "Peter Stark (Hjo)" in texts_of(day)
