"""Feature: meetings, agenda, attendance, municipalities, members and roles.

Commands (exact words in bot/routing.py; the user guide is docs/commands.md):

- `möten`, `tidigare möten`: the calendar on a card.
- `nytt möte <när> [plats]`, `flytta möte <id|datum> till <när|plats>`, `ställ in möte <id|datum>`:
  presidium, chair or secretary only.
- `dagordning`, `punkt <text>` (anyone), `flytta punkt <nr> <ny plats>`, `ändra punkt <nr> <text>`,
  `ta bort punkt <nr>` (presidium or chair, or whoever proposed the item).
- `kommer`, `kommer inte`, `ersättare <namn>` for the next (or ongoing) meeting; card buttons
  ``attend_yes``/``attend_no`` with ``{"meeting_id": ...}`` do the same.
- `närvarande` (see answers and presence), `närvarande @Namn …` (secretary, chair or presidium).
- `kommun <namn>`, `medlemmar`, `roll @Namn <roll>` / `roll @Namn -<roll>` (chair or presidium).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from bot.cards import escape
from bot.cards import meetings as cards
from bot.dates import DateQuestion, When, recent_past, split_time, split_when, vague_when
from bot.features import intents as everyday
from bot.formatting import first_name
from bot.messages import t
from bot.routing import (
    ACTION_ATTEND_NO,
    ACTION_ATTEND_YES,
    ACTION_MEETING_ABORT,
    ACTION_MEETING_CONFIRM,
    fold,
)
from bot.rules import intents, limits
from bot.rules import meetings as meeting_ops
from bot.rules import municipalities as mun
from bot.rules.agenda import FOLLOW_UP, ITEM, STANDING, build_agenda
from bot.rules.attendance import attend_yes_meaning
from bot.rules.meetings import (
    AGENDA_ROLES,
    MEETING_ROLES,
    PRESENCE_ROLES,
    ROLE_GIVERS,
    Draft,
    MeetingError,
    roles_text,
)
from bot.teams import install
from bot.teams.mentions import Mention, read_mentions
from bot.turn import CardReply, Turn
from dialogs.confirm_meeting import ConfirmMeetingDialog
from dialogs.new_meeting import NewMeetingDialog
from storage.attendance_repo import NO, SUBSTITUTE, YES, AttendanceAnswer, Presence, guest_key
from storage.meetings_repo import ONGOING_GRACE, Meeting
from storage.teams_repo import Member

MAX_ITEM_CHARS = limits.AGENDA_ITEM
ROLE_NAMES = ("presidium", "ordförande", "sekreterare")
_ROLE_WORDS = {
    "presidium": "presidium",
    "presidiet": "presidium",
    "presidie": "presidium",
    "ordforande": "ordförande",
    "ordforanden": "ordförande",
    "ordf": "ordförande",
    "sekreterare": "sekreterare",
    "sekreteraren": "sekreterare",
    "sekr": "sekreterare",
    "medlem": "medlem",
    "deltagare": "medlem",
}


# --- Small helpers --------------------------------------------------------------------------------


def _tz(turn: Turn) -> ZoneInfo:
    return turn.services.settings.timezone


def _today(turn: Turn) -> date:
    return meeting_ops.local_today(turn.now, _tz(turn))


def _when(turn: Turn, meeting: Meeting) -> str:
    return meeting_ops.when_text(meeting, _tz(turn), turn.locale)



def _mentions(turn: Turn) -> list[Mention]:
    """People @mentioned in the message (read again from the raw entities if the turn has none)."""
    if turn.mentions:
        return turn.mentions
    activity = turn.activity
    if not activity.entities:
        return []
    # Entity.serialize() drops a mention's "mentioned" field, so read the entity objects themselves.
    _text, people = read_mentions(activity.text, list(activity.entities), activity.recipient.id if activity.recipient else None)
    turn.mentions = people
    return people


async def _deny(turn: Turn, roles: tuple[str, ...]) -> None:
    await turn.say_key("core.role_required", roles=roles_text(turn.locale, roles))


async def _begin(turn: Turn, dialog_id: str, options: dict[str, Any]) -> None:
    if turn.dialogs is None:
        raise RuntimeError(f"no dialog context on this turn to start {dialog_id!r}")
    await turn.dialogs.begin_dialog(dialog_id, options)


def current_meeting(turn: Turn) -> Meeting | None:
    """The ongoing meeting, else the next one (what "the meeting" means to people)."""
    return turn.store.meetings.current(turn.team.key, turn.now)


def _split_selector(turn: Turn, args: str) -> tuple[Meeting | None, str, str | None]:
    """A meeting named at the start of ``args`` ("4 december: …", "20261204 …"), the rest, or a problem."""
    text = args.strip()
    first = text.split(maxsplit=1)
    if first and re.fullmatch(r"\d{8}(?:-\d+)?", first[0].rstrip(":,")):
        found = meeting_ops.find_meetings(turn.store, turn.team.key, first[0].rstrip(":,"), now=turn.now, tz=_tz(turn), include_past=True)
        rest = first[1] if len(first) > 1 else ""
        if not found or isinstance(found, DateQuestion):
            return None, rest, turn.t("meetings.not_found_id", id=first[0])
        return found[0], rest, None
    when, before, after = split_when(text, _today(turn), _tz(turn))
    if isinstance(when, When) and not before:
        on_day = turn.store.meetings.on_date(turn.team.key, when.date, _tz(turn))
        if not on_day:
            # A year-less date means the next one; people naming a meeting usually mean a recent one.
            last_year = _previous_year(when.date)
            on_day = turn.store.meetings.on_date(turn.team.key, last_year, _tz(turn)) if last_year else []
        if not on_day:
            return None, after, turn.t("meetings.not_found", text=text[: len(text) - len(after)].strip(" :,"))
        return on_day[0], after.lstrip(":, "), None
    return None, text, None


def _previous_year(day: date) -> date | None:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return None


# --- The calendar ----------------------------------------------------------------------------------


def _view(turn: Turn, meeting: Meeting) -> cards.MeetingView:
    answers = turn.store.attendance.answers(turn.team.key, meeting.id)
    topics = tuple(i.title for i in turn.store.agenda.items(meeting))
    return cards.MeetingView(
        id=meeting.id,
        when=_when(turn, meeting),
        location=meeting.location,
        topics=topics,
        cancelled=meeting.cancelled,
        coming=sum(1 for a in answers if a.coming),
        not_coming=sum(1 for a in answers if a.answer == NO),
    )


async def list_meetings(turn: Turn, args: str) -> None:
    """The user sees the coming meetings (time, place, planned topics, answers) with buttons to answer."""
    every = turn.store.meetings.all(turn.team.key, include_cancelled=True)
    coming = [m for m in every if m.effective_end + ONGOING_GRACE >= turn.now]
    if not coming:
        await turn.say_key("meetings.none_upcoming")
        return
    attend = next((m.id for m in coming if not m.cancelled), None)
    card = cards.meetings_card(
        turn.t("meetings.list_title"),
        [_view(turn, m) for m in coming],
        turn.locale,
        attend_id=attend,
        hint=turn.t("meetings.list_hint"),
    )
    await turn.send_card(card, summary=turn.t("meetings.list_summary", count=len(coming)))


async def list_past_meetings(turn: Turn, args: str) -> None:
    """The user sees the meetings that have been (latest first), cancelled ones marked."""
    every = turn.store.meetings.all(turn.team.key, include_cancelled=True)
    past = [m for m in reversed(every) if m.effective_end + ONGOING_GRACE < turn.now]
    if not past:
        await turn.say_key("meetings.none_past")
        return
    card = cards.meetings_card(turn.t("meetings.past_title"), [_view(turn, m) for m in past], turn.locale, hint=turn.t("meetings.past_hint"))
    await turn.send_card(card, summary=turn.t("meetings.past_title"))


# --- Creating, moving, cancelling -------------------------------------------------------------------


async def new_meeting(turn: Turn, args: str) -> None:
    """A complete `nytt möte <när> [plats]` is stored at once; anything missing is asked for."""
    if not turn.has_role(*MEETING_ROLES):
        await _deny(turn, MEETING_ROLES)
        return
    if not args.strip():
        await _begin(turn, NewMeetingDialog.ID, {"ask": list(ALL_ASK)})
        return
    if await _meeting_list(turn, args):
        return
    tz = _tz(turn)
    found, before, after = split_when(args, _today(turn), tz)
    if isinstance(found, When):
        found = recent_past(found, args, _today(turn), tz)  # "27 november": held last week
    rest = ", ".join(p for p in (before, after) if p)
    if isinstance(found, When) and found.start is None:
        # "nytt möte 4 december Regionens hus kl 13-15": the time may stand after the place.
        span, before, after = split_time(rest)
        if isinstance(span, DateQuestion):
            await turn.say_key("meetings.new_question", question=span.text(turn.locale))
            return
        if span is not None:
            found = When(found.date, *span)
            rest = ", ".join(p for p in (before, after) if p)
    place = meeting_ops.clean_location(rest)
    # Date and time words are never a place: "halv tio", "eftermiddagen", "vecka 12" are asked.
    vague = vague_when(place, _today(turn)) if place else None
    if not isinstance(found, When):
        if vague is not None:
            question, place = vague.text(turn.locale), None
        elif isinstance(found, DateQuestion):
            question = found.text(turn.locale)
        else:
            question = turn.t("meetings.no_date_found", text=args.strip())
        ask = ["date", "time"] + ([] if place else ["place"])
        await _begin(turn, NewMeetingDialog.ID, {"ask": ask, "location": place, "question": question})
        return
    if vague is not None:
        await turn.say_key("meetings.new_question", question=vague.text(turn.locale))
        return
    if found.start is None:
        ask = ["time"] + ([] if place else ["place"])
        await _begin(turn, NewMeetingDialog.ID, {"ask": ask, "date": found.date.isoformat(), "location": place})
        return
    draft = Draft(
        op=meeting_ops.CREATE,
        day=found.date,
        start=found.start,
        end=found.end,
        location=place,
        activity_id=turn.activity.id,
        token=meeting_ops.token_for(turn.activity),
    )
    await _propose(turn, draft)


ALL_ASK = ("date", "time", "place", "topics")
# A pasted plan holds a season or a year of meetings, not more.
MAX_LIST = 20


def _read_line(turn: Turn, line: str) -> tuple[When | None, str | None]:
    """One line of a pasted plan ("8 november 9 - 15 (Regionens hus, Skövde)"): its date and
    time and its place; (None, None) when it is not one whole meeting."""
    tz, today = _tz(turn), _today(turn)
    found, before, after = split_when(line, today, tz)
    if not isinstance(found, When):
        return None, None
    found = recent_past(found, line, today, tz)
    rest = ", ".join(p for p in (before, after) if p)
    if found.start is None:
        span, before, after = split_time(rest)
        if not isinstance(span, tuple):
            return None, None
        found = When(found.date, *span)
        rest = ", ".join(p for p in (before, after) if p)
    place = meeting_ops.clean_location(rest)
    if place and vague_when(place, today) is not None:
        return None, None
    return found, place


async def _meeting_list(turn: Turn, args: str) -> bool:
    """A plan pasted after `nytt möte`, one meeting a line: every line is read, and all of them
    are offered together on one confirmation. False when ``args`` is no list (at most one line
    with a date: a single meeting whose place may stand on the next line)."""
    lines = [line.strip(" \t-•*") for line in args.splitlines() if line.strip(" \t-•*")]
    if len(lines) < 2:
        return False
    dated = [line for line in lines[: MAX_LIST + 1] if split_when(line, _today(turn), _tz(turn))[0] is not None]
    if len(dated) < 2:
        return False
    if len(lines) > MAX_LIST:
        await turn.say_key("meetings.list_too_long", max=MAX_LIST)
        return True
    drafts: list[Draft] = []
    unclear: list[str] = []
    token = meeting_ops.token_for(turn.activity)
    for number, line in enumerate(lines, start=1):
        when, place = _read_line(turn, line)
        if when is None:
            unclear.append(line)
            continue
        draft = Draft(
            op=meeting_ops.CREATE, day=when.date, start=when.start, end=when.end, location=place,  # type: ignore[arg-type]
            activity_id=turn.activity.id, token=f"{token}-{number}",
        )
        try:
            meeting_ops.check_draft(turn.store, turn.team.key, draft, now=turn.now, tz=_tz(turn))
        except MeetingError:
            unclear.append(line)
            continue
        drafts.append(draft)
    if unclear:
        # Nothing is planned from a list with a line that was not understood.
        await turn.say_key("meetings.list_unclear", lines="\n".join(f"- {escape(line)}" for line in unclear))
        return True
    tz = _tz(turn)
    warnings = [
        f"{meeting_ops.draft_text(d, turn.locale)}: {w}"
        for d in drafts
        for w in meeting_ops.warnings(turn.store, turn.team.key, d, tz, turn.locale, now=turn.now)
    ]
    await _begin(turn, ConfirmMeetingDialog.ID, {"drafts": [d.to_data() for d in drafts], "warnings": warnings})
    return True


async def _propose(turn: Turn, draft: Draft) -> None:
    """Store the draft, or first ask "Spara ändå?" when its day is unusual."""
    problem = limits.meeting_problem(draft.location, draft.topics, turn.locale)
    if problem:
        await turn.say(problem)
        return
    tz = _tz(turn)
    try:
        meeting_ops.check_draft(turn.store, turn.team.key, draft, now=turn.now, tz=tz)
    except MeetingError as exc:
        await turn.say_key(exc.key, **exc.params)
        return
    warnings = meeting_ops.warnings(turn.store, turn.team.key, draft, tz, turn.locale, now=turn.now)
    if warnings:
        await _begin(turn, ConfirmMeetingDialog.ID, {"draft": draft.to_data(), "warnings": warnings})
        return
    _meeting, reply = await meeting_ops.store_draft(turn.services, turn.team.key, turn.member, draft, turn.locale)
    await turn.say(reply)


async def _one_meeting(turn: Turn, selector: str) -> Meeting | None:
    """The single coming meeting ``selector`` names, or None after telling the person why not."""
    found = meeting_ops.find_meetings(turn.store, turn.team.key, selector, now=turn.now, tz=_tz(turn), include_past=True)
    if isinstance(found, DateQuestion):
        await turn.say(found.text(turn.locale))
        return None
    if not found:
        await turn.say_key("meetings.not_found", text=selector.strip())
        return None
    live = [m for m in found if not m.cancelled] or found
    if len(live) > 1:
        options = "; ".join(f"{m.id} ({_when(turn, m)})" for m in live)
        await turn.say_key("meetings.ambiguous", options=options, example=f"ställ in möte {live[0].id}")
        return None
    meeting = live[0]
    if meeting.cancelled:
        await turn.say_key("meetings.is_cancelled", when=_when(turn, meeting))
        return None
    if meeting.starts_at <= turn.now:
        await turn.say_key("meetings.already_over", when=_when(turn, meeting))
        return None
    return meeting


_TILL = re.compile(r"\s+till\s+", re.IGNORECASE)


async def move_meeting(turn: Turn, args: str) -> None:
    """`flytta möte <id eller datum> till <när och/eller plats>`: moves it (after "Spara ändå?" if needed)."""
    if not turn.has_role(*MEETING_ROLES):
        await _deny(turn, MEETING_ROLES)
        return
    parts = _TILL.split(" " + args.strip(), maxsplit=1)
    if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
        await turn.say_key("meetings.move_usage")
        return
    selector, target = parts[0].strip(), parts[1].strip()
    meeting = await _one_meeting(turn, selector)
    if meeting is None:
        return
    tz = _tz(turn)
    # The date, the time and the place are told apart by what they are, wherever they stand.
    found, before, after = split_when(target, _today(turn), tz)
    if isinstance(found, DateQuestion):
        await turn.say_key("meetings.move_question", question=found.text(turn.locale), id=meeting.id)
        return
    rest = ", ".join(p for p in (before, after) if p) if found is not None else target
    when: When | None = found
    if when is None or when.start is None:
        span, before, after = split_time(rest)
        if isinstance(span, DateQuestion):
            await turn.say_key("meetings.move_question", question=span.text(turn.locale), id=meeting.id)
            return
        if span is not None:
            day = when.date if when is not None else meeting.starts_at.astimezone(tz).date()
            when = When(day, *span)
            rest = ", ".join(p for p in (before, after) if p)
    place = meeting_ops.clean_location(rest)
    vague = vague_when(place, _today(turn)) if place else None
    if vague is not None:
        await turn.say_key("meetings.move_question", question=vague.text(turn.locale), id=meeting.id)
        return
    if when is None and place is None:
        await turn.say_key("meetings.move_unclear", text=target, id=meeting.id)
        return
    draft = meeting_ops.move_draft(meeting, when, place, tz)
    draft = replace(draft, activity_id=turn.activity.id, token=meeting_ops.token_for(turn.activity))
    await _propose(turn, draft)


async def cancel_meeting(turn: Turn, args: str) -> None:
    """`ställ in möte <id eller datum>`: the meeting stays in the calendar, marked cancelled."""
    if not turn.has_role(*MEETING_ROLES):
        await _deny(turn, MEETING_ROLES)
        return
    if not args.strip():
        await turn.say_key("meetings.cancel_usage")
        return
    meeting = await _one_meeting(turn, args)
    if meeting is None:
        return
    await meeting_ops.cancel_meeting(turn.services, meeting, turn.member)
    tz = _tz(turn)
    again = meeting_ops.typed_when(meeting.starts_at, meeting.ends_at, tz)
    if meeting.location:
        again += f" {meeting.location}"
    await turn.say_key("meetings.cancelled", when=_when(turn, meeting), again=again)


async def confirm_button(turn: Turn, data: dict[str, Any]) -> CardReply | None:
    """ "Ja, spara" on the "Spara ändå?" card stores the meeting (role checked again here)."""
    draft = Draft.from_data(data.get("draft"))
    if draft is None:
        return CardReply(message=turn.t("core.card_unknown"))
    meeting, reply = await meeting_ops.store_draft(turn.services, turn.team.key, turn.member, draft, turn.locale)
    if meeting is None and not turn.has_role(*MEETING_ROLES):
        return CardReply(message=reply)
    title = turn.t("meetings.confirm_saved_title" if meeting else "meetings.confirm_card_title")
    return CardReply(card=cards.notice_card(title, reply), message=reply)


async def abort_button(turn: Turn, data: dict[str, Any]) -> CardReply | None:
    """ "Nej" on the "Spara ändå?" card: nothing is stored."""
    draft = Draft.from_data(data.get("draft"))
    if draft is None:
        return CardReply(message=turn.t("core.card_unknown"))
    if not turn.has_role(*MEETING_ROLES):
        return CardReply(message=turn.t("core.role_required", roles=roles_text(turn.locale, MEETING_ROLES)))
    reply = await meeting_ops.abort_draft(turn.services, turn.team.key, draft, turn.locale)
    return CardReply(card=cards.notice_card(turn.t("meetings.confirm_aborted_title"), reply), message=reply)


# --- Agenda ----------------------------------------------------------------------------------------


async def show_agenda(turn: Turn, args: str) -> None:
    """The user sees the next (or ongoing) meeting's agenda, numbered, on a card."""
    meeting = current_meeting(turn)
    if args.strip():
        picked, _rest, problem = _split_selector(turn, args)
        if problem:
            await turn.say(problem)
            return
        meeting = picked or meeting
    if meeting is None:
        await turn.say_key("meetings.no_meeting_for_agenda")
        return
    agenda = build_agenda(turn.store, turn.team, meeting, turn.locale)
    views = [
        cards.AgendaView(e.number, e.title, by=e.proposed_by_name, details=e.details, standing=e.kind != ITEM)
        for e in agenda.entries
    ]
    when = _when(turn, meeting)
    card = cards.agenda_card(turn.t("meetings.agenda_title"), when, meeting.location, views, turn.locale, hint=turn.t("meetings.agenda_hint"))
    await turn.send_card(card, summary=turn.t("meetings.agenda_summary", when=when))


