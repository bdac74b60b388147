"""``skis-bot import-minutes FILE… --team ID [--dry-run] [--date YYYY-MM-DD]``: earlier minutes into the bot.

- ``--dry-run`` prints what would be stored, every uncertain field marked ``[OSÄKERT: why]``,
  and every OCR repair; it only reads, so it works while the service runs.
- Without it the records are written (see ``bot.importing.store``). Writing needs the data
  directory to itself, like ``restore``: while the service runs the command says to stop it
  first and changes nothing. Importing a file again changes nothing and exits 0.
- Never prompts. Progress ("3/40 protokoll-2019.docx") on a terminal only; errors always.

Exit status: 0 when every file was imported (or already was), 1 when a file could not be, 2 for
a wrong command line.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from datetime import date, time
from pathlib import Path
from typing import Any, TextIO

from bot.importing.extract import Extracted, ExtractError, extract, extract_data
from bot.importing.parse import Field, MinutesImport, PlannedDate, parse_minutes
from bot.importing.repair import repair_paragraphs
from bot.importing.store import StoreImportError, store_import
from bot.ops.command import USAGE_ERROR, CommandError, open_data, operator_command, pick_network
from bot.rules.municipalities import municipalities

PROG = "skis-bot import-minutes"


def _mark(notes: Iterable[str]) -> str:
    notes = list(notes)
    return f"  [OSÄKERT: {'; '.join(notes)}]" if notes else ""


def _where(paragraph: int | None) -> str:
    return f" (stycke {paragraph})" if paragraph else ""


def _field(label: str, f: Field, given: str = "") -> str:
    value = "saknas" if f.value is None else str(f.value)
    where = _where(f.source.paragraph) if f.source else given
    return f"{label}: {value}{where}{_mark(f.notes)}"


def _clock(start: time | None, end: time | None) -> str:
    if start is None:
        return ""
    text = f" kl. {start:%H.%M}"
    return text + (f"–{end:%H.%M}" if end else "")


def _planned(p: PlannedDate) -> str:
    day = p.day.isoformat() if p.day else f"{p.day_of_month}/{p.month} (år okänt)"
    place = f", {p.place}" if p.place else ""
    return f"  {day}{_clock(p.start, p.end)}{place}{_where(p.source.paragraph)}{_mark(p.notes)}"


def report(parsed: MinutesImport, *, date_given: bool = False) -> str:
    """What would be stored from one file, for the secretary to check (Swedish)."""
    lines = [f"== {parsed.file} ==", _field("Datum", parsed.date, " (angivet med --date)" if date_given else "")]
    lines += [_field("Plats", parsed.place), _field("Ordförande", parsed.chair), _field("Sekreterare", parsed.secretary)]
    lines.append(f"Närvarande ({len(parsed.attendees)}):")
    for a in parsed.attendees:
        roles = "".join(f", {r}" for r in a.roles)
        where = f", {a.organisation}" if a.organisation else ""
        lines.append(f"  {a.name}{roles}{where}{_where(a.source.paragraph)}{_mark(a.notes)}")
    lines.append(f"Dagordning ({len(parsed.agenda)}):")
    lines += [f"  {h.title}{_where(h.source.paragraph)}" for h in parsed.agenda]
    lines.append(f"Beslut ({len(parsed.decisions)}):")
    lines += [f"  {d.text}{_where(d.source.paragraph)}{_mark(d.notes)}" for d in parsed.decisions]
    lines.append(f"Föreslagna uppgifter ({len(parsed.actions)}):")
    for item in parsed.actions:
        owners = ", ".join(o.name for o in item.owners)
        lines.append(f"  {owners}: {item.text}{_where(item.source.paragraph)}{_mark(item.notes)}")
    lines.append(f"Planerade nätverksmöten ({len(parsed.meetings)}):")
    lines += [_planned(p) for p in parsed.meetings]
    lines.append(f"Andra händelser i texten, sparas inte som möten ({len(parsed.other_events)}):")
    lines += [f"{_planned(p)}: {p.text}" for p in parsed.other_events]
    lines.append(f"OCR-rättningar ({len(parsed.repairs)}):")
    for r in parsed.repairs:
        unsure = f"  [OSÄKERT: kan vara {r.alternative}]" if r.uncertain else ""
        lines.append(f"  stycke {r.paragraph}: {r.original} → {r.repaired}{unsure}")
    return "\n".join(lines) + "\n"


def read_file(path: Path, *, municipalities: Any, register: list[str], meeting_date: date | None) -> tuple[Extracted, MinutesImport]:
    """Extract, repair and parse one file (raises ExtractError)."""
    return _read(extract(path), municipalities=municipalities, register=register, meeting_date=meeting_date)


def read_file_data(
    name: str, data: bytes, *, municipalities: Any, register: list[str], meeting_date: date | None
) -> tuple[Extracted, MinutesImport]:
    """The same for a file's bytes (sent in Teams)."""
    return _read(extract_data(name, data), municipalities=municipalities, register=register, meeting_date=meeting_date)


