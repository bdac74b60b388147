"""The yearly report: `skis-bot report --year YYYY --format md|html|docx|json` and `årsrapport` in Teams."""

from __future__ import annotations

import asyncio
import io
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.cli import main
from bot.publishing.report import tags
from storage.actions_repo import DONE, MEMBER, Owner
from storage.attendance_repo import YES, AttendanceAnswer
from storage.meetings_repo import CANCELLED, Meeting
from storage.open import open_store
from storage.store import Store
from storage.teams_repo import Member, Team
from tests.harness import ANNA, PETER, TEAM_ID, Harness

TEAM = "19:skis-team@thread.tacv2"
ANNA_KEY, SOFIA_KEY, PETER_KEY = "aad-anna", "aad-sofia", "aad-peter"


async def _meeting(store: Store, team: str, day: date, place: str, who: tuple[tuple[str, str, str], ...], *, status: str = "planned") -> str:
    start = datetime(day.year, day.month, day.day, 8, 0, tzinfo=UTC)
    mid = day.strftime("%Y%m%d")
    await store.meetings.save(Meeting(mid, team, start, start + timedelta(hours=3), place, status=status))
    for key, name, municipality in who:
        await store.attendance.answer(AttendanceAnswer(team, mid, key, name, YES, start - timedelta(days=2), municipality))
    return mid


async def fill_year(store: Store, team: str = TEAM, year: int = 2025) -> None:
    """Four meetings in ``year`` (one on a Thursday, one cancelled extra), decisions and items, some tagged."""
    if await store.teams.get_team(team) is None:
        await store.teams.save_team(Team(team, "SKIS", "team", "tenant", {}, ANNA_KEY, datetime(year - 1, 8, 1, tzinfo=UTC)))
    await store.teams.save_members(team, [
        Member(ANNA_KEY, "29:anna", "Anna Gustafsson", ANNA_KEY, "Götene", frozenset({"medlem", "ordförande"})),
        Member(SOFIA_KEY, "29:sofia", "Sofia Adolfsson", SOFIA_KEY, "Lidköping", frozenset({"medlem", "sekreterare"})),
        Member(PETER_KEY, "29:peter", "Peter Stark", PETER_KEY, "Skövde, Tibro"),
    ])
    anna = (ANNA_KEY, "Anna Gustafsson", "Götene")
    sofia = (SOFIA_KEY, "Sofia Adolfsson", "Lidköping")
    peter = (PETER_KEY, "Peter Stark", "Skövde, Tibro")
    first = await _meeting(store, team, date(year, 2, 7), "Skövde stadshus", (anna, sofia))
    await _meeting(store, team, date(year, 4, 4), "Teams", (anna, peter))
    thursday = await _meeting(store, team, date(year, 6, 12), "Regionens hus", (anna,))
    await _meeting(store, team, date(year, 9, 19), "Teams", (anna, sofia, peter))
    await _meeting(store, team, date(year, 10, 17), "Teams", (anna, sofia, peter), status=CANCELLED)
    at = datetime(year, 2, 7, 10, 0, tzinfo=UTC)
    await store.decisions.record(team, first, text="Nätverket tar fram en gemensam resultatbild. #uppdrag2", recorded_by=ANNA_KEY, at=at)
    await store.decisions.record(team, thursday, text="Skolverket bjuds in till hösten.", recorded_by=ANNA_KEY, at=at)
    done = await store.actions.create(team, title="Samla in nyckeltal #Uppdrag 2", owners=(Owner(MEMBER, "Sofia Adolfsson", SOFIA_KEY),),
                                created_by=ANNA_KEY, created_at=at, meeting_id=first, due=date(year, 3, 1))
    await store.actions.set_status(done, DONE, by=SOFIA_KEY, at=at + timedelta(days=10))
    await store.actions.create(team, title="Sprida arbetssätt från Tidaholm #uppdrag1", owners=(Owner(MEMBER, "Peter Stark", PETER_KEY),),
                         created_by=ANNA_KEY, created_at=at, meeting_id=first, due=date(year, 5, 1))
    await store.actions.create(team, title="Boka lokal", owners=(Owner(MEMBER, "Anna Gustafsson", ANNA_KEY),),
                         created_by=ANNA_KEY, created_at=at, meeting_id=thursday)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = tmp_path / "data"

    async def fill() -> None:  # the tests run `main` (and its loop) themselves: the data is written first
        store = open_store(data)
        await fill_year(store)
        await store.close()

    asyncio.run(fill())
    monkeypatch.setenv("SKIS_DATA_DIR", str(data))
    return data


