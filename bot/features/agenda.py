"""Feature: the next meeting's agenda.

Commands (exact words in bot/routing.py; the user guide is docs/commands.md):

- `dagordning [datum|id]`: the agenda on a card (standing items, follow-ups, proposals).
- `punkt <text>` (anyone) puts an item on the next (or ongoing) meeting's agenda.
- `flytta punkt <nr> <ny plats>`, `ändra punkt <nr> <text>`, `ta bort punkt <nr>`: presidium or
  chair, or whoever proposed the item.

How the agenda is built (standing items, follow-ups) is in bot/rules/agenda.py.
"""

from __future__ import annotations

import re

from bot.cards import escape
from bot.cards import meetings as cards
from bot.features.meetings import current_meeting, meeting_when, split_selector
from bot.roles import AGENDA_ROLES, roles_text
from bot.routing import fold
from bot.rules import limits
from bot.rules.agenda import FOLLOW_UP, ITEM, STANDING, Agenda, AgendaEntry, build_agenda
from bot.turn import Turn
from storage.meetings_repo import Meeting

MAX_ITEM_CHARS = limits.AGENDA_ITEM


# --- Showing and proposing ----------------------------------------------------------------------------------------


async def show_agenda(turn: Turn, args: str) -> None:
    """The user sees the next (or ongoing) meeting's agenda, numbered, on a card."""
    meeting = await current_meeting(turn)
    if args.strip():
        picked, _rest, problem = await split_selector(turn, args)
        if problem:
            await turn.say(problem)
            return
        meeting = picked or meeting
    if meeting is None:
        await turn.say_key("meetings.no_meeting_for_agenda")
        return
    agenda = await build_agenda(turn.store, turn.team, meeting, turn.locale)
    views = [
        cards.AgendaView(e.number, e.title, by=e.proposed_by_name, details=e.details, standing=e.kind != ITEM)
        for e in agenda.entries
    ]
    when = meeting_when(turn, meeting)
    card = cards.agenda_card(turn.t("meetings.agenda_title"), when, meeting.location, views, turn.locale, hint=turn.t("meetings.agenda_hint"))
    await turn.send_card(card, summary=turn.t("meetings.agenda_summary", when=when))


async def propose_item(turn: Turn, args: str) -> None:
    """`punkt <text>`: anyone puts an item on the next meeting's agenda."""
    title = await _item_title(turn, args, "meetings.item_usage")
    if title is None:
        return
    meeting = await current_meeting(turn)
    if meeting is None:
        await turn.say_key("meetings.no_meeting_for_agenda")
        return
    agenda = await build_agenda(turn.store, turn.team, meeting, turn.locale)
    standing = _standing_named(agenda, title)
    if standing is not None:
        entry, rest = standing
        key = "meetings.item_standing_with_text" if rest else "meetings.item_standing"
        await turn.say_key(key, title=entry.title, number=entry.number, when=meeting_when(turn, meeting), text=escape(rest))
        return
    # The same message delivered again adds nothing (the store keys the item by the message's id).
    item = await turn.store.agenda.add(meeting, title, by=turn.member.key, by_name=turn.member.name, at=turn.now, activity_id=turn.activity.id)
    agenda = await build_agenda(turn.store, turn.team, meeting, turn.locale)
    number = next((e.number for e in agenda.entries if e.item_id == item.id), None)
    if number is None:  # added by this message and removed since
        await turn.say_key("meetings.agenda_already_done")
        return
    await turn.say_key("meetings.item_saved", title=item.title, number=number, when=meeting_when(turn, meeting))


_AFTER_TITLE = re.compile(r"^\s*[:–—,.\-]\s*")


def _standing_named(agenda: Agenda, title: str) -> tuple[AgendaEntry, str] | None:
    """(the standing item, the text after its name) when ``title`` is a standing item of every agenda
    ("Laget runt", "Laget runt: Skövde berättar …"): adding it would print it twice. A longer title
    that only begins with the name ("Laget runt i kommunerna") is an item of its own."""
    folded = fold(title)
    for entry in agenda.entries:
        if entry.kind == ITEM:
            continue
        name = fold(entry.title)
        if folded == name:
            return entry, ""
        if folded.startswith(name) and (after := _AFTER_TITLE.match(title[len(entry.title):])):
            return entry, title[len(entry.title) + after.end():].strip()
    return None


async def _item_title(turn: Turn, text: str, usage_key: str) -> str | None:
    """An item's title as typed (spaces tidied), or None after saying it is missing or too long."""
    title = " ".join(text.split())
    if not title:
        await turn.say_key(usage_key)
        return None
    if limits.too_long(title, MAX_ITEM_CHARS):
        await turn.say_key("meetings.item_too_long", length=limits.length(title), max=MAX_ITEM_CHARS)
        return None
    return title