def _read(found: Extracted, *, municipalities: Any, register: list[str], meeting_date: date | None) -> tuple[Extracted, MinutesImport]:
    paragraphs, repairs = repair_paragraphs(found.paragraphs, register)
    parsed = parse_minutes(
        paragraphs, file=found.name, municipalities=municipalities, register=register, repairs=repairs, meeting_date=meeting_date
    )
    return found, parsed


def _progress(stream: TextIO, n: int, total: int, name: str) -> None:
    if stream.isatty():
        stream.write(f"\r{n}/{total} {name}\x1b[K")
        stream.flush()


@operator_command(PROG)
async def cmd_import_minutes(args: argparse.Namespace) -> int:
    """Import earlier minutes into one network's records (or show what would be imported)."""
    meeting_date: date | None = None
    if args.date:
        if len(args.files) != 1:
            raise CommandError("--date gäller en fil i taget", USAGE_ERROR)
        try:
            meeting_date = date.fromisoformat(args.date)
        except ValueError as exc:
            raise CommandError("--date ska vara ett datum som 2024-09-20", USAGE_ERROR) from exc
    data = await open_data(args, write=not args.dry_run,
                           busy="Nothing was imported. (--dry-run works while the service runs.)")
    store, settings = data.store, data.settings
    failed = 0
    try:
        team = await pick_network(store, args.team, chats=True)
        register = [m.name for m in await store.teams.members(team.key, active_only=False)]
        known_places = municipalities(team, settings)
        now = data.now
        total = len(args.files)
        for n, name in enumerate(args.files, start=1):
            _progress(sys.stderr, n, total, Path(name).name)
            try:
                found, parsed = read_file(Path(name), municipalities=known_places, register=register, meeting_date=meeting_date)
            except ExtractError as exc:
                sys.stderr.write(f"{PROG}: {exc}\n")
                failed += 1
                continue
            if args.dry_run:
                sys.stdout.write(report(parsed, date_given=meeting_date is not None) + "\n")
                continue
            try:
                stored = await store_import(store, team.key, found, parsed, tz=settings.timezone, now=now)
            except StoreImportError as exc:
                sys.stderr.write(f"{PROG}: {exc}\n")
                failed += 1
                continue
            if stored.changed:
                counts = ", ".join(f"{k} {v}" for k, v in stored.new.items() if v)
                sys.stderr.write(f"{PROG}: {found.name} -> meeting {stored.meeting_id} ({counts})\n")
            else:
                sys.stderr.write(f"{PROG}: {found.name} was already imported (meeting {stored.meeting_id}); nothing changed\n")
        if sys.stderr.isatty() and total:
            sys.stderr.write("\n")
    finally:
        await store.close()
    if args.dry_run:
        sys.stderr.write(f"{PROG}: --dry-run: nothing was stored\n")
    return 1 if failed else 0


def register_cli(subparsers: Any) -> None:
    """Add `import-minutes` to the skis-bot command."""
    parser = subparsers.add_parser(
        "import-minutes",
        help="import earlier minutes (txt, docx, pdf) into a network's records (stop the service first)",
        description=(
            "Read earlier minutes and store their meeting, attendance, decisions, proposed action items, planned "
            "meetings and the minutes themselves. --dry-run shows what would be stored (safe while the service runs)."
        ),
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="minutes as .txt, .docx or .pdf")
    parser.add_argument("--team", required=True, metavar="ID", help="the network's team id, as in skis-bot export")
    parser.add_argument("--dry-run", action="store_true", help="only show what would be stored, uncertain fields marked")
    parser.add_argument("--date", metavar="YYYY-MM-DD", help="the meeting's date, for minutes whose heading has none (one file)")
    parser.add_argument("--data-dir", help="data directory (default $SKIS_DATA_DIR)")
    parser.set_defaults(func=cmd_import_minutes)
