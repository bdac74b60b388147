"""Check-in and check-out answers: one answer per person, question kind and meeting.

Answers live in the meeting's partition (``team/<key>/meeting/<id>``), tables ``checkins`` and
``checkouts``, keyed by the member key. One document per person means a whole meeting answering
within the same minute writes 50 separate documents and nobody's answer overwrites another's;
answering again replaces only your own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from storage.codec import dump_dt, load_dt
from storage.engine import Engine
from storage.partitions import meeting_partition

CHECKIN = "checkin"
CHECKOUT = "checkout"
KINDS = (CHECKIN, CHECKOUT)
_TABLES = {CHECKIN: "checkins", CHECKOUT: "checkouts"}


@dataclass(frozen=True)
class CheckinAnswer:
    """One person's answer to a meeting's check-in (or check-out) question."""

    team_key: str
    meeting_id: str
    member_key: str
    kind: str  # CHECKIN | CHECKOUT
    question: str  # the question as it was asked, kept even if the meeting's question changes
    answer: str  # exactly as typed
    answered_at: datetime
    member_name: str = ""
    conversation_id: str | None = None
    activity_id: str | None = None
    first_answered_at: datetime | None = None  # set when the answer replaced an earlier one

    def to_doc(self) -> dict[str, Any]:
        return {
            "team_key": self.team_key,
            "meeting_id": self.meeting_id,
            "member_key": self.member_key,
            "kind": self.kind,
            "question": self.question,
            "answer": self.answer,
            "answered_at": dump_dt(self.answered_at),
            "member_name": self.member_name,
            "conversation_id": self.conversation_id,
            "activity_id": self.activity_id,
            "first_answered_at": dump_dt(self.first_answered_at),
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> CheckinAnswer:
        return cls(
            team_key=doc["team_key"],
            meeting_id=doc["meeting_id"],
            member_key=doc["member_key"],
            kind=doc.get("kind", CHECKIN),
            question=doc.get("question") or "",
            answer=doc["answer"],
            answered_at=load_dt(doc["answered_at"]),  # type: ignore[arg-type]
            member_name=doc.get("member_name") or "",
            conversation_id=doc.get("conversation_id"),
            activity_id=doc.get("activity_id"),
            first_answered_at=load_dt(doc.get("first_answered_at")),
        )


def _table(kind: str) -> str:
    try:
        return _TABLES[kind]
    except KeyError:
        raise ValueError(f"unknown answer kind {kind!r}") from None


class CheckinsRepo:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    async def save_answer(
        self,
        team_key: str,
        meeting_id: str,
        member_key: str,
        *,
        kind: str = CHECKIN,
        question: str,
        answer: str,
        at: datetime,
        member_name: str = "",
        conversation_id: str | None = None,
        activity_id: str | None = None,
    ) -> tuple[CheckinAnswer, CheckinAnswer | None]:
        """Store (or replace) a person's answer; returns the new answer and the one it replaced
        (a re-delivered message, same ``activity_id``, stores nothing and replaced nothing)."""
        if not answer.strip():
            raise ValueError("an empty answer is never stored")
        table = _table(kind)
        async with self._engine.write(meeting_partition(team_key, meeting_id)) as tx:
            # The answer it replaces is read inside the write block (locked across processes).
            old_doc = tx.get(table, member_key)
            previous = CheckinAnswer.from_doc(old_doc) if old_doc else None
            if previous is not None and activity_id and previous.activity_id == activity_id:
                # The same message delivered again (Teams re-sends; the in-memory filter is gone after a
                # restart): nothing changes, and the answer is not reported as replacing itself.
                return previous, None
            stored = CheckinAnswer(
                team_key=team_key,
                meeting_id=meeting_id,
                member_key=member_key,
                kind=kind,
                question=question,
                answer=answer,
                answered_at=at,
                member_name=member_name,
                conversation_id=conversation_id,
                activity_id=activity_id,
                first_answered_at=(previous.first_answered_at or previous.answered_at) if previous else None,
            )
            tx.put(table, member_key, stored.to_doc())
        return stored, previous

    async def get_answer(self, team_key: str, meeting_id: str, member_key: str, kind: str = CHECKIN) -> CheckinAnswer | None:
        doc = (await self._engine.read(meeting_partition(team_key, meeting_id))).get(_table(kind), member_key)
        return CheckinAnswer.from_doc(doc) if doc else None

    async def answers(self, team_key: str, meeting_id: str, kind: str = CHECKIN) -> list[CheckinAnswer]:
        """Every answer to one meeting's question, earliest first."""
        docs = (await self._engine.read(meeting_partition(team_key, meeting_id))).all(_table(kind))
        return sorted((CheckinAnswer.from_doc(d) for d in docs), key=lambda a: (a.answered_at, a.member_key))

    async def delete_answer(
        self, team_key: str, meeting_id: str, member_key: str, kind: str = CHECKIN
    ) -> CheckinAnswer | None:
        """Remove a person's answer; returns what was removed (None if there was nothing)."""
        table = _table(kind)
        async with self._engine.write(meeting_partition(team_key, meeting_id)) as tx:
            doc = tx.get(table, member_key)
            if doc is None:
                return None
            tx.delete(table, member_key)
        return CheckinAnswer.from_doc(doc)

    # Personal data ---------------------------------------------------------------------------
    async def answers_of(self, team_key: str, member_key: str) -> list[CheckinAnswer]:
        """Everything one person has answered in this network (check-ins and check-outs), oldest first."""
        found: list[CheckinAnswer] = []
        for name in await self._meeting_partitions(team_key):
            snap = await self._engine.read(name)
            for kind in KINDS:
                doc = snap.get(_table(kind), member_key)
                if doc:
                    found.append(CheckinAnswer.from_doc(doc))
        return sorted(found, key=lambda a: a.answered_at)

    async def delete_member_answers(self, team_key: str, member_key: str) -> int:
        """Delete every check-in and check-out answer of one person in this network; returns how many."""
        count = 0
        for name in await self._meeting_partitions(team_key):
            snap = await self._engine.read(name)
            if all(snap.get(_table(kind), member_key) is None for kind in KINDS):
                continue  # nothing of theirs here: no need to lock the partition
            async with self._engine.write(name) as tx:
                for kind in KINDS:
                    if tx.get(_table(kind), member_key) is not None:
                        tx.delete(_table(kind), member_key)
                        count += 1
        return count

    # Export ----------------------------------------------------------------------------------
    async def export(self, team_key: str) -> dict[str, list[dict[str, Any]]]:
        """``checkins``: meeting_id, member_id, question, answer, answered_at, kind (checkin|checkout)."""
        rows: list[dict[str, Any]] = []
        for name in await self._meeting_partitions(team_key):
            snap = await self._engine.read(name)
            for kind in KINDS:
                for doc in snap.all(_table(kind)):
                    answer = CheckinAnswer.from_doc(doc)
                    rows.append(
                        {
                            "meeting_id": answer.meeting_id,
                            "member_id": answer.member_key,
                            "question": answer.question,
                            "answer": answer.answer,
                            "answered_at": dump_dt(answer.answered_at),
                            "kind": answer.kind,
                        }
                    )
        rows.sort(key=lambda r: (r["meeting_id"], r["kind"], r["answered_at"], r["member_id"]))
        return {"checkins": rows}

    async def _meeting_partitions(self, team_key: str) -> list[str]:
        return await self._engine.partition_names(meeting_partition(team_key, ""))