async def propose_item(turn: Turn, args: str) -> None:
    """`punkt <text>`: anyone puts an item on the next meeting's agenda."""
    title = " ".join(args.split())
    if not title:
        await turn.say_key("meetings.item_usage")
        return
    if limits.too_long(title, MAX_ITEM_CHARS):
        await turn.say_key("meetings.item_too_long", length=limits.length(title), max=MAX_ITEM_CHARS)
        return
    meeting = current_meeting(turn)
    if meeting is None:
        await turn.say_key("meetings.no_meeting_for_agenda")
        return
    # The same message delivered again adds nothing (the store keys the item by the message's id).
    item = turn.store.agenda.add(meeting, title, by=turn.member.key, by_name=turn.member.name, at=turn.now, activity_id=turn.activity.id)
    agenda = build_agenda(turn.store, turn.team, meeting, turn.locale)
    number = next((e.number for e in agenda.entries if e.item_id == item.id), None)
    if number is None:  # added by this message and removed since
        await turn.say_key("meetings.agenda_already_done")
        return
    await turn.say_key("meetings.item_saved", title=item.title, number=number, when=_when(turn, meeting))


async def _done_before(turn: Turn, meeting: Meeting) -> bool:
    """True (after saying again what was done) when this message changed the agenda already: Teams
    delivers a message again when it got no answer, also after a restart."""
    done = turn.store.agenda.applied(meeting, turn.activity.id)
    if done is None:
        return False
    if isinstance(done.get("key"), str) and isinstance(done.get("params"), dict):
        await turn.say_key(done["key"], **done["params"])
    else:
        await turn.say_key("meetings.agenda_already_done")
    return True


