"""`skis-bot forget-member` and `skis-bot privacy purge` on a data directory the real bot wrote."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.app import SERVICES_KEY
from storage.attendance_repo import Presence
from storage.privacy_repo import FORGOTTEN_NAME
from storage.store import Store
from storage.teams_repo import Member, Team
from storage.tinydb_engine import TinyDBEngine
from tests.harness import ANNA, PETER, SOFIA, TEAM_ID
from tests.reliability.conftest import MEETING_ID, close_disk_bot, open_disk_bot, opened
from tests.reliability.service import run_cli
from tests.reliability.test_backup import snapshot

OTHER_TEAM = "19:another-network@thread.tacv2"
PETER_MARKS = (PETER.aad, PETER.id, PETER.name)


async def _populate(data_dir: Path) -> None:
    """Peter leaves traces everywhere the bot stores something about a person."""
    bot = await open_disk_bot(data_dir)
    h = bot.harness
    try:
        for text, user, extra in [
            ("kommun Hjo", PETER, {}),
            ("kommer", PETER, {}),
            ("incheckning Jag tog med mig idéer", PETER, {}),
            ("utcheckning Bra dag", PETER, {}),
            ("punkt Skolutveckling i Hjo", PETER, {}),
            ("uppgift Boka lokal @Peter Stark", ANNA, {"mentions": [PETER]}),
            ("uppgift Skriv inbjudan @Sofia Adolfsson", PETER, {"mentions": [SOFIA]}),
            ("beslut Vi kör UP2 i januari", PETER, {}),
            ("incheckning Sofias svar", SOFIA, {}),
            ("kommer", SOFIA, {}),
        ]:
            assert await h.say(text, user, **extra)
        assert await h.say("hjälp", PETER, where="personal") == []  # a 1:1 chat: its reference is kept
        assert await h.say("uppgift", PETER, where="personal")  # a dialog left waiting: dialog state
        item = (await h.store.actions.all(TEAM_ID))[0]
        assert await h.say(f"klar {item.number}", PETER)
        # A reminder to Peter about an item he owns: the sent-log keys entries by their target.
        assert await h.say("uppgift Ring skolchefen @Peter Stark till 4 december", ANNA, mentions=[PETER])
        service = h.app[SERVICES_KEY].reminders
        assert service is not None
        runner = service.runner
        sent = [r for day in range(12) for r in (await runner.run_due(h.clock.now() + timedelta(days=day))).results]
        assert any(r.target == PETER.aad and r.status == "sent" for r in sent), sent
        # Peter, as secretary, records who was present.
        at = h.clock.now()
        await h.store.attendance.update_present(TEAM_ID, MEETING_ID, add=[
                  Presence(name=SOFIA.name, recorded_by=PETER.aad, recorded_at=at, member_key=SOFIA.aad),
                  Presence(name="Gäst Gästsson", recorded_by=PETER.aad, recorded_at=at),
              ])
    finally:
        await close_disk_bot(bot)


def _traces(data_dir: Path, marks: tuple[str, ...]) -> list[str]:
    """Data files whose bytes still mention any of ``marks``."""
    return [rel for rel, raw in snapshot(data_dir).items() if any(m.encode() in raw for m in marks)]


async def test_forget_member_removes_every_trace_and_keeps_the_records(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    await _populate(data_dir)
    assert _traces(data_dir, PETER_MARKS)  # the test data really mentions him

    result = run_cli("forget-member", PETER.aad, data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    assert "check-in/check-out answers deleted: 2" in result.stdout

    assert _traces(data_dir, PETER_MARKS) == []
    async with opened(TinyDBEngine(data_dir, read_only=True)) as engine:
        store = Store(engine)
        assert await store.teams.get_member(TEAM_ID, PETER.aad) is None
        anonymous = [m for m in await store.teams.members(TEAM_ID, active_only=False) if m.name == FORGOTTEN_NAME]
        assert len(anonymous) == 1 and not anonymous[0].active and anonymous[0].municipality is None
        assert await store.checkins.answers_of(TEAM_ID, PETER.aad) == []
        assert [a.answer for a in await store.checkins.answers_of(TEAM_ID, SOFIA.aad)] == ["Sofias svar"]
        assert [a.member_key for a in await store.attendance.answers(TEAM_ID, MEETING_ID)] == [SOFIA.aad]
        items = {i.title: i for i in await store.actions.all(TEAM_ID)}
        assert [o.name for o in items["Boka lokal"].owners] == [FORGOTTEN_NAME]
        assert items["Boka lokal"].owners[0].key == anonymous[0].key and items["Boka lokal"].done_by == anonymous[0].key
        assert items["Skriv inbjudan"].created_by_name == FORGOTTEN_NAME
        assert items["Skriv inbjudan"].owners[0].name == SOFIA.name
        [decision] = await store.decisions.all(TEAM_ID)
        assert decision.text == "Vi kör UP2 i januari" and decision.recorded_by_name == FORGOTTEN_NAME
        assert await store.teams.personal_ref(PETER.aad) is None
        assert await store.teams.teams_of_person(PETER.aad) == []
        assert await store.teams.get_member(TEAM_ID, SOFIA.aad) is not None
        # Who was present stays; who recorded it does not.
        present = await store.attendance.present(TEAM_ID, MEETING_ID)
        assert [(p.name, p.member_key, p.recorded_by) for p in present] == [
            ("Gäst Gästsson", None, anonymous[0].key), (SOFIA.name, SOFIA.aad, anonymous[0].key)]

    # The bot still works on the directory, and Peter can come back as a new member.
    bot = await open_disk_bot(data_dir, install=False)
    try:
        assert await bot.harness.say("incheckning Tillbaka igen", PETER)
        assert (await bot.harness.store.teams.get_member(TEAM_ID, PETER.aad)).name == PETER.name
    finally:
        await close_disk_bot(bot)


async def test_forget_member_in_one_network_leaves_the_other(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    await _populate(data_dir)
    async with opened(TinyDBEngine(data_dir)) as engine:
        store = Store(engine)
        await store.teams.save_team(Team(key=OTHER_TEAM, name="Annat nätverk", kind="team", tenant_id=None, conversation_ref={},
                                         installed_by=None, installed_at=datetime(2026, 1, 1, tzinfo=UTC)))
        await store.teams.save_member(OTHER_TEAM, Member(key=PETER.aad, teams_id=PETER.id, name=PETER.name, aad_object_id=PETER.aad))
        await store.checkins.save_answer(OTHER_TEAM, "m1", PETER.aad, question="?", answer="annat svar", at=datetime(2026, 11, 1, tzinfo=UTC))

    result = run_cli("forget-member", PETER.id, "--team", TEAM_ID, data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    async with opened(TinyDBEngine(data_dir, read_only=True)) as engine:
        store = Store(engine)
        assert await store.teams.get_member(TEAM_ID, PETER.aad) is None
        assert (await store.teams.get_member(OTHER_TEAM, PETER.aad)).name == PETER.name
        assert [a.answer for a in await store.checkins.answers_of(OTHER_TEAM, PETER.aad)] == ["annat svar"]
        assert await store.teams.teams_of_person(PETER.aad) == [OTHER_TEAM]
        assert await store.teams.personal_ref(PETER.aad) is not None  # still in a network: 1:1 reminders go on


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["forget-member", "aad-nobody"], "nobody with the id"),
        (["forget-member", PETER.aad, "--team", "19:not-his@thread.tacv2"], "is not in the member list"),
    ],
)
async def test_forget_member_refusals_change_nothing(tmp_path: Path, args: list[str], message: str) -> None:
    data_dir = tmp_path / "data"
    await _populate(data_dir)
    before = snapshot(data_dir)
    result = run_cli(*args, data_dir=data_dir)
    assert result.returncode == 1 and message in result.stderr
    assert snapshot(data_dir) == before


async def test_forget_member_while_the_service_runs_says_stop_it_first(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    await _populate(data_dir)
    before = snapshot(data_dir)
    async with opened(TinyDBEngine(data_dir)):  # holds the lock like `skis-bot serve`
        result = run_cli("forget-member", PETER.aad, data_dir=data_dir)
    assert result.returncode == 1 and "Stop the service" in result.stderr
    assert snapshot(data_dir) == before


async def test_forget_member_dry_run_changes_nothing(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    await _populate(data_dir)
    before = snapshot(data_dir)
    result = run_cli("forget-member", PETER.aad, "--dry-run", "--json", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["answers_deleted"] == 2
    assert snapshot(data_dir) == before


async def test_privacy_purge_deletes_answers_past_retention(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    now = datetime.now(UTC)
    async with opened(TinyDBEngine(data_dir)) as engine:
        store = Store(engine)
        await store.teams.save_team(Team(key=TEAM_ID, name="SKIS", kind="team", tenant_id=None, conversation_ref={},
                                         installed_by=None, installed_at=now - timedelta(days=1000)))
        for who, days in (("a", 500), ("b", 100), ("c", 5)):
            await store.checkins.save_answer(TEAM_ID, f"m-{who}", who, question="?", answer=who, at=now - timedelta(days=days))
            await store.checkins.save_answer(TEAM_ID, f"m-{who}", who, kind="checkout", question="?", answer=who, at=now - timedelta(days=days))

    dry = run_cli("privacy", "purge", "--dry-run", data_dir=data_dir)
    assert dry.returncode == 0 and "2 check-in/check-out answers" in dry.stdout
    result = run_cli("privacy", "purge", data_dir=data_dir)  # default: 365 days
    assert result.returncode == 0 and "Deleted 2" in result.stdout, result.stderr
    result = run_cli("privacy", "purge", data_dir=data_dir, SKIS_CHECKIN_RETENTION_DAYS="30")
    assert "Deleted 2" in result.stdout
    async with opened(TinyDBEngine(data_dir, read_only=True)) as engine:
        store = Store(engine)
        assert {a.member_key for w in "abc" for a in await store.checkins.answers_of(TEAM_ID, w)} == {"c"}
    result = run_cli("privacy", "purge", "--days", "0", data_dir=data_dir)
    assert "Retention is off" in result.stdout


class _Killed(BaseException):
    """The process dying: nothing after it runs (not even except Exception handlers)."""


async def _forget_killed_after(data_dir: Path, writes: int | None, member_id: str) -> int:
    """``forget-member`` in this process, dying just before its ``writes + 1``-th file write
    (None: never); returns how many writes it made."""
    import storage.tinydb_engine as tinydb_engine
    from bot.ops.privacy import forget_member
    from storage.open import open_store

    real_write = tinydb_engine.atomic_write
    made = 0

    def write_or_die(path: Path, data: bytes, *, root: Path) -> None:
        nonlocal made
        if writes is not None and made >= writes:
            raise _Killed
        real_write(path, data, root=root)
        made += 1

    store = open_store(data_dir)
    tinydb_engine.atomic_write = write_or_die
    try:
        await forget_member(store, member_id)
    except _Killed:
        pass
    finally:
        tinydb_engine.atomic_write = real_write
        await store.close()  # the lock dies with the process
    return made


async def test_forget_member_killed_at_every_step_finishes_when_run_again(tmp_path: Path) -> None:
    populated = tmp_path / "populated"
    await _populate(populated)
    counted = tmp_path / "counted"
    shutil.copytree(populated, counted)
    steps = await _forget_killed_after(counted, None, PETER.aad)
    assert steps >= 6  # the job, the team, the reminder log, meetings, global, dialog state, the job's end
    expected = snapshot(counted)
    assert _traces(counted, PETER_MARKS) == []

    for killed_after in range(steps):
        data_dir = tmp_path / f"killed-{killed_after}"
        shutil.copytree(populated, data_dir)
        assert await _forget_killed_after(data_dir, killed_after, PETER.aad) == killed_after
        # Run again, naming the person by another of their ids.
        result = run_cli("forget-member", PETER.id if killed_after % 2 else PETER.aad, data_dir=data_dir)
        assert result.returncode == 0, (killed_after, result.stderr)
        assert ("earlier run" in result.stdout) == (killed_after > 0), (killed_after, result.stdout)
        assert _traces(data_dir, PETER_MARKS) == [], killed_after
        done = snapshot(data_dir)
        assert done.keys() == expected.keys(), killed_after
        async with opened(TinyDBEngine(data_dir, read_only=True)) as engine:
            store = Store(engine)
            anonymous = [m for m in await store.teams.members(TEAM_ID, active_only=False) if m.name == FORGOTTEN_NAME]
            assert len(anonymous) == 1, killed_after
            assert (await engine.read("global")).all("forget_jobs") == []
            assert [a.member_key for a in await store.attendance.answers(TEAM_ID, MEETING_ID)] == [SOFIA.aad]
        # And once more: nothing left to do, nothing changed.
        again = run_cli("forget-member", PETER.aad, data_dir=data_dir)
        assert again.returncode == 1 and "nobody with the id" in again.stderr
        assert snapshot(data_dir) == done
