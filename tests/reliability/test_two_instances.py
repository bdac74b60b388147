"""Two real ``skis-bot serve`` instances on one PostgreSQL database (``SKIS_DATABASE_URL``).

What Teams does to a scaled-out bot: turns of one meeting spread over both instances at once, the
same activity re-sent to the other instance, a person's next answer reaching the other instance,
reminders due at the same second on both, an instance killed under load, and the database going
away and coming back. Every test reads the result back from the database afterwards.

A turn counts as acknowledged when the HTTP answer was 200 and the bot's reply to that activity
reached the (fake) Bot Connector.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
import pytest

from bot.dev import activities
from bot.dev.fake_connector import FakeConnector
from bot.messages.core import SV as MESSAGES
from storage.actions_repo import ALL, DONE, Owner
from storage.meetings_repo import Meeting
from storage.postgres.engine import PostgresEngine
from storage.store import Store
from storage.teams_repo import Member, Team
from tests.harness import ANNA, CHANNEL_ID, TEAM_ID, TENANT
from tests.pg_server import PostgresServer, start_server
from tests.reliability import activities as act
from tests.reliability.service import Service, free_port, run_cli

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.no_timeshift]

MEETING_ID = "pagaende"
STOCKHOLM = ZoneInfo("Europe/Stockholm")
SHARED_ITEMS = 10  # action items everybody edits and closes at once


@asynccontextmanager
async def database(url: str) -> AsyncIterator[Store]:
    engine = await PostgresEngine.open(url)
    try:
        yield Store(engine)
    finally:
        await engine.close()


async def seed(url: str, connector_url: str) -> list[int]:
    """A network with a meeting going on now (the services run on the real clock) and items to
    share; returns the shared items' numbers."""
    now = datetime.now(UTC)
    async with database(url) as store:
        ref = activities.conversation_ref(CHANNEL_ID, connector_url)
        await store.teams.save_team(Team(key=TEAM_ID, name="SKIS", kind="team", tenant_id=TENANT, conversation_ref=ref,
                                         installed_by=ANNA.aad, installed_at=now))
        await store.teams.save_member(TEAM_ID, Member(key=ANNA.aad, teams_id=ANNA.id, name=ANNA.name,
                                                      municipality="Skövde",
                                                      roles=frozenset({"medlem", "ordförande", "presidium"})))
        await store.meetings.save(Meeting(id=MEETING_ID, team_key=TEAM_ID, starts_at=now - timedelta(hours=1),
                                          ends_at=now + timedelta(hours=8)))
        items = [await store.actions.create(TEAM_ID, title=f"Gemensam uppgift {i}", owners=[Owner(kind=ALL, name="alla")],
                                            created_by=ANNA.aad, created_at=now) for i in range(SHARED_ITEMS)]
    return [i.number for i in items]


@pytest.fixture
def server() -> Iterator[PostgresServer]:
    """A server of this test's own: the outage test stops it."""
    pg = start_server()
    try:
        yield pg
    finally:
        pg.stop()


@pytest.fixture
async def connector() -> AsyncIterator[FakeConnector]:
    fake = FakeConnector()
    await fake.start()
    fake.members[CHANNEL_ID] = []
    try:
        yield fake
    finally:
        await fake.stop()


def services(tmp_path: Path, url: str, count: int = 2) -> list[Service]:
    # Each instance keeps its own port; SKIS_DATA_DIR is set but unused for records.
    return [Service(tmp_path / f"unused-{n}", env={"SKIS_DATABASE_URL": url}) for n in range(count)]


async def start_all(instances: list[Service]) -> None:
    for s in instances:
        s.data_dir.mkdir(parents=True, exist_ok=True)
        s.spawn()  # at the same moment: the schema is created once, under the migration lock
    await asyncio.gather(*(asyncio.to_thread(s.wait_ready, 60) for s in instances))


async def up(tmp_path: Path, url: str, connector: FakeConnector, count: int = 2) -> tuple[list[Service], list[int]]:
    """``count`` instances started together on the database, then the network seeded; returns the
    instances and the shared items' numbers."""
    instances = services(tmp_path, url, count)
    await start_all(instances)
    return instances, await seed(url, connector.url)


def stop_all(instances: list[Service]) -> None:
    for s in instances:
        s.stop()


async def deliver(session: aiohttp.ClientSession, service: Service, activity: dict[str, Any]) -> int:
    async with session.post(f"{service.url}/api/messages", json=activity,
                            timeout=aiohttp.ClientTimeout(total=30)) as resp:
        await resp.read()
        return resp.status


def replied(connector: FakeConnector, activity_id: str) -> list[str]:
    return [p.text for p in connector.posted if p.activity_id == activity_id]


