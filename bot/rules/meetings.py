"""Planning meetings: the rules, checked and stored in one place.

Command handlers (``bot/features/meetings.py``), dialogs (``dialogs/new_meeting.py``,
``dialogs/confirm_meeting.py``) and card buttons all go through these functions, so a meeting
made in one message, at the end of a dialog or from a "Spara ändå?" card is checked and stored
the same way.

A new or moved meeting is first a ``Draft`` (plain JSON, so it survives in dialog state and in
card data). ``warnings`` says what is unusual about it (not a Friday, a holiday or eve, another
meeting that day); ``apply_draft`` stores it and tells the reminders.

The functions take plain values (the store, the time now, the network's time zone, the member,
and ``publish``, what tells the reminders of a change), never the service container: a rule is
the same whether a command, a dialog, a card or a script applies it.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot import formatting
from bot.dates import DateQuestion, When, parse_when
from bot.messages import t
from bot.roles import MEETING_ROLES, roles_text
from bot.routing import fold
from bot.rules.holidays_se import holiday_name
from storage.meetings_repo import CANCELLED, PLANNED, Meeting, MeetingNotFound, next_sequence
from storage.store import Store
from storage.teams_repo import Member

# Tells the rest of the bot that a record changed: (kind, team_key, record id), as
# ``bot.services.ChangeFeed.publish`` does; the reminders re-plan from it.
Publish = Callable[[str, str, str], Awaitable[None]]

FRIDAY = 4
CREATE = "create"
MOVE = "move"

_ID = re.compile(r"^\d{8}(?:-\d+)?$")
_NEXT_WORDS = frozenset({"nasta", "nasta mote", "nastkommande", "nastkommande mote", "next"})


class MeetingError(Exception):
    """A change that cannot be made; ``key`` and ``params`` say why, in the catalogue's words."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass(frozen=True)
class Draft:
    """A meeting to create, or a new time and place for one, waiting to be stored."""

    op: str  # CREATE | MOVE
    day: date
    start: time
    end: time | None = None
    location: str | None = None
    topics: tuple[str, ...] = ()
    meeting_id: str | None = None  # MOVE: the meeting that moves
    token: str = field(default_factory=lambda: uuid.uuid4().hex[:16])
    activity_id: str | None = None

    @property
    def when(self) -> When:
        return When(self.day, self.start, self.end)

    def starts_at(self, tz: ZoneInfo) -> datetime:
        return self.when.start_at(tz)  # type: ignore[return-value]

    def ends_at(self, tz: ZoneInfo) -> datetime | None:
        return self.when.end_at(tz)

    def to_data(self) -> dict[str, Any]:
        """JSON for dialog state and card buttons."""
        return {
            "op": self.op,
            "day": self.day.isoformat(),
            "start": self.start.strftime("%H:%M"),
            "end": self.end.strftime("%H:%M") if self.end else None,
            "location": self.location,
            "topics": list(self.topics),
            "meeting_id": self.meeting_id,
            "token": self.token,
            "activity_id": self.activity_id,
        }

    @classmethod
    def from_data(cls, data: Any) -> Draft | None:
        """The draft in ``data``, or None if it is not one (a stale or tampered card)."""
        if not isinstance(data, dict):
            return None
        try:
            op = data["op"]
            if op not in (CREATE, MOVE) or not isinstance(data.get("token"), str) or not data["token"]:
                return None
            start = time.fromisoformat(data["start"])
            end = time.fromisoformat(data["end"]) if data.get("end") else None
            if end is not None and end <= start:
                return None
            topics = data.get("topics") or []
            location = data.get("location")
            return cls(
                op=op,
                day=date.fromisoformat(data["day"]),
                start=start,
                end=end,
                location=str(location)[:300] if location else None,
                topics=tuple(str(x)[:300] for x in topics if str(x).strip())[:30],
                meeting_id=data.get("meeting_id") if op == MOVE else None,
                token=str(data["token"])[:64],
                activity_id=data.get("activity_id"),
            )
        except (KeyError, TypeError, ValueError):
            return None


# --- Reading -------------------------------------------------------------------------------------


def token_for(activity: Any) -> str:
    """A draft token derived from the message, so the same message delivered twice stores once."""
    conversation = getattr(getattr(activity, "conversation", None), "id", "") or ""
    activity_id = getattr(activity, "id", None)
    if not activity_id:
        return uuid.uuid4().hex[:16]
    return hashlib.sha256(f"{conversation}|{activity_id}".encode()).hexdigest()[:16]


