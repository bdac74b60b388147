"""`skis-bot export`: every record as JSON (also the backup format), the meeting calendar as
iCalendar, or one meeting's minutes for publishing as Markdown, HTML or Word.

    skis-bot export [--format json|ics] [--team ID] [--out FILE]
    skis-bot export --format md|html|docx --meeting ID [--version N | --draft] [--team ID] [--out FILE]

Writes to standard output unless ``--out`` is given (a Word file needs ``--out``) (then atomically: a half-written file never
replaces a good one). Works while the service runs: the data directory is opened read-only and
takes no lock. The JSON format is documented in docs/export-format.md.

Records come from the repositories themselves: every repository on the Store with an
``export(team_key) -> dict[str, list[dict]]`` adds its lists to each team's object, so a new
capability's records appear here without changing this module.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from bot import __version__
from bot.messages import t
from bot.ops.command import USAGE_ERROR, CommandError, open_data, operator_command, write_output
from bot.rules.municipalities import municipalities_of
from storage.codec import dump_dt
from storage.store import Store
from storage.teams_repo import Member, Team

FORMAT = "skis-bot-export"
VERSION = 1


class ExportError(Exception):
    """The export cannot be made as asked; the message says why."""


def exporting_repos(store: Store) -> Iterator[tuple[str, Any]]:
    """(attribute name, repository) for every repository on ``store`` that exports records."""
    for name, repo in vars(store).items():
        if name == "engine" or name.startswith("_"):
            continue
        if callable(getattr(repo, "export", None)):
            yield name, repo


def member_record(member: Member) -> dict[str, Any]:
    return {
        "id": member.key,
        "teams_id": member.teams_id,
        "aad_object_id": member.aad_object_id,
        "name": member.name,
        "municipality": member.municipality,
        "municipalities": list(municipalities_of(member.municipality)),
        "roles": sorted(member.roles),
        "active": member.active,
        "joined_at": dump_dt(member.joined_at),
    }


async def team_record(store: Store, team: Team) -> dict[str, Any]:
    """One team with its members and every repository's records."""
    record: dict[str, Any] = {
        "id": team.key,
        "name": team.name,
        "kind": team.kind,
        "active": team.active,
        "tenant_id": team.tenant_id,
        "installed_by": team.installed_by,
        "installed_at": dump_dt(team.installed_at),
        "settings": team.settings,
        "conversation_ref": team.conversation_ref,
        "members": [member_record(m) for m in await store.teams.members(team.key, active_only=False)],
    }
    base_keys = set(record)
    owners: dict[str, str] = {}
    for name, repo in exporting_repos(store):
        for key, rows in (await repo.export(team.key)).items():
            if key in owners:
                raise ExportError(f"both store.{owners[key]} and store.{name} export {key!r}")
            if key in base_keys - {"members"}:
                raise ExportError(f"store.{name} exports {key!r}, which is a team field")
            owners[key] = name
            record[key] = rows  # a repository's own member list replaces the basic one
    return record


async def build_export(store: Store, *, now: datetime, team_key: str | None = None) -> dict[str, Any]:
    """The whole export document (see docs/export-format.md)."""
    teams = await store.teams.all_teams(active_only=False)
    if team_key is not None:
        teams = [t for t in teams if t.key == team_key]
        if not teams:
            known = ", ".join(t.key for t in await store.teams.all_teams(active_only=False)) or "none"
            raise ExportError(f"no team with id {team_key!r} (teams: {known})")
    teams.sort(key=lambda t: (t.installed_at, t.key))
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": dump_dt(now),
        "generator": f"skis-bot {__version__}",
        "teams": [await team_record(store, t) for t in teams],
    }


async def build_ics(store: Store, *, now: datetime, tz: Any, name: str, team_key: str | None = None) -> bytes:
    """The meeting calendar of every team (or one) as iCalendar bytes."""
    # Start-up economy: icalendar loads for --format ics only (every skis-bot command loads this module).
    from bot.ops.ical import calendar_ics, team_calendar

    teams = [t for t in await store.teams.all_teams(active_only=False) if team_key is None or t.key == team_key]
    if team_key is not None and not teams:
        raise ExportError(f"no team with id {team_key!r}")
    calendars = [await team_calendar(store, t.key, t.name) for t in teams if t.kind != "personal"]
    return calendar_ics(calendars, tz=tz, now=now, name=name)


