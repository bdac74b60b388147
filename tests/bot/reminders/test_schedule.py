"""The pure schedule: due instants, targets, useful windows, the sent-log, and daylight saving."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.reminders.schedule import (
    CHANNEL,
    TeamState,
    candidates,
    due_reminders,
    local_instant,
    next_due_at,
    upcoming_reminders,
    working_day_after,
    working_day_before,
)
from storage.actions_repo import ALL, MEMBER, MUNICIPALITY, Owner
from storage.reminders_repo import (
    ACTION_DUE,
    ACTION_OVERDUE,
    ACTIONS,
    DIGEST,
    MEETING_DAY,
    MEETING_WEEK,
    MINUTES,
    ReminderSettings,
)
from tests.bot.reminders.conftest import STOCKHOLM, item, local, meeting, member, team

PEOPLE = (
    member("anna", "presidium", "ordförande", municipality="Skövde"),
    member("peter", municipality="Hjo"),
    member("sofia", "presidium", municipality="Tibro"),
    member("stina", "sekreterare", municipality="Hjo"),
    member("gone", "presidium", active=False),
)


def state(**changes: object) -> TeamState:
    base: dict[str, object] = dict(team=team(), settings=ReminderSettings(), members=PEOPLE)
    base.update(changes)
    return TeamState(**base)  # type: ignore[arg-type]


def plan(s: TeamState, now: datetime) -> list[tuple[str, str, datetime]]:
    return [(r.kind, r.target, r.due_at) for r in upcoming_reminders(s, now, STOCKHOLM)]


def utc(y: int, mo: int, d: int, h: int, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=UTC)


# Defaults -----------------------------------------------------------------------------------------
def test_default_meeting_reminders(new_york_host: None) -> None:
    s = state(meetings=(meeting(date(2026, 12, 4)),))
    assert plan(s, local(2026, 11, 23, 9)) == [
        (MEETING_WEEK, CHANNEL, utc(2026, 11, 27, 8)),  # Friday the week before, 09:00 CET
        (DIGEST, "anna", utc(2026, 12, 1, 7)),  # Tuesday 08:00 to the chair and presidium
        (DIGEST, "sofia", utc(2026, 12, 1, 7)),
        (MEETING_DAY, CHANNEL, utc(2026, 12, 3, 8)),  # Thursday 09:00
    ]


def test_autumn_dst_change_keeps_wall_clock_times(new_york_host: None) -> None:
    # Sweden leaves summer time on 2026-10-25; the week reminder is before, the rest after.
    s = state(meetings=(meeting(date(2026, 10, 30), time(8, 30)),))
    got = {(k, t): d for k, t, d in plan(s, local(2026, 10, 1, 9))}
    assert got[(MEETING_WEEK, CHANNEL)] == utc(2026, 10, 23, 7)  # 09:00 CEST
    assert got[(DIGEST, "anna")] == utc(2026, 10, 27, 7)  # 08:00 CET
    assert got[(MEETING_DAY, CHANNEL)] == utc(2026, 10, 29, 8)  # 09:00 CET
    for due in got.values():
        assert due.astimezone(STOCKHOLM).time() in (time(9, 0), time(8, 0))


def test_spring_dst_change_keeps_wall_clock_times(new_york_host: None) -> None:
    # Sweden enters summer time on 2027-03-28 (New York already did on 2027-03-14).
    s = state(meetings=(meeting(date(2027, 4, 2)),))
    got = {(k, t): d for k, t, d in plan(s, local(2027, 3, 1, 9))}
    assert got[(MEETING_WEEK, CHANNEL)] == utc(2027, 3, 26, 8)  # 09:00 CET
    assert got[(DIGEST, "anna")] == utc(2027, 3, 30, 6)  # 08:00 CEST
    assert got[(MEETING_DAY, CHANNEL)] == utc(2027, 4, 1, 7)  # 09:00 CEST


def test_overdue_series_crosses_dst_at_nine_local(new_york_host: None) -> None:
    s = state(items=(item(1, date(2027, 3, 23)),))  # due Tuesday; overdue from Wednesday
    first = due_reminders(s, utc(2027, 3, 24, 8), STOCKHOLM)
    assert [(r.kind, r.target, r.due_at) for r in first] == [(ACTION_OVERDUE, "peter", utc(2027, 3, 24, 8))]
    s = replace(s, recorded=frozenset(r.key for r in first))
    assert next_due_at(s, utc(2027, 3, 24, 8), STOCKHOLM) == utc(2027, 3, 31, 7)  # a week later, 09:00 CEST
    assert due_reminders(s, utc(2027, 3, 31, 6, 59), STOCKHOLM) == []
    assert [r.due_at for r in due_reminders(s, utc(2027, 3, 31, 7), STOCKHOLM)] == [utc(2027, 3, 31, 7)]


def test_times_on_the_dst_days_themselves() -> None:
    # 02:30 happens twice on 2026-10-25 (the first, summer-time one is used) and not at all on 2027-03-28.
    assert local_instant(date(2026, 10, 25), time(2, 30), STOCKHOLM) == utc(2026, 10, 25, 0, 30)
    assert local_instant(date(2027, 3, 28), time(2, 30), STOCKHOLM) == utc(2027, 3, 28, 1, 30)  # 03:30 CEST
    assert local_instant(date(2026, 10, 25), time(9), STOCKHOLM) == utc(2026, 10, 25, 8)
    assert local_instant(date(2027, 3, 28), time(9), STOCKHOLM) == utc(2027, 3, 28, 7)


def test_weekends_move_to_working_days() -> None:
    assert working_day_before(date(2026, 11, 28)) == date(2026, 11, 27)  # Saturday -> Friday
    assert working_day_before(date(2026, 11, 29)) == date(2026, 11, 27)  # Sunday -> Friday
    assert working_day_before(date(2026, 11, 30)) == date(2026, 11, 30)
    assert working_day_after(date(2026, 11, 28)) == date(2026, 11, 30)  # Saturday -> Monday
    assert working_day_after(date(2026, 11, 29)) == date(2026, 11, 30)
    assert working_day_after(date(2026, 11, 27)) == date(2026, 11, 27)
    # A Monday meeting's day-before reminder goes out on the Friday.
    s = state(meetings=(meeting(date(2026, 12, 7)),))
    assert (MEETING_DAY, CHANNEL, utc(2026, 12, 4, 8)) in plan(s, local(2026, 11, 23, 9))


def test_settings_change_days_and_time_and_switch_kinds_off() -> None:
    settings = ReminderSettings().with_kind(MEETING_WEEK, days=14, at=time(10, 30)).with_kind(DIGEST, enabled=False)
    s = state(meetings=(meeting(date(2026, 12, 4)),), settings=settings)
    assert plan(s, local(2026, 11, 1, 9)) == [
        (MEETING_WEEK, CHANNEL, utc(2026, 11, 20, 9, 30)),
        (MEETING_DAY, CHANNEL, utc(2026, 12, 3, 8)),
    ]
    assert plan(replace(s, settings=replace(settings, enabled=False)), local(2026, 11, 1, 9)) == []


# Which meetings -----------------------------------------------------------------------------------
def test_cancelled_meeting_gets_nothing_and_moved_meeting_moves_its_reminders() -> None:
    now = local(2026, 11, 23, 9)
    assert plan(state(meetings=(meeting(date(2026, 12, 4), status="cancelled"),)), now) == []
    moved = meeting(date(2026, 12, 11), id="20261204")
    got = plan(state(meetings=(moved,)), now)
    assert (MEETING_WEEK, CHANNEL, utc(2026, 12, 4, 8)) in got


def test_inactive_team_and_team_without_channel() -> None:
    now = local(2026, 11, 23, 9)
    meetings = (meeting(date(2026, 12, 4)),)
    assert plan(state(team=team(active=False), meetings=meetings), now) == []
    kinds = {k for k, _t, _d in plan(state(team=team(conversation_ref={}), meetings=meetings), now)}
    assert kinds == {DIGEST}


def test_reminder_due_before_the_meeting_was_created_never_existed() -> None:
    created = local(2026, 11, 30, 15).astimezone(UTC)  # Monday, after the week reminder's time
    s = state(meetings=(meeting(date(2026, 12, 4), created_at=created),))
    assert due_reminders(s, local(2026, 11, 30, 16), STOCKHOLM) == []
    assert [k for k, _t, _d in plan(s, local(2026, 11, 30, 16))] == [DIGEST, DIGEST, MEETING_DAY]


# Due now: sent-log, catch-up, usefulness -------------------------------------------------------------
def test_due_once_then_recorded() -> None:
    s = state(meetings=(meeting(date(2026, 12, 4)),))
    at = local(2026, 11, 27, 9)
    due = due_reminders(s, at, STOCKHOLM)
    assert [(r.kind, r.target) for r in due] == [(MEETING_WEEK, CHANNEL)]
    assert due_reminders(s, at - timedelta(seconds=1), STOCKHOLM) == []
    s = replace(s, recorded=frozenset(r.key for r in due))
    assert due_reminders(s, at, STOCKHOLM) == []
    assert due_reminders(s, at + timedelta(days=2), STOCKHOLM) == []
    assert next_due_at(s, at, STOCKHOLM) == utc(2026, 12, 1, 7)


def test_catch_up_after_downtime_sends_what_is_still_useful_once() -> None:
    s = state(meetings=(meeting(date(2026, 12, 4)),))
    # Down from before the week reminder until Tuesday: the week reminder and the digest are sent late.
    due = due_reminders(s, local(2026, 12, 1, 14), STOCKHOLM)
    assert [(r.kind, r.target) for r in due] == [(MEETING_WEEK, CHANNEL), (DIGEST, "anna"), (DIGEST, "sofia")]
    # Back on Wednesday evening: the day-before reminder is due next morning, so the week one is dropped.
    due = due_reminders(s, local(2026, 12, 2, 18), STOCKHOLM)
    assert [(r.kind, r.target) for r in due] == [(DIGEST, "anna"), (DIGEST, "sofia")]
    # Down until Thursday noon: only the later channel reminder is sent, not both.
    due = due_reminders(s, local(2026, 12, 3, 12), STOCKHOLM)
    assert [(r.kind, r.target) for r in due] == [(DIGEST, "anna"), (DIGEST, "sofia"), (MEETING_DAY, CHANNEL)]
    # Back after the meeting started: nothing about it is useful any more.
    assert due_reminders(s, local(2026, 12, 4, 9), STOCKHOLM) == []


def test_partial_fan_out_resumes_with_the_missing_targets() -> None:
    s = state(meetings=(meeting(date(2026, 12, 4)),))
    at = local(2026, 12, 1, 8)
    first = due_reminders(s, at, STOCKHOLM)
    assert [r.target for r in first] == [CHANNEL, "anna", "sofia"]
    s = replace(s, recorded=frozenset({first[0].key, first[1].key}))
    assert [r.target for r in due_reminders(s, at + timedelta(hours=1), STOCKHOLM)] == ["sofia"]


def test_keys_differ_per_kind_target_and_instant() -> None:
    s = state(meetings=(meeting(date(2026, 12, 4)), meeting(date(2026, 12, 11))))
    reminders = upcoming_reminders(s, local(2026, 11, 1, 9), STOCKHOLM)
    keys = [r.key for r in reminders]
    assert len(keys) == len(set(keys)) == 8
    assert keys[0] == f"meeting_week|{team().key}|20261204|channel|2026-11-27T08:00Z"


# Minutes --------------------------------------------------------------------------------------------
def test_minutes_reminder_to_the_secretary_until_confirmed_or_next_meeting() -> None:
    meetings = (meeting(date(2026, 11, 20)), meeting(date(2026, 12, 4)))
    s = state(meetings=meetings, minutes_confirmed={})
    due = due_reminders(s, local(2026, 11, 23, 9), STOCKHOLM)  # Monday, three days after
    assert [(r.kind, r.target, r.subject_id) for r in due] == [(MINUTES, "stina", "20261120")]
    assert due_reminders(replace(s, minutes_confirmed={"20261120": True}), local(2026, 11, 23, 9), STOCKHOLM) == []
    # Without a minutes feature there is nothing to remind about.
    assert [r for r in due_reminders(replace(s, minutes_confirmed=None), local(2026, 11, 23, 9), STOCKHOLM) if r.kind == MINUTES] == []
    # Not sent once the next meeting has started.
    assert [r for r in due_reminders(s, local(2026, 12, 4, 9), STOCKHOLM) if r.kind == MINUTES and r.subject_id == "20261120"] == []


def test_ten_years_of_meetings_give_only_the_reminders_still_useful() -> None:
    """The scheduler plans on every wake: past meetings must cost nothing, and the result is the
    same as for the meetings still ahead alone (plus the one unconfirmed minutes still useful)."""
    fridays = [date(2016, 12, 2) + timedelta(weeks=5 * i) for i in range(125)]
    past = tuple(meeting(d) for d in fridays if d < date(2026, 11, 23))
    ahead = (meeting(date(2026, 12, 4)),)
    confirmed = {m.id: True for m in past[:-1]}  # the last one's minutes are not confirmed yet
    now = local(2026, 11, 23, 9)
    s = state(meetings=past + ahead, minutes_confirmed=confirmed)
    found = candidates(s, now, STOCKHOLM)
    assert found and all(r.useful_until > now for r in found)
    assert {r.subject_id for r in found} == {past[-1].id, ahead[0].id}
    only_recent = state(meetings=(past[-1], *ahead), minutes_confirmed={})
    assert due_reminders(s, now, STOCKHOLM) == due_reminders(only_recent, now, STOCKHOLM)
    assert upcoming_reminders(s, now, STOCKHOLM) == upcoming_reminders(only_recent, now, STOCKHOLM)


def test_minutes_reminder_goes_to_the_chair_when_there_is_no_secretary() -> None:
    people = tuple(m for m in PEOPLE if m.key != "stina")
    s = state(members=people, meetings=(meeting(date(2026, 11, 20)),), minutes_confirmed={})
    assert [r.target for r in due_reminders(s, local(2026, 11, 23, 9), STOCKHOLM)] == ["anna"]


# Action items ---------------------------------------------------------------------------------------------
def test_action_item_due_soon_then_weekly_while_overdue_never_more() -> None:
    s = state(items=(item(1, date(2026, 12, 4)),))  # due Friday 4 December
    assert plan(s, local(2026, 11, 23, 9))[:2] == [
        (ACTION_DUE, "peter", utc(2026, 12, 1, 8)),  # three days before, 09:00
        (ACTION_OVERDUE, "peter", utc(2026, 12, 7, 8)),  # Saturday the 5th moves to Monday
    ]
    sent: set[str] = set()
    sends = []
    now = local(2026, 11, 23, 9)
    while now < local(2027, 1, 10, 9):
        for r in due_reminders(replace(s, recorded=frozenset(sent)), now, STOCKHOLM):
            sent.add(r.key)
            sends.append((r.kind, r.due_at.astimezone(STOCKHOLM).date()))
        now += timedelta(hours=7)
    assert sends == [
        (ACTION_DUE, date(2026, 12, 1)),
        (ACTION_OVERDUE, date(2026, 12, 7)),
        (ACTION_OVERDUE, date(2026, 12, 14)),
        (ACTION_OVERDUE, date(2026, 12, 21)),
        (ACTION_OVERDUE, date(2026, 12, 28)),
        (ACTION_OVERDUE, date(2027, 1, 4)),
    ]


def test_overdue_after_long_downtime_sends_one_not_a_backlog() -> None:
    s = state(items=(item(1, date(2026, 10, 1)),))  # due Thursday: overdue reminders on Fridays
    due = due_reminders(s, local(2026, 11, 23, 12), STOCKHOLM)
    assert [(r.kind, r.due_at) for r in due] == [(ACTION_OVERDUE, utc(2026, 11, 20, 8))]


def test_done_items_and_items_without_due_date_get_nothing() -> None:
    s = state(items=(item(1, date(2026, 12, 4), status="done"), item(2, None)))
    assert plan(s, local(2026, 11, 23, 9)) == []
    off = state(items=(item(1, date(2026, 12, 4)),), settings=ReminderSettings().with_kind(ACTIONS, enabled=False))
    assert plan(off, local(2026, 11, 23, 9)) == []


def test_item_owners_by_name_municipality_and_everyone() -> None:
    s = state(items=(
        item(1, date(2026, 12, 4), Owner(MUNICIPALITY, "Hjo", "Hjo")),
        item(2, date(2026, 12, 4), Owner(ALL, "alla")),
        item(3, date(2026, 12, 4), Owner(MEMBER, "Gone", "gone"), Owner("external", "Elisabeth")),
    ))
    by_item: dict[str, set[tuple[str, str]]] = {}
    for r in upcoming_reminders(s, local(2026, 11, 23, 9), STOCKHOLM):
        by_item.setdefault(r.subject_id, set()).add((r.kind, r.target))
    assert by_item["item1"] == {(ACTION_DUE, "peter"), (ACTION_DUE, "stina"), (ACTION_OVERDUE, "peter"), (ACTION_OVERDUE, "stina")}
    # "alla": everyone hears about it before the due date; nobody in particular is nagged afterwards.
    assert by_item["item2"] == {(ACTION_DUE, m.key) for m in PEOPLE if m.active}
    assert "item3" not in by_item  # an inactive member and an outsider cannot be reached


def test_item_created_after_its_due_soon_instant_gets_no_due_soon() -> None:
    s = state(items=(item(1, date(2026, 11, 25), created_at=local(2026, 11, 23, 9).astimezone(UTC)),))
    assert [k for k, _t, _d in plan(s, local(2026, 11, 23, 9))] == [ACTION_OVERDUE]


@pytest.mark.parametrize("now", [local(2026, 11, 23, 9), local(2026, 12, 24, 23, 59), local(2027, 6, 1, 0)])
def test_next_due_is_after_now(now: datetime) -> None:
    s = state(meetings=(meeting(date(2026, 12, 4)), meeting(date(2027, 6, 4))), items=(item(1, date(2026, 12, 4)),),
              minutes_confirmed={})
    nxt = next_due_at(s, now, STOCKHOLM)
    assert nxt is not None and nxt > now


def test_member_representing_two_municipalities_owns_either_municipalitys_items() -> None:
    people = (*PEOPLE, member("maria", municipality="Mariestad, Gullspång"))
    s = state(members=people, items=(item(1, date(2026, 12, 4), Owner(MUNICIPALITY, "Gullspång", "Gullspång")),))
    assert {r.target for r in upcoming_reminders(s, local(2026, 11, 23, 9), STOCKHOLM)} == {"maria"}
