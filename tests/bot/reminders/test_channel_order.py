"""A reminder setting never silently cancels another (issue 17, point 12).

`påminnelser kanal två veckor före` used to put the day-before channel reminder before the week
reminder (kallelse), after which the kallelse with its check-in box was never sent while
`reminders list` still showed it. Now such a combination is refused with what it would do, the
reply to a change says how the two channel reminders follow each other, and a combination saved
earlier sends both, as `reminders list` says.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, time

import pytest

from bot.reminders.schedule import CHANNEL, channel_order_problem, due_reminders, upcoming_reminders
from storage.reminders_repo import MEETING_DAY, MEETING_WEEK, SENT, ReminderSettings
from tests.bot.reminders.conftest import STOCKHOLM, local, meeting
from tests.bot.reminders.test_reminders_flow import Kit, make_kit
from tests.bot.reminders.test_schedule import state
from tests.harness import ANNA, TEAM_ID

DEFAULT = ReminderSettings()


@pytest.fixture
async def kit(harness) -> Kit:
    return await make_kit(harness)


@pytest.mark.parametrize(
    ("settings", "problem"),
    [
        (DEFAULT, False),
        (DEFAULT.with_kind(MEETING_DAY, days=14), True),  # påminnelser kanal två veckor före
        (DEFAULT.with_kind(MEETING_DAY, days=7), True),  # the same instant
        (DEFAULT.with_kind(MEETING_DAY, days=7, at=time(10)), False),  # an hour after the kallelse
        (DEFAULT.with_kind(MEETING_DAY, days=7, at=time(8)), True),
        (DEFAULT.with_kind(MEETING_WEEK, days=1), True),  # påminnelser kallelse dagen före
        (DEFAULT.with_kind(MEETING_WEEK, days=1, at=time(8)), False),
        (DEFAULT.with_kind(MEETING_DAY, days=14, enabled=False), False),  # kanal off: nothing to clash
        (DEFAULT.with_kind(MEETING_WEEK, enabled=False).with_kind(MEETING_DAY, days=14), False),
        (replace(DEFAULT.with_kind(MEETING_DAY, days=14), enabled=False), True),  # turning all on brings it back
    ],
)
def test_channel_order_problem(settings: ReminderSettings, problem: bool) -> None:
    assert channel_order_problem(settings) is problem


def test_a_kallelse_on_time_is_never_dropped_and_the_list_shows_what_is_sent() -> None:
    # kanal 14 days before (saved before this rule): at the kallelse's time the kanal reminder is
    # long past, which used to drop the kallelse. It is sent, and listed as it will be.
    settings = DEFAULT.with_kind(MEETING_DAY, days=14)
    s = replace(state(meetings=(meeting(date(2026, 12, 4)),)), settings=settings)
    listed = upcoming_reminders(s, local(2026, 11, 1, 9), STOCKHOLM)
    week = [r for r in listed if r.kind == MEETING_WEEK]
    assert [r.due_at for r in week] == [local(2026, 11, 27, 9).astimezone(UTC)]
    due = due_reminders(s, week[0].due_at, STOCKHOLM)
    assert (MEETING_WEEK, CHANNEL) in [(r.kind, r.target) for r in due]
    # Close together (kanal an hour after the kallelse): both, also when the kallelse is an hour late.
    s = replace(s, settings=DEFAULT.with_kind(MEETING_DAY, days=7, at=time(10)))
    due = due_reminders(s, local(2026, 11, 27, 10), STOCKHOLM)
    assert [r.kind for r in due if r.target == CHANNEL] == [MEETING_WEEK, MEETING_DAY]


async def test_a_setting_that_would_put_kanal_before_the_kallelse_is_refused(kit: Kit) -> None:
    await kit.meeting()
    [reply] = await kit.h.say("påminnelser kanal två veckor före", ANNA)
    assert "ändrade jag inte" in reply and "14 dagar före mötet kl. 09.00" in reply and "7 dagar före mötet kl. 09.00" in reply
    assert "**påminnelser kanal dagen före**" in reply and "**påminnelser kallelse 21 dagar före**" in reply
    assert await kit.h.store.reminders.settings(TEAM_ID) == DEFAULT
    [reply] = await kit.h.say("påminnelser kallelse dagen före", ANNA)
    assert "ändrade jag inte" in reply
    assert await kit.h.store.reminders.settings(TEAM_ID) == DEFAULT
    # Nothing was lost: the kallelse goes out as before.
    report = await kit.run(local(2026, 11, 27, 9))
    assert [(r.kind, r.status) for r in report.results] == [(MEETING_WEEK, SENT)]


async def test_a_change_says_how_the_channel_reminders_follow_each_other(kit: Kit) -> None:
    await kit.meeting()
    [reply] = await kit.h.say("påminnelser kanal 2 dagar före kl 8", ANNA)
    assert reply.startswith("Sparat.")
    assert "först kallelsen (7 dagar före mötet kl. 09.00) och sedan påminnelsen (2 dagar före mötet kl. 08.00)" in reply
    assert (await kit.h.store.reminders.settings(TEAM_ID)).kind(MEETING_DAY).days == 2
    # The kallelse can move earlier, away from kanal.
    [reply] = await kit.h.say("påminnelser kallelse två veckor före", ANNA)
    assert reply.startswith("Sparat.") and "först kallelsen (14 dagar före" in reply


async def test_a_combination_saved_earlier_is_flagged_and_still_sends_the_kallelse(kit: Kit) -> None:
    await kit.meeting()
    await kit.h.store.reminders.save_settings(TEAM_ID, DEFAULT.with_kind(MEETING_DAY, days=14))
    [reply] = await kit.h.say("påminnelser", ANNA)
    assert "Obs: påminnelsen i kanalen (14 dagar före mötet kl. 09.00) går ut före kallelsen" in reply
    listed = await kit.service.runner.upcoming(local(2026, 11, 1, 9).astimezone(UTC), TEAM_ID)
    assert (MEETING_WEEK, local(2026, 11, 27, 9).astimezone(UTC)) in [(r.kind, r.due_at) for r in listed]
    report = await kit.run(local(2026, 11, 20, 9))
    assert [r.kind for r in report.results] == [MEETING_DAY]
    report = await kit.run(local(2026, 11, 27, 9))
    assert [(r.kind, r.status) for r in report.results] == [(MEETING_WEEK, SENT)]


async def test_a_same_day_reminder_after_a_planned_meeting_has_started_is_refused(kit: Kit) -> None:
    await kit.meeting()  # Friday 4 December, 09.00
    [reply] = await kit.h.say("påminnelser kanal samma dag kl 10", ANNA)
    assert "ändrade jag inte" in reply and "fredag 4 december 2026 kl. 09.00" in reply
    assert "**påminnelser kanal samma dag kl 7**" in reply
    assert await kit.h.store.reminders.settings(TEAM_ID) == DEFAULT
    [reply] = await kit.h.say("påminnelser kanal samma dag kl 7", ANNA)
    assert reply.startswith("Sparat.") and "bara till möten som börjar efter kl. 07.00" in reply
    report = await kit.run(local(2026, 12, 4, 7))
    assert [(r.kind, r.status) for r in report.results if r.target == CHANNEL] == [(MEETING_DAY, SENT)]
