"""Pure schedule arithmetic: which reminders a network has, when each is due, which are due now.

Nothing here reads storage, the clock or the network: ``TeamState`` carries what was read, and
``now`` and the time zone are arguments. The scheduler and ``skis-bot reminders run --at`` both
call ``due_reminders`` on the same state, so they always agree.

Rules (see docs/reminders.md):
- Every reminder has a due instant, computed as a local date and wall-clock time in the network's
  time zone (so 09:00 stays 09:00 across daylight-saving changes), and a ``useful_until``
  instant; it is sent once, at or after its due instant and before ``useful_until``.
- A reminder due before its meeting or item was created never existed (people just made it).
- Reminders that would fall on a Saturday or Sunday move to the Friday before (reminders before
  something) or the Monday after (reminders after something).
- When the service was down past the week reminder and the day-before reminder is due within a
  day, only the day-before reminder is sent (one channel post, not two in a row). That happens
  only to a *late* week reminder: one on time is never dropped, whatever the settings.
- The settings keep the day-before reminder after the week reminder (``channel_order_problem``);
  a network may still hold an older combination, which then sends both.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.roles import CHAIR, DIGEST_ROLES, SECRETARY
from bot.rules.municipalities import municipalities_of
from storage.actions_repo import ALL, ActionItem
from storage.meetings_repo import Meeting
from storage.reminders_repo import (
    ACTION_DUE,
    ACTION_OVERDUE,
    ACTIONS,
    DIGEST,
    MEETING_DAY,
    MEETING_WEEK,
    MINUTES,
    ROSTER,
    KindSettings,
    ReminderSettings,
)
from storage.teams_repo import Member, Team

CHANNEL = "channel"  # the target of channel reminders; other targets are member keys


# The order reminders due at the same instant go out in: the channel first.
KIND_ORDER = (MEETING_WEEK, MEETING_DAY, DIGEST, MINUTES, ACTION_DUE, ACTION_OVERDUE, ROSTER)

OVERDUE_EVERY = timedelta(days=7)
# A week reminder that went unsent is dropped once the day-before reminder is due within this.
SUPERSEDE_WITHIN = timedelta(days=1)
# A minutes reminder stops being useful at the next meeting, or after this long at the latest.
MINUTES_USEFUL_FOR = timedelta(days=14)


@dataclass(frozen=True)
class Reminder:
    """One reminder to one target: a channel post or a 1:1 message."""

    kind: str
    team_key: str
    subject_id: str  # meeting id, or action item id
    target: str  # CHANNEL or a member key
    due_at: datetime  # UTC
    useful_until: datetime  # UTC; not sent at or after this instant

    @property
    def key(self) -> str:
        """The sent-log key: a restart, a reschedule or a second run never sends this twice."""
        due = self.due_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")
        return f"{self.kind}|{self.team_key}|{self.subject_id}|{self.target}|{due}"

    @property
    def is_channel(self) -> bool:
        return self.target == CHANNEL


@dataclass(frozen=True)
class TeamState:
    """What the schedule of one network depends on, read from storage by the caller."""

    team: Team
    settings: ReminderSettings
    members: tuple[Member, ...] = ()
    meetings: tuple[Meeting, ...] = ()  # cancelled ones may be included; they get nothing
    items: tuple[ActionItem, ...] = ()
    # meeting id -> minutes confirmed; None when the bot has no minutes feature (then no minutes reminders)
    minutes_confirmed: Mapping[str, bool] | None = None
    recorded: frozenset[str] = frozenset()  # sent-log keys
    # The December reminder to send the member list to the region; False when the bot has no
    # member-list feature (bot/publishing), as minutes_confirmed None means no minutes feature.
    roster: bool = False


# Time ------------------------------------------------------------------------------------------
def local_instant(day: date, at: time, tz: ZoneInfo) -> datetime:
    """``day`` at wall-clock ``at`` in ``tz``, as UTC. A time skipped by DST lands an hour later."""
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


def local_date(instant: datetime, tz: ZoneInfo) -> date:
    return instant.astimezone(tz).date()


def working_day_before(day: date) -> date:
    """``day``, or the Friday before it if it is a Saturday or Sunday."""
    return day - timedelta(days=max(0, day.weekday() - 4))


def working_day_after(day: date) -> date:
    """``day``, or the Monday after it if it is a Saturday or Sunday."""
    return day + timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)


# Targets -----------------------------------------------------------------------------------------
def presidium(members: tuple[Member, ...] | list[Member]) -> list[Member]:
    """Active presidium members and the chair: who gets the digest."""
    return [m for m in members if m.active and m.has_any_role(DIGEST_ROLES)]


def secretaries(members: tuple[Member, ...] | list[Member]) -> list[Member]:
    """Who writes the minutes: the secretaries, or the chair when nobody holds that role."""
    found = [m for m in members if m.active and SECRETARY in m.roles]
    return found or [m for m in members if m.active and CHAIR in m.roles]


def item_owners(item: ActionItem, members: tuple[Member, ...] | list[Member], *, include_all: bool = True) -> list[Member]:
    """The active members an action item is for: named ones, a municipality's, or everyone ("alla")."""
    if not include_all:
        item = replace(item, owners=tuple(o for o in item.owners if o.kind != ALL))
    return sorted(
        (
            m
            for m in members
            if m.active and any(item.is_owned_by(m.key, muni) for muni in municipalities_of(m.municipality) or (None,))
        ),
        key=lambda m: m.key,
    )


