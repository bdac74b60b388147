"""``skis-bot reminders list|run``: see what is scheduled and sent; send what is due at an instant.

Both work whether or not the service is running, and never race it:

- If the data directory is free, the command opens it itself (taking its lock), and ``run``
  sends with a standalone adapter built exactly like the service's (bot/teams/adapter.py).
- If the service holds the directory, the command asks it over the local admin route
  (bot/reminders/admin.py) on 127.0.0.1, with the token from ``SKIS_ADMIN_TOKEN`` or
  ``<data_dir>/admin.token``; the service then runs its own ``run_due`` under its own lock.

``run --at`` sends what the scheduler would have sent at that instant and has not been sent yet;
a second run sends nothing. Exit status: 0 done, 1 something failed (try again), 2 bad input.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.config import ConfigError, load_settings
from bot.ops.command import CommandError, ServiceHoldsData, open_data
from bot.reminders.admin import LIST_PATH, RUN_PATH, parse_at, read_token

KIND_NAMES = {
    "meeting_week": "channel, week before",
    "meeting_day": "channel, day before",
    "digest": "presidium digest",
    "action_due": "action item due",
    "action_overdue": "action item overdue",
    "minutes": "minutes to confirm",
}


def register_cli(subparsers: Any) -> None:
    """Add ``reminders list`` and ``reminders run`` to the ``skis-bot`` command."""
    parser = subparsers.add_parser("reminders", help="show scheduled reminders, or send those due at a moment")
    sub = parser.add_subparsers(dest="reminders_command", required=True)

    show = sub.add_parser("list", help="what is scheduled and what was sent")
    show.add_argument("--team", help="only this team (its key, e.g. 19:…@thread.tacv2)")
    show.add_argument("--at", help="as seen at this ISO datetime (default now)")
    _common(show)
    show.set_defaults(func=cmd_list)

    run = sub.add_parser("run", help="send every reminder due at --at that has not been sent yet")
    run.add_argument(
        "--at",
        help="ISO datetime, e.g. 2026-11-27T09:00 (network time, Europe/Stockholm, unless it has an offset); default now",
    )
    run.add_argument("--team", help="only this team")
    _common(run)
    run.set_defaults(func=cmd_run)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.add_argument("--port", type=int, help="the running service's port (default $PORT or 3978)")


# Commands ---------------------------------------------------------------------------------------------
async def cmd_run(args: argparse.Namespace) -> int:
    """Send what is due at --at (through the running service if there is one)."""
    settings = load_settings()
    at = _at(args.at, settings.timezone)
    if at is None:
        return 2
    try:
        store = (await open_data(settings=settings, write=True, create=True)).store
    except ServiceHoldsData:
        data = await _remote(settings, args, "POST", RUN_PATH, payload={"at": at.isoformat(), "team": args.team})
        if data is None:
            return 1
        return _print_run(data, settings.timezone, args.json, via="the running service")
    except CommandError as exc:
        return exc.report("skis-bot")
    try:
        try:
            settings.check_can_serve()
        except ConfigError as exc:
            sys.stderr.write(f"skis-bot: refusing to send: {exc}\n")
            return 2
        # Imported here for start-up economy: only sending needs the SDK and the runner.
        from bot.clock import SystemClock
        from bot.reminders.jobs import ReminderRunner
        from bot.teams.adapter import build_adapter
        from bot.teams.proactive import Notifier

        adapter = build_adapter(settings)
        try:
            notifier = Notifier(adapter, settings.app_id, store.teams)
            runner = ReminderRunner(store, notifier, tz=settings.timezone, clock=SystemClock(), settings=settings)
            report = await runner.run_due(at, team_key=args.team)
        finally:
            close = getattr(adapter.bot_framework_authentication, "close", None)
            if close is not None:
                await close()
        return _print_run(report.to_dict(), settings.timezone, args.json, via="this command (the service is not running)")
    finally:
        await store.close()


async def cmd_list(args: argparse.Namespace) -> int:
    """Show what is scheduled and what was sent."""
    settings = load_settings()
    at = _at(args.at, settings.timezone)
    if at is None:
        return 2
    try:
        opened = await open_data(settings=settings, write=True)
    except ServiceHoldsData:
        opened = None
    except CommandError as exc:
        return exc.report("skis-bot")
    if opened is None:
        query = {"at": at.isoformat(), **({"team": args.team} if args.team else {})}
        data = await _remote(settings, args, "GET", LIST_PATH, query=query)
        if data is None:
            return 1
    else:
        store = opened.store
        try:
            # Imported here for start-up economy, as above.
            from bot.clock import SystemClock
            from bot.reminders.jobs import ReminderRunner
            from bot.teams.proactive import Notifier

            runner = ReminderRunner(store, Notifier(None, settings.app_id, store.teams), tz=settings.timezone,
                                    clock=SystemClock(), settings=settings)
            data = await runner.overview(at, args.team)
            data["service"] = False
        finally:
            await store.close()
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(format_overview(data, settings.timezone))
    return 0


# Helpers ------------------------------------------------------------------------------------------------
def _at(text: str | None, tz: ZoneInfo) -> datetime | None:
    try:
        return parse_at(text, tz, datetime.now(UTC))
    except ValueError:
        sys.stderr.write(f"skis-bot: --at must be an ISO date and time such as 2026-11-27T09:00, not {text!r}\n")
        return None


async def _remote(
    settings: Any, args: argparse.Namespace, method: str, path: str, *, payload: Any = None, query: dict[str, str] | None = None
) -> dict[str, Any] | None:
    import aiohttp

    token = read_token(settings.admin_token, settings.data_dir)
    if not token:
        sys.stderr.write(
            "skis-bot: the service is running, but its admin token is not readable here. Run this as the user "
            f"that runs the service (it writes {settings.data_dir}/admin.token), or set SKIS_ADMIN_TOKEN for both.\n"
        )
        return None
    port = args.port or settings.port
    url = f"http://127.0.0.1:{port}{path}"
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=900)) as session:
            async with session.request(method, url, json=payload, params=query, headers={"Authorization": f"Bearer {token}"}) as resp:
                status = resp.status
                data = await resp.json(content_type=None)
    except (aiohttp.ClientError, ValueError) as exc:
        sys.stderr.write(
            f"skis-bot: the service holds {settings.data_dir} but does not answer at 127.0.0.1:{port} ({type(exc).__name__}). "
            "If it listens on another port, give --port.\n"
        )
        return None
    if status != 200 or not isinstance(data, dict):
        error = data.get("error") if isinstance(data, dict) else data
        sys.stderr.write(f"skis-bot: the service answered {status}: {error}\n")
        return None
    return data


def _local(text: str, tz: ZoneInfo) -> str:
    return datetime.fromisoformat(text).astimezone(tz).strftime("%Y-%m-%d %H:%M")


def _print_run(data: dict[str, Any], tz: ZoneInfo, as_json: bool, *, via: str) -> int:
    results = data.get("results") or []
    if as_json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(f"Reminders due at {_local(data['at'], tz)} ({tz}), sent by {via}:")
        for r in results:
            detail = f" ({r['detail']})" if r.get("detail") else ""
            print(f"  {r['status']:<14} {KIND_NAMES.get(r['kind'], r['kind']):<22} {r['subject']:<14} {r['target']}{detail}")
        counts = {s: sum(1 for r in results if r["status"] == s) for s in ("sent", "undeliverable", "rejected", "uncertain", "failed", "skipped")}
        if not results:
            print("  nothing was due that had not been sent already.")
        print(", ".join(f"{n} {s}" for s, n in counts.items() if n or s == "sent"))
        if counts["failed"]:
            print("Failed sends were not recorded; run again (or let the service retry) to send them.")
    return 1 if any(r["status"] == "failed" for r in results) else 0


def format_overview(data: dict[str, Any], tz: ZoneInfo) -> str:
    """The overview as text for people."""
    lines = [f"Reminders as of {_local(data['at'], tz)} ({tz})"]
    if data.get("next_wake"):
        lines.append(f"The running service wakes next at {_local(data['next_wake'], tz)}.")
    elif not data.get("service"):
        lines.append("The service is not running.")
    if not data.get("teams"):
        lines.append("No teams yet.")
    for team in data.get("teams") or []:
        settings = team["settings"]
        state = "reminders on" if settings.get("enabled", True) else "reminders OFF"
        active = "" if team["active"] else ", bot removed"
        lines += ["", f"{team['name']} ({team['key']}): {state}{active}"]
        kinds = [
            f"{name} {'off' if not k['enabled'] else str(k['days']) + 'd ' + k['at']}" for name, k in settings.get("kinds", {}).items()
        ]
        lines.append("  settings: " + "; ".join(kinds))
        for title, rows, stamp in (
            ("due now, not yet sent", team["due_now"], "due_at"),
            ("scheduled", team["scheduled"], "due_at"),
            ("sent (latest first)", team["sent"], "due_at"),
            ("undeliverable", team["undeliverable"], "due_at"),
        ):
            if not rows:
                continue
            lines.append(f"  {title}:")
            for r in rows:
                extra = f"  [{r['status']}{' ' + r['detail'] if r.get('detail') else ''}]" if "status" in r else ""
                lines.append(
                    f"    {_local(r[stamp], tz)}  {KIND_NAMES.get(r['kind'], r['kind']):<22} {r['subject']:<14} "
                    f"{r.get('target_name') or r['target']}{extra}"
                )
    return "\n".join(lines)
