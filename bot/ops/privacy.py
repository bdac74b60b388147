"""Operator tools for personal data: ``skis-bot forget-member`` and ``skis-bot privacy purge``.

- ``forget-member <member id> [--team ID] [--dry-run]``: a person asked to be forgotten. Their
  register entry is anonymised, their check-in, check-out and attendance answers are deleted,
  their name and ids in action items, decisions, agenda items, who recorded a presence list and
  the reminder log are replaced, and their 1:1 chat reference and dialog state are removed
  (storage/privacy_repo.py lists exactly what). Confirmed minutes are public records and are
  kept. A run that was killed is finished by running it again with the same id.
- ``privacy purge [--days N] [--dry-run]``: delete check-in and check-out answers older than the
  retention period (``SKIS_CHECKIN_RETENTION_DAYS``, default 365). The service also does this
  in the background from start-up on and once a day (``purge_stepwise``).

Both open the data directory themselves, so the service must be stopped first (they say so
if it is running). See docs/privacy.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bot.config import Settings
from bot.ops.command import CommandError, open_data, operator_command
from storage.engine import StorageError
from storage.privacy_repo import ForgetReport, PrivacyRepo, PurgeStats
from storage.store import Store

log = logging.getLogger(__name__)


def retention_cutoff(settings: Settings, now: datetime, days: int | None = None) -> datetime | None:
    """Answers given before this instant have expired; None when answers are kept."""
    keep = settings.checkin_retention_days if days is None else days
    return now - timedelta(days=keep) if keep > 0 else None


async def purge_expired_answers(store: Store, settings: Settings, now: datetime, *, days: int | None = None,
                          dry_run: bool = False) -> int:
    """Delete (or with ``dry_run`` count) check-in and check-out answers past the retention period."""
    cutoff = retention_cutoff(settings, now, days)
    if cutoff is None:
        return 0
    repo = PrivacyRepo(store.engine)
    total = 0
    for team in await store.teams.all_teams(active_only=False):
        total += await repo.purge_answers(team.key, cutoff, dry_run=dry_run)
    if total and not dry_run:
        log.info("deleted %d check-in answers older than %s", total, cutoff.date().isoformat())
    return total


@dataclass
class PurgeReport:
    """One pass of the service's retention purge."""

    cutoff: datetime
    stats: PurgeStats = field(default_factory=PurgeStats)
    networks: int = 0
    failed: list[str] = field(default_factory=list)  # networks whose purge raised (tried again next pass)
    seconds: float = 0.0


async def purge_stepwise(store: Store, settings: Settings, now: datetime) -> PurgeReport | None:
    """The purge as the service runs it: on the event loop, letting other work run between meetings.

    Every step (one meeting partition, or one unchanged one skipped) is a complete, durable
    write on its own, so cancelling at a pause (shutdown) leaves nothing half done. A network
    whose purge fails is logged and retried on the next pass; the others go on. None when
    retention is off."""
    cutoff = retention_cutoff(settings, now)
    if cutoff is None:
        return None
    report = PurgeReport(cutoff)
    started = time.perf_counter()
    repo = PrivacyRepo(store.engine)
    for team in await store.teams.all_teams(active_only=False):
        report.networks += 1
        try:
            async for _ in repo.purge_steps(team.key, cutoff, report.stats):
                await asyncio.sleep(0)
        except Exception:  # a full disk or a damaged file: the other networks still get purged
            log.exception("the check-in retention purge failed in %s", team.key)
            report.failed.append(team.key)
        await asyncio.sleep(0)
    report.seconds = time.perf_counter() - started
    s = report.stats
    log.info("check-in retention purge (answers before %s): %d deleted; %d meeting partitions read, %d unchanged "
             "skipped, %d rewritten; %d networks in %.2f s", cutoff.date().isoformat(), s.answers, s.read, s.skipped,
             s.written, report.networks, report.seconds)
    return report


class ForgetError(Exception):
    """The person could not be forgotten; the message says why."""


