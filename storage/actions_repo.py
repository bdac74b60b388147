"""Action items (uppdrag / att göra): what is to be done, by whom, by when, and whether it is done.

Items span meetings, so they live in the team partition (``team/<key>``, table ``action_items``).
Each gets a short number per network (1, 2, 3 …) that is never reused: the counter
(table ``counters``, key ``action_items``) is read and advanced in the same transaction as the
insert, inside one write block (the partition locked across processes), so two people adding
items at once get different numbers.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from storage.codec import dump_dt, load_dt
from storage.engine import Engine
from storage.meeting import Meeting
from storage.partitions import team_partition

OPEN = "open"
DONE = "done"
PROPOSED = "proposed"  # read from imported minutes: nobody has taken it up, so nothing reminds of it

# Owner kinds
MEMBER = "member"  # a person in the register (key = member key)
ALL = "all"  # every member: "var och en i nätverket"
MUNICIPALITY = "municipality"  # everyone from one municipality (key = municipality name)
EXTERNAL = "external"  # a person outside the network, by name only

_TABLE = "action_items"
_COUNTERS = "counters"
# Changes already made, by the id of the message that asked (`klar 4` delivered again after a
# restart must not close item 4 again after someone reopened it).
_APPLIED = "action_items_applied"


@dataclass(frozen=True)
class Owner:
    """Who an action item is for. ``key`` is the member key or municipality name (None for all/external)."""

    kind: str
    name: str
    key: str | None = None

    def to_doc(self) -> dict[str, Any]:
        return {"kind": self.kind, "name": self.name, "key": self.key}

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Owner:
        return cls(kind=doc["kind"], name=doc.get("name") or "", key=doc.get("key"))


@dataclass(frozen=True)
class ActionItem:
    id: str
    team_key: str
    number: int
    title: str
    owners: tuple[Owner, ...]
    created_by: str  # member key
    created_at: datetime
    meeting_id: str | None = None  # the meeting it came from
    due: date | None = None
    due_next_meeting: bool = False  # "till nästa möte": ``due`` is that meeting's date when known
    status: str = OPEN
    created_by_name: str = ""
    conversation_id: str | None = None
    activity_id: str | None = None
    done_at: datetime | None = None
    done_by: str | None = None
    updated_at: datetime | None = None
    updated_by: str | None = None
    history: tuple[dict[str, Any], ...] = field(default=())  # earlier titles/owners/dues, oldest first
    # Where an imported item was read: {"file": name, "paragraph": n} (None: recorded in Teams).
    source: dict[str, Any] | None = None

    @property
    def is_open(self) -> bool:
        return self.status == OPEN

    def is_overdue(self, today: date) -> bool:
        return self.is_open and self.due is not None and self.due < today

    def is_owned_by(self, member_key: str, municipality: str | None = None) -> bool:
        """True if the person is an owner: named, part of "alla", or from an owning municipality
        (``municipality`` may name several, joined with ", ", as the register keeps them)."""
        theirs = {part.strip().casefold() for part in (municipality or "").split(",") if part.strip()}
        for owner in self.owners:
            if owner.kind == ALL:
                return True
            if owner.kind == MEMBER and owner.key == member_key:
                return True
            if owner.kind == MUNICIPALITY and (owner.key or "").casefold() in theirs:
                return True
        return False

    def to_doc(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "team_key": self.team_key,
            "number": self.number,
            "title": self.title,
            "owners": [o.to_doc() for o in self.owners],
            "created_by": self.created_by,
            "created_at": dump_dt(self.created_at),
            "meeting_id": self.meeting_id,
            "due": self.due.isoformat() if self.due else None,
            "due_next_meeting": self.due_next_meeting,
            "status": self.status,
            "created_by_name": self.created_by_name,
            "conversation_id": self.conversation_id,
            "activity_id": self.activity_id,
            "done_at": dump_dt(self.done_at),
            "done_by": self.done_by,
            "updated_at": dump_dt(self.updated_at),
            "updated_by": self.updated_by,
            "history": list(self.history),
            "source": self.source,
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> ActionItem:
        return cls(
            id=doc["id"],
            team_key=doc["team_key"],
            number=int(doc["number"]),
            title=doc["title"],
            owners=tuple(Owner.from_doc(o) for o in doc.get("owners") or ()),
            created_by=doc.get("created_by") or "",
            created_at=load_dt(doc["created_at"]),  # type: ignore[arg-type]
            meeting_id=doc.get("meeting_id"),
            due=date.fromisoformat(doc["due"]) if doc.get("due") else None,
            due_next_meeting=bool(doc.get("due_next_meeting")),
            status=doc.get("status", OPEN),
            created_by_name=doc.get("created_by_name") or "",
            conversation_id=doc.get("conversation_id"),
            activity_id=doc.get("activity_id"),
            done_at=load_dt(doc.get("done_at")),
            done_by=doc.get("done_by"),
            updated_at=load_dt(doc.get("updated_at")),
            updated_by=doc.get("updated_by"),
            history=tuple(doc.get("history") or ()),
            source=doc.get("source"),
        )


class ActionsRepo:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        # team key -> (snapshot version, the open items parsed, by number). `uppgifter`, the
        # agenda's follow-ups and every reminder ask for them; parsing 200 items each time was a
        # fifth of an `uppgifter` turn. The engine gives every commit a new snapshot version
        # (storage/engine.py), so a hit is never stale.
        self._open: dict[str, tuple[int, tuple[ActionItem, ...]]] = {}

    async def create(
        self,
        team_key: str,
        *,
        title: str,
        owners: tuple[Owner, ...] | list[Owner],
        created_by: str,
        created_at: datetime,
        meeting_id: str | None = None,
        due: date | None = None,
        due_next_meeting: bool = False,
        created_by_name: str = "",
        conversation_id: str | None = None,
        activity_id: str | None = None,
        source: dict[str, Any] | None = None,
        status: str = OPEN,
    ) -> ActionItem:
        """Store a new open item with the network's next number (counter and item in one write)."""
        if not title.strip():
            raise ValueError("an action item needs a title")
        if not owners:
            raise ValueError("an action item needs at least one owner")
        async with self._engine.write(team_partition(team_key)) as tx:
            # Everything read inside the write block: the partition is locked across processes,
            # so the duplicate check and the number are both decided on the state this commits over.
            if activity_id:
                # The same message delivered twice must not create two items.
                for doc in tx.all(_TABLE):
                    if doc.get("activity_id") == activity_id and doc.get("created_by") == created_by:
                        return ActionItem.from_doc(doc)
            counter = tx.get(_COUNTERS, _TABLE) or {"next": 1}
            highest = max((int(d["number"]) for d in tx.all(_TABLE)), default=0)
            number = max(int(counter["next"]), highest + 1)
            item = ActionItem(
                id=uuid.uuid4().hex[:12],
                team_key=team_key,
                number=number,
                title=title.strip(),
                owners=tuple(owners),
                created_by=created_by,
                created_at=created_at,
                meeting_id=meeting_id,
                due=due,
                due_next_meeting=due_next_meeting,
                created_by_name=created_by_name,
                conversation_id=conversation_id,
                activity_id=activity_id,
                status=status,
                source=source,
            )
            tx.put(_COUNTERS, _TABLE, {"next": number + 1})
            tx.put(_TABLE, item.id, item.to_doc())
        return item

    async def save(self, item: ActionItem) -> None:
        """Store a changed item (same id and number)."""
        async with self._engine.write(team_partition(item.team_key)) as tx:
            tx.put(_TABLE, item.id, item.to_doc())

    async def get(self, team_key: str, item_id: str) -> ActionItem | None:
        doc = (await self._engine.read(team_partition(team_key))).get(_TABLE, item_id)
        return ActionItem.from_doc(doc) if doc else None

    async def by_number(self, team_key: str, number: int) -> ActionItem | None:
        for doc in (await self._engine.read(team_partition(team_key))).all(_TABLE):
            if int(doc["number"]) == number:
                return ActionItem.from_doc(doc)
        return None

    async def all(self, team_key: str) -> list[ActionItem]:
        """Every item of the network, by number."""
        snap = await self._engine.read(team_partition(team_key))
        return sorted((ActionItem.from_doc(d) for d in snap.all(_TABLE)), key=lambda i: i.number)

    async def open_items(self, team_key: str) -> list[ActionItem]:
        """Items not yet done, by number (the agenda's follow-ups and the digest use this)."""
        # Filter before parsing: after years, nearly all of a network's items are done, and the
        # reminders read open items of every network at start-up and on every change.
        snap = await self._engine.read(team_partition(team_key))
        # A snapshot is immutable: its version names exactly the documents it holds.
        version = snap.version
        hit = self._open.get(team_key)
        if hit is not None and hit[0] == version:
            return list(hit[1])
        docs = [d for d in snap.all(_TABLE) if d.get("status", OPEN) == OPEN]
        items = tuple(sorted((ActionItem.from_doc(d) for d in docs), key=lambda i: i.number))
        self._open[team_key] = (version, items)
        return list(items)

    async def open_items_of(self, team_key: str, member_key: str, municipality: str | None = None) -> list[ActionItem]:
        """Open items a person owns: by name, through "alla", or through their municipality."""
        return [i for i in await self.open_items(team_key) if i.is_owned_by(member_key, municipality)]

    async def for_meeting(self, team_key: str, meeting_id: str) -> list[ActionItem]:
        """Items recorded at one meeting (open and done), by number (the minutes use this)."""
        return [i for i in await self.all(team_key) if i.meeting_id == meeting_id]

    async def set_status(
        self, item: ActionItem, status: str, *, by: str, at: datetime, activity_id: str | None = None
    ) -> ActionItem:
        """``change_status`` for a caller that only needs the item as stored afterwards."""
        return (await self.change_status(item, status, by=by, at=at, activity_id=activity_id))[0]

    async def change_status(
        self, item: ActionItem, status: str, *, by: str, at: datetime, activity_id: str | None = None
    ) -> tuple[ActionItem, bool]:
        """Mark done (remembering who and when) or reopen; returns the item as stored and whether
        this call changed it. Done already (or open already) is decided on the item as stored,
        under the lock: of two "Klar" clicks at once only one marks it done, and the first
        done_at/done_by stay. With ``activity_id`` the change is kept as made by that message, in
        the same write (see ``applied``)."""

        def change(current: ActionItem) -> ActionItem:
            if status == DONE:
                if current.status == DONE:  # a proposed (imported) item can be marked done
                    return current
                return replace(current, status=DONE, done_at=at, done_by=by, updated_at=at, updated_by=by)
            if current.is_open:
                return current
            return replace(current, status=OPEN, done_at=None, done_by=None, updated_at=at, updated_by=by)

        changed = False

        def tracked(current: ActionItem) -> ActionItem:
            nonlocal changed
            after = change(current)
            changed = after is not current
            return after

        return await self._change(item, tracked, activity_id, at), changed

    async def update(
        self, item: ActionItem, *, by: str, at: datetime, activity_id: str | None = None, **changes: Any
    ) -> ActionItem:
        """Change title, owners or due date, keeping what it was before in ``history`` (and, with
        ``activity_id``, that this message made the change)."""

        def change(current: ActionItem) -> ActionItem:
            before = {k: _history_value(getattr(current, k)) for k in changes}
            entry = {"at": dump_dt(at), "by": by, "before": before}
            return replace(current, **changes, updated_at=at, updated_by=by, history=(*current.history, entry))

        return await self._change(item, change, activity_id, at)

    async def follow_calendar(
        self,
        team_key: str,
        plan: Callable[[list[Meeting], list[ActionItem]], dict[str, date | None]],
        *,
        by: str,
        at: datetime,
    ) -> list[ActionItem]:
        """Set due dates from the calendar: ``plan`` (a pure function) gets the network's meetings
        and open action items as stored and returns the due date each item should have (by id).

        Meetings and action items share the team partition, so both are read inside one write
        block: a due date a person set meanwhile, or a second recalculation at the same moment,
        is seen here and not overwritten or recorded twice. Only items whose date changes are
        written, each with the old date in ``history``; they are returned."""
        changed: list[ActionItem] = []
        async with self._engine.write(team_partition(team_key)) as tx:
            meetings = [Meeting.from_doc(d) for d in tx.all("meetings")]
            # Only open items are parsed: after years nearly all of a network's items are done.
            items = [ActionItem.from_doc(d) for d in tx.all(_TABLE) if d.get("status", OPEN) == OPEN]
            dues = plan(meetings, items)
            for item in items:
                if item.id not in dues or dues[item.id] == item.due:
                    continue
                entry = {"at": dump_dt(at), "by": by, "before": {"due": _history_value(item.due)}}
                updated = replace(item, due=dues[item.id], updated_at=at, updated_by=by, history=(*item.history, entry))
                tx.put(_TABLE, updated.id, updated.to_doc())
                changed.append(updated)
        return sorted(changed, key=lambda i: i.number)

    async def applied(self, team_key: str, activity_id: str | None) -> bool:
        """True when the message ``activity_id`` changed an item already."""
        if not activity_id:
            return False
        return (await self._engine.read(team_partition(team_key))).get(_APPLIED, activity_id) is not None

    async def _change(
        self, item: ActionItem, change: Callable[[ActionItem], ActionItem], activity_id: str | None, at: datetime
    ) -> ActionItem:
        async with self._engine.write(team_partition(item.team_key)) as tx:
            # Read inside the write block (locked across processes): the change applies to the item
            # as stored now, not as the caller read it, and a message already applied (by another
            # instance since the caller asked ``applied``) changes nothing.
            stored = tx.get(_TABLE, item.id)
            current = ActionItem.from_doc(stored) if stored else item
            if activity_id and tx.get(_APPLIED, activity_id) is not None:
                return current
            changed = change(current)
            if changed is current:  # nothing to do (done already): nothing written
                return current
            tx.put(_TABLE, changed.id, changed.to_doc())
            if activity_id:
                tx.put(_APPLIED, activity_id, {"activity_id": activity_id, "item_id": changed.id, "at": dump_dt(at)})
        return changed

    async def export(self, team_key: str) -> dict[str, list[dict[str, Any]]]:
        """``action_items``: id, number, meeting_id, title, owners, due, status, created_by, created_at, done_at."""
        rows = []
        for item in await self.all(team_key):
            rows.append(
                {
                    "id": item.id,
                    "number": item.number,
                    "meeting_id": item.meeting_id,
                    "title": item.title,
                    "owners": [o.to_doc() for o in item.owners],
                    "due": item.due.isoformat() if item.due else None,
                    "status": item.status,
                    "created_by": item.created_by,
                    "created_at": dump_dt(item.created_at),
                    "done_at": dump_dt(item.done_at),
                    **({"source": item.source} if item.source else {}),
                }
            )
        return {"action_items": rows}


def _history_value(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [v.to_doc() if isinstance(v, Owner) else v for v in value]
    return value