async def _agenda_target(turn: Turn, args: str, usage_key: str) -> tuple[Any, Any, str] | None:
    """(agenda, entry, rest of args) for a numbered item the person may change, else None (after saying why)."""
    m = re.match(r"^\s*(?:nr\.?\s*|nummer\s*)?#?(\d{1,3})\b[\s:.,]*(.*)$", args, re.DOTALL)
    if not m:
        await turn.say_key(usage_key)
        return None
    meeting = current_meeting(turn)
    if meeting is None:
        await turn.say_key("meetings.no_meeting_for_agenda")
        return None
    if await _done_before(turn, meeting):
        return None  # the numbers have changed since: reading "punkt 4" again would pick another item
    agenda = build_agenda(turn.store, turn.team, meeting, turn.locale)
    number = int(m.group(1))
    entry = agenda.entry(number)
    if entry is None:
        await turn.say_key("meetings.item_no_such", number=number, count=len(agenda.entries))
        return None
    if entry.kind in (STANDING, FOLLOW_UP):
        if agenda.items_count:
            await turn.say_key("meetings.item_fixed", number=number, title=entry.title, first=agenda.items_start, last=agenda.items_end)
        else:
            await turn.say_key("meetings.item_fixed_none", number=number, title=entry.title)
        return None
    item = turn.store.agenda.get(meeting, entry.item_id)
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
        key, params = "meetings.item_moved_clamped", {"title": entry.title, "number": number, "first": agenda.items_start,
                                                      "last": agenda.items_end}
    else:
        key, params = "meetings.item_moved", {"title": entry.title, "number": number}
    turn.store.agenda.move(agenda.meeting, entry.item_id, index, activity_id=turn.activity.id,
                           outcome={"key": key, "params": params}, at=turn.now)
    await turn.say_key(key, **params)