# The schedule ------------------------------------------------------------------------------------
def candidates(state: TeamState, now: datetime, tz: ZoneInfo) -> list[Reminder]:
    """Every reminder the network has that is due now or later, or was due and may still be sent.

    Recorded ones are included (callers filter with ``state.recorded``); for the weekly overdue
    series only the latest instance at or before ``now`` and the next one are included.
    """
    if not state.team.active or not state.settings.enabled:
        return []
    # Reminders no longer useful at ``now`` are not made at all: every caller drops them, and a
    # network with ten years of meetings would otherwise rebuild thousands on each wake.
    found = [
        *_meeting_reminders(state, now, tz),
        *_minutes_reminders(state, now, tz),
        *_action_reminders(state, now, tz),
        *_roster_reminders(state, now, tz),
    ]
    found.sort(key=_order)
    return found


def due_reminders(state: TeamState, now: datetime, tz: ZoneInfo) -> list[Reminder]:
    """Reminders to send at ``now``: due, still useful, not superseded, and not yet recorded."""
    found = candidates(state, now, tz)
    day_before = {r.subject_id: r.due_at for r in found if r.kind == MEETING_DAY}
    return [
        r
        for r in found
        if r.due_at <= now < r.useful_until
        and r.key not in state.recorded
        and not (r.kind == MEETING_WEEK and _superseded(r, day_before.get(r.subject_id), now))
    ]


def _superseded(week: Reminder, day_before_at: datetime | None, now: datetime) -> bool:
    """A late week reminder is not worth a second channel post when the day-before one is (nearly)
    due. Only when the two normally lie more than a day apart: then a week reminder sent on time
    never meets this, so no setting can make it disappear."""
    if day_before_at is None:
        return False
    return day_before_at > week.due_at + SUPERSEDE_WITHIN and day_before_at <= now + SUPERSEDE_WITHIN


def upcoming_reminders(state: TeamState, now: datetime, tz: ZoneInfo) -> list[Reminder]:
    """Reminders due after ``now``, earliest first (what `reminders list` shows as scheduled):
    only ones that will be sent (a reminder useless by its own due instant is left out)."""
    return [
        r for r in candidates(state, now, tz) if now < r.due_at < r.useful_until and r.key not in state.recorded
    ]


def lead(setting: KindSettings) -> timedelta:
    """How long before the meeting day's midnight a reminder with ``setting`` goes out."""
    return timedelta(days=setting.days) - timedelta(hours=setting.at.hour, minutes=setting.at.minute)


def channel_order_problem(settings: ReminderSettings) -> bool:
    """Whether the day-before channel reminder (kanal) would go out at or before the week reminder
    (kallelse) while both are on: the kanal post then comes first and the kallelse, with its
    check-in box, after it, or (in older versions) never."""
    if not (settings.kind(MEETING_WEEK).enabled and settings.kind(MEETING_DAY).enabled):
        return False  # (whether all reminders are on or off: turning them on must not bring it back)
    return lead(settings.kind(MEETING_DAY)) >= lead(settings.kind(MEETING_WEEK))


def next_due_at(state: TeamState, now: datetime, tz: ZoneInfo) -> datetime | None:
    """The next instant after ``now`` when something falls due, if any."""
    upcoming = upcoming_reminders(state, now, tz)
    return min((r.due_at for r in upcoming), default=None)


def _order(r: Reminder) -> tuple[datetime, int, str, str]:
    return (r.due_at, KIND_ORDER.index(r.kind), r.subject_id, r.target)


