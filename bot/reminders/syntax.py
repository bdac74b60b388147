"""What people type after `påminnelser`: pure parsing, tested as a table.

    påminnelser                                   show the settings
    påminnelser av | på                           all reminders off / on
    påminnelser <namn> av | på                    one kind off / on
    påminnelser <namn> 6 dagar före kl 10         when one kind is sent (days and/or time)
    påminnelser protokoll 3 dagar efter kl 9      the minutes reminder counts days after the meeting

Names: kallelse (the channel reminder a week before), kanal (the channel reminder the day
before), presidiet (the digest), uppgifter (action items), protokoll (the secretary's reminder).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import time

from bot.dates import DateQuestion, parse_time
from bot.routing import fold
from storage.reminders_repo import ACTIONS, DIGEST, MEETING_DAY, MEETING_WEEK, MINUTES, ROSTER

MAX_DAYS = 28

NAMES: dict[str, tuple[str, ...]] = {
    MEETING_WEEK: ("kallelse", "kallelsen", "kallelser", "vecka", "veckan", "veckopaminnelse", "veckopaminnelsen"),
    MEETING_DAY: ("kanal", "kanalen", "dagen-fore", "dagenfore", "sista"),
    DIGEST: ("presidiet", "presidium", "presidie", "sammanfattning", "sammanfattningen", "digest"),
    ACTIONS: ("uppgifter", "uppgift", "uppgiften", "uppdrag", "uppdragen"),
    MINUTES: ("protokoll", "protokollet", "sekreterare", "sekreteraren", "minnesanteckningar"),
    ROSTER: ("medlemslista", "medlemslistan", "regionen"),
}
_BY_WORD = {word: kind for kind, words in NAMES.items() for word in words}

_ON = {"pa", "igang", "ja", "on", "aktivera"}
_OFF = {"av", "avstangd", "avstangda", "stangd", "nej", "off", "inaktivera"}
_VERBS = {"stang", "sla", "satt", "stall"}
_NUMBER_WORDS = {
    "en": 1, "ett": 1, "tva": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7, "atta": 8, "nio": 9,
    "tio": 10, "elva": 11, "tolv": 12, "fjorton": 14,
}
_FILLER = {"mote", "motet", "moten", "skickas", "skicka", "till", "pa", "om", "dag", "dagar", "och"}

_NUM = r"(\d{1,3}|" + "|".join(_NUMBER_WORDS) + r")"
_DAYS = re.compile(_NUM + r"\s*(dagar|dag|d)\b")
_WEEKS = re.compile(_NUM + r"\s*(veckor|vecka)\b")
_SAME_DAY = re.compile(r"\bsamma\s+dag\b")
_DAY_BEFORE = re.compile(r"\bdagen\s+(?=fore|innan|efter)")
_WEEK_BEFORE = re.compile(r"\bveckan\s+(?=fore|innan)")
_TIME_AFTER_KL = re.compile(r"\b(?:klockan|kl)\b\.?\s*(\S+)")
_BARE_TIME = re.compile(r"(?<![\w.:])(\d{1,2}[.:]\d{2})(?![\w.:])")
_DIRECTION = re.compile(r"\b(fore|innan|efter)\b")


@dataclass(frozen=True)
class Change:
    """A settings change: ``kind`` None means every reminder (only with ``enabled``)."""

    kind: str | None
    enabled: bool | None = None
    days: int | None = None
    at: time | None = None


@dataclass(frozen=True)
class Problem:
    """What to answer instead: a message key and its parameters."""

    key: str
    params: dict[str, object] = field(default_factory=dict)


def parse(args: str) -> Change | Problem | None:
    """``None`` means "show the settings"."""
    text = " ".join(fold(args).replace(",", " ").split()).strip(" .!?")
    if not text:
        return None
    words = text.split()
    kind = _BY_WORD.get(words[0])
    rest_words = words[1:] if kind else words
    rest = " ".join(rest_words)
    if not rest:
        return None if kind else Problem("reminders.not_understood", {"text": args.strip()})

    switch = [w for w in rest_words if w not in _VERBS]
    if len(switch) == 1 and (switch[0] in _ON or switch[0] in _OFF):
        return Change(kind, enabled=switch[0] in _ON)

    days, at, direction, leftover = _when(rest)
    if isinstance(at, Problem):
        return at
    if (days is None and at is None) or any(w not in _FILLER for w in leftover.split()):
        return Problem("reminders.not_understood", {"text": args.strip()})
    if kind is None:
        return Problem("reminders.ask_which", {"example": _example(days, at, direction)})
    after = kind == MINUTES
    if direction is not None and direction != after:
        return Problem("reminders.only_after" if after else "reminders.only_before", {"kind": kind})
    if days is not None and not 0 <= days <= MAX_DAYS:
        return Problem("reminders.bad_days", {"kind": kind, "max": MAX_DAYS})
    return Change(kind, days=days, at=at)


def _when(text: str) -> tuple[int | None, time | Problem | None, bool | None, str]:
    """(days, time, after?, what was not understood) from the text after the name."""
    days: int | None = None
    at: time | Problem | None = None

    found = _TIME_AFTER_KL.search(text)
    if found:
        at = _time(found.group(1))
        text = text[: found.start()] + " " + text[found.end():]
    else:
        bare = _BARE_TIME.search(text)
        if bare:
            at = _time(bare.group(1))
            text = text[: bare.start()] + " " + text[bare.end():]

    for pattern, value in ((_SAME_DAY, lambda _m: 0), (_DAY_BEFORE, lambda _m: 1), (_WEEK_BEFORE, lambda _m: 7),
                           (_WEEKS, lambda m: 7 * _number(m.group(1))), (_DAYS, lambda m: _number(m.group(1)))):
        match = pattern.search(text)
        if match and days is None:
            days = value(match)
            text = text[: match.start()] + " " + text[match.end():]

    direction: bool | None = None
    found_direction = _DIRECTION.search(text)
    if found_direction:
        direction = found_direction.group(1) == "efter"
        text = _DIRECTION.sub(" ", text)
    return days, at, direction, " ".join(text.split())


def _number(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBER_WORDS[word]


def _time(token: str) -> time | Problem:
    parsed = parse_time(token.rstrip("."))
    if isinstance(parsed, DateQuestion):
        return Problem("reminders.bad_time", {"text": token})
    start, end = parsed
    if end is not None:
        return Problem("reminders.bad_time", {"text": token})
    return start


def _example(days: int | None, at: time | None, direction: bool | None) -> str:
    parts = []
    if days is not None:
        parts.append(f"{days} {'dag' if days == 1 else 'dagar'} {'efter' if direction else 'före'}")
    if at is not None:
        parts.append(f"kl {at.hour}" + (f".{at.minute:02d}" if at.minute else ""))
    return " ".join(parts)
