"""Everyday phrases: what the bot answers when a message is no command (see bot/rules/intents.py).

Not listed in ``bot.features.registry.FEATURES``: it binds no command of its own. The bot's fallback
(``SkisBot._not_understood``) calls ``answer`` before it says it did not understand.

Read-only intents run the handler the command runs (``hjälp``, ``möten``, ``dagordning``,
``närvarande``) or answer
from the member register. A guess that would change data is never acted on: the reply is the exact
command, for the meeting the words refer to, ready to type.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.dates import When, parse_when, split_when
from bot.features.meetings import meeting_when
from bot.formatting import first_name, format_date_short
from bot.roles import CHAIR, MEETING_ROLES, PRESIDIUM, roles_text
from bot.rules import intents
from bot.rules import meetings as meeting_ops
from bot.rules import municipalities as mun
from bot.rules.intents import Intent
from bot.turn import Turn
from storage.meetings_repo import Meeting

Handler = Callable[[Turn, str], Awaitable[None]]

# Read-only intents answered by running a command's own handler.
_SAME_AS_COMMAND = {
    intents.HELP: "help",
    intents.NEXT_MEETING: "meetings",
    intents.AGENDA: "agenda",
    intents.WHO_COMES: "present",
}


async def answer(turn: Turn, text: str, commands: dict[str, Handler]) -> bool:
    """Answer ``text`` as an everyday phrase or a near-miss command word; False if it is neither."""
    intent = intents.match(text)
    if intent is None:
        options = intents.suggest(text)
        if not options:
            return False
        shown = text if len(text) <= 60 else text[:57] + "…"
        joined = f" {turn.t('core.or')} ".join(f"**{o}**" for o in options)
        await turn.say_key("intents.suggest", text=shown, options=joined)
        return True
    command = _SAME_AS_COMMAND.get(intent.kind)
    if command is not None and command in commands:
        await commands[command](turn, "")
    elif intent.kind == intents.GREETING:
        name = first_name(turn.member.name)
        await turn.say(turn.t("intents.greeting", name=name) if name else turn.t("intents.greeting_nameless"))
    elif intent.kind == intents.THANKS:
        await turn.say_key("intents.thanks")
    elif intent.kind == intents.WHO_ROLE:
        await turn.say(await _role_holders(turn, intent.role or CHAIR))
    elif intent.kind == intents.MOVE_MEETING:
        await _move(turn, intent)
    elif intent.kind == intents.PLAN_MEETING:
        await turn.say(_with_role_note(turn, turn.t("intents.plan", command=f"nytt möte {intent.target}")))
    elif intent.kind == intents.ABSENCE:
        await absence(turn, intent)
    else:
        return False
    return True


# --- Who holds a role ------------------------------------------------------------------------------


async def _role_holders(turn: Turn, role: str) -> str:
    holders = [m for m in await turn.store.teams.members(turn.team.key) if role in m.roles]
    word = turn.t(f"intents.role_word.{role}")
    if not holders:
        text = turn.t("intents.role_none", role=word)
    else:
        names = _and_list(turn, [_name_and_place(m.name, m.municipality) for m in holders])
        if role == PRESIDIUM:
            text = turn.t("intents.role_presidium", names=names)
        else:
            text = turn.t("intents.role_holders", role=turn.t(f"intents.role_label.{role}"), names=names)
    return f"{text} {turn.t('intents.role_change', role=word)}"


def _name_and_place(name: str, municipality: str | None) -> str:
    places = mun.municipalities_of(municipality)
    return f"{name} ({', '.join(places)})" if places else name


def _and_list(turn: Turn, names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    return f"{', '.join(names[:-1])} {turn.t('intents.and')} {names[-1]}"


# --- Guesses that would change data ----------------------------------------------------------------


def _with_role_note(turn: Turn, text: str) -> str:
    if turn.has_role(*MEETING_ROLES):
        return text
    return f"{text} {turn.t('intents.needs_role', roles=roles_text(turn.locale, MEETING_ROLES))}"


def _day_words(turn: Turn, meeting: Meeting) -> str:
    """How to name the meeting in a command: "4 december", with the year only when it is needed."""
    day = meeting.starts_at.astimezone(turn.tz).date()
    full = format_date_short(day)  # "4 december 2026"
    short = full.rsplit(" ", 1)[0]
    read = parse_when(short, turn.today, turn.tz)
    return short if isinstance(read, When) and read.date == day else full


async def _meeting_selector(turn: Turn, meeting: Meeting) -> str:
    """The words that pick out exactly ``meeting`` in `flytta möte …`: its day, or its id when that
    day has more than one meeting."""
    day = meeting.starts_at.astimezone(turn.tz).date()
    if len(await turn.store.meetings.on_date(turn.team.key, day, turn.tz)) > 1:
        return meeting.id
    return _day_words(turn, meeting)


async def _named_meeting(turn: Turn, words: str) -> Meeting | None:
    """The coming meeting ``words`` refer to ("" or "nästa" = the next one), or None after saying why not."""
    if not words:
        meeting = await turn.store.meetings.current(turn.team.key, turn.now)
        if meeting is None:
            await turn.say_key("intents.no_meeting")
        return meeting
    when, _before, _after = split_when(words, turn.today, turn.tz)
    if isinstance(when, When):
        upcoming = {m.id for m in await turn.store.meetings.upcoming(turn.team.key, turn.now)}
        found = [m for m in await turn.store.meetings.on_date(turn.team.key, when.date, turn.tz) if m.id in upcoming]
        if found:
            return found[0]
        await turn.say_key("intents.meeting_not_found", text=format_date_short(when.date))
        return None
    if when is not None:  # a date that cannot be right ("31 juni"): the date reader's own question
        await turn.say(when.text(turn.locale))
        return None
    found_by_words = await meeting_ops.find_meetings(turn.store, turn.team.key, words, now=turn.now, tz=turn.tz)
    if isinstance(found_by_words, list) and found_by_words:
        return found_by_words[0]
    await turn.say_key("intents.meeting_not_found", text=words)
    return None


async def _move(turn: Turn, intent: Intent) -> None:
    meeting = await _named_meeting(turn, intent.meeting)
    if meeting is None:
        return
    when = meeting_when(turn, meeting)
    selector = await _meeting_selector(turn, meeting)
    if not intent.target:
        later = meeting.starts_at.astimezone(turn.tz).date()
        example = format_date_short(later.fromordinal(later.toordinal() + 7)).rsplit(" ", 1)[0]
        text = turn.t("intents.move_no_target", when=when, meeting=selector, example=example)
    else:
        text = turn.t("intents.move", command=f"flytta möte {selector} till {intent.target}", when=when)
    await turn.say(_with_role_note(turn, text))


async def absence(turn: Turn, intent: Intent) -> None:
    """Not coming (with someone else coming instead): the command to type, nothing saved."""
    meeting = await _named_meeting(turn, intent.meeting)
    if meeting is None:
        return
    when = meeting_when(turn, meeting)
    day = _day_words(turn, meeting)
    if intent.substitute:
        command = f"ersättare {day} {intent.substitute}"
        await turn.say_key("intents.substitute", command=command, substitute=intent.substitute, when=when)
    else:
        await turn.say_key("intents.absent", command=f"kommer inte {day}", when=when)
