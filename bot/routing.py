"""Every command and card action the bot understands, in one place.

Matching is pure: ``parse_command(text)`` and ``card_action(activity)`` look only at their
input, so they are tested as tables. What each command *does* lives in the feature modules
(``bot/features/``), which bind handlers to the command ids declared here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.text import fold

# Command ids -> the words people type (Swedish first, a few English aliases).
COMMANDS: dict[str, tuple[str, ...]] = {
    "help": ("hjälp", "help", "?", "kommandon", "commands"),
    "cancel": ("avbryt", "cancel"),
    # Meetings, agenda, attendance, members
    "meetings": ("möten", "meetings"),
    "past_meetings": ("tidigare möten", "gamla möten"),
    "new_meeting": ("nytt möte", "new meeting"),
    "move_meeting": ("flytta möte", "ändra möte"),
    "cancel_meeting": ("ställ in möte", "avboka möte", "inställt möte"),
    "agenda": ("dagordning", "agenda"),
    "agenda_item": ("punkt", "föreslå punkt"),
    "agenda_move": ("flytta punkt",),
    "agenda_edit": ("ändra punkt",),
    "agenda_remove": ("ta bort punkt",),
    "attend_yes": ("kommer", "jag kommer"),
    "attend_no": ("kommer inte", "jag kommer inte"),
    "substitute": ("ersättare",),
    "present": ("närvarande",),
    "municipality": ("kommun",),
    "members": ("medlemmar", "members"),
    "role": ("roll",),
    # Check-ins, action items, decisions
    "checkin": ("incheckning", "checkin", "check-in"),
    "checkins": ("incheckningar",),
    "checkin_question": ("incheckningsfråga",),
    "checkin_delete": ("radera incheckning", "ta bort incheckning"),
    "checkout": ("utcheckning",),
    "checkouts": ("utcheckningar",),
    "checkout_question": ("utcheckningsfråga",),
    "checkout_delete": ("radera utcheckning", "ta bort utcheckning"),
    "action_item": ("uppgift", "uppdrag"),
    "action_items": ("uppgifter", "alla uppgifter"),
    "my_action_items": ("mina uppgifter",),
    "action_done": ("klar",),
    "action_reopen": ("ångra",),
    "action_edit": ("ändra uppgift",),
    "action_assign": ("tilldela",),
    "decision": ("beslut",),
    "decision_log": ("beslutslogg", "beslutlogg"),
    "decision_edit": ("ändra beslut", "rätta beslut"),
    # Minutes
    "minutes": ("protokoll", "minnesanteckningar"),
    "import_minutes": ("importera",),
    # Reminders
    "reminders": ("påminnelser",),
    # The region's lists and the yearly report (bot/features/publishing.py)
    "roster": ("medlemslista", "medlemsförteckning"),
    "yearly_report": ("årsrapport", "årsredovisning"),
    # Personal data
    "my_data": ("mina data", "mina uppgifter om mig"),
    "delete_my_answers": ("radera mina svar",),
    # The network's language (bot/features/language.py)
    "language": ("språk", "language"),
    # Which network a 1:1 chat works on (bot/features/networks.py)
    "networks": ("nätverk", "networks"),
}

# Card submit verbs: every card button carries {"action": <verb>, ...}.
ACTION_HELP = "help"
ACTION_ATTEND_YES = "attend_yes"
ACTION_ATTEND_NO = "attend_no"
ACTION_CHECKIN = "checkin_answer"
ACTION_ACTION_ITEM_FORM = "action_item_form"
ACTION_ACTION_DONE = "action_done"
ACTION_ACTION_ITEMS_PAGE = "action_items_page"
ACTION_MINUTES_SAVE = "minutes_save"
ACTION_MINUTES_APPROVE = "minutes_approve"
ACTION_MINUTES_REQUEST_CHANGE = "minutes_request_change"
ACTION_MINUTES_REFRESH = "minutes_refresh"
ACTION_MINUTES_CORRECT = "minutes_correct"
ACTION_MINUTES_COSIGN = "minutes_cosign"
ACTION_MEETING_CONFIRM = "meeting_confirm"
ACTION_MEETING_ABORT = "meeting_abort"
ACTION_IMPORT_CONFIRM = "import_confirm"

CARD_ACTIONS: frozenset[str] = frozenset(
    {
        ACTION_HELP,
        ACTION_ATTEND_YES,
        ACTION_ATTEND_NO,
        ACTION_CHECKIN,
        ACTION_ACTION_ITEM_FORM,
        ACTION_ACTION_DONE,
        ACTION_ACTION_ITEMS_PAGE,
        ACTION_MINUTES_SAVE,
        ACTION_MINUTES_APPROVE,
        ACTION_MINUTES_REQUEST_CHANGE,
        ACTION_MINUTES_REFRESH,
        ACTION_MINUTES_CORRECT,
        ACTION_MINUTES_COSIGN,
        ACTION_MEETING_CONFIRM,
        ACTION_MEETING_ABORT,
        ACTION_IMPORT_CONFIRM,
    }
)


@dataclass(frozen=True)
class Command:
    name: str
    args: str


@dataclass(frozen=True)
class CardAction:
    verb: str
    data: dict[str, Any]


def _words(text: str) -> list[str]:
    return text.split()


# (folded words, command id), longest first so "kommer inte" wins over "kommer".
_TABLE: list[tuple[tuple[str, ...], str]] = sorted(
    ((tuple(fold(w) for w in _words(phrase)), name) for name, phrases in COMMANDS.items() for phrase in phrases),
    key=lambda entry: -len(entry[0]),
)

_LONGEST = max(len(phrase) for phrase, _name in _TABLE)

_LEADING_PUNCT = re.compile(r"^[\s/!:,.\-–]+")


def clean_text(text: str | None) -> str:
    """The user's words without leading slashes or surrounding blanks.

    ``text`` is already plain: the edge (bot/teams/mentions.read_activity) has turned Teams' HTML,
    entities, mentions and odd spaces into what the person wrote.
    """
    if not text:
        return ""
    return _LEADING_PUNCT.sub("", text).strip()


def parse_command(text: str | None) -> Command | None:
    """Which command ``text`` starts with, and the rest of it as arguments; None if none."""
    cleaned = clean_text(text)
    if not cleaned:
        return None
    # Keep the original spelling of the arguments: split on the first N words of the raw text.
    # Only the first words can name a command: fold just those, however long the message.
    words = cleaned.split(maxsplit=_LONGEST)[:_LONGEST]
    folded = [fold(w).rstrip(":,.!") for w in words]
    for phrase, name in _TABLE:
        n = len(phrase)
        if tuple(folded[:n]) == phrase:
            return Command(name, _rest_after_words(cleaned, n))
        # "?" alone, "hjälp?" and "hjälp!" are still help
        if n == 1 and folded and folded[0].rstrip("?") == phrase[0] and len(words) == 1:
            return Command(name, "")
    return None


def _rest_after_words(text: str, n: int) -> str:
    match = re.match(r"\s*(?:\S+\s*){" + str(n) + "}", text)
    rest = text[match.end():] if match else ""
    return rest.lstrip(":,. ").strip() if rest.startswith((":", ",")) else rest.strip()


def card_action(value: Any) -> CardAction | None:
    """The card verb and data from a submit's ``activity.value`` or an invoke's ``value``.

    Action.Submit sends ``{"action": verb, ...}``; Action.Execute (invoke ``adaptiveCard/action``)
    sends ``{"action": {"type": "Action.Execute", "verb": verb, "data": {...}}, "trigger": ...}``.
    """
    if not isinstance(value, dict):
        return None
    inner = value.get("action")
    if isinstance(inner, dict):  # Action.Execute
        raw = inner.get("data")
        data = raw if isinstance(raw, dict) else {}
        verb = inner.get("verb") or data.get("action")
    else:
        data = value
        verb = inner
    if not isinstance(verb, str) or verb not in CARD_ACTIONS:
        return None
    return CardAction(verb, {k: v for k, v in data.items() if k != "action"})


def card_number(data: dict[str, Any], name: str) -> int | None:
    """The whole number a card's data holds under ``name``; None when it is missing or garbled
    (card data is whatever the client sent, so a forged value is treated as none)."""
    value = data.get(name)
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        return None
