"""Meetings of a network: when, where, what is planned, and whether they still happen.

The meeting documents live in the team partition (``team/<key>``, table ``meetings``) so
listing a network's calendar reads one small file; what accumulates per meeting (agenda,
attendance, check-ins, decisions, minutes) lives in the meeting's own partition
``team/<key>/meeting/<id>`` (see ``meeting_partition``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING, Any

from storage.codec import dump_dt
from storage.engine import Engine

# Re-exported: the record and its partition are read as "the meetings' names" by most callers.
from storage.meeting import (  # noqa: F401
    CANCELLED,
    DEFAULT_LENGTH,
    ONGOING_GRACE,
    PLANNED,
    Meeting,
)
from storage.partitions import meeting_partition, team_partition  # noqa: F401

if TYPE_CHECKING:
    from storage.agenda_repo import AgendaRepo
    from storage.attendance_repo import AttendanceRepo

_DRAFTS = "meeting_drafts"


class MeetingNotFound(LookupError):
    """The meeting to change is not stored (any more)."""


def next_sequence(meeting: Meeting) -> dict[str, Any]:
    """``meeting.extra`` with the iCal SEQUENCE one past the one ``meeting`` carries.

    Call it on the meeting as stored (inside ``MeetingsRepo.change``): two changes at once then
    get two different sequence numbers, so calendars apply both."""
    return {**meeting.extra, "sequence": int(meeting.extra.get("sequence") or 0) + 1}


class MeetingsRepo:
    def __init__(self, engine: Engine, *, agenda: AgendaRepo, attendance: AttendanceRepo) -> None:
        self._engine = engine
        # A meeting's export carries its agenda and attendance; the Store hands over the repositories.
        self._agenda = agenda
        self._attendance = attendance
        # team key -> (snapshot version, every meeting parsed, earliest first). Every check-in
        # and decision asks for the current meeting; after ten years a network has ~100 of them.
        self._parsed: dict[str, tuple[int, tuple[Meeting, ...]]] = {}

    async def _all_parsed(self, team_key: str) -> tuple[Meeting, ...]:
        snap = await self._engine.read(team_partition(team_key))
        # A snapshot is immutable: its version names exactly the documents it holds.
        version = snap.version
        hit = self._parsed.get(team_key)
        if hit is not None and hit[0] == version:
            return hit[1]
        meetings = tuple(sorted((Meeting.from_doc(d) for d in snap.all("meetings")), key=lambda m: m.starts_at))
        self._parsed[team_key] = (version, meetings)
        return meetings

    async def new_id(self, team_key: str, starts_at: datetime) -> str:
        """A short, readable, stable id: the meeting's UTC date, suffixed if the day is taken.

        Only a proposal: ``save(..., new=True)`` picks the id again under the partition's lock."""
        return _free_id(starts_at, (await self._engine.read(team_partition(team_key))).all("meetings"))

    async def save(self, meeting: Meeting, *, draft: str | None = None, new: bool = False) -> Meeting | None:
        """Store a meeting and return it as stored. With ``draft``, also mark that confirmation
        question answered, in the same write, and store nothing (None) when it was answered
        already (a card clicked on one instance, the text answered on another). With ``new`` the
        meeting gets a free id under the lock (two meetings created at once on one day never
        share one)."""
        async with self._engine.write(team_partition(meeting.team_key)) as tx:
            if draft and tx.get(_DRAFTS, draft) is not None:
                return None
            if new:
                meeting = replace(meeting, id=_free_id(meeting.starts_at, tx.all("meetings")))
            tx.put("meetings", meeting.id, meeting.to_doc())
            if draft:
                tx.put(_DRAFTS, draft, {"token": draft, "outcome": "saved", "meeting_id": meeting.id})
        return meeting

    async def change(
        self, team_key: str, meeting_id: str, change: Callable[[Meeting], Meeting], *, draft: str | None = None
    ) -> tuple[Meeting, Meeting] | None:
        """Apply ``change`` to the meeting as stored, under the team partition's lock; returns
        (before, after). Nothing is written when ``change`` returns the meeting unchanged, or
        when it raises (a guard such as "not cancelled" is checked inside it, on the stored
        meeting). With ``draft``, also mark that confirmation question answered in the same
        write, and change nothing (None) when it was answered already. Raises MeetingNotFound."""
        async with self._engine.write(team_partition(team_key)) as tx:
            if draft and tx.get(_DRAFTS, draft) is not None:
                return None
            doc = tx.get("meetings", meeting_id)
            if doc is None:
                raise MeetingNotFound(meeting_id)
            before = Meeting.from_doc(doc)
            after = change(before)
            if after != before:
                tx.put("meetings", after.id, after.to_doc())
            if draft:
                tx.put(_DRAFTS, draft, {"token": draft, "outcome": "saved", "meeting_id": meeting_id})
        return before, after

    # A change that needed a "Spara ändå?" can be answered by text and by a card button; the
    # outcome is kept so whichever answer comes second does nothing.
    async def draft_outcome(self, team_key: str, token: str) -> str | None:
        """"saved", "aborted", or None while the question is open."""
        doc = (await self._engine.read(team_partition(team_key))).get(_DRAFTS, token)
        return doc["outcome"] if doc else None

    async def abort_draft(self, team_key: str, token: str) -> bool:
        """Mark the question answered "no"; False (nothing written) when it was answered already."""
        async with self._engine.write(team_partition(team_key)) as tx:
            if tx.get(_DRAFTS, token) is not None:
                return False
            tx.put(_DRAFTS, token, {"token": token, "outcome": "aborted", "meeting_id": None})
        return True

    async def on_date(self, team_key: str, day: date, tz: tzinfo, *, include_cancelled: bool = False) -> list[Meeting]:
        """Meetings starting on ``day`` as the calendar in ``tz`` shows it, earliest first."""
        meetings = await self.all(team_key, include_cancelled=include_cancelled)
        return [m for m in meetings if m.starts_at.astimezone(tz).date() == day]

    async def get(self, team_key: str, meeting_id: str) -> Meeting | None:
        doc = (await self._engine.read(team_partition(team_key))).get("meetings", meeting_id)
        return Meeting.from_doc(doc) if doc else None

    async def all(self, team_key: str, *, include_cancelled: bool = False) -> list[Meeting]:
        """Every meeting of the network, earliest first."""
        return [m for m in await self._all_parsed(team_key) if include_cancelled or not m.cancelled]

    async def upcoming(self, team_key: str, now: datetime) -> list[Meeting]:
        """Meetings that have not ended yet (ongoing ones included), earliest first."""
        return [m for m in await self.all(team_key) if m.effective_end + ONGOING_GRACE >= now]

    async def past(self, team_key: str, now: datetime) -> list[Meeting]:
        """Meetings that have ended, latest first."""
        return [m for m in reversed(await self.all(team_key)) if m.effective_end + ONGOING_GRACE < now]

    async def current(self, team_key: str, now: datetime) -> Meeting | None:
        """The ongoing meeting, else the next one: what "this meeting" means to people."""
        upcoming = await self.upcoming(team_key, now)
        return upcoming[0] if upcoming else None

    async def latest_started(self, team_key: str, now: datetime) -> Meeting | None:
        """The ongoing meeting, else the most recent one that has started."""
        started = [m for m in await self.all(team_key) if m.starts_at <= now]
        return started[-1] if started else None

    async def previous(self, team_key: str, meeting: Meeting) -> Meeting | None:
        earlier = [m for m in await self.all(team_key) if m.starts_at < meeting.starts_at]
        return earlier[-1] if earlier else None

    async def export(self, team_key: str) -> dict[str, list[dict[str, Any]]]:
        """``meetings``: every meeting (cancelled too) with its agenda, attendance answers and presence."""
        agenda, attendance = self._agenda, self._attendance
        rows = []
        for m in await self.all(team_key, include_cancelled=True):
            rows.append(
                {
                    "id": m.id,
                    "team_id": m.team_key,
                    "starts_at": dump_dt(m.starts_at),
                    "ends_at": dump_dt(m.ends_at),
                    "location": m.location,
                    "status": m.status,
                    "topics": list(m.topics),
                    "checkin_question": m.checkin_question,
                    "checkout_question": m.checkout_question,
                    "created_by": m.created_by,
                    "created_at": dump_dt(m.created_at),
                    "updated_at": dump_dt(m.updated_at),
                    "extra": m.extra,
                    "agenda": await agenda.export_meeting(m),
                    **await attendance.export_meeting(team_key, m.id),
                }
            )
        return {"meetings": rows}


def _free_id(starts_at: datetime, docs: list[dict[str, Any]]) -> str:
    base = starts_at.strftime("%Y%m%d")
    taken = {d["id"] for d in docs}
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"
