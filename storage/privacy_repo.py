"""Personal data across the repositories: forgetting a person, and the check-in retention purge.

Each repository stores its own records; this module is the one place that knows where a person
appears in all of them, so a request to be forgotten touches everything in one pass:

    global                          people (index, deleted), personal_refs (1:1 chat, deleted),
                                    network_choices (the 1:1 chat's network, deleted),
                                    teams (installed_by, replaced), forget_jobs (see below)
    team/<key>                      members (the register entry: anonymised under a new key),
                                    meetings, meeting_drafts, action_items (owners, creators,
                                    who closed: replaced), decision_index
    team/<key>/reminders            sent (the reminder log's targets: replaced)
    team/<key>/meeting/<id>         checkins, checkouts, attendance (the person's own: deleted),
                                    agenda, decisions (who proposed or recorded: replaced),
                                    present (who recorded the list: replaced; who was present: kept)
    botstate/<hash>                 dialog state of the person's conversations (deleted)
    team/<key>/privacy              retention (no personal data: which meeting partitions the
                                    last purge left with nothing old enough to delete)

"Replaced" means every value that is exactly the person's member key, Teams id or Entra object
id becomes an opaque new key, and every value that is exactly their register name becomes
"Borttagen person", so records stay whole (an action item still has an owner) but no longer
point at the person. Free text other people wrote (a decision's wording, an item's title) is
not rewritten. Minutes (drafts and confirmed versions) and the list of who was present at a
meeting are kept as they are: confirmed minutes are public records under Swedish archive law.

Forgetting is resumable and idempotent. Its first write is a job in ``global`` (table
``forget_jobs``: the person's ids and names, the networks, the replacement key); every later step
finds what is left through the job, and the last step deletes the job. So a run killed at any
point is finished by running ``forget-member`` again with the same id (``find`` looks in the
jobs as well as the member lists and the people index), with the same replacement key, and each
step done twice changes nothing the second time.

The retention purge reads a meeting partition only when it may hold an expired answer. For each
meeting partition it checked, the network's watermark (``team/<key>/privacy``, table
``retention``) keeps the partition's stamp (``Engine.partition_stamp``: it changes on every write)
and when its oldest remaining answer was given. A partition whose stamp is unchanged and whose
oldest answer is not older than the new cutoff (or that has no answers left) is skipped unread:
after the first purge, nine years of meetings cost one ``stat`` each. Nothing here relies on
where answers are written, so an answer stored in an old meeting (a card clicked late) changes
its stamp and is purged on time. Partitions are read through ``Engine.transient``, so a purge
does not leave ten years of meetings in the engine's memory cache.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from storage.codec import dump_dt, load_dt
from storage.engine import Engine
from storage.partitions import GLOBAL, meeting_partition, reminders_partition, team_partition
from storage.team import Member

FORGOTTEN_NAME = "Borttagen person"

_TEAM_TABLES = ("meetings", "meeting_drafts", "action_items", "decision_index")
_MEETING_SCRUB_TABLES = ("agenda", "decisions", "attendance")
_PRESENT = "present"  # who was present is minutes material and stays; only recorded_by is replaced
_JOBS = "forget_jobs"
_ANSWER_TABLES = ("checkins", "checkouts")
_BOTSTATE = "botstate/"
_RETENTION = "retention"
_WATERMARK = "watermark"


def privacy_partition(team_key: str) -> str:
    """Where a network's retention watermark is kept."""
    return f"{team_partition(team_key)}/privacy"  # the team key escaped, as in every team partition


@dataclass(frozen=True)
class Person:
    """Everything that identifies one person in the stored data."""

    key: str  # member key (the Entra object id when known, else the Teams id)
    ids: frozenset[str]  # member key, Teams id, Entra object id
    names: frozenset[str]  # register names (exact strings to replace)
    teams_ids: frozenset[str]  # Teams ids ("29:…"), to find their dialog state

    def to_doc(self) -> dict[str, Any]:
        return {"key": self.key, "ids": sorted(self.ids), "names": sorted(self.names), "teams_ids": sorted(self.teams_ids)}

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Person:
        return cls(key=doc["key"], ids=frozenset(doc["ids"]), names=frozenset(doc["names"]),
                   teams_ids=frozenset(doc["teams_ids"]))


@dataclass(frozen=True)
class ForgetJob:
    """A started erasure, kept in ``global`` until its last step, so it can be finished after a kill."""

    replacement_key: str
    person: Person
    teams: tuple[str, ...]
    all_teams: bool
    gone: bool  # forgotten in every network they belong to: their 1:1 reference and dialogs go too

    def to_doc(self) -> dict[str, Any]:
        return {"key": self.replacement_key, "person": self.person.to_doc(), "teams": list(self.teams),
                "all_teams": self.all_teams, "gone": self.gone}

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> ForgetJob:
        return cls(replacement_key=doc["key"], person=Person.from_doc(doc["person"]), teams=tuple(doc["teams"]),
                   all_teams=bool(doc["all_teams"]), gone=bool(doc["gone"]))


