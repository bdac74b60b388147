"""The items people put on a meeting's agenda, in the order the presidium chose.

Items live in the meeting's partition (``team/<key>/meeting/<id>``), table ``agenda``, with
``position`` giving the order. The network's standing items (Incheckning, Laget runt, Övriga
frågor, Utcheckning) and the follow-up of action items are not stored: they are added when the
agenda is shown (bot/rules/agenda.py), so they are always there and always current.

A meeting's planned topics (``Meeting.topics``, given when it was created) are its first items.
They are read from the meeting until the agenda is first changed; that first change stores them
as items in the same write, so the meeting document is the one record made at creation.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from storage.codec import dump_dt, load_dt
from storage.engine import Engine
from storage.meeting import Meeting
from storage.partitions import meeting_partition

PLANNED = "planned"  # one of the topics given when the meeting was created
PROPOSED = "proposed"  # proposed later with `punkt <text>`

_TABLE = "agenda"
_META = "agenda_meta"
_META_KEY = "meta"
# Changes already made, by the id of the message that asked for them: a message delivered again
# (Teams retries, and the duplicate filter forgets on restart) must not move or remove a second item.
_APPLIED = "agenda_applied"


@dataclass(frozen=True)
class AgendaItem:
    id: str
    team_key: str
    meeting_id: str
    title: str
    position: int
    source: str = PROPOSED
    proposed_by: str | None = None  # member key
    proposed_by_name: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None
    updated_by: str | None = None
    activity_id: str | None = None

    def to_doc(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "team_key": self.team_key,
            "meeting_id": self.meeting_id,
            "title": self.title,
            "position": self.position,
            "source": self.source,
            "proposed_by": self.proposed_by,
            "proposed_by_name": self.proposed_by_name,
            "created_at": dump_dt(self.created_at),
            "updated_at": dump_dt(self.updated_at),
            "updated_by": self.updated_by,
            "activity_id": self.activity_id,
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> AgendaItem:
        return cls(
            id=doc["id"],
            team_key=doc["team_key"],
            meeting_id=doc["meeting_id"],
            title=doc["title"],
            position=int(doc.get("position") or 0),
            source=doc.get("source") or PROPOSED,
            proposed_by=doc.get("proposed_by"),
            proposed_by_name=doc.get("proposed_by_name") or "",
            created_at=load_dt(doc.get("created_at")),
            updated_at=load_dt(doc.get("updated_at")),
            updated_by=doc.get("updated_by"),
            activity_id=doc.get("activity_id"),
        )


class AgendaRepo:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def _name(self, meeting: Meeting) -> str:
        return meeting_partition(meeting.team_key, meeting.id)

    async def items(self, meeting: Meeting) -> list[AgendaItem]:
        """The meeting's own agenda items, in order (standing items not included)."""
        return _items(await self._engine.read(self._name(meeting)), meeting)

    async def get(self, meeting: Meeting, item_id: str) -> AgendaItem | None:
        return next((i for i in await self.items(meeting) if i.id == item_id), None)

    async def add(
        self,
        meeting: Meeting,
        title: str,
        *,
        by: str | None,
        by_name: str,
        at: datetime,
        activity_id: str | None = None,
    ) -> AgendaItem:
        """Put a new item last on the agenda; the same activity delivered twice adds it once."""
        if not title.strip():
            raise ValueError("an agenda item needs a title")
        async with self._engine.write(self._name(meeting)) as tx:
            # Order, numbering and "added already?" are read inside the write block (the meeting
            # partition locked across processes), so two items added at once get distinct places.
            current = _items(tx, meeting)
            if activity_id:
                for item in current:
                    if item.activity_id == activity_id:
                        return item
                earlier = tx.get(_APPLIED, activity_id)
                if earlier is not None and isinstance(earlier.get("item_id"), str):
                    # Added, and removed since: not again (the caller finds it is not on the agenda).
                    return AgendaItem(id=earlier["item_id"], team_key=meeting.team_key, meeting_id=meeting.id, title=title.strip(), position=-1)
            meta = tx.get(_META, _META_KEY) or {"seeded": True, "next": 1}
            number = int(meta.get("next") or 1)
            item = AgendaItem(
                id=f"p{number}",
                team_key=meeting.team_key,
                meeting_id=meeting.id,
                title=title.strip(),
                position=max((i.position for i in current), default=-1) + 1,
                source=PROPOSED,
                proposed_by=by,
                proposed_by_name=by_name,
                created_at=at,
                activity_id=activity_id,
            )
            _seed(tx, current)
            tx.put(_TABLE, item.id, item.to_doc())
            tx.put(_META, _META_KEY, {**meta, "seeded": True, "next": number + 1})
            if activity_id:
                tx.put(_APPLIED, activity_id, {"activity_id": activity_id, "outcome": {}, "item_id": item.id, "at": dump_dt(at)})
        return item

    async def applied(self, meeting: Meeting, activity_id: str | None) -> dict[str, Any] | None:
        """What the change asked for by ``activity_id`` left to say, if it was made already."""
        return _applied(await self._engine.read(self._name(meeting)), activity_id)

    def _mark(self, tx: Any, activity_id: str | None, outcome: dict[str, Any] | None, at: datetime | None) -> None:
        if activity_id:
            tx.put(_APPLIED, activity_id, {"activity_id": activity_id, "outcome": outcome or {}, "at": dump_dt(at)})

    async def edit(
        self,
        meeting: Meeting,
        item_id: str,
        title: str,
        *,
        by: str,
        at: datetime,
        activity_id: str | None = None,
        outcome: dict[str, Any] | None = None,
    ) -> AgendaItem | None:
        """Change an item's wording; None if there is no such item. With ``activity_id`` the change
        is made once: ``outcome`` is kept with it for ``applied`` (in the same write)."""
        async with self._engine.write(self._name(meeting)) as tx:
            current = _items(tx, meeting)
            item = next((i for i in current if i.id == item_id), None)
            if item is None or _applied(tx, activity_id) is not None:
                return None
            changed = replace(item, title=title.strip(), updated_at=at, updated_by=by)
            _seed(tx, current)
            tx.put(_TABLE, changed.id, changed.to_doc())
            self._mark(tx, activity_id, outcome, at)
        return changed

    async def move(
        self,
        meeting: Meeting,
        item_id: str,
        index: int,
        *,
        activity_id: str | None = None,
        outcome: dict[str, Any] | None = None,
        at: datetime | None = None,
    ) -> list[AgendaItem]:
        """Move an item to ``index`` (0-based, clamped) among the meeting's items; returns the new order.
        With ``activity_id`` the move is made once (see ``edit``)."""
        async with self._engine.write(self._name(meeting)) as tx:
            current = _items(tx, meeting)
            item = next((i for i in current if i.id == item_id), None)
            if item is None or _applied(tx, activity_id) is not None:
                return current
            rest = [i for i in current if i.id != item_id]
            index = max(0, min(index, len(rest)))
            ordered = [*rest[:index], item, *rest[index:]]
            renumbered = [replace(i, position=n) for n, i in enumerate(ordered)]
            _seed(tx, current)
            for i in renumbered:
                tx.put(_TABLE, i.id, i.to_doc())
            self._mark(tx, activity_id, outcome, at)
        return renumbered

    async def remove(
        self,
        meeting: Meeting,
        item_id: str,
        *,
        activity_id: str | None = None,
        outcome: dict[str, Any] | None = None,
        at: datetime | None = None,
    ) -> AgendaItem | None:
        """Take an item off the agenda; returns it, or None if there was none. With ``activity_id``
        the removal is made once (see ``edit``)."""
        async with self._engine.write(self._name(meeting)) as tx:
            current = _items(tx, meeting)
            item = next((i for i in current if i.id == item_id), None)
            if item is None or _applied(tx, activity_id) is not None:
                return None
            _seed(tx, current)
            tx.delete(_TABLE, item_id)
            self._mark(tx, activity_id, outcome, at)
        return item

    async def export_meeting(self, meeting: Meeting) -> list[dict[str, Any]]:
        """The meeting's agenda items for the JSON export, in order."""
        return [
            {
                "id": i.id,
                "position": i.position,
                "title": i.title,
                "source": i.source,
                "proposed_by": i.proposed_by,
                "proposed_by_name": i.proposed_by_name,
                "created_at": dump_dt(i.created_at),
                "updated_at": dump_dt(i.updated_at),
            }
            for i in await self.items(meeting)
        ]