# 200 concurrent turns ---------------------------------------------------------------------------------
async def test_two_hundred_turns_over_both_instances_keep_every_record_exactly_once(
    tmp_path: Path, pg_server: PostgresServer, connector: FakeConnector
) -> None:
    url = pg_server.create_database()
    instances, numbers = await up(tmp_path, url, connector)
    rng = random.Random(20)
    turns: list[tuple[str, dict[str, Any]]] = []  # (what it records, the activity)
    for n in range(40):  # forty people check in
        turns.append((f"checkin:{n}", act.message(f"incheckning svar från {n}", act.user(n), connector.url, f"c-{n}")))
    for n in range(50):
        turns.append((f"decision:{n}", act.message(f"beslut Beslut nummer {n}", act.user(n % 40), connector.url,
                                                   f"d-{n}")))
    for n in range(40):
        turns.append((f"item:{n}", act.message(f"uppgift Ny uppgift {n} @alla", act.user(n % 40), connector.url,
                                               f"i-{n}")))
    for n in range(40):  # everybody edits the same five items at once: no edit may be lost
        number = numbers[n % 5]
        turns.append((f"edit:{number}:{n}", act.message(f"ändra uppgift {number} Ändrad text {n}", act.user(n % 40),
                                                        connector.url, f"e-{n}")))
    for n in range(30):  # and closes the other five, six people each
        number = numbers[5 + n % 5]
        turns.append((f"close:{number}", act.message(f"klar {number}", act.user(n % 40), connector.url, f"k-{n}")))
    rng.shuffle(turns)
    assert len(turns) == 200
    acked: list[str] = []
    limit = asyncio.Semaphore(16)

    async def one(i: int, what: str, activity: dict[str, Any], session: aiohttp.ClientSession) -> None:
        async with limit:
            status = await deliver(session, instances[i % 2], activity)
        assert status == 200, f"HTTP {status} for {activity['text']!r}"
        if replied(connector, activity["id"]):
            acked.append(what)

    try:
        async with aiohttp.ClientSession() as session:
            await asyncio.gather(*(one(i, what, a, session) for i, (what, a) in enumerate(turns)))
    finally:
        stop_all(instances)
    assert len(acked) == 200, f"only {len(acked)} of 200 turns were answered"

    async with database(url) as store:
        answers = {a.member_key: a.answer for a in await store.checkins.answers(TEAM_ID, MEETING_ID)}
        decisions = await store.decisions.all(TEAM_ID)
        items = await store.actions.all(TEAM_ID)
    assert answers == {act.user(n).aad: f"svar från {n}" for n in range(40)}
    texts = Counter(d.text.rstrip(".") for d in decisions)
    assert texts == Counter(f"Beslut nummer {n}" for n in range(50)), texts
    assert sorted(d.number for d in decisions) == list(range(1, 51)), "decision numbers doubled or skipped"
    new = Counter(i.title for i in items if i.title.startswith("Ny uppgift"))
    assert new == Counter(f"Ny uppgift {n}" for n in range(40)), new
    assert len({i.number for i in items}) == len(items) == SHARED_ITEMS + 40
    by_number = {i.number: i for i in items}
    for k in range(5):
        edits = sum(1 for what in acked if what.startswith(f"edit:{numbers[k]}:"))
        assert len(by_number[numbers[k]].history) == edits, f"item {numbers[k]} lost an edit"
    for k in range(5, 10):
        assert by_number[numbers[k]].status == DONE


# The same activity to both ------------------------------------------------------------------------------
async def test_the_same_activity_delivered_to_both_instances_is_one_record_and_one_reply(
    tmp_path: Path, pg_server: PostgresServer, connector: FakeConnector
) -> None:
    url = pg_server.create_database()
    instances, _ = await up(tmp_path, url, connector)
    try:
        async with aiohttp.ClientSession() as session:
            for n in range(10):
                activity = act.message(f"uppgift Dubbel {n} @alla", act.user(n), connector.url, f"twice-{n}")
                statuses = await asyncio.gather(deliver(session, instances[0], activity),
                                                deliver(session, instances[1], activity))
                assert statuses == [200, 200]
                assert len(replied(connector, activity["id"])) == 1
    finally:
        stop_all(instances)
    async with database(url) as store:
        titles = Counter(i.title for i in await store.actions.all(TEAM_ID))
    assert all(titles[f"Dubbel {n}"] == 1 for n in range(10)), titles


