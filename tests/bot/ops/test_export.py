"""`skis-bot export`: the JSON document (every repository's records), iCalendar, files and errors."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli import main
from bot.ops import export
from storage.attendance_repo import YES, AttendanceAnswer
from storage.engine import MemoryEngine
from storage.meetings_repo import Meeting
from storage.open import open_store
from storage.store import Store
from storage.teams_repo import Member, Team

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TEAM = "19:skis@thread.tacv2"


async def _fill(store: Store) -> None:
    await store.teams.save_team(Team(TEAM, "SKIS", "team", "tenant", {"municipalities": ["Hjo", "Skövde"]}, "aad-anna", T0))
    await store.teams.save_members(
        TEAM,
        [
            Member("aad-anna", "29:a", "Anna Gustafsson", "aad-anna", "Götene", frozenset({"medlem", "ordförande", "presidium"}), joined_at=T0),
            Member("aad-peter", "29:p", "Peter Stark", "aad-peter", "Skövde"),
        ],
    )
    meeting = Meeting("20261204", TEAM, datetime(2026, 12, 4, 8, 0, tzinfo=UTC), datetime(2026, 12, 4, 11, 0, tzinfo=UTC), "Regionens hus", ("UP2",))
    await store.meetings.save(meeting)
    await store.agenda.add(meeting, "Bästa skola", by="aad-peter", by_name="Peter Stark", at=T0)
    await store.attendance.answer(AttendanceAnswer(TEAM, meeting.id, "aad-peter", "Peter Stark", YES, T0, municipality="Skövde"))


async def test_document_shape():
    store = Store(MemoryEngine())
    await _fill(store)
    doc = await export.build_export(store, now=T0)
    assert doc["format"] == "skis-bot-export" and doc["version"] == 1 and doc["exported_at"] == "2026-11-23T09:00:00+00:00"
    (team,) = doc["teams"]
    assert team["id"] == TEAM and team["name"] == "SKIS"
    assert team["members"][0] == {
        "id": "aad-anna",
        "teams_id": "29:a",
        "aad_object_id": "aad-anna",
        "name": "Anna Gustafsson",
        "municipality": "Götene",
        "municipalities": ["Götene"],
        "roles": ["medlem", "ordförande", "presidium"],
        "active": True,
        "joined_at": "2026-11-23T09:00:00+00:00",
    }
    (meeting,) = team["meetings"]
    assert meeting["starts_at"] == "2026-12-04T08:00:00+00:00" and meeting["ends_at"] == "2026-12-04T11:00:00+00:00"
    assert datetime.fromisoformat(meeting["starts_at"]).utcoffset() is not None
    assert [i["title"] for i in meeting["agenda"]] == ["UP2", "Bästa skola"]
    assert meeting["attendance"][0]["member_id"] == "aad-peter" and meeting["attendance"][0]["answer"] == "yes"
    # Other capabilities' repositories add their own lists.
    assert "action_items" in team
    json.loads(export.to_json(doc))


async def test_every_exporting_repository_is_collected():
    store = Store(MemoryEngine())
    await _fill(store)

    class Extra:
        async def export(self, team_key: str) -> dict[str, list[dict]]:
            return {"extra_records": [{"team": team_key}]}

    store.extra = Extra()  # type: ignore[attr-defined]
    team = (await export.build_export(store, now=T0))["teams"][0]
    assert team["extra_records"] == [{"team": TEAM}]

    class Clash:
        async def export(self, team_key: str) -> dict[str, list[dict]]:
            return {"meetings": []}

    store.clash = Clash()  # type: ignore[attr-defined]
    with pytest.raises(export.ExportError):
        await export.build_export(store, now=T0)


async def test_unknown_team():
    store = Store(MemoryEngine())
    await _fill(store)
    with pytest.raises(export.ExportError, match="no team"):
        await export.build_export(store, now=T0, team_key="nope")
    assert (await export.build_export(store, now=T0, team_key=TEAM))["teams"][0]["id"] == TEAM


def _data_dir(tmp_path: Path) -> Path:
    """A data directory with the records of ``_fill`` (for the command line tests, which run ``main`` themselves)."""
    data = tmp_path / "data"

    async def fill() -> None:
        store = open_store(data)
        await _fill(store)
        await store.close()

    asyncio.run(fill())
    return data


def test_cli_json_to_stdout_while_the_service_holds_the_lock(tmp_path, monkeypatch, capsysbinary):
    data = _data_dir(tmp_path)
    monkeypatch.setenv("SKIS_DATA_DIR", str(data))
    running = open_store(data)  # the service
    try:
        assert main(["export"]) == 0
    finally:
        asyncio.run(running.close())
    doc = json.loads(capsysbinary.readouterr().out.decode("utf-8"))
    assert doc["teams"][0]["meetings"][0]["location"] == "Regionens hus"


def test_cli_ics_to_file(tmp_path, monkeypatch):
    data = _data_dir(tmp_path)
    monkeypatch.setenv("SKIS_DATA_DIR", str(data))
    out = tmp_path / "kalender.ics"
    assert main(["export", "--format", "ics", "--out", str(out), "--team", TEAM]) == 0
    text = out.read_bytes()
    assert text.startswith(b"BEGIN:VCALENDAR") and b"DTSTART;TZID=Europe/Stockholm:20261204T090000" in text
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_cli_errors(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SKIS_DATA_DIR", str(tmp_path / "missing"))
    assert main(["export"]) == 1
    assert "does not exist" in capsys.readouterr().err
    monkeypatch.setenv("SKIS_DATA_DIR", str(_data_dir(tmp_path)))
    assert main(["export", "--team", "nope"]) == 1
    assert "no team" in capsys.readouterr().err