@pytest.mark.parametrize(("text", "expected"), [
    ("Beslut #uppdrag2", (2,)), ("#Uppdrag 1 och #UPPDRAG3", (1, 3)), ("# uppdrag2", (2,)), ("uppdrag 2", ()), ("#uppdraget", ()),
])
def test_tags(text: str, expected: tuple[int, ...]) -> None:
    assert tags(text) == expected


def test_json_has_every_check_the_mission_statement_asks_for(data_dir, capsysbinary) -> None:
    assert main(["report", "--year", "2025", "--format", "json"]) == 0
    doc = json.loads(capsysbinary.readouterr().out)
    assert doc["meetings_held"] == 4 and doc["at_least_four"] is True and doc["all_on_fridays"] is False
    assert [m["friday"] for m in doc["meetings"]] == [True, True, False, True]
    assert doc["representation"]["Götene"] == 4 and doc["representation"]["Tibro"] == 2 and doc["representation"]["Lidköping"] == 2
    assert doc["never_represented"] == ["Essunga", "Falköping", "Grästorp", "Gullspång", "Hjo", "Karlsborg", "Mariestad",
                                        "Skara", "Tidaholm", "Töreboda", "Vara"]
    assert [d["number"] for d in doc["decisions"]] == [1, 2]
    assert (doc["items_done"], doc["items_open"], doc["items_overdue"]) == (1, 1, 1)
    assert [(i["title"], i["state"], i["owners"]) for i in doc["items"]] == [
        ("Samla in nyckeltal #Uppdrag 2", "done", "Sofia Adolfsson"),
        ("Sprida arbetssätt från Tidaholm #uppdrag1", "overdue", "Peter Stark"),
        ("Boka lokal", "open", "Anna Gustafsson"),
    ]
    assert [(p["number"], p["decisions"], p["items"]) for p in doc["mandate"]] == [(1, [], [2]), (2, [1], [1]), (3, [], [])]


def test_markdown(data_dir, capsys) -> None:
    assert main(["report", "--year", "2025"]) == 0
    md = capsys.readouterr().out
    assert md.startswith("# Årsrapport 2025 – SKIS\n\n- 4 möten hölls 2025.\n- Minst 4 möten: ja.\n- Inte på en fredag: torsdag 12 juni 2025.\n")
    assert "- Aldrig företrädda: Essunga, Falköping," in md
    assert "| Götene | X | X | X | X | 4 av 4 |" in md and "| Tibro | – | X | – | X | 2 av 4 |" in md
    assert "### Försenade (1)\n\n- 2. Sprida arbetssätt från Tidaholm #uppdrag1 – Peter Stark (senast torsdag 1 maj 2025)" in md
    assert "### Uppdrag 2: Verka för god tillgång till kvalitetssäkra" in md
    assert "- Beslut 1: Nätverket tar fram en gemensam resultatbild. #uppdrag2" in md
    assert "Inget är märkt med #uppdrag3 i år." in md


def test_a_year_with_too_few_meetings_says_so(data_dir, capsys) -> None:
    assert main(["report", "--year", "2024"]) == 0
    md = capsys.readouterr().out
    assert "- 0 möten hölls 2024.\n- Minst 4 möten: nej, uppdraget säger minst 4 möten per år.\n" in md
    assert "Inga möten hölls 2024." in md


def test_html_and_word_carry_the_grid_as_a_picture(data_dir, tmp_path) -> None:
    from docx import Document
    from PIL import Image

    page = tmp_path / "rapport.html"
    assert main(["report", "--year", "2025", "--format", "html", "--out", str(page)]) == 0
    html = page.read_text(encoding="utf-8")
    assert '<html lang="sv">' in html and '<img src="data:image/png;base64,' in html and "<script" not in html
    assert '<th scope="row" class="never">Essunga</th>' in html
    word = tmp_path / "rapport.docx"
    assert main(["report", "--year", "2025", "--format", "docx", "--out", str(word)]) == 0
    doc = Document(word)
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "Årsrapport 2025 – SKIS" and "Götene: 4 av 4" in texts and "Essunga: 0 av 4" in texts
    [picture] = [rel.target_part.blob for rel in doc.part.rels.values() if "image" in rel.reltype]
    grid = Image.open(io.BytesIO(picture))
    assert grid.format == "PNG" and grid.width > 200 and grid.height > 15 * 30
    # Götene's row (the 5th municipality) is filled at every meeting, Essunga's (the 1st) at none.
    label_w = grid.width - 30 * 4 - 70 - 10
    green = (0x1F, 0x6F, 0x3A)
    assert [grid.getpixel((label_w + 15 + 30 * c, 30 + 4 * 30 + 15)) for c in range(4)] == [green] * 4
    assert green not in [grid.getpixel((label_w + 15 + 30 * c, 30 + 15)) for c in range(4)]


