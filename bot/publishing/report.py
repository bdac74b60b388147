"""The yearly report (årsrapport) the presidium gives the school chiefs.

What the mission statement asks of the network, for one calendar year: the meetings held (at
least four, all on Fridays), every municipality's representation at each (and who was never
there), the decisions, the action items done / open / overdue with their owners, and the
mandate points ("uppdrag") each with the decisions and items tagged to it (``#uppdrag2`` in
the text). ``build_report`` reads; the renderers are pure. Used by ``skis-bot report`` and the
Teams command ``årsrapport``.
"""

from __future__ import annotations

import base64
import io
import json
import re
from dataclasses import asdict, dataclass, field
from datetime import datetime
from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from bot import formatting
from bot.messages import t
from bot.routing import fold
from bot.rules import municipalities as mun
from bot.rules.action_items import due_text, owners_text
from storage.store import Store
from storage.teams_repo import Team

FORMATS = ("md", "html", "docx", "json")
MIN_MEETINGS = 4
FRIDAY = 4

# The three assignments of the mission statement 2023–2026 (shortened); a network sets its own
# in its team settings under ``MANDATE_SETTING`` (see docs/publishing.md).
MANDATE_SETTING = "mandate_points"
DEFAULT_MANDATE = (
    "Synliggöra påverkansfaktorer för elevers måloppfyllelse och sprida arbetssätt och verktyg för skol- och undervisningsförbättring",
    "Verka för god tillgång till kvalitetssäkra och jämförbara data på skol- och huvudmannanivå",
    "Vara stöd- och referensgrupp i kvalitets- och förbättringsarbetet och samarbeta med Skolverket, SPSM och lärosäten",
)
_TAG = re.compile(r"#\s?uppdrag\s?(\d{1,2})\b")


@dataclass(frozen=True)
class HeldMeeting:
    id: str
    date: str  # ISO
    date_text: str
    place: str
    friday: bool
    represented: tuple[str, ...]


@dataclass(frozen=True)
class DecisionRow:
    number: int
    text: str
    meeting_date: str
    mandate: tuple[int, ...]


@dataclass(frozen=True)
class ItemRow:
    number: int
    title: str
    owners: str
    due: str
    state: str  # done | open | overdue
    mandate: tuple[int, ...]


@dataclass(frozen=True)
class MandatePoint:
    number: int
    text: str
    decisions: tuple[int, ...]
    items: tuple[int, ...]


@dataclass(frozen=True)
class Report:
    network: str
    year: int
    meetings: tuple[HeldMeeting, ...]
    planned: int  # meetings later in the year, not yet held
    municipalities: tuple[str, ...]
    decisions: tuple[DecisionRow, ...]
    items: tuple[ItemRow, ...]
    mandate: tuple[MandatePoint, ...]
    made_at: str = ""
    notes: dict[str, Any] = field(default_factory=dict)

    @property
    def enough_meetings(self) -> bool:
        return len(self.meetings) >= MIN_MEETINGS

    @property
    def all_fridays(self) -> bool:
        return all(m.friday for m in self.meetings)

    def count(self, municipality: str) -> int:
        return sum(1 for m in self.meetings if municipality in m.represented)

    @property
    def never_represented(self) -> tuple[str, ...]:
        return tuple(name for name in self.municipalities if self.count(name) == 0)

    def items_in(self, state: str) -> tuple[ItemRow, ...]:
        return tuple(i for i in self.items if i.state == state)


def mandate_points(team: Team) -> tuple[str, ...]:
    configured = team.settings.get(MANDATE_SETTING) if team.settings else None
    if isinstance(configured, list) and all(isinstance(p, str) and p.strip() for p in configured) and configured:
        return tuple(p.strip() for p in configured)
    return DEFAULT_MANDATE


def tags(text: str) -> tuple[int, ...]:
    """The mandate points a text is tagged with: ``#uppdrag2`` → (2,)."""
    return tuple(sorted({int(n) for n in _TAG.findall(fold(text))}))