# A dialog over both --------------------------------------------------------------------------------------
async def test_a_conversation_begun_on_one_instance_continues_on_the_other(
    tmp_path: Path, pg_server: PostgresServer, connector: FakeConnector
) -> None:
    url = pg_server.create_database()
    instances, _ = await up(tmp_path, url, connector)
    person = act.user(7)
    try:
        async with aiohttp.ClientSession() as session:
            assert await deliver(session, instances[0], act.message("incheckning", person, connector.url, "q-1")) == 200
            [question] = replied(connector, "q-1")
            assert "?" in question  # the bot asks the meeting's question and waits
            # The answer in the same thread (the dialog belongs to the thread and the person).
            answer = activities.message("Det går bra, vi har startat läsprojektet", person, activity_id="q-2",
                                        service_url=connector.url, where="channel", thread="q-1")
            assert await deliver(session, instances[1], answer) == 200
            assert replied(connector, "q-2"), "the other instance did not answer"
    finally:
        stop_all(instances)
    async with database(url) as store:
        stored = await store.checkins.get_answer(TEAM_ID, MEETING_ID, person.aad)
    assert stored is not None and stored.answer == "Det går bra, vi har startat läsprojektet"


# Reminders -----------------------------------------------------------------------------------------------
async def test_reminders_run_at_the_same_moment_on_both_reach_the_connector_once(
    tmp_path: Path, pg_server: PostgresServer, connector: FakeConnector
) -> None:
    url = pg_server.create_database()
    today = datetime.now(STOCKHOLM).date()
    friday = today + timedelta(days=14 + (4 - today.weekday()) % 7)  # a Friday two or three weeks ahead
    starts = datetime(friday.year, friday.month, friday.day, 9, tzinfo=STOCKHOLM)
    week_before = starts - timedelta(days=7)
    async with database(url) as store:
        ref = activities.conversation_ref(CHANNEL_ID, connector.url)
        await store.teams.save_team(Team(key=TEAM_ID, name="SKIS", kind="team", tenant_id=TENANT, conversation_ref=ref,
                                         installed_by=ANNA.aad, installed_at=datetime.now(UTC) - timedelta(days=30)))
        await store.teams.save_member(TEAM_ID, Member(key=ANNA.aad, teams_id=ANNA.id, name=ANNA.name,
                                                      municipality="Skövde", roles=frozenset({"medlem", "presidium"})))
        await store.meetings.save(Meeting(id=friday.strftime("%Y%m%d"), team_key=TEAM_ID, starts_at=starts,
                                          ends_at=starts + timedelta(hours=3), location="Skövde",
                                          created_at=datetime.now(UTC) - timedelta(days=30)))
        for n in range(6):  # each due three days after T: "3 dagar före slutdatumet kl. 09.00"
            await store.actions.create(TEAM_ID, title=f"Förbered punkt {n}", owners=[Owner(kind="member", name=ANNA.name,
                                                                                          key=ANNA.aad)],
                                       created_by=ANNA.aad, created_at=datetime.now(UTC) - timedelta(days=20),
                                       due=(week_before + timedelta(days=3)).date())
    at = week_before.isoformat()
    env = {"SKIS_DATABASE_URL": url}
    # Teams takes a moment to answer each send: the two runs overlap for certain.
    connector.latency = 0.4
    first, second = await asyncio.gather(
        asyncio.to_thread(run_cli, "reminders", "run", "--at", at, data_dir=tmp_path / "a", timeout=120, **env),
        asyncio.to_thread(run_cli, "reminders", "run", "--at", at, data_dir=tmp_path / "b", timeout=120, **env),
    )
    assert first.returncode == 0 and second.returncode == 0, (first.stderr, second.stderr)
    channel = [p for p in connector.posted if p.conversation_id == CHANNEL_ID]
    assert len(channel) == 1, "the week reminder went to the channel more than once (or not at all)"
    personal = Counter(json.dumps(p.cards, sort_keys=True) for p in connector.posted if p.conversation_id != CHANNEL_ID)
    assert sum(personal.values()) == 6, "one reminder per action item, to its owner"
    assert all(count == 1 for count in personal.values()), "a personal reminder was sent twice"
    # Run again on both: nothing more goes out.
    before = len(connector.posted)
    again = await asyncio.gather(
        asyncio.to_thread(run_cli, "reminders", "run", "--at", at, data_dir=tmp_path / "a", timeout=120, **env),
        asyncio.to_thread(run_cli, "reminders", "run", "--at", at, data_dir=tmp_path / "b", timeout=120, **env),
    )
    assert [r.returncode for r in again] == [0, 0]
    assert len(connector.posted) == before


