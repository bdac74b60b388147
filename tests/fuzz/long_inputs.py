"""Long adversarial inputs: each parser timed on repetitions up to Teams' message size."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from tests.fuzz.figures import TEAMS_MESSAGE_CHARS
from tests.fuzz.parsers import TODAY

# Repeated units that make a parser try many positions or many candidates.
FAMILIES = {
    "till": "till ",
    "uppgift till": "uppgift till ",
    "dates": "4 december ",
    "digits": "12 ",
    "times": "kl 9-15 ",
    "mentions": "<at>Anna</at> ",
    "mixed": "till 4 dec kl 9 @Anna ",
    "entities": "&amp;&#x1F600;",
    "letters": "a",
    # A long run of white space between two words (found by the fuzz: a separator pattern that
    # starts with \s* tries every position of the run).
    "spaces": " ",
    "tabs and newlines": "\t\n",
}
SIZES = (1_000, 2_000, 4_000, 8_000, 16_000, TEAMS_MESSAGE_CHARS)
# A probe slower than this is not grown further: the next size would only take longer.
GIVE_UP_SECONDS = 0.5


def text_of(family: str, chars: int) -> str:
    """``chars`` characters: a command word, the family's unit repeated, and a last word (so
    that a parser which strips the ends still sees the repetition)."""
    unit = FAMILIES[family]
    return ("uppgift " + unit * (chars // len(unit) + 1))[: chars - 1] + "x"


def _ms(parse: Callable[[str, Any], Any], text: str) -> float:
    # CPU time of this thread: what the parse costs, not how busy the machine's other users are.
    started = time.thread_time()
    parse(text, TODAY)
    return (time.thread_time() - started) * 1000


_PROBED: dict[str, dict[str, Any]] = {}


def probe(name: str, parse: Callable[[str, Any], Any]) -> dict[str, Any]:
    """The slowest (ms, characters, family) over every family, each grown up to 28 KB until it
    takes longer than GIVE_UP_SECONDS; ``safe_chars`` is the longest size no family got there.

    A case that takes a noticeable time is timed three times and counted by its best, so that
    a busy machine does not make a parser look slow.
    """
    if name in _PROBED:
        return _PROBED[name]
    worst = {"ms": 0.0, "chars": 0, "family": ""}
    safe = SIZES[-1]
    for family in FAMILIES:
        for chars in SIZES:
            text = text_of(family, chars)
            ms = _ms(parse, text)
            if 5 < ms <= GIVE_UP_SECONDS * 1000:
                ms = min(ms, _ms(parse, text), _ms(parse, text))
            if ms > worst["ms"]:
                worst = {"ms": ms, "chars": chars, "family": family}
            if ms > GIVE_UP_SECONDS * 1000:
                safe = min(safe, max((s for s in SIZES if s < chars), default=SIZES[0] // 4))
                break
    _PROBED[name] = {**worst, "safe_chars": safe}
    return _PROBED[name]
