"""`skis-bot publish`: the public archive of confirmed minutes as a static site (see docs/publishing.md).

    skis-bot publish --out DIR [--team ID] [--base-url URL]

Only reads: the data directory is opened read-only and takes no lock, so it works whether or
not the service runs. Never prompts. Shows progress when standard error is a terminal and is
quiet otherwise (cron, scripts), apart from errors. Opening the data and writing the result go
through bot/ops/command.py, like every operator command.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from bot.ops.command import USAGE_ERROR, CommandError, open_data, operator_command, pick_network, write_output
from bot.ops.command import write_file as atomic_write


def write_file(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` atomically (a reader never sees a half-written page), readable by a web server."""
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(target, data, mode=0o644)


def write_site(archive: Any, out: Path, *, progress: TextIO | None = None) -> int:
    """Every file of ``archive`` under ``out``; returns how many were written."""
    paths = archive.paths()
    for done, path in enumerate(paths, start=1):
        data = archive.render(path)
        write_file(out.joinpath(*path.split("/")), data)
        if progress is not None:
            progress.write(f"\rskis-bot publish: {done}/{len(paths)} files")
            progress.flush()
    if progress is not None and paths:
        progress.write("\n")
    return len(paths)


@operator_command("skis-bot publish")
async def cmd_publish(args: argparse.Namespace) -> int:
    """Write the archive of confirmed minutes to --out."""
    # Start-up economy: every skis-bot command loads this module; the archive loads when used.
    from bot.publishing.site import Archive, ArchiveError

    out = Path(args.out)
    if out.exists() and not out.is_dir():  # noqa: ASYNC240 - a command run: nothing else runs on its loop
        raise CommandError(f"{out} exists and is not a directory", USAGE_ERROR)
    terminal = sys.stderr.isatty()
    async with await open_data() as data:
        try:
            archive = await Archive.load(data.store, data.settings.timezone, now=data.now, team_key=args.team,
                                         base_url=args.base_url or "")
            written = write_site(archive, out, progress=sys.stderr if terminal else None)
        except ArchiveError as exc:
            raise CommandError(str(exc)) from exc
        except OSError as exc:
            raise CommandError(f"cannot write to {out}: {exc.strerror or exc}") from exc
    if terminal:
        sys.stderr.write(f"skis-bot publish: wrote {written} files ({archive.minutes_count} minutes) to {out}\n")
    return 0


async def _write_for_network(args: argparse.Namespace, file_only: str, render: Any) -> int:
    """The steps `roster` and `report` share: open the data read-only, choose the network, and write
    ``render(store, team, settings, now)`` to standard output or ``--out`` (``file_only`` formats
    need --out)."""
    # Start-up economy: every skis-bot command loads this module; the archive loads when used.
    from bot.publishing.site import ArchiveError

    if args.format == file_only and (not args.out or args.out == "-"):
        raise CommandError(f"{FILE_ONLY_WORDS[file_only]} needs --out FILE", USAGE_ERROR)
    async with await open_data() as data:
        try:
            output = await render(data.store, await pick_network(data.store, args.team), data.settings, data.now)
        except ArchiveError as exc:
            raise CommandError(str(exc)) from exc
        write_output(output, args.out)
    return 0


FILE_ONLY_WORDS = {"xlsx": "an Excel file", "docx": "a Word file"}


@operator_command("skis-bot roster")
async def cmd_roster(args: argparse.Namespace) -> int:
    """Write the member list and the year's meeting dates."""
    # Start-up economy: every skis-bot command loads this module; the archive loads when used.
    from bot.publishing import roster

    async def render(store: Any, team: Any, settings: Any, now: Any) -> bytes:
        year = args.year or now.astimezone(settings.timezone).year
        listing = await roster.build_roster(store, team, year, settings.timezone, settings=settings)
        return roster.render(listing, args.format, created=now)

    return await _write_for_network(args, "xlsx", render)


@operator_command("skis-bot report")
async def cmd_report(args: argparse.Namespace) -> int:
    """Write the yearly report."""
    # Start-up economy: every skis-bot command loads this module; the archive loads when used.
    from bot.publishing import report

    async def render(store: Any, team: Any, settings: Any, now: Any) -> bytes:
        built = await report.build_report(store, team, args.year, settings.timezone, now=now, settings=settings)
        return report.render(built, args.format, created=now)

    return await _write_for_network(args, "docx", render)


def register_cli(subparsers: Any) -> None:
    """Add `publish`, `roster` and `report` to the skis-bot command."""
    roster_parser = subparsers.add_parser(
        "roster",
        help="write the member list and the year's meeting dates (for utbildning@skaraborg.se)",
        description="The register (name, municipality, role, email where Teams gives it) and the meeting dates of a year. Only reads.",
    )
    roster_parser.add_argument("--format", choices=("csv", "xlsx", "md"), default="csv", help="csv (default), xlsx (needs --out) or md")
    roster_parser.add_argument("--team", metavar="ID", help="the network (its team id, as in skis-bot export); needed when there are several")
    roster_parser.add_argument("--year", type=int, metavar="YYYY", help="whose meeting dates (default: this year)")
    roster_parser.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")
    roster_parser.set_defaults(func=cmd_roster)

    report_parser = subparsers.add_parser(
        "report",
        help="write the yearly report (meetings, attendance per municipality, decisions, action items, the mandate points)",
        description="The network's yearly report for the school chiefs. Only reads; safe while the service runs.",
    )
    report_parser.add_argument("--year", type=int, metavar="YYYY", required=True, help="the calendar year")
    report_parser.add_argument("--format", choices=("md", "html", "docx", "json"), default="md",
                               help="md (default), html, docx (needs --out) or json")
    report_parser.add_argument("--team", metavar="ID", help="the network (its team id, as in skis-bot export); needed when there are several")
    report_parser.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")
    report_parser.set_defaults(func=cmd_report)

    parser = subparsers.add_parser(
        "publish",
        help="write the public archive of confirmed minutes as a static web site",
        description=(
            "Write every confirmed minutes as a static web site (index by year, one page per minutes with "
            "its versions, Atom feed, Word and printable HTML). Only reads; safe while the service runs."
        ),
    )
    parser.add_argument("--out", metavar="DIR", required=True, help="the directory to write the site to (created if needed)")
    parser.add_argument("--team", metavar="ID", help="only this network (its team id, as in skis-bot export)")
    parser.add_argument("--base-url", metavar="URL", help="where the site will be served, for absolute links in the feed")
    parser.set_defaults(func=cmd_publish)
