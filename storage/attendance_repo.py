"""Who says they are coming to a meeting, and who was actually there.

Both live in the meeting's partition (``team/<key>/meeting/<id>``):

- table ``attendance``: one answer per member (key = member key): "yes", "no" or "substitute"
  (someone else from the member's municipality comes instead). Answering again replaces the
  answer and keeps when the first one was given.
- table ``present``: the people the secretary recorded as present, members (key = member key)
  and guests who are not in the register (key = ``guest:<name>``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from storage.codec import dump_dt, load_dt
from storage.engine import Engine
from storage.partitions import meeting_partition

YES = "yes"
NO = "no"
SUBSTITUTE = "substitute"
ANSWERS = (YES, NO, SUBSTITUTE)

_ANSWERS = "attendance"
_PRESENT = "present"


@dataclass(frozen=True)
class AttendanceAnswer:
    """One member's answer to "are you coming?" for one meeting."""

    team_key: str
    meeting_id: str
    member_key: str
    member_name: str
    answer: str  # YES | NO | SUBSTITUTE
    answered_at: datetime
    municipality: str | None = None  # the member's municipality when they answered
    substitute: str | None = None  # who comes instead (SUBSTITUTE only)
    substitute_key: str | None = None  # the substitute's member key, if they are in the register
    note: str | None = None
    activity_id: str | None = None
    first_answered_at: datetime | None = None

    @property
    def coming(self) -> bool:
        """True when the member's municipality will be there (in person or by a substitute)."""
        return self.answer in (YES, SUBSTITUTE)

    def to_doc(self) -> dict[str, Any]:
        return {
            "team_key": self.team_key,
            "meeting_id": self.meeting_id,
            "member_key": self.member_key,
            "member_name": self.member_name,
            "answer": self.answer,
            "answered_at": dump_dt(self.answered_at),
            "municipality": self.municipality,
            "substitute": self.substitute,
            "substitute_key": self.substitute_key,
            "note": self.note,
            "activity_id": self.activity_id,
            "first_answered_at": dump_dt(self.first_answered_at),
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> AttendanceAnswer:
        return cls(
            team_key=doc["team_key"],
            meeting_id=doc["meeting_id"],
            member_key=doc["member_key"],
            member_name=doc.get("member_name") or "",
            answer=doc["answer"],
            answered_at=load_dt(doc["answered_at"]),  # type: ignore[arg-type]
            municipality=doc.get("municipality"),
            substitute=doc.get("substitute"),
            substitute_key=doc.get("substitute_key"),
            note=doc.get("note"),
            activity_id=doc.get("activity_id"),
            first_answered_at=load_dt(doc.get("first_answered_at")),
        )


@dataclass(frozen=True)
class Presence:
    """A person recorded as present at a meeting: a member (``member_key``) or a guest (None)."""

    name: str
    recorded_by: str
    recorded_at: datetime
    member_key: str | None = None
    municipality: str | None = None
    # Where an imported presence was read: {"file": name, "paragraph": n} (None: recorded in Teams).
    source: dict[str, Any] | None = None

    @property
    def key(self) -> str:
        return self.member_key or guest_key(self.name)

    def to_doc(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "member_key": self.member_key,
            "name": self.name,
            "municipality": self.municipality,
            "recorded_by": self.recorded_by,
            "recorded_at": dump_dt(self.recorded_at),
            "source": self.source,
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Presence:
        return cls(
            name=doc["name"],
            recorded_by=doc.get("recorded_by") or "",
            recorded_at=load_dt(doc["recorded_at"]),  # type: ignore[arg-type]
            member_key=doc.get("member_key"),
            municipality=doc.get("municipality"),
            source=doc.get("source"),
        )


def guest_key(name: str) -> str:
    return "guest:" + " ".join(name.casefold().split())


class AttendanceRepo:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    # Answers -------------------------------------------------------------------------------
    async def answer(self, answer: AttendanceAnswer) -> AttendanceAnswer:
        """Store (or replace) a member's answer; returns it as stored."""
        if answer.answer not in ANSWERS:
            raise ValueError(f"unknown attendance answer {answer.answer!r}")
        async with self._engine.write(meeting_partition(answer.team_key, answer.meeting_id)) as tx:
            # The earlier answer is read inside the write block, so when it was first given is kept
            # even if another instance stored an answer of the same member just before.
            doc = tx.get(_ANSWERS, answer.member_key)
            if doc is not None:
                earlier = AttendanceAnswer.from_doc(doc)
                answer = replace(answer, first_answered_at=earlier.first_answered_at or earlier.answered_at)
            tx.put(_ANSWERS, answer.member_key, answer.to_doc())
        return answer

    async def answer_of(self, team_key: str, meeting_id: str, member_key: str) -> AttendanceAnswer | None:
        doc = (await self._engine.read(meeting_partition(team_key, meeting_id))).get(_ANSWERS, member_key)
        return AttendanceAnswer.from_doc(doc) if doc else None

    async def answers(self, team_key: str, meeting_id: str) -> list[AttendanceAnswer]:
        """Every answer to one meeting, by name."""
        docs = (await self._engine.read(meeting_partition(team_key, meeting_id))).all(_ANSWERS)
        return sorted((AttendanceAnswer.from_doc(d) for d in docs), key=lambda a: a.member_name.casefold())

    # Presence ------------------------------------------------------------------------------
    async def present(self, team_key: str, meeting_id: str) -> list[Presence]:
        """Who the secretary recorded as present, by name."""
        docs = (await self._engine.read(meeting_partition(team_key, meeting_id))).all(_PRESENT)
        return sorted((Presence.from_doc(d) for d in docs), key=lambda p: p.name.casefold())

    async def update_present(
        self, team_key: str, meeting_id: str, *, add: Sequence[Presence] = (), remove: Sequence[str] = ()
    ) -> list[Presence]:
        """Add people (by ``Presence.key``) and remove keys in one write; returns the new list."""
        async with self._engine.write(meeting_partition(team_key, meeting_id)) as tx:
            for key in remove:
                tx.delete(_PRESENT, key)
            for person in add:
                tx.put(_PRESENT, person.key, person.to_doc())
            # The list as this write leaves it (read inside the block: what it committed over).
            docs = tx.all(_PRESENT)
        return sorted((Presence.from_doc(d) for d in docs), key=lambda p: p.name.casefold())

    # Export ----------------------------------------------------------------------------------
    async def export_meeting(self, team_key: str, meeting_id: str) -> dict[str, list[dict[str, Any]]]:
        """``attendance`` and ``present`` rows of one meeting for the JSON export."""
        answers = [
            {
                "member_id": a.member_key,
                "name": a.member_name,
                "municipality": a.municipality,
                "answer": a.answer,
                "substitute": a.substitute,
                "substitute_id": a.substitute_key,
                "note": a.note,
                "answered_at": dump_dt(a.answered_at),
                "first_answered_at": dump_dt(a.first_answered_at),
            }
            for a in await self.answers(team_key, meeting_id)
        ]
        present = [
            {
                "member_id": p.member_key,
                "name": p.name,
                "municipality": p.municipality,
                "recorded_by": p.recorded_by,
                "recorded_at": dump_dt(p.recorded_at),
                **({"source": p.source} if p.source else {}),
            }
            for p in await self.present(team_key, meeting_id)
        ]
        return {"attendance": answers, "present": present}
