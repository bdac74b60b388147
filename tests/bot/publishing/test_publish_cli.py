"""`skis-bot publish --out DIR`: the static archive of confirmed minutes, as files (the browser checks are in test_archive_browser.py)."""

from __future__ import annotations

import asyncio
import io
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

from bot.cli import main
from storage.open import open_store
from storage.teams_repo import Team
from tests.bot.publishing import sample

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = tmp_path / "data"
    sample.write(data, sample.fill)
    monkeypatch.setenv("SKIS_DATA_DIR", str(data))
    return data


def _change(data: Path, change) -> None:  # noqa: ANN001
    sample.write(data, change)


def _site_text(out: Path) -> str:
    """Every file of the site as text, Word files unzipped, for searching."""
    parts = []
    for path in sorted(out.rglob("*")):
        if path.suffix == ".docx":
            with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as docx:
                parts.extend(docx.read(name).decode("utf-8", "replace") for name in docx.namelist())
        elif path.is_file():
            parts.append(path.read_text(encoding="utf-8"))
    return "\n".join(parts)


def test_publish_writes_only_confirmed_minutes_while_the_service_holds_the_lock(data_dir, tmp_path, capsys) -> None:
    out = tmp_path / "www" / "arkiv"  # created, parents too
    running = open_store(data_dir)  # the service
    try:
        assert main(["publish", "--out", str(out)]) == 0
    finally:
        asyncio.run(running.close())
    assert capsys.readouterr().err == ""  # not a terminal: quiet
    files = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert files == [
        "2025/20251121/index.html",
        "2025/20251121/minnesanteckningar-20251121-v1-utskrift.html",
        "2025/20251121/minnesanteckningar-20251121-v1.docx",
        "2025/20251121/minnesanteckningar-20251121-v2-utskrift.html",
        "2025/20251121/minnesanteckningar-20251121-v2.docx",
        "2025/20251121/version-1.html",
        "2025/20251121/version-2.html",
        "2026/20260904/index.html",
        "2026/20260904/minnesanteckningar-20260904-v1-utskrift.html",
        "2026/20260904/minnesanteckningar-20260904-v1.docx",
        "2026/20260904/version-1.html",
        "feed.xml",
        "index.html",
    ]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert index.index('id="ar-2026"') < index.index('id="ar-2025"')  # newest year first
    assert '<a href="2025/20251121/index.html">fredag 21 november 2025, kl. 09.00–12.00, Regionens hus, Skövde</a> (rättad)' in index
    assert sample.DRAFT not in index and sample.AWAITING not in index


def test_the_site_holds_nothing_the_minutes_do_not(data_dir, tmp_path) -> None:
    out = tmp_path / "site"
    assert main(["publish", "--out", str(out)]) == 0
    text = _site_text(out)
    assert sample.SUMMARY in text and "Anna Gustafsson, Götene" in text  # what the minutes say
    for private in sample.PRIVATE:  # Teams ids, the tenant, a check-in answer left out, drafts
        assert private not in text, private
    assert "<script" not in text.lower()


def test_a_correction_shows_as_such_and_the_earlier_version_stays_linked(data_dir, tmp_path) -> None:
    out = tmp_path / "site"
    assert main(["publish", "--out", str(out)]) == 0
    page = (out / "2025/20251121/index.html").read_text(encoding="utf-8")
    assert f"Rättelse (version 2): {sample.REASON}" in page and sample.V2_NOTE in page and sample.V1_NOTE not in page
    assert '<a href="version-1.html">Version 1</a> – ersatt' in page
    old = (out / "2025/20251121/version-1.html").read_text(encoding="utf-8")
    assert sample.V1_NOTE in old and "Den har ersatts av version 2 (rättelse)." in old
    printable = (out / "2025/20251121/minnesanteckningar-20251121-v1-utskrift.html").read_text(encoding="utf-8")
    assert "Ersatt av version 2 (rättelse)" in printable


