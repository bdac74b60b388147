"""`skis-bot import-minutes`: dry run, storing with sources, importing twice, the running service,
and imported decisions found by `beslutslogg` through /api/messages."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.cli import main
from bot.importing.cli import read_file
from bot.importing.store import store_import
from bot.rules.municipalities import DEFAULT_MUNICIPALITIES
from storage.actions_repo import DONE, OPEN, PROPOSED
from storage.open import open_store
from storage.teams_repo import Member, Team
from tests.harness import ANNA, PETER, SOFIA, TEAM_ID, Harness

SEEDS = Path(__file__).resolve().parent / "seeds"
S001, S002, S003 = (str(SEEDS / n) for n in ("001_d9288182e0b31339.txt", "002_50fb19cfd51f10ad.txt", "003_43d007bbcdcf2f3b.txt"))
TEAM = "19:skis@thread.tacv2"
T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
STOCKHOLM = ZoneInfo("Europe/Stockholm")

# A scanned page in an older layout: a decision with broken å/ä/ö, and a task for a member.
SCANNED = """Protokoll SKIS 2019-03-15

Nérvarande: Peter Stark Skévde, Anna Gustafsson Gétene och Lena Holm Falkoping

Beslut: Nitverket ska triffas pa fredagar i Téreboda under véren.

