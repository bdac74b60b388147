"""The region's lists in Teams (`medlemslista`, `årsrapport`) and the public archive served by the
bot at /arkiv/ (``SKIS_PUBLIC_ARCHIVE=1``; off by default).

The pages are those ``skis-bot publish`` writes (bot/publishing/site.py), built from the store
when asked for. A request is answered only when its path is one of the archive's own paths, so
drafts, minutes awaiting justering, other files and path tricks (``..``, encoded slashes) all
end in 404: nothing is read from disk by name.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from typing import Any

from aiohttp import web

from bot.messages import t
from bot.publishing import report, roster
from bot.publishing.site import Archive, content_type
from bot.roles import PUBLISHING_ROLES
from bot.teams import install
from bot.turn import Turn
from storage.teams_repo import Team

log = logging.getLogger(__name__)

PREFIX = "/arkiv"

# No scripts, nothing from elsewhere; the pages carry their own inline style.
_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}



def _not_found() -> web.Response:
    return web.Response(status=404, text=t("publishing.archive_not_found_page", prefix=PREFIX), content_type="text/html", charset="utf-8", headers=_HEADERS)


def routes(services: Any) -> list[web.RouteDef]:
    """GET /arkiv/… when the archive is switched on; no route at all otherwise."""
    if not services.settings.public_archive:
        return []

    async def redirect(_request: web.Request) -> web.Response:
        raise web.HTTPMovedPermanently(f"{PREFIX}/")

    async def serve(request: web.Request) -> web.Response:
        path = request.match_info.get("path", "")
        if path == "" or path.endswith("/"):
            path += "index.html"
        archive = await Archive.load(services.store, services.settings.timezone, now=services.clock.now())
        if path not in archive.paths():
            return _not_found()
        body = archive.render(path)
        if body is None:  # pragma: no cover - paths() and render() come from one map
            return _not_found()
        kind, _, _charset = content_type(path).partition(";")
        headers = dict(_HEADERS)
        if path.endswith(".docx"):
            headers["Content-Disposition"] = f'attachment; filename="{path.rsplit("/", 1)[-1]}"'
        return web.Response(body=body, content_type=kind, charset="utf-8" if _charset else None, headers=headers)

    return [web.get(PREFIX, redirect), web.get(PREFIX + "/{path:.*}", serve)]


# Teams commands ------------------------------------------------------------------------------



def _year(turn: Turn, args: str) -> int | None:
    """The year typed after the command (``2027``), this year when none; None when it is not a year."""
    text = args.strip(" .!")
    if not text:
        return turn.now.astimezone(turn.services.settings.timezone).year
    return int(text) if re.fullmatch(r"(19|20)\d\d", text) else None


async def member_list(turn: Turn, args: str) -> None:
    """`medlemslista [år]`: the presidium gets the register with email and the year's meeting dates, to send to the region."""
    if not turn.has_role(*PUBLISHING_ROLES):
        await turn.say_key("publishing.roster_only_presidium")
        return
    year = _year(turn, args)
    if year is None:
        await turn.say_key("publishing.year_usage", command="medlemslista", year=turn.now.year + 1)
        return
    conversation = turn.activity.conversation
    if turn.team.kind == "team" and conversation is not None and conversation.conversation_type == "channel":
        # Teams gives email addresses in the team's roster: read it again so new addresses are in the list.
        await install.load_roster(turn.services, turn.context, turn.team)
    listing = await roster.build_roster(turn.store, turn.team, year, turn.services.settings.timezone,
                                        settings=turn.services.settings, locale=turn.locale)
    await turn.say(roster.chat_text(listing, turn.locale))


_MANDATE_WORDS = ("uppdrag", "uppdragen")
_MANDATE_SET = re.compile(r"^(\d{1,2})\s*[:.]?\s*(.*)$", re.DOTALL)
MAX_MANDATE_POINTS = 9
MAX_MANDATE_CHARS = 400


async def mandate(turn: Turn, rest: str) -> None:
    """`årsrapport uppdrag [nr text]`: the network's mandate points, which the chair revises once a year."""
    points = list(report.mandate_points(turn.team))
    if not rest.strip():
        lines = [turn.t("publishing.mandate_title")]
        lines += [f"{n}. {text} (#uppdrag{n})" for n, text in enumerate(points, start=1)]
        lines += ["", turn.t("publishing.mandate_help")]
        await turn.say("\n".join(lines))
        return
    found = _MANDATE_SET.match(rest.strip())
    number = int(found.group(1)) if found else 0
    text = " ".join(found.group(2).split()) if found else ""
    if not found or not 1 <= number <= MAX_MANDATE_POINTS or not text or len(text) > MAX_MANDATE_CHARS:
        await turn.say_key("publishing.mandate_usage", next=min(len(points) + 1, MAX_MANDATE_POINTS), max=MAX_MANDATE_CHARS)
        return

    def edit(team: Team) -> Team:
        # The positions are counted on the list as stored, under the lock: a point another turn
        # adds or removes at the same moment is kept, and the number means the point it names now.
        stored = list(report.mandate_points(team))
        if number > min(len(stored) + 1, MAX_MANDATE_POINTS) or (text == "-" and (number > len(stored) or len(stored) == 1)):
            raise _MandateUsage(len(stored))
        if text == "-":
            del stored[number - 1]
        elif number > len(stored):
            stored.append(text)
        else:
            stored[number - 1] = text
        return replace(team, settings={**team.settings, report.MANDATE_SETTING: stored})

    try:
        changed = await turn.store.teams.change_team(turn.team.key, edit)
    except _MandateUsage as usage:
        await turn.say_key("publishing.mandate_usage", next=min(usage.count + 1, MAX_MANDATE_POINTS), max=MAX_MANDATE_CHARS)
        return
    count = len(report.mandate_points(changed)) if changed is not None else len(points)
    await turn.say_key("publishing.mandate_saved", number=number, count=count)


class _MandateUsage(Exception):
    """The point's number is not on the list as stored (``count`` points)."""

    def __init__(self, count: int) -> None:
        super().__init__(count)
        self.count = count


async def yearly_report(turn: Turn, args: str) -> None:
    """`årsrapport [år]`: the presidium and the chair get the year's report (meetings, attendance, decisions, items, mandate)."""
    if not turn.has_role(*PUBLISHING_ROLES):
        await turn.say_key("publishing.report_only_presidium")
        return
    first, _, rest = args.strip().partition(" ")
    if first.casefold() in _MANDATE_WORDS:
        await mandate(turn, rest)
        return
    year = _year(turn, args)
    if year is None:
        await turn.say_key("publishing.year_usage", command="årsrapport", year=turn.now.year)
        return
    built = await report.build_report(turn.store, turn.team, year, turn.services.settings.timezone, now=turn.now,
                                      settings=turn.services.settings, locale=turn.locale)
    await turn.say(report.chat_text(built, turn.locale))


COMMANDS = {"roster": member_list, "yearly_report": yearly_report}
