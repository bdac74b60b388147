"""A minutes file (plain text, DOCX or PDF) -> its text as paragraphs.

Paragraph numbers (1-based, in the order returned) are what every imported record points to as
its source, so they must be stable: the same file always gives the same paragraphs. Empty
paragraphs are dropped before numbering.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

TEXT_SUFFIXES = (".txt", ".text", ".md")
SUFFIXES = (*TEXT_SUFFIXES, ".docx", ".pdf")

_BLANK_LINES = re.compile(r"\n[ \t\f\v\u00a0]*\n+")


class ExtractError(Exception):
    """The file cannot be read as minutes; the message says why (in Swedish, for the secretary)."""


@dataclass(frozen=True)
class Extracted:
    name: str  # the file name (no directories): what sources show
    text: str  # the whole text as read, kept verbatim in the stored minutes
    paragraphs: tuple[str, ...]
    sha256: str  # of the file's bytes: the same file imported twice is recognised by it


def split_paragraphs(text: str) -> tuple[str, ...]:
    """Blank-line separated blocks, each with its lines' trailing spaces removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = []
    for block in _BLANK_LINES.split(text):
        lines = [line.rstrip() for line in block.split("\n")]
        cleaned = "\n".join(line for line in lines if line.strip())
        if cleaned.strip():
            blocks.append(cleaned)
    return tuple(blocks)


def decode_text(data: bytes) -> str:
    # Older minutes saved on Windows are often cp1252; UTF-8 (with or without BOM) first.
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _docx_paragraphs(name: str, data: bytes) -> list[str]:
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise ExtractError(f"{name} går inte att läsa som en Word-fil (.docx)") from exc
    from docx.table import Table

    paragraphs: list[str] = []
    # In document order: an attendance table sits right after its "Närvarande:" heading.
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            # One person a row, the cells joined as "Name, Kommun": one paragraph for the table.
            rows = [", ".join(dict.fromkeys(c.text.strip() for c in row.cells if c.text.strip())) for row in block.rows]
            paragraphs.append("\n".join(r for r in rows if r))
            paragraphs.append("")
        else:
            paragraphs.append(block.text)
    return paragraphs


def _pdf_text(name: str, data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        # Layout mode keeps the vertical gaps between paragraphs as blank lines.
        pages = [page.extract_text(extraction_mode="layout") for page in reader.pages]
    except (PdfReadError, ValueError, KeyError) as exc:
        raise ExtractError(f"{name} går inte att läsa som en PDF") from exc
    text = "\n\n".join("\n".join(line.strip() for line in page.split("\n")) for page in pages)
    if not text.strip():
        raise ExtractError(f"{name} innehåller ingen text (en skannad bild?). Kör den genom OCR först.")
    return text


def extract(path: Path) -> Extracted:
    """Read one minutes file; raises ExtractError for a missing, unknown or unreadable file."""
    if path.suffix.lower() not in SUFFIXES:
        raise ExtractError(f"{path.name}: okänd filtyp (läser .txt, .docx och .pdf)")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ExtractError(f"{path.name} går inte att läsa: {exc.strerror or exc}") from exc
    return extract_data(path.name, data)


def extract_data(name: str, data: bytes) -> Extracted:
    """The same for a file's bytes (a file sent to the bot in Teams); ``name`` gives its type."""
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise ExtractError(f"{name}: okänd filtyp (läser .txt, .docx och .pdf)")
    if suffix == ".docx":
        # Word paragraphs are paragraphs; empty ones separate nothing more than a blank line does.
        text = "\n\n".join(_docx_paragraphs(name, data))
    elif suffix == ".pdf":
        text = _pdf_text(name, data)
    else:
        text = decode_text(data)
    paragraphs = split_paragraphs(text)
    if not paragraphs:
        raise ExtractError(f"{name} är tom")
    return Extracted(name=name, text=text, paragraphs=paragraphs, sha256=hashlib.sha256(data).hexdigest())