async def forget_member(store: Store, member_id: str, *, team_key: str | None = None, dry_run: bool = False) -> ForgetReport:
    """Forget the person ``member_id`` (member key, Teams id or Entra object id) in one or all networks.

    An erasure an earlier run started and did not finish (killed, a full disk) is finished first,
    as it was started; then, if the person is still in a member list it did not cover, that is
    forgotten too."""
    repo = PrivacyRepo(store.engine)
    member_id = member_id.strip()
    job = await repo.pending_job(member_id)
    if job is not None and not dry_run:
        report = await repo.finish(job, resumed=True)
        if (await repo.find(member_id))[0] is None or team_key is not None and team_key in job.teams:
            return report
    person, teams = await repo.find(member_id)
    if person is None:
        if job is not None:  # a dry run of an unfinished erasure
            return ForgetReport(replacement_key="(dry run)", teams=list(job.teams), resumed=True)
        raise ForgetError(f"nobody with the id {member_id!r} is in any network's member list")
    if team_key is not None:
        if team_key not in teams:
            raise ForgetError(f"{member_id!r} is not in the member list of {team_key!r} (they are in: {', '.join(teams)})")
        teams = [team_key]
    all_teams = team_key is None
    if dry_run:
        report = ForgetReport(replacement_key="(dry run)", teams=teams)
        report.answers_deleted = sum([len(await store.checkins.answers_of(t, k)) for t in teams for k in person.ids])
        return report
    return await repo.forget(person, teams, all_teams=all_teams)


# Command line ------------------------------------------------------------------------------------


@operator_command("skis-bot forget-member")
async def cmd_forget(args: argparse.Namespace) -> int:
    """Forget one person (on their request)."""
    async with await open_data(args, write=True) as data:
        try:
            report = await forget_member(data.store, args.member_id, team_key=args.team, dry_run=args.dry_run)
        except ForgetError as exc:
            raise CommandError(str(exc)) from exc
        except StorageError as exc:
            raise CommandError(f"{exc}. Run it again once the problem is fixed.") from exc
    if args.json:
        sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False) + "\n")
        return 0
    what = "Would forget" if args.dry_run else "Forgot"
    if report.resumed:
        what += " (finishing an erasure an earlier run did not complete)"
    sys.stdout.write(
        f"{what} {args.member_id} in {len(report.teams)} network(s): {', '.join(report.teams)}\n"
        f"  register entries anonymised: {report.register_entries}\n"
        f"  check-in/check-out answers deleted: {report.answers_deleted}\n"
        f"  attendance answers deleted: {report.attendance_deleted}\n"
        f"  other records with their name or id replaced: {report.documents_changed}\n"
        f"  1:1 chat references removed: {report.personal_refs_removed}\n"
        f"  dialog states removed: {report.dialog_states_deleted}\n"
        f"  they now appear as: {report.replacement_key}\n"
        "Confirmed minutes are public records and were not changed.\n"
    )
    return 0


@operator_command("skis-bot privacy purge")
async def cmd_purge(args: argparse.Namespace) -> int:
    """Delete check-in answers older than the retention period."""
    async with await open_data(args, write=True) as data:
        days = args.days if args.days is not None else data.settings.checkin_retention_days
        try:
            count = await purge_expired_answers(data.store, data.settings, data.now, days=days, dry_run=args.dry_run)
        except StorageError as exc:
            raise CommandError(str(exc)) from exc
    if days <= 0:
        sys.stdout.write("Retention is off (0 days): no answers were deleted.\n")
    elif args.dry_run:
        sys.stdout.write(f"{count} check-in/check-out answers are older than {days} days and would be deleted.\n")
    else:
        sys.stdout.write(f"Deleted {count} check-in/check-out answers older than {days} days.\n")
    return 0


def register_cli(subparsers: Any) -> None:
    """Add ``forget-member`` and ``privacy purge`` to the ``skis-bot`` command."""
    forget = subparsers.add_parser("forget-member", help="remove a person's personal data (stop the service first)")
    forget.add_argument("member_id", help="the person's member key, Entra object id or Teams id (29:…)")
    forget.add_argument("--team", help="only in this network (its key); default: every network")
    forget.add_argument("--dry-run", action="store_true", help="only say what would be done")
    forget.add_argument("--json", action="store_true", help="print the report as JSON")
    forget.add_argument("--data-dir", help="data directory (default $SKIS_DATA_DIR)")
    forget.set_defaults(func=cmd_forget)

    privacy = subparsers.add_parser("privacy", help="personal data housekeeping")
    sub = privacy.add_subparsers(dest="privacy_command", required=True)
    purge = sub.add_parser("purge", help="delete check-in answers older than SKIS_CHECKIN_RETENTION_DAYS")
    purge.add_argument("--days", type=int, help="retention in days (default $SKIS_CHECKIN_RETENTION_DAYS, 365)")
    purge.add_argument("--dry-run", action="store_true", help="only count")
    purge.add_argument("--data-dir", help="data directory (default $SKIS_DATA_DIR)")
    purge.set_defaults(func=cmd_purge)
