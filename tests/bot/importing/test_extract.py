"""Reading minutes files: plain text, DOCX and PDF (made by the test itself) -> paragraphs."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from fpdf import FPDF

from bot.importing.extract import ExtractError, extract, split_paragraphs
from bot.importing.parse import parse_minutes

PARAGRAPHS = (
    "Protokoll SKIS 2019-03-15",
    "Närvarande: Åsa Öberg Skövde, Per Ek Vara",
    "Beslut: Nätverket träffas på fredagar och alla kommuner ska vara företrädda vid varje möte under året, på egen hand eller genom samarbete med en annan kommun.",
)


def test_plain_text_utf8_and_windows_encodings(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("\n\n".join(PARAGRAPHS) + "\r\n", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes("\r\n\r\n".join(PARAGRAPHS).encode("cp1252"))
    for name in ("a.txt", "b.txt"):
        found = extract(tmp_path / name)
        assert found.paragraphs == PARAGRAPHS and found.name == name and len(found.sha256) == 64


def test_docx_paragraphs_and_an_attendance_table_in_document_order(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph(PARAGRAPHS[0])
    document.add_paragraph("Närvarande:")
    table = document.add_table(rows=2, cols=2)
    for row, (name, place) in zip(table.rows, [("Lena Holm", "Falköping"), ("Karl Berg", "Essunga")], strict=True):
        row.cells[0].text, row.cells[1].text = name, place
    document.add_paragraph("")
    document.add_paragraph(PARAGRAPHS[2])
    document.save(str(tmp_path / "m.docx"))
    found = extract(tmp_path / "m.docx")
    assert found.paragraphs == (PARAGRAPHS[0], "Närvarande:", "Lena Holm, Falköping\nKarl Berg, Essunga", PARAGRAPHS[2])
    parsed = parse_minutes(found.paragraphs, file=found.name)
    assert [(a.name, a.organisation, a.source.paragraph) for a in parsed.attendees] == [
        ("Lena Holm", "Falköping", 3),
        ("Karl Berg", "Essunga", 3),
    ]
    assert [d.source.paragraph for d in parsed.decisions] == [4]


def test_pdf_keeps_paragraphs_apart(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    for text in PARAGRAPHS:
        pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(6)
    pdf.output(str(tmp_path / "m.pdf"))
    found = extract(tmp_path / "m.pdf")
    # The long decision is wrapped onto two lines in the PDF; it is still one paragraph.
    assert [" ".join(p.split()) for p in found.paragraphs] == list(PARAGRAPHS)
    assert "\n" in found.paragraphs[2]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("m.odt", b"x", "okänd filtyp"),
        ("m.docx", b"not a zip", "Word-fil"),
        ("m.pdf", b"%PDF-1.4 broken", "PDF"),
        ("m.txt", b"\n \n", "tom"),
    ],
)
def test_unreadable_files_say_why(tmp_path: Path, name: str, data: bytes, message: str) -> None:
    (tmp_path / name).write_bytes(data)
    with pytest.raises(ExtractError, match=message):
        extract(tmp_path / name)


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ExtractError, match="går inte att läsa"):
        extract(tmp_path / "saknas.txt")


def test_split_paragraphs() -> None:
    assert split_paragraphs("a\r\nb\n \n\n c  \n") == ("a\nb", " c")