# kill -9 under load ---------------------------------------------------------------------------------------
async def test_kill_9_of_one_instance_under_load_loses_nothing_acknowledged(
    tmp_path: Path, pg_server: PostgresServer, connector: FakeConnector
) -> None:
    url = pg_server.create_database()
    instances, _ = await up(tmp_path, url, connector)
    acked: list[str] = []
    stop = asyncio.Event()

    async def person(n: int, session: aiohttp.ClientSession) -> None:
        seq = 0
        while not stop.is_set():
            seq += 1
            text = f"Beslut {n}-{seq}" if seq % 2 else f"Uppgift {n}-{seq}"
            word = "beslut" if seq % 2 else "uppgift"
            suffix = "" if seq % 2 else " @alla"
            activity = act.message(f"{word} {text}{suffix}", act.user(n), connector.url, f"l-{n}-{seq}")
            target = instances[(n + seq) % 2]
            try:
                status = await deliver(session, target, activity)
            except (TimeoutError, aiohttp.ClientError):
                continue  # that instance is gone: not acknowledged, the person goes on with the other
            if status == 200 and replied(connector, activity["id"]):
                acked.append(f"{word}:{text}")

    try:
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(force_close=True)) as session:
            people = [asyncio.create_task(person(n, session)) for n in range(8)]
            await asyncio.sleep(2.0)
            instances[0].kill()
            killed_at = len(acked)
            await asyncio.sleep(2.0)
            stop.set()
            await asyncio.gather(*people)
    finally:
        stop_all(instances)
    assert killed_at > 0 and len(acked) > killed_at, "load did not run on both sides of the kill"
    async with database(url) as store:
        stored = Counter(f"beslut:{d.text.rstrip('.')}" for d in await store.decisions.all(TEAM_ID))
        stored.update(f"uppgift:{i.title}" for i in await store.actions.all(TEAM_ID))
    for what in acked:
        assert stored[what.rstrip(".")] == 1, f"acknowledged but {'lost' if not stored[what] else 'doubled'}: {what}"
    assert not [k for k, c in stored.items() if c > 1], "a record was stored twice"


# The database goes away ------------------------------------------------------------------------------------
async def test_a_database_outage_gets_clear_replies_and_the_service_recovers_by_itself(
    tmp_path: Path, server: PostgresServer, connector: FakeConnector
) -> None:
    url = server.create_database()
    [service], _ = await up(tmp_path, url, connector, count=1)
    try:
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(force_close=True)) as session:
            ok = act.message("uppgift Före avbrottet @alla", act.user(1), connector.url, "o-1")
            assert await deliver(session, service, ok) == 200 and replied(connector, "o-1")
            await asyncio.to_thread(server.pause)
            during = act.message("uppgift Under avbrottet @alla", act.user(1), connector.url, "o-2")
            started = time.monotonic()
            assert await deliver(session, service, during) == 200  # never a 500
            assert time.monotonic() - started < 15, "the turn waited longer than Teams does"
            [reply] = replied(connector, "o-2")
            assert reply == MESSAGES["core.not_saved"], reply  # "Jag kunde inte spara det just nu, så inget har ändrats …"
            async with session.get(f"{service.url}/healthz") as resp:
                assert resp.status == 503
            await asyncio.to_thread(server.resume)
            deadline = time.monotonic() + 30
            while True:
                async with session.get(f"{service.url}/healthz") as resp:
                    if resp.status == 200:
                        break
                assert time.monotonic() < deadline, "the service did not recover by itself"
                await asyncio.sleep(0.2)
            after = act.message("uppgift Efter avbrottet @alla", act.user(1), connector.url, "o-3")
            assert await deliver(session, service, after) == 200 and replied(connector, "o-3")
    finally:
        stop_all([service])
    async with database(url) as store:
        titles = {i.title for i in await store.actions.all(TEAM_ID)}
    assert {"Före avbrottet", "Efter avbrottet"} <= titles
    assert "Under avbrottet" not in titles


# Start-up without the database -------------------------------------------------------------------------
def test_serve_without_a_reachable_database_says_so_and_exits(tmp_path: Path) -> None:
    port = free_port()  # nothing listens there
    url = f"postgresql://skis:hemligt-losenord@127.0.0.1:{port}/skis"
    result = run_cli("serve", data_dir=tmp_path / "unused", timeout=60, SKIS_DATABASE_URL=url, PORT=str(free_port()))
    assert result.returncode == 1
    assert f"cannot use the database skis@127.0.0.1:{port}/skis" in result.stderr
    assert "hemligt" not in result.stderr + result.stdout  # the password is never shown
    assert "Traceback" not in result.stderr


def test_serve_refuses_a_database_url_that_is_not_one(tmp_path: Path) -> None:
    result = run_cli("serve", data_dir=tmp_path / "unused", timeout=60, SKIS_DATABASE_URL="mysql://x@y/z")
    assert result.returncode == 2
    assert "SKIS_DATABASE_URL must be a libpq URL" in result.stderr