Peter mailar ut kallelsen till nésta mote. Anna bokar lokalen.
"""


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "data"

    async def fill() -> None:  # the tests run `main` (and its loop) themselves: the data is written first
        store = open_store(directory)
        await store.teams.save_team(Team(TEAM, "SKIS", "team", "tenant", {}, "aad-anna", T0))
        await store.teams.save_members(TEAM, [Member("aad-susanne", "29:s", "Susanne Sandgren", "aad-susanne",
                                                     "Skaraborgs kommunalförbund")])
        await store.close()

    asyncio.run(fill())
    monkeypatch.setenv("SKIS_DATA_DIR", str(directory))
    return directory


def snapshot(directory: Path) -> dict[str, bytes]:
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def exported(capsysbinary: pytest.CaptureFixture[bytes]) -> dict:  # type: ignore[type-arg]
    capsysbinary.readouterr()
    assert main(["export", "--team", TEAM]) == 0
    return json.loads(capsysbinary.readouterr().out.decode("utf-8"))["teams"][0]


def test_dry_run_marks_what_is_uncertain_and_stores_nothing_even_while_the_service_runs(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(data)
    running = open_store(data)  # the service
    try:
        assert main(["import-minutes", S003, S002, "--team", TEAM, "--dry-run"]) == 0
    finally:
        asyncio.run(running.close())
    out, err = capsys.readouterr()
    assert "Datum: 2024-05-24 (stycke 1)" in out
    assert "Jonas Bergström, Hjo (stycke 2)  [OSÄKERT: namnet skannat som \"Bergstrom\", läst som \"Bergström\"]" in out
    assert "stycke 2: Gétene → Götene" in out and "stycke 3: ér → är  [OSÄKERT: kan vara år]" in out
    assert "[OSÄKERT: syftar på meningen före]" in out
    assert "Datum: saknas  [OSÄKERT: inget datum i rubriken: ange mötets datum]" in out
    assert "  2/10 (år okänt) kl. 13.00–15.00, digitalt (stycke 17)  [OSÄKERT: året okänt" in out
    assert "nothing was stored" in err
    assert snapshot(data) == before


def test_import_stores_everything_with_its_source_and_a_second_import_changes_nothing(
    data: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    assert main(["import-minutes", S001, S003, "--team", TEAM]) == 0
    assert main(["import-minutes", S002, "--team", TEAM, "--date", "2024-09-20"]) == 0
    team = exported(capsysbinary)
    meetings = {m["id"]: m for m in team["meetings"]}
    assert sorted(meetings) == ["20230526", "20240524", "20240920", "20241002", "20241108", "20241204"]
    first = meetings["20230526"]
    assert first["extra"]["source"]["file"] == "001_d9288182e0b31339.txt" and first["extra"]["time_unknown"] is True
    assert len(first["present"]) == 15
    susanne = next(p for p in first["present"] if p["name"] == "Susanne Sandgren")
    assert susanne["member_id"] == "aad-susanne"  # matched to the register
    assert susanne["source"] == {"file": "001_d9288182e0b31339.txt", "paragraph": 3}
    planned = meetings["20241108"]
    assert (planned["starts_at"], planned["ends_at"], planned["location"]) == (
        "2024-11-08T08:00:00+00:00",
        "2024-11-08T14:00:00+00:00",
        "Regionens hus, Skövde",
    )
    assert planned["extra"]["source"]["paragraph"] == 18
    items = team["action_items"]
    assert [(i["number"], i["status"], i["source"]) for i in items] == [
        (1, PROPOSED, {"file": "001_d9288182e0b31339.txt", "paragraph": 48}),
        (2, PROPOSED, {"file": "003_43d007bbcdcf2f3b.txt", "paragraph": 18}),
        (3, PROPOSED, {"file": "003_43d007bbcdcf2f3b.txt", "paragraph": 29}),
        (4, PROPOSED, {"file": "002_50fb19cfd51f10ad.txt", "paragraph": 11}),
    ]
    assert items[0]["owners"] == [{"kind": "member", "name": "Susanne Sandgren", "key": "aad-susanne"}]
    minutes = {m["meeting_id"]: m for m in team["minutes"]}
    assert sorted(minutes) == ["20230526", "20240524", "20240920"]
    assert minutes["20240524"]["status"] == "confirmed" and minutes["20240524"]["version"] == 1
    assert minutes["20240524"]["content"]["imported"]["original_text"] == Path(S003).read_text(encoding="utf-8")

    capsysbinary.readouterr()
    before = snapshot(data)
    assert main(["import-minutes", S001, S003, "--team", TEAM]) == 0
    assert main(["import-minutes", S002, "--team", TEAM, "--date", "2024-09-20"]) == 0
    assert snapshot(data) == before
    assert capsysbinary.readouterr().err.decode("utf-8").count("was already imported") == 3


def test_a_planned_meeting_is_joined_by_the_minutes_of_that_meeting(data: Path, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    later = tmp_path / "2024-11-08.txt"
    later.write_text("Minnesanteckningar 2024-11-08\n\nNärvarande: Anna Gustafsson Götene\n\nBeslut: Vi ses i december.\n", encoding="utf-8")
    assert main(["import-minutes", S002, "--team", TEAM, "--date", "2024-09-20"]) == 0
    assert main(["import-minutes", str(later), "--team", TEAM]) == 0
    team = exported(capsysbinary)
    nov = [m for m in team["meetings"] if m["id"].startswith("20241108")]
    assert len(nov) == 1 and nov[0]["location"] == "Regionens hus, Skövde" and len(nov[0]["present"]) == 1
    assert [(d["number"], d["meeting_id"], d["source"]) for d in team["decisions"]] == [
        (1, "20241108", {"file": "2024-11-08.txt", "paragraph": 3})
    ]


def test_the_same_minutes_in_another_file_are_not_imported_twice(
    data: Path, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    copy = tmp_path / "2023-05-26 kopia.txt"
    copy.write_text(Path(S001).read_text(encoding="utf-8") + "\n(kopia)\n", encoding="utf-8")
    assert main(["import-minutes", S001, "--team", TEAM]) == 0
    before = snapshot(data)
    assert main(["import-minutes", str(copy), "--team", TEAM]) == 1
    assert snapshot(data) == before
    err = capsysbinary.readouterr().err.decode("utf-8")
    assert "har redan minnesanteckningar importerade från 001_d9288182e0b31339.txt" in err


def test_writing_while_the_service_runs_says_to_stop_it(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    running = open_store(data)
    try:
        before = snapshot(data)
        assert main(["import-minutes", S001, "--team", TEAM]) == 1
        assert snapshot(data) == before
    finally:
        asyncio.run(running.close())
    err = capsys.readouterr().err
    assert "Stop the service first" in err and "Nothing was imported" in err


def test_errors(data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import-minutes", S001, "--team", "nope"]) == 1
    assert "no team with id 'nope'" in capsys.readouterr().err
    assert main(["import-minutes", S001, S002, "--team", TEAM, "--date", "2024-09-20"]) == 2
    assert "en fil i taget" in capsys.readouterr().err
    assert main(["import-minutes", S002, "--team", TEAM, "--date", "20 sep"]) == 2
    capsys.readouterr()
    # One bad file does not stop the others; the exit status says something failed.
    (tmp_path / "x.odt").write_bytes(b"x")
    assert main(["import-minutes", str(tmp_path / "x.odt"), S002, S001, "--team", TEAM]) == 1
    err = capsys.readouterr().err
    assert "okänd filtyp" in err and "--date" in err and "001_d9288182e0b31339.txt -> meeting 20230526" in err
    assert "\x1b" not in err  # no progress line when the output is not a terminal


async def test_imported_decisions_are_found_by_beslutslogg_and_proposed_items_can_be_closed(
    harness: Harness, tmp_path: Path
) -> None:
    await harness.install(ANNA, roster=[ANNA, PETER, SOFIA])
    path = tmp_path / "skannat-2019.txt"
    path.write_text(SCANNED, encoding="utf-8")
    register = [m.name for m in await harness.store.teams.members(TEAM_ID)]
    found, parsed = read_file(path, municipalities=DEFAULT_MUNICIPALITIES, register=register, meeting_date=None)
    assert parsed.date.value == date(2019, 3, 15)
    stored = await store_import(harness.store, TEAM_ID, found, parsed, tz=STOCKHOLM, now=harness.clock.now())
    assert stored.new["decisions"] == 1 and stored.new["action_items"] == 2
    (decision,) = await harness.store.decisions.all(TEAM_ID)
    assert decision.text == "Nätverket ska träffas på fredagar i Töreboda under våren."
    assert decision.source == {"file": "skannat-2019.txt", "paragraph": 3}

    for query in ("toreboda", "TRÄFFAS", "natverket fredag"):
        replies = await harness.say_cards(f"beslutslogg {query}")
        assert "Töreboda under våren" in json.dumps(replies, ensure_ascii=False), query
    replies = await harness.say("beslutslogg budget")
    assert "Inget beslut innehåller" in replies[0]

    item, booking = await harness.store.actions.all(TEAM_ID)
    assert item.status == PROPOSED and item.owners[0].key == PETER.aad
    replies = await harness.say(f"klar {item.number}", PETER)
    assert (await harness.store.actions.by_number(TEAM_ID, item.number)).status == DONE, replies  # type: ignore[union-attr]
    # A proposal someone takes up becomes an ordinary open item.
    assert booking.status == PROPOSED and booking.owners[0].key == ANNA.aad
    await harness.say(f"ångra {booking.number}", ANNA)
    assert (await harness.store.actions.by_number(TEAM_ID, booking.number)).status == OPEN  # type: ignore[union-attr]


def test_progress_only_on_a_terminal() -> None:
    import io

    from bot.importing.cli import _progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal, pipe = Terminal(), io.StringIO()
    for stream in (terminal, pipe):
        _progress(stream, 3, 40, "protokoll-2019.docx")
    assert terminal.getvalue() == "\r3/40 protokoll-2019.docx\x1b[K" and pipe.getvalue() == ""