async def edit_item(turn: Turn, args: str) -> None:
    """`ändra punkt <nr> <text>`: rewords an item."""
    target = await _agenda_target(turn, args, "meetings.item_edit_usage")
    if target is None:
        return
    agenda, entry, rest = target
    title = " ".join(rest.split())
    if not title:
        await turn.say_key("meetings.item_edit_usage")
        return
    if limits.too_long(title, MAX_ITEM_CHARS):
        await turn.say_key("meetings.item_too_long", length=limits.length(title), max=MAX_ITEM_CHARS)
        return
    params = {"number": entry.number, "title": title, "old": entry.title}
    turn.store.agenda.edit(agenda.meeting, entry.item_id, title, by=turn.member.key, at=turn.now, activity_id=turn.activity.id,
                           outcome={"key": "meetings.item_edited", "params": params})
    await turn.say_key("meetings.item_edited", **params)


async def remove_item(turn: Turn, args: str) -> None:
    """`ta bort punkt <nr>`: takes an item off the agenda."""
    target = await _agenda_target(turn, args, "meetings.item_remove_usage")
    if target is None:
        return
    agenda, entry, _rest = target
    turn.store.agenda.remove(agenda.meeting, entry.item_id, activity_id=turn.activity.id,
                             outcome={"key": "meetings.item_removed", "params": {"title": entry.title}}, at=turn.now)
    await turn.say_key("meetings.item_removed", title=entry.title)