def to_json(document: dict[str, Any]) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2, default=_json_default) + "\n").encode("utf-8")


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return dump_dt(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return sorted(value) if isinstance(value, (set, frozenset)) else list(value)
    raise TypeError(f"cannot export a {type(value).__name__}")


MINUTES_FORMATS = ("md", "html", "docx")


def _usage_problem(args: argparse.Namespace) -> str | None:
    """Why these options do not fit together (Swedish, for the person publishing minutes), or None."""
    minutes_only = args.meeting is not None or args.minutes_version is not None or args.draft
    if args.format not in MINUTES_FORMATS:
        return t("minutes.export_meeting_needs_format", "sv") if minutes_only else None
    if not args.meeting:
        return t("minutes.export_needs_meeting", "sv")
    if args.minutes_version is not None and args.draft:
        return t("minutes.export_draft_and_version", "sv")
    if args.format == "docx" and (not args.out or args.out == "-"):
        return t("minutes.export_docx_needs_out", "sv")
    return None


async def build_minutes(store: Store, args: argparse.Namespace, *, now: datetime, tz: Any) -> tuple[bytes, bool]:
    """One meeting's minutes in ``args.format``; also whether they are an unconfirmed draft."""
    # Start-up economy: the Word renderer loads for minutes only (every skis-bot command loads this module).
    from bot.minutes import publish

    try:
        found = await publish.find_meeting(store, args.meeting, team_key=args.team)
        pub = await publish.publication(store, found.team, found.meeting, tz, version=args.minutes_version, draft=args.draft)
    except publish.PublishError as exc:
        raise ExportError(str(exc)) from exc
    return publish.render(pub, args.format, tz, now=now), not pub.confirmed


@operator_command("skis-bot export")
async def cmd_export(args: argparse.Namespace) -> int:
    """Export every record (JSON), the meeting calendar (iCalendar) or one meeting's minutes."""
    problem = _usage_problem(args)
    if problem:
        raise CommandError(problem, USAGE_ERROR)
    async with await open_data() as data:
        draft = False
        try:
            if args.format in MINUTES_FORMATS:
                output, draft = await build_minutes(data.store, args, now=data.now, tz=data.settings.timezone)
            elif args.format == "ics":
                output = await build_ics(data.store, now=data.now, tz=data.settings.timezone, name=data.settings.network_name,
                                   team_key=args.team)
            else:
                output = to_json(await build_export(data.store, now=data.now, team_key=args.team))
        except ExportError as exc:
            raise CommandError(str(exc)) from exc
        write_output(output, args.out)
    if draft:
        sys.stderr.write(f"skis-bot export: {t('minutes.export_draft_warning', 'sv')}\n")
    if args.out and args.out != "-":
        sys.stderr.write(f"skis-bot export: wrote {args.out}\n")
    return 0


def register_cli(subparsers: Any) -> None:
    """Add `export` to the skis-bot command."""
    parser = subparsers.add_parser(
        "export",
        help="write every record as JSON (the backup format), the meeting calendar as iCalendar, or minutes as md/html/docx",
        description="Export the bot's records, or one meeting's minutes for publishing. Safe while the service runs (read-only, no lock).",
    )
    parser.add_argument(
        "--format",
        choices=("json", "ics", *MINUTES_FORMATS),
        default="json",
        help="json (default): every record; ics: the meeting calendar; md, html, docx: the minutes of --meeting",
    )
    parser.add_argument("--team", metavar="ID", help="only this team (its Teams team id)")
    parser.add_argument("--meeting", metavar="ID", help="md/html/docx: the meeting whose minutes to write (its id, e.g. 20261120)")
    parser.add_argument(
        "--version",
        "--minutes-version",
        dest="minutes_version",
        type=int,
        metavar="N",
        help="md/html/docx: confirmed version N (default: the latest confirmed version, else the draft marked UTKAST)",
    )
    parser.add_argument("--draft", action="store_true", help="md/html/docx: the working draft (marked UTKAST), e.g. during a correction")
    parser.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output (required for docx)")
    parser.set_defaults(func=cmd_export)