def local_today(now: datetime, tz: ZoneInfo) -> date:
    return now.astimezone(tz).date()


def when_text(meeting: Meeting, tz: ZoneInfo, locale: str = "sv") -> str:
    """ "fredag 4 december 2026 kl. 09.00–12.00": a meeting as people read it."""
    return formatting.format_range(meeting.starts_at, meeting.ends_at, tz, locale)


def draft_text(draft: Draft, locale: str = "sv") -> str:
    return formatting.format_when(draft.when, locale)


def clean_location(text: str | None) -> str | None:
    """The place as typed, without a leading "i"/"på"/"plats:" and surrounding punctuation."""
    if not text:
        return None
    place = text.strip().strip(",;:–- ").strip()
    place = re.sub(r"^(?:i|på|plats:?|lokal:?|via)\s+", "", place, flags=re.IGNORECASE).strip()
    if place.startswith("(") and place.endswith(")"):
        place = place[1:-1].strip()
    return place[:300] or None


async def find_meetings(
    store: Store, team_key: str, selector: str, *, now: datetime, tz: ZoneInfo, include_past: bool = False
) -> list[Meeting] | DateQuestion:
    """Meetings that ``selector`` names: an id ("20261204"), "nästa", or a date ("4 december").

    Cancelled meetings are found by id only; past ones only with ``include_past``."""
    text = selector.strip().strip(".,:;")
    if not text:
        return []
    every = await store.meetings.all(team_key, include_cancelled=True)
    by_id = [m for m in every if m.id.casefold() == text.casefold()]
    if by_id or _ID.match(text):
        return by_id
    if fold(text) in _NEXT_WORDS:
        current = await store.meetings.current(team_key, now)
        return [current] if current else []
    when = parse_when(text, local_today(now, tz), tz)
    if isinstance(when, DateQuestion):
        return when
    found = [m for m in every if not m.cancelled and m.starts_at.astimezone(tz).date() == when.date]
    if not include_past:
        upcoming = {m.id for m in await store.meetings.upcoming(team_key, now)}
        found = [m for m in found if m.id in upcoming]
    return found


# --- Checking ------------------------------------------------------------------------------------


# How far back a meeting that has taken place can be recorded (the bot installed mid-year, a
# meeting the bot did not know about).
PAST_LIMIT = timedelta(days=365)


def is_past(draft: Draft, now: datetime, tz: ZoneInfo) -> bool:
    return draft.starts_at(tz) <= now


async def warnings(
    store: Store, team_key: str, draft: Draft, tz: ZoneInfo, locale: str = "sv", *, now: datetime | None = None
) -> list[str]:
    """What is unusual about a draft's date, one sentence each (empty when nothing is)."""
    out: list[str] = []
    day_text = formatting.format_date(draft.day, locale)
    if now is not None and draft.op == CREATE and is_past(draft, now, tz):
        # Said first: the meeting is recorded as one that has been held.
        out.append(t("meetings.warn_past", locale, when=draft_text(draft, locale)))
    if draft.day.weekday() != FRIDAY:
        out.append(t("meetings.warn_not_friday", locale, date=day_text))
    holiday = holiday_name(draft.day, locale)
    if holiday:
        out.append(t("meetings.warn_holiday", locale, date=day_text, holiday=holiday))
    same_day = [m for m in await store.meetings.on_date(team_key, draft.day, tz) if m.id != draft.meeting_id]
    if same_day:
        out.append(t("meetings.warn_same_day", locale, when=when_text(same_day[0], tz, locale), id=same_day[0].id))
    return out


async def check_draft(store: Store, team_key: str, draft: Draft, *, now: datetime, tz: ZoneInfo) -> None:
    """Raise MeetingError if the draft cannot be stored at all (in the past, or its meeting is gone)."""
    if draft.starts_at(tz) <= now:
        # A meeting that has been held may be recorded (confirmed first, see ``warnings``);
        # a meeting is never moved into the past.
        if draft.op != CREATE or draft.starts_at(tz) < now - PAST_LIMIT:
            raise MeetingError("meetings.date_past", date=draft_text(draft))
    if draft.op == MOVE:
        meeting = await store.meetings.get(team_key, draft.meeting_id or "")
        if meeting is None:
            raise MeetingError("meetings.not_found_id", id=draft.meeting_id or "")
        if meeting.cancelled:
            raise MeetingError("meetings.is_cancelled", when=when_text(meeting, tz))