def test_the_feed_is_atom_with_one_entry_per_minutes_and_the_correction_in_its_title(data_dir, tmp_path) -> None:
    out = tmp_path / "site"
    assert main(["publish", "--out", str(out), "--base-url", "https://utbildningskaraborg.se/skis"]) == 0
    feed = ElementTree.parse(out / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [
        "Minnesanteckningar fredag 4 september 2026",
        "Minnesanteckningar fredag 21 november 2025 – rättelse (version 2)",
    ]
    corrected = entries[1]
    assert corrected.find(f"{ATOM}link").get("href") == "https://utbildningskaraborg.se/skis/2025/20251121/index.html"
    assert corrected.findtext(f"{ATOM}updated") > corrected.findtext(f"{ATOM}published")
    assert sample.REASON in corrected.findtext(f"{ATOM}summary")
    assert feed.findtext(f"{ATOM}updated") == entries[0].findtext(f"{ATOM}updated")


def test_minutes_awaiting_justering_are_published_once_the_chair_has_co_signed(data_dir, tmp_path) -> None:
    out = tmp_path / "site"
    assert main(["publish", "--out", str(out)]) == 0
    assert not (out / "2026" / sample.AWAITING).exists()
    _change(data_dir, sample.cosign)
    assert main(["publish", "--out", str(out)]) == 0  # into the same directory: republished
    page = (out / "2026" / sample.AWAITING / "index.html").read_text(encoding="utf-8")
    assert sample.AWAITING_NOTE in page and "Justerat av Anna Gustafsson" in page
    assert f"2026/{sample.AWAITING}/index.html" in (out / "index.html").read_text(encoding="utf-8")


def test_the_word_file_is_the_minutes(data_dir, tmp_path) -> None:
    from docx import Document

    out = tmp_path / "site"
    assert main(["publish", "--out", str(out), "--team", sample.TEAM]) == 0
    doc = Document(out / "2025/20251121/minnesanteckningar-20251121-v2.docx")
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "Minnesanteckningar – SKIS" and sample.V2_NOTE in texts


def test_several_networks_each_get_their_own_folder(data_dir, tmp_path) -> None:
    async def add_network(store) -> None:  # noqa: ANN001
        await store.teams.save_team(Team("19:other@thread.tacv2", "Nätverk för Elevhälsa", "team", "t", {}, None, sample._at("20250801")))
        await store.teams.save_team(Team("a:personal", "", "personal", "t", {}, None, sample._at("20250801")))

    _change(data_dir, add_network)
    out = tmp_path / "site"
    assert main(["publish", "--out", str(out)]) == 0
    top = (out / "index.html").read_text(encoding="utf-8")
    assert '<a href="skis/index.html">SKIS</a>' in top and '<a href="natverk-for-elevhalsa/index.html">Nätverk för Elevhälsa</a>' in top
    assert top.count("<li>") == 2  # the 1:1 chat is no network
    assert (out / "skis/2025/20251121/index.html").exists()
    assert "Inga minnesanteckningar är godkända ännu." in (out / "natverk-for-elevhalsa/index.html").read_text(encoding="utf-8")


def test_publish_errors_say_what_is_wrong(data_dir, tmp_path, capsys) -> None:
    assert main(["publish", "--out", str(tmp_path / "site"), "--team", "19:nope"]) == 1
    assert "no team with id '19:nope'" in capsys.readouterr().err
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    assert main(["publish", "--out", str(a_file)]) == 2
    assert "is not a directory" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["publish"])  # --out is required


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_shown_on_a_terminal(data_dir, tmp_path, monkeypatch) -> None:
    terminal = _Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    assert main(["publish", "--out", str(tmp_path / "site")]) == 0
    shown = terminal.getvalue()
    assert "skis-bot publish: 13/13 files" in shown
    assert f"wrote 13 files (2 minutes) to {tmp_path / 'site'}" in shown