@dataclass
class ForgetReport:
    replacement_key: str
    teams: list[str] = field(default_factory=list)
    register_entries: int = 0
    answers_deleted: int = 0
    attendance_deleted: int = 0
    documents_changed: int = 0
    dialog_states_deleted: int = 0
    personal_refs_removed: int = 0
    resumed: bool = False  # finished an erasure an earlier run started

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class PurgeStats:
    """What a retention purge did (added up over networks)."""

    answers: int = 0  # answers deleted (or, in a dry run, found)
    read: int = 0  # meeting partitions read
    skipped: int = 0  # meeting partitions skipped unread (unchanged, nothing old enough)
    written: int = 0  # meeting partitions rewritten


class PrivacyRepo:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    # Finding a person ----------------------------------------------------------------------------
    async def find(self, member_id: str) -> tuple[Person | None, list[str]]:
        """The person whose member key, Teams id or Entra object id is ``member_id``, and their networks.

        Looks in every network's member list, then in the people index (a register entry may be
        gone while the index still names them). An unfinished erasure is found by ``pending_job``."""
        keys: set[str] = set()
        teams: list[str] = []
        members: list[Member] = []
        index = await self._engine.read(GLOBAL)
        for team in index.all("teams"):
            for doc in (await self._engine.read(team_partition(team["key"]))).all("members"):
                if member_id in (doc.get("key"), doc.get("teams_id"), doc.get("aad_object_id")):
                    member = Member.from_doc(doc)
                    members.append(member)
                    keys.add(member.key)
                    teams.append(team["key"])
        indexed = index.get("people", member_id)
        if not members:
            if indexed is None:
                return None, []
            return Person(key=member_id, ids=frozenset({member_id}), names=frozenset(), teams_ids=frozenset()), sorted(
                set(indexed.get("teams") or [])
            )
        ids = {i for m in members for i in (m.key, m.teams_id, m.aad_object_id) if i}
        person = Person(
            key=sorted(keys)[0],
            ids=frozenset(ids),
            names=frozenset(m.name for m in members if m.name and m.name not in ids),
            teams_ids=frozenset(m.teams_id for m in members if m.teams_id),
        )
        return person, sorted(set(teams))

    async def pending_job(self, member_id: str) -> ForgetJob | None:
        """An erasure of ``member_id`` that was started and not finished (killed, or a full disk)."""
        for doc in (await self._engine.read(GLOBAL)).all(_JOBS):
            job = ForgetJob.from_doc(doc)
            if member_id in job.person.ids:
                return job
        return None

    # Forgetting ----------------------------------------------------------------------------------
    async def start(self, person: Person, team_keys: Iterable[str], *, all_teams: bool) -> ForgetJob:
        """Record the erasure (the first write); ``finish`` does the rest."""
        teams = tuple(team_keys)
        async with self._engine.write(GLOBAL) as tx:
            # Whether the person is in other networks is read inside the write block that records it.
            networks = {t for key in person.ids for t in ((tx.get("people", key) or {}).get("teams") or [])}
            job = ForgetJob(replacement_key="forgotten-" + secrets.token_hex(6), person=person, teams=teams,
                            all_teams=all_teams, gone=all_teams or networks <= set(teams))
            tx.put(_JOBS, job.replacement_key, job.to_doc())
        return job

    async def forget(self, person: Person, team_keys: Iterable[str], *, all_teams: bool) -> ForgetReport:
        """Remove or anonymise ``person`` in ``team_keys`` (and globally when ``all_teams``)."""
        return await self.finish(await self.start(person, team_keys, all_teams=all_teams))

    async def finish(self, job: ForgetJob, *, resumed: bool = False) -> ForgetReport:
        """Do (or redo) every step of ``job``; each is idempotent, the job is deleted last."""
        report = ForgetReport(replacement_key=job.replacement_key, resumed=resumed)
        scrub = _Scrubber(job.person, job.replacement_key)
        for team_key in job.teams:
            report.teams.append(team_key)
            await self._forget_in_team(job.person, team_key, scrub, report)
        await self._forget_globally(job, scrub, report)
        if job.gone:
            report.dialog_states_deleted = await self._delete_dialog_states(job.person)
        async with self._engine.write(GLOBAL) as tx:
            tx.delete(_JOBS, job.replacement_key)
        return report

    async def _forget_in_team(self, person: Person, team_key: str, scrub: _Scrubber, report: ForgetReport) -> None:
        # Each partition is read and rewritten inside its own write block (locked across processes),
        # so nothing written by another instance in between is overwritten with an older copy.
        async with self._engine.write(team_partition(team_key)) as tx:
            entries = [key for key in person.ids if tx.get("members", key) is not None]
            for key in entries:
                tx.delete("members", key)
            if entries:
                # The register keeps a place-holder, so counts and records stay consistent.
                anonymous = Member(key=scrub.replacement, teams_id="", name=FORGOTTEN_NAME, roles=frozenset(), active=False)
                tx.put("members", anonymous.key, anonymous.to_doc())
            report.register_entries += len(entries)
            report.documents_changed += _scrub_tables(tx, _TEAM_TABLES, scrub)
        async with self._engine.write(reminders_partition(team_key)) as tx:
            report.documents_changed += _scrub_sent_log(tx, scrub)
        for name in await self._engine.partition_names(meeting_partition(team_key, "")):
            async with self._engine.write(name) as tx:
                for key in person.ids:
                    for table in _ANSWER_TABLES:
                        if tx.get(table, key) is not None:
                            tx.delete(table, key)
                            report.answers_deleted += 1
                    if tx.get("attendance", key) is not None:
                        tx.delete("attendance", key)
                        report.attendance_deleted += 1
                report.documents_changed += _scrub_tables(tx, _MEETING_SCRUB_TABLES, scrub, skip=person.ids)
                report.documents_changed += _scrub_recorded_by(tx, scrub)

    async def _forget_globally(self, job: ForgetJob, scrub: _Scrubber, report: ForgetReport) -> None:
        """Update the people index; drop the 1:1 chat reference once the person is in no network."""
        async with self._engine.write(GLOBAL) as tx:
            for key in job.person.ids:
                doc = tx.get("people", key)
                if doc is None:
                    continue
                remaining = [k for k in doc.get("teams", []) if k not in job.teams]
                if job.gone or not remaining:
                    tx.delete("people", key)
                elif remaining != doc.get("teams"):
                    tx.put("people", key, {**doc, "teams": remaining})
            if job.gone:
                for key in job.person.ids:
                    if tx.get("personal_refs", key) is not None:
                        tx.delete("personal_refs", key)
                        report.personal_refs_removed += 1
                    if tx.get("network_choices", key) is not None:
                        tx.delete("network_choices", key)  # the network their 1:1 chat works on
            for doc in tx.all("teams"):
                if doc.get("key") in job.teams:
                    clean = scrub(doc)
                    if clean != doc:
                        tx.put("teams", doc["key"], clean)
                        report.documents_changed += 1

    async def _delete_dialog_states(self, person: Person) -> int:
        marks = [f"/users/{teams_id}/" for teams_id in person.teams_ids]

        def theirs(doc: dict[str, Any] | None) -> bool:
            return doc is not None and any(mark in str(doc.get("key", "")) for mark in marks)

        count = 0
        for name in await self._engine.partition_names(_BOTSTATE):
            if not theirs((await self._engine.read(name)).get("state", "item")):
                continue
            async with self._engine.write(name) as tx:
                if theirs(tx.get("state", "item")):  # still theirs now that the partition is locked
                    tx.delete("state", "item")
                    count += 1
        return count

    # Retention -----------------------------------------------------------------------------------
    async def purge_answers(self, team_key: str, before: datetime, *, dry_run: bool = False,
                            stats: PurgeStats | None = None) -> int:
        """Delete (with ``dry_run`` only count) answers given before ``before``; one write per meeting."""
        stats = stats if stats is not None else PurgeStats()
        already = stats.answers
        async for _ in self.purge_steps(team_key, before, stats, dry_run=dry_run):
            pass
        return stats.answers - already

    async def purge_steps(
        self, team_key: str, before: datetime, stats: PurgeStats, *, dry_run: bool = False
    ) -> AsyncIterator[None]:
        """Purge one meeting partition per step (an async generator: ``async for _ in ...``), so a
        caller on the event loop can let turns run in between.

        Each step is complete on its own (read, delete in one durable write, note the stamp); the
        watermark is written after the last step, so a pass stopped half-way only means the
        partitions it did are read once more next time."""
        engine = self._engine
        holder = privacy_partition(team_key)
        known: dict[str, Any] = dict(((await engine.read(holder)).get(_RETENTION, _WATERMARK) or {}).get("partitions") or {})
        checked: dict[str, Any] = {}
        for name in await engine.partition_names(meeting_partition(team_key, "")):
            stamp = await engine.partition_stamp(name)
            entry = known.get(name)
            if entry is not None and stamp is not None and entry.get("stamp") == stamp and _nothing_before(entry, before):
                checked[name] = entry
                stats.skipped += 1
                continue
            wrote = False
            async with engine.transient(name) as snap:
                expired, oldest = _scan_answers(snap, before)
                stats.read += 1
                if expired and not dry_run:
                    async with engine.write(name) as tx:
                        # Chosen again inside the write block: an answer given again since the
                        # snapshot (a late card click) is newer and must stay.
                        expired, oldest = _scan_answers(tx, before)
                        for table, key in expired:
                            tx.delete(table, key)
                    if expired:
                        stats.written += 1
                        wrote = True
                stats.answers += len(expired)
            if wrote:
                # This pass's own write changed the stamp. Read it again and only THEN the
                # partition: ``oldest`` then covers everything the kept stamp stands for (an
                # answer stored after our write and before the stamp read would otherwise be
                # skipped by every later pass, and kept for good).
                stamp = await engine.partition_stamp(name)
                async with engine.transient(name) as snap:
                    _left, oldest = _scan_answers(snap, before)
            if not dry_run:
                # The stamp read BEFORE the scan: an answer stored after it (on another instance,
                # or by a turn while this pass waited) changes the stamp, so the next pass reads
                # the partition again instead of trusting ``oldest``, which does not know that answer.
                checked[name] = {"stamp": stamp, "oldest": dump_dt(oldest)}
            yield
        if not dry_run and checked != known:
            # The whole watermark is replaced by what this pass found, so it is not a read-modify-write.
            async with engine.write(holder) as tx:
                tx.put(_RETENTION, _WATERMARK, {"partitions": checked})