# --- Attendance ------------------------------------------------------------------------------------


async def _attend_meeting(turn: Turn, args: str) -> tuple[Meeting | None, str]:
    """The meeting an answer is for (one named by a date at the start of ``args``, else the current
    one) and the rest of ``args``; None after telling the person there is no such meeting."""
    when, before, after = split_when(args, _today(turn), _tz(turn)) if args.strip() else (None, "", "")
    if isinstance(when, When) and not before:
        on_day = [
            m
            for m in turn.store.meetings.on_date(turn.team.key, when.date, _tz(turn))
            if m.effective_end + ONGOING_GRACE >= turn.now
        ]
        if not on_day:
            named = args[: len(args) - len(after)].strip(" ,.:")
            await turn.say_key("meetings.not_found", text=named)
            return None, after
        return on_day[0], after
    meeting = current_meeting(turn)
    if meeting is None:
        await turn.say_key("meetings.no_upcoming")
    return meeting, args


async def record_attendance(
    turn: Turn, meeting: Meeting, answer: str, *, substitute: str | None = None, substitute_key: str | None = None, note: str | None = None
) -> str:
    """Store the person's answer for ``meeting`` and return the reply (what was stored, how to change it)."""
    previous = turn.store.attendance.answer_of(turn.team.key, meeting.id, turn.member.key)
    turn.store.attendance.answer(
        AttendanceAnswer(
            team_key=turn.team.key,
            meeting_id=meeting.id,
            member_key=turn.member.key,
            member_name=turn.member.name,
            answer=answer,
            answered_at=turn.now,
            municipality=turn.member.municipality,
            substitute=substitute,
            substitute_key=substitute_key,
            note=note or None,
            activity_id=turn.activity.id,
        )
    )
    when, name = _when(turn, meeting), first_name(turn.member.name)
    place = meeting_ops.place_suffix(meeting.location, turn.locale) if meeting.location else ""
    municipality = turn.member.municipality
    if answer == YES:
        key = "meetings.attend_yes_same" if previous and previous.answer == YES else (
            "meetings.attend_yes_changed" if previous else "meetings.attend_yes_saved"
        )
        reply = turn.t(key, name=name, when=when, place=place)
    elif answer == NO:
        if previous and previous.answer == NO:
            reply = turn.t("meetings.attend_no_same", when=when)
        elif municipality:
            reply = turn.t("meetings.attend_no_saved", name=name, when=when, municipality=municipality)
        else:
            reply = turn.t("meetings.attend_no_saved_plain", name=name, when=when)
    else:
        key = "meetings.substitute_saved" if municipality else "meetings.substitute_saved_plain"
        reply = turn.t(key, substitute=substitute, when=when, municipality=municipality or "")
    if not municipality:
        reply += turn.t("meetings.municipality_tip")
    return reply


async def attend_yes(turn: Turn, args: str) -> None:
    """`kommer`: the person says they come to the next (or ongoing) meeting; words after it that
    do not plainly mean yes get a question, never a yes."""
    meeting, rest = await _attend_meeting(turn, args)
    if meeting is None:
        return
    meaning = attend_yes_meaning(rest)
    if meaning is None:
        shown = " ".join(f"kommer {args}".split())
        shown = shown if len(shown) <= 60 else shown[:59] + "…"
        await turn.say_key("meetings.attend_unclear", text=shown, when=_when(turn, meeting))
        return
    answer, note = meaning
    await turn.say(await record_attendance(turn, meeting, answer, note=note))


async def attend_no(turn: Turn, args: str) -> None:
    """`kommer inte`: the person says they will not come (anything after is kept as a note)."""
    guess = intents.match(turn.text or "")
    if guess is not None and guess.kind == intents.ABSENCE and guess.substitute:
        # "jag kommer inte på fredag, Anna kommer istället" names a substitute: saving only "not
        # coming", with Anna in a note, would lose what was meant. Ask with the exact command.
        await everyday.absence(turn, guess)
        return
    meeting, rest = await _attend_meeting(turn, args)
    if meeting is None:
        return
    await turn.say(await record_attendance(turn, meeting, NO, note=rest.strip(" ,.:-–") or None))


async def substitute(turn: Turn, args: str) -> None:
    """`ersättare <namn>`: someone from the same municipality comes instead of the person."""
    meeting, rest = await _attend_meeting(turn, args)
    if meeting is None:
        return
    name = rest.strip(" ,.:")
    sub_key = None
    if _mentions(turn):
        mentioned = turn.mentions[0]
        member = install.ensure_member(turn.services, turn.team, mentioned)
        name, sub_key = member.name, member.key
        if not _same_municipality(turn.member, member):
            await turn.say_key(
                "meetings.substitute_other_municipality",
                substitute=member.name,
                other=member.municipality,
                mine=turn.member.municipality,
            )
            return
    name = name.lstrip("@").strip()
    if not name:
        await turn.say_key("meetings.substitute_ask")
        return
    if sub_key is None:
        # A member written as a plain name is the same person as a mention: the same rule.
        hits = _match_name(name, turn.store.teams.members(turn.team.key))
        if len(hits) > 1:
            await turn.say_key("meetings.person_ambiguous", name=name, options=", ".join(m.name for m in hits))
            return
        if len(hits) == 1:
            member = hits[0]
            if not _same_municipality(turn.member, member):
                await turn.say_key(
                    "meetings.substitute_other_municipality",
                    substitute=member.name,
                    other=member.municipality,
                    mine=turn.member.municipality,
                )
                return
            name, sub_key = member.name, member.key
    await turn.say(await record_attendance(turn, meeting, SUBSTITUTE, substitute=name[:120], substitute_key=sub_key))


