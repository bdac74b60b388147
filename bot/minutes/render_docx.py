"""The minutes as a Word document (python-docx), opened alike by Word and LibreOffice."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from bot.messages import t
from bot.minutes.draft import (
    Publication,
    note_blocks,
    officer_lines,
    sections,
    status_lines,
    title_text,
    when_where_text,
)

_RED = RGBColor(0xB0, 0x00, 0x20)
_GREY = RGBColor(0x44, 0x44, 0x44)
# Characters XML 1.0 cannot hold; python-docx refuses them, and people paste them by accident.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _safe(value: Any) -> Any:
    if isinstance(value, str):
        return _NOT_XML.sub("", value)
    if isinstance(value, dict):
        return {k: _safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_safe(v) for v in value]
    return value


def _set_language(document: object, tag: str) -> None:
    # Spelling and hyphenation follow the document language; python-docx has no API for it.
    styles = document.styles.element  # type: ignore[attr-defined]
    rpr_default = styles.find(qn("w:docDefaults"))
    target = rpr_default.find(qn("w:rPrDefault")).find(qn("w:rPr")) if rpr_default is not None else None
    if target is None:
        return
    lang = target.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        target.append(lang)
    lang.set(qn("w:val"), tag)
    lang.set(qn("w:eastAsia"), tag)


def _page_setup(document: Any) -> None:
    # python-docx's template is US Letter; Swedish documents are A4 with 2.5 cm margins.
    for section in document.sections:
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2.5)
        section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.0)


def _field(paragraph: Any, instruction: str, shown: str) -> None:
    """A Word field (PAGE, NUMPAGES) with a cached value; Word and LibreOffice update it when shown."""
    # The usual form Word writes itself: begin, instruction, separate, cached result, end, each a run.
    for kind, value in (("begin", ""), ("instr", instruction), ("separate", ""), ("text", shown), ("end", "")):
        run = paragraph.add_run()
        _small(run)  # run properties must come before the field parts inside the run
        if kind == "text":
            run.text = value
            continue
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {value} "
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._r.append(element)


def _footer(document: Any, pub: Publication, locale: str) -> None:
    """Every page: which minutes these are and "sida N av M", so a printed page is never lost."""
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    label = t("minutes.doc_footer", locale, title=title_text(pub, locale), date=pub.content.get("date_text", ""))
    # The page template holds the two numbers as placeholders; split it around them.
    template = t("minutes.doc_page", locale, page="\x00PAGE\x00", pages="\x00NUMPAGES\x00")
    _small(paragraph.add_run(f"{label} – "))
    for n, part in enumerate(template.split("\x00")):
        if n % 2:
            _field(paragraph, part, "1")
        elif part:
            _small(paragraph.add_run(part))


def _small(run: Any) -> None:
    run.font.size = Pt(8)
    run.font.color.rgb = _GREY


def _add_text(document: Any, text: str) -> None:
    """Notes as typed: paragraphs with their line breaks, "- " lines as bullets."""
    for kind, lines in note_blocks(text):
        if kind == "bullets":
            for line in lines:
                document.add_paragraph(line, style="List Bullet")
            continue
        paragraph = document.add_paragraph()
        for n, line in enumerate(lines):
            run = paragraph.add_run(line)
            if n < len(lines) - 1:
                run.add_break()


def render_docx(pub: Publication, tz: ZoneInfo, locale: str = "sv", *, created: datetime | None = None) -> bytes:
    """The whole document as .docx bytes; a draft says UTKAST at the top and in every page header."""
    pub = replace(
        pub,
        content=_safe(pub.content),
        confirmed_by_name=_safe(pub.confirmed_by_name),
        cosigned_by_name=_safe(pub.cosigned_by_name),
        reason=_safe(pub.reason),
    )
    document = Document()
    title = title_text(pub, locale)
    status = status_lines(pub, tz, locale)
    props = document.core_properties
    props.title = title
    props.language = "en-GB" if locale.startswith("en") else "sv-SE"
    props.author = pub.confirmed_by_name or pub.content.get("network", "")
    props.subject = when_where_text(pub.content, locale)
    # Fixed so the same minutes give the same file (python-docx would stamp its template's date).
    stamp = created or pub.confirmed_at
    if stamp is not None:
        props.created = props.modified = stamp.astimezone(UTC)
    props.last_modified_by = props.author
    props.revision = pub.version or 1
    _set_language(document, props.language)
    normal = document.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    _page_setup(document)
    _footer(document, pub, locale)

    if not pub.confirmed:
        header = document.sections[0].header.paragraphs[0]
        run = header.add_run(status[0])
        run.bold = True
        run.font.color.rgb = _RED
        mark = document.add_paragraph()
        run = mark.add_run(status[0])
        run.bold = True
        run.font.size = Pt(14)
        run.font.color.rgb = _RED

    document.add_heading(title, level=0)
    when = document.add_paragraph()
    run = when.add_run(when_where_text(pub.content, locale))
    run.font.size = Pt(12)
    run.font.color.rgb = _GREY
    for line in officer_lines(pub.content, locale):
        document.add_paragraph(line)

    for heading, blocks in sections(pub, locale):
        document.add_heading(heading, level=1)
        for kind, value in blocks:
            if kind == "text":
                _add_text(document, value)
            elif kind == "list":
                for item in value:
                    document.add_paragraph(item, style="List Bullet")
            else:
                label, text = value
                paragraph = document.add_paragraph()
                paragraph.add_run(f"{label}: ").bold = True
                lines = text.split("\n")
                for n, line in enumerate(lines):
                    run = paragraph.add_run(line)
                    if n < len(lines) - 1:
                        run.add_break()

    if pub.confirmed:
        document.add_paragraph()
        for line in status:
            paragraph = document.add_paragraph()
            run = paragraph.add_run(line)
            run.font.size = Pt(9)
            run.font.color.rgb = _GREY

    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_zip_times(buffer.getvalue())


_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def _fixed_zip_times(data: bytes) -> bytes:
    """The package with every member stamped 1980-01-01: zipfile stamps the time of saving, so two
    renderings a second apart would differ although the minutes are the same (the date people read
    is in the document's properties)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_EPOCH)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()
