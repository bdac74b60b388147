"""Check-ins and check-outs, given through conversation or a reminder card.

Commands (Swedish words in ``bot/routing.py``):

- ``incheckning [svar]`` / ``utcheckning [svar]``: answer the next (or ongoing) meeting's question;
  without an answer the bot asks (a dialog). Answering again replaces your answer.
  ``incheckning 27 november: @Anna: svar`` writes down someone's answer afterwards (recorders).
  ``radera incheckning`` / ``radera utcheckning`` removes yours; ``incheckningar`` /
  ``utcheckningar`` shows who answered what and who (per municipality) has not.
- ``incheckningsfråga [fråga|standard]`` / ``utcheckningsfråga …``: show or (presidium, chair) set
  the meeting's question; ``standard`` goes back to the network's rotating questions.

The rules (which meeting, the question, storing) are in bot/rules/checkins.py.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from botbuilder.dialogs import Dialog

from bot import roles
from bot.cards import escape
from bot.cards.records import AnswerRow, checkins_cards
from bot.dates import When, parse_when, recent_past
from bot.formatting import meeting_date
from bot.roles import roles_text
from bot.routing import ACTION_CHECKIN
from bot.rules import limits
from bot.rules.checkins import (
    checkin_meeting,
    checkin_overview,
    checkin_saved_text,
    delete_checkin,
    kind_params,
    question_for,
    question_is_custom,
    save_checkin,
)
from bot.services import Services
from bot.text import fold, short
from bot.turn import CardReply, Turn
from dialogs.checkin import DIALOG_ID as CHECKIN_DIALOG
from dialogs.checkin import CheckinDialog
from storage.checkins_repo import CHECKIN, CHECKOUT, CheckinAnswer
from storage.meetings_repo import Meeting, MeetingNotFound
from storage.teams_repo import Member, member_key

QUESTION_LIMIT = limits.QUESTION
_RESET_WORDS = frozenset({"standard", "ingen", "ta bort", "aterstall", "default"})


async def _save(turn: Turn, meeting: Meeting, kind: str, answer: str, *, member: Member | None = None) -> tuple[CheckinAnswer, CheckinAnswer | None]:
    """Store the answer of the person writing (or of ``member``, written down by a recorder)."""
    return await save_checkin(turn.store, turn.team.key, meeting, member or turn.member, kind, answer, now=turn.now,
                              locale=turn.locale, conversation_id=turn.conversation_id, activity_id=turn.activity.id)


# --- Check-in and check-out ------------------------------------------------------------------


# "incheckning 27 november: …" / "incheckning 20261127: …": an answer for a named meeting.
_NAMED_MEETING = re.compile(r"^\s*(?P<selector>[^:\n]{1,40}?)\s*:\s*(?P<rest>\S.*)$", re.DOTALL)


async def _named_meeting(turn: Turn, args: str) -> tuple[Meeting | None, str]:
    """The meeting a leading "<date or id>:" names (a held one too: a check-in written down
    afterwards) and the answer after it; (None, args) when the text names none."""
    m = _NAMED_MEETING.match(args)
    if not m:
        return None, args
    selector = m["selector"]
    tz = turn.tz
    meeting = await turn.store.meetings.get(turn.team.key, selector.strip())
    if meeting is None:
        today = turn.today
        when = parse_when(selector, today, tz)
        if not isinstance(when, When):
            return None, args
        on_day = await turn.store.meetings.on_date(turn.team.key, recent_past(when, selector, today, tz).date, tz)
        meeting = on_day[0] if on_day else None
    return (meeting, m["rest"].strip()) if meeting is not None and not meeting.cancelled else (None, args)


async def _answer_of(turn: Turn, answer: str) -> tuple[Member | None, str]:
    """ "@Anna Gustafsson: Bästa skola" or "Anna Gustafsson: Bästa skola": someone's answer written
    down by another person (a mention, or a member's whole name, before a colon); (None, answer)
    when the answer names nobody that way."""
    head, colon, rest = answer.partition(":")
    if not colon or not rest.strip() or len(head) > 120:
        return None, answer
    name = " ".join(head.strip().lstrip("@").split())
    if not name:
        return None, answer
    members = await turn.store.teams.members(turn.team.key)
    for mention in turn.mentions:
        if fold(mention.name) == fold(name):
            key = member_key(mention.id, mention.aad_object_id)
            found = next((m for m in members if m.key == key), None)
            if found is not None:
                return found, rest.strip()
    exact = [m for m in members if fold(" ".join(m.name.split())) == fold(name)]
    return (exact[0], rest.strip()) if len(exact) == 1 else (None, answer)


async def _answer(turn: Turn, args: str, kind: str) -> None:
    args = turn.command_args(args)
    named, answer = await _named_meeting(turn, args)
    if named is not None:
        # A meeting named by its date (often one that has taken place): the secretary may write
        # down everyone's answers afterwards, "incheckning 27 november: @Anna: Bästa skola".
        other, answer = await _answer_of(turn, answer)
        if other is not None and other.key != turn.member.key and not roles.may_record_for_others(turn.member):
            await turn.say_key("records.checkin_for_other_not_allowed", name=escape(other.name),
                               roles=roles_text(turn.locale, roles.RECORDER_ROLES), **kind_params(kind, turn.locale))
            return
        if limits.too_long(answer, limits.CHECKIN_ANSWER):
            await turn.say_key("records.checkin_too_long", length=limits.length(answer), max=limits.CHECKIN_ANSWER)
            return
        if other is not None and other.key != turn.member.key:
            stored, previous = await _save(turn, named, kind, answer, member=other)
            when = meeting_date(named, turn.tz, turn.locale)
            await turn.say_key("records.checkin_saved_for", name=escape(other.name), meeting=when,
                               answer=escape(stored.answer), replaced="" if previous is None else turn.t("records.checkin_saved_for_replaced"),
                               **kind_params(kind, turn.locale))
            return
        stored, previous = await _save(turn, named, kind, answer)
        await turn.say(checkin_saved_text(turn.member, named, stored, previous, turn.tz, turn.locale))
        return
    meeting = await checkin_meeting(turn.store, turn.team.key, turn.now)
    if meeting is None:
        await turn.say_key("records.checkin_no_meeting", **kind_params(kind, turn.locale))
        return
    if args.strip():
        if limits.too_long(args, limits.CHECKIN_ANSWER):
            await turn.say_key("records.checkin_too_long", length=limits.length(args), max=limits.CHECKIN_ANSWER)
            return
        stored, previous = await _save(turn, meeting, kind, args)
        await turn.say(checkin_saved_text(turn.member, meeting, stored, previous, turn.tz, turn.locale))
        return
    question = await question_for(turn.store, meeting, kind, turn.locale)
    await turn.begin_dialog(CHECKIN_DIALOG, {"meeting_id": meeting.id, "kind": kind, "question": question})


async def checkin(turn: Turn, args: str) -> None:
    """`incheckning [svar]`: the person answers the meeting's check-in question (asked if no answer)."""
    await _answer(turn, args, CHECKIN)


async def checkout(turn: Turn, args: str) -> None:
    """`utcheckning [svar]`: the person answers the meeting's check-out question."""
    await _answer(turn, args, CHECKOUT)


async def _delete(turn: Turn, kind: str) -> None:
    meeting = await checkin_meeting(turn.store, turn.team.key, turn.now)
    if meeting is None:
        await turn.say_key("records.checkin_no_meeting", **kind_params(kind, turn.locale))
        return
    await turn.say(await delete_checkin(turn.store, turn.team.key, meeting, turn.member, kind, turn.tz, turn.locale))


async def checkin_delete(turn: Turn, args: str) -> None:
    """`radera incheckning`: the person's own check-in answer is removed."""
    await _delete(turn, CHECKIN)


async def checkout_delete(turn: Turn, args: str) -> None:
    """`radera utcheckning`: the person's own check-out answer is removed."""
    await _delete(turn, CHECKOUT)


async def answers_overview(turn: Turn, meeting: Meeting, kind: str) -> tuple[list[AnswerRow], list[tuple[str, list[str]]], int]:
    """(answers as card rows, [(municipality, names not answered)], number of members)."""
    overview = await checkin_overview(turn.store, turn.team.key, meeting.id, kind)
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
    meeting = await checkin_meeting(turn.store, turn.team.key, turn.now)
    params = kind_params(kind, turn.locale)
    if meeting is None:
        await turn.say_key("records.checkin_no_meeting", **params)
        return
    rows, missing, total = await answers_overview(turn, meeting, kind)
    when = meeting_date(meeting, turn.tz, turn.locale)
    cards = checkins_cards(
        title=turn.t("records.checkins_title", meeting=when, **params),
        question=await question_for(turn.store, meeting, kind, turn.locale),
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
    args = turn.command_args(args)
    meeting = await checkin_meeting(turn.store, turn.team.key, turn.now)
    params = kind_params(kind, turn.locale)
    if meeting is None:
        await turn.say_key("records.checkin_no_meeting", **params)
        return
    when = meeting_date(meeting, turn.tz, turn.locale)
    text = " ".join(args.split())  # a question is one line wherever it is shown
    if not text:
        source = "records.question_source_custom" if question_is_custom(meeting, kind) else "records.question_source_default"
        question = await question_for(turn.store, meeting, kind, turn.locale)
        await turn.say_key("records.question_current", meeting=when, question=escape(question), source=turn.t(source), **params)
        return
    if not turn.has_role(*roles.LEAD_ROLES):
        await turn.deny(roles.LEAD_ROLES)
        return
    if limits.too_long(text, QUESTION_LIMIT):
        await turn.say_key("records.question_too_long", length=limits.length(text), limit=QUESTION_LIMIT, **params)
        return
    reset = " ".join(fold(text).split()) in _RESET_WORDS
    own = None if reset else text
    now = turn.now

    def with_question(stored: Meeting) -> Meeting:
        # Only this question changes, on the meeting as stored: the other question, a move or
        # a cancellation made meanwhile (another turn, another instance) is kept.
        if kind == CHECKIN:
            return replace(stored, checkin_question=own, updated_at=now)
        return replace(stored, checkout_question=own, updated_at=now)

    try:
        changed = await turn.store.meetings.change(turn.team.key, meeting.id, with_question)
    except MeetingNotFound:
        await turn.say_key("records.checkin_no_meeting", **params)
        return
    assert changed is not None  # only a draft's question makes it None
    updated = changed[1]
    await turn.services.changes.publish("meeting", turn.team.key, meeting.id)
    question = await question_for(turn.store, updated, kind, turn.locale)
    if reset:
        reply = turn.t("records.question_reset", meeting=when, question=escape(question), **params)
    else:
        reply = turn.t("records.question_set", meeting=when, question=escape(question), **params)
    answered = len(await turn.store.checkins.answers(turn.team.key, meeting.id, kind))
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
    kind = CHECKOUT if data.get("kind") == CHECKOUT else CHECKIN
    params = kind_params(kind, turn.locale)
    answer = data.get("answer")
    if not isinstance(answer, str) or not answer.strip():
        return CardReply(message=turn.t("records.card_answer_empty"))
    if limits.too_long(answer, limits.CHECKIN_ANSWER):
        return CardReply(message=turn.t("records.checkin_too_long", length=limits.length(answer), max=limits.CHECKIN_ANSWER))
    meeting_id = data.get("meeting_id")
    if isinstance(meeting_id, str) and meeting_id:
        meeting = await turn.store.meetings.get(turn.team.key, meeting_id)
    else:
        meeting = await checkin_meeting(turn.store, turn.team.key, turn.now)
    if meeting is None or meeting.cancelled:
        return CardReply(message=turn.t("records.meeting_gone"))
    stored, previous = await _save(turn, meeting, kind, answer)
    key = "records.card_checkin_replaced" if previous else "records.card_checkin_saved"
    return CardReply(message=turn.t(key, answer=short(stored.answer), **params))


def dialogs(services: Services) -> list[Dialog]:
    return [CheckinDialog()]


COMMANDS = {
    "checkin": checkin,
    "checkout": checkout,
    "checkins": checkins,
    "checkouts": checkouts,
    "checkin_question": checkin_question,
    "checkout_question": checkout_question,
    "checkin_delete": checkin_delete,
    "checkout_delete": checkout_delete,
}
CARD_ACTIONS = {
    ACTION_CHECKIN: checkin_card_answer,
}
