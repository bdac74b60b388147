"""The retention purge's watermark never vouches for an answer it has not seen: an answer stored by
another instance while the pass reads a meeting (after its snapshot, before it notes the meeting as
checked) is read by a later pass and purged when it is old enough."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

from storage.engine import MemoryEngine, Snapshot
from storage.meetings_repo import meeting_partition
from storage.privacy_repo import PrivacyRepo
from storage.store import Store

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TEAM = "19:a@thread.tacv2"
CUTOFF = NOW - timedelta(days=365)


class AnotherInstanceWrites(MemoryEngine):
    """The real in-memory engine; the moment a pass has read ``target``, another instance stores
    an answer there (what PostgreSQL shared by two `serve` instances allows at any time)."""

    def __init__(self) -> None:
        super().__init__()
        self.target: str | None = None

    @asynccontextmanager
    async def transient(self, name: str) -> AsyncIterator[Snapshot]:
        async with super().transient(name) as snap:
            yield snap
        if name == self.target:
            self.target = None  # once
            await Store(self).checkins.save_answer(TEAM, name.rsplit("/", 1)[-1], "late", question="?",
                                                   answer="sent i dag", at=NOW)


async def _late_answer_is_purged_later(*, with_expired: bool) -> None:
    engine = AnotherInstanceWrites()
    store = Store(engine)
    privacy = PrivacyRepo(engine)
    name = meeting_partition(TEAM, "m1")
    if with_expired:  # only an answer old enough: the pass deletes it (writes the meeting itself)
        await store.checkins.save_answer(TEAM, "m1", "peter", question="?", answer="gammalt", at=NOW - timedelta(days=700))
    else:  # no answers yet, only the rest of the meeting
        async with engine.write(name) as tx:
            tx.put("agenda", "a1", {"id": "a1", "title": "Välkommen"})
    engine.target = name
    assert await privacy.purge_answers(TEAM, CUTOFF) == (1 if with_expired else 0)
    assert engine.target is None  # the other instance did write, during the pass
    assert [a.member_key for a in await store.checkins.answers(TEAM, "m1")] == ["late"]

    # Later, with a cutoff after it, the late answer is old enough and goes.
    assert await privacy.purge_answers(TEAM, NOW + timedelta(days=1)) == 1
    assert await store.checkins.answers(TEAM, "m1") == []


async def test_answer_stored_while_an_unchanged_meeting_is_read_is_purged_by_a_later_pass() -> None:
    await _late_answer_is_purged_later(with_expired=False)


async def test_answer_stored_right_after_the_pass_wrote_the_meeting_is_purged_by_a_later_pass() -> None:
    await _late_answer_is_purged_later(with_expired=True)