def _items(view: Any, meeting: Meeting) -> list[AgendaItem]:
    """The meeting's own items as ``view`` (a snapshot, or a write block) holds them, in order."""
    if view.get(_META, _META_KEY) is None:
        return _planned(meeting)
    return sorted((AgendaItem.from_doc(d) for d in view.all(_TABLE)), key=lambda i: (i.position, i.id))


def _applied(view: Any, activity_id: str | None) -> dict[str, Any] | None:
    if not activity_id:
        return None
    doc = view.get(_APPLIED, activity_id)
    return dict(doc.get("outcome") or {}) if doc is not None else None


def _seed(tx: Any, current: list[AgendaItem]) -> None:
    """Store the planned topics as items before the first change (same transaction)."""
    if tx.get(_META, _META_KEY) is not None:
        return
    for item in current:
        tx.put(_TABLE, item.id, item.to_doc())
    tx.put(_META, _META_KEY, {"seeded": True, "next": 1})


def _planned(meeting: Meeting) -> list[AgendaItem]:
    return [
        AgendaItem(
            id=f"t{n + 1}",
            team_key=meeting.team_key,
            meeting_id=meeting.id,
            title=topic,
            position=n,
            source=PLANNED,
            proposed_by=meeting.created_by,
            created_at=meeting.created_at,
        )
        for n, topic in enumerate(meeting.topics)
    ]
