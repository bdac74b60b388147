"""Feature: reminders before the meetings, the presidium's digest, action item nudges.

`påminnelser` shows when each reminder goes out; the presidium changes it in the same words
(bot/reminders/syntax.py). At start-up the scheduler is built and subscribed to ``services.changes``
so a saved meeting, item or setting re-aims it; the local admin route serves `skis-bot reminders`.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from aiohttp import web

from bot import formatting
from bot.reminders import admin
from bot.reminders.schedule import channel_order_problem
from bot.reminders.service import build_service
from bot.reminders.syntax import MAX_DAYS, Change, Problem, parse
from bot.roles import REMINDER_CHANGE_ROLES
from bot.services import Services
from bot.turn import Turn
from storage.reminders_repo import (
    ACTION_DUE,
    ACTION_OVERDUE,
    ACTIONS,
    DIGEST,
    MEETING_DAY,
    MEETING_WEEK,
    MINUTES,
    ROSTER,
    SETTING_KINDS,
    KindSettings,
    ReminderSettings,
)

log = logging.getLogger(__name__)

SETTINGS_CHANGED = "reminder_settings"


# Words ---------------------------------------------------------------------------------------------
def setting_kind(kind: str) -> str:
    """The settings entry a reminder kind belongs to (both action item kinds share one)."""
    return ACTIONS if kind in (ACTION_DUE, ACTION_OVERDUE) else kind


def _days(days: int, turn: Turn) -> str:
    return turn.t(f"reminders.days.{days}") if days in (0, 1) else turn.t("reminders.days", days=days)


def describe(kind: str, setting: KindSettings, turn: Turn) -> str:
    """ "7 dagar före mötet kl. 09.00" and the like."""
    at = formatting.format_time(setting.at, turn.locale)
    if kind == MINUTES:
        return turn.t("reminders.when_after", days=_days(setting.days, turn), time=at)
    if kind == ACTIONS:
        return turn.t("reminders.when_actions", days=_days(setting.days, turn), time=at)
    if kind == ROSTER:
        return turn.t("reminders.when_new_year", days=_days(setting.days, turn), time=at)
    if setting.days == 0:
        return turn.t("reminders.when_same_day", time=at)
    return turn.t("reminders.when_before", days=_days(setting.days, turn), time=at)


async def settings_text(turn: Turn, settings: ReminderSettings) -> str:
    lines = [turn.t("reminders.settings_title")]
    if not settings.enabled:
        lines.append(turn.t("reminders.settings_all_off"))
    elif channel_order_problem(settings):  # saved by an older version
        lines.append(turn.t("reminders.channel_order_warning", **_channel_whens(turn, settings)))
    for kind in SETTING_KINDS:
        setting = settings.kind(kind)
        when = describe(kind, setting, turn) if setting.enabled else turn.t("reminders.kind_off")
        lines.append(turn.t("reminders.settings_row", name=turn.t(f"reminders.name.{kind}"), kind=turn.t(f"reminders.kind.{kind}"), when=when))
    service = turn.services.reminders
    if settings.enabled and service is not None:
        upcoming = await service.runner.upcoming(turn.now, turn.team.key)
        if upcoming:
            first = upcoming[0]
            label = turn.t(f"reminders.kind.{setting_kind(first.kind)}")
            lines.append("")
            lines.append(turn.t("reminders.settings_next", kind=label, when=formatting.format_datetime(first.due_at, turn.services.settings.timezone, turn.locale)))
        else:
            lines.append("")
            lines.append(turn.t("reminders.settings_none_planned"))
    lines.append("")
    lines.append(turn.t("reminders.settings_help"))
    return "\n".join(lines)


# Handlers --------------------------------------------------------------------------------------------
async def reminders(turn: Turn, args: str) -> None:
    """`påminnelser`: everyone sees when reminders go out; the presidium changes it (`påminnelser kallelse 6 dagar före kl 10`)."""
    parsed = parse(args)
    repo = turn.store.reminders
    if parsed is None:
        await turn.say(await settings_text(turn, await repo.settings(turn.team.key)))
        return
    if isinstance(parsed, Problem):
        await turn.say(_problem_text(turn, parsed))
        return
    if not turn.has_role(*REMINDER_CHANGE_ROLES):
        roles = f"{turn.t('core.role.presidium')} {turn.t('core.or')} {turn.t('core.role.ordförande')}"
        await turn.say_key("core.role_required", roles=roles)
        return
    tz = turn.services.settings.timezone
    upcoming = await turn.store.meetings.upcoming(turn.team.key, turn.now)
    replies: list[str] = []

    def change(settings: ReminderSettings) -> ReminderSettings:
        # Applied to the settings as stored, under the lock: another person's change to another
        # kind made meanwhile (on another instance) is kept, and the checks see it.
        changed, reply = _apply(turn, settings, parsed)
        if parsed.kind in (MEETING_WEEK, MEETING_DAY) and channel_order_problem(changed):
            # Refused rather than saved: the kanal post would come before the kallelse (which older
            # versions then never sent). What each is set to, and three ways out.
            raise _Refused("reminders.channel_order_refused", suggest=_suggest_week_days(changed), **_channel_whens(turn, changed))
        kind = parsed.kind
        if kind is not None and kind in (MEETING_WEEK, MEETING_DAY, DIGEST) and changed.kind(kind).enabled and changed.kind(kind).days == 0:
            at = changed.kind(kind).at
            missed = [m for m in upcoming if m.starts_at.astimezone(tz).time() <= at]
            if missed:
                # A reminder due after its meeting has started is never sent (schedule.py): refused.
                raise _Refused(
                    "reminders.same_day_after_start",
                    name=turn.t(f"reminders.name.{parsed.kind}"),
                    time=formatting.format_time(at, turn.locale),
                    meeting=formatting.format_datetime(missed[0].starts_at, tz, turn.locale),
                )
            reply += "\n\n" + turn.t("reminders.same_day_note", time=formatting.format_time(at, turn.locale))
        if parsed.kind in (MEETING_WEEK, MEETING_DAY) and changed.kind(MEETING_WEEK).enabled and changed.kind(MEETING_DAY).enabled:
            reply += "\n\n" + turn.t("reminders.channel_order", **_channel_whens(turn, changed))
        replies[:] = [reply]
        return changed

    try:
        await repo.change_settings(turn.team.key, change)
    except _Refused as refused:
        await turn.say_key(refused.key, **refused.params)
        return
    await turn.services.changes.publish(SETTINGS_CHANGED, turn.team.key, turn.team.key)
    await turn.say(replies[0])


class _Refused(Exception):
    """A change the settings as stored do not allow: the reply's key and its values."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def _apply(turn: Turn, settings: ReminderSettings, change: Change) -> tuple[ReminderSettings, str]:
    if change.kind is None:
        enabled = bool(change.enabled)
        return ReminderSettings(enabled=enabled, kinds=settings.kinds), turn.t("reminders.saved_all_on" if enabled else "reminders.saved_all_off")
    kind = change.kind
    label = turn.t(f"reminders.kind.{kind}")
    if change.enabled is not None:
        changed = settings.with_kind(kind, enabled=change.enabled)
        if change.enabled:
            reply = turn.t("reminders.saved_kind_on", kind=label, when=describe(kind, changed.kind(kind), turn))
        else:
            reply = turn.t("reminders.saved_kind_off", kind=label, name=turn.t(f"reminders.name.{kind}"))
    else:
        updates: dict[str, Any] = {"enabled": True}
        if change.days is not None:
            updates["days"] = change.days
        if change.at is not None:
            updates["at"] = change.at
        changed = settings.with_kind(kind, **updates)
        reply = turn.t("reminders.saved_kind", kind=label, when=describe(kind, changed.kind(kind), turn))
    if not changed.enabled:
        reply += "\n\n" + turn.t("reminders.saved_but_all_off")
    return changed, reply


