"""Feature: who comes to a meeting, and who was there.

Commands (exact words in bot/routing.py; the user guide is docs/commands.md):

- `kommer`, `kommer inte`, `ersättare <namn>` for the next (or ongoing) meeting, or one named by
  its date; card buttons ``attend_yes``/``attend_no`` with ``{"meeting_id": ...}`` do the same.
- `närvarande` shows answers and presence; `närvarande @Namn …` (secretary, chair or presidium)
  records who was there, `närvarande ta bort …` takes names off.
"""

from __future__ import annotations

import re
from typing import Any

from bot.cards import meetings as cards
from bot.dates import When, split_when
from bot.features.intents import absence as propose_absence
from bot.features.meetings import (
    current_meeting,
    meeting_when,
    split_selector,
)
from bot.features.people import MAX_PEOPLE, TooManyNames, match_name, resolve_people
from bot.formatting import first_name
from bot.roles import PRESENCE_ROLES
from bot.routing import ACTION_ATTEND_NO, ACTION_ATTEND_YES
from bot.rules import intents
from bot.rules import meetings as meeting_ops
from bot.rules import municipalities as mun
from bot.rules.attendance import attend_yes_meaning
from bot.teams import install
from bot.turn import CardReply, Turn
from storage.attendance_repo import NO, SUBSTITUTE, YES, AttendanceAnswer, Presence, guest_key
from storage.meetings_repo import ONGOING_GRACE, Meeting
from storage.teams_repo import Member

# --- Answers: coming, not coming, a substitute ------------------------------------------------------------------------------------


async def _attend_meeting(turn: Turn, args: str) -> tuple[Meeting | None, str]:
    """The meeting an answer is for (one named by a date at the start of ``args``, else the current
    one) and the rest of ``args``; None after telling the person there is no such meeting."""
    when, before, after = split_when(args, turn.today, turn.tz) if args.strip() else (None, "", "")
    if isinstance(when, When) and not before:
        on_day = [
            m
            for m in await turn.store.meetings.on_date(turn.team.key, when.date, turn.tz)
            if m.effective_end + ONGOING_GRACE >= turn.now
        ]
        if not on_day:
            named = args[: len(args) - len(after)].strip(" ,.:")
            await turn.say_key("meetings.not_found", text=named)
            return None, after
        return on_day[0], after
    meeting = await current_meeting(turn)
    if meeting is None:
        await turn.say_key("meetings.no_upcoming")
    return meeting, args


