"""`kill -9` of a real `skis-bot serve` at random moments while people record: nothing acknowledged is lost.

Eight clients, each one person, record check-ins, action items and decisions over HTTP as fast
as the service answers. At a random moment the service gets SIGKILL (no cleanup, no flush);
then it is started again on the same data directory and the data is checked, 100 times over.

A record counts as acknowledged when the HTTP answer was 200 *and* the bot's confirmation
reached the (fake) Bot Connector. After every restart every acknowledged record must be there
exactly once. Requests cut off by the kill are delivered again after the restart with the same
activity id, as Teams does, and must not create a second record either.
"""

from __future__ import annotations

import asyncio
import os
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.dev.fake_connector import FakeConnector
from storage.meetings_repo import Meeting
from storage.store import Store
from storage.teams_repo import Team
from storage.tinydb_engine import TinyDBEngine
from tests.harness import ANNA, CHANNEL_ID, TEAM_ID, TENANT
from tests.reliability import activities as act
from tests.reliability.conftest import opened
from tests.reliability.service import Service

KILLS = int(os.environ.get("SKIS_KILL9_ROUNDS", "100"))
CLIENTS = 8
MEETING_ID = "kill9"
EARLY_KILLS = 0.25  # share of kills at a random moment from the process start
TIME_LIMIT = 240.0  # seconds for the whole loop; it normally takes well under two minutes


async def _seed(data_dir: Path) -> None:
    """A network with a meeting going on now (the service runs on the real clock)."""
    now = datetime.now(UTC)
    async with opened(TinyDBEngine(data_dir)) as engine:
        store = Store(engine)
        ref = {"channelId": "msteams", "conversation": {"id": CHANNEL_ID, "tenantId": TENANT}, "bot": {"id": act.BOT_ID}}
        await store.teams.save_team(Team(key=TEAM_ID, name="SKIS", kind="team", tenant_id=TENANT, conversation_ref=ref,
                                         installed_by=ANNA.aad, installed_at=now))
        await store.meetings.save(Meeting(id=MEETING_ID, team_key=TEAM_ID, starts_at=now - timedelta(hours=1),
                                          ends_at=now + timedelta(hours=8)))


@dataclass
class Client:
    """One person recording one thing after another; remembers what was acknowledged."""

    n: int
    seq: int = 0
    pending: dict[str, Any] | None = None  # cut off by a kill: delivered again after the restart
    acked_checkins: list[int] = field(default_factory=list)  # seq numbers, in order
    acked_texts: list[str] = field(default_factory=list)  # action items and decisions
    sent: int = 0

    @property
    def user(self) -> Any:
        return act.user(self.n)

    def next_activity(self, service_url: str) -> dict[str, Any]:
        self.seq += 1
        kind = self.seq % 3
        if kind == 0:
            text = f"incheckning svar {self.n}-{self.seq}"
        elif kind == 1:
            text = f"uppgift Uppgift {self.n}-{self.seq} @alla"
        else:
            text = f"beslut Beslut {self.n}-{self.seq}"
        return act.message(text, self.user, service_url, f"k-{self.n}-{self.seq}")


def _record_of(activity: dict[str, Any]) -> tuple[str, str]:
    text = activity["text"].split(" ", 1)[1]
    word, rest = text.split(" ", 1)
    if word == "incheckning":
        return "checkin", rest
    if word == "uppgift":
        return "action_item", rest.removesuffix(" @alla")
    return "decision", rest


async def _run_client(client: Client, session: aiohttp.ClientSession, url: str, connector: FakeConnector,
                      stop: asyncio.Event) -> None:
    while not stop.is_set():
        activity = client.pending or client.next_activity(connector.url)
        client.pending = activity
        try:
            async with session.post(url, json=activity, timeout=aiohttp.ClientTimeout(total=10)) as resp:
                status = resp.status
                await resp.read()
        except (TimeoutError, aiohttp.ClientError):
            return  # the service is gone; this one is delivered again after the restart
        client.sent += 1
        replied = any(p.activity_id == activity["id"] for p in reversed(connector.posted))
        if status == 200 and replied:
            kind, text = _record_of(activity)
            if kind == "checkin":
                client.acked_checkins.append(int(activity["id"].rsplit("-", 1)[1]))
            else:
                client.acked_texts.append(f"{kind}:{text}")
            client.pending = None
        elif status == 200:
            # Answered without a confirmation (e.g. a failed reply): not acknowledged; send again.
            pass
        else:
            raise AssertionError(f"unexpected HTTP {status} for {activity['text']!r}")