# --- Storing -------------------------------------------------------------------------------------


async def apply_draft(
    store: Store, team_key: str, member: Member, draft: Draft, *, now: datetime, tz: ZoneInfo, publish: Publish
) -> Meeting | None:
    """Store a draft (create or move) and tell the reminders; None if it was already answered.

    Raises MeetingError when it cannot be stored."""
    if await store.meetings.draft_outcome(team_key, draft.token) is not None:
        return None
    await check_draft(store, team_key, draft, now=now, tz=tz)
    starts_at = draft.starts_at(tz)
    reinstated = await _cancelled_on(store, team_key, starts_at, tz) if draft.op == CREATE else None
    if reinstated is not None:
        # "nytt möte" on a cancelled meeting's day brings that meeting back (the undo the
        # cancellation reply offers): its id, attendance answers and agenda items stay with it.
        extra = {
            **reinstated.extra,
            "sequence": int(reinstated.extra.get("sequence") or 0) + 1,
            "reinstated_at": now.isoformat(),
            "reinstated_by": member.key,
        }
        meeting = replace(
            reinstated,
            status=PLANNED,
            starts_at=starts_at,
            ends_at=draft.ends_at(tz),
            location=draft.location or reinstated.location,
            topics=draft.topics or reinstated.topics,
            updated_at=now,
            extra=extra,
        )
    elif draft.op == CREATE:
        meeting = Meeting(
            id=await store.meetings.new_id(team_key, starts_at),
            team_key=team_key,
            starts_at=starts_at,
            ends_at=draft.ends_at(tz),
            location=draft.location,
            topics=draft.topics,
            created_by=member.key,
            created_at=now,
            updated_at=now,
            extra={"sequence": 0, "created_by_name": member.name, "activity_id": draft.activity_id},
        )
    else:

        def moved(old: Meeting) -> Meeting:
            # Checked again on the meeting as stored: a cancellation made meanwhile (another
            # turn, another instance) is not undone by the move.
            if old.cancelled:
                raise MeetingError("meetings.is_cancelled", when=when_text(old, tz))
            extra = {**next_sequence(old), "moved_from": old.starts_at.isoformat(), "moved_by": member.key}
            return replace(
                old, starts_at=starts_at, ends_at=draft.ends_at(tz), location=draft.location, updated_at=now, extra=extra
            )

        try:
            changed = await store.meetings.change(team_key, draft.meeting_id or "", moved, draft=draft.token)
        except MeetingNotFound:
            raise MeetingError("meetings.not_found_id", id=draft.meeting_id or "") from None
        if changed is None:
            return None
        await publish("meeting", team_key, changed[1].id)
        return changed[1]
    # The draft's question is answered in the same write; a second answer (the card on one
    # instance, the text on another) stores nothing. A new meeting's id is chosen under the lock.
    saved = await store.meetings.save(meeting, draft=draft.token, new=draft.op == CREATE and reinstated is None)
    if saved is None:
        return None
    await publish("meeting", team_key, saved.id)
    return saved


async def _cancelled_on(store: Store, team_key: str, starts_at: datetime, tz: ZoneInfo) -> Meeting | None:
    day = starts_at.astimezone(tz).date()
    for meeting in await store.meetings.all(team_key, include_cancelled=True):
        if meeting.cancelled and meeting.starts_at.astimezone(tz).date() == day:
            return meeting
    return None


async def cancel_meeting(
    store: Store, meeting: Meeting, member: Member, *, now: datetime, publish: Publish
) -> Meeting | None:
    """Mark a meeting cancelled (it stays in the calendar export as CANCELLED) and tell the reminders.

    Decided on the meeting as stored: cancelled already (twice at once, or on another instance)
    changes nothing, tells nobody and returns None; a move made meanwhile is kept. Raises
    MeetingNotFound."""

    def cancelled(stored: Meeting) -> Meeting:
        if stored.cancelled:
            return stored
        extra = {**next_sequence(stored), "cancelled_at": now.isoformat(), "cancelled_by": member.key}
        return replace(stored, status=CANCELLED, updated_at=now, extra=extra)

    changed = await store.meetings.change(meeting.team_key, meeting.id, cancelled)
    assert changed is not None  # only a draft's question makes it None
    before, after = changed
    if after == before:
        return None
    await publish("meeting", meeting.team_key, meeting.id)
    return after


