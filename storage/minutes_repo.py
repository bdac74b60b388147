"""Minutes (minnesanteckningar): one working draft per meeting and its confirmed, immutable versions.

Everything lives in the meeting's partition (``team/<key>/meeting/<id>``):

- table ``minutes``, key ``draft``: the working draft. ``content`` is the whole document as the
  secretary last saw it (built from the meeting's records plus her edits); ``edits`` holds only
  what she typed, so records added later still flow into the draft. ``revision`` goes up every
  time ``content`` or ``edits`` change; cards carry it, so a click on an out-of-date card is
  recognised instead of confirming text the secretary never saw.
- table ``minutes_versions``, key ``"1"``, ``"2"`` …: confirmed versions. Their content and its
  SHA-256 hash are written once and never rewritten; only the chair's co-signature (justering)
  and the note that the version was posted are added later.

Checking a revision and confirming happen in one write block (the meeting partition locked across
processes), so two clicks (or two secretaries, on two instances) can never both confirm: the second
finds the draft confirmed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from storage.codec import dump_dt, load_dt
from storage.engine import Engine
from storage.partitions import meeting_partition

DRAFT = "draft"  # being written; not yet confirmed
CONFIRMED = "confirmed"  # the latest version is confirmed and the draft is locked
CORRECTING = "correcting"  # a confirmed version is being corrected (rättelse)

_DRAFTS = "minutes"
_DRAFT_KEY = "draft"
_VERSIONS = "minutes_versions"


def canonical_json(content: dict[str, Any]) -> str:
    """The one text form of a minutes document that its hash is taken over."""
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)


def content_hash(content: dict[str, Any]) -> str:
    """SHA-256 (hex) of the canonical JSON of ``content``."""
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()


class StaleDraftError(Exception):
    """The draft changed since the caller read it (its revision is no longer the one expected)."""

    def __init__(self, current: MinutesDraft) -> None:
        super().__init__(f"draft is at revision {current.revision}")
        self.current = current


class AlreadyConfirmedError(Exception):
    """The draft was already confirmed (a second click, or another secretary was quicker)."""

    def __init__(self, version: MinutesVersion) -> None:
        super().__init__(f"already confirmed as version {version.version}")
        self.version = version


class NotConfirmableError(Exception):
    """There is no draft to confirm, or a correction was confirmed without a reason."""


@dataclass(frozen=True)
class MinutesDraft:
    team_key: str
    meeting_id: str
    revision: int
    content: dict[str, Any]
    # field -> {"text": str, "rev": revision it was saved in, "by": member key, "at": ISO time}
    edits: dict[str, dict[str, Any]] = field(default_factory=dict)
    status: str = DRAFT
    confirmed_version: int | None = None  # the latest confirmed version, if any
    created_at: datetime | None = None
    updated_at: datetime | None = None
    updated_by: str | None = None
    # Where cards showing this draft were posted outside 1:1 chats: [{"ref": {...}, "activity_id": str}]
    cards: tuple[dict[str, Any], ...] = ()

    @property
    def locked(self) -> bool:
        return self.status == CONFIRMED

    def edit_text(self, name: str) -> str | None:
        entry = self.edits.get(name)
        return entry["text"] if entry else None

    def to_doc(self) -> dict[str, Any]:
        return {
            "team_key": self.team_key,
            "meeting_id": self.meeting_id,
            "revision": self.revision,
            "content": self.content,
            "edits": self.edits,
            "status": self.status,
            "confirmed_version": self.confirmed_version,
            "created_at": dump_dt(self.created_at),
            "updated_at": dump_dt(self.updated_at),
            "updated_by": self.updated_by,
            "cards": list(self.cards),
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> MinutesDraft:
        return cls(
            team_key=doc["team_key"],
            meeting_id=doc["meeting_id"],
            revision=int(doc["revision"]),
            content=doc.get("content") or {},
            edits=doc.get("edits") or {},
            status=doc.get("status", DRAFT),
            confirmed_version=doc.get("confirmed_version"),
            created_at=load_dt(doc.get("created_at")),
            updated_at=load_dt(doc.get("updated_at")),
            updated_by=doc.get("updated_by"),
            cards=tuple(doc.get("cards") or ()),
        )


@dataclass(frozen=True)
class MinutesVersion:
    """A confirmed version: its content never changes once written."""

    team_key: str
    meeting_id: str
    version: int
    content: dict[str, Any]
    content_hash: str
    confirmed_by: str  # member key
    confirmed_at: datetime
    confirmed_by_name: str = ""
    draft_revision: int = 0
    reason: str | None = None  # why it replaces the previous version (rättelse); None for version 1
    cosign_required: bool = False  # justering by the chair switched on when it was confirmed
    cosigned_by: str | None = None
    cosigned_by_name: str = ""
    cosigned_at: datetime | None = None
    posted_at: datetime | None = None  # when it was announced in the team's channel

    @property
    def awaiting_cosign(self) -> bool:
        return self.cosign_required and self.cosigned_at is None

    def intact(self) -> bool:
        """True if the stored content still matches the hash taken when it was confirmed."""
        return content_hash(self.content) == self.content_hash

    def to_doc(self) -> dict[str, Any]:
        return {
            "team_key": self.team_key,
            "meeting_id": self.meeting_id,
            "version": self.version,
            "content": self.content,
            "content_hash": self.content_hash,
            "confirmed_by": self.confirmed_by,
            "confirmed_by_name": self.confirmed_by_name,
            "confirmed_at": dump_dt(self.confirmed_at),
            "draft_revision": self.draft_revision,
            "reason": self.reason,
            "cosign_required": self.cosign_required,
            "cosigned_by": self.cosigned_by,
            "cosigned_by_name": self.cosigned_by_name,
            "cosigned_at": dump_dt(self.cosigned_at),
            "posted_at": dump_dt(self.posted_at),
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> MinutesVersion:
        return cls(
            team_key=doc["team_key"],
            meeting_id=doc["meeting_id"],
            version=int(doc["version"]),
            content=doc["content"],
            content_hash=doc["content_hash"],
            confirmed_by=doc["confirmed_by"],
            confirmed_at=load_dt(doc["confirmed_at"]),  # type: ignore[arg-type]
            confirmed_by_name=doc.get("confirmed_by_name") or "",
            draft_revision=int(doc.get("draft_revision") or 0),
            reason=doc.get("reason"),
            cosign_required=bool(doc.get("cosign_required")),
            cosigned_by=doc.get("cosigned_by"),
            cosigned_by_name=doc.get("cosigned_by_name") or "",
            cosigned_at=load_dt(doc.get("cosigned_at")),
            posted_at=load_dt(doc.get("posted_at")),
        )


class MinutesRepo:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    async def _read(self, team_key: str, meeting_id: str) -> Any:
        return await self._engine.read(meeting_partition(team_key, meeting_id))

    def _write(self, team_key: str, meeting_id: str) -> Any:
        # Every change below reads the draft or version INSIDE this block: the partition is locked
        # across processes, so a revision check and the write it guards see the same state.
        return self._engine.write(meeting_partition(team_key, meeting_id))

    # Reading ----------------------------------------------------------------------------------
    async def draft(self, team_key: str, meeting_id: str) -> MinutesDraft | None:
        doc = (await self._read(team_key, meeting_id)).get(_DRAFTS, _DRAFT_KEY)
        return MinutesDraft.from_doc(doc) if doc else None

    async def versions(self, team_key: str, meeting_id: str) -> list[MinutesVersion]:
        """Every confirmed version of one meeting's minutes, oldest first."""
        docs = (await self._read(team_key, meeting_id)).all(_VERSIONS)
        return sorted((MinutesVersion.from_doc(d) for d in docs), key=lambda v: v.version)

    async def version(self, team_key: str, meeting_id: str, number: int) -> MinutesVersion | None:
        doc = (await self._read(team_key, meeting_id)).get(_VERSIONS, str(number))
        return MinutesVersion.from_doc(doc) if doc else None

    async def latest(self, team_key: str, meeting_id: str) -> MinutesVersion | None:
        """The newest confirmed version, or None if the minutes were never confirmed."""
        # One snapshot for both: the draft and the version it names are read as committed together.
        snap = await self._read(team_key, meeting_id)
        doc = snap.get(_DRAFTS, _DRAFT_KEY)
        draft = MinutesDraft.from_doc(doc) if doc else None
        if draft is None or draft.confirmed_version is None:
            return None
        version = snap.get(_VERSIONS, str(draft.confirmed_version))
        return MinutesVersion.from_doc(version) if version else None

    # Writing the draft --------------------------------------------------------------------------
    async def save_draft(
        self,
        team_key: str,
        meeting_id: str,
        *,
        content: dict[str, Any],
        edits: dict[str, dict[str, Any]] | None = None,
        expected_revision: int | None,
        at: datetime,
        by: str | None = None,
    ) -> MinutesDraft:
        """Store new draft content (and edits); the revision goes up only if something changed.

        ``expected_revision`` is the revision the caller built ``content`` from (None: no draft
        yet). A locked (confirmed) draft is returned unchanged: confirmed minutes change only
        through ``start_correction``.
        """
        async with self._write(team_key, meeting_id) as tx:
            doc = tx.get(_DRAFTS, _DRAFT_KEY)
            current = MinutesDraft.from_doc(doc) if doc else None
            found = current.revision if current else None
            if found != expected_revision:
                if current is None:
                    raise NotConfirmableError("the draft was expected to exist")
                raise StaleDraftError(current)
            if current is not None and current.locked:
                return current
            new_edits = current.edits if edits is None and current else (edits or {})
            if current is not None and current.content == content and current.edits == new_edits:
                return current
            draft = MinutesDraft(
                team_key=team_key,
                meeting_id=meeting_id,
                revision=(current.revision + 1) if current else 1,
                content=content,
                edits=new_edits,
                status=current.status if current else DRAFT,
                confirmed_version=current.confirmed_version if current else None,
                created_at=current.created_at if current else at,
                updated_at=at,
                updated_by=by if by is not None else (current.updated_by if current else None),
                cards=current.cards if current else (),
            )
            tx.put(_DRAFTS, _DRAFT_KEY, draft.to_doc())
        return MinutesDraft.from_doc(draft.to_doc())

    async def remember_card(self, team_key: str, meeting_id: str, ref: dict[str, Any], activity_id: str) -> None:
        """Note a card posted in a team conversation, so it can be updated when the minutes change."""
        async with self._write(team_key, meeting_id) as tx:
            doc = tx.get(_DRAFTS, _DRAFT_KEY)
            if doc is None:
                return
            draft = MinutesDraft.from_doc(doc)
            entry = {"ref": ref, "activity_id": activity_id}
            if entry in draft.cards:
                return
            # Only the last few matter: older cards refresh themselves when someone looks at them.
            cards = (*draft.cards, entry)[-5:]
            tx.put(_DRAFTS, _DRAFT_KEY, replace(draft, cards=cards).to_doc())

    # Confirming ---------------------------------------------------------------------------------
    async def confirm(
        self,
        team_key: str,
        meeting_id: str,
        *,
        expected_revision: int,
        by: str,
        by_name: str,
        at: datetime,
        reason: str | None = None,
        cosign_required: bool = False,
    ) -> MinutesVersion:
        """Turn the draft at ``expected_revision`` into the next confirmed version.

        Raises AlreadyConfirmedError if it is already confirmed, StaleDraftError if the draft has
        changed since the caller's revision, NotConfirmableError if there is no draft or a
        correction lacks its reason. Version and locked draft are written in one transaction.
        """
        async with self._write(team_key, meeting_id) as tx:
            doc = tx.get(_DRAFTS, _DRAFT_KEY)
            if doc is None:
                raise NotConfirmableError("no draft")
            draft = MinutesDraft.from_doc(doc)
            if draft.locked and draft.confirmed_version is not None:
                existing = tx.get(_VERSIONS, str(draft.confirmed_version))
                raise AlreadyConfirmedError(MinutesVersion.from_doc(existing))
            if draft.revision != expected_revision:
                raise StaleDraftError(draft)
            number = (draft.confirmed_version or 0) + 1
            reason = (reason or "").strip() or None
            if number > 1 and reason is None:
                raise NotConfirmableError("a correction needs a reason")
            version = MinutesVersion(
                team_key=team_key,
                meeting_id=meeting_id,
                version=number,
                content=draft.content,
                content_hash=content_hash(draft.content),
                confirmed_by=by,
                confirmed_by_name=by_name,
                confirmed_at=at,
                draft_revision=draft.revision,
                reason=reason if number > 1 else None,
                cosign_required=cosign_required,
            )
            locked = replace(draft, status=CONFIRMED, confirmed_version=number, updated_at=at, updated_by=by)
            if tx.get(_VERSIONS, str(number)) is not None:  # never overwrite a confirmed version
                raise NotConfirmableError(f"version {number} already exists")
            tx.put(_VERSIONS, str(number), version.to_doc())
            tx.put(_DRAFTS, _DRAFT_KEY, locked.to_doc())
        return MinutesVersion.from_doc(version.to_doc())

    async def start_correction(self, team_key: str, meeting_id: str, *, at: datetime, by: str) -> MinutesDraft:
        """Unlock confirmed minutes for a correction (rättelse); the confirmed versions stay as they are."""
        async with self._write(team_key, meeting_id) as tx:
            doc = tx.get(_DRAFTS, _DRAFT_KEY)
            if doc is None:
                raise NotConfirmableError("no draft")
            draft = MinutesDraft.from_doc(doc)
            if draft.status != CONFIRMED:
                return draft
            reopened = replace(draft, status=CORRECTING, revision=draft.revision + 1, updated_at=at, updated_by=by)
            tx.put(_DRAFTS, _DRAFT_KEY, reopened.to_doc())
        return reopened

    async def cosign(
        self, team_key: str, meeting_id: str, number: int, *, by: str, by_name: str, at: datetime
    ) -> tuple[MinutesVersion, bool]:
        """The chair's co-signature (justering) on a confirmed version: (the version as stored,
        whether this call signed it). A second one changes nothing and says so (False), also when
        two chairs click at the same moment (decided under the lock): only the first is announced."""
        async with self._write(team_key, meeting_id) as tx:
            doc = tx.get(_VERSIONS, str(number))
            if doc is None:
                raise NotConfirmableError(f"no version {number}")
            version = MinutesVersion.from_doc(doc)
            if version.cosigned_at is not None:
                return version, False
            signed = replace(version, cosigned_by=by, cosigned_by_name=by_name, cosigned_at=at)
            tx.put(_VERSIONS, str(number), signed.to_doc())
        return signed, True

    async def mark_posted(self, team_key: str, meeting_id: str, number: int, *, at: datetime) -> bool:
        """Record that a version was announced in the channel; False if it already was."""
        async with self._write(team_key, meeting_id) as tx:
            doc = tx.get(_VERSIONS, str(number))
            if doc is None or doc.get("posted_at"):
                return False
            tx.put(_VERSIONS, str(number), {**doc, "posted_at": dump_dt(at)})
        return True

    # Export ---------------------------------------------------------------------------------
    async def export(self, team_key: str) -> dict[str, list[dict[str, Any]]]:
        """``minutes``: meeting_id, version, status (draft|confirmed), confirmed_by, confirmed_at, content.

        One row per confirmed version (with content_hash, reason, cosigned_by, cosigned_at) and,
        while minutes are unconfirmed or being corrected, one draft row (version null, revision).
        """
        rows: list[dict[str, Any]] = []
        for name in await self._engine.partition_names(meeting_partition(team_key, "")):
            part = await self._engine.read(name)
            doc = part.get(_DRAFTS, _DRAFT_KEY)
            for version in sorted((MinutesVersion.from_doc(d) for d in part.all(_VERSIONS)), key=lambda v: v.version):
                rows.append(
                    {
                        "meeting_id": version.meeting_id,
                        "version": version.version,
                        "status": CONFIRMED,
                        "confirmed_by": version.confirmed_by,
                        "confirmed_by_name": version.confirmed_by_name,
                        "confirmed_at": dump_dt(version.confirmed_at),
                        "content_hash": version.content_hash,
                        "reason": version.reason,
                        "cosign_required": version.cosign_required,
                        "cosigned_by": version.cosigned_by,
                        "cosigned_at": dump_dt(version.cosigned_at),
                        "content": version.content,
                    }
                )
            if doc is not None and doc.get("status") != CONFIRMED:
                draft = MinutesDraft.from_doc(doc)
                rows.append(
                    {
                        "meeting_id": draft.meeting_id,
                        "version": None,
                        "revision": draft.revision,
                        "status": DRAFT,
                        "confirmed_by": None,
                        "confirmed_at": None,
                        "content": draft.content,
                    }
                )
        rows.sort(key=lambda r: (r["meeting_id"], r["version"] is None, r["version"] or 0))
        return {"minutes": rows}