async def _check(data_dir: Path, clients: list[Client]) -> int:
    """Every acknowledged record is stored exactly once; nothing is stored twice. Returns records seen."""
    async with opened(TinyDBEngine(data_dir, read_only=True)) as engine:
        assert engine.verify_all() == []
        store = Store(engine)
        texts = Counter(f"action_item:{i.title}" for i in await store.actions.all(TEAM_ID))
        texts.update(f"decision:{d.text}" for d in await store.decisions.all(TEAM_ID))
        answers = {a.member_key: a.answer for a in await store.checkins.answers(TEAM_ID, MEETING_ID)}
        numbers = [i.number for i in await store.actions.all(TEAM_ID)]
    doubled = {t: c for t, c in texts.items() if c > 1}
    assert not doubled, f"stored twice: {doubled}"
    assert len(numbers) == len(set(numbers)), "two action items share a number"
    for client in clients:
        for text in client.acked_texts:
            assert texts[text] == 1, f"acknowledged but lost: {text}"
        if client.acked_checkins:
            stored = answers.get(client.user.aad)
            assert stored is not None, f"acknowledged check-in of {client.n} lost"
            stored_seq = int(stored.rsplit("-", 1)[1])
            assert stored_seq >= client.acked_checkins[-1], f"check-in of {client.n} went back to an older answer"
    return sum(texts.values()) + len(answers)


async def _check_off_the_loop(data_dir: Path, clients: list[Client]) -> int:
    """``_check`` on a loop of its own in a thread: this loop (the fake connector's) keeps answering
    the service meanwhile."""
    return await asyncio.to_thread(asyncio.run, _check(data_dir, clients))


@pytest.mark.slow
@pytest.mark.timeout(TIME_LIMIT + 120)
async def test_kill_9_at_random_moments_loses_nothing_acknowledged(tmp_path: Path) -> None:
    seed = int(os.environ.get("SKIS_KILL9_SEED", str(int(time.time()))))
    rng = random.Random(seed)
    data_dir = tmp_path / "data"
    await _seed(data_dir)
    connector = FakeConnector()
    await connector.start()
    connector.members[CHANNEL_ID] = []
    service = Service(data_dir)
    clients = [Client(n) for n in range(CLIENTS)]
    started = time.monotonic()
    kills = 0
    records = 0
    try:
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(force_close=True)) as session:
            url = f"{service.url}/api/messages"
            while kills < KILLS:
                assert time.monotonic() - started < TIME_LIMIT, f"only {kills} kills in {TIME_LIMIT}s (seed {seed})"
                if rng.random() < EARLY_KILLS:
                    # Some kills land while the service is still starting (opening the data, the
                    # reminders catching up) or has only just started.
                    service.spawn()
                    await asyncio.sleep(rng.uniform(0.05, 1.5))
                    service.kill()
                    kills += 1
                    continue
                await asyncio.to_thread(service.start)
                # After each restart the data loads and holds everything acknowledged so far.
                records = await _check_off_the_loop(data_dir, clients)
                stop = asyncio.Event()
                tasks = [asyncio.create_task(_run_client(c, session, url, connector, stop)) for c in clients]
                await asyncio.sleep(rng.uniform(0.02, 0.4))
                service.kill()
                kills += 1
                stop.set()
                await asyncio.gather(*tasks)
            # One last start: the final state loads and is complete.
            await asyncio.to_thread(service.start)
            records = await _check_off_the_loop(data_dir, clients)
            # Deliver what the last kill cut off; it must not be stored twice either.
            stop = asyncio.Event()
            for client in clients:
                if client.pending is not None:
                    await _run_client(client, session, url, connector, _stop_after_one(stop))
            records = await _check_off_the_loop(data_dir, clients)
    finally:
        service.kill()
        await connector.stop()
    acknowledged = sum(len(c.acked_texts) + len(c.acked_checkins) for c in clients)
    elapsed = time.monotonic() - started
    print(f"\nkill -9: {kills} kills in {elapsed:.0f}s, {acknowledged} acknowledged, {records} records stored (seed {seed})")
    assert kills >= 100 or KILLS < 100
    assert acknowledged >= kills  # the clients really got work done between kills


class _stop_after_one(asyncio.Event):  # noqa: N801 - used like the Event it is
    """An event that becomes set once one request has been made."""

    def __init__(self, parent: asyncio.Event) -> None:
        super().__init__()
        self._calls = 0

    def is_set(self) -> bool:
        self._calls += 1
        return self._calls > 1
