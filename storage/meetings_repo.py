"""Meetings of a network: when, where, what is planned, and whether they still happen.

The meeting documents live in the team partition (``team/<key>``, table ``meetings``) so
listing a network's calendar reads one small file; what accumulates per meeting (agenda,
attendance, check-ins, decisions, minutes) lives in the meeting's own partition
``team/<key>/meeting/<id>`` (see ``meeting_partition``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from storage.codec import dump_dt, load_dt
from storage.engine import Engine
from storage.teams_repo import name_part, team_partition

PLANNED = "planned"
CANCELLED = "cancelled"

# A meeting counts as "ongoing" from its start until this long after its end (or its start,
# when no end is known), so people can record things during and right after it.
ONGOING_GRACE = timedelta(hours=3)
DEFAULT_LENGTH = timedelta(hours=3)

_DRAFTS = "meeting_drafts"


def meeting_partition(team_key: str, meeting_id: str) -> str:
    # Both parts escaped (see name_part): no team key or meeting id can name another's partition.
    return f"{team_partition(team_key)}/meeting/{name_part(meeting_id)}"


@dataclass(frozen=True)
class Meeting:
    id: str
    team_key: str
    starts_at: datetime  # aware; stored as UTC
    ends_at: datetime | None = None
    location: str | None = None
    topics: tuple[str, ...] = ()
    status: str = PLANNED
    checkin_question: str | None = None
    checkout_question: str | None = None
    created_by: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    # Free-form extras later capabilities need (e.g. cancellation reason, previous start).
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def cancelled(self) -> bool:
        return self.status == CANCELLED

    @property
    def effective_end(self) -> datetime:
        return self.ends_at or self.starts_at + DEFAULT_LENGTH

    def is_ongoing(self, now: datetime) -> bool:
        return self.starts_at <= now <= self.effective_end + ONGOING_GRACE

    def to_doc(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "team_key": self.team_key,
            "starts_at": dump_dt(self.starts_at),
            "ends_at": dump_dt(self.ends_at),
            "location": self.location,
            "topics": list(self.topics),
            "status": self.status,
            "checkin_question": self.checkin_question,
            "checkout_question": self.checkout_question,
            "created_by": self.created_by,
            "created_at": dump_dt(self.created_at),
            "updated_at": dump_dt(self.updated_at),
            "extra": self.extra,
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Meeting:
        return cls(
            id=doc["id"],
            team_key=doc["team_key"],
            starts_at=load_dt(doc["starts_at"]),  # type: ignore[arg-type]
            ends_at=load_dt(doc.get("ends_at")),
            location=doc.get("location"),
            topics=tuple(doc.get("topics") or ()),
            status=doc.get("status", PLANNED),
            checkin_question=doc.get("checkin_question"),
            checkout_question=doc.get("checkout_question"),
            created_by=doc.get("created_by"),
            created_at=load_dt(doc.get("created_at")),
            updated_at=load_dt(doc.get("updated_at")),
            extra=doc.get("extra") or {},
        )


class MeetingsRepo:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        # team key -> (partition version, every meeting parsed, earliest first). Every check-in
        # and decision asks for the current meeting; after ten years a network has ~100 of them.
        self._parsed: dict[str, tuple[int, tuple[Meeting, ...]]] = {}

    def _all_parsed(self, team_key: str) -> tuple[Meeting, ...]:
        part = self._engine.partition(team_partition(team_key))
        # Read the version before the documents: a commit in between only causes a miss later.
        version = getattr(part, "version", None)
        hit = self._parsed.get(team_key)
        if hit is not None and version is not None and hit[0] == version:
            return hit[1]
        meetings = tuple(sorted((Meeting.from_doc(d) for d in part.all("meetings")), key=lambda m: m.starts_at))
        if version is not None:
            self._parsed[team_key] = (version, meetings)
        return meetings

    def new_id(self, team_key: str, starts_at: datetime) -> str:
        """A short, readable, stable id: the meeting's UTC date, suffixed if the day is taken."""
        base = starts_at.strftime("%Y%m%d")
        taken = {d["id"] for d in self._engine.partition(team_partition(team_key)).all("meetings")}
        if base not in taken:
            return base
        n = 2
        while f"{base}-{n}" in taken:
            n += 1
        return f"{base}-{n}"

    def save(self, meeting: Meeting, *, draft: str | None = None) -> None:
        """Store a meeting; with ``draft``, also mark that confirmation question answered (same write)."""
        with self._engine.partition(team_partition(meeting.team_key)).write() as tx:
            tx.put("meetings", meeting.id, meeting.to_doc())
            if draft:
                tx.put(_DRAFTS, draft, {"token": draft, "outcome": "saved", "meeting_id": meeting.id})

    # A change that needed a "Spara ändå?" can be answered by text and by a card button; the
    # outcome is kept so whichever answer comes second does nothing.
    def draft_outcome(self, team_key: str, token: str) -> str | None:
        """"saved", "aborted", or None while the question is open."""
        doc = self._engine.partition(team_partition(team_key)).get(_DRAFTS, token)
        return doc["outcome"] if doc else None

    def abort_draft(self, team_key: str, token: str) -> None:
        with self._engine.partition(team_partition(team_key)).write() as tx:
            tx.put(_DRAFTS, token, {"token": token, "outcome": "aborted", "meeting_id": None})

    def on_date(self, team_key: str, day: date, tz: tzinfo, *, include_cancelled: bool = False) -> list[Meeting]:
        """Meetings starting on ``day`` as the calendar in ``tz`` shows it, earliest first."""
        return [m for m in self.all(team_key, include_cancelled=include_cancelled) if m.starts_at.astimezone(tz).date() == day]

    def get(self, team_key: str, meeting_id: str) -> Meeting | None:
        doc = self._engine.partition(team_partition(team_key)).get("meetings", meeting_id)
        return Meeting.from_doc(doc) if doc else None

    def all(self, team_key: str, *, include_cancelled: bool = False) -> list[Meeting]:
        """Every meeting of the network, earliest first."""
        return [m for m in self._all_parsed(team_key) if include_cancelled or not m.cancelled]

    def upcoming(self, team_key: str, now: datetime) -> list[Meeting]:
        """Meetings that have not ended yet (ongoing ones included), earliest first."""
        return [m for m in self.all(team_key) if m.effective_end + ONGOING_GRACE >= now]

    def past(self, team_key: str, now: datetime) -> list[Meeting]:
        """Meetings that have ended, latest first."""
        return [m for m in reversed(self.all(team_key)) if m.effective_end + ONGOING_GRACE < now]

    def current(self, team_key: str, now: datetime) -> Meeting | None:
        """The ongoing meeting, else the next one: what "this meeting" means to people."""
        upcoming = self.upcoming(team_key, now)
        return upcoming[0] if upcoming else None

    def latest_started(self, team_key: str, now: datetime) -> Meeting | None:
        """The ongoing meeting, else the most recent one that has started."""
        started = [m for m in self.all(team_key) if m.starts_at <= now]
        return started[-1] if started else None

    def previous(self, team_key: str, meeting: Meeting) -> Meeting | None:
        earlier = [m for m in self.all(team_key) if m.starts_at < meeting.starts_at]
        return earlier[-1] if earlier else None

    def export(self, team_key: str) -> dict[str, list[dict[str, Any]]]:
        """``meetings``: every meeting (cancelled too) with its agenda, attendance answers and presence."""
        from storage.agenda_repo import AgendaRepo
        from storage.attendance_repo import AttendanceRepo

        agenda, attendance = AgendaRepo(self._engine), AttendanceRepo(self._engine)
        rows = []
        for m in self.all(team_key, include_cancelled=True):
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
                    "agenda": agenda.export_meeting(m),
                    **attendance.export_meeting(team_key, m.id),
                }
            )
        return {"meetings": rows}
