"""A person's own data: `mina data` shows it, `radera mina svar` deletes their check-in answers.

Check-in and check-out answers are also deleted by age (``SKIS_CHECKIN_RETENTION_DAYS``): from
start-up on and then once a day, in the background while the service answers. See docs/privacy.md.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from bot import formatting
from bot.cards import escape
from bot.ops.privacy import PurgeReport, purge_stepwise
from bot.services import Services
from bot.turn import Turn

log = logging.getLogger(__name__)

MAX_LISTED = 30
_YES = frozenset({"ja", "ja tack", "yes", "japp", "ok"})
PURGE_INTERVAL_SECONDS = 24 * 60 * 60


async def my_data(turn: Turn, args: str) -> None:
    """`mina data`: in the person's 1:1 chat, everything the bot has stored about them in this network."""
    if not turn.in_personal_chat:
        await turn.say_key("privacy.in_channel")
        return
    store, member, team = turn.store, turn.member, turn.team
    tz = turn.services.settings.timezone
    lines = [turn.t("privacy.title", team=escape(team.name))]
    joined = formatting.format_date(member.joined_at.astimezone(tz).date(), turn.locale) if member.joined_at else "–"
    roles = ", ".join(turn.t(f"core.role.{r}") for r in sorted(member.roles)) or "–"
    lines.append(
        turn.t(
            "privacy.register",
            name=escape(member.name),
            municipality=escape(member.municipality) if member.municipality else turn.t("privacy.no_municipality"),
            roles=roles,
            joined=joined,
        )
    )
    if member.email:  # kept from the team's roster for the member list the region asks for
        lines.append(turn.t("privacy.register_email", email=escape(member.email)))
    answers = await store.checkins.answers_of(team.key, member.key)
    if not answers:
        lines.append(turn.t("privacy.answers_none"))
    else:
        lines.append(turn.t("privacy.answers_title", count=len(answers)))
        for answer in answers[-MAX_LISTED:]:
            day = formatting.format_date(answer.answered_at.astimezone(tz).date(), turn.locale)
            kind = turn.t(f"privacy.kind.{answer.kind}")
            lines.append(turn.t("privacy.answer_line", date=day, kind=kind, answer=escape(" ".join(answer.answer.split()))))
        if len(answers) > MAX_LISTED:
            lines.append(turn.t("privacy.answers_more", count=len(answers) - MAX_LISTED))
    items = await store.actions.all(team.key)
    owned = [i for i in items if any(o.kind == "member" and o.key == member.key for o in i.owners)]
    created = [i for i in items if i.created_by == member.key]
    lines.append(turn.t("privacy.items", owned=len(owned), open=sum(1 for i in owned if i.is_open), created=len(created)))
    decisions = [d for d in await store.decisions.all(team.key) if d.created_by == member.key]
    lines.append(turn.t("privacy.decisions", count=len(decisions)))
    days = turn.services.settings.checkin_retention_days
    lines.append(turn.t("privacy.retention", days=days) if days else turn.t("privacy.retention_off"))
    lines.append(turn.t("privacy.footer"))
    await turn.say("\n\n".join(lines))


async def delete_my_answers(turn: Turn, args: str) -> None:
    """`radera mina svar`: says how many answers there are; `radera mina svar ja` deletes them all.
    Only in the person's 1:1 chat, like `mina data`: it is nobody else's business."""
    if not turn.in_personal_chat:
        await turn.say_key("privacy.delete_in_channel")
        return
    store = turn.store
    count = len(await store.checkins.answers_of(turn.team.key, turn.member.key))
    if count == 0:
        await turn.say_key("privacy.delete_none")
        return
    if " ".join(args.casefold().split()).rstrip("!.") not in _YES:
        await turn.say_key("privacy.delete_confirm", count=count)
        return
    deleted = await store.checkins.delete_member_answers(turn.team.key, turn.member.key)
    log.info("a member deleted their check-in answers (%d) in %s", deleted, turn.team.key)
    await turn.say_key("privacy.deleted", count=deleted)


COMMANDS = {"my_data": my_data, "delete_my_answers": delete_my_answers}
CARD_ACTIONS: dict[str, object] = {}


# The daily retention purge ---------------------------------------------------------------------


@dataclass
class RetentionPurge:
    """The background purge: a first pass as soon as the service runs, then one a day.

    It runs on the event loop, one meeting partition at a time with
    a pause after each, so the service listens and answers turns while it works: the first pass
    over a store that was never purged rewrites every old meeting and takes seconds."""

    services: Services
    interval: float = PURGE_INTERVAL_SECONDS
    sleep: Callable[[float], Awaitable[object]] = asyncio.sleep  # the wait between passes (tests replace it)
    passes: int = 0
    last: PurgeReport | None = None
    first_pass_done: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Task[None] | None = None

    async def run_once(self) -> PurgeReport | None:
        """One pass over every network, with the clock's time now."""
        services = self.services
        try:
            report = await purge_stepwise(services.store, services.settings, services.clock.now())
        except Exception:  # e.g. the network list cannot be read: the service goes on; try tomorrow
            log.exception("the check-in retention purge failed")
            report = None
        self.passes += 1
        self.last = report
        return report

    async def run_forever(self) -> None:
        try:
            await self.run_once()
        finally:
            self.first_pass_done.set()  # also when stopped half-way, so nobody waits for ever
        while True:
            await self.sleep(self.interval)
            await self.run_once()


async def start(services: Services) -> None:
    """Start the background purge of expired check-in answers (first pass now, then daily)."""
    if services.settings.checkin_retention_days:
        purge = RetentionPurge(services)
        purge.task = asyncio.create_task(purge.run_forever(), name="skis-retention-purge")
        services.purge = purge


async def stop(services: Services) -> None:
    """Stop the purge at its next pause; every partition it finished stays purged."""
    purge, services.purge = services.purge, None
    if purge is not None and purge.task is not None:
        purge.task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await purge.task
