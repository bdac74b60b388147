"""A meeting record and the partition that holds what accumulates per meeting.

Its own module so every repository that stores per-meeting data (agenda, attendance, check-ins,
decisions, minutes) can import it without importing the meetings repository, which in turn
exports the agenda and attendance (no import cycle between repositories).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from storage.codec import dump_dt, load_dt
from storage.partitions import meeting_partition  # noqa: F401 (re-exported)

PLANNED = "planned"
CANCELLED = "cancelled"

# A meeting counts as "ongoing" from its start until this long after its end (or its start,
# when no end is known), so people can record things during and right after it.
ONGOING_GRACE = timedelta(hours=3)
DEFAULT_LENGTH = timedelta(hours=3)


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
