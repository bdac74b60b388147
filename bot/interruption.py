"""Whether a message typed at an open question is a new command or the answer to the question.

Bot Framework's CancelAndHelpDialog pattern: a command typed while the bot waits for an answer
interrupts the question (``hjälp`` shows help and keeps it open; any other command ends it and
runs). But answers are free text, and some begin with a command word: "kommer att läsa mer" is a
check-in answer, "klar med rapporten" too. So a message counts as a command only when its form is
one: the command words alone, a command word followed by ":" or ",", arguments the command plainly
takes (a number after ``klar``, a date or "tyvärr inte" after ``kommer``), or a command whose words
do not begin a Swedish sentence (``nytt möte …``, ``uppgift …``, ``punkt …``).
"""

from __future__ import annotations

import re
from datetime import date
from zoneinfo import ZoneInfo

from bot.dates import When, split_when
from bot.reminders.syntax import Change
from bot.reminders.syntax import parse as reminder_settings
from bot.routing import Command
from bot.rules.attendance import attend_yes_meaning

# The command each dialog was started by: typed again at its own question, it carries the answer
# ("incheckning Jag läser mer" at the check-in question), so that dialog reads it.
OWN_COMMANDS: dict[str, frozenset[str]] = {
    "records.checkin": frozenset({"checkin", "checkout", "checkin_delete", "checkout_delete"}),
    "records.action_item": frozenset({"action_item"}),
    "records.decision": frozenset({"decision"}),
    "new_meeting": frozenset({"new_meeting"}),
}

# Commands whose words do not begin an ordinary sentence: with anything after them, still commands.
_NEVER_PROSE = frozenset(
    {
        "past_meetings", "new_meeting", "move_meeting", "cancel_meeting", "agenda", "agenda_item", "agenda_move",
        "agenda_edit", "agenda_remove", "substitute", "present", "municipality", "role", "checkin", "checkins",
        "checkin_question", "checkin_delete", "checkout", "checkouts", "checkout_question", "checkout_delete",
        "action_item", "action_edit", "action_assign", "decision_log", "decision_edit", "my_data",
        "delete_my_answers",
    }
)
# Commands that take a record number: a number after them is the command, words are an answer.
_NUMBERED = frozenset({"action_done", "action_reopen"})
_NUMBER = re.compile(r"(?:#|nr\.?\s*)?\d+\b", re.IGNORECASE)
# Lists that take a page: "uppgifter sida 2" is the command, "uppgifter om elevhälsan …" an answer.
_PAGED = frozenset({"action_items", "my_action_items"})
_PAGE = re.compile(r"sida\s+\d+$", re.IGNORECASE)
_SEPARATOR = (":", ",", "-", "–")


def is_own_command(dialog_id: str, command: Command) -> bool:
    """Whether the dialog reads ``command`` itself: its own command, or a form its answers take
    ("punkt 2: Vi bjuder in …" names the agenda item of a decision)."""
    if dialog_id == "records.decision" and command.name == "agenda_item" and command.args[:1].isdigit():
        return True
    return command.name in OWN_COMMANDS.get(dialog_id, frozenset())


def interrupts(command: Command, text: str, today: date, tz: ZoneInfo) -> bool:
    """Whether ``text`` (plain, read as ``command``) is that command rather than an answer."""
    args = command.args.strip()
    if not args:
        return True
    head = text[: text.rfind(args)] if args in text else text
    if head.rstrip().endswith(_SEPARATOR):
        return True  # "beslut: …", "kommer inte, krockar med nämnden"
    if command.name in _NEVER_PROSE:
        return True
    if command.name in _NUMBERED:
        return bool(_NUMBER.match(args))
    if command.name in _PAGED:
        return bool(_PAGE.match(args))
    if command.name == "reminders":
        # Its settings have a grammar of their own: "påminnelser kanal dagen före" is one,
        # "påminnelser till rektorerna har jag skickat" is not.
        return isinstance(reminder_settings(args), Change)
    if command.name in ("attend_yes", "attend_no", "minutes"):
        when, before, after = split_when(args, today, tz)
        if isinstance(when, When) and not before:
            args = after.strip(" ,.:")  # "kommer 4 december", "protokoll 4 december"
            if command.name != "attend_yes" or not args:
                return True
        if command.name == "attend_yes":
            return attend_yes_meaning(args) is not None
    return False