async def record_attendance(
    turn: Turn, meeting: Meeting, answer: str, *, substitute: str | None = None, substitute_key: str | None = None, note: str | None = None
) -> str:
    """Store the person's answer for ``meeting`` and return the reply (what was stored, how to change it)."""
    previous = await turn.store.attendance.answer_of(turn.team.key, meeting.id, turn.member.key)
    await turn.store.attendance.answer(
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
    when, name = meeting_when(turn, meeting), first_name(turn.member.name)
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
        await turn.say_key("meetings.attend_unclear", text=shown, when=meeting_when(turn, meeting))
        return
    answer, note = meaning
    await turn.say(await record_attendance(turn, meeting, answer, note=note))


async def attend_no(turn: Turn, args: str) -> None:
    """`kommer inte`: the person says they will not come (anything after is kept as a note)."""
    guess = intents.match(turn.text or "")
    if guess is not None and guess.kind == intents.ABSENCE and guess.substitute:
        # "jag kommer inte på fredag, Anna kommer istället" names a substitute: saving only "not
        # coming", with Anna in a note, would lose what was meant. Ask with the exact command.
        await propose_absence(turn, guess)
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
    member: Member | None = None
    if turn.mentions:
        member = await install.ensure_member(turn.services, turn.team, turn.mentions[0])
    else:
        name = name.lstrip("@").strip()
        if not name:
            await turn.say_key("meetings.substitute_ask")
            return
        # A member written as a plain name is the same person as a mention: the same rule.
        hits = match_name(name, await turn.store.teams.members(turn.team.key))
        if len(hits) > 1:
            await turn.say_key("meetings.person_ambiguous", name=name, options=", ".join(m.name for m in hits))
            return
        member = hits[0] if hits else None
    sub_key = None
    if member is not None:
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
    meeting = await turn.store.meetings.get(turn.team.key, meeting_id) if isinstance(meeting_id, str) else None
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



# --- Presence ----------------------------------------------------------------------------------------


async def present(turn: Turn, args: str) -> None:
    """`närvarande`: shows answers and presence; with names, the secretary records who was there."""
    picked, rest, problem = await split_selector(turn, args)
    if problem:
        await turn.say(problem)
        return
    removing = False
    m = re.match(r"^(?:ta bort|bort|-)\s*", rest, re.IGNORECASE)
    if m and rest.strip():
        removing, rest = True, rest[m.end():]
    if not rest.strip() and not turn.mentions:
        meeting = picked or await current_meeting(turn) or await turn.store.meetings.latest_started(turn.team.key, turn.now)
        if meeting is None:
            await turn.say_key("meetings.no_upcoming")
            return
        await _show_attendance(turn, meeting)
        return
    if not turn.has_role(*PRESENCE_ROLES):
        await turn.deny(PRESENCE_ROLES)
        return
    meeting = picked or await turn.store.meetings.latest_started(turn.team.key, turn.now)
    if meeting is None:
        await turn.say_key("meetings.present_no_meeting")
        return
    try:
        people, guests, ambiguous = await resolve_people(turn, rest)
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
        recorded = {p.key for p in await repo.present(turn.team.key, meeting.id)}
        missing = [p.name for p in people if p.key not in recorded] + [name for name, _m in guests if guest_key(name) not in recorded]
        after = await repo.update_present(turn.team.key, meeting.id, remove=keys)
        if missing:
            notes.append(turn.t("meetings.present_not_found", names=", ".join(missing)))
    else:
        adds = [Presence(p.name, turn.member.key, turn.now, member_key=p.key, municipality=p.municipality) for p in people]
        adds += [Presence(name, turn.member.key, turn.now, municipality=place) for name, place in guests]
        after = await repo.update_present(turn.team.key, meeting.id, add=adds)
        if guests:
            notes.append(turn.t("meetings.present_guests", names=", ".join(name for name, _m in guests)))
    if ambiguous:
        notes.extend(turn.t("meetings.person_ambiguous", name=a.split(" (")[0], options=a.split(" (", 1)[1].rstrip(")")) for a in ambiguous)
    names = ", ".join(_with_municipality(p.name, p.municipality) for p in after) or "–"
    text = turn.t("meetings.present_saved", when=meeting_when(turn, meeting), count=len(after), names=names)
    await turn.say("\n\n".join([text, *notes]))


def _with_municipality(name: str, municipality: str | None) -> str:
    return f"{name} ({municipality})" if municipality else name


async def _show_attendance(turn: Turn, meeting: Meeting) -> None:
    repo = turn.store.attendance
    members = {m.key: m for m in await turn.store.teams.members(turn.team.key, active_only=False)}

    def municipality_of(key: str, fallback: str | None) -> str | None:
        member = members.get(key)
        return (member.municipality if member else None) or fallback

    answers = await repo.answers(turn.team.key, meeting.id)
    coming = [
        turn.t("meetings.attendance_substitute_line", name=a.member_name, substitute=a.substitute)
        if a.answer == SUBSTITUTE
        else _with_municipality(a.member_name, municipality_of(a.member_key, a.municipality))
        for a in answers
        if a.coming
    ]
    not_coming = [_with_municipality(a.member_name, municipality_of(a.member_key, a.municipality)) for a in answers if a.answer == NO]
    presence = await repo.present(turn.team.key, meeting.id)
    _here, missing = await mun.represented(turn.store, turn.team.key, meeting.id, settings=turn.services.settings)
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
        meeting_when(turn, meeting),
        sections,
        turn.locale,
        meeting_id=meeting.id if upcoming else None,
        hint=turn.t("meetings.attendance_hint"),
    )
    await turn.send_card(card, summary=turn.t("meetings.attendance_title"))


COMMANDS = {
    "attend_yes": attend_yes,
    "attend_no": attend_no,
    "substitute": substitute,
    "present": present,
}

CARD_ACTIONS = {
    ACTION_ATTEND_YES: attend_yes_button,
    ACTION_ATTEND_NO: attend_no_button,
}
