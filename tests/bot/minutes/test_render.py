"""Markdown, HTML and Word renderings of the minutes: complete, escaped, Swedish, draft clearly marked."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import time
from dataclasses import replace
from pathlib import Path

import pytest
from docx import Document

from bot.minutes.draft import Publication, apply_edits
from bot.minutes.render_docx import render_docx
from bot.minutes.render_html import render_html
from bot.minutes.render_md import escape_md, render_markdown
from tests.bot.minutes.sample import NASTY, TZ, confirmed_pub, draft_pub

# Laget runt has nothing under it in the sample: not printed, and the numbers run on without it.
HEADINGS = ["Närvarande", "1. Incheckning", "2. Nationellt kvalitetssystem, vad innebär det för oss i Skaraborg",
            "3. Övriga frågor", "Övriga beslut", "Uppdrag", "Kommande möten", "4. Utcheckning"]


def test_markdown_confirmed() -> None:
    pub = confirmed_pub()
    md = render_markdown(pub, TZ)
    assert md.startswith("# Minnesanteckningar – SKIS\n\nfredag 26 maj 2023, kl. 08.30–12.00, Skövde stadshus  \n"
                         "Ordförande: Anna Gustafsson, Götene  \nSekreterare: Sofia Adolfsson, Lidköping\n")
    assert "Laget runt" not in md
    positions = [md.index(f"## {h}\n") for h in HEADINGS]
    assert positions == sorted(positions)
    assert "- Anders Warnby, Skövde (ersättare för Peter Stark)" in md
    assert "**Beslut:** Skövde och Tibro presenterar" in md
    assert "- Kvalitet" in md  # the secretary's own list stays a list
    assert "UTKAST" not in md
    assert "Kontrollsumma" not in md and pub.content_hash not in md  # the hash is for the record, not readers
    assert "Godkänt (version 1) av Sofia Adolfsson, måndag 29 maj 2023 kl. 14.00." in md


def test_markdown_escapes_what_people_typed() -> None:
    md = render_markdown(draft_pub(), TZ)
    assert md.startswith("**UTKAST – ännu inte godkänt av sekreteraren**\n")
    assert "<script>" not in md and "\\<script\\>" in md
    assert "\\*fet\\*" in md and "\\[länk\\]" in md and "\\`kod\\`" in md and "\\&" in md
    assert escape_md("# rubrik\n3. punkt\n> citat") == "\\# rubrik\n3\\. punkt\n\\> citat"
    assert escape_md("- lista") == "- lista"


def test_html_is_self_contained_escaped_and_swedish() -> None:
    html = render_html(confirmed_pub(), TZ)
    assert html.startswith("<!DOCTYPE html>\n<html lang=\"sv\">")
    assert '<meta charset="utf-8">' in html and "<style>" in html
    assert "<script" not in html  # the typed script tag is text, not markup
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; *fet*" in html
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html)  # nothing fetched from outside
    assert "<ul><li>Kvalitet</li><li>Likvärdighet</li></ul>" in html
    # Plain markup, no classes, so labels stay bold when pasted into the web site's editor.
    assert "<p><strong>Beslut:</strong> Skövde och Tibro presenterar" in html
    for heading in HEADINGS:
        assert f"<h2>{heading}</h2>" in html
    assert 'class="draft"' not in html and "Kontrollsumma" not in html
    assert '<p class="officer">Ordförande: Anna Gustafsson, Götene</p>' in html


def test_html_draft_is_marked() -> None:
    html = render_html(draft_pub(), TZ)
    assert '<p class="draft">UTKAST – ännu inte godkänt av sekreteraren</p>' in html
    assert "<title>Minnesanteckningar – SKIS – UTKAST" in html


def _docx_text(data: bytes) -> tuple[list[tuple[str, str]], str, object]:
    doc = Document(io.BytesIO(data))
    paragraphs = [(p.style.name, p.text) for p in doc.paragraphs]
    header = "\n".join(p.text for p in doc.sections[0].header.paragraphs)
    return paragraphs, header, doc.core_properties


def test_docx_confirmed() -> None:
    pub = confirmed_pub()
    paragraphs, header, props = _docx_text(render_docx(pub, TZ))
    assert paragraphs[0] == ("Title", "Minnesanteckningar – SKIS")
    headings = [text for style, text in paragraphs if style == "Heading 1"]
    assert [h for h in headings if h in HEADINGS] == HEADINGS
    assert ("List Bullet", "Anders Warnby, Skövde (ersättare för Peter Stark)") in paragraphs
    assert ("List Bullet", "Kvalitet") in paragraphs
    assert any(text.startswith("Beslut: Skövde och Tibro") for _, text in paragraphs)
    assert not any(pub.content_hash in text for _, text in paragraphs)  # the hash is for the record, not readers
    assert ("Normal", "Sekreterare: Sofia Adolfsson, Lidköping") in paragraphs
    assert "UTKAST" not in header and not any("UTKAST" in text for _, text in paragraphs)
    assert props.title == "Minnesanteckningar – SKIS" and props.language == "sv-SE" and props.author == "Sofia Adolfsson"


def test_docx_is_a4_with_the_minutes_and_page_numbers_in_every_footer() -> None:
    doc = Document(io.BytesIO(render_docx(confirmed_pub(), TZ)))
    section = doc.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    footer = section.footer.paragraphs[0]
    assert footer.text.startswith("Minnesanteckningar – SKIS, fredag 26 maj 2023 – sida 1 av 1")
    instructions = [e.text.strip() for e in footer._p.iter() if e.tag.endswith("}instrText")]
    assert instructions == ["PAGE", "NUMPAGES"]


def test_docx_draft_says_utkast_on_every_page_and_survives_control_characters() -> None:
    pub = draft_pub()
    content = apply_edits(pub.content, {"notes_p1": {"text": "Text med \x0b vertikal tab och \x00 nolltecken"}})
    paragraphs, header, _props = _docx_text(render_docx(replace(pub, content=content), TZ))
    assert header == "UTKAST – ännu inte godkänt av sekreteraren"
    assert paragraphs[0][1] == "UTKAST – ännu inte godkänt av sekreteraren"
    assert ("Normal", "Text med  vertikal tab och  nolltecken") in paragraphs
    assert any(NASTY in text for _, text in paragraphs)  # kept literally


def test_docx_is_the_same_file_for_the_same_minutes() -> None:
    first = render_docx(confirmed_pub(), TZ)
    time.sleep(2.1)  # the zip format stamps members to two seconds: a later save must not differ
    assert render_docx(confirmed_pub(), TZ) == first


def test_empty_minutes_render() -> None:
    pub = Publication(content={"network": "SKIS", "date_text": "fredag 4 december 2026"}, status="draft")
    assert "# Minnesanteckningar – SKIS" in render_markdown(pub, TZ)
    assert "<h1>Minnesanteckningar – SKIS</h1>" in render_html(pub, TZ)
    assert render_docx(pub, TZ)[:2] == b"PK"


def _office() -> str | None:
    return shutil.which("libreoffice") or shutil.which("soffice")


@pytest.mark.slow
@pytest.mark.skipif(_office() is None, reason="LibreOffice (soffice) is not installed, so the Word file cannot be converted to PDF "
                    "(Debian: apt-get install libreoffice-writer-nogui poppler-utils)")
def test_docx_converts_to_pdf_with_libreoffice(tmp_path: Path) -> None:
    """The Word file opens in LibreOffice: it converts to an A4 PDF with the minutes' text (and a PNG page)."""
    for name, pub in (("godkant", confirmed_pub()), ("utkast", draft_pub())):
        source = tmp_path / f"{name}.docx"
        source.write_bytes(render_docx(pub, TZ))
        result = subprocess.run(
            [_office(), f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "pdf",
             "--outdir", str(tmp_path), str(source)],
            capture_output=True, text=True, timeout=180, check=False,
        )
        pdf = tmp_path / f"{name}.pdf"
        assert result.returncode == 0 and pdf.exists(), result.stderr
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF") and len(data) > 5000, len(data)
        if shutil.which("pdftoppm"):
            subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(pdf), str(tmp_path / name)], check=True, timeout=60)
            assert next(tmp_path.glob(f"{name}-*.png")).read_bytes().startswith(b"\x89PNG")
        if shutil.which("pdftotext"):
            text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True, timeout=60).stdout
            for expected in ("Minnesanteckningar – SKIS", "fredag 26 maj 2023, kl. 08.30–12.00, Skövde stadshus", "Närvarande",
                             "Anders Warnby, Skövde (ersättare för Peter Stark)", "2. Nationellt kvalitetssystem",
                             "Ordförande: Anna Gustafsson, Götene",
                             "Beslut: Skövde och Tibro presenterar", "Uppdrag", "Kommande möten", "Utcheckning",
                             "sida 1 av 2", "<script>alert('x')</script>"):
                assert expected in text, expected
            assert ("UTKAST" in text) == (name == "utkast")
            assert "Kontrollsumma" not in text
        if shutil.which("pdfinfo"):
            info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True, timeout=60).stdout
            assert "(A4)" in info
