"""Check-ins, action items and decisions, recorded through conversation.

Commands (Swedish words in ``bot/routing.py``):

- ``incheckning [svar]`` / ``utcheckning [svar]``: answer the next (or ongoing) meeting's question;
  without an answer the bot asks (a dialog). Answering again replaces your answer.
  ``radera incheckning`` / ``radera utcheckning`` removes yours; ``incheckningar`` /
  ``utcheckningar`` shows who answered what and who (per municipality) has not.
- ``incheckningsfråga [fråga|standard]`` / ``utcheckningsfråga …``: show or (presidium, chair) set
  the meeting's question; ``standard`` goes back to the network's rotating questions.
- ``uppgift <vad> [@person …] [till <när>]``, ``uppgift`` alone asks; ``uppgifter [sida <n>]``,
  ``mina uppgifter [sida <n>]`` (20 per page, "Visa fler" on the card), ``klar <nr>``, ``ångra <nr>``, ``ändra uppgift <nr> <text>``,
  ``tilldela <nr> @person``.
- ``beslut [punkt <n>:] <text>``, ``beslut`` alone asks; ``ändra beslut <nr> <text>``;
  ``beslutslogg [sökord] [sida <n>]``.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace
from datetime import datetime
from typing import Any

from botbuilder.dialogs import Dialog

from bot.cards import escape
from bot.cards.records import (
    AnswerRow,
    DecisionRow,
    ItemGroup,
    ItemPage,
    ItemRow,
    action_items_card,
    checkins_cards,
    decision_log_card,
    item_pages,
    item_row_size,
)
from bot.dates import When, parse_when, recent_past
from bot.formatting import format_date
from bot.routing import (
    ACTION_ACTION_DONE,
    ACTION_ACTION_ITEM_FORM,
    ACTION_ACTION_ITEMS_PAGE,
    ACTION_CHECKIN,
    card_number,
    fold,
)
from bot.routing import COMMANDS as WORDS
from bot.rules import limits
from bot.rules.recording import (
    EMPTY_DUE,
    LEAD_ROLES,
    RECORDER_ROLES,
    Due,
    ParseContext,
    action_saved_text,
    agenda_item_problem,
    checkin_meeting,
    checkin_overview,
    checkin_saved_text,
    command_args,
    create_action_item,
    decision_meeting,
    decision_saved_text,
    delete_checkin,
    due_text,
    follow_next_meeting,
    kind_params,
    local_today,
    may_close,
    may_correct_decision,
    may_edit,
    may_record_decision,
    meeting_date,
    next_meeting,
    owners_text,
    parse_action_text,
    parse_due,
    parse_number,
    question_for,
    question_is_custom,
    record_decision,
    resolve_owner_list,
    roles_text,
    save_checkin,
    short,
    split_agenda_item,
)
from bot.rules.search import search
from bot.services import Services
from bot.turn import CardReply, Turn
from dialogs.checkin import DIALOG_ID as CHECKIN_DIALOG
from dialogs.checkin import CheckinDialog
from dialogs.record_action_item import DIALOG_ID as ACTION_DIALOG
from dialogs.record_action_item import EMPTY_OPTIONS as EMPTY_ACTION_OPTIONS
from dialogs.record_action_item import RecordActionItemDialog
from dialogs.record_decision import DIALOG_ID as DECISION_DIALOG
from dialogs.record_decision import RecordDecisionDialog
from storage.actions_repo import DONE, OPEN, ActionItem
from storage.checkins_repo import CHECKIN, CHECKOUT, KINDS
from storage.meetings_repo import Meeting
from storage.teams_repo import Member, member_key

PAGE_SIZE = 10
QUESTION_LIMIT = limits.QUESTION
# A whole `uppgift …` message: the title with people and a due date after it.
_ACTION_TEXT = limits.ACTION_TITLE + 1000
_RESET_WORDS = frozenset({"standard", "ingen", "ta bort", "aterstall", "default"})
_PAGE = re.compile(r"(?:^|\s)(?:sida|s\.)\s*(\d{1,4})\s*$", re.IGNORECASE)
_ITEMS_PAGE = re.compile(r"\s*(?:(?:sida|s\.)\s*)?(\d{1,4})\s*", re.IGNORECASE)


async def _begin(turn: Turn, dialog_id: str, options: dict[str, Any]) -> None:
    if turn.dialogs is None:
        raise RuntimeError(f"no dialog context on this turn to start {dialog_id!r}")
    await turn.dialogs.begin_dialog(dialog_id, options)


# --- Check-in and check-out ------------------------------------------------------------------


# "incheckning 27 november: …" / "incheckning 20261127: …": an answer for a named meeting.
_NAMED_MEETING = re.compile(r"^\s*(?P<selector>[^:\n]{1,40}?)\s*:\s*(?P<rest>\S.*)$", re.DOTALL)


def _named_meeting(turn: Turn, args: str) -> tuple[Meeting | None, str]:
    """The meeting a leading "<date or id>:" names (a held one too: a check-in written down
    afterwards) and the answer after it; (None, args) when the text names none."""
    m = _NAMED_MEETING.match(args)
    if not m:
        return None, args
    selector = m["selector"]
    tz = turn.services.settings.timezone
    meeting = turn.store.meetings.get(turn.team.key, selector.strip())
    if meeting is None:
        today = local_today(turn)
        when = parse_when(selector, today, tz)
        if not isinstance(when, When):
            return None, args
        on_day = turn.store.meetings.on_date(turn.team.key, recent_past(when, selector, today, tz).date, tz)
        meeting = on_day[0] if on_day else None
    return (meeting, m["rest"].strip()) if meeting is not None and not meeting.cancelled else (None, args)


def _answer_of(turn: Turn, answer: str) -> tuple[Member | None, str]:
    """ "@Anna Gustafsson: Bästa skola" or "Anna Gustafsson: Bästa skola": someone's answer written
    down by another person (a mention, or a member's whole name, before a colon); (None, answer)
    when the answer names nobody that way."""
    head, colon, rest = answer.partition(":")
    if not colon or not rest.strip() or len(head) > 120:
        return None, answer
    name = " ".join(head.strip().lstrip("@").split())
    if not name:
        return None, answer
    members = turn.store.teams.members(turn.team.key)
    for mention in turn.mentions:
        if fold(mention.name) == fold(name):
            key = member_key(mention.id, mention.aad_object_id)
            found = next((m for m in members if m.key == key), None)
            if found is not None:
                return found, rest.strip()
    exact = [m for m in members if fold(" ".join(m.name.split())) == fold(name)]
    return (exact[0], rest.strip()) if len(exact) == 1 else (None, answer)


async def _answer(turn: Turn, args: str, kind: str) -> None:
    args = command_args(turn, args)
    named, answer = _named_meeting(turn, args)
    if named is not None:
        # A meeting named by its date (often one that has taken place): the secretary may write
        # down everyone's answers afterwards, "incheckning 27 november: @Anna: Bästa skola".
        other, answer = _answer_of(turn, answer)
        if other is not None and other.key != turn.member.key and not turn.has_role(*RECORDER_ROLES):
            await turn.say_key("records.checkin_for_other_not_allowed", name=escape(other.name),
                               roles=roles_text(turn.locale, RECORDER_ROLES), **kind_params(kind, turn.locale))
            return
        if limits.too_long(answer, limits.CHECKIN_ANSWER):
            await turn.say_key("records.checkin_too_long", length=limits.length(answer), max=limits.CHECKIN_ANSWER)
            return
        if other is not None and other.key != turn.member.key:
            stored, previous = save_checkin(turn, named, kind, answer, member=other)
            when = meeting_date(named, turn.services.settings.timezone, turn.locale)
            await turn.say_key("records.checkin_saved_for", name=escape(other.name), meeting=when,
                               answer=escape(stored.answer), replaced="" if previous is None else turn.t("records.checkin_saved_for_replaced"),
                               **kind_params(kind, turn.locale))
            return
        stored, previous = save_checkin(turn, named, kind, answer)
        await turn.say(checkin_saved_text(turn, named, stored, previous))
        return
    meeting = checkin_meeting(turn.store, turn.team.key, turn.now)
    if meeting is None:
        await turn.say_key("records.checkin_no_meeting", **kind_params(kind, turn.locale))
        return
    if args.strip():
        if limits.too_long(args, limits.CHECKIN_ANSWER):
            await turn.say_key("records.checkin_too_long", length=limits.length(args), max=limits.CHECKIN_ANSWER)
            return
        stored, previous = save_checkin(turn, meeting, kind, args)
        await turn.say(checkin_saved_text(turn, meeting, stored, previous))
        return
    question = question_for(turn.store, meeting, kind, turn.locale)
    await _begin(turn, CHECKIN_DIALOG, {"meeting_id": meeting.id, "kind": kind, "question": question})


async def checkin(turn: Turn, args: str) -> None:
    """`incheckning [svar]`: the person answers the meeting's check-in question (asked if no answer)."""
    await _answer(turn, args, CHECKIN)


async def checkout(turn: Turn, args: str) -> None:
    """`utcheckning [svar]`: the person answers the meeting's check-out question."""
    await _answer(turn, args, CHECKOUT)


async def _delete(turn: Turn, kind: str) -> None:
    meeting = checkin_meeting(turn.store, turn.team.key, turn.now)
    if meeting is None:
        await turn.say_key("records.checkin_no_meeting", **kind_params(kind, turn.locale))
        return
    await turn.say(delete_checkin(turn, meeting, kind))


async def checkin_delete(turn: Turn, args: str) -> None:
    """`radera incheckning`: the person's own check-in answer is removed."""
    await _delete(turn, CHECKIN)


async def checkout_delete(turn: Turn, args: str) -> None:
    """`radera utcheckning`: the person's own check-out answer is removed."""
    await _delete(turn, CHECKOUT)


def answers_overview(turn: Turn, meeting: Meeting, kind: str) -> tuple[list[AnswerRow], list[tuple[str, list[str]]], int]:
    """(answers as card rows, [(municipality, names not answered)], number of members)."""
    overview = checkin_overview(turn.store, turn.team.key, meeting.id, kind)
    rows = [
        AnswerRow(
            name=member.name if member else answer.member_name or answer.member_key,
            municipality=member.municipality if member else None,
            answer=answer.answer,
            changed=answer.first_answered_at is not None,
        )
        for answer, member in overview.answered
    ]
    unknown = turn.t("records.no_municipality")
    missing = [(municipality or unknown, [m.name for m in people]) for municipality, people in overview.missing]
    return rows, missing, overview.members


async def _list(turn: Turn, kind: str) -> None:
    meeting = checkin_meeting(turn.store, turn.team.key, turn.now)
    params = kind_params(kind, turn.locale)
    if meeting is None:
        await turn.say_key("records.checkin_no_meeting", **params)
        return
    rows, missing, total = answers_overview(turn, meeting, kind)
    when = meeting_date(meeting, turn.services.settings.timezone, turn.locale)
    cards = checkins_cards(
        title=turn.t("records.checkins_title", meeting=when, **params),
        question=question_for(turn.store, meeting, kind, turn.locale),
        answers=rows,
        missing=missing,
        total=total,
        footer=turn.t("records.checkins_footer", **params),
        locale=turn.locale,
    )
    summary = turn.t("records.checkins_summary", answered=len(rows), total=max(total, len(rows)), **params)
    for card in cards:
        await turn.send_card(card, summary=summary)


async def checkins(turn: Turn, args: str) -> None:
    """`incheckningar`: who has checked in and what they said, and who has not, per municipality."""
    await _list(turn, CHECKIN)


async def checkouts(turn: Turn, args: str) -> None:
    """`utcheckningar`: the same for the check-out question."""
    await _list(turn, CHECKOUT)


async def _question(turn: Turn, args: str, kind: str) -> None:
    args = command_args(turn, args)
    meeting = checkin_meeting(turn.store, turn.team.key, turn.now)
    params = kind_params(kind, turn.locale)
    if meeting is None:
        await turn.say_key("records.checkin_no_meeting", **params)
        return
    when = meeting_date(meeting, turn.services.settings.timezone, turn.locale)
    text = " ".join(args.split())  # a question is one line wherever it is shown
    if not text:
        source = "records.question_source_custom" if question_is_custom(meeting, kind) else "records.question_source_default"
        question = question_for(turn.store, meeting, kind, turn.locale)
        await turn.say_key("records.question_current", meeting=when, question=escape(question), source=turn.t(source), **params)
        return
    if not turn.has_role(*LEAD_ROLES):
        await turn.say_key("core.role_required", roles=roles_text(turn.locale, LEAD_ROLES))
        return
    if limits.too_long(text, QUESTION_LIMIT):
        await turn.say_key("records.question_too_long", length=limits.length(text), limit=QUESTION_LIMIT, **params)
        return
    reset = " ".join(fold(text).split()) in _RESET_WORDS
    field = "checkin_question" if kind == CHECKIN else "checkout_question"
    updated = replace(meeting, **{field: None if reset else text}, updated_at=turn.now)
    turn.store.meetings.save(updated)
    await turn.services.changes.publish("meeting", turn.team.key, meeting.id)
    question = question_for(turn.store, updated, kind, turn.locale)
    if reset:
        reply = turn.t("records.question_reset", meeting=when, question=escape(question), **params)
    else:
        reply = turn.t("records.question_set", meeting=when, question=escape(question), **params)
    answered = len(turn.store.checkins.answers(turn.team.key, meeting.id, kind))
    if answered:
        reply += "\n\n" + turn.t("records.question_answered_note", count=answered)
    await turn.say(reply)


async def checkin_question(turn: Turn, args: str) -> None:
    """`incheckningsfråga [fråga]`: shows the question; the presidium or chair sets a new one."""
    await _question(turn, args, CHECKIN)


async def checkout_question(turn: Turn, args: str) -> None:
    """`utcheckningsfråga [fråga]`: the same for the check-out question."""
    await _question(turn, args, CHECKOUT)


async def checkin_card_answer(turn: Turn, data: dict[str, Any]) -> CardReply:
    """The answer box on a reminder card: stores the answer like `incheckning <svar>`."""
    kind = data.get("kind") if data.get("kind") in KINDS else CHECKIN
    params = kind_params(kind, turn.locale)
    answer = data.get("answer")
    if not isinstance(answer, str) or not answer.strip():
        return CardReply(message=turn.t("records.card_answer_empty"))
    if limits.too_long(answer, limits.CHECKIN_ANSWER):
        return CardReply(message=turn.t("records.checkin_too_long", length=limits.length(answer), max=limits.CHECKIN_ANSWER))
    meeting_id = data.get("meeting_id")
    if isinstance(meeting_id, str) and meeting_id:
        meeting = turn.store.meetings.get(turn.team.key, meeting_id)
    else:
        meeting = checkin_meeting(turn.store, turn.team.key, turn.now)
    if meeting is None or meeting.cancelled:
        return CardReply(message=turn.t("records.meeting_gone"))
    stored, previous = save_checkin(turn, meeting, kind, answer)
    key = "records.card_checkin_replaced" if previous else "records.card_checkin_saved"
    return CardReply(message=turn.t(key, answer=short(stored.answer), **params))


# --- Action items ------------------------------------------------------------------------------


async def action_item(turn: Turn, args: str) -> None:
    """`uppgift …`: records an action item in one message, or asks for what is missing."""
    args = command_args(turn, args)
    if not args.strip():
        await _begin(turn, ACTION_DIALOG, dict(EMPTY_ACTION_OPTIONS))
        return
    if limits.too_long(args, _ACTION_TEXT):  # not worth parsing: the title alone would be too long
        await turn.say_key("records.action_title_too_long", length=limits.length(args), max=limits.ACTION_TITLE)
        return
    draft = parse_action_text(args, ParseContext.of(turn))
    if draft.title and limits.too_long(draft.title, limits.ACTION_TITLE):
        await turn.say_key("records.action_title_too_long", length=limits.length(draft.title), max=limits.ACTION_TITLE)
        return
    if draft.title and draft.owners and not draft.owner_problem and not draft.due_problem:
        item = await create_action_item(turn, draft.title, draft.owners, draft.due or EMPTY_DUE)
        await turn.say(action_saved_text(turn, item))
        return
    await _begin(turn, ACTION_DIALOG, draft.to_options())


def item_sections(turn: Turn, items: list[ActionItem]) -> list[tuple[str, bool, list[ActionItem]]]:
    """(heading, overdue, items): overdue first, then per meeting (oldest meeting first), then those without one."""
    tz = turn.services.settings.timezone
    today = local_today(turn)
    meetings = {m.id: m for m in turn.store.meetings.all(turn.team.key, include_cancelled=True)}
    overdue = sorted((i for i in items if i.is_overdue(today)), key=lambda i: (i.due, i.number))
    sections: list[tuple[str, bool, list[ActionItem]]] = []
    if overdue:
        sections.append((turn.t("records.actions_overdue"), True, overdue))
    rest = [i for i in items if not i.is_overdue(today)]
    by_meeting: dict[str, list[ActionItem]] = {}
    for item in rest:
        if item.meeting_id in meetings:
            by_meeting.setdefault(item.meeting_id, []).append(item)  # type: ignore[arg-type]
    for meeting_id in sorted(by_meeting, key=lambda mid: meetings[mid].starts_at):
        heading = turn.t("records.actions_meeting_group", meeting=meeting_date(meetings[meeting_id], tz, turn.locale))
        sections.append((heading, False, by_meeting[meeting_id]))
    loose = [i for i in rest if i.meeting_id not in meetings]
    if loose:
        sections.append((turn.t("records.actions_no_meeting"), False, loose))
    return sections


def item_groups(turn: Turn, sections: list[tuple[str, bool, list[ActionItem]]], start: int = 0,
                count: int | None = None) -> list[ItemGroup]:
    """The card rows of items ``start`` to ``start + count`` in list order, under their headings.

    Only the items shown are worded (owners, due dates): with hundreds of open items that is
    most of the cost of the turn."""
    tz = turn.services.settings.timezone
    today = local_today(turn)
    end = None if count is None else start + count
    groups: list[ItemGroup] = []
    position = 0
    for heading, overdue, items in sections:
        chosen = items[max(0, start - position) : None if end is None else max(0, end - position)]
        position += len(items)
        if chosen:
            rows = tuple(ItemRow(i.number, i.title, owners_text(i.owners, turn.locale), due_text(i, tz, turn.locale),
                                 i.is_overdue(today), id=i.id) for i in chosen)
            groups.append(ItemGroup(heading, rows, overdue=overdue))
    return groups


def _view_items(turn: Turn, view: str) -> tuple[list[ActionItem], str, str]:
    """(open items, card title, command words) of the "all" or "mine" view."""
    if view == "mine":
        items = turn.store.actions.open_items_of(turn.team.key, turn.member.key, turn.member.municipality)
        return items, turn.t("records.my_actions_title"), WORDS["my_action_items"][0]
    return turn.store.actions.open_items(turn.team.key), turn.t("records.actions_title"), WORDS["action_items"][0]


def items_card(turn: Turn, view: str, page: int = 1) -> dict[str, Any] | None:
    """One page of the open-items card ("all" or the person's own, "mine"); None when there are none.

    A page past the end shows the last one (the list got shorter since the button was drawn)."""
    items, title, command = _view_items(turn, view)
    return _items_card(turn, view, items, title, command, page) if items else None


def _items_card(turn: Turn, view: str, items: list[ActionItem], title: str, command: str, page: int) -> dict[str, Any]:
    sections = item_sections(turn, items)
    bounds = _item_pages(sections)
    pages = len(bounds)
    page = min(max(page, 1), pages)
    start, end = bounds[page - 1]
    groups = item_groups(turn, sections, start, end - start)
    shown = ItemPage(page=page, pages=pages, first=start + 1, last=end, total=len(items),
                     next_command=f"{command} sida {page + 1}" if page < pages else "")
    footer = turn.t("records.actions_footer", example=items[0].number)
    return action_items_card(title=title, groups=groups, footer=footer, view=view, locale=turn.locale, page=shown)


def _item_pages(sections: list[tuple[str, bool, list[ActionItem]]]) -> list[tuple[int, int]]:
    """Where each page of the list starts and ends: 20 items, fewer when their texts are long."""
    ordered = [item for _heading, _overdue, items in sections for item in items]
    # Owners are estimated from their names: wording them for hundreds of items costs too much.
    return item_pages([item_row_size(i.title, " och ".join(o.name for o in i.owners)) for i in ordered])


def _page_asked(args: str) -> int | None:
    """``sida 2``, ``s. 2`` or ``2`` after the command: the page asked for (1 when nothing is asked)."""
    if not args.strip():
        return 1
    match = _ITEMS_PAGE.fullmatch(args)
    return int(match.group(1)) if match else None


async def _send_items(turn: Turn, args: str, view: str) -> None:
    items, title, command = _view_items(turn, view)
    if not items:
        await turn.say_key("records.my_actions_none" if view == "mine" else "records.actions_none")
        return
    page = _page_asked(args) or 1
    pages = len(_item_pages(item_sections(turn, items)))
    if page > pages:
        await turn.say_key("records.actions_no_page", pages=pages, command=escape(f"{command} sida {pages}"))
        return
    await turn.send_card(_items_card(turn, view, items, title, command, page), summary=title)


async def action_items(turn: Turn, args: str) -> None:
    """`uppgifter [sida 2]`: open items, 20 at a time, overdue first, then per meeting, each with a "Klar" button."""
    await _send_items(turn, args, "all")


async def my_action_items(turn: Turn, args: str) -> None:
    """`mina uppgifter [sida 2]`: the person's open items, including those for "alla" and their municipality."""
    await _send_items(turn, args, "mine")


async def action_items_page(turn: Turn, data: dict[str, Any]) -> CardReply:
    """"Visa fler" / "Till början" on the open-items card: the card shows that page instead."""
    view = data.get("view") if data.get("view") in ("all", "mine") else "all"
    card = items_card(turn, view, _page_of(data))
    if card is None:
        return CardReply(message=turn.t("records.my_actions_none" if view == "mine" else "records.actions_none"))
    return CardReply(card=card)


def _page_of(data: dict[str, Any]) -> int:
    return card_number(data, "page") or 1


async def _set_status(turn: Turn, number: int, status: str, item_id: str | None = None, *, keyed: bool = False) -> tuple[bool, str]:
    """Mark done or reopen; (changed, the reply). A card names the item's record id too: the
    number must then be that item's, so a forged or mixed-up card changes nothing."""
    item = turn.store.actions.by_number(turn.team.key, number)
    if item_id is not None and (item is None or item.id != item_id):
        item = None
    if item is None:
        return False, turn.t("records.action_not_found", number=number)
    title = escape(short(item.title))
    if not may_close(turn, item):
        return False, turn.t("records.action_not_allowed", number=number, title=title, owners=escape(owners_text(item.owners, turn.locale)))
    if status == DONE and item.status == DONE:  # a proposed (imported) item can be marked done
        done_on = _day(item.done_at or item.updated_at or item.created_at, turn)
        return False, turn.t("records.action_already_done", number=number, date=done_on)
    if status == OPEN and item.is_open:
        return False, turn.t("records.action_already_open", number=number)
    # A typed `klar 4` is kept with its message id: delivered again after `ångra 4`, it changes nothing.
    turn.store.actions.set_status(item, status, by=turn.member.key, at=turn.now, activity_id=turn.activity.id if keyed else None)
    await turn.services.changes.publish("action_item", turn.team.key, item.id)
    key = "records.action_done" if status == DONE else "records.action_reopened"
    return True, turn.t(key, number=number, title=title)


async def _status_command(turn: Turn, args: str, status: str, command_id: str) -> None:
    number, _rest = parse_number(args)
    if number is None:
        await turn.say_key("records.action_number_missing", command=WORDS[command_id][0])
        return
    if await _done_before(turn):
        return
    _changed, reply = await _set_status(turn, number, status, keyed=True)
    await turn.say(reply)


async def action_done(turn: Turn, args: str) -> None:
    """`klar <nr>`: an owner, the presidium or the chair marks the item done."""
    await _status_command(turn, args, DONE, "action_done")


async def action_reopen(turn: Turn, args: str) -> None:
    """`ångra <nr>`: the item is open again."""
    await _status_command(turn, args, OPEN, "action_reopen")


async def action_done_card(turn: Turn, data: dict[str, Any]) -> CardReply:
    """The "Klar" button: marks the item done and shows the list again without it."""
    number = card_number(data, "number")
    if number is None:
        return CardReply(message=turn.t("records.action_number_missing", command=WORDS["action_done"][0]))
    item_id = data.get("id")
    changed, reply = await _set_status(turn, number, DONE, item_id if isinstance(item_id, str) and item_id else None)
    view = data.get("view")
    if changed and view in ("all", "mine"):
        card = items_card(turn, view, _page_of(data))
        if card is not None:
            return CardReply(card=card, message=reply)
    return CardReply(message=reply)


async def action_item_form(turn: Turn, data: dict[str, Any]) -> CardReply:
    """The "Ny uppgift" form on the list card: stores the item, or says what is missing."""
    title = str(data.get("title") or "").strip()
    owners_typed = str(data.get("owners") or "").strip()
    due_typed = str(data.get("due") or "").strip()
    if not title:
        return CardReply(message=turn.t("records.action_form_title_missing"))
    if limits.too_long(title, limits.ACTION_TITLE):
        return CardReply(message=turn.t("records.action_title_too_long", length=limits.length(title), max=limits.ACTION_TITLE))
    if not owners_typed:
        return CardReply(message=turn.t("records.action_form_owners_missing"))
    owners = resolve_owner_list(owners_typed, replace(ParseContext.of(turn), mentions=[]))
    if owners.problem:
        return CardReply(message=owners.problem)
    due = parse_due(due_typed, ParseContext.of(turn)) if due_typed else EMPTY_DUE
    if isinstance(due, str):
        return CardReply(message=due)
    item = await create_action_item(turn, title, owners.owners, due)
    reply = action_saved_text(turn, item)
    view = data.get("view")
    card = items_card(turn, view) if view in ("all", "mine") else None
    return CardReply(card=card, message=reply)


async def _done_before(turn: Turn) -> bool:
    """True (after saying so) when this message changed an action item already: Teams delivers a
    message again when it got no answer, also after a restart, and the item may have changed since."""
    if not turn.store.actions.applied(turn.team.key, turn.activity.id):
        return False
    await turn.say_key("records.already_done")
    return True


def _item_for_change(turn: Turn, number: int) -> tuple[ActionItem | None, str | None]:
    item = turn.store.actions.by_number(turn.team.key, number)
    if item is None:
        return None, turn.t("records.action_not_found", number=number)
    if not may_edit(turn, item):
        owners = escape(owners_text(item.owners, turn.locale))
        return None, turn.t("records.action_not_allowed", number=number, title=escape(short(item.title)), owners=owners)
    return item, None


async def action_edit(turn: Turn, args: str) -> None:
    """`ändra uppgift <nr> <ny text> [@person] [till <när>]`: new wording, owners or due date."""
    args = command_args(turn, args)
    number, rest = parse_number(args)
    if number is None or not rest:
        await turn.say_key("records.action_edit_usage")
        return
    if await _done_before(turn):
        return
    item, problem = _item_for_change(turn, number)
    if item is None:
        await turn.say(problem or "")
        return
    draft = parse_action_text(rest, ParseContext.of(turn))
    if draft.owner_problem or draft.due_problem:
        await turn.say(f"{draft.owner_problem or draft.due_problem}\n\n{turn.t('records.nothing_changed')}")
        return
    changes: dict[str, Any] = {}
    if draft.title and limits.too_long(draft.title, limits.ACTION_TITLE):
        await turn.say_key("records.action_title_too_long", length=limits.length(draft.title), max=limits.ACTION_TITLE)
        return
    if draft.title and draft.title != item.title:
        changes["title"] = draft.title
    if draft.owners:
        changes["owners"] = tuple(draft.owners)
    if draft.due is not None:
        changes.update(_due_changes(turn, draft.due))
    if not changes:
        await turn.say_key("records.action_edit_usage")
        return
    updated = turn.store.actions.update(item, by=turn.member.key, at=turn.now, activity_id=turn.activity.id, **changes)
    await turn.services.changes.publish("action_item", turn.team.key, item.id)
    lines = [turn.t("records.action_edited", number=number), action_saved_text(turn, updated).split("\n\n", 1)[1]]
    if "title" in changes:
        lines.insert(1, turn.t("records.action_so_far", title=escape(updated.title)))
        lines.append(turn.t("records.action_edited_before", title=escape(item.title)))
    await turn.say("\n\n".join(lines))


def _due_changes(turn: Turn, due: Due) -> dict[str, Any]:
    day = due.due
    if due.next_meeting and day is None:
        upcoming = next_meeting(turn.store, turn.team.key, turn.now)
        day = upcoming.starts_at.astimezone(turn.services.settings.timezone).date() if upcoming else None
    return {"due": day, "due_next_meeting": due.next_meeting}


async def action_assign(turn: Turn, args: str) -> None:
    """`tilldela <nr> @person …`: the item gets new owners (people, a municipality or alla)."""
    args = command_args(turn, args)
    number, rest = parse_number(args)
    if number is None or not rest:
        await turn.say_key("records.action_assign_usage")
        return
    if await _done_before(turn):
        return
    item, problem = _item_for_change(turn, number)
    if item is None:
        await turn.say(problem or "")
        return
    result = resolve_owner_list(rest, ParseContext.of(turn))
    if result.problem:
        await turn.say(f"{result.problem}\n\n{turn.t('records.nothing_changed')}")
        return
    updated = turn.store.actions.update(item, by=turn.member.key, at=turn.now, activity_id=turn.activity.id,
                                        owners=result.owners)
    await turn.services.changes.publish("action_item", turn.team.key, item.id)
    await turn.say_key(
        "records.action_assigned",
        number=number,
        title=escape(short(item.title)),
        owners=escape(owners_text(updated.owners, turn.locale)),
        before=escape(owners_text(item.owners, turn.locale)),
    )


# --- Decisions ---------------------------------------------------------------------------------


async def decision(turn: Turn, args: str) -> None:
    """`beslut [punkt 3:] <text>`: records a decision for the ongoing (or latest) meeting."""
    args = command_args(turn, args)
    meeting = decision_meeting(turn.store, turn.team.key, turn.now)
    if meeting is None:
        await turn.say_key("records.decision_no_meeting")
        return
    if not may_record_decision(turn, meeting):
        when = meeting_date(meeting, turn.services.settings.timezone, turn.locale)
        await turn.say_key("records.decision_not_allowed", meeting=when, roles=roles_text(turn.locale, RECORDER_ROLES))
        return
    agenda_item, text = split_agenda_item(args)
    problem = agenda_item_problem(turn, meeting, agenda_item)
    if problem:
        await turn.say(problem)
        return
    if not text:
        await _begin(turn, DECISION_DIALOG, {"meeting_id": meeting.id, "agenda_item": agenda_item})
        return
    if limits.too_long(text, limits.DECISION_TEXT):
        await turn.say_key("records.decision_too_long", length=limits.length(text), max=limits.DECISION_TEXT)
        return
    stored = record_decision(turn, meeting, text, agenda_item)
    await turn.say(decision_saved_text(turn, meeting, stored))


async def decision_edit(turn: Turn, args: str) -> None:
    """`ändra beslut <nr> <text>`: corrects the wording; the earlier wording stays in the history."""
    args = command_args(turn, args)
    number, rest = parse_number(args)
    if number is None or not rest:
        await turn.say_key("records.decision_edit_usage")
        return
    found = turn.store.decisions.get(turn.team.key, number)
    if found is None:
        await turn.say_key("records.decision_not_found", number=number)
        return
    if not may_correct_decision(turn, found):
        await turn.say_key("records.decision_edit_not_allowed", number=number, roles=roles_text(turn.locale, RECORDER_ROLES))
        return
    agenda_item, text = split_agenda_item(rest)
    if not text:
        await turn.say_key("records.decision_edit_usage")
        return
    if limits.too_long(text, limits.DECISION_TEXT):
        await turn.say_key("records.decision_too_long", length=limits.length(text), max=limits.DECISION_TEXT)
        return
    meeting = turn.store.meetings.get(turn.team.key, found.meeting_id)
    problem = agenda_item_problem(turn, meeting, agenda_item) if meeting else None
    if problem:
        await turn.say(problem)
        return
    if turn.store.decisions.corrected_by(found, turn.activity.id):
        # Delivered again after a restart: correcting once more would push a copy into the history
        # (or undo a later correction).
        await turn.say_key("records.already_done")
        return
    corrected = turn.store.decisions.correct(
        found, text=text, by=turn.member.key, by_name=turn.member.name, at=turn.now, agenda_item=agenda_item,
        activity_id=turn.activity.id,
    )
    await turn.say_key(
        "records.decision_corrected",
        number=number,
        text=escape(corrected.text),
        before=escape(found.text),
        count=len(corrected.history),
    )


async def decision_log(turn: Turn, args: str) -> None:
    """`beslutslogg [sökord] [sida 2]`: decisions newest first, 10 per page, searchable."""
    match = _PAGE.search(args)
    page = int(match.group(1)) if match else 1
    query = (args[: match.start()] if match else args).strip()
    decisions = turn.store.decisions.all(turn.team.key)
    if not decisions:
        await turn.say_key("records.decision_log_empty")
        return
    meetings = {m.id: m for m in turn.store.meetings.all(turn.team.key, include_cancelled=True)}
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
    tz = turn.services.settings.timezone
    rows = []
    for d in hits[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]:
        meeting = meetings.get(d.meeting_id)
        when = meeting_date(meeting, tz, turn.locale) if meeting else _day(d.recorded_at, turn)
        rows.append(DecisionRow(d.number, when, d.text, d.agenda_item, d.corrected))
    title = turn.t("records.decision_log_search_title", query=query) if query else turn.t("records.decision_log_title")
    subtitle = turn.t("records.decision_log_page", page=page, pages=pages, count=len(hits))
    if page < pages:
        footer = turn.t("records.decision_log_next", command=escape(f"{base} sida {page + 1}"))
    else:
        footer = turn.t("records.decision_log_hint") if not query else None
    card = decision_log_card(title=title, subtitle=subtitle, rows=rows, footer=footer, locale=turn.locale)
    await turn.send_card(card, summary=turn.t("records.decision_log_summary", page=page, pages=pages))


def _day(when: datetime, turn: Turn) -> str:
    return format_date(when.astimezone(turn.services.settings.timezone).date(), turn.locale)


# --- Registration ------------------------------------------------------------------------------


async def start(services: Services) -> None:
    """Keep "till nästa möte" dates in step with the calendar."""

    async def on_change(kind: str, team_key: str, _record_id: str) -> None:
        if kind != "meeting":
            return
        tz = services.settings.timezone
        for item in follow_next_meeting(services.store, team_key, tz, services.clock.now()):
            await services.changes.publish("action_item", team_key, item.id)

    services.changes.subscribe(on_change)


def dialogs(services: Services) -> list[Dialog]:
    return [CheckinDialog(), RecordActionItemDialog(), RecordDecisionDialog()]


COMMANDS = {
    "checkin": checkin,
    "checkout": checkout,
    "checkins": checkins,
    "checkouts": checkouts,
    "checkin_question": checkin_question,
    "checkout_question": checkout_question,
    "checkin_delete": checkin_delete,
    "checkout_delete": checkout_delete,
    "action_item": action_item,
    "action_items": action_items,
    "my_action_items": my_action_items,
    "action_done": action_done,
    "action_reopen": action_reopen,
    "action_edit": action_edit,
    "action_assign": action_assign,
    "decision": decision,
    "decision_edit": decision_edit,
    "decision_log": decision_log,
}
CARD_ACTIONS = {
    ACTION_CHECKIN: checkin_card_answer,
    ACTION_ACTION_DONE: action_done_card,
    ACTION_ACTION_ITEMS_PAGE: action_items_page,
    ACTION_ACTION_ITEM_FORM: action_item_form,
}
