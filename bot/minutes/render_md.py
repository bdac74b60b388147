"""The minutes as Markdown, for the network's web pages and for pasting into documents."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

from bot.minutes.draft import (
    Publication,
    note_blocks,
    officer_lines,
    sections,
    status_lines,
    title_text,
    when_where_text,
)

_INLINE = re.compile(r"([\\`*_\[\]<>|&])")
_LINE_START = re.compile(r"^(\s*)([#>=+])", re.MULTILINE)
# "3. text" at a line start would become a numbered list: escape the dot, not the digit.
_ORDERED = re.compile(r"^(\s*\d+)([.)])(?=\s|$)", re.MULTILINE)


def escape_md(text: str) -> str:
    """Text people typed, shown literally: no emphasis, links, HTML or headings take effect.

    Lines starting with "- " stay lists, as secretaries write them in their notes.
    """
    text = _INLINE.sub(r"\\\1", text)
    text = _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
    return _ORDERED.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def _inline(text: str) -> str:
    return _INLINE.sub(r"\\\1", text)


def _paragraph(text: str) -> str:
    # A single line break inside a paragraph would be joined with the next line: keep it.
    lines = escape_md(text).split("\n")
    return "  \n".join(line.rstrip() for line in lines).strip()


def _notes(text: str) -> str:
    """Notes as typed: paragraphs keep their line breaks, "- " lines become one list, blocks apart."""
    parts = []
    for kind, lines in note_blocks(text):
        if kind == "bullets":
            parts.append("\n".join(f"- {escape_md(line)}" for line in lines))
        else:
            parts.append(_paragraph("\n".join(lines)))
    return "\n\n".join(parts)


def render_markdown(pub: Publication, tz: ZoneInfo, locale: str = "sv") -> str:
    """The whole document as Markdown (UTF-8 text ending in a newline)."""
    out: list[str] = []
    if not pub.confirmed:
        out.append(f"**{escape_md(status_lines(pub, tz, locale)[0])}**")
        out.append("")
    out.append(f"# {escape_md(title_text(pub, locale))}")
    out.append("")
    out.append("  \n".join(escape_md(line) for line in [when_where_text(pub.content, locale), *officer_lines(pub.content, locale)]))
    for heading, blocks in sections(pub, locale):
        out.append("")
        # A heading's text cannot start a list, so "3. Laget runt" stays as it is.
        out.append(f"## {_inline(heading)}")
        for kind, value in blocks:
            out.append("")
            if kind == "text":
                out.append(_notes(value))
            elif kind == "list":
                out.extend(f"- {escape_md(' '.join(v.split()))}" for v in value)
            else:
                label, text = value
                out.append(f"**{escape_md(label)}:** {_paragraph(text)}")
    if pub.confirmed:
        out.append("")
        out.append("---")
        out.append("")
        out.append("  \n".join(escape_md(line) for line in status_lines(pub, tz, locale)))
    return "\n".join(out).rstrip() + "\n"
