"""Decisions, recorded through conversation, corrected with their history, and searched in the log.

Commands (Swedish words in ``bot/routing.py``): ``beslut [punkt <n>:] <text>``, ``beslut`` alone
asks; ``ändra beslut <nr> <text>``; ``beslutslogg [sökord] [sida <n>]``.

Storing is in bot/rules/decisions.py; who may record or correct in bot/roles.py.
"""

from __future__ import annotations

import math
import re

from botbuilder.dialogs import Dialog

from bot import roles
from bot.cards import escape
from bot.cards.records import DecisionRow, decision_log_card
from bot.formatting import format_date, meeting_date
from bot.roles import roles_text
from bot.routing import COMMANDS as WORDS
from bot.rules import limits
from bot.rules.decisions import (
    agenda_item_problem,
    confirmed_minutes_note,
    decision_meeting,
    decision_saved_text,
    record_decision,
    split_agenda_item,
)
from bot.rules.search import search
from bot.services import Services
from bot.text import parse_number
from bot.turn import Turn
from dialogs.record_decision import DIALOG_ID as DECISION_DIALOG
from dialogs.record_decision import RecordDecisionDialog, start_options
from storage.meetings_repo import Meeting

PAGE_SIZE = 10
_PAGE = re.compile(r"(?:^|\s)(?:sida|s\.)\s*(\d{1,4})\s*$", re.IGNORECASE)


async def decision(turn: Turn, args: str) -> None:
    """`beslut [punkt 3:] <text>`: records a decision for the ongoing (or latest) meeting."""
    args = turn.command_args(args)
    meeting = await decision_meeting(turn.store, turn.team.key, turn.now)
    if meeting is None:
        await turn.say_key("records.decision_no_meeting")
        return
    if not roles.may_record_decision(turn.member, meeting, turn.now):
        when = meeting_date(meeting, turn.tz, turn.locale)
        await turn.say_key("records.decision_not_allowed", meeting=when, roles=roles_text(turn.locale, roles.RECORDER_ROLES))
        return
    agenda_item, text = split_agenda_item(args)
    problem = await agenda_item_problem(turn.store, turn.team, meeting, agenda_item, turn.tz, turn.locale)
    if problem:
        await turn.say(problem)
        return
    if not text:
        await turn.begin_dialog(DECISION_DIALOG, start_options(meeting, agenda_item, turn.now))
        return
    if limits.too_long(text, limits.DECISION_TEXT):
        await turn.say_key("records.decision_too_long", length=limits.length(text), max=limits.DECISION_TEXT)
        return
    stored = await record_decision(turn.store, turn.team.key, meeting, turn.member, text, agenda_item, now=turn.now,
                                   conversation_id=turn.conversation_id, activity_id=turn.activity.id)
    await turn.say(await _with_minutes_note(turn, meeting, await decision_saved_text(meeting, stored, turn.tz, turn.locale, turn.store, turn.member.key)))


async def _with_minutes_note(turn: Turn, meeting: Meeting | None, reply: str) -> str:
    """``reply`` and, when the meeting's minutes are already confirmed, the word that they do not say it."""
    note = await confirmed_minutes_note(turn.store, turn.team.key, meeting, turn.member, turn.tz, turn.locale) if meeting else None
    return f"{reply}\n\n{note}" if note else reply


async def decision_edit(turn: Turn, args: str) -> None:
    """`ändra beslut <nr> <text>`: corrects the wording; the earlier wording stays in the history."""
    args = turn.command_args(args)
    number, rest = parse_number(args)
    if number is None or not rest:
        await turn.say_key("records.decision_edit_usage")
        return
    found = await turn.store.decisions.get(turn.team.key, number)
    if found is None:
        await turn.say_key("records.decision_not_found", number=number)
        return
    if not roles.may_correct_decision(turn.member, found):
        await turn.say_key("records.decision_edit_not_allowed", number=number, roles=roles_text(turn.locale, roles.RECORDER_ROLES))
        return
    agenda_item, text = split_agenda_item(rest)
    if not text:
        await turn.say_key("records.decision_edit_usage")
        return
    if limits.too_long(text, limits.DECISION_TEXT):
        await turn.say_key("records.decision_too_long", length=limits.length(text), max=limits.DECISION_TEXT)
        return
    meeting = await turn.store.meetings.get(turn.team.key, found.meeting_id)
    problem = await agenda_item_problem(turn.store, turn.team, meeting, agenda_item, turn.tz, turn.locale) if meeting else None
    if problem:
        await turn.say(problem)
        return
    if await turn.store.decisions.corrected_by(found, turn.activity.id):
        # Delivered again after a restart: correcting once more would push a copy into the history
        # (or undo a later correction).
        await turn.say_key("records.already_done")
        return
    corrected = await turn.store.decisions.correct(
        found, text=text, by=turn.member.key, by_name=turn.member.name, at=turn.now, agenda_item=agenda_item,
        activity_id=turn.activity.id,
    )
    reply = turn.t(
        "records.decision_corrected",
        number=number,
        text=escape(corrected.text),
        before=escape(found.text),
        count=len(corrected.history),
    )
    await turn.say(await _with_minutes_note(turn, meeting, reply))


async def decision_log(turn: Turn, args: str) -> None:
    """`beslutslogg [sökord] [sida 2]`: decisions newest first, 10 per page, searchable."""
    match = _PAGE.search(args)
    page = int(match.group(1)) if match else 1
    query = (args[: match.start()] if match else args).strip()
    decisions = await turn.store.decisions.all(turn.team.key)
    if not decisions:
        await turn.say_key("records.decision_log_empty")
        return
    meetings = {m.id: m for m in await turn.store.meetings.all(turn.team.key, include_cancelled=True)}
    decisions.sort(key=lambda d: (meetings[d.meeting_id].starts_at if d.meeting_id in meetings else d.recorded_at, d.number), reverse=True)
    hits = search(decisions, query, lambda d: d.text)
    if not hits:
        await turn.say_key("records.decision_log_no_hits", query=escape(query))
        return
    pages = math.ceil(len(hits) / PAGE_SIZE)
    base = " ".join(w for w in (WORDS["decision_log"][0], query) if w)
    if page < 1 or page > pages:
        await turn.say_key("records.decision_log_no_page", pages=pages, command=escape(f"{base} sida {pages}"))
        return
    tz = turn.tz
    rows = []
    for d in hits[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]:
        meeting = meetings.get(d.meeting_id)
        when = meeting_date(meeting, tz, turn.locale) if meeting else format_date(d.recorded_at.astimezone(tz).date(), turn.locale)
        rows.append(DecisionRow(d.number, when, d.text, d.agenda_item, d.corrected))
    title = turn.t("records.decision_log_search_title", query=query) if query else turn.t("records.decision_log_title")
    subtitle = turn.t("records.decision_log_page", page=page, pages=pages, count=len(hits))
    footer: str | None
    if page < pages:
        footer = turn.t("records.decision_log_next", command=escape(f"{base} sida {page + 1}"))
    else:
        footer = turn.t("records.decision_log_hint") if not query else None
    card = decision_log_card(title=title, subtitle=subtitle, rows=rows, footer=footer, locale=turn.locale)
    await turn.send_card(card, summary=turn.t("records.decision_log_summary", page=page, pages=pages))


def dialogs(services: Services) -> list[Dialog]:
    return [RecordDecisionDialog()]


COMMANDS = {
    "decision": decision,
    "decision_edit": decision_edit,
    "decision_log": decision_log,
}
