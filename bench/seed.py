"""Data for the benchmarks, made through the repositories (``storage/*_repo.py``).

- ``seed_small``: networks with the bench members, an ongoing meeting and (optionally) 200 open
  action items: the store for the HTTP turn benchmarks.
- ``ten_year_store``: 13 networks x 10 meetings a year x 10 years, each meeting with 20 check-ins,
  10 action items, 5 decisions and confirmed minutes. Generating it writes ~1,300 partitions, so
  it is built once and cached under ``bench/.cache`` (keyed by the sizes and by the source of
  ``storage/``, so a change to a repository rebuilds it); each run copies the cache.
- ``add_current_meeting``: the meeting "now" that check-ins and decisions go to (added per run,
  because the bot serves with the real clock).

The repositories run over ``_BulkEngine`` (an in-memory Engine), and every partition is then
written to a ``TinyDBEngine`` in one transaction: the documents are exactly what the repositories
write, without paying an fsync'd rewrite of a growing file for each of the ~50,000 records.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bot import roles
from bot.dev import activities
from bot.rules.municipalities import DEFAULT_MUNICIPALITIES
from storage.actions_repo import DONE, MEMBER, Owner
from storage.meetings_repo import Meeting
from storage.store import Store
from storage.teams_repo import Member, Team

ROOT = Path(__file__).resolve().parent.parent
CACHE_DIR = ROOT / "bench" / ".cache"
BOT_ID = activities.BOT_ID  # the bench's activities and references come from bot/dev/activities.py
TENANT = activities.TENANT
SERVICE_URL = "http://127.0.0.1:9/"  # stored in conversation references; replies use each activity's own

_FIRST = ("Anna", "Peter", "Sofia", "Lars", "Karin", "Johan", "Maria", "Erik", "Eva", "Mikael",
          "Lena", "Anders", "Helena", "Per", "Ingrid", "Magnus", "Sara", "Jonas", "Emma", "Fredrik")  # fmt: skip
_LAST = ("Gustafsson", "Stark", "Adolfsson", "Karlsson", "Nilsson", "Johansson", "Larsson", "Olsson",
         "Persson", "Svensson", "Lindberg", "Berg", "Holm", "Ek", "Strand")  # fmt: skip
MUNICIPALITIES = DEFAULT_MUNICIPALITIES
ROLES = frozenset({roles.MEMBER, roles.PRESIDIUM, roles.SECRETARY})


@dataclass(frozen=True)
class BenchUser:
    index: int

    @property
    def aad(self) -> str:
        return f"aad-bench-{self.index:04d}"

    @property
    def id(self) -> str:
        return f"29:{self.aad}"

    @property
    def name(self) -> str:
        return f"{_FIRST[self.index % len(_FIRST)]} {_LAST[(self.index // len(_FIRST)) % len(_LAST)]}"

    def account(self) -> dict[str, str]:
        return {"id": self.id, "name": self.name, "aadObjectId": self.aad}


def users(n: int) -> list[BenchUser]:
    return [BenchUser(i) for i in range(n)]


def team_key(name: str) -> str:
    """A Teams-looking team id for a bench network."""
    return f"19:skis-bench-{name}@thread.tacv2"


def conversation_ref(key: str, service_url: str, *, kind: str = activities.CHANNEL) -> dict[str, Any]:
    return activities.conversation_ref(key, service_url, kind=kind)


async def add_network(store: Store, key: str, name: str, members: list[BenchUser], *, at: datetime,
                service_url: str = SERVICE_URL) -> Team:
    """A network with its channel reference and register (every bench user may record decisions)."""
    team = Team(key=key, name=name, kind="team", tenant_id=TENANT, conversation_ref=conversation_ref(key, service_url),
                installed_by=members[0].aad if members else None, installed_at=at)
    await store.teams.save_team(team)
    await store.teams.save_members(key, [
        Member(key=u.aad, teams_id=u.id, name=u.name, aad_object_id=u.aad,
               municipality=MUNICIPALITIES[u.index % len(MUNICIPALITIES)],
               roles=ROLES | ({roles.CHAIR} if u.index == 0 else set()), joined_at=at)
        for u in members
    ])
    return team


async def add_current_meeting(store: Store, key: str, now: datetime) -> Meeting:
    """An ongoing meeting (started half an hour ago), so check-ins and decisions land in it."""
    starts = (now - timedelta(minutes=30)).replace(second=0, microsecond=0)
    meeting = Meeting(id=await store.meetings.new_id(key, starts), team_key=key, starts_at=starts,
                      ends_at=starts + timedelta(hours=3), location="Skövde, Stadshuset",
                      topics=("Incheckning", "Skolutveckling", "Beslut"),
                      checkin_question="Vad tar du med dig från förra mötet?", created_at=now)
    await store.meetings.save(meeting)
    return meeting


async def add_open_items(store: Store, key: str, members: list[BenchUser], count: int, now: datetime) -> None:
    """``count`` open action items, spread over the members, some with due dates."""
    for i in range(count):
        owner = members[i % len(members)]
        await store.actions.create(
            key, title=f"Sammanställa underlag om elevhälsa, del {i + 1}",
            owners=(Owner(MEMBER, owner.name, owner.aad),), created_by=members[0].aad, created_at=now,
            due=(now + timedelta(days=7 + i % 60)).date() if i % 3 else None, created_by_name=members[0].name,
        )


def open_store_dir(data_dir: Path) -> Store:
    """A writable Store on ``data_dir`` (the service's own engine)."""
    from storage.tinydb_engine import TinyDBEngine

    return Store(TinyDBEngine(data_dir))


# The ten-year store -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TenYearSpec:
    teams: int = 13
    years: int = 10
    meetings_per_year: int = 10
    checkins: int = 20
    action_items: int = 10
    decisions: int = 5
    members: int = 25

    @property
    def meetings(self) -> int:
        return self.teams * self.years * self.meetings_per_year

    def label(self) -> str:
        return (f"{self.teams} networks x {self.meetings_per_year} meetings/year x {self.years} years; per meeting "
                f"{self.checkins} check-ins, {self.action_items} action items, {self.decisions} decisions, "
                "confirmed minutes")


def ten_year_team_keys(spec: TenYearSpec) -> list[str]:
    return [team_key(f"net-{i:02d}") for i in range(spec.teams)]


async def ten_year_store(spec: TenYearSpec, dest: Path, *, cache_dir: Path = CACHE_DIR) -> tuple[Path, bool]:
    """Copy the cached ten-year store to ``dest`` (building the cache first if needed); returns (dest, built)."""
    cached = cache_dir / f"tenyear-{_cache_key(spec)}"
    built = False
    if not (cached / "complete").exists():  # noqa: ASYNC240 - the bench prepares its data before anything runs on the loop
        tmp = cache_dir / f".building-{_cache_key(spec)}"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        await build_ten_years(spec, tmp / "data")
        (tmp / "complete").write_text(spec.label() + "\n")
        shutil.rmtree(cached, ignore_errors=True)
        tmp.rename(cached)
        built = True
        # Stores built from older sources are never used again (~90 MB each).
        for old in cache_dir.glob("tenyear-*"):  # noqa: ASYNC240 - as above
            if old != cached:
                shutil.rmtree(old, ignore_errors=True)
    shutil.copytree(cached / "data", dest, ignore=shutil.ignore_patterns(".lock"))
    return dest, built


def _cache_key(spec: TenYearSpec) -> str:
    digest = hashlib.sha256(repr(spec).encode())
    for path in sorted((ROOT / "storage").glob("*.py")) + [Path(__file__)]:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


async def build_ten_years(spec: TenYearSpec, data_dir: Path, *, today: date | None = None) -> None:
    """Generate the store through the repositories, then write it to ``data_dir`` partition by partition."""
    bulk = _BulkEngine()
    store = Store(bulk)  # type: ignore[arg-type]
    today = today or datetime.now(UTC).date()
    people = users(spec.members)
    first_day = today.replace(year=today.year - spec.years)
    for t_index, key in enumerate(ten_year_team_keys(spec)):
        await add_network(store, key, f"SKIS nätverk {t_index + 1}", people,
                    at=datetime(first_day.year, first_day.month, 1, 8, tzinfo=UTC))
        for m_index, starts in enumerate(_meeting_times(first_day, today, spec)):
            await _fill_meeting(store, key, m_index, starts, people, spec, today)
    await _flush(bulk, data_dir)


def _meeting_times(first_day: date, today: date, spec: TenYearSpec) -> Iterator[datetime]:
    # 10 meetings a year: every month but July and August, 08:30 Swedish time (07:30 UTC, roughly).
    months = [m for m in range(1, 13) if m not in (7, 8)][: spec.meetings_per_year]
    for year in range(first_day.year, first_day.year + spec.years):
        for month in months:
            yield datetime(year, month, 10, 7, 30, tzinfo=UTC)


async def _fill_meeting(store: Store, key: str, m_index: int, starts: datetime, people: list[BenchUser],
                  spec: TenYearSpec, today: date) -> None:
    recorder, secretary = people[1 % len(people)], people[2 % len(people)]
    meeting = Meeting(id=starts.strftime("%Y%m%d"), team_key=key, starts_at=starts, ends_at=starts + timedelta(hours=3),
                      location="Skara, Kommunhuset", topics=("Incheckning", "Systematiskt kvalitetsarbete", "Övrigt"),
                      checkin_question="Vad har du med dig in i dag?", created_by=people[0].aad, created_at=starts - timedelta(days=30))
    await store.meetings.save(meeting)
    during = starts + timedelta(minutes=20)
    for j, person in enumerate(people[: spec.checkins]):
        await store.checkins.save_answer(key, meeting.id, person.aad, question=meeting.checkin_question or "",
                                   answer=f"Vi har kommit igång med kollegialt lärande i {MUNICIPALITIES[j % 15]} och "
                                          "ser redan skillnad i klassrummen. Utmaningen är tiden.",
                                   at=during + timedelta(seconds=j * 30), member_name=person.name,
                                   conversation_id=key, activity_id=f"seed-{m_index}-c{j}")
    for j in range(spec.decisions):
        await store.decisions.record(key, meeting.id, text=f"Nätverket beslutar att punkt {j + 1} bereds vidare av presidiet "
                                                     "och återkommer till nästa möte med ett förslag.",
                               recorded_by=recorder.aad, at=during + timedelta(minutes=60 + j), recorded_by_name=recorder.name,
                               agenda_item=j + 1, conversation_id=key)
    old = (today - starts.date()).days > 90
    for j in range(spec.action_items):
        owner = people[(m_index + j) % len(people)]
        item = await store.actions.create(key, title=f"Ta fram underlag om {('läsfrämjande', 'närvaro', 'elevhälsa')[j % 3]} ({j + 1})",
                                    owners=(Owner(MEMBER, owner.name, owner.aad),), created_by=recorder.aad,
                                    created_at=during + timedelta(minutes=90 + j), meeting_id=meeting.id,
                                    due=(starts + timedelta(days=30)).date(), created_by_name=recorder.name)
        if old:
            await store.actions.set_status(item, DONE, by=owner.aad, at=starts + timedelta(days=20))
    minutes = getattr(store, "minutes", None)
    if minutes is not None:
        content = await _minutes_content(store, meeting)
        draft = await minutes.save_draft(key, meeting.id, content=content, expected_revision=None,
                                   at=starts + timedelta(hours=4), by=secretary.aad)
        await minutes.confirm(key, meeting.id, expected_revision=draft.revision, by=secretary.aad, by_name=secretary.name,
                        at=starts + timedelta(days=2))


async def _minutes_content(store: Store, meeting: Meeting) -> dict[str, Any]:
    """The minutes as the bot builds them when it can (bot.minutes), else an equivalent document."""
    team = await store.teams.get_team(meeting.team_key)
    try:
        from zoneinfo import ZoneInfo

        from bot.minutes.sources import build

        return await build(store, team, meeting, ZoneInfo("Europe/Stockholm"))  # type: ignore[arg-type]
    except Exception:  # the minutes builder is optional here; the stored size is what matters
        return {
            "title": f"Minnesanteckningar {meeting.starts_at.date().isoformat()}",
            "decisions": [d.text for d in await store.decisions.for_meeting(meeting.team_key, meeting.id)],
            "checkins": [a.answer for a in await store.checkins.answers(meeting.team_key, meeting.id)],
            "action_items": [i.title for i in await store.actions.for_meeting(meeting.team_key, meeting.id)],
        }


async def _flush(bulk: _BulkEngine, data_dir: Path) -> None:
    from storage.tinydb_engine import TinyDBEngine

    engine = TinyDBEngine(data_dir)
    try:
        for name, tables in bulk.tables.items():
            async with engine.write(name) as tx:
                for table, docs in tables.items():
                    for key, doc in docs.items():
                        tx.put(table, key, doc)
    finally:
        await engine.close()


class _BulkSnapshot:
    """One partition of the bulk engine as it stands (the Engine's Snapshot)."""

    def __init__(self, name: str, tables: dict[str, dict[str, dict[str, Any]]], version: int = 0) -> None:
        self.name = name
        self.version = version
        self._tables = tables

    def get(self, table: str, key: str) -> dict[str, Any] | None:
        return self._tables.get(table, {}).get(key)

    def all(self, table: str) -> list[dict[str, Any]]:
        return list(self._tables.get(table, {}).values())


class _BulkTx(_BulkSnapshot):
    """A write block: reads see what it staged; the staged tables replace the partition's at the end."""

    def put(self, table: str, key: str, doc: dict[str, Any]) -> None:
        self._tables.setdefault(table, {})[key] = doc

    def delete(self, table: str, key: str) -> None:
        self._tables.get(table, {}).pop(key, None)


class _BulkEngine:
    """An in-memory Engine for generating data; documents are validated when flushed to TinyDB."""

    def __init__(self) -> None:
        self.tables: dict[str, dict[str, dict[str, dict[str, Any]]]] = {}
        self._versions: dict[str, int] = {}
        self._claimed: set[tuple[str, str]] = set()

    async def read(self, name: str) -> _BulkSnapshot:
        return _BulkSnapshot(name, self.tables.setdefault(name, {}), self._versions.get(name, 0))

    @asynccontextmanager
    async def write(self, name: str) -> AsyncIterator[_BulkTx]:
        tables = self.tables.setdefault(name, {})
        tx = _BulkTx(name, {table: dict(docs) for table, docs in tables.items()}, self._versions.get(name, 0))
        yield tx
        tables.clear()
        tables.update(tx._tables)
        self._versions[name] = tx.version + 1

    @asynccontextmanager
    async def transient(self, name: str) -> AsyncIterator[_BulkSnapshot]:
        yield await self.read(name)

    async def partition_names(self, prefix: str = "") -> list[str]:
        return sorted(n for n, t in self.tables.items() if n.startswith(prefix) and t)

    async def partition_stamp(self, name: str) -> str | None:
        return str(self._versions[name]) if name in self._versions else None

    async def check(self) -> bool:
        return True

    async def close(self) -> None:
        pass

    async def claim(self, scope: str, key: str, *, ttl: timedelta) -> bool:
        if (scope, key) in self._claimed:
            return False
        self._claimed.add((scope, key))
        return True

    async def lead(self, name: str) -> bool:
        return True