def _nothing_before(entry: dict[str, Any], before: datetime) -> bool:
    oldest = load_dt(entry.get("oldest"))
    return oldest is None or oldest >= before


def _scan_answers(part: Any, before: datetime) -> tuple[list[tuple[str, str]], datetime | None]:
    """(table, key) of the answers given before ``before``, and when the oldest of the others was given."""
    expired: list[tuple[str, str]] = []
    oldest: datetime | None = None
    for table in _ANSWER_TABLES:
        for doc in part.all(table):
            answered = load_dt(doc.get("answered_at"))
            if answered is None:
                continue  # no date, never expires (as before)
            if answered < before:
                expired.append((table, doc["member_key"]))
            elif oldest is None or answered < oldest:
                oldest = answered
    return expired, oldest


class _Scrubber:
    def __init__(self, person: Person, replacement: str) -> None:
        self.ids = person.ids
        self.names = person.names
        self.replacement = replacement

    def __call__(self, value: Any) -> Any:
        if isinstance(value, str):
            if value in self.ids:
                return self.replacement
            if value in self.names:
                return FORGOTTEN_NAME
            return value
        if isinstance(value, list):
            return [self(v) for v in value]
        if isinstance(value, dict):
            return {k: self(v) for k, v in value.items()}
        return value


def _scrub_tables(tx: Any, tables: Iterable[str], scrub: _Scrubber, skip: frozenset[str] = frozenset()) -> int:
    changed = 0
    for table in tables:
        for doc in tx.all(table):
            clean = scrub(doc)
            if clean != doc:
                key = _doc_key(tx, table, doc)
                if key is None or key in skip:
                    continue
                tx.put(table, key, clean)
                changed += 1
    return changed