def _channel_whens(turn: Turn, settings: ReminderSettings) -> dict[str, str]:
    return {
        "week": describe(MEETING_WEEK, settings.kind(MEETING_WEEK), turn),
        "day": describe(MEETING_DAY, settings.kind(MEETING_DAY), turn),
    }


def _suggest_week_days(settings: ReminderSettings) -> str:
    days = min(MAX_DAYS, settings.kind(MEETING_DAY).days + 7)
    return "två veckor" if days == 14 else f"{days} dagar"


def _problem_text(turn: Turn, problem: Problem) -> str:
    params = dict(problem.params)
    kind = params.pop("kind", None)
    if isinstance(kind, str):
        params["kind"] = turn.t(f"reminders.kind.{kind}")
        params["name"] = turn.t(f"reminders.name.{kind}")
        params.setdefault("direction", turn.t("reminders.direction.after" if kind == MINUTES else "reminders.direction.before"))
    return turn.t(problem.key, **params)


COMMANDS = {"reminders": reminders}
CARD_ACTIONS: dict[str, Any] = {}


# Lifecycle ---------------------------------------------------------------------------------------------
async def start(services: Services) -> None:
    """Build the scheduler, listen for changes, write the admin token, and catch up at once."""
    service = build_service(services)
    data_dir = getattr(services.store.engine, "data_dir", None)
    try:
        service.admin_token, service.token_path = admin.ensure_token(services.settings.admin_token, Path(data_dir) if data_dir else None)
    except OSError:
        log.exception("could not write the admin token; `skis-bot reminders` will need SKIS_ADMIN_TOKEN")
        service.admin_token, service.token_path = admin.ensure_token(services.settings.admin_token, None)
    services.reminders = service
    services.changes.subscribe(service.on_change)
    await service.scheduler.start()


async def stop(services: Services) -> None:
    service, services.reminders = services.reminders, None
    if service is None:
        return
    await service.scheduler.stop()
    admin.remove_token(service.token_path)


def routes(services: Services) -> list[web.RouteDef]:
    return admin.routes(services)