def _same_municipality(me: Member, other: Member) -> bool:
    """A substitute comes from the member's own municipality (unknown on either side: allowed)."""
    mine = set(mun.municipalities_of(me.municipality))
    theirs = set(mun.municipalities_of(other.municipality))
    return not (mine and theirs) or bool(mine & theirs)


async def _attend_button(turn: Turn, data: dict[str, Any], answer: str) -> CardReply:
    meeting_id = data.get("meeting_id")
    meeting = turn.store.meetings.get(turn.team.key, meeting_id) if isinstance(meeting_id, str) else None
    if meeting is None or meeting.cancelled or meeting.effective_end + ONGOING_GRACE < turn.now:
        return CardReply(message=turn.t("meetings.attend_gone"))
    # Only a message: these buttons also sit on other features' cards, which must stay as they are.
    return CardReply(message=await record_attendance(turn, meeting, answer))


async def attend_yes_button(turn: Turn, data: dict[str, Any]) -> CardReply | None:
    """ "Jag kommer" on a meeting or reminder card."""
    return await _attend_button(turn, data, YES)


async def attend_no_button(turn: Turn, data: dict[str, Any]) -> CardReply | None:
    """ "Jag kommer inte" on a meeting or reminder card."""
    return await _attend_button(turn, data, NO)


# --- People: mentions and typed names ---------------------------------------------------------------


# More names than any meeting has people: a pasted text, not an attendance list. The bound
# also keeps reading one message linear (each name is looked up in the whole register).
MAX_PEOPLE = 100


class TooManyNames(Exception):
    """A list of people longer than MAX_PEOPLE."""


def resolve_people(turn: Turn, text: str) -> tuple[list[Member], list[tuple[str, str | None]], list[str]]:
    """Members named in ``text`` (by @mention or name), guests (name, municipality) and ambiguous names.

    The network's own formats are read: "Pernilla Bergman Götene, Therese Lindberg Tibro" (name
    then municipality, no comma between), one person a line ("Susanne Sandgren, Skaraborgs
    kommunalförbund"), and "@Anna @Peter, Susanne Sandgren" with the @ typed by hand."""
    members = turn.store.teams.members(turn.team.key)
    found: list[Member] = []
    for mention in _mentions(turn):
        member = install.ensure_member(turn.services, turn.team, mention)
        if member.key not in {m.key for m in found}:
            found.append(member)
        text = text.replace(f"@{mention.name}", ",")
    guests: list[tuple[str, str | None]] = []
    ambiguous: list[str] = []
    known = mun.municipalities(turn.team, turn.services.settings)
    entries: list[list[str | None]] = []  # [what was written for the person, a municipality after it]
    for line in text.split("\n"):
        for chunk in _PEOPLE_SPLIT.split(line):
            chunk = chunk.strip(" .:@")
            if not chunk:
                continue
            place = _place_only(chunk, known)
            if place is not None:
                # "Sofia Andreasson, Lidköping": the municipality belongs to the name before it.
                if entries and entries[-1][1] is None:
                    entries[-1][1] = place
                continue
            entries.append([chunk, None])
            if len(entries) > MAX_PEOPLE:
                raise TooManyNames
    for chunk, given_place in entries:
        assert chunk is not None
        hits = _match_name(chunk, members)
        name, place = chunk, given_place
        if not hits:
            name, trailing = _split_trailing_place(chunk, known)
            place = place or trailing
            hits = _match_name(name, members) if trailing else []
        if len(hits) == 1:
            if hits[0].key not in {m.key for m in found}:
                found.append(hits[0])
        elif len(hits) > 1:
            ambiguous.append(f"{name} ({', '.join(m.name for m in hits)})")
        else:
            words = name.split()
            # "Anna Peter Sofia" without commas: at most a roomful of one-word names.
            singles = [_match_name(w, members) for w in words] if len(words) <= MAX_PEOPLE else []
            if place is None and 1 < len(words) <= MAX_PEOPLE and all(len(s) == 1 for s in singles):
                for s in singles:
                    if s[0].key not in {m.key for m in found}:
                        found.append(s[0])
            else:
                guests.append((name[:120], place))
    return found, guests, ambiguous


# Between people: commas, semicolons, "och", and an @ typed by hand ("@Anna @Peter").
_PEOPLE_SPLIT = re.compile(r"\s*(?:,|;|\boch\b|(?<!\S)@)\s*", re.IGNORECASE)


_BODY_WORDS = frozenset({"skaraborgs", "kommunalforbund", "kommunalforbundet", "forbundet", "forbund"})


def _place_only(chunk: str, known: tuple[str, ...]) -> str | None:
    """The municipality (or body) ``chunk`` is, when it is nothing else: "Camilla Lundberg
    Skaraborgs Kommunalförbund" is a person, not the body."""
    place = mun.match(chunk, known)
    if place in mun.ORGANISATIONS and not set(fold(chunk).split()) <= _BODY_WORDS:
        return None
    return place


def _split_trailing_place(chunk: str, known: tuple[str, ...]) -> tuple[str, str | None]:
    """ "Pernilla Bergman Götene" -> ("Pernilla Bergman", "Götene"); the longest municipality
    (or "Skaraborgs kommunalförbund") at the end, with at least one word of name left."""
    words = chunk.split()
    for k in (3, 2, 1):
        if len(words) <= k:
            continue
        place = mun.match(" ".join(words[-k:]), known)
        if place is None:
            continue
        if place in mun.ORGANISATIONS and k > 1 and fold(words[-k]) != "skaraborgs":
            continue  # "Lundberg Kommunalförbund" names no body: a shorter end is tried
        return " ".join(words[:-k]), place
    return chunk, None


def _match_name(text: str, members: list[Member]) -> list[Member]:
    wanted = fold(text)
    exact = [m for m in members if fold(m.name) == wanted]
    if exact:
        return exact
    return [m for m in members if wanted in (fold(p) for p in m.name.split())]


# --- Presence ----------------------------------------------------------------------------------------


