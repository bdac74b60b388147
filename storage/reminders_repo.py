"""Reminders: each network's reminder settings, and the log of reminders already sent.

Both live in the partition ``team/<key>/reminders`` so recording a send (several per meeting)
rewrites only that small file, never the team's calendar or register.

- table ``settings``, key ``settings``: the network's ``ReminderSettings``.
- table ``sent``, key = the reminder's key (kind, team, meeting or item id, target, due instant):
  one ``SentEntry`` per reminder and target. Anything recorded here is never sent again, whatever
  its status: ``sent`` (the connector accepted it), ``undeliverable`` (403/404: the bot was removed
  or the conversation is gone), ``rejected`` (another 4xx that retrying cannot fix), ``uncertain``
  (a 5xx: it may be in the chat) or ``sending``. ``sending`` is the ledger's claim: an entry is
  written BEFORE the message goes out (``claim_send``, under the partition's write lock, so of
  several instances waking at the same second exactly one gets it), and replaced by the outcome
  afterwards; a send that failed in a way worth retrying gives its claim back (``release``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, time
from types import MappingProxyType
from typing import Any

from storage.codec import dump_dt, load_dt
from storage.engine import Engine
from storage.partitions import reminders_partition, team_partition  # noqa: F401 (re-exported)

# Reminder kinds (what is sent) ...
MEETING_WEEK = "meeting_week"  # channel, a week before: date, place, agenda, check-in, kommer/kommer inte
MEETING_DAY = "meeting_day"  # channel, the day before: agenda, who is coming, municipalities missing
DIGEST = "digest"  # 1:1 to the presidium and the chair
ACTION_DUE = "action_due"  # 1:1 to each owner, a few days before the due date
ACTION_OVERDUE = "action_overdue"  # 1:1 to each owner, once a week while overdue
MINUTES = "minutes"  # 1:1 to the secretary when the last minutes are not confirmed
ROSTER = "roster"  # 1:1 to the presidium each December: send the member list and dates to the region

# ... and the settings that govern them (action_due and action_overdue share "actions").
ACTIONS = "actions"
SETTING_KINDS = (MEETING_WEEK, MEETING_DAY, DIGEST, ACTIONS, MINUTES, ROSTER)

SENT = "sent"
UNDELIVERABLE = "undeliverable"
REJECTED = "rejected"
# Claimed for sending and not yet answered: the instance that claimed it is sending it now, or
# died while it did (then whether it arrived is unknown, and it is never sent again either).
SENDING = "sending"

_SETTINGS = "settings"
_SENT = "sent"


@dataclass(frozen=True)
class KindSettings:
    """When one kind of reminder goes out: ``days`` before (or, for minutes, after) at ``at`` local time."""

    enabled: bool
    days: int
    at: time

    def to_doc(self) -> dict[str, Any]:
        return {"enabled": self.enabled, "days": self.days, "at": self.at.strftime("%H:%M")}

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any], default: KindSettings) -> KindSettings:
        try:
            at = time.fromisoformat(doc["at"]) if doc.get("at") else default.at
        except (TypeError, ValueError):
            at = default.at
        days = doc.get("days")
        return cls(
            enabled=bool(doc.get("enabled", default.enabled)),
            days=days if isinstance(days, int) and not isinstance(days, bool) else default.days,
            at=at,
        )


DEFAULT_KINDS: Mapping[str, KindSettings] = MappingProxyType(
    {
        MEETING_WEEK: KindSettings(True, 7, time(9, 0)),
        MEETING_DAY: KindSettings(True, 1, time(9, 0)),
        DIGEST: KindSettings(True, 3, time(8, 0)),
        ACTIONS: KindSettings(True, 3, time(9, 0)),
        MINUTES: KindSettings(True, 3, time(9, 0)),
        # days before the new year: mid-December, before the Christmas break
        ROSTER: KindSettings(True, 14, time(9, 0)),
    }
)


@dataclass(frozen=True)
class ReminderSettings:
    """A network's reminders: all on or off, and each kind's day and time (Europe/Stockholm)."""

    enabled: bool = True
    kinds: Mapping[str, KindSettings] = field(default_factory=lambda: dict(DEFAULT_KINDS))

    def kind(self, name: str) -> KindSettings:
        return self.kinds.get(name) or DEFAULT_KINDS[name]

    def is_on(self, name: str) -> bool:
        return self.enabled and self.kind(name).enabled

    def with_kind(self, name: str, **changes: Any) -> ReminderSettings:
        if name not in DEFAULT_KINDS:
            raise ValueError(f"unknown reminder kind {name!r}")
        return replace(self, kinds={**self.kinds, name: replace(self.kind(name), **changes)})

    def to_doc(self) -> dict[str, Any]:
        return {"enabled": self.enabled, "kinds": {name: self.kind(name).to_doc() for name in SETTING_KINDS}}

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any] | None) -> ReminderSettings:
        if not doc:
            return cls()
        stored = doc.get("kinds") or {}
        # Kinds added after the settings were saved get their defaults.
        kinds = {
            name: KindSettings.from_doc(stored[name], default) if isinstance(stored.get(name), Mapping) else default
            for name, default in DEFAULT_KINDS.items()
        }
        return cls(enabled=bool(doc.get("enabled", True)), kinds=kinds)


@dataclass(frozen=True)
class SentEntry:
    """One reminder to one target, recorded once the connector answered (or refused for good)."""

    key: str
    kind: str
    team_key: str
    subject_id: str  # meeting id or action item id
    target: str  # "channel" or a member key
    due_at: datetime
    recorded_at: datetime
    status: str = SENT
    activity_id: str | None = None
    detail: str | None = None  # why it could not be delivered (e.g. "403")

    def to_doc(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "kind": self.kind,
            "team_key": self.team_key,
            "subject_id": self.subject_id,
            "target": self.target,
            "due_at": dump_dt(self.due_at),
            "recorded_at": dump_dt(self.recorded_at),
            "status": self.status,
            "activity_id": self.activity_id,
            "detail": self.detail,
        }

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any]) -> SentEntry:
        return cls(
            key=doc["key"],
            kind=doc["kind"],
            team_key=doc["team_key"],
            subject_id=doc["subject_id"],
            target=doc["target"],
            due_at=load_dt(doc["due_at"]),  # type: ignore[arg-type]
            recorded_at=load_dt(doc["recorded_at"]),  # type: ignore[arg-type]
            status=doc.get("status", SENT),
            activity_id=doc.get("activity_id"),
            detail=doc.get("detail"),
        )


class RemindersRepo:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    # Settings -------------------------------------------------------------------------------
    async def settings(self, team_key: str) -> ReminderSettings:
        """The network's settings (the defaults until someone changes them)."""
        return ReminderSettings.from_doc((await self._engine.read(reminders_partition(team_key))).get(_SETTINGS, _SETTINGS))

    async def save_settings(self, team_key: str, settings: ReminderSettings) -> None:
        async with self._engine.write(reminders_partition(team_key)) as tx:
            tx.put(_SETTINGS, _SETTINGS, settings.to_doc())

    async def change_settings(
        self, team_key: str, change: Callable[[ReminderSettings], ReminderSettings]
    ) -> ReminderSettings:
        """Apply ``change`` to the settings as stored, under the lock, and return the result: two
        people changing different kinds at the same moment (on two instances) both keep their
        change. A check that must hold is made inside ``change`` (it raises: nothing is written);
        nothing is written either when ``change`` returns the settings unchanged."""
        async with self._engine.write(reminders_partition(team_key)) as tx:
            doc = tx.get(_SETTINGS, _SETTINGS)
            before = ReminderSettings.from_doc(doc)
            after = change(before)
            if doc is None or after.to_doc() != before.to_doc():
                tx.put(_SETTINGS, _SETTINGS, after.to_doc())
        return after

    # Sent-log ---------------------------------------------------------------------------------
    async def record(self, entry: SentEntry) -> None:
        """Remember that this reminder reached (or can never reach) its target."""
        async with self._engine.write(reminders_partition(entry.team_key)) as tx:
            tx.put(_SENT, entry.key, entry.to_doc())

    async def claim_send(self, entry: SentEntry) -> bool:
        """Claim the reminder ``entry.key`` for sending: True for exactly one caller, across every
        instance, unless it was claimed or recorded before (then False: it is not sent again)."""
        async with self._engine.write(reminders_partition(entry.team_key)) as tx:
            if tx.get(_SENT, entry.key) is not None:
                return False
            tx.put(_SENT, entry.key, replace(entry, status=SENDING).to_doc())
        return True

    async def release(self, team_key: str, key: str) -> None:
        """Give back a claim whose send failed for now (the next run tries again)."""
        async with self._engine.write(reminders_partition(team_key)) as tx:
            doc = tx.get(_SENT, key)
            if doc is not None and doc.get("status") == SENDING:
                tx.delete(_SENT, key)

    async def is_recorded(self, team_key: str, key: str) -> bool:
        return (await self._engine.read(reminders_partition(team_key))).get(_SENT, key) is not None

    async def recorded_keys(self, team_key: str) -> frozenset[str]:
        """Keys of every reminder recorded for the network, whatever its status."""
        return frozenset(d["key"] for d in (await self._engine.read(reminders_partition(team_key))).all(_SENT))

    async def entries(self, team_key: str) -> list[SentEntry]:
        """The sent-log, latest due first."""
        entries = [SentEntry.from_doc(d) for d in (await self._engine.read(reminders_partition(team_key))).all(_SENT)]
        entries.sort(key=lambda e: (e.due_at, e.key), reverse=True)
        return entries

    async def prune(self, team_key: str, due_before: datetime) -> int:
        """Forget entries due before ``due_before`` (their reminders can no longer be due); returns how many."""
        name = reminders_partition(team_key)
        if not any(_due_before(d, due_before) for d in (await self._engine.read(name)).all(_SENT)):
            return 0  # nothing old: no need to lock the partition
        async with self._engine.write(name) as tx:
            # Chosen inside the write block: only entries stored now are deleted.
            old = [d["key"] for d in tx.all(_SENT) if _due_before(d, due_before)]
            for key in old:
                tx.delete(_SENT, key)
        return len(old)

    async def export(self, team_key: str) -> dict[str, list[dict[str, Any]]]:
        """``reminder_settings``: enabled, kinds {kind: enabled, days, at}; ``reminders_sent``: key, kind,
        subject_id, target, due_at, recorded_at, status, detail."""
        entries = await self.entries(team_key)
        sent = [{k: v for k, v in e.to_doc().items() if k not in ("team_key", "activity_id")} for e in entries]
        return {"reminder_settings": [(await self.settings(team_key)).to_doc()], "reminders_sent": sent}


def _due_before(doc: Mapping[str, Any], due_before: datetime) -> bool:
    return load_dt(doc["due_at"]) < due_before  # type: ignore[operator]
