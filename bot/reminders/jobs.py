"""Running reminders: read the stored state, send what is due, record every send.

``ReminderRunner.run_due(now)`` is the one function that sends reminders. The scheduler calls it
when it wakes up; ``skis-bot reminders run --at`` calls it with the instant given (directly, or
through the running service's admin route), so both always do the same thing.

A send is recorded in the sent-log only once the connector accepted it (or refused it for good,
403/404/4xx), per target, so a restart, a crash halfway through a fan-out, a reschedule or a
second run never sends the same reminder twice. A failed send (after the notifier's retries) is
not recorded, so the next run tries again while the reminder is still useful.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot import formatting
from bot.cards import outgoing as outgoing_card
from bot.cards.reminders import (
    ActionLine,
    AgendaLine,
    DigestView,
    MeetingInfo,
    action_card,
    day_card,
    digest_card,
    week_card,
)
from bot.clock import Clock
from bot.messages import network_language, reply_locale, t
from bot.publishing.roster import REGION_ADDRESS, build_roster
from bot.reminders.schedule import (
    Reminder,
    TeamState,
    due_reminders,
    local_date,
    next_due_at,
    upcoming_reminders,
)
from bot.rules.action_items import due_text, owners_text
from bot.rules.agenda import ITEM, build_agenda
from bot.rules.checkins import checkin_overview, question_for
from bot.rules.municipalities import municipalities, municipalities_of, represented
from bot.teams.proactive import FAILED, Delivery, Notifier, Outgoing
from storage.actions_repo import ActionItem
from storage.agenda_repo import PROPOSED
from storage.attendance_repo import SUBSTITUTE
from storage.engine import StorageError
from storage.meetings_repo import Meeting
from storage.reminders_repo import (
    ACTION_DUE,
    ACTION_OVERDUE,
    DIGEST,
    MEETING_DAY,
    MEETING_WEEK,
    MINUTES,
    ROSTER,
    SENDING,
    SentEntry,
)
from storage.store import Store
from storage.teams_repo import Member, Team

log = logging.getLogger(__name__)

LEAD = "reminders"
SKIPPED = "skipped"  # the meeting or item went away between planning and sending
# Sent-log entries older than this can no longer matter (no reminder stays useful that long).
KEEP_LOG = timedelta(days=120)
# Minutes statuses are read for meetings this recent (older ones are past any reminder's use).
MINUTES_LOOKBACK = timedelta(days=45)


@dataclass(frozen=True)
class SendResult:
    """What happened to one due reminder in a run."""

    key: str
    kind: str
    team_key: str
    subject_id: str
    target: str
    due_at: datetime
    status: str  # sent | undeliverable | rejected | failed | skipped
    detail: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "kind": self.kind,
            "team": self.team_key,
            "subject": self.subject_id,
            "target": self.target,
            "due_at": self.due_at.isoformat(),
            "status": self.status,
            "detail": self.detail,
        }


@dataclass
class RunReport:
    at: datetime
    results: list[SendResult] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def failed(self) -> bool:
        """True when something should be tried again soon."""
        return any(r.status == FAILED for r in self.results)

    def to_dict(self) -> dict[str, Any]:
        return {"at": self.at.isoformat(), "results": [r.to_dict() for r in self.results]}


class ReminderRunner:
    """Reads state, sends what is due and records it; one run at a time."""

    def __init__(
        self,
        store: Store,
        notifier: Notifier,
        *,
        tz: ZoneInfo,
        clock: Clock,
        settings: Any | None = None,
        locale: str = "sv",
    ) -> None:
        self.store = store
        self.notifier = notifier
        self.tz = tz
        self.clock = clock
        self.settings = settings
        self.locale = locale
        # The scheduler and the admin route may both ask for a run: they take turns.
        self.lock = asyncio.Lock()

    # State -------------------------------------------------------------------------------------
    async def teams(self, team_key: str | None = None) -> list[Team]:
        """The active networks (or the one asked for, if active)."""
        teams = await self.store.teams.all_teams()
        return [t_ for t_ in teams if team_key is None or t_.key == team_key]

    async def state(self, team: Team, now: datetime) -> TeamState:
        """Everything the schedule of ``team`` depends on, read now."""
        store = self.store
        meetings = tuple(await store.meetings.all(team.key))
        actions = getattr(store, "actions", None)
        items = tuple(await actions.open_items(team.key)) if actions is not None else ()
        return TeamState(
            team=team,
            settings=await store.reminders.settings(team.key),
            members=tuple(await store.teams.members(team.key)),
            meetings=meetings,
            items=items,
            minutes_confirmed=await self._minutes_map(team.key, meetings, now),
            recorded=await store.reminders.recorded_keys(team.key),
            roster=True,  # the member list (bot/publishing/roster.py) is always there to point to
        )

    async def due(self, now: datetime, team_key: str | None = None) -> list[Reminder]:
        return [r for team in await self.teams(team_key) for r in due_reminders(await self.state(team, now), now, self.tz)]

    async def upcoming(self, now: datetime, team_key: str | None = None) -> list[Reminder]:
        found = [r for team in await self.teams(team_key) for r in upcoming_reminders(await self.state(team, now), now, self.tz)]
        return sorted(found, key=lambda r: r.due_at)

    async def next_due_at(self, now: datetime) -> datetime | None:
        """The next instant after ``now`` when a reminder of any network falls due."""
        found = [next_due_at(await self.state(team, now), now, self.tz) for team in await self.teams()]
        return min((d for d in found if d is not None), default=None)

    async def next_wake(self, now: datetime) -> datetime | None:
        """``now`` if something is due already, else the next due instant (one read of the state)."""
        found: list[datetime] = []
        for team in await self.teams():
            state = await self.state(team, now)
            if due_reminders(state, now, self.tz):
                return now
            nxt = next_due_at(state, now, self.tz)
            if nxt is not None:
                found.append(nxt)
        return min(found, default=None)

    async def overview(self, now: datetime, team_key: str | None = None, *, sent_limit: int = 20, planned_limit: int = 30) -> dict[str, Any]:
        """What is scheduled and what was sent, per network (for `skis-bot reminders list`)."""
        teams = [t_ for t_ in await self.store.teams.all_teams(active_only=False) if team_key is None or t_.key == team_key]
        out = []
        for team in teams:
            settings = await self.store.reminders.settings(team.key)
            entries = await self.store.reminders.entries(team.key)
            names = {m.key: m.name for m in await self.store.teams.members(team.key, active_only=False)}
            row: dict[str, Any] = {
                "key": team.key,
                "name": team.name,
                "active": team.active,
                "settings": settings.to_doc(),
                "due_now": [],
                "scheduled": [],
                "sent": [_entry_dict(e, names) for e in entries[:sent_limit]],
                "undeliverable": [_entry_dict(e, names) for e in entries if e.status != "sent"][:sent_limit],
            }
            if team.active:
                state = await self.state(team, now)
                row["due_now"] = [_reminder_dict(r, names) for r in due_reminders(state, now, self.tz)]
                row["scheduled"] = [_reminder_dict(r, names) for r in upcoming_reminders(state, now, self.tz)[:planned_limit]]
            out.append(row)
        return {"at": now.isoformat(), "timezone": str(self.tz), "teams": out}

    # Running -----------------------------------------------------------------------------------
    async def leads(self) -> bool:
        """True while this instance is the one that sends reminders on its own schedule: the holder
        of the database's advisory lock ``reminders`` (an embedded engine's process always is)."""
        return await self.store.engine.lead(LEAD)

    async def run_due(self, now: datetime, *, team_key: str | None = None) -> RunReport:
        """Send every reminder due at ``now`` that has not been sent; record each one."""
        async with self.lock:
            report = RunReport(now)
            for team in await self.teams(team_key):
                try:
                    state = await self.state(team, now)
                    due = due_reminders(state, now, self.tz)
                except Exception:  # one network's bad data must not stop the others' reminders
                    log.exception("could not plan the reminders of team %s", team.key)
                    continue
                members = {m.key: m for m in state.members}
                cache: dict[tuple[str, str], Outgoing | None] = {}
                for reminder in due:
                    current = await self.store.teams.get_team(team.key)
                    if current is None or not current.active:
                        break  # the bot was removed meanwhile: that network's reminders stop
                    report.results.append(await self._send_one(reminder, current, members, cache, now))
                await self._prune(team.key, now)
            if report.results:
                log.info(
                    "reminders at %s: %d sent, %d undeliverable, %d failed",
                    now.isoformat(), report.count("sent"), report.count("undeliverable"), report.count(FAILED),
                )
            return report

    async def _send_one(
        self, reminder: Reminder, team: Team, members: dict[str, Member], cache: dict[tuple[str, str], Outgoing | None], now: datetime
    ) -> SendResult:
        def result(status: str, detail: str | None = None) -> SendResult:
            return SendResult(reminder.key, reminder.kind, reminder.team_key, reminder.subject_id, reminder.target,
                              reminder.due_at, status, detail)

        try:
            message = await self._message(reminder, team, members, cache, now)
        except Exception:
            log.exception("could not build reminder %s", reminder.key)
            return result(FAILED, "render")
        if message is None:
            return result(SKIPPED)
        # The ledger first: of every instance (or `reminders run`) due to send this at this moment,
        # exactly one gets the claim, and a takeover half-way through a run never sends twice.
        try:
            if not await self.store.reminders.claim_send(self._entry(reminder, SENDING)):
                return result(SKIPPED, "claimed")
        except StorageError:
            log.warning("reminder %s not sent: the sent-log cannot be written (tried again at the next run)",
                        reminder.key)
            return result(FAILED, "storage")
        if reminder.is_channel:
            delivery = await self.notifier.to_channel(team, message)
        else:
            delivery = await self.notifier.to_person(team, members[reminder.target], message)
        await self._record(reminder, delivery)
        return result(delivery.status, delivery.detail)

    def _entry(self, reminder: Reminder, status: str, delivery: Delivery | None = None) -> SentEntry:
        return SentEntry(
            key=reminder.key,
            kind=reminder.kind,
            team_key=reminder.team_key,
            subject_id=reminder.subject_id,
            target=reminder.target,
            due_at=reminder.due_at,
            recorded_at=self.clock.now(),
            status=status,
            activity_id=delivery.activity_id if delivery else None,
            detail=delivery.detail if delivery else None,
        )

    async def _record(self, reminder: Reminder, delivery: Delivery) -> None:
        """Replace the claim by the outcome; a send worth retrying gives the claim back."""
        try:
            if delivery.final:
                await self.store.reminders.record(self._entry(reminder, delivery.status, delivery))
            else:
                await self.store.reminders.release(reminder.team_key, reminder.key)
        except StorageError:
            # The claim stays: never sent again, which beats sending it twice.
            log.exception("reminder %s: the outcome (%s) could not be recorded", reminder.key, delivery.status)

    async def _prune(self, team_key: str, now: datetime) -> None:
        try:
            await self.store.reminders.prune(team_key, now - KEEP_LOG)
        except StorageError:
            log.warning("could not prune the reminder log of %s", team_key)

    # Minutes status ------------------------------------------------------------------------------
    async def _minutes_map(self, team_key: str, meetings: Iterable[Meeting], now: datetime) -> dict[str, bool] | None:
        if getattr(self.store, "minutes", None) is None:
            return None
        return {
            m.id: bool(await self.minutes_confirmed(team_key, m.id))
            for m in meetings
            if now - MINUTES_LOOKBACK <= m.starts_at <= now
        }

    async def minutes_confirmed(self, team_key: str, meeting_id: str) -> bool | None:
        """Whether a meeting's minutes are confirmed; None when the bot has no minutes feature."""
        minutes = getattr(self.store, "minutes", None)
        if minutes is None:
            return None
        status = getattr(minutes, "status", None)
        if status is not None:
            value = await status(team_key, meeting_id)
            if value is None or isinstance(value, bool):
                return bool(value)
            value = getattr(value, "status", value)
            return value in ("confirmed", "correcting") or getattr(value, "confirmed", False) is True
        latest = getattr(minutes, "latest", None)
        return await latest(team_key, meeting_id) is not None if latest is not None else None

    # Messages ------------------------------------------------------------------------------------
    async def _message(
        self, reminder: Reminder, team: Team, members: dict[str, Member], cache: dict[tuple[str, str], Outgoing | None], now: datetime
    ) -> Outgoing | None:
        # Reminders go to the channel or sit beside it 1:1 (no client locale to follow): the network's language.
        self.locale = reply_locale(network_language(team), None, personal=False)
        if reminder.kind == MINUTES:
            meeting = await self.store.meetings.get(team.key, reminder.subject_id)
            if meeting is None or meeting.cancelled or await self.minutes_confirmed(team.key, meeting.id):
                return None
            return self.minutes_message(meeting, members[reminder.target])
        if reminder.kind == ROSTER:
            return await self.roster_message(team, members[reminder.target], int(reminder.subject_id))
        key = (reminder.kind, reminder.subject_id)
        if key not in cache:
            cache[key] = await self.render(reminder.kind, team, reminder.subject_id, now)
        return cache[key]

    async def render(self, kind: str, team: Team, subject_id: str, now: datetime) -> Outgoing | None:
        """The message for a meeting or action item reminder, built from the current state (None if gone)."""
        outgoing = await self._render(kind, team, subject_id, now)
        if outgoing is None or outgoing.card is None:
            return outgoing
        # A 1:1 reminder sits beside other networks' cards: its buttons name the network they act on.
        return replace(outgoing, card=outgoing_card(outgoing.card, team.key))

    async def _render(self, kind: str, team: Team, subject_id: str, now: datetime) -> Outgoing | None:
        if kind in (ACTION_DUE, ACTION_OVERDUE):
            item = await self.store.actions.get(team.key, subject_id)
            if item is None or not item.is_open or item.due is None:
                return None
            return self.action_message(item, overdue=kind == ACTION_OVERDUE)
        meeting = await self.store.meetings.get(team.key, subject_id)
        if meeting is None or meeting.cancelled or meeting.starts_at <= now:
            return None
        info = self.meeting_info(meeting, now)
        if kind == MEETING_WEEK:
            card = week_card(info, await self.agenda_lines(team, meeting), await self.checkin_question(meeting), self.locale)
            return Outgoing(card=card, summary=t("reminders.summary_week", self.locale, day=info.day))
        if kind == MEETING_DAY:
            coming = await self.coming(team, meeting)
            missing = await self.missing_municipalities(team, meeting)
            card = day_card(info, await self.agenda_lines(team, meeting), coming, missing, self.locale)
            summary = t("reminders.summary_day", self.locale, relative_cap=info.relative[:1].upper() + info.relative[1:], day=info.day)
            return Outgoing(card=card, summary=summary)
        if kind == DIGEST:
            card = digest_card(await self.digest_view(team, meeting, now), self.locale)
            return Outgoing(card=card, summary=t("reminders.summary_digest", self.locale, day=info.day))
        raise ValueError(f"unknown reminder kind {kind!r}")

    def meeting_info(self, meeting: Meeting, now: datetime) -> MeetingInfo:
        tz, loc = self.tz, self.locale
        start = meeting.starts_at.astimezone(tz)
        end = meeting.ends_at.astimezone(tz) if meeting.ends_at else None
        days = (start.date() - local_date(now, tz)).days
        relative = t(f"reminders.in_days.{days}", loc) if days in (0, 1, 7) else t("reminders.in_days", loc, days=days)
        return MeetingInfo(
            id=meeting.id,
            day=formatting.format_day(start.date(), loc),
            when=formatting.format_range(meeting.starts_at, meeting.ends_at, tz, loc),
            time=formatting.format_time_range(start.time(), end.time() if end and end.date() == start.date() else None, loc),
            location=meeting.location,
            relative=relative,
        )

    async def agenda_lines(self, team: Team, meeting: Meeting) -> list[AgendaLine]:
        agenda = await build_agenda(self.store, team, meeting, self.locale)
        return [AgendaLine(e.number, e.title, e.proposed_by_name if e.kind == ITEM else "") for e in agenda.entries]

    async def checkin_question(self, meeting: Meeting) -> str | None:
        return await question_for(self.store, meeting, "checkin", self.locale)

    async def coming(self, team: Team, meeting: Meeting) -> list[str]:
        """Who said they are coming, with their municipality (substitutes named)."""
        members = {m.key: m for m in await self.store.teams.members(team.key, active_only=False)}
        rows = []
        for answer in await self.store.attendance.answers(team.key, meeting.id):
            if not answer.coming:
                continue
            member = members.get(answer.member_key)
            name = member.name if member else answer.member_name
            municipality = (member.municipality if member else None) or answer.municipality
            if answer.answer == SUBSTITUTE and answer.substitute:
                row = t("reminders.substitute_row", self.locale, substitute=answer.substitute, name=name)
            else:
                row = name
            rows.append(f"{row} ({municipality})" if municipality else row)
        return rows

    async def missing_municipalities(self, team: Team, meeting: Meeting) -> list[str]:
        _here, missing = await represented(self.store, team.key, meeting.id, settings=self.settings)
        order = municipalities(team, self.settings)
        return [name for name in order if name in missing]

    async def digest_view(self, team: Team, meeting: Meeting, now: datetime) -> DigestView:
        """What the presidium needs before the meeting, read now."""
        store, loc, tz = self.store, self.locale, self.tz
        info = self.meeting_info(meeting, now)
        members = await store.teams.members(team.key)
        question = await self.checkin_question(meeting)
        answers = {a.member_key: a for a in await store.attendance.answers(team.key, meeting.id)}
        overview = await checkin_overview(store, team.key, meeting.id)
        answered = tuple(member.name if member else answer.member_name for answer, member in overview.answered)
        # Whoever said they are not coming is not expected to check in.
        not_answered = tuple(sorted(
            (m.name for _municipality, people in overview.missing for m in people if m.key not in answers or answers[m.key].coming),
            key=str.casefold,
        ))

        coming_rows: list[str] = []
        not_coming: list[str] = []
        no_answer: list[str] = []
        for name in municipalities(team, self.settings):
            people = [m for m in members if name in municipalities_of(m.municipality)]
            coming = [
                (answers[m.key].substitute or m.name) if answers[m.key].answer == SUBSTITUTE else m.name
                for m in people
                if m.key in answers and answers[m.key].coming
            ]
            if coming:
                coming_rows.append(t("reminders.digest_att_row", loc, municipality=name, names=", ".join(coming)))
            elif any(m.key in answers for m in people):
                not_coming.append(name)
            else:
                no_answer.append(name)

        today = local_date(now, tz)
        items = sorted(await store.actions.open_items(team.key), key=lambda i: (not i.is_overdue(today), i.due or date.max, i.number))
        actions = tuple(self.action_line(item, overdue=item.is_overdue(today)) for item in items)

        previous = await store.meetings.previous(team.key, meeting)
        decide: list[str] = []
        proposed = [i.title for i in await store.agenda.items(meeting) if i.source == PROPOSED]
        if proposed:
            decide.append(t("reminders.decide_proposed", loc, titles="; ".join(proposed)))
        if not meeting.location:
            decide.append(t("reminders.decide_place", loc))
        if question and not (meeting.checkin_question or "").strip():
            decide.append(t("reminders.decide_question", loc, question=question))
        if previous is None:
            minutes_line = t("reminders.digest_no_previous", loc)
        else:
            day = formatting.format_day(previous.starts_at.astimezone(tz).date(), loc)
            confirmed = await self.minutes_confirmed(team.key, previous.id)
            minutes_line = t("reminders.digest_minutes_confirmed" if confirmed else "reminders.digest_minutes_open", loc, day=day)
            if confirmed is False:
                decide.append(t("reminders.decide_minutes", loc))
        missing = await self.missing_municipalities(team, meeting)
        if missing:
            decide.append(t("reminders.decide_missing", loc, count=len(missing)))
        return DigestView(
            meeting=info,
            agenda=tuple(await self.agenda_lines(team, meeting)),
            question=question,
            answered=answered,
            not_answered=not_answered,
            coming=tuple(coming_rows),
            not_coming=tuple(not_coming),
            no_answer=tuple(no_answer),
            actions=actions,
            minutes=minutes_line,
            decide=tuple(decide),
        )

    def action_line(self, item: ActionItem, *, overdue: bool) -> ActionLine:
        return ActionLine(item.number, item.title, owners_text(item.owners, self.locale), due_text(item, self.tz, self.locale), overdue,
                          id=item.id)

    def action_message(self, item: ActionItem, *, overdue: bool) -> Outgoing:
        line = self.action_line(item, overdue=overdue)
        key = "reminders.summary_action_overdue" if overdue else "reminders.summary_action_due"
        return Outgoing(card=action_card(line, self.locale), summary=t(key, self.locale, number=item.number, due=line.due))

    def minutes_message(self, meeting: Meeting, member: Member) -> Outgoing:
        day = formatting.format_day(meeting.starts_at.astimezone(self.tz).date(), self.locale)
        first = member.name.split(" ")[0] if member.name else ""
        return Outgoing(text=t("reminders.minutes_text", self.locale, name=first, day=day))


    async def roster_message(self, team: Team, member: Member, year: int) -> Outgoing:
        """December: send the member list and next year's meeting dates to the region."""
        planned = len((await build_roster(self.store, team, year, self.tz, settings=self.settings, locale=self.locale)).meetings)
        first = member.name.split(" ")[0] if member.name else ""
        return Outgoing(text=t("reminders.roster_text", self.locale, name=first, year=year, count=planned, address=REGION_ADDRESS))


def _reminder_dict(r: Reminder, names: dict[str, str]) -> dict[str, Any]:
    return {"kind": r.kind, "subject": r.subject_id, "target": r.target, "target_name": names.get(r.target, r.target),
            "due_at": r.due_at.isoformat(), "key": r.key}


def _entry_dict(e: SentEntry, names: dict[str, str]) -> dict[str, Any]:
    return {
        "kind": e.kind,
        "subject": e.subject_id,
        "target": e.target,
        "target_name": names.get(e.target, e.target),
        "due_at": e.due_at.isoformat(),
        "recorded_at": e.recorded_at.isoformat(),
        "status": e.status,
        "detail": e.detail,
    }
