"""Feature: the calendar, and planning, moving and cancelling meetings.

Commands (exact words in bot/routing.py; the user guide is docs/commands.md):

- `möten`, `tidigare möten`: the calendar on a card.
- `nytt möte <när> [plats]` (or a pasted plan, one meeting a line), `flytta möte <id|datum> till
  <när|plats>`, `ställ in möte <id|datum>`: presidium, chair or secretary only.
- The "Spara ändå?" card's buttons ``meeting_confirm`` / ``meeting_abort`` (role checked again).

The rules (drafts, warnings, storing) are in bot/rules/meetings.py. This module also holds what
the other meeting-side features (agenda, attendance, members, everyday phrases) share: the
network's time zone and today, "the meeting" a message means, and the refusal for a missing role.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import Any

from bot.cards import escape
from bot.cards import meetings as cards
from bot.dates import DateQuestion, When, recent_past, split_time, split_when, vague_when
from bot.roles import MEETING_ROLES, roles_text
from bot.routing import ACTION_MEETING_ABORT, ACTION_MEETING_CONFIRM
from bot.rules import limits
from bot.rules import meetings as meeting_ops
from bot.rules.meetings import Draft, MeetingError
from bot.turn import CardReply, Turn
from dialogs.confirm_meeting import ConfirmMeetingDialog
from dialogs.new_meeting import NewMeetingDialog
from storage.attendance_repo import NO
from storage.meetings_repo import ONGOING_GRACE, Meeting, MeetingNotFound

# --- Shared by the meeting-side features ---------------------------------------------------------
# What "the meeting" means to people, and how it reads, for agenda, attendance and the everyday
# phrases (the time zone, today and the refusal are the Turn's: turn.tz, turn.today, turn.deny).


def meeting_when(turn: Turn, meeting: Meeting) -> str:
    """The meeting's day and time as people read them, in the network's time zone."""
    return meeting_ops.when_text(meeting, turn.tz, turn.locale)


async def current_meeting(turn: Turn) -> Meeting | None:
    """The ongoing meeting, else the next one (what "the meeting" means to people)."""
    return await turn.store.meetings.current(turn.team.key, turn.now)


async def split_selector(turn: Turn, args: str) -> tuple[Meeting | None, str, str | None]:
    """A meeting named at the start of ``args`` ("4 december: …", "20261204 …"), the rest, or a problem."""
    text = args.strip()
    first = text.split(maxsplit=1)
    if first and re.fullmatch(r"\d{8}(?:-\d+)?", first[0].rstrip(":,")):
        found = await meeting_ops.find_meetings(turn.store, turn.team.key, first[0].rstrip(":,"), now=turn.now, tz=turn.tz, include_past=True)
        rest = first[1] if len(first) > 1 else ""
        if not found or isinstance(found, DateQuestion):
            return None, rest, turn.t("meetings.not_found_id", id=first[0])
        return found[0], rest, None
    when, before, after = split_when(text, turn.today, turn.tz)
    if isinstance(when, When) and not before:
        on_day = await turn.store.meetings.on_date(turn.team.key, when.date, turn.tz)
        if not on_day:
            # A year-less date means the next one; people naming a meeting usually mean a recent one.
            last_year = _previous_year(when.date)
            on_day = await turn.store.meetings.on_date(turn.team.key, last_year, turn.tz) if last_year else []
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


async def _view(turn: Turn, meeting: Meeting) -> cards.MeetingView:
    answers = await turn.store.attendance.answers(turn.team.key, meeting.id)
    topics = tuple(i.title for i in await turn.store.agenda.items(meeting))
    return cards.MeetingView(
        id=meeting.id,
        when=meeting_when(turn, meeting),
        location=meeting.location,
        topics=topics,
        cancelled=meeting.cancelled,
        coming=sum(1 for a in answers if a.coming),
        not_coming=sum(1 for a in answers if a.answer == NO),
    )


async def list_meetings(turn: Turn, args: str) -> None:
    """The user sees the coming meetings (time, place, planned topics, answers) with buttons to answer."""
    every = await turn.store.meetings.all(turn.team.key, include_cancelled=True)
    coming = [m for m in every if m.effective_end + ONGOING_GRACE >= turn.now]
    if not coming:
        await turn.say_key("meetings.none_upcoming")
        return
    attend = next((m.id for m in coming if not m.cancelled), None)
    card = cards.meetings_card(
        turn.t("meetings.list_title"),
        [await _view(turn, m) for m in coming],
        turn.locale,
        attend_id=attend,
        hint=turn.t("meetings.list_hint"),
    )
    await turn.send_card(card, summary=turn.t("meetings.list_summary", count=len(coming)))


async def list_past_meetings(turn: Turn, args: str) -> None:
    """The user sees the meetings that have been (latest first), cancelled ones marked."""
    every = await turn.store.meetings.all(turn.team.key, include_cancelled=True)
    past = [m for m in reversed(every) if m.effective_end + ONGOING_GRACE < turn.now]
    if not past:
        await turn.say_key("meetings.none_past")
        return
    card = cards.meetings_card(turn.t("meetings.past_title"), [await _view(turn, m) for m in past], turn.locale, hint=turn.t("meetings.past_hint"))
    await turn.send_card(card, summary=turn.t("meetings.past_title"))


# --- Creating, moving, cancelling -------------------------------------------------------------------


async def new_meeting(turn: Turn, args: str) -> None:
    """A complete `nytt möte <när> [plats]` is stored at once; anything missing is asked for."""
    if not turn.has_role(*MEETING_ROLES):
        await turn.deny(MEETING_ROLES)
        return
    if not args.strip():
        await turn.begin_dialog(NewMeetingDialog.ID, {"ask": list(ALL_ASK)})
        return
    if await _meeting_list(turn, args):
        return
    tz = turn.tz
    found, before, after = split_when(args, turn.today, tz)
    if isinstance(found, When):
        found = recent_past(found, args, turn.today, tz)  # "27 november": held last week
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
    vague = vague_when(place, turn.today) if place else None
    if not isinstance(found, When):
        if vague is not None:
            question, place = vague.text(turn.locale), None
        elif isinstance(found, DateQuestion):
            question = found.text(turn.locale)
        else:
            question = turn.t("meetings.no_date_found", text=args.strip())
        ask = ["date", "time"] + ([] if place else ["place"])
        await turn.begin_dialog(NewMeetingDialog.ID, {"ask": ask, "location": place, "question": question})
        return
    if vague is not None:
        await turn.say_key("meetings.new_question", question=vague.text(turn.locale))
        return
    if found.start is None:
        ask = ["time"] + ([] if place else ["place"])
        await turn.begin_dialog(NewMeetingDialog.ID, {"ask": ask, "date": found.date.isoformat(), "location": place})
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
    tz, today = turn.tz, turn.today
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
    dated = [line for line in lines[: MAX_LIST + 1] if split_when(line, turn.today, turn.tz)[0] is not None]
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
            await meeting_ops.check_draft(turn.store, turn.team.key, draft, now=turn.now, tz=turn.tz)
        except MeetingError:
            unclear.append(line)
            continue
        drafts.append(draft)
    if unclear:
        # Nothing is planned from a list with a line that was not understood.
        await turn.say_key("meetings.list_unclear", lines="\n".join(f"- {escape(line)}" for line in unclear))
        return True
    tz = turn.tz
    warnings = [
        f"{meeting_ops.draft_text(d, turn.locale)}: {w}"
        for d in drafts
        for w in await meeting_ops.warnings(turn.store, turn.team.key, d, tz, turn.locale, now=turn.now)
    ]
    await turn.begin_dialog(ConfirmMeetingDialog.ID, {"drafts": [d.to_data() for d in drafts], "warnings": warnings})
    return True


async def _propose(turn: Turn, draft: Draft) -> None:
    """Store the draft, or first ask "Spara ändå?" when its day is unusual."""
    problem = limits.meeting_problem(draft.location, draft.topics, turn.locale)
    if problem:
        await turn.say(problem)
        return
    tz = turn.tz
    try:
        await meeting_ops.check_draft(turn.store, turn.team.key, draft, now=turn.now, tz=tz)
    except MeetingError as exc:
        await turn.say_key(exc.key, **exc.params)
        return
    warnings = await meeting_ops.warnings(turn.store, turn.team.key, draft, tz, turn.locale, now=turn.now)
    if warnings:
        await turn.begin_dialog(ConfirmMeetingDialog.ID, {"draft": draft.to_data(), "warnings": warnings})
        return
    _meeting, reply = await _store(turn, draft)
    await turn.say(reply)


async def _store(turn: Turn, draft: Draft) -> tuple[Meeting | None, str]:
    """Store ``draft`` for the person (the rule checks their role again) and tell the reminders."""
    return await meeting_ops.store_draft(
        turn.store, turn.team.key, turn.member, draft, turn.locale,
        now=turn.now, tz=turn.tz, publish=turn.services.changes.publish,
    )


async def _one_meeting(turn: Turn, selector: str) -> Meeting | None:
    """The single coming meeting ``selector`` names, or None after telling the person why not."""
    found = await meeting_ops.find_meetings(turn.store, turn.team.key, selector, now=turn.now, tz=turn.tz, include_past=True)
    if isinstance(found, DateQuestion):
        await turn.say(found.text(turn.locale))
        return None
    if not found:
        await turn.say_key("meetings.not_found", text=selector.strip())
        return None
    live = [m for m in found if not m.cancelled] or found
    if len(live) > 1:
        options = "; ".join(f"{m.id} ({meeting_when(turn, m)})" for m in live)
        await turn.say_key("meetings.ambiguous", options=options, example=f"ställ in möte {live[0].id}")
        return None
    meeting = live[0]
    if meeting.cancelled:
        await turn.say_key("meetings.is_cancelled", when=meeting_when(turn, meeting))
        return None
    if meeting.starts_at <= turn.now:
        await turn.say_key("meetings.already_over", when=meeting_when(turn, meeting))
        return None
    return meeting


_TILL = re.compile(r"\s+till\s+", re.IGNORECASE)


async def move_meeting(turn: Turn, args: str) -> None:
    """`flytta möte <id eller datum> till <när och/eller plats>`: moves it (after "Spara ändå?" if needed)."""
    if not turn.has_role(*MEETING_ROLES):
        await turn.deny(MEETING_ROLES)
        return
    parts = _TILL.split(" " + args.strip(), maxsplit=1)
    if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
        await turn.say_key("meetings.move_usage")
        return
    selector, target = parts[0].strip(), parts[1].strip()
    meeting = await _one_meeting(turn, selector)
    if meeting is None:
        return
    tz = turn.tz
    # The date, the time and the place are told apart by what they are, wherever they stand.
    found, before, after = split_when(target, turn.today, tz)
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
    vague = vague_when(place, turn.today) if place else None
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
        await turn.deny(MEETING_ROLES)
        return
    if not args.strip():
        await turn.say_key("meetings.cancel_usage")
        return
    meeting = await _one_meeting(turn, args)
    if meeting is None:
        return
    try:
        done = await meeting_ops.cancel_meeting(
            turn.store, meeting, turn.member, now=turn.now, publish=turn.services.changes.publish
        )
    except MeetingNotFound:
        await turn.say_key("meetings.not_found", text=args.strip())
        return
    if done is None:
        # Cancelled meanwhile (a second "ställ in" at the same moment, or on another instance).
        await turn.say_key("meetings.is_cancelled", when=meeting_when(turn, meeting))
        return
    tz = turn.tz
    again = meeting_ops.typed_when(meeting.starts_at, meeting.ends_at, tz)
    if meeting.location:
        again += f" {meeting.location}"
    await turn.say_key("meetings.cancelled", when=meeting_when(turn, meeting), again=again)


async def confirm_button(turn: Turn, data: dict[str, Any]) -> CardReply | None:
    """ "Ja, spara" on the "Spara ändå?" card stores the meeting (role checked again here)."""
    draft = Draft.from_data(data.get("draft"))
    if draft is None:
        return CardReply(message=turn.t("core.card_unknown"))
    meeting, reply = await _store(turn, draft)
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
    reply = await meeting_ops.abort_draft(turn.store, turn.team.key, draft, turn.locale)
    return CardReply(card=cards.notice_card(turn.t("meetings.confirm_aborted_title"), reply), message=reply)


def dialogs(services: Any) -> list[Any]:
    """The conversations this feature starts."""
    return [NewMeetingDialog(), ConfirmMeetingDialog()]


COMMANDS = {
    "meetings": list_meetings,
    "past_meetings": list_past_meetings,
    "new_meeting": new_meeting,
    "move_meeting": move_meeting,
    "cancel_meeting": cancel_meeting,
}

CARD_ACTIONS = {
    ACTION_MEETING_CONFIRM: confirm_button,
    ACTION_MEETING_ABORT: abort_button,
}
