"""Action items, recorded and followed up through conversation and the open-items card.

Commands (Swedish words in ``bot/routing.py``): ``uppgift <vad> [@person …] [till <när>]``,
``uppgift`` alone asks; ``uppgifter [sida <n>]``, ``mina uppgifter [sida <n>]`` (20 per page,
"Visa fler" on the card), ``klar <nr>``, ``ångra <nr>``, ``ändra uppgift <nr> <text>``,
``tilldela <nr> @person``.

Reading and storing items is in bot/rules/action_items.py; who may close or change one in bot/roles.py.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from botbuilder.dialogs import Dialog

from bot import roles
from bot.cards import escape
from bot.cards.records import ItemGroup, ItemPage, ItemRow, action_items_card, item_pages, item_row_size
from bot.formatting import format_date, meeting_date
from bot.routing import ACTION_ACTION_DONE, ACTION_ACTION_ITEM_FORM, ACTION_ACTION_ITEMS_PAGE, card_number
from bot.routing import COMMANDS as WORDS
from bot.rules import limits
from bot.rules.action_items import (
    EMPTY_DUE,
    Due,
    ParseContext,
    action_saved_text,
    create_action_item,
    due_changes,
    due_text,
    follow_next_meeting,
    owners_text,
    parse_action_text,
    parse_due,
    resolve_owner_list,
)
from bot.services import Services
from bot.text import parse_number, short
from bot.turn import CardReply, Turn
from dialogs.record_action_item import DIALOG_ID as ACTION_DIALOG
from dialogs.record_action_item import EMPTY_OPTIONS as EMPTY_ACTION_OPTIONS
from dialogs.record_action_item import RecordActionItemDialog
from storage.actions_repo import DONE, OPEN, ActionItem, Owner

# A whole `uppgift …` message: the title with people and a due date after it.
_ACTION_TEXT = limits.ACTION_TITLE + 1000
_ITEMS_PAGE = re.compile(r"\s*(?:(?:sida|s\.)\s*)?(\d{1,4})\s*", re.IGNORECASE)


async def _context(turn: Turn) -> ParseContext:
    return await ParseContext.of(turn.store, turn.team, turn.member, turn.mentions, turn.services.settings, turn.now, turn.locale)


async def _create(turn: Turn, title: str, owners: tuple[Owner, ...], due: Due) -> ActionItem:
    """Store a new item by the person writing, and tell the scheduler and open cards."""
    item = await create_action_item(turn.store, turn.team.key, turn.member, title, owners, due, now=turn.now, tz=turn.tz,
                                    conversation_id=turn.conversation_id, activity_id=turn.activity.id)
    await turn.services.changes.publish("action_item", turn.team.key, item.id)
    return item


async def action_item(turn: Turn, args: str) -> None:
    """`uppgift …`: records an action item in one message, or asks for what is missing."""
    args = turn.command_args(args)
    if not args.strip():
        await turn.begin_dialog(ACTION_DIALOG, dict(EMPTY_ACTION_OPTIONS))
        return
    if limits.too_long(args, _ACTION_TEXT):  # not worth parsing: the title alone would be too long
        await turn.say_key("records.action_title_too_long", length=limits.length(args), max=limits.ACTION_TITLE)
        return
    draft = parse_action_text(args, await _context(turn))
    if draft.title and limits.too_long(draft.title, limits.ACTION_TITLE):
        await turn.say_key("records.action_title_too_long", length=limits.length(draft.title), max=limits.ACTION_TITLE)
        return
    if draft.title and draft.owners and not draft.owner_problem and not draft.due_problem:
        item = await _create(turn, draft.title, draft.owners, draft.due or EMPTY_DUE)
        await turn.say(await action_saved_text(turn.store, turn.team.key, item, turn.tz, turn.locale, turn.member.key))
        return
    await turn.begin_dialog(ACTION_DIALOG, draft.to_options())


async def item_sections(turn: Turn, items: list[ActionItem]) -> list[tuple[str, bool, list[ActionItem]]]:
    """(heading, overdue, items): overdue first, then per meeting (oldest meeting first), then those without one."""
    tz = turn.tz
    today = turn.today
    meetings = {m.id: m for m in await turn.store.meetings.all(turn.team.key, include_cancelled=True)}
    overdue = sorted((i for i in items if i.is_overdue(today)), key=lambda i: (i.due, i.number))
    sections: list[tuple[str, bool, list[ActionItem]]] = []
    if overdue:
        sections.append((turn.t("records.actions_overdue"), True, overdue))
    rest = [i for i in items if not i.is_overdue(today)]
    by_meeting: dict[str, list[ActionItem]] = {}
    for item in rest:
        if item.meeting_id in meetings:
            by_meeting.setdefault(item.meeting_id, []).append(item)
    for meeting_id in sorted(by_meeting, key=lambda mid: meetings[mid].starts_at):
        # A meeting that has not begun: its items were recorded for it, not at it.
        key = "records.actions_for_meeting_group" if meetings[meeting_id].starts_at > turn.now else "records.actions_meeting_group"
        heading = turn.t(key, meeting=meeting_date(meetings[meeting_id], tz, turn.locale))
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
    tz = turn.tz
    today = turn.today
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


async def _view_items(turn: Turn, view: str) -> tuple[list[ActionItem], str, str]:
    """(open items, card title, command words) of the "all" or "mine" view."""
    if view == "mine":
        items = await turn.store.actions.open_items_of(turn.team.key, turn.member.key, turn.member.municipality)
        return items, turn.t("records.my_actions_title"), WORDS["my_action_items"][0]
    return await turn.store.actions.open_items(turn.team.key), turn.t("records.actions_title"), WORDS["action_items"][0]


async def items_card(turn: Turn, view: str, page: int = 1) -> dict[str, Any] | None:
    """One page of the open-items card ("all" or the person's own, "mine"); None when there are none.

    A page past the end shows the last one (the list got shorter since the button was drawn)."""
    items, title, command = await _view_items(turn, view)
    if not items:
        return None
    sections = await item_sections(turn, items)
    return _items_card(turn, view, items, title, command, page, sections, _item_pages(sections))


def _items_card(turn: Turn, view: str, items: list[ActionItem], title: str, command: str, page: int,
                sections: list[tuple[str, bool, list[ActionItem]]], bounds: list[tuple[int, int]]) -> dict[str, Any]:
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
    items, title, command = await _view_items(turn, view)
    if not items:
        await turn.say_key("records.my_actions_none" if view == "mine" else "records.actions_none")
        return
    page = _page_asked(args) or 1
    # The sections and the page bounds (the sizes of all open items' rows) are worked out once
    # per turn and given to the card: with 200 open items they were most of our own CPU.
    sections = await item_sections(turn, items)
    bounds = _item_pages(sections)
    pages = len(bounds)
    if page > pages:
        await turn.say_key("records.actions_no_page", pages=pages, command=escape(f"{command} sida {pages}"))
        return
    await turn.send_card(_items_card(turn, view, items, title, command, page, sections, bounds), summary=title)


async def action_items(turn: Turn, args: str) -> None:
    """`uppgifter [sida 2]`: open items, 20 at a time, overdue first, then per meeting, each with a "Klar" button."""
    await _send_items(turn, args, "all")


async def my_action_items(turn: Turn, args: str) -> None:
    """`mina uppgifter [sida 2]`: the person's open items, including those for "alla" and their municipality."""
    await _send_items(turn, args, "mine")


async def action_items_page(turn: Turn, data: dict[str, Any]) -> CardReply:
    """"Visa fler" / "Till början" on the open-items card: the card shows that page instead."""
    view = "mine" if data.get("view") == "mine" else "all"
    card = await items_card(turn, view, _page_of(data))
    if card is None:
        return CardReply(message=turn.t("records.my_actions_none" if view == "mine" else "records.actions_none"))
    return CardReply(card=card)


def _page_of(data: dict[str, Any]) -> int:
    return card_number(data, "page") or 1


async def _set_status(turn: Turn, number: int, status: str, item_id: str | None = None, *, keyed: bool = False) -> tuple[bool, str]:
    """Mark done or reopen; (changed, the reply). A card names the item's record id too: the
    number must then be that item's, so a forged or mixed-up card changes nothing."""
    item = await turn.store.actions.by_number(turn.team.key, number)
    if item_id is not None and (item is None or item.id != item_id):
        item = None
    if item is None:
        return False, turn.t("records.action_not_found", number=number)
    title = escape(short(item.title))
    if not roles.may_close(turn.member, item):
        return False, turn.t("records.action_not_allowed", number=number, title=title, owners=escape(owners_text(item.owners, turn.locale)))
    if status == DONE and item.status == DONE:  # a proposed (imported) item can be marked done
        return False, _already_done(turn, item, number)
    if status == OPEN and item.is_open:
        return False, turn.t("records.action_already_open", number=number)
    # A typed `klar 4` is kept with its message id: delivered again after `ångra 4`, it changes nothing.
    stored, changed = await turn.store.actions.change_status(
        item, status, by=turn.member.key, at=turn.now, activity_id=turn.activity.id if keyed else None
    )
    if not changed:
        # Done (or reopened) meanwhile, by another click or instance: decided under the lock.
        if stored.status == DONE:
            return False, _already_done(turn, stored, number)
        return False, turn.t("records.action_already_open", number=number)
    await turn.services.changes.publish("action_item", turn.team.key, item.id)
    key = "records.action_done" if status == DONE else "records.action_reopened"
    return True, turn.t(key, number=number, title=title)


def _already_done(turn: Turn, item: ActionItem, number: int) -> str:
    done_on = format_date((item.done_at or item.updated_at or item.created_at).astimezone(turn.tz).date(), turn.locale)
    return turn.t("records.action_already_done", number=number, date=done_on)


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
        card = await items_card(turn, view, _page_of(data))
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
    owners = resolve_owner_list(owners_typed, replace(await _context(turn), mentions=[]))
    if owners.problem:
        return CardReply(message=owners.problem)
    due = parse_due(due_typed, await _context(turn)) if due_typed else EMPTY_DUE
    if isinstance(due, str):
        return CardReply(message=due)
    item = await _create(turn, title, owners.owners, due)
    reply = await action_saved_text(turn.store, turn.team.key, item, turn.tz, turn.locale, turn.member.key)
    view = data.get("view")
    card = await items_card(turn, view) if view in ("all", "mine") else None
    return CardReply(card=card, message=reply)


async def _done_before(turn: Turn) -> bool:
    """True (after saying so) when this message changed an action item already: Teams delivers a
    message again when it got no answer, also after a restart, and the item may have changed since."""
    if not await turn.store.actions.applied(turn.team.key, turn.activity.id):
        return False
    await turn.say_key("records.already_done")
    return True


async def _item_for_change(turn: Turn, number: int) -> tuple[ActionItem | None, str | None]:
    item = await turn.store.actions.by_number(turn.team.key, number)
    if item is None:
        return None, turn.t("records.action_not_found", number=number)
    if not roles.may_edit(turn.member, item):
        owners = escape(owners_text(item.owners, turn.locale))
        return None, turn.t("records.action_edit_not_allowed", number=number, title=escape(short(item.title)), owners=owners)
    return item, None


async def _numbered_item(turn: Turn, args: str, usage_key: str) -> tuple[ActionItem, int, str] | None:
    """(item, its number, the rest of the message) for `ändra uppgift`/`tilldela <nr> …`, or None
    after telling the person why not (usage, a redelivery already answered, not found, not theirs)."""
    number, rest = parse_number(turn.command_args(args))
    if number is None or not rest:
        await turn.say_key(usage_key)
        return None
    if await _done_before(turn):
        return None
    item, problem = await _item_for_change(turn, number)
    if item is None:
        await turn.say(problem or "")
        return None
    return item, number, rest


async def action_edit(turn: Turn, args: str) -> None:
    """`ändra uppgift <nr> <ny text> [@person] [till <när>]`: new wording, owners or due date."""
    target = await _numbered_item(turn, args, "records.action_edit_usage")
    if target is None:
        return
    item, number, rest = target
    draft = parse_action_text(rest, await _context(turn))
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
        own = await turn.store.meetings.get(turn.team.key, item.meeting_id) if item.meeting_id else None
        changes.update(await due_changes(turn.store, turn.team.key, draft.due, turn.now, turn.tz, own))
    if not changes:
        await turn.say_key("records.action_edit_usage")
        return
    updated = await turn.store.actions.update(item, by=turn.member.key, at=turn.now, activity_id=turn.activity.id, **changes)
    await turn.services.changes.publish("action_item", turn.team.key, item.id)
    lines = [turn.t("records.action_edited", number=number), (await action_saved_text(turn.store, turn.team.key, updated, turn.tz, turn.locale)).split("\n\n", 1)[1]]
    if "title" in changes:
        lines.insert(1, turn.t("records.action_so_far", title=escape(updated.title)))
        lines.append(turn.t("records.action_edited_before", title=escape(item.title)))
    await turn.say("\n\n".join(lines))


async def action_assign(turn: Turn, args: str) -> None:
    """`tilldela <nr> @person …`: the item gets new owners (people, a municipality or alla)."""
    target = await _numbered_item(turn, args, "records.action_assign_usage")
    if target is None:
        return
    item, number, rest = target
    result = resolve_owner_list(rest, await _context(turn))
    if result.problem:
        await turn.say(f"{result.problem}\n\n{turn.t('records.nothing_changed')}")
        return
    updated = await turn.store.actions.update(item, by=turn.member.key, at=turn.now, activity_id=turn.activity.id,
                                              owners=result.owners)
    await turn.services.changes.publish("action_item", turn.team.key, item.id)
    await turn.say_key(
        "records.action_assigned",
        number=number,
        title=escape(short(item.title)),
        owners=escape(owners_text(updated.owners, turn.locale)),
        before=escape(owners_text(item.owners, turn.locale)),
    )


async def start(services: Services) -> None:
    """Keep "till nästa möte" dates in step with the calendar."""

    async def on_change(kind: str, team_key: str, _record_id: str) -> None:
        if kind != "meeting":
            return
        tz = services.settings.timezone
        for item in await follow_next_meeting(services.store, team_key, tz, services.clock.now()):
            await services.changes.publish("action_item", team_key, item.id)

    services.changes.subscribe(on_change)


def dialogs(services: Services) -> list[Dialog]:
    return [RecordActionItemDialog()]


COMMANDS = {
    "action_item": action_item,
    "action_items": action_items,
    "my_action_items": my_action_items,
    "action_done": action_done,
    "action_reopen": action_reopen,
    "action_edit": action_edit,
    "action_assign": action_assign,
}
CARD_ACTIONS = {
    ACTION_ACTION_DONE: action_done_card,
    ACTION_ACTION_ITEMS_PAGE: action_items_page,
    ACTION_ACTION_ITEM_FORM: action_item_form,
}
