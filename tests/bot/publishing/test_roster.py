"""The member list for the region: `skis-bot roster --format csv|xlsx|md` and `medlemslista` in Teams."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.cli import main
from storage.meetings_repo import CANCELLED, Meeting
from storage.store import Store
from storage.teams_repo import Member
from tests.bot.publishing import sample
from tests.harness import ANNA, PETER, SOFIA, TEAM_ID, Harness


async def _fill(store: Store) -> None:
    await sample.fill(store)
    await store.teams.save_member(sample.TEAM, Member("aad-hans", "29:hans", "Hans Bäckström", "aad-hans", "Karlsborg", email="hans@karlsborg.se"))
    await store.teams.save_member(sample.TEAM, Member("aad-old", "29:old", "Gammal Medlem", "aad-old", "Hjo", active=False))
    start = datetime(2027, 2, 5, 8, 0, tzinfo=UTC)
    await store.meetings.save(Meeting("20270205", sample.TEAM, start, start + timedelta(hours=3), "Skövde stadshus"))
    await store.meetings.save(Meeting("20270312", sample.TEAM, start + timedelta(days=35), None, "Teams", status=CANCELLED))


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = tmp_path / "data"
    sample.write(data, _fill)
    monkeypatch.setenv("SKIS_DATA_DIR", str(data))
    return data


def test_csv_has_the_register_by_municipality_and_the_years_meeting_dates(data_dir, capsysbinary) -> None:
    assert main(["roster", "--format", "csv", "--year", "2026"]) == 0
    raw = capsysbinary.readouterr().out
    assert raw.startswith("\ufeff".encode())  # Excel opens å, ä, ö right
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[:4] == [
        ["Namn", "Kommun", "Roll", "E-post"],
        ["Anna Gustafsson", "Götene", "ordförande, presidium", ""],
        ["Hans Bäckström", "Karlsborg", "medlem", "hans@karlsborg.se"],
        ["Sofia Adolfsson", "Lidköping", "sekreterare", ""],
    ]
    assert rows[4:7] == [[], ["Nätverksträffar 2026"], ["Datum", "Tid", "Plats"]]
    assert rows[7:] == [
        ["fredag 4 september 2026", "10.00–13.00", "Teams"],
        ["fredag 9 oktober 2026", "10.00–13.00", "Skövde stadshus"],
        ["fredag 20 november 2026", "09.00–12.00", "Regionens hus, Skövde"],
    ]


def test_xlsx_has_a_sheet_for_the_members_and_one_for_the_dates(data_dir, tmp_path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "medlemslista.xlsx"
    assert main(["roster", "--format", "xlsx", "--year", "2027", "--team", sample.TEAM, "--out", str(out)]) == 0
    book = load_workbook(out)
    assert book.sheetnames == ["Medlemmar", "Nätverksträffar 2027"]
    members = [[c.value for c in row] for row in book["Medlemmar"].iter_rows()]
    assert members[0] == ["Namn", "Kommun", "Roll", "E-post"] and ["Hans Bäckström", "Karlsborg", "medlem", "hans@karlsborg.se"] in members
    assert len(members) == 4  # the one who left is not listed
    dates = [[c.value for c in row] for row in book["Nätverksträffar 2027"].iter_rows()]
    assert dates == [["Datum", "Tid", "Plats"], ["fredag 5 februari 2027", "09.00–12.00", "Skövde stadshus"]]  # not the cancelled one


def test_markdown_and_the_errors(data_dir, tmp_path, capsys) -> None:
    assert main(["roster", "--format", "md", "--year", "2025"]) == 0
    md = capsys.readouterr().out
    assert md.startswith("# Medlemslista – SKIS\n\n| Namn | Kommun | Roll | E-post |\n")
    assert "| Hans Bäckström | Karlsborg | medlem | hans@karlsborg.se |" in md
    assert "## Nätverksträffar 2025\n\n| Datum | Tid | Plats |\n|---|---|---|\n| fredag 21 november 2025 |" in md
    assert main(["roster", "--format", "xlsx"]) == 2
    assert "needs --out" in capsys.readouterr().err
    assert main(["roster", "--team", "19:nope"]) == 1
    assert "no team with id" in capsys.readouterr().err


# In Teams -------------------------------------------------------------------------------------


async def test_medlemslista_gives_the_presidium_the_list_with_email_read_from_the_team(harness: Harness) -> None:
    h = harness
    await h.install(ANNA, roster=[ANNA, PETER, SOFIA])
    h.connector.members[TEAM_ID] = [
        {**u.account(), "email": f"{u.name.split()[0].lower()}@skaraborg.example"} for u in (ANNA, PETER, SOFIA)
    ]
    anna = await h.store.teams.get_member(TEAM_ID, ANNA.aad)
    assert anna is not None
    await h.store.teams.save_member(TEAM_ID, Member(anna.key, anna.teams_id, anna.name, anna.aad_object_id, "Götene",
                                              frozenset({"medlem", "presidium"})))
    start = h.clock.now() + timedelta(days=11)
    await h.store.meetings.save(Meeting(start.strftime("%Y%m%d"), TEAM_ID, start, start + timedelta(hours=2), "Regionens hus"))
    replies = await h.say("medlemslista", ANNA)
    text = "\n".join(replies)
    assert text.startswith("**Medlemslista – ")
    assert "- Anna Gustafsson, Götene (presidium) – anna@skaraborg.example" in text
    assert "- Peter Stark (medlem) – peter@skaraborg.example" in text
    year = h.clock.now().year
    assert f"**Nätverksträffar {year}**" in text and "Regionens hus" in text
    assert "Skicka listan och datumen till utbildning@skaraborg.se" in text and f"*medlemslista {year + 1}*" in text

    next_year = await h.say(f"medlemslista {year + 1}", ANNA, where="personal")
    assert f"Inga möten är inlagda för {year + 1} ännu." in "\n".join(next_year)


async def test_medlemslista_is_for_the_presidium_and_wants_a_real_year(harness: Harness) -> None:
    h = harness
    await h.install(ANNA, roster=[ANNA, PETER])
    refused = await h.say("medlemslista", PETER)
    assert refused == ["Medlemslistan med e-postadresser är för presidiet och ordföranden. Alla kan se vilka som är med med *medlemmar*."]
    anna = await h.store.teams.get_member(TEAM_ID, ANNA.aad)
    assert anna is not None
    await h.store.teams.save_member(TEAM_ID, Member(anna.key, anna.teams_id, anna.name, anna.aad_object_id, roles=frozenset({"ordförande"})))
    wrong = await h.say("medlemslista nästa", ANNA)
    assert wrong == [f"Skriv ett år med fyra siffror, till exempel *medlemslista {h.clock.now().year + 1}*."]


async def test_the_stored_email_is_shown_in_mina_data(harness: Harness) -> None:
    h = harness
    h.connector.members[TEAM_ID] = [{**u.account(), "email": "peter@hjo.example"} if u is PETER else u.account() for u in (ANNA, PETER)]
    await _install_keeping_roster(h)
    peter = await h.store.teams.get_member(TEAM_ID, PETER.aad)
    assert peter is not None and peter.email == "peter@hjo.example"
    text = "\n".join(await h.say("mina data", PETER, where="personal"))
    assert "**E-post** (från teamets medlemslista i Teams, till medlemslistan som skickas till regionen): peter@hjo.example" in text


async def _install_keeping_roster(h: Harness) -> None:
    # Harness.install sets the roster without email; post the install as it does, with the roster above.
    resp = await h.post(h.team_install(ANNA))
    assert resp.status == 200
