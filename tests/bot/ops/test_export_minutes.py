"""`skis-bot export --format md|html|docx --meeting ID`: the minutes for publishing, and `minutes` in the JSON export."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from docx import Document

from bot.cli import main
from bot.minutes import sources
from bot.minutes.draft import NOTES_PREFIX, apply_edits
from storage.attendance_repo import YES, AttendanceAnswer
from storage.meetings_repo import Meeting
from storage.store import Store
from storage.teams_repo import Member, Team
from tests.bot.publishing.sample import write

TZ = ZoneInfo("Europe/Stockholm")
TEAM = "19:skis@thread.tacv2"
MID = "20261120"
START = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)  # fredag 20 november 2026 kl. 09.00
T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
SOFIA = "aad-sofia"


async def _fill(store: Store) -> None:
    await store.teams.save_team(Team(TEAM, "SKIS", "team", "tenant", {}, "aad-anna", T0 - timedelta(days=90)))
    await store.teams.save_members(
        TEAM,
        [
            Member("aad-anna", "29:a", "Anna Gustafsson", "aad-anna", "Götene", frozenset({"medlem", "ordförande", "presidium"})),
            Member(SOFIA, "29:s", "Sofia Adolfsson", SOFIA, "Lidköping", frozenset({"medlem", "sekreterare"})),
        ],
    )
    meeting = Meeting(MID, TEAM, START, START + timedelta(hours=3), "Regionens hus, Skövde", ("Nationellt kvalitetssystem",),
                      checkin_question="Vad tog du med från förra mötet?")
    await store.meetings.save(meeting)
    await store.attendance.answer(AttendanceAnswer(TEAM, MID, "aad-anna", "Anna Gustafsson", YES, START - timedelta(days=1), "Götene"))
    await store.decisions.record(TEAM, MID, text="Skövde och Tibro presenterar Bästa skola 4 december.", recorded_by="aad-anna",
                           at=START + timedelta(hours=1), recorded_by_name="Anna Gustafsson", agenda_item=3)


async def _draft(store: Store, notes: str, *, expected: int | None) -> int:
    team = await store.teams.get_team(TEAM)
    meeting = await store.meetings.get(TEAM, MID)
    assert team is not None and meeting is not None
    edits = {NOTES_PREFIX + "t1": {"text": notes, "rev": (expected or 0) + 1, "by": SOFIA, "at": T0.isoformat()}}
    content = apply_edits(await sources.build(store, team, meeting, TZ), edits)
    return (await store.minutes.save_draft(TEAM, MID, content=content, edits=edits, expected_revision=expected, at=T0, by=SOFIA)).revision


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = tmp_path / "data"
    write(data, _fill)
    monkeypatch.setenv("SKIS_DATA_DIR", str(data))
    return data


async def _confirm(store: Store, notes: str = "Anders går igenom kvalitetssystemet.\n- Samsyn") -> None:
    draft = await store.minutes.draft(TEAM, MID)
    revision = await _draft(store, notes, expected=draft.revision if draft else None)
    await store.minutes.confirm(TEAM, MID, expected_revision=revision, by=SOFIA, by_name="Sofia Adolfsson", at=T0)


async def _correct(store: Store) -> None:
    await store.minutes.start_correction(TEAM, MID, at=T0 + timedelta(days=1), by=SOFIA)
    draft = await store.minutes.draft(TEAM, MID)
    assert draft is not None
    revision = await _draft(store, "Rättad text.", expected=draft.revision)
    await store.minutes.confirm(TEAM, MID, expected_revision=revision, by=SOFIA, by_name="Sofia Adolfsson",
                          at=T0 + timedelta(days=1), reason="Fel datum i punkt 3")


def test_a_meeting_without_minutes_exports_the_draft_built_from_its_records_marked_utkast(data_dir, capsysbinary) -> None:
    assert main(["export", "--format", "md", "--meeting", MID]) == 0
    out = capsysbinary.readouterr()
    md = out.out.decode("utf-8")
    assert md.startswith("**UTKAST – ännu inte godkänt av sekreteraren**\n\n# Minnesanteckningar – SKIS\n")
    assert "fredag 20 november 2026, kl. 09.00–12.00, Regionens hus, Skövde" in md
    assert "- Anna Gustafsson, Götene" in md and "**Beslut:** Skövde och Tibro presenterar" in md
    assert "UTKAST" in out.err.decode("utf-8")  # the person publishing is warned too


def test_confirmed_minutes_as_markdown_html_and_word(data_dir: Path, tmp_path: Path, capsysbinary) -> None:
    write(data_dir, _confirm)
    assert main(["export", "--format", "md", "--meeting", MID]) == 0
    out = capsysbinary.readouterr()
    md = out.out.decode("utf-8")
    assert "UTKAST" not in md and "UTKAST" not in out.err.decode("utf-8")
    assert "## 2. Nationellt kvalitetssystem\n\nAnders går igenom kvalitetssystemet.\n\n- Samsyn\n\n**Beslut:**" in md
    assert "Godkänt (version 1) av Sofia Adolfsson, måndag 23 november 2026 kl. 10.00." in md

    page = tmp_path / "protokoll.html"
    assert main(["export", "--format", "html", "--meeting", MID, "--out", str(page)]) == 0
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="sv">' in html and "Kontrollsumma (SHA-256)" not in html
    assert f"wrote {page}" in capsysbinary.readouterr().err.decode("utf-8")

    word = tmp_path / "protokoll.docx"
    assert main(["export", "--format", "docx", "--meeting", MID, "--team", TEAM, "--out", str(word)]) == 0
    doc = Document(io.BytesIO(word.read_bytes()))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "Minnesanteckningar – SKIS" and "Närvarande" in texts
    assert any(t.startswith("Godkänt (version 1) av Sofia Adolfsson") for t in texts)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_every_version_can_be_exported_and_a_replaced_one_says_so(data_dir: Path, capsysbinary) -> None:
    write(data_dir, _confirm)
    write(data_dir, _correct)
    assert main(["export", "--format", "md", "--meeting", MID]) == 0
    latest = capsysbinary.readouterr().out.decode("utf-8")
    assert "Godkänt (version 2)" in latest and "Rättelse: Fel datum i punkt 3" in latest and "Rättad text." in latest
    assert "Ersatt av" not in latest
    assert main(["export", "--format", "md", "--meeting", MID, "--version", "1"]) == 0
    first = capsysbinary.readouterr().out.decode("utf-8")
    assert "Godkänt (version 1)" in first and "Anders går igenom" in first and "Rättad text." not in first
    assert "Ersatt av version 2 (rättelse)" in first
    assert main(["export", "--format", "md", "--meeting", MID, "--minutes-version", "2"]) == 0
    assert capsysbinary.readouterr().out.decode("utf-8") == latest
    assert main(["export", "--format", "md", "--meeting", MID, "--version", "7"]) == 1
    assert "ingen godkänd version 7; godkända versioner: 1, 2" in capsysbinary.readouterr().err.decode("utf-8")


def test_the_draft_of_a_correction_can_be_exported_while_the_confirmed_version_stays_the_default(data_dir, capsysbinary) -> None:
    write(data_dir, _confirm)
    write(data_dir, lambda store: store.minutes.start_correction(TEAM, MID, at=T0, by=SOFIA))
    assert main(["export", "--format", "md", "--meeting", MID]) == 0
    assert "Godkänt (version 1)" in capsysbinary.readouterr().out.decode("utf-8")
    assert main(["export", "--format", "md", "--meeting", MID, "--draft"]) == 0
    assert capsysbinary.readouterr().out.decode("utf-8").startswith("**UTKAST – rättelse av version 1")


def test_json_export_has_the_minutes(data_dir: Path, capsysbinary) -> None:
    write(data_dir, _confirm)
    write(data_dir, lambda store: store.minutes.start_correction(TEAM, MID, at=T0, by=SOFIA))
    assert main(["export"]) == 0
    (team,) = json.loads(capsysbinary.readouterr().out.decode("utf-8"))["teams"]
    confirmed, draft = team["minutes"]
    assert {k: confirmed[k] for k in ("meeting_id", "version", "status", "confirmed_by", "confirmed_at")} == {
        "meeting_id": MID, "version": 1, "status": "confirmed", "confirmed_by": SOFIA, "confirmed_at": "2026-11-23T09:00:00+00:00",
    }
    assert confirmed["content"]["date_text"] == "fredag 20 november 2026" and len(confirmed["content_hash"]) == 64
    assert (draft["meeting_id"], draft["version"], draft["status"], draft["confirmed_by"]) == (MID, None, "draft", None)
    assert draft["content"]["network"] == "SKIS"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--format", "docx", "--meeting", MID], "ange --out fil.docx"),
        (["--format", "docx", "--meeting", MID, "--out", "-"], "ange --out fil.docx"),
        (["--format", "md"], "Ange vilket möte med --meeting"),
        (["--meeting", MID], "ange --format md, html eller docx"),
        (["--format", "ics", "--version", "1"], "ange --format md, html eller docx"),
        (["--format", "md", "--meeting", MID, "--version", "1", "--draft"], "antingen --version eller --draft"),
    ],
)
def test_wrong_options_are_a_usage_error_with_one_line(data_dir, capsys, argv: list[str], message: str) -> None:
    assert main(["export", *argv]) == 2
    out = capsys.readouterr()
    assert message in out.err and "Traceback" not in out.err and out.out == ""


def test_unknown_meeting_or_missing_draft(data_dir: Path, capsys) -> None:
    assert main(["export", "--format", "html", "--meeting", "20250101"]) == 1
    assert "Hittar inget möte med id 20250101" in capsys.readouterr().err
    write(data_dir, _confirm)
    assert main(["export", "--format", "md", "--meeting", MID, "--draft"]) == 1
    assert "är godkända och har inget utkast" in capsys.readouterr().err


def test_a_meeting_id_in_two_networks_needs_the_team(data_dir: Path, capsysbinary) -> None:
    other = "19:annat@thread.tacv2"

    async def second_network(store: Store) -> None:
        await store.teams.save_team(Team(other, "Annat nätverk", "team", "tenant", {}, "aad-x", T0))
        await store.meetings.save(Meeting(MID, other, START, None, "Vara", ()))

    write(data_dir, second_network)
    assert main(["export", "--format", "md", "--meeting", MID]) == 1
    assert "ange vilket med --team" in capsysbinary.readouterr().err.decode("utf-8")
    assert main(["export", "--format", "md", "--meeting", MID, "--team", other]) == 0
    assert "# Minnesanteckningar – Annat nätverk" in capsysbinary.readouterr().out.decode("utf-8")