def _scrub_recorded_by(tx: Any, scrub: _Scrubber) -> int:
    changed = 0
    for doc in tx.all(_PRESENT):
        if doc.get("recorded_by") in scrub.ids and tx.get(_PRESENT, str(doc.get("key"))) == doc:
            tx.put(_PRESENT, str(doc["key"]), {**doc, "recorded_by": scrub.replacement})
            changed += 1
    return changed


def _scrub_sent_log(tx: Any, scrub: _Scrubber) -> int:
    # A sent-log entry is keyed "kind|team|subject|target|due": the target is the person's key,
    # so the entry moves to a key with the replacement (and still stops a second send).
    changed = 0
    for doc in tx.all("sent"):
        old_key = str(doc.get("key") or "")
        new_key = "|".join(scrub.replacement if piece in scrub.ids else piece for piece in old_key.split("|"))
        clean = {**scrub(doc), "key": new_key}
        if clean == doc:
            continue
        if tx.get("sent", old_key) == doc and new_key != old_key:
            tx.delete("sent", old_key)
        tx.put("sent", new_key, clean)
        changed += 1
    return changed


def _doc_key(tx: Any, table: str, doc: dict[str, Any]) -> str | None:
    # Repositories key their documents by an id field; find which one this table uses.
    for field_name in ("id", "key", "member_key", "number", "token"):
        value = doc.get(field_name)
        if value is not None and tx.get(table, str(value)) == doc:
            return str(value)
    return None