def _meeting_reminders(state: TeamState, now: datetime, tz: ZoneInfo) -> Iterator[Reminder]:
    team = state.team
    digest_to = [m.key for m in presidium(state.members)]
    for meeting in state.meetings:
        if meeting.cancelled or meeting.starts_at <= now:
            continue  # (useful until the meeting starts)
        day = local_date(meeting.starts_at, tz)
        plan: list[tuple[str, list[str]]] = []
        if team.conversation_ref:
            plan += [(MEETING_WEEK, [CHANNEL]), (MEETING_DAY, [CHANNEL])]
        plan.append((DIGEST, digest_to))
        for kind, targets in plan:
            if not state.settings.is_on(kind):
                continue
            setting = state.settings.kind(kind)
            due = local_instant(working_day_before(day - timedelta(days=setting.days)), setting.at, tz)
            if not _exists_at(meeting.created_at, due) or due >= meeting.starts_at:
                continue
            for target in targets:
                yield Reminder(kind, team.key, meeting.id, target, due, meeting.starts_at)


def _minutes_reminders(state: TeamState, now: datetime, tz: ZoneInfo) -> Iterator[Reminder]:
    if state.minutes_confirmed is None or not state.settings.is_on(MINUTES):
        return
    setting = state.settings.kind(MINUTES)
    meetings = sorted((m for m in state.meetings if not m.cancelled), key=lambda m: m.starts_at)
    to = [m.key for m in secretaries(state.members)]
    for index, meeting in enumerate(meetings):
        if state.minutes_confirmed.get(meeting.id, False):
            continue
        if index + 1 < len(meetings) and meetings[index + 1].starts_at <= now:
            continue  # useful only until the next meeting starts (below): over already
        due = local_instant(working_day_after(local_date(meeting.starts_at, tz) + timedelta(days=setting.days)), setting.at, tz)
        if due <= meeting.effective_end:
            continue
        until = due + MINUTES_USEFUL_FOR
        if index + 1 < len(meetings):
            until = min(until, meetings[index + 1].starts_at)
        if until <= now:
            continue
        for target in to:
            yield Reminder(MINUTES, state.team.key, meeting.id, target, due, until)


def _action_reminders(state: TeamState, now: datetime, tz: ZoneInfo) -> Iterator[Reminder]:
    if not state.settings.is_on(ACTIONS):
        return
    setting = state.settings.kind(ACTIONS)
    key = state.team.key
    for item in state.items:
        if not item.is_open or item.due is None:
            continue
        owners = [m.key for m in item_owners(item, state.members)]
        due_soon = local_instant(working_day_before(item.due - timedelta(days=setting.days)), setting.at, tz)
        overdue_from = item.due + timedelta(days=1)
        if _exists_at(item.created_at, due_soon):
            for target in owners:
                yield Reminder(ACTION_DUE, key, item.id, target, due_soon, local_instant(overdue_from, time(0), tz))
        # Weekly while overdue; "alla" items are shared, so nobody in particular is nagged about them.
        nagged = [m.key for m in item_owners(item, state.members, include_all=False)]
        for due, until in _overdue_instances(overdue_from, setting.at, now, tz):
            if _exists_at(item.created_at, due):
                for target in nagged:
                    yield Reminder(ACTION_OVERDUE, key, item.id, target, due, until)


def _roster_reminders(state: TeamState, now: datetime, tz: ZoneInfo) -> Iterator[Reminder]:
    """Each December the presidium is asked to send the member list and next year's meeting
    dates to the region (the mission statement asks it of them); the subject is the coming year."""
    if not state.roster or not state.settings.is_on(ROSTER):
        return
    setting = state.settings.kind(ROSTER)
    to = [m.key for m in presidium(state.members)]
    this_year = local_date(now, tz).year
    for new_year in (this_year + 1, this_year + 2):  # this December's (due or still useful) and next December's
        first = date(new_year, 1, 1)
        due = local_instant(working_day_before(first - timedelta(days=setting.days)), setting.at, tz)
        until = local_instant(first, time(0), tz)
        if not _exists_at(state.team.installed_at, due):
            continue
        for target in to:
            yield Reminder(ROSTER, state.team.key, str(new_year), target, due, until)


def _overdue_instances(first_day: date, at: time, now: datetime, tz: ZoneInfo) -> list[tuple[datetime, datetime]]:
    """The latest weekly instance at or before ``now`` (if any) and the next one, with their ends."""

    def instance(k: int) -> datetime:
        return local_instant(working_day_after(first_day + k * OVERDUE_EVERY), at, tz)

    k = max(0, (local_date(now, tz) - first_day).days // 7)
    while k > 0 and instance(k) > now:
        k -= 1
    while instance(k + 1) <= now:
        k += 1
    if instance(k) > now:  # not overdue yet: only the first instance is ahead
        return [(instance(0), instance(1))]
    return [(instance(k), instance(k + 1)), (instance(k + 1), instance(k + 2))]


def _exists_at(created_at: datetime | None, due: datetime) -> bool:
    return created_at is None or due >= created_at
