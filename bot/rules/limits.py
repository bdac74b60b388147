"""How long each kind of record may be.

Every record is shown again on cards that everyone shares (`uppgifter`, `beslutslogg`, the
minutes, the reminders), and Teams refuses a card over about 28 KB of JSON. One record of 30 KB
(or 2,500 emoji, 12 bytes each once escaped) would break those cards for the whole network, so
each kind has a limit, checked where the record is created or changed, with an answer that says
the limit and what to do. Cards still shorten what was stored before the limits (bot/cards).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from bot.messages import t
from bot.text import wire_size

CHECKIN_ANSWER = 2000  # a check-in or check-out answer
ACTION_TITLE = 300  # what an action item is about
DECISION_TEXT = 2000  # a decision's wording
AGENDA_ITEM = 200  # an agenda item's heading
MINUTES_NOTE = 4000  # one note field on the minutes card
# All note fields together: the secretary's card carries them in its inputs, which are never cut.
MINUTES_NOTES = 8000
PLACE = 200  # where a meeting is held
QUESTION = 300  # a check-in or check-out question

# A character costs one to six bytes of escaped JSON ("\u00e5"); an emoji costs twelve (two
# escapes). Counting an emoji as two characters keeps any text within ``limit * 6`` bytes.
_BYTES_PER_CHAR = 6


def length(text: str) -> int:
    """The length a limit is measured in: characters, an emoji counting as two."""
    return max(len(text), math.ceil(wire_size(text) / _BYTES_PER_CHAR))


def too_long(text: str, limit: int) -> bool:
    return length(text) > limit


def meeting_problem(location: str | None, topics: Iterable[str], locale: str) -> str | None:
    """What to say when a meeting's place or one of its topics is over its limit; None if all fit."""
    if location and too_long(location, PLACE):
        return t("meetings.place_too_long", locale, length=length(location), max=PLACE)
    for topic in topics:
        if too_long(topic, AGENDA_ITEM):
            return t("meetings.item_too_long", locale, length=length(topic), max=AGENDA_ITEM)
    return None
