"""The member list the region asks for: the register and the year's meeting dates.

The presidium sends "förteckning på de personer som ingår i nätverket samt datum för
nätverksträffarna" to the region's education office (the mission statement). ``build_roster``
reads it from the store; ``render`` writes it as CSV (UTF-8 with BOM, so Excel shows å, ä, ö),
Excel or Markdown. Used by ``skis-bot roster`` and the Teams command ``medlemslista``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot import formatting
from bot.messages import t
from bot.roles import CHAIR, MEMBER, PRESIDIUM, SECRETARY
from bot.rules import municipalities as mun
from storage.store import Store
from storage.teams_repo import Team

FORMATS = ("csv", "xlsx", "md")
ROLE_ORDER = (CHAIR, PRESIDIUM, SECRETARY, MEMBER)
REGION_ADDRESS = "utbildning@skaraborg.se"


@dataclass(frozen=True)
class Person:
    name: str
    municipality: str
    roles: str  # "ordförande, presidium"
    email: str


@dataclass(frozen=True)
class MeetingDate:
    date_text: str  # "fredag 4 december 2026"
    time_text: str  # "09.00–12.00"
    place: str


@dataclass(frozen=True)
class Roster:
    network: str
    year: int
    people: tuple[Person, ...]
    meetings: tuple[MeetingDate, ...]


def role_text(roles: frozenset[str], locale: str = "sv") -> str:
    """ "ordförande, presidium"; "medlem" only for those who hold no other role."""
    held = [r for r in ROLE_ORDER if r in roles and r != MEMBER] or [MEMBER]
    return ", ".join(t(f"meetings.role.{r}", locale) for r in held)


async def build_roster(store: Store, team: Team, year: int, tz: ZoneInfo, *, settings: object = None, locale: str = "sv") -> Roster:
    """The active members (by municipality, then name) and the meetings planned in ``year``."""
    order = [*mun.municipalities(team, settings), *mun.ORGANISATIONS]

    def sort_key(member) -> tuple[int, str, str]:  # noqa: ANN001
        first = (mun.municipalities_of(member.municipality) or ("",))[0]
        return (order.index(first) if first in order else len(order), first, member.name.casefold())

    people = tuple(
        Person(m.name, m.municipality or "", role_text(m.roles, locale), m.email or "")
        for m in sorted(await store.teams.members(team.key), key=sort_key)
    )
    meetings = []
    for meeting in sorted(await store.meetings.all(team.key), key=lambda m: m.starts_at):
        start = meeting.starts_at.astimezone(tz)
        if start.year != year:
            continue
        end = meeting.ends_at.astimezone(tz) if meeting.ends_at else None
        meetings.append(
            MeetingDate(
                formatting.format_date(start.date(), locale),
                formatting.format_time_range(start.time(), end.time() if end else None, locale),
                meeting.location or "",
            )
        )
    return Roster(team.name, year, people, tuple(meetings))


def _headers(locale: str) -> tuple[list[str], list[str]]:
    people = [t(f"publishing.roster_col_{c}", locale) for c in ("name", "municipality", "role", "email")]
    meetings = [t(f"publishing.roster_col_{c}", locale) for c in ("date", "time", "place")]
    return people, meetings


def to_csv(r: Roster, locale: str = "sv") -> bytes:
    """The register, an empty line, then the meeting dates; one CSV file a spreadsheet opens as is."""
    people_head, meeting_head = _headers(locale)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(people_head)
    writer.writerows([p.name, p.municipality, p.roles, p.email] for p in r.people)
    writer.writerow([])
    writer.writerow([t("publishing.roster_meetings_heading", locale, year=r.year)])
    writer.writerow(meeting_head)
    writer.writerows([m.date_text, m.time_text, m.place] for m in r.meetings)
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(r: Roster, locale: str = "sv", *, created: datetime | None = None) -> bytes:
    """Two sheets: the members, and the meeting dates of the year."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    people_head, meeting_head = _headers(locale)
    book = Workbook()
    sheet = book.active
    sheet.title = t("publishing.roster_sheet_members", locale)
    sheet.append(people_head)
    for p in r.people:
        sheet.append([p.name, p.municipality, p.roles, p.email])
    dates = book.create_sheet(t("publishing.roster_sheet_meetings", locale, year=r.year))
    dates.append(meeting_head)
    for m in r.meetings:
        dates.append([m.date_text, m.time_text, m.place])
    for ws, widths in ((sheet, (28, 18, 26, 34)), (dates, (30, 14, 30))):
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for column, width in zip("ABCD", widths, strict=False):
            ws.column_dimensions[column].width = width
        ws.freeze_panes = "A2"
    if created is not None:  # the same list gives the same file
        book.properties.created = book.properties.modified = created.replace(tzinfo=None)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def to_markdown(r: Roster, locale: str = "sv") -> str:
    people_head, meeting_head = _headers(locale)

    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ") or "–"

    lines = [f"# {t('publishing.roster_title', locale, network=r.network)}", ""]
    lines.append("| " + " | ".join(people_head) + " |")
    lines.append("|" + "---|" * len(people_head))
    lines += [f"| {cell(p.name)} | {cell(p.municipality)} | {cell(p.roles)} | {cell(p.email)} |" for p in r.people]
    lines += ["", f"## {t('publishing.roster_meetings_heading', locale, year=r.year)}", ""]
    if r.meetings:
        lines.append("| " + " | ".join(meeting_head) + " |")
        lines.append("|" + "---|" * len(meeting_head))
        lines += [f"| {cell(m.date_text)} | {cell(m.time_text)} | {cell(m.place)} |" for m in r.meetings]
    else:
        lines.append(t("publishing.roster_no_meetings", locale, year=r.year))
    return "\n".join(lines) + "\n"


def render(r: Roster, fmt: str, locale: str = "sv", *, created: datetime | None = None) -> bytes:
    if fmt == "csv":
        return to_csv(r, locale)
    if fmt == "xlsx":
        return to_xlsx(r, locale, created=created)
    if fmt == "md":
        return to_markdown(r, locale).encode("utf-8")
    raise ValueError(f"unknown roster format {fmt!r}")


def chat_text(r: Roster, locale: str = "sv") -> str:
    """The list as a Teams message: one line a person, then the dates, then where to send it."""
    lines = [f"**{t('publishing.roster_title', locale, network=r.network)}** ({len(r.people)})", ""]
    for p in r.people:
        line = f"- {p.name}"
        if p.municipality:
            line += f", {p.municipality}"
        if p.roles:
            line += f" ({p.roles})"
        if p.email:
            line += f" – {p.email}"
        lines.append(line)
    lines += ["", f"**{t('publishing.roster_meetings_heading', locale, year=r.year)}**", ""]
    if r.meetings:
        lines += [f"- {m.date_text}, {t('minutes.doc_time', locale, time=m.time_text)}" + (f", {m.place}" if m.place else "")
                  for m in r.meetings]
    else:
        lines.append(t("publishing.roster_no_meetings", locale, year=r.year))
    lines += ["", t("publishing.roster_send_hint", locale, address=REGION_ADDRESS, year=r.year + 1)]
    return "\n".join(lines)
