"""The December reminder: the presidium is asked to send the member list and next year's dates to the region."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.reminders.schedule import TeamState, upcoming_reminders
from bot.reminders.syntax import Change, parse
from storage.reminders_repo import ROSTER, SENT, ReminderSettings
from tests.bot.reminders.conftest import STOCKHOLM, local, member, team
from tests.bot.reminders.test_reminders_flow import ANNA_CHAT, Kit, make_kit
from tests.harness import ANNA, Harness

PEOPLE = (member("anna", "ordförande"), member("sofia", "presidium"), member("peter"), member("gone", "presidium", active=False))


def _plan(now: datetime, **changes: object) -> list[tuple[str, str, str, datetime]]:
    base: dict[str, object] = dict(team=team(), settings=ReminderSettings(), members=PEOPLE, roster=True)
    base.update(changes)
    return [(r.kind, r.subject_id, r.target, r.due_at) for r in upcoming_reminders(TeamState(**base), now, STOCKHOLM)]  # type: ignore[arg-type]


def test_each_december_the_presidium_and_the_chair_are_reminded_about_the_coming_year() -> None:
    # 14 days before the new year at 09:00, moved to the Friday before when it falls on a weekend.
    assert _plan(local(2026, 11, 23, 9)) == [
        (ROSTER, "2027", "anna", datetime(2026, 12, 18, 8, 0, tzinfo=UTC)),
        (ROSTER, "2027", "sofia", datetime(2026, 12, 18, 8, 0, tzinfo=UTC)),
        (ROSTER, "2028", "anna", datetime(2027, 12, 17, 8, 0, tzinfo=UTC)),  # 18 December 2027 is a Saturday
        (ROSTER, "2028", "sofia", datetime(2027, 12, 17, 8, 0, tzinfo=UTC)),
    ]
    assert [(k, y, to) for k, y, to, _ in _plan(local(2027, 12, 31, 9))] == [(ROSTER, "2029", "anna"), (ROSTER, "2029", "sofia")]


def test_it_is_configured_like_the_others() -> None:
    assert parse("medlemslista av") == Change(ROSTER, enabled=False)
    assert parse("medlemslista 28 dagar före kl 10") == Change(ROSTER, days=28, at=local(2026, 1, 1, 10).time())
    later = ReminderSettings().with_kind(ROSTER, days=28, at=local(2026, 1, 1, 10).time())
    assert _plan(local(2026, 11, 23, 9), settings=later)[0][3] == datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
    assert _plan(local(2026, 11, 23, 9), settings=ReminderSettings().with_kind(ROSTER, enabled=False)) == []
    assert _plan(local(2026, 11, 23, 9), members=(member("peter"),)) == []  # nobody in the presidium
    assert _plan(local(2026, 11, 23, 9), roster=False) == []  # no member-list feature, no reminder
    # A network that joined after this year's reminder was due gets next year's only.
    joined = team(installed_at=datetime(2026, 12, 19, tzinfo=UTC))
    assert {y for _, y, _, _ in _plan(local(2026, 12, 17, 9), team=joined)} == {"2028"}


async def test_the_reminder_reaches_the_chair_1_1_and_points_to_medlemslista(harness: Harness) -> None:
    kit: Kit = await make_kit(harness)
    await kit.meeting(date(2027, 2, 5))
    report = await kit.run(local(2026, 12, 18, 9))
    sent = [(r.kind, r.subject_id, r.status) for r in report.results if r.kind == ROSTER]
    assert sent == [(ROSTER, "2027", SENT)]
    [text] = [t for t in kit.h.connector.texts(ANNA_CHAT) if t and "medlemslista" in t]
    assert text == (
        "Hej Anna! Det är dags att skicka medlemslistan och datumen för nätverksträffarna 2027 till utbildning@skaraborg.se. "
        "1 möten är inlagda för 2027. Skriv *medlemslista 2027* så får du listan att kopiera till mejlet; "
        "lägg först in de möten som saknas med *nytt möte*."
    )
    assert [r for r in (await kit.run(local(2026, 12, 21, 9))).results if r.kind == ROSTER] == []  # once


async def test_the_settings_list_shows_it(harness: Harness) -> None:
    kit = await make_kit(harness)
    [shown] = await kit.h.say("påminnelser", ANNA)
    assert "Medlemslistan till regionen (till presidiet, i december)" in shown and "14 dagar före nyår kl. 09.00" in shown
    [reply] = await kit.h.say("påminnelser medlemslista av", ANNA)
    assert "medlemslista" in reply
    assert not (await kit.h.store.reminders.settings((await kit.h.store.teams.all_teams())[0].key)).is_on(ROSTER)
