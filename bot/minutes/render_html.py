"""The minutes as one self-contained HTML page (inline CSS, no scripts, no outside resources)."""

from __future__ import annotations

from html import escape
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

_CSS = """
body{font-family:Calibri,"Segoe UI",Arial,sans-serif;max-width:46em;margin:2em auto;padding:0 1em;
line-height:1.45;color:#1b1b1b;background:#fff}
h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #ccc}
.when{color:#444;margin-top:0}.draft{border:2px solid #b00020;color:#b00020;font-weight:bold;
padding:.4em .8em;letter-spacing:.05em}.status{margin-top:2.5em;border-top:1px solid #ccc;padding-top:.6em;
color:#444;font-size:.9em}.hash{font-family:Consolas,monospace;word-break:break-all}
ul{padding-left:1.3em}li{margin:.15em 0}
@media print{body{margin:0;max-width:none}}
""".strip()


def _paragraphs(text: str) -> str:
    """Notes as typed: paragraphs with their line breaks, "- " lines as a list."""
    out: list[str] = []
    for kind, lines in note_blocks(text):
        if kind == "bullets":
            out.append("<ul>" + "".join(f"<li>{escape(line)}</li>" for line in lines) + "</ul>")
        else:
            out.append("<p>" + "<br>\n".join(escape(line) for line in lines) + "</p>")
    return "\n".join(out)


def render_html(pub: Publication, tz: ZoneInfo, locale: str = "sv") -> str:
    """The whole document as an HTML5 page in Swedish (lang="sv"), every typed text escaped."""
    title = title_text(pub, locale)
    status = status_lines(pub, tz, locale)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{"en" if locale.startswith("en") else "sv"}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}{' – ' + escape(status[0]) if not pub.confirmed else ''}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<main>",  # one main landmark, so screen readers (and the archive's accessibility check) find the text
    ]
    if not pub.confirmed:
        parts.append(f'<p class="draft">{escape(status[0])}</p>')
    parts.append(f"<h1>{escape(title)}</h1>")
    parts.append(f'<p class="when">{escape(when_where_text(pub.content, locale))}</p>')
    for line in officer_lines(pub.content, locale):
        parts.append(f'<p class="officer">{escape(line)}</p>')
    for heading, blocks in sections(pub, locale):
        parts.append("<section>")
        parts.append(f"<h2>{escape(heading)}</h2>")
        for kind, value in blocks:
            if kind == "text":
                parts.append(_paragraphs(value))
            elif kind == "list":
                parts.append("<ul>" + "".join(f"<li>{escape(v)}</li>" for v in value) + "</ul>")
            else:
                label, text = value
                parts.append(f'<p><strong>{escape(label)}:</strong> {escape(text).replace(chr(10), "<br>")}</p>')
        parts.append("</section>")
    parts.append("</main>")
    if pub.confirmed:
        lines = []
        for line in status:
            lines.append(f"<p>{escape(line)}</p>")
        parts.append('<footer class="status">' + "".join(lines) + "</footer>")
    parts.extend(["</body>", "</html>"])
    return "\n".join(parts) + "\n"