async def present(turn: Turn, args: str) -> None:
    """`närvarande`: shows answers and presence; with names, the secretary records who was there."""
    picked, rest, problem = _split_selector(turn, args)
    if problem:
        await turn.say(problem)
        return
    removing = False
    m = re.match(r"^(?:ta bort|bort|-)\s*", rest, re.IGNORECASE)
    if m and rest.strip():
        removing, rest = True, rest[m.end():]
    if not rest.strip() and not _mentions(turn):
        meeting = picked or current_meeting(turn) or turn.store.meetings.latest_started(turn.team.key, turn.now)
        if meeting is None:
            await turn.say_key("meetings.no_upcoming")
            return
        await _show_attendance(turn, meeting)
        return
    if not turn.has_role(*PRESENCE_ROLES):
        await _deny(turn, PRESENCE_ROLES)
        return
    meeting = picked or turn.store.meetings.latest_started(turn.team.key, turn.now)
    if meeting is None:
        await turn.say_key("meetings.present_no_meeting")
        return
    try:
        people, guests, ambiguous = resolve_people(turn, rest)
    except TooManyNames:
        await turn.say_key("meetings.too_many_names", max=MAX_PEOPLE)
        return
    if not people and not guests and not ambiguous:
        await turn.say_key("meetings.present_none_given")
        return
    repo = turn.store.attendance
    notes: list[str] = []
    if removing:
        keys = [p.key for p in people] + [guest_key(name) for name, _m in guests]
        recorded = {p.key for p in repo.present(turn.team.key, meeting.id)}
        missing = [p.name for p in people if p.key not in recorded] + [name for name, _m in guests if guest_key(name) not in recorded]
        after = repo.update_present(turn.team.key, meeting.id, remove=keys)
        if missing:
            notes.append(turn.t("meetings.present_not_found", names=", ".join(missing)))
    else:
        adds = [Presence(p.name, turn.member.key, turn.now, member_key=p.key, municipality=p.municipality) for p in people]
        adds += [Presence(name, turn.member.key, turn.now, municipality=place) for name, place in guests]
        after = repo.update_present(turn.team.key, meeting.id, add=adds)
        if guests:
            notes.append(turn.t("meetings.present_guests", names=", ".join(name for name, _m in guests)))
    if ambiguous:
        notes.extend(turn.t("meetings.person_ambiguous", name=a.split(" (")[0], options=a.split(" (", 1)[1].rstrip(")")) for a in ambiguous)
    names = ", ".join(_with_municipality(p.name, p.municipality) for p in after) or "–"
    text = turn.t("meetings.present_saved", when=_when(turn, meeting), count=len(after), names=names)
    await turn.say("\n\n".join([text, *notes]))


def _with_municipality(name: str, municipality: str | None) -> str:
    return f"{name} ({municipality})" if municipality else name


async def _show_attendance(turn: Turn, meeting: Meeting) -> None:
    repo = turn.store.attendance
    members = {m.key: m for m in turn.store.teams.members(turn.team.key, active_only=False)}

    def municipality_of(key: str, fallback: str | None) -> str | None:
        member = members.get(key)
        return (member.municipality if member else None) or fallback

    answers = repo.answers(turn.team.key, meeting.id)
    coming = [
        turn.t("meetings.attendance_substitute_line", name=a.member_name, substitute=a.substitute)
        if a.answer == SUBSTITUTE
        else _with_municipality(a.member_name, municipality_of(a.member_key, a.municipality))
        for a in answers
        if a.coming
    ]
    not_coming = [_with_municipality(a.member_name, municipality_of(a.member_key, a.municipality)) for a in answers if a.answer == NO]
    presence = repo.present(turn.team.key, meeting.id)
    _here, missing = mun.represented(turn.store, turn.team.key, meeting.id, settings=turn.services.settings)
    known = mun.municipalities(turn.team, turn.services.settings)
    missing_sorted = [m for m in known if m in missing]
    sections: list[tuple[str, list[str]]] = []
    if presence:
        sections.append((turn.t("meetings.attendance_present", count=len(presence)), [_with_municipality(p.name, p.municipality) for p in presence]))
    sections.append((turn.t("meetings.attendance_coming", count=len(coming)), coming))
    sections.append((turn.t("meetings.attendance_not_coming", count=len(not_coming)), not_coming))
    missing_key = "meetings.attendance_missing_present" if presence else "meetings.attendance_missing"
    sections.append((turn.t(missing_key, count=len(missing_sorted)), missing_sorted))
    upcoming = not meeting.cancelled and meeting.effective_end + ONGOING_GRACE >= turn.now
    card = cards.attendance_card(
        turn.t("meetings.attendance_title"),
        _when(turn, meeting),
        sections,
        turn.locale,
        meeting_id=meeting.id if upcoming else None,
        hint=turn.t("meetings.attendance_hint"),
    )
    await turn.send_card(card, summary=turn.t("meetings.attendance_title"))


# --- Municipality, members, roles -----------------------------------------------------------------


async def set_municipality(turn: Turn, args: str) -> None:
    """`kommun <namn>` sets your own municipality; `kommun @Namn <namn>` (chair/presidium) someone else's."""
    target = turn.member
    text = args
    if _mentions(turn):
        if not turn.has_role(*ROLE_GIVERS):
            await _deny(turn, ROLE_GIVERS)
            return
        target = install.ensure_member(turn.services, turn.team, turn.mentions[0])
        text = text.replace(f"@{turn.mentions[0].name}", " ")
    text = " ".join(text.split()).strip(" .,:")
    known = mun.municipalities(turn.team, turn.services.settings)
    if not text:
        if turn.member.municipality:
            await turn.say_key("meetings.municipality_current", municipality=turn.member.municipality)
        else:
            await turn.say_key("meetings.municipality_none", all=", ".join(known))
        return
    names: list[str] = []
    for part in mun.split_names(text) or [text]:
        name = mun.match(part, known)
        if name is None:
            name = mun.match(text, known)  # "Skaraborgs kommunalförbund" must not be split
            if name is not None:
                names = [name]
                break
            close = mun.suggestions(part, known)
            if close:
                options = f" {turn.t('core.or')} ".join(f"**{c}**" for c in close)
                await turn.say_key("meetings.municipality_unknown_close", text=part, options=options, first=close[0])
            else:
                await turn.say_key("meetings.municipality_unknown", text=part, all=", ".join(known))
            return
        if name not in names:
            names.append(name)
    value = mun.join_names(names)
    turn.store.teams.save_member(turn.team.key, replace(target, municipality=value))
    await turn.say_key("meetings.municipality_set", name=target.name, municipality=value)