async def build_report(store: Store, team: Team, year: int, tz: ZoneInfo, *, now: datetime, settings: Any = None,
                 locale: str = "sv") -> Report:
    """The report for ``year`` as the records stand at ``now``."""
    known = mun.municipalities(team, settings)
    held: list[HeldMeeting] = []
    planned = 0
    meeting_dates: dict[str, str] = {}
    for meeting in sorted(await store.meetings.all(team.key), key=lambda m: m.starts_at):
        day = meeting.starts_at.astimezone(tz).date()
        if day.year != year:
            continue
        if meeting.starts_at > now:
            planned += 1
            continue
        here, _missing = await mun.represented(store, team.key, meeting.id, settings=settings)
        held.append(HeldMeeting(meeting.id, day.isoformat(), formatting.format_date(day, locale), meeting.location or "",
                                day.weekday() == FRIDAY, tuple(name for name in known if name in here)))
        meeting_dates[meeting.id] = formatting.format_date(day, locale)
    decisions = tuple(
        DecisionRow(d.number, d.text, meeting_dates[d.meeting_id], tags(d.text))
        for d in sorted(await store.decisions.all(team.key), key=lambda d: d.number)
        if d.meeting_id in meeting_dates
    )
    today = now.astimezone(tz).date()
    items = []
    for item in sorted(await store.actions.all(team.key), key=lambda i: i.number):
        of_year = item.meeting_id in meeting_dates or item.created_at.astimezone(tz).year == year
        if not of_year:
            continue
        state = "done" if not item.is_open else ("overdue" if item.is_overdue(today) else "open")
        items.append(ItemRow(item.number, item.title, owners_text(item.owners, locale), due_text(item, tz, locale), state, tags(item.title)))
    points = tuple(
        MandatePoint(n, text, tuple(d.number for d in decisions if n in d.mandate), tuple(i.number for i in items if n in i.mandate))
        for n, text in enumerate(mandate_points(team), start=1)
    )
    return Report(team.name, year, tuple(held), planned, tuple(known), decisions, tuple(items), points,
                  made_at=formatting.format_date(today, locale))


# Words ----------------------------------------------------------------------------------------------


def summary_lines(r: Report, locale: str = "sv") -> list[str]:
    """The mission statement's checks in words: how many meetings, Fridays, who was never there."""
    held = "publishing.report_one_meeting_held" if len(r.meetings) == 1 else "publishing.report_meetings_held"
    lines = [t(held, locale, count=len(r.meetings), year=r.year)]
    lines.append(t("publishing.report_enough" if r.enough_meetings else "publishing.report_not_enough", locale, min=MIN_MEETINGS))
    not_friday = [m.date_text for m in r.meetings if not m.friday]
    if r.meetings:
        lines.append(t("publishing.report_all_fridays", locale) if not not_friday
                     else t("publishing.report_not_fridays", locale, dates=", ".join(not_friday)))
    if r.planned:
        lines.append(t("publishing.report_planned", locale, count=r.planned))
    never = r.never_represented
    lines.append(t("publishing.report_never", locale, names=", ".join(never)) if never else t("publishing.report_all_represented", locale))
    return lines


def _state_word(state: str, locale: str) -> str:
    return t(f"publishing.report_state_{state}", locale)


def _item_line(i: ItemRow, locale: str) -> str:
    text = f"{i.number}. {i.title}"
    if i.owners:
        text += f" – {i.owners}"
    if i.due:
        text += f" ({i.due})"
    return text


# Markdown --------------------------------------------------------------------------------------------


def to_markdown(r: Report, locale: str = "sv") -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    out = [f"# {t('publishing.report_title', locale, network=r.network, year=r.year)}", ""]
    out += [f"- {line}" for line in summary_lines(r, locale)]
    out += ["", f"## {t('publishing.report_meetings_heading', locale)}", ""]
    if r.meetings:
        out.append("| " + " | ".join([t("publishing.roster_col_date", locale), t("publishing.roster_col_place", locale),
                                       t("publishing.report_col_friday", locale), t("publishing.report_col_represented", locale)]) + " |")
        out.append("|---|---|---|---|")
        for m in r.meetings:
            friday = t("publishing.report_yes" if m.friday else "publishing.report_no", locale)
            out.append(f"| {cell(m.date_text)} | {cell(m.place) or '–'} | {friday} | {len(m.represented)} av {len(r.municipalities)} |")
    else:
        out.append(t("publishing.report_no_meetings", locale, year=r.year))
    out += ["", f"## {t('publishing.report_attendance_heading', locale)}", ""]
    if r.meetings:
        out.append("| " + t("publishing.roster_col_municipality", locale) + " | " + " | ".join(m.date[5:] for m in r.meetings)
                   + " | " + t("publishing.report_col_total", locale) + " |")
        out.append("|---|" + "---|" * len(r.meetings) + "---|")
        for name in r.municipalities:
            marks = " | ".join("X" if name in m.represented else "–" for m in r.meetings)
            out.append(f"| {name} | {marks} | {r.count(name)} av {len(r.meetings)} |")
        out += ["", t("publishing.report_grid_legend", locale)]
    out += ["", f"## {t('publishing.report_decisions_heading', locale)}", ""]
    out += [f"- {d.number}. {d.text} ({d.meeting_date})" for d in r.decisions] or [t("publishing.report_none", locale)]
    out += ["", f"## {t('publishing.report_items_heading', locale)}", ""]
    for state in ("done", "open", "overdue"):
        rows = r.items_in(state)
        out += [f"### {_state_word(state, locale)} ({len(rows)})", ""]
        out += [f"- {_item_line(i, locale)}" for i in rows] or [t("publishing.report_none", locale)]
        out.append("")
    out += [f"## {t('publishing.report_mandate_heading', locale)}", "", t("publishing.report_mandate_hint", locale), ""]
    by_number = {d.number: d for d in r.decisions}
    items = {i.number: i for i in r.items}
    for p in r.mandate:
        out += [f"### {t('publishing.report_mandate_point', locale, number=p.number)}: {p.text}", ""]
        lines = [f"- {t('minutes.doc_decision_label', locale)} {n}: {by_number[n].text}" for n in p.decisions]
        lines += [f"- {t('publishing.report_item_label', locale)} {_item_line(items[n], locale)} ({_state_word(items[n].state, locale).lower()})"
                  for n in p.items]
        out += lines or [t("publishing.report_mandate_nothing", locale, number=p.number)]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


