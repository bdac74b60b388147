"""Decisions (beslut) taken at meetings, with their corrections kept.

A decision lives in its meeting's partition (``team/<key>/meeting/<id>``, table ``decisions``).
People refer to decisions by a short number per network (``ändra beslut 7``), so the team
partition holds the counter and an index number -> meeting (table ``decision_index``). The
number is taken (counter and index in one write) before the decision is written; if that second
write fails the number is simply never used, which is harmless: numbers are never reused. The
next number is above the counter, every index entry and every decision in the meeting written to.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from storage.codec import dump_dt, load_dt
from storage.engine import Engine
from storage.partitions import meeting_partition, team_partition

_TABLE = "decisions"
_INDEX = "decision_index"
_COUNTERS = "counters"
_APPLIED = "decisions_applied"  # corrections made, by the id of the message that asked


@dataclass(frozen=True)
class DecisionVersion:
    """An earlier wording of a decision, and who recorded it when."""

    text: str
    recorded_by: str
    recorded_at: datetime
    recorded_by_name: str = ""

    def to_doc(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "recorded_by": self.recorded_by,
            "recorded_at": dump_dt(self.recorded_at),
            "recorded_by_name": self.recorded_by_name,
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> DecisionVersion:
        return cls(
            text=doc["text"],
            recorded_by=doc.get("recorded_by") or "",
            recorded_at=load_dt(doc["recorded_at"]),  # type: ignore[arg-type]
            recorded_by_name=doc.get("recorded_by_name") or "",
        )


@dataclass(frozen=True)
class Decision:
    id: str
    team_key: str
    meeting_id: str
    number: int
    text: str  # the current wording
    recorded_by: str  # who recorded the current wording (member key)
    recorded_at: datetime
    recorded_by_name: str = ""
    agenda_item: int | None = None  # the agenda item's number ("punkt 3"), when tied to one
    conversation_id: str | None = None
    activity_id: str | None = None
    created_by: str = ""  # who first recorded the decision
    created_at: datetime | None = None
    history: tuple[DecisionVersion, ...] = ()  # earlier wordings, oldest first
    # Where an imported decision was read: {"file": name, "paragraph": n} (None: recorded in Teams).
    source: dict[str, Any] | None = None

    @property
    def corrected(self) -> bool:
        return bool(self.history)

    def to_doc(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "team_key": self.team_key,
            "meeting_id": self.meeting_id,
            "number": self.number,
            "text": self.text,
            "recorded_by": self.recorded_by,
            "recorded_at": dump_dt(self.recorded_at),
            "recorded_by_name": self.recorded_by_name,
            "agenda_item": self.agenda_item,
            "conversation_id": self.conversation_id,
            "activity_id": self.activity_id,
            "created_by": self.created_by,
            "created_at": dump_dt(self.created_at),
            "history": [v.to_doc() for v in self.history],
            "source": self.source,
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Decision:
        return cls(
            id=doc["id"],
            team_key=doc["team_key"],
            meeting_id=doc["meeting_id"],
            number=int(doc["number"]),
            text=doc["text"],
            recorded_by=doc.get("recorded_by") or "",
            recorded_at=load_dt(doc["recorded_at"]),  # type: ignore[arg-type]
            recorded_by_name=doc.get("recorded_by_name") or "",
            agenda_item=doc.get("agenda_item"),
            conversation_id=doc.get("conversation_id"),
            activity_id=doc.get("activity_id"),
            created_by=doc.get("created_by") or "",
            created_at=load_dt(doc.get("created_at")),
            history=tuple(DecisionVersion.from_doc(v) for v in doc.get("history") or ()),
            source=doc.get("source"),
        )


class DecisionsRepo:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    async def record(
        self,
        team_key: str,
        meeting_id: str,
        *,
        text: str,
        recorded_by: str,
        at: datetime,
        recorded_by_name: str = "",
        agenda_item: int | None = None,
        conversation_id: str | None = None,
        activity_id: str | None = None,
        source: dict[str, Any] | None = None,
    ) -> Decision:
        """Store a new decision for a meeting with the network's next decision number."""
        if not text.strip():
            raise ValueError("a decision needs a text")
        meeting_name = meeting_partition(team_key, meeting_id)
        if activity_id:
            # The common re-delivery is answered from a snapshot without taking a number; the
            # meeting's write block below checks again for one recorded by another instance since.
            existing = _recorded(await self._engine.read(meeting_name), activity_id, recorded_by)
            if existing is not None:
                return existing
        # Two writes, in this order: the TEAM partition's lock guards the numbering (counter and
        # index are read and advanced inside its block), then the decision goes to the meeting's
        # partition. The locks are never held together, so no instance can wait on another in a cycle.
        async with self._engine.write(team_partition(team_key)) as tx:
            counter = tx.get(_COUNTERS, _TABLE) or {"next": 1}
            # The meeting's own decisions count too: a team file restored from a backup taken
            # mid-write (before snapshots) may not know the newest of them.
            meeting_docs = (await self._engine.read(meeting_name)).all(_TABLE)
            highest = max((int(d["number"]) for d in (*tx.all(_INDEX), *meeting_docs)), default=0)
            number = max(int(counter["next"]), highest + 1)
            tx.put(_COUNTERS, _TABLE, {"next": number + 1})
            tx.put(_INDEX, str(number), {"number": number, "meeting_id": meeting_id})
        decision = Decision(
            id=uuid.uuid4().hex[:12],
            team_key=team_key,
            meeting_id=meeting_id,
            number=number,
            text=text.strip(),
            recorded_by=recorded_by,
            recorded_at=at,
            recorded_by_name=recorded_by_name,
            agenda_item=agenda_item,
            conversation_id=conversation_id,
            activity_id=activity_id,
            created_by=recorded_by,
            created_at=at,
            source=source,
        )
        async with self._engine.write(meeting_name) as mtx:
            if activity_id:
                # Recorded by another instance after the snapshot above: keep that one; the number
                # just taken is never used, which is harmless (numbers are never reused).
                existing = _recorded(mtx, activity_id, recorded_by)
                if existing is not None:
                    return existing
            mtx.put(_TABLE, decision.id, decision.to_doc())
        return decision

    async def get(self, team_key: str, number: int) -> Decision | None:
        """The decision with this number, wherever its meeting is."""
        entry = (await self._engine.read(team_partition(team_key))).get(_INDEX, str(number))
        if entry is None:
            return None
        for decision in await self.for_meeting(team_key, entry["meeting_id"]):
            if decision.number == number:
                return decision
        return None

    async def for_meeting(self, team_key: str, meeting_id: str) -> list[Decision]:
        """One meeting's decisions in the order they were taken (the minutes use this)."""
        docs = (await self._engine.read(meeting_partition(team_key, meeting_id))).all(_TABLE)
        return sorted((Decision.from_doc(d) for d in docs), key=lambda d: d.number)

    async def all(self, team_key: str) -> list[Decision]:
        """Every decision of the network, newest first."""
        found: list[Decision] = []
        for name in await self._engine.partition_names(meeting_partition(team_key, "")):
            found.extend(Decision.from_doc(d) for d in (await self._engine.read(name)).all(_TABLE))
        return sorted(found, key=lambda d: d.number, reverse=True)

    async def correct(
        self,
        decision: Decision,
        *,
        text: str,
        by: str,
        at: datetime,
        by_name: str = "",
        agenda_item: int | None = None,
        activity_id: str | None = None,
    ) -> Decision:
        """Replace the wording, keeping the earlier wording (and who wrote it) in ``history``; with
        ``activity_id``, also that this message made the change (same write, see ``corrected_by``)."""
        if not text.strip():
            raise ValueError("a decision needs a text")
        async with self._engine.write(meeting_partition(decision.team_key, decision.meeting_id)) as tx:
            # Read inside the write block: a correction builds on the wording stored now (another
            # instance may have corrected it since the caller read it), and one message corrects once.
            stored = tx.get(_TABLE, decision.id)
            current = Decision.from_doc(stored) if stored else decision
            if activity_id and tx.get(_APPLIED, activity_id) is not None:
                return current
            earlier = DecisionVersion(current.text, current.recorded_by, current.recorded_at, current.recorded_by_name)
            changed = replace(
                current,
                text=text.strip(),
                recorded_by=by,
                recorded_at=at,
                recorded_by_name=by_name,
                agenda_item=agenda_item if agenda_item is not None else current.agenda_item,
                history=(*current.history, earlier),
            )
            tx.put(_TABLE, changed.id, changed.to_doc())
            if activity_id:
                tx.put(_APPLIED, activity_id, {"activity_id": activity_id, "decision_id": changed.id, "at": dump_dt(at)})
        return changed

    async def corrected_by(self, decision: Decision, activity_id: str | None) -> bool:
        """True when the message ``activity_id`` corrected this decision's meeting's decisions already
        (a correction delivered again after a restart is not made twice)."""
        if not activity_id:
            return False
        snap = await self._engine.read(meeting_partition(decision.team_key, decision.meeting_id))
        return snap.get(_APPLIED, activity_id) is not None

    async def export(self, team_key: str) -> dict[str, list[dict[str, Any]]]:
        """``decisions``: id, meeting_id, text, agenda_item, recorded_by, recorded_at, history (+ number)."""
        rows = []
        for decision in sorted(await self.all(team_key), key=lambda d: d.number):
            rows.append(
                {
                    "id": decision.id,
                    "number": decision.number,
                    "meeting_id": decision.meeting_id,
                    "text": decision.text,
                    "agenda_item": decision.agenda_item,
                    "recorded_by": decision.recorded_by,
                    "recorded_at": dump_dt(decision.recorded_at),
                    "history": [v.to_doc() for v in decision.history],
                    **({"source": decision.source} if decision.source else {}),
                }
            )
        return {"decisions": rows}


def _recorded(view: Any, activity_id: str, recorded_by: str) -> Decision | None:
    """The decision the message ``activity_id`` recorded already in the meeting ``view`` holds."""
    for doc in view.all(_TABLE):
        if doc.get("activity_id") == activity_id and doc.get("created_by") == recorded_by:
            return Decision.from_doc(doc)
    return None