def test_report_errors(data_dir, capsys) -> None:
    assert main(["report", "--year", "2025", "--format", "docx"]) == 2
    assert "needs --out" in capsys.readouterr().err
    assert main(["report", "--year", "2025", "--team", "19:nope"]) == 1
    assert "no team with id" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["report"])  # --year is required


# In Teams -------------------------------------------------------------------------------------------


async def test_arsrapport_for_the_chair_with_the_year_from_the_clock(harness: Harness) -> None:
    h = harness
    await h.install(ANNA, roster=[ANNA, PETER])
    year = h.clock.now().year
    await fill_year(h.store, TEAM_ID, year - 1)
    anna = await h.store.teams.get_member(TEAM_ID, ANNA.aad)
    assert anna is not None and anna.has_any_role(("ordförande", "presidium"))  # the installer
    await h.store.actions.create(TEAM_ID, title="Nästa steg #uppdrag3", owners=(Owner(MEMBER, "Peter Stark", PETER.aad),),
                           created_by=ANNA.aad, created_at=h.clock.now(), due=h.clock.now().date() + timedelta(days=30))
    text = "\n".join(await h.say(f"årsrapport {year - 1}", ANNA))
    assert text.startswith(f"**Årsrapport {year - 1} – ")
    assert f"- 4 möten hölls {year - 1}." in text and "- Götene: 4 av 4" in text
    assert "- Försenade: 1" in text and "- Uppdrag 2: 1 beslut, 1 uppgifter" in text
    this_year = "\n".join(await h.say("arsrapport", ANNA, where="personal"))  # without å, and in 1:1
    assert f"**Årsrapport {year} – " in this_year and f"- 0 möten hölls {year}." in this_year
    assert "- Pågående: 1" in this_year and "Nästa steg #uppdrag3 – Peter Stark" in this_year
    assert "- Uppdrag 3: 0 beslut, 1 uppgifter" in this_year


async def test_arsrapport_is_for_the_presidium(harness: Harness) -> None:
    h = harness
    await h.install(ANNA, roster=[ANNA, PETER])
    assert await h.say("årsrapport", PETER) == [
        "Årsrapporten är för presidiet och ordföranden. Fråga någon av dem, eller se *beslutslogg* och *uppgifter*."
    ]
    assert await h.say("årsrapport förra året", ANNA) == [f"Skriv ett år med fyra siffror, till exempel *årsrapport {h.clock.now().year}*."]


async def test_the_chair_revises_the_mandate_points_and_the_report_follows(harness: Harness) -> None:
    h = harness
    await h.install(ANNA, roster=[ANNA, PETER])
    shown = "\n".join(await h.say("årsrapport uppdrag", ANNA))
    assert shown.startswith("**Nätverkets uppdrag**") and "2. Verka för god tillgång till kvalitetssäkra" in shown and "(#uppdrag3)" in shown
    assert await h.say("årsrapport uppdrag 4 Fullföljd utbildning för alla elever", ANNA) == [
        "Uppdrag 4 är sparat. Nätverket har nu 4 uppdrag; *årsrapport uppdrag* visar dem och *årsrapport* visar vad som är gjort för vart och ett."
    ]
    await h.say("årsrapport uppdrag 1: Synliggöra påverkansfaktorer", ANNA)
    assert (await h.store.teams.get_team(TEAM_ID)).settings["mandate_points"][0] == "Synliggöra påverkansfaktorer"
    await h.store.decisions.record(TEAM_ID, await _meeting(h.store, TEAM_ID, h.clock.now().date() - timedelta(days=3), "Teams", ()),
                             text="Vi följer upp avhoppen. #uppdrag4", recorded_by=ANNA.aad, at=h.clock.now())
    text = "\n".join(await h.say("årsrapport", ANNA))
    assert "- Uppdrag 1: 0 beslut, 0 uppgifter" in text and "- Uppdrag 4: 1 beslut, 0 uppgifter" in text
    await h.say("årsrapport uppdrag 4 -", ANNA)
    assert len((await h.store.teams.get_team(TEAM_ID)).settings["mandate_points"]) == 3
    wrong = await h.say("årsrapport uppdrag 7 Något", ANNA)
    assert wrong[0].startswith("Skriv *årsrapport uppdrag <nr> <text>*") and "Numret är 1 till 4" in wrong[0]
    assert (await h.say("årsrapport uppdrag", PETER))[0].startswith("Årsrapporten är för presidiet och ordföranden.")