# JSON ------------------------------------------------------------------------------------------------


def to_json(r: Report) -> bytes:
    doc = asdict(r)
    doc.pop("notes", None)
    doc.update(
        {
            "format": "skis-bot-yearly-report",
            "version": 1,
            "meetings_held": len(r.meetings),
            "at_least_four": r.enough_meetings,
            "all_on_fridays": r.all_fridays,
            "representation": {name: r.count(name) for name in r.municipalities},
            "never_represented": list(r.never_represented),
            "items_done": len(r.items_in("done")),
            "items_open": len(r.items_in("open")),
            "items_overdue": len(r.items_in("overdue")),
        }
    )
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# The picture: municipality × meeting ---------------------------------------------------------------


def grid_png(r: Report) -> bytes:
    """A municipality × meeting grid: a filled square where the municipality was represented."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.load_default(size=14)
    cell, pad = 30, 10
    label_w = max([int(font.getlength(n)) for n in r.municipalities] or [60]) + 2 * pad
    head_h = 30
    total_w = 70
    width = label_w + cell * max(1, len(r.meetings)) + total_w + pad
    height = head_h + cell * max(1, len(r.municipalities)) + pad
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    for col, m in enumerate(r.meetings):
        x = label_w + col * cell
        draw.text((x + 2, 8), m.date[5:].replace("-", "/"), fill="#1b1b1b", font=ImageFont.load_default(size=10))
    for row, name in enumerate(r.municipalities):
        y = head_h + row * cell
        count = r.count(name)
        draw.text((pad, y + 7), name, fill="#1b1b1b" if count else "#8a1c00", font=font)
        for col, m in enumerate(r.meetings):
            x = label_w + col * cell
            box = (x + 4, y + 4, x + cell - 4, y + cell - 4)
            if name in m.represented:
                draw.rectangle(box, fill="#1f6f3a")
            else:
                draw.rectangle(box, outline="#9a9a9a", width=1)
        draw.text((label_w + len(r.meetings) * cell + pad, y + 7), f"{count}/{len(r.meetings)}", fill="#1b1b1b", font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


# HTML ------------------------------------------------------------------------------------------------

_CSS = """
body{font-family:Calibri,"Segoe UI",Arial,sans-serif;max-width:60em;margin:2em auto;padding:0 1em;line-height:1.45;color:#1b1b1b;background:#fff}
h1{font-size:1.6em}h2{font-size:1.25em;margin-top:1.6em;border-bottom:1px solid #bbb}
table{border-collapse:collapse}th,td{border:1px solid #bbb;padding:.2em .5em;text-align:left}
.grid td{text-align:center}.never{color:#8a1c00;font-weight:bold}
@media print{body{margin:0;max-width:none}}
""".strip()


def to_html(r: Report, locale: str = "sv") -> str:
    title = t("publishing.report_title", locale, network=r.network, year=r.year)
    out = ["<!DOCTYPE html>", '<html lang="sv">', "<head>", '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">', f"<title>{escape(title)}</title>",
           f"<style>{_CSS}</style>", "</head>", "<body>", "<main>", f"<h1>{escape(title)}</h1>", "<ul>"]
    out += [f"<li>{escape(line)}</li>" for line in summary_lines(r, locale)]
    out += ["</ul>", f"<h2>{escape(t('publishing.report_meetings_heading', locale))}</h2>"]
    if r.meetings:
        out.append("<table><thead><tr>" + "".join(
            f'<th scope="col">{escape(t(k, locale))}</th>'
            for k in ("publishing.roster_col_date", "publishing.roster_col_place", "publishing.report_col_friday", "publishing.report_col_represented")
        ) + "</tr></thead><tbody>")
        for m in r.meetings:
            friday = t("publishing.report_yes" if m.friday else "publishing.report_no", locale)
            out.append(f"<tr><td>{escape(m.date_text)}</td><td>{escape(m.place)}</td><td>{escape(friday)}</td>"
                       f"<td>{len(m.represented)} av {len(r.municipalities)}</td></tr>")
        out.append("</tbody></table>")
    else:
        out.append(f"<p>{escape(t('publishing.report_no_meetings', locale, year=r.year))}</p>")
    out.append(f"<h2>{escape(t('publishing.report_attendance_heading', locale))}</h2>")
    if r.meetings:
        picture = base64.b64encode(grid_png(r)).decode("ascii")
        alt = t("publishing.report_grid_alt", locale, never=", ".join(r.never_represented) or t("publishing.report_none", locale))
        out.append(f'<p><img src="data:image/png;base64,{picture}" alt="{escape(alt)}"></p>')
        out.append('<table class="grid"><thead><tr><th scope="col">' + escape(t("publishing.roster_col_municipality", locale)) + "</th>"
                   + "".join(f'<th scope="col">{escape(m.date_text)}</th>' for m in r.meetings)
                   + f'<th scope="col">{escape(t("publishing.report_col_total", locale))}</th></tr></thead><tbody>')
        for name in r.municipalities:
            cls = ' class="never"' if r.count(name) == 0 else ""
            marks = "".join(f"<td>{'X' if name in m.represented else '–'}</td>" for m in r.meetings)
            out.append(f'<tr><th scope="row"{cls}>{escape(name)}</th>{marks}<td>{r.count(name)} av {len(r.meetings)}</td></tr>')
        out.append("</tbody></table>")
        out.append(f"<p>{escape(t('publishing.report_grid_legend', locale))}</p>")
    out.append(f"<h2>{escape(t('publishing.report_decisions_heading', locale))}</h2>")
    out.append(_html_list([f"{d.number}. {d.text} ({d.meeting_date})" for d in r.decisions], locale))
    out.append(f"<h2>{escape(t('publishing.report_items_heading', locale))}</h2>")
    for state in ("done", "open", "overdue"):
        rows = r.items_in(state)
        out.append(f"<h3>{escape(_state_word(state, locale))} ({len(rows)})</h3>")
        out.append(_html_list([_item_line(i, locale) for i in rows], locale))
    out.append(f"<h2>{escape(t('publishing.report_mandate_heading', locale))}</h2>")
    out.append(f"<p>{escape(t('publishing.report_mandate_hint', locale))}</p>")
    by_number = {d.number: d for d in r.decisions}
    items = {i.number: i for i in r.items}
    for p in r.mandate:
        out.append(f"<h3>{escape(t('publishing.report_mandate_point', locale, number=p.number))}: {escape(p.text)}</h3>")
        lines = [f"{t('minutes.doc_decision_label', locale)} {n}: {by_number[n].text}" for n in p.decisions]
        lines += [f"{t('publishing.report_item_label', locale)} {_item_line(items[n], locale)}" for n in p.items]
        out.append(_html_list(lines, locale, empty=t("publishing.report_mandate_nothing", locale, number=p.number)))
    out += ["</main>", "</body>", "</html>"]
    return "\n".join(out) + "\n"


def _html_list(lines: list[str], locale: str, *, empty: str | None = None) -> str:
    if not lines:
        return f"<p>{escape(empty or t('publishing.report_none', locale))}</p>"
    return "<ul>" + "".join(f"<li>{escape(line)}</li>" for line in lines) + "</ul>"


# Word ------------------------------------------------------------------------------------------------


def to_docx(r: Report, locale: str = "sv", *, created: datetime | None = None) -> bytes:
    from docx import Document
    from docx.shared import Cm

    doc = Document()
    doc.core_properties.title = t("publishing.report_title", locale, network=r.network, year=r.year)
    if created is not None:
        doc.core_properties.created = doc.core_properties.modified = created.replace(tzinfo=None)
    doc.add_heading(doc.core_properties.title, level=0)
    for line in summary_lines(r, locale):
        doc.add_paragraph(line, style="List Bullet")
    doc.add_heading(t("publishing.report_meetings_heading", locale), level=1)
    if r.meetings:
        table = doc.add_table(rows=1, cols=4)
        table.style = "Table Grid"
        for c, k in enumerate(("publishing.roster_col_date", "publishing.roster_col_place", "publishing.report_col_friday",
                               "publishing.report_col_represented")):
            table.rows[0].cells[c].text = t(k, locale)
        for m in r.meetings:
            row = table.add_row().cells
            row[0].text, row[1].text = m.date_text, m.place
            row[2].text = t("publishing.report_yes" if m.friday else "publishing.report_no", locale)
            row[3].text = f"{len(m.represented)} av {len(r.municipalities)}"
        doc.add_heading(t("publishing.report_attendance_heading", locale), level=1)
        doc.add_picture(io.BytesIO(grid_png(r)), width=Cm(min(16, 4 + 1.0 * len(r.meetings) + 2)))
        doc.add_paragraph(t("publishing.report_grid_legend", locale))
        for name in r.municipalities:
            doc.add_paragraph(f"{name}: {r.count(name)} av {len(r.meetings)}", style="List Bullet")
    else:
        doc.add_paragraph(t("publishing.report_no_meetings", locale, year=r.year))
    doc.add_heading(t("publishing.report_decisions_heading", locale), level=1)
    for d in r.decisions:
        doc.add_paragraph(f"{d.number}. {d.text} ({d.meeting_date})", style="List Bullet")
    if not r.decisions:
        doc.add_paragraph(t("publishing.report_none", locale))
    doc.add_heading(t("publishing.report_items_heading", locale), level=1)
    for state in ("done", "open", "overdue"):
        rows = r.items_in(state)
        doc.add_heading(f"{_state_word(state, locale)} ({len(rows)})", level=2)
        for i in rows:
            doc.add_paragraph(_item_line(i, locale), style="List Bullet")
    doc.add_heading(t("publishing.report_mandate_heading", locale), level=1)
    by_number = {d.number: d for d in r.decisions}
    items = {i.number: i for i in r.items}
    for p in r.mandate:
        doc.add_heading(f"{t('publishing.report_mandate_point', locale, number=p.number)}: {p.text}", level=2)
        for n in p.decisions:
            doc.add_paragraph(f"{t('minutes.doc_decision_label', locale)} {n}: {by_number[n].text}", style="List Bullet")
        for n in p.items:
            doc.add_paragraph(f"{t('publishing.report_item_label', locale)} {_item_line(items[n], locale)}", style="List Bullet")
        if not p.decisions and not p.items:
            doc.add_paragraph(t("publishing.report_mandate_nothing", locale, number=p.number))
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def render(r: Report, fmt: str, locale: str = "sv", *, created: datetime | None = None) -> bytes:
    if fmt == "md":
        return to_markdown(r, locale).encode("utf-8")
    if fmt == "html":
        return to_html(r, locale).encode("utf-8")
    if fmt == "json":
        return to_json(r)
    if fmt == "docx":
        return to_docx(r, locale, created=created)
    raise ValueError(f"unknown report format {fmt!r}")


def chat_text(r: Report, locale: str = "sv") -> str:
    """The report as a Teams message (the full one, with the grid, is `skis-bot report`)."""
    lines = [f"**{t('publishing.report_title', locale, network=r.network, year=r.year)}**", ""]
    lines += [f"- {line}" for line in summary_lines(r, locale)]
    if r.meetings:
        lines += ["", f"**{t('publishing.report_attendance_heading', locale)}**"]
        lines += [f"- {name}: {r.count(name)} av {len(r.meetings)}" for name in r.municipalities]
    lines += ["", f"**{t('publishing.report_decisions_heading', locale)}** ({len(r.decisions)})"]
    lines += [f"- {d.number}. {d.text}" for d in r.decisions]
    lines += ["", f"**{t('publishing.report_items_heading', locale)}**"]
    for state in ("done", "open", "overdue"):
        rows = r.items_in(state)
        lines.append(f"- {_state_word(state, locale)}: {len(rows)}")
        lines += [f"  - {_item_line(i, locale)}" for i in rows if state != "done"]
    lines += ["", f"**{t('publishing.report_mandate_heading', locale)}**"]
    for p in r.mandate:
        lines.append(f"- {t('publishing.report_mandate_point', locale, number=p.number)}: "
                     + t("publishing.report_mandate_counts", locale, decisions=len(p.decisions), items=len(p.items)))
    lines += ["", t("publishing.report_chat_hint", locale, year=r.year)]
    return "\n".join(lines)

