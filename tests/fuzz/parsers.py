"""Every parser of text people type, as ``name -> (call, what it may return)``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from bot.dates import DateQuestion, When, parse_time, parse_when, split_when
from bot.reminders import syntax
from bot.routing import Command, clean_text, parse_command
from bot.rules import intents, municipalities, search
from bot.rules.action_items import ActionDraft, Due, ParseContext, parse_action_text, parse_due
from bot.rules.decisions import split_agenda_item
from bot.teams.mentions import read_mentions
from bot.text import parse_number
from storage.teams_repo import Member

# A fixed day (a Monday); the fuzz varies it where a parser takes one.
TODAY = date(2026, 11, 23)
STOCKHOLM = ZoneInfo("Europe/Stockholm")
MEMBERS = [
    Member("aad-anna", "29:aad-anna", "Anna Gustafsson", "aad-anna", "Götene"),
    Member("aad-annam", "29:aad-annam", "Anna Malmeling Marklund", "aad-annam", "Hjo"),
    Member("aad-peter", "29:aad-peter", "Peter Stark", "aad-peter", "Skövde"),
]
KNOWN = municipalities.municipalities()


def context(today: date = TODAY) -> ParseContext:
    return ParseContext(members=MEMBERS, mentions=[], me=MEMBERS[2], today=today, tz=STOCKHOLM)


def _is(*types: type) -> Callable[[Any], bool]:
    return lambda value: isinstance(value, types)


def _pair(first: type) -> Callable[[Any], bool]:
    return lambda v: isinstance(v, tuple) and len(v) == 2 and (v[0] is None or isinstance(v[0], first)) and isinstance(v[1], str)


# name -> (parse(text, today), is_valid_result)
PARSERS: dict[str, tuple[Callable[[str, date], Any], Callable[[Any], bool]]] = {
    "routing.parse_command": (lambda s, d: parse_command(s), lambda v: v is None or isinstance(v, Command)),
    "routing.clean_text": (lambda s, d: clean_text(s), _is(str)),
    "dates.parse_when": (lambda s, d: parse_when(s, d), _is(When, DateQuestion)),
    "dates.split_when": (lambda s, d: split_when(s, d),
                         lambda v: len(v) == 3 and (v[0] is None or isinstance(v[0], (When, DateQuestion)))),
    "dates.parse_time": (lambda s, d: parse_time(s), lambda v: isinstance(v, (tuple, DateQuestion))),
    "recording.parse_action_text": (lambda s, d: parse_action_text(s, context(d)), _is(ActionDraft)),
    "recording.parse_due": (lambda s, d: parse_due(s, context(d)), _is(Due, str)),
    "recording.parse_number": (lambda s, d: parse_number(s), _pair(int)),
    "recording.split_agenda_item": (lambda s, d: split_agenda_item(s), _pair(int)),
    "reminders.syntax.parse": (lambda s, d: syntax.parse(s),
                               lambda v: v is None or isinstance(v, (syntax.Change, syntax.Problem))),
    "mentions.read_mentions": (lambda s, d: read_mentions(s, [], "28:skis-bot"),
                               lambda v: isinstance(v, tuple) and isinstance(v[0], str)),
    "municipalities.match": (lambda s, d: municipalities.match(s, KNOWN), lambda v: v is None or isinstance(v, str)),
    "municipalities.suggestions": (lambda s, d: municipalities.suggestions(s, KNOWN), _is(list)),
    "municipalities.split_names": (lambda s, d: municipalities.split_names(s), _is(list)),
    "search.matches": (lambda s, d: search.matches(s, "Mejla inbjudan till SKIS-gruppen 4 december"), _is(bool)),
    "intents.match": (lambda s, d: intents.match(s), lambda v: v is None or isinstance(v, intents.Intent)),
    "intents.suggest": (lambda s, d: intents.suggest(s), _is(list)),
}