async def _done_before(turn: Turn, meeting: Meeting) -> bool:
    """True (after saying again what was done) when this message changed the agenda already: Teams
    delivers a message again when it got no answer, also after a restart."""
    done = await turn.store.agenda.applied(meeting, turn.activity.id)
    if done is None:
        return False
    if isinstance(done.get("key"), str) and isinstance(done.get("params"), dict):
        await turn.say_key(done["key"], **done["params"])
    else:
        await turn.say_key("meetings.agenda_already_done")
    return True


async def _agenda_target(turn: Turn, args: str, usage_key: str) -> tuple[Agenda, AgendaEntry, str] | None:
    """(agenda, entry, rest of args) for a numbered item the person may change, else None (after saying why)."""
    m = re.match(r"^\s*(?:nr\.?\s*|nummer\s*)?#?(\d{1,3})\b[\s:.,]*(.*)$", args, re.DOTALL)
    if not m:
        await turn.say_key(usage_key)
        return None
    meeting = await current_meeting(turn)
    if meeting is None:
        await turn.say_key("meetings.no_meeting_for_agenda")
        return None
    if await _done_before(turn, meeting):
        return None  # the numbers have changed since: reading "punkt 4" again would pick another item
    agenda = await build_agenda(turn.store, turn.team, meeting, turn.locale)
    number = int(m.group(1))
    entry = agenda.entry(number)
    if entry is None:
        await turn.say_key("meetings.item_no_such", number=number, count=len(agenda.entries))
        return None
    if entry.kind in (STANDING, FOLLOW_UP):
        if agenda.items_count:
            key = "meetings.item_fixed" if agenda.items_count > 1 else "meetings.item_fixed_one"  # "punkt 4", not "punkterna 4–4"
            await turn.say_key(key, number=number, title=entry.title, first=agenda.items_start, last=agenda.items_end)
        else:
            await turn.say_key("meetings.item_fixed_none", number=number, title=entry.title)
        return None
    item = await turn.store.agenda.get(meeting, entry.stored_id)
    mine = item is not None and item.proposed_by == turn.member.key
    if not (turn.has_role(*AGENDA_ROLES) or mine):
        await turn.say_key("meetings.item_not_yours", roles=roles_text(turn.locale, AGENDA_ROLES))
        return None
    return agenda, entry, m.group(2).strip()


async def move_item(turn: Turn, args: str) -> None:
    """`flytta punkt <nr> <ny plats>`: reorders the meeting's own items."""
    target = await _agenda_target(turn, args, "meetings.item_move_usage")
    if target is None:
        return
    agenda, entry, rest = target
    m = re.match(r"^(?:till\s+)?(?:plats\s+|nr\.?\s*|nummer\s*)?#?(\d{1,3}|först|forst|sist|överst|overst|underst)\b", rest, re.IGNORECASE)
    if not m:
        await turn.say_key("meetings.item_move_usage")
        return
    word = fold(m.group(1))
    wanted = agenda.items_start if word in ("forst", "overst") else agenda.items_end if word in ("sist", "underst") else int(word)
    index = wanted - agenda.items_start
    clamped = not 0 <= index < agenda.items_count
    # Where it lands (the store clamps the same way), worked out first so the reply is kept with the move.
    number = agenda.items_start + max(0, min(index, agenda.items_count - 1))
    if clamped:
        key = "meetings.item_moved_clamped" if agenda.items_count > 1 else "meetings.item_moved_clamped_one"
        params = {"title": entry.title, "number": number, "first": agenda.items_start,
                                                      "last": agenda.items_end}
    else:
        key, params = "meetings.item_moved", {"title": entry.title, "number": number}
    await turn.store.agenda.move(agenda.meeting, entry.stored_id, index, activity_id=turn.activity.id,
                                 outcome={"key": key, "params": params}, at=turn.now)
    await turn.say_key(key, **params)


async def edit_item(turn: Turn, args: str) -> None:
    """`ändra punkt <nr> <text>`: rewords an item."""
    target = await _agenda_target(turn, args, "meetings.item_edit_usage")
    if target is None:
        return
    agenda, entry, rest = target
    title = await _item_title(turn, rest, "meetings.item_edit_usage")
    if title is None:
        return
    params = {"number": entry.number, "title": title, "old": entry.title}
    await turn.store.agenda.edit(agenda.meeting, entry.stored_id, title, by=turn.member.key, at=turn.now, activity_id=turn.activity.id,
                                 outcome={"key": "meetings.item_edited", "params": params})
    await turn.say_key("meetings.item_edited", **params)


async def remove_item(turn: Turn, args: str) -> None:
    """`ta bort punkt <nr>`: takes an item off the agenda."""
    target = await _agenda_target(turn, args, "meetings.item_remove_usage")
    if target is None:
        return
    agenda, entry, _rest = target
    await turn.store.agenda.remove(agenda.meeting, entry.stored_id, activity_id=turn.activity.id,
                                   outcome={"key": "meetings.item_removed", "params": {"title": entry.title}}, at=turn.now)
    await turn.say_key("meetings.item_removed", title=entry.title)


COMMANDS = {
    "agenda": show_agenda,
    "agenda_item": propose_item,
    "agenda_move": move_item,
    "agenda_edit": edit_item,
    "agenda_remove": remove_item,
}