def _role_words(roles: frozenset[str], locale: str) -> tuple[str, ...]:
    return tuple(t(f"meetings.role.{r}", locale) for r in ROLE_NAMES if r in roles)


async def list_members(turn: Turn, args: str) -> None:
    """The user sees the register grouped by municipality, with roles, and which municipalities nobody is from."""
    members = turn.store.teams.members(turn.team.key)
    known = mun.municipalities(turn.team, turn.services.settings)
    groups: dict[str, list[cards.PersonView]] = {}
    for member in members:
        places = mun.municipalities_of(member.municipality) or (turn.t("meetings.members_no_municipality"),)
        view = cards.PersonView(member.name, _role_words(member.roles, turn.locale))
        for place in places[:1]:
            note_places = places[1:]
            person = replace(view, note=", ".join(note_places)) if note_places else view
            groups.setdefault(place, []).append(person)
    order = [*known, *mun.ORGANISATIONS]
    names = sorted(groups, key=lambda g: (order.index(g) if g in order else len(order), g))
    covered = {p for m in members for p in mun.municipalities_of(m.municipality)}
    missing = [k for k in known if k not in covered]
    card = cards.members_card(
        turn.t("meetings.members_title", count=len(members)),
        [cards.MunicipalityGroup(n, tuple(groups[n])) for n in names],
        turn.locale,
        missing=missing,
        hint=turn.t("meetings.members_hint"),
    )
    await turn.send_card(card, summary=turn.t("meetings.members_summary", count=len(members)))


async def set_role(turn: Turn, args: str) -> None:
    """`roll @Namn sekreterare` gives a role, `roll @Namn -sekreterare` takes it away (chair or presidium)."""
    text = args.strip()
    target: Member | None = None
    if _mentions(turn):
        target = install.ensure_member(turn.services, turn.team, turn.mentions[0])
        text = text.replace(f"@{turn.mentions[0].name}", " ")
    words = text.split()
    changes: list[tuple[bool, str]] = []  # (add?, role)
    name_words: list[str] = []
    removing = False
    for word in words:
        folded = fold(word).strip(".,:;")
        if folded in ("ta", "bort", "ta bort"):
            removing = removing or folded == "bort"
            continue
        negative = folded.startswith(("-", "−", "–"))
        role = _ROLE_WORDS.get(folded.lstrip("-−–+"))
        if role is not None:
            changes.append((not (negative or removing), role))
        elif negative or changes:
            await turn.say_key("meetings.role_unknown", role=word.lstrip("-−–+"))
            return
        else:
            name_words.append(word)
    if target is not None and name_words and not changes:
        # "roll @Peter kung": the person is clear, the rest is no role.
        await turn.say_key("meetings.role_unknown", role=" ".join(name_words))
        return
    if target is None and name_words:
        members = turn.store.teams.members(turn.team.key)
        hits = _match_name(" ".join(name_words), members)
        if not hits and not changes:
            # "roll Peter kassör": a known person followed by a word that is no role.
            # No name has more words than the longest member's, so only that many cuts can match.
            longest = max((len(m.name.split()) for m in members), default=0)
            for cut in range(min(len(name_words) - 1, longest), 0, -1):
                if len(_match_name(" ".join(name_words[:cut]), members)) == 1:
                    await turn.say_key("meetings.role_unknown", role=" ".join(name_words[cut:]))
                    return
        if not hits:
            await turn.say_key("meetings.person_not_found", name=" ".join(name_words))
            return
        if len(hits) > 1:
            await turn.say_key("meetings.person_ambiguous", name=" ".join(name_words), options=", ".join(m.name for m in hits))
            return
        target = hits[0]
    if target is None:
        await turn.say_key("meetings.role_usage")
        return
    if not changes:
        await turn.say_key("meetings.role_show", name=target.name, roles=", ".join(_all_role_words(target.roles, turn.locale)))
        return
    if not turn.has_role(*ROLE_GIVERS):
        await _deny(turn, ROLE_GIVERS)
        return
    roles = set(target.roles) | {"medlem"}
    for add, role in changes:
        if role == "medlem" and not add:
            await turn.say_key("meetings.role_member_always")
            return
        if add:
            roles.add(role)
        else:
            roles.discard(role)
    others = [m for m in turn.store.teams.members(turn.team.key) if m.key != target.key]
    if not set(ROLE_GIVERS) & roles and not any(m.has_any_role(ROLE_GIVERS) for m in others):
        await turn.say_key("meetings.role_last_leader")
        return
    changed = replace(target, roles=frozenset(roles))
    turn.store.teams.save_member(turn.team.key, changed)
    await turn.say_key("meetings.role_changed", name=changed.name, roles=", ".join(_all_role_words(changed.roles, turn.locale)))


def _all_role_words(roles: frozenset[str], locale: str) -> list[str]:
    return [t(f"meetings.role.{r}", locale) for r in ("medlem", *ROLE_NAMES) if r in roles]


def dialogs(services: Any) -> list[Any]:
    """The conversations this feature starts."""
    return [NewMeetingDialog(), ConfirmMeetingDialog()]


COMMANDS = {
    "meetings": list_meetings,
    "past_meetings": list_past_meetings,
    "new_meeting": new_meeting,
    "move_meeting": move_meeting,
    "cancel_meeting": cancel_meeting,
    "agenda": show_agenda,
    "agenda_item": propose_item,
    "agenda_move": move_item,
    "agenda_edit": edit_item,
    "agenda_remove": remove_item,
    "attend_yes": attend_yes,
    "attend_no": attend_no,
    "substitute": substitute,
    "present": present,
    "municipality": set_municipality,
    "members": list_members,
    "role": set_role,
}

CARD_ACTIONS = {
    ACTION_ATTEND_YES: attend_yes_button,
    ACTION_ATTEND_NO: attend_no_button,
    ACTION_MEETING_CONFIRM: confirm_button,
    ACTION_MEETING_ABORT: abort_button,
}