def move_draft(meeting: Meeting, when: When | None, location: str | None, tz: ZoneInfo) -> Draft:
    """A draft that moves ``meeting``: a new day keeps the old times unless new ones are given."""
    old_start = meeting.starts_at.astimezone(tz)
    old_end = meeting.ends_at.astimezone(tz) if meeting.ends_at else None
    day = when.date if when else old_start.date()
    if when is not None and when.start is not None:
        start, end = when.start, when.end
        if end is None and old_end is not None:
            # "till kl 13" keeps the meeting as long as it was.
            length = old_end - old_start
            end_dt = datetime.combine(day, start) + length
            end = end_dt.time() if end_dt.date() == day and end_dt.time() > start else None
    else:
        start = old_start.time().replace(tzinfo=None)
        end = old_end.time().replace(tzinfo=None) if old_end and old_end.date() == old_start.date() else None
    return Draft(
        op=MOVE,
        day=day,
        start=start,
        end=end,
        location=location if location is not None else meeting.location,
        meeting_id=meeting.id,
    )


# --- Replies (shared by the command, the dialogs and the card buttons) ------------------------------


def place_suffix(location: str | None, locale: str) -> str:
    return t("meetings.place_suffix", locale, place=location) if location else t("meetings.no_place_suffix", locale)


def typed_when(start: datetime, end: datetime | None, tz: ZoneInfo) -> str:
    """A meeting's time the way people type it ("fredag 4 december 2026 kl 9.00-12.00"), for undo hints."""
    ls = start.astimezone(tz)
    text = f"{formatting.format_date(ls.date())} kl {ls.hour}.{ls.minute:02d}"
    if end is not None and end.astimezone(tz).date() == ls.date():
        le = end.astimezone(tz)
        text += f"-{le.hour}.{le.minute:02d}"
    return text


def saved_text(meeting: Meeting, locale: str, tz: ZoneInfo, *, before: Meeting | None = None) -> str:
    """What the bot says after storing a new or moved meeting: what was stored and how to undo it."""
    place = place_suffix(meeting.location, locale)
    if before is None:
        text = t("meetings.created", locale, when=when_text(meeting, tz, locale), place=place, id=meeting.id)
        if meeting.topics:
            text += "\n\n" + t("meetings.created_topics", locale, topics="; ".join(meeting.topics))
        return text
    return t(
        "meetings.moved",
        locale,
        when=when_text(meeting, tz, locale),
        place=place,
        old=when_text(before, tz, locale),
        old_place=t("meetings.place_suffix", locale, place=before.location) if before.location else "",
        id=meeting.id,
        # "Ångra" brings back the time and the place.
        undo=typed_when(before.starts_at, before.ends_at, tz) + (f" {before.location}" if before.location else ""),
    )


def confirm_summary(draft: Draft, locale: str) -> str:
    key = "meetings.confirm_intro_create" if draft.op == CREATE else "meetings.confirm_intro_move"
    return t(key, locale, when=draft_text(draft, locale), place=place_suffix(draft.location, locale))


async def store_draft(
    store: Store, team_key: str, member: Member, draft: Draft, locale: str, *, now: datetime, tz: ZoneInfo, publish: Publish
) -> tuple[Meeting | None, str]:
    """Store ``draft`` if the person may; returns (meeting or None, the reply to give)."""
    if not member.has_any_role(MEETING_ROLES):
        return None, t("core.role_required", locale, roles=roles_text(locale, MEETING_ROLES))
    before = await store.meetings.get(team_key, draft.meeting_id) if draft.op == MOVE and draft.meeting_id else None
    try:
        meeting = await apply_draft(store, team_key, member, draft, now=now, tz=tz, publish=publish)
    except MeetingError as exc:
        return None, t(exc.key, locale, **exc.params)
    if meeting is None:
        return None, t("meetings.confirm_already", locale)
    return meeting, saved_text(meeting, locale, tz, before=before)


async def abort_draft(store: Store, team_key: str, draft: Draft, locale: str) -> str:
    """Mark the question answered "nej"; returns the reply."""
    # Answered already (also on another instance, at the same moment): checked under the lock.
    if not await store.meetings.abort_draft(team_key, draft.token):
        return t("meetings.confirm_already", locale)
    return t("meetings.confirm_aborted" if draft.op == CREATE else "meetings.confirm_aborted_move", locale)
