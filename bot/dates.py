"""Reads the dates and times people type ("fredag 4 december kl 9-12", "19/6", "om två veckor").

A small grammar finds where a date expression starts and ends; python-dateutil, with a Swedish
``parserinfo`` whose names come from Babel's CLDR data, turns the day and month into a date.
What dateutil gets wrong for Swedish input is handled before it is asked:

- ISO dates (``2026-12-04``) are read first: dateutil with ``dayfirst`` makes that 12 April.
- ``14.30`` is a time, never a year; a bare number is never a time unless ``kl`` is in front
  of it or it is part of a range (``9-15``); ``kl 9`` is never the 9th of the month.
- No fuzzy parsing: a number only becomes part of a date when it sits next to a month name,
  a slash date or a weekday, so "punkt 3" and "SKIS-gruppen 2" stay text.

Anything doubtful (a weekday that does not match the date, 31 juni, a range that ends before it
starts, a clock time that does not exist because of daylight saving) becomes a ``DateQuestion``
for the user instead of a guess.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from babel import Locale
from dateutil import parser as du_parser

from bot import formatting
from bot.messages import t as message

STOCKHOLM = ZoneInfo("Europe/Stockholm")

# How far ahead a year-less date may land (29 februari needs up to 8 years).
_YEARS_AHEAD = 9

# Where a date is looked for inside a longer text, and how long one date expression can be
# ("fredagen den 4 december 2026 kl. 09.00 till kl. 12.00" is about 55 characters).
_SCAN_LIMIT = 2000
_EXPRESSION_ROOM = 200


@dataclass(frozen=True)
class When:
    """A calendar date with an optional local start and end time."""

    date: date
    start: time | None = None  # None when no time was given
    end: time | None = None

    def __post_init__(self) -> None:
        if self.end is not None and self.start is None:
            raise ValueError("When.end needs a start")

    def start_at(self, tz: ZoneInfo) -> datetime | None:
        """The start as an aware datetime in ``tz`` (None without a time)."""
        return None if self.start is None else _aware(self.date, self.start, tz)

    def end_at(self, tz: ZoneInfo) -> datetime | None:
        """The end as an aware datetime in ``tz`` (None without an end time)."""
        return None if self.end is None else _aware(self.date, self.end, tz)


@dataclass(frozen=True)
class DateQuestion:
    """What to ask the user when their date could not be read safely."""

    key: str
    params: dict[str, str] = field(default_factory=dict)

    def text(self, locale: str = "sv") -> str:
        """The question in the user's language."""
        return message(self.key, locale, **self.params)


def _aware(d: date, t: time, tz: ZoneInfo) -> datetime:
    # Round-trip through UTC so a wall time skipped by DST comes back as a real instant.
    # Repeated times (autumn) keep fold=0: the first, summer-time occurrence.
    return datetime.combine(d, t.replace(tzinfo=None), tzinfo=tz).astimezone(UTC).astimezone(tz)


def _exists(d: date, t: time, tz: ZoneInfo) -> bool:
    wall = datetime.combine(d, t)
    return _aware(d, t, tz).replace(tzinfo=None) == wall


# --- vocabulary ---------------------------------------------------------------------------------

_SV = Locale.parse("sv")
_EN = Locale.parse("en")


def _names(width_table: object) -> dict[int, str]:
    return {int(k): str(v).lower().rstrip(".") for k, v in dict(width_table.items()).items()}  # type: ignore[attr-defined]


def _build_months() -> dict[str, int]:
    months: dict[str, int] = {}
    for loc in (_SV, _EN):
        for width in ("wide", "abbreviated"):
            for number, name in _names(loc.months["format"][width]).items():
                months[name] = number
    # People shorten freely ("sept", "dec", "okt"): any start of a Swedish month name of 3+ letters.
    for number, name in _names(_SV.months["format"]["wide"]).items():
        for cut in range(3, len(name)):
            months.setdefault(name[:cut], number)
    return months


def _build_weekdays() -> tuple[dict[str, int], frozenset[str]]:
    """All weekday words (0 = Monday) and the subset that is unmistakably a weekday on its own."""
    days: dict[str, int] = {}
    full: set[str] = set()
    for number, name in _names(_SV.days["format"]["wide"]).items():
        days[name] = number
        days[name + "en"] = number  # "fredagen den 4 december"
        full.update({name, name + "en"})
        for cut in range(3, len(name)):
            days.setdefault(name[:cut], number)
    for number, name in _names(_EN.days["format"]["wide"]).items():
        days[name] = number
        full.add(name)
    for loc in (_SV, _EN):
        for number, name in _names(loc.days["format"]["abbreviated"]).items():
            days.setdefault(name, number)
    return days, frozenset(full)


MONTHS: dict[str, int] = _build_months()
WEEKDAYS, _FULL_WEEKDAYS = _build_weekdays()


class SwedishParserInfo(du_parser.parserinfo):
    """dateutil's vocabulary in Swedish (and English), taken from Babel's CLDR data."""

    # dateutil's stubs type these as tuples of fixed length; any number of names per entry works.
    MONTHS = [tuple(n for n, m in MONTHS.items() if m == i) for i in range(1, 13)]  # type: ignore[misc]
    WEEKDAYS = [tuple(n for n, w in WEEKDAYS.items() if w == i) for i in range(7)]  # type: ignore[misc]
    JUMP = [" ", ".", ",", ";", "-", "/", "'", "den", "kl", "klockan", "the", "of"]
    AMPM = [("fm", "am"), ("em", "pm")]
    HMS = [
        ("h", "t", "timme", "timmar"),  # type: ignore[list-item]
        ("m", "min", "minut", "minuter"),  # type: ignore[list-item]
        ("s", "sek", "sekund", "sekunder"),  # type: ignore[list-item]
    ]
    PERTAIN = ["av", "of"]

    def __init__(self) -> None:
        super().__init__(dayfirst=True, yearfirst=False)


_PARSER = du_parser.parser(SwedishParserInfo())

_NUMBER_WORDS = {
    "en": 1, "ett": 1, "två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7, "åtta": 8,
    "nio": 9, "tio": 10, "elva": 11, "tolv": 12,
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a": 1,
}  # fmt: skip


def _alt(words: object) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))  # type: ignore[call-overload]


_WD = rf"(?P<wd>{_alt(WEEKDAYS)})"
_MON = rf"(?P<mon>{_alt(MONTHS)})"
_NUM = rf"(?P<n>[0-9]{{1,3}}|{_alt(_NUMBER_WORDS)})"
_WD_LEAD = rf"(?:{_WD}\.?,? +(?:den +)?|den +)?"  # "fredag ", "fredagen den ", "fre. ", "den "
_END = r"(?!\w)"

_ISO = re.compile(rf"(?P<y>[0-9]{{4}})-(?P<m>[0-9]{{1,2}})-(?P<d>[0-9]{{1,2}})(?=t[0-9]|{_END})")
# "26-01-27": the Swedish short numeric date (ÅÅ-MM-DD), read as 2026-01-27, never as the time 26–01.
_SHORT_ISO = re.compile(rf"(?P<y>[0-9]{{2}})-(?P<m>[0-9]{{2}})-(?P<d>[0-9]{{2}}){_END}")
_WD_NUMERIC = re.compile(rf"{_WD_LEAD}(?P<num>(?:[0-9]{{4}}|[0-9]{{2}})-[0-9])")  # "fredag 26-01-27", "fre 2026-01-27"
_CAL = re.compile(
    rf"{_WD_LEAD}(?P<d>[0-9]{{1,2}})(?::?[ea])? *{_MON}\.?(?:,? +(?P<y>(?:19|20)[0-9]{{2}}))?{_END}"
)
_SLASH = re.compile(
    rf"{_WD_LEAD}(?P<d>[0-9]{{1,2}})/(?P<m>[0-9]{{1,2}})"
    rf"(?:[-/](?P<y>[0-9]{{4}}|[0-9]{{2}})| +(?P<y4>(?:19|20)[0-9]{{2}}))?(?![\w/])"
)
_TODAY = re.compile(rf"(?:i ?dag|today){_END}")
_TOMORROW = re.compile(rf"(?:i ?morgon|tomorrow){_END}")
_DAY_AFTER = re.compile(rf"(?:i ?)?övermorgon{_END}")
_IN = re.compile(rf"(?:om|in) +{_NUM} +(?P<u>dagar|dag|veckor|vecka|days|day|weeks|week){_END}")
_NEXT_WD = re.compile(rf"(?:nästa|kommande|next) +{_WD}\.?{_END}")
_WD_IN_WEEKS = re.compile(rf"{_WD}\.? +(?:om|in) +{_NUM} +(?:veckor|vecka|weeks|week){_END}")
_WD_NEXT_WEEK = re.compile(rf"{_WD}\.? +(?:nästa|next) +(?:vecka|week){_END}")
_WD_WEEKNO = re.compile(
    rf"{_WD}\.?,? +(?:i +)?(?:vecka|v\.?|week) *(?P<wk>[0-9]{{1,2}})(?:,? +(?P<y>(?:19|20)[0-9]{{2}}))?{_END}"
)
_WD_ONLY = re.compile(rf"(?:på +|on +)?{_WD}\.?{_END}")
_MONTH_ONLY = re.compile(rf"(?:i +|in +)?{_MON}\.?(?: +(?P<y>(?:19|20)[0-9]{{2}}))?{_END}")

_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2212"
_HM1 = r"(?P<h1>[0-9]{1,2})(?:[.:](?P<m1>[0-9]{2}))?"
_HM2 = r"(?P<h2>[0-9]{1,2})(?:[.:](?P<m2>[0-9]{2}))?"
_TIME = re.compile(
    rf"(?:(?P<t>t)(?=[0-9])|,? *)(?:(?P<kl>kl(?:ockan)?\.?|at) *)?{_HM1}"
    rf"(?:(?: *[{_DASHES}] *| +(?:till|to) +)(?:kl(?:ockan)?\.? *)?{_HM2})?(?!\w|[.:][0-9])"
)
_JOIN = re.compile(r",? *(?:på +)?")
_LETTERS = re.compile(r"[^\W\d_]+")

# Which patterns can start with which word. Every pattern is tried only where its first word
# stands, so a long text of words that start no date ("till till till …", "kl 9 kl 9 …") costs
# one dictionary lookup per word: reading any message stays linear in its length.
_TODAY_WORDS = frozenset({"i", "idag", "today"})
_TOMORROW_WORDS = frozenset({"i", "imorgon", "tomorrow"})
_DAY_AFTER_WORDS = frozenset({"i", "iövermorgon", "övermorgon"})
_IN_WORDS = frozenset({"om", "in"})
_NEXT_WORDS = frozenset({"nästa", "kommande", "next"})
_ON_WORDS = frozenset({"på", "on"})
_TIME_WORDS = frozenset({"t", "kl", "klockan", "at", "halv", "kvart"})
# Words that begin a time inside a longer text ("kl 9", "halv tio", "kvart över nio").
_STRICT_TIME_WORDS = frozenset({"kl", "klockan", "halv", "kvart"})
_DATE_WORDS: frozenset[str] = _TODAY_WORDS | _TOMORROW_WORDS | _DAY_AFTER_WORDS | _IN_WORDS | _NEXT_WORDS | _ON_WORDS | {"den"}
# Words that may begin a date (or a "kl" time) inside a longer text.
_STRICT_FIRST_WORDS = frozenset(WEEKDAYS) | _DATE_WORDS | _STRICT_TIME_WORDS
_TRIM = " \t\r\n.,;:!?" + _DASHES


# --- results of the grammar -----------------------------------------------------------------------


@dataclass(frozen=True)
class _DateHit:
    end: int
    value: date | DateQuestion
    given_weekday: int | None = None


@dataclass(frozen=True)
class _TimeHit:
    end: int
    start: time | DateQuestion
    end_time: time | None
    explicit: bool  # "kl" in front, minutes, or a range: safe to read as a time on its own


def _q(key: str, **params: str) -> DateQuestion:
    return DateQuestion(key, dict(params))


def _both(name: str, render: object, value: object) -> dict[str, str]:
    """A parameter rendered for both catalogues: ``name`` (Swedish) and ``name_en``."""
    return {name: render(value, "sv"), f"{name}_en": render(value, "en")}  # type: ignore[operator]


def _example(today: date) -> dict[str, str]:
    friday = _next_weekday(today, 4, include_today=False)
    return _both("example", lambda d, loc: _example_text(d, loc, time(9), time(12)), friday)


def _example_text(d: date, locale: str, start: time | None, end: time | None) -> str:
    text = formatting.format_day(d, locale)
    if start is None:
        return text
    span = _compact(start, locale) + ("" if end is None else "\u2013" + _compact(end, locale))
    return f"{text} kl. {span}" if locale == "sv" else f"{text} at {span}"


def _compact(t: time, locale: str) -> str:
    """A time as people type it: "9", "8.30" (what the parser reads back)."""
    if t.minute == 0:
        return str(t.hour)
    return f"{t.hour}{'.' if locale == 'sv' else ':'}{t.minute:02d}"


def _next_weekday(today: date, weekday: int, include_today: bool) -> date:
    ahead = (weekday - today.weekday()) % 7
    if ahead == 0 and not include_today:
        ahead = 7
    return today + timedelta(days=ahead)


def _weekday_in_week_of(d: date, weekday: int) -> date:
    return d - timedelta(days=d.weekday()) + timedelta(days=weekday)


def _number(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBER_WORDS[word]


def _days_in_month(year: int, month: int) -> int:
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return (nxt - timedelta(days=1)).day


def _impossible(day: int, month: int, year: int | None, year_for_length: int) -> DateQuestion:
    length = _days_in_month(year_for_length, month)
    month_sv = formatting.format_date_short(date(2000, month, 1), "sv").split(" ")[1]
    month_en = formatting.format_date_short(date(2000, month, 1), "en").split(" ")[1]
    suffix = "" if year is None else f" {year}"
    return _q(
        "dates.impossible_date",
        date=f"{day} {month_sv}{suffix}",
        date_en=f"{day} {month_en}{suffix}",
        month=month_sv,
        month_en=month_en,
        days=str(length),
        example=f"{length} {month_sv}{suffix}",
        example_en=f"{length} {month_en}{suffix}",
    )


# --- dates --------------------------------------------------------------------------------------


def _resolve(span: str, year_given: bool, today: date) -> date | None:
    """The date dateutil reads from ``span``; without a year, the next one from today (today counts)."""
    if year_given:
        try:
            return _PARSER.parse(span, default=datetime(2000, 1, 1)).date()  # noqa: DTZ001 - a date, not an instant
        except (ValueError, OverflowError):
            return None
    for year in range(today.year, today.year + _YEARS_AHEAD):
        try:
            found = _PARSER.parse(span, default=datetime(year, 1, 1)).date()  # noqa: DTZ001
        except (ValueError, OverflowError):
            continue
        if found >= today:
            return found
    return None


def _calendar(
    day: int, month: int, year: int | None, span: str, wd: int | None, end: int, today: date
) -> _DateHit:
    found = _resolve(span, year is not None, today)
    if found is None:
        length_year = year if year is not None else _next_year_of_month(month, today)
        return _DateHit(end, _impossible(day, month, year, length_year))
    return _DateHit(end, found, wd)


def _next_year_of_month(month: int, today: date) -> int:
    return today.year if month >= today.month else today.year + 1


def _year(text: str | None) -> int | None:
    if text is None:
        return None
    value = int(text)
    return 2000 + value if value < 100 else value


def _weekday(text: str | None) -> int | None:
    return None if text is None else WEEKDAYS[text]


def _word_at(s: str, pos: int) -> str | None:
    """The run of letters starting at ``pos``; None when a digit stands there."""
    if pos >= len(s) or s[pos].isdigit():
        return None
    m = _LETTERS.match(s, pos)
    return m.group(0) if m else ""


def _match_date(s: str, pos: int, today: date, strict: bool) -> _DateHit | None:
    word = _word_at(s, pos)
    if word is None:
        return _match_numeric_date(s, pos, today)
    weekday = word in WEEKDAYS
    if not (weekday or word in _DATE_WORDS):
        return None
    return _match_worded_date(s, pos, today, strict, word, weekday)


def _match_numeric_date(s: str, pos: int, today: date) -> _DateHit | None:
    m = _ISO.match(s, pos)
    if m:
        y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
        if not (1 <= mo <= 12 and 1 <= d <= 31):
            return None  # not a date at all; the caller's "could not read" question fits
        try:
            return _DateHit(m.end(), date(y, mo, d))
        except ValueError:
            return _DateHit(m.end(), _impossible(d, mo, y, y))
    m = _SHORT_ISO.match(s, pos)
    if m and 1 <= int(m["m"]) <= 12 and 1 <= int(m["d"]) <= 31:
        y, mo, d = 2000 + int(m["y"]), int(m["m"]), int(m["d"])
        try:
            return _DateHit(m.end(), date(y, mo, d))
        except ValueError:
            return _DateHit(m.end(), _impossible(d, mo, y, y))
    return _match_day_month(s, pos, today)


def _match_worded_date(s: str, pos: int, today: date, strict: bool, word: str, weekday: bool) -> _DateHit | None:
    for pattern, words, days in (
        (_TODAY, _TODAY_WORDS, 0),
        (_TOMORROW, _TOMORROW_WORDS, 1),
        (_DAY_AFTER, _DAY_AFTER_WORDS, 2),
    ):
        if word in words:
            m = pattern.match(s, pos)
            if m:
                return _DateHit(m.end(), today + timedelta(days=days))

    if word in _IN_WORDS:
        m = _IN.match(s, pos)
        if m:
            n = _number(m["n"])
            unit = 7 if m["u"].startswith(("veck", "week")) else 1
            return _DateHit(m.end(), today + timedelta(days=n * unit))

    if word in _NEXT_WORDS:
        m = _NEXT_WD.match(s, pos)
        if m:
            return _DateHit(m.end(), _next_named_weekday(today, WEEKDAYS[m["wd"]], word))

    if weekday:
        hit = _match_weekday_first(s, pos, today)
        if hit is not None:
            return hit
    if weekday or word == "den":
        m = _WD_NUMERIC.match(s, pos)
        numeric = _match_numeric_date(s, m.start("num"), today) if m else None
        if m and numeric is not None and numeric.end > m.end("num"):
            return _DateHit(numeric.end, numeric.value, _weekday(m["wd"]))
        hit = _match_day_month(s, pos, today)
        if hit is not None:
            return hit

    if weekday or word in _ON_WORDS:
        m = _WD_ONLY.match(s, pos)
        if m and (not strict or m["wd"] in _FULL_WEEKDAYS):
            return _DateHit(m.end(), _next_weekday(today, WEEKDAYS[m["wd"]], include_today=True))
    return None


def _next_named_weekday(today: date, weekday: int, word: str) -> date | DateQuestion:
    """ "kommande fredag" is the nearest one. "nästa fredag" said before Friday in the same week
    means this week's Friday to some and next week's to others, so it is asked."""
    nearest = _next_weekday(today, weekday, include_today=False)
    if word == "kommande" or nearest.isocalendar()[:2] != today.isocalendar()[:2]:
        return nearest  # already in next week: only one reading
    later = nearest + timedelta(days=7)
    return _q(
        "dates.next_weekday_ambiguous",
        **_both("near", formatting.format_day, nearest),
        **_both("far", formatting.format_day, later),
        **_both("example", lambda d, loc: _example_text(d, loc, None, None), later),
    )


def _match_weekday_first(s: str, pos: int, today: date) -> _DateHit | None:
    m = _WD_IN_WEEKS.match(s, pos)
    if m:
        target = today + timedelta(weeks=_number(m["n"]))
        return _DateHit(m.end(), _weekday_in_week_of(target, WEEKDAYS[m["wd"]]))

    m = _WD_NEXT_WEEK.match(s, pos)
    if m:
        return _DateHit(m.end(), _weekday_in_week_of(today + timedelta(weeks=1), WEEKDAYS[m["wd"]]))

    m = _WD_WEEKNO.match(s, pos)
    if m:
        return _week_number(m, today)
    return None


def _match_day_month(s: str, pos: int, today: date) -> _DateHit | None:
    m = _CAL.match(s, pos)
    if m:
        day, month, year = int(m["d"]), MONTHS[m["mon"]], _year(m["y"])
        if not 1 <= day <= 31:
            return None
        span = f"{day} {m['mon']}" + ("" if year is None else f" {year}")
        return _calendar(day, month, year, span, _weekday(m["wd"]), m.end(), today)

    m = _SLASH.match(s, pos)
    if m:
        day, month = int(m["d"]), int(m["m"])
        year = _year(m["y"] or m["y4"])
        if not (1 <= day <= 31 and 1 <= month <= 12):
            return None  # "50/50", "3/17": not a date at all
        span = f"{day}/{month}" + ("" if year is None else f"/{year}")
        return _calendar(day, month, year, span, _weekday(m["wd"]), m.end(), today)
    return None


def _week_number(m: re.Match[str], today: date) -> _DateHit:
    weekday, week = WEEKDAYS[m["wd"]], int(m["wk"])
    year = _year(m["y"])
    candidates = [year] if year is not None else [today.year - 1, today.year, today.year + 1]
    for y in candidates:
        try:
            found = date.fromisocalendar(y, week, weekday + 1)
        except ValueError:
            continue
        if year is not None or found >= today:
            return _DateHit(m.end(), found)
    shown = str(year if year is not None else today.year)
    return _DateHit(
        m.end(),
        _q("dates.impossible_week", week=str(week), year=shown, **_example(today)),
    )


# --- times --------------------------------------------------------------------------------------


def _match_time(s: str, pos: int) -> _TimeHit | None:
    m = _TIME.match(s, pos)
    if not m:
        return _match_word_time(s, pos)
    explicit = bool(m["kl"] or m["t"] or m["m1"] or m["h2"])
    start = _clock(m["h1"], m["m1"])
    end = None if m["h2"] is None else _clock(m["h2"], m["m2"])
    if start is None or (m["h2"] is not None and end is None):
        raw = m.group(0).strip(" ,t").removeprefix("klockan").removeprefix("kl").strip(" .")
        return _TimeHit(m.end(), _q("dates.impossible_time", time=raw), None, explicit)
    return _TimeHit(m.end(), start, end, explicit)


# Swedish clock words: "halv tio" is 9.30, "kvart över nio" 9.15, "kvart i tio" 9.45, "kl tio"
# 10.00. Meetings are held by day, so an hour below 7 is in the afternoon ("halv tre" is 14.30).
_HOUR_WORDS = {
    "ett": 1, "en": 1, "två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7, "åtta": 8,
    "nio": 9, "tio": 10, "elva": 11, "tolv": 12,
}  # fmt: skip
_DAY_STARTS = 7
_HOUR = rf"(?:{_alt(_HOUR_WORDS)}|[0-9]{{1,2}})"
_WORD_CLOCK = (
    r"(?:(?P<{p}kl>kl(?:ockan)?\.?) *)?(?:(?P<{p}q>halv|kvart +över|kvart +efter|kvart +i) +)?"
    r"(?P<{p}h>" + _HOUR + r")(?!\w|[.:][0-9])"
)
_WORD_TIME = re.compile(
    r",? *" + _WORD_CLOCK.replace("{p}", "a")
    + rf"(?:(?: *[{_DASHES}] *| +(?:till|to) +)" + _WORD_CLOCK.replace("{p}", "b") + r")?"
)


def _word_clock(m: re.Match[str], p: str, bare: bool = False) -> time | None:
    """The clock time of one side of ``_WORD_TIME``; None when it is no word time (a bare "tio",
    unless ``bare``: the end of a range, "kl tio-tolv")."""
    hour_text, quarter, kl = m[f"{p}h"], m[f"{p}q"], m[f"{p}kl"]
    if hour_text is None or not (quarter or ((kl or bare) and not hour_text.isdigit())):
        return None
    hour = int(hour_text) if hour_text.isdigit() else _HOUR_WORDS[hour_text]
    if hour > 23 or (quarter and hour > 12):
        return None
    minutes = 0
    if quarter == "halv":
        hour, minutes = hour - 1, 30
    elif quarter and quarter.endswith(" i"):
        hour, minutes = hour - 1, 45
    elif quarter:
        minutes = 15
    if hour_text.isdigit() and int(hour_text) > 12:
        return time(hour % 24, minutes)
    hour %= 12
    if hour < _DAY_STARTS:
        hour += 12
    return time(hour, minutes)


def _match_word_time(s: str, pos: int) -> _TimeHit | None:
    m = _WORD_TIME.match(s, pos)
    if not m:
        return None
    start = _word_clock(m, "a")
    if start is None:
        return None
    if m["bh"] is None:
        return _TimeHit(m.end("ah"), start, None, True)
    end = _word_clock(m, "b", bare=True)
    if end is None and m["bh"].isdigit() and not m["bq"]:
        end = _clock(m["bh"], None)  # "halv tio-12"
    if end is None:
        return _TimeHit(m.end("ah"), start, None, True)
    if end <= start and end.hour < 12:
        end = time(end.hour + 12, end.minute)  # "halv tio till halv fyra" (15.30)
    return _TimeHit(m.end(), start, end, True)


def _clock(hours: str, minutes: str | None) -> time | None:
    h, mi = int(hours), int(minutes or 0)
    if h > 23 or mi > 59:
        return None
    return time(h, mi)


# --- putting it together ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Hit:
    end: int
    value: When | DateQuestion


def _finish(
    day: date | DateQuestion, wd: int | None, tm: _TimeHit | None, tz: ZoneInfo, today: date
) -> When | DateQuestion:
    if isinstance(day, DateQuestion):
        return _with_example(day, today)
    start = end = None
    if tm is not None:
        if isinstance(tm.start, DateQuestion):
            return _with_example(tm.start, today, day)
        start, end = tm.start, tm.end_time
    if wd is not None and day.weekday() != wd:
        return _mismatch(day, wd, start, end)
    if start is not None and end is not None and end <= start:
        lo, hi = min(start, end), max(start, end)
        example = (lo, hi) if lo != hi else (time(9), time(12))
        return _q(
            "dates.end_before_start",
            **_both("start", formatting.format_time, start),
            **_both("end", formatting.format_time, end),
            **_both("example", lambda d, loc: _example_text(d, loc, *example), day),
        )
    for t in (start, end):
        if t is not None and not _exists(day, t, tz):
            later = (datetime.combine(day, t) + timedelta(hours=1)).time()
            return _q(
                "dates.nonexistent_time",
                **_both("time", formatting.format_time, t),
                **_both("date", formatting.format_date_short, day),
                **_both("example", lambda d, loc, later=later: _example_text(d, loc, later, None), day),
            )
    return When(day, start, end)


def _with_example(question: DateQuestion, today: date, day: date | None = None) -> DateQuestion:
    if "example" in question.params:
        return question
    example = (
        _example(today)
        if day is None
        else _both("example", lambda d, loc: _example_text(d, loc, time(9), time(12)), day)
    )
    return DateQuestion(question.key, {**question.params, **example})


def _mismatch(day: date, wd: int, start: time | None, end: time | None) -> DateQuestion:
    offset = (wd - day.weekday()) % 7
    suggestion = day + timedelta(days=offset if offset <= 3 else offset - 7)
    return _q(
        "dates.weekday_mismatch",
        **_both("date", formatting.format_date_short, day),
        **_both("actual", lambda d, loc: formatting.format_date(d, loc).split(" ")[0], day),
        **_both("given", lambda d, loc: formatting.format_date(d, loc).split(" ")[0], suggestion),
        **_both("suggestion", formatting.format_day, suggestion),
        **_both("example", lambda d, loc: _example_text(d, loc, start, end), suggestion),
    )


def _match_at(s: str, pos: int, today: date, tz: ZoneInfo, strict: bool) -> _Hit | None:
    """A date (with an optional time after it, or a "kl" time before it) starting exactly at ``pos``."""
    hit = _match_date(s, pos, today, strict)
    if hit is not None:
        tm = _match_time(s, hit.end)
        if tm is not None and not tm.explicit:
            tm = None  # "4 december 9": a lone number is not a time
        end = hit.end if tm is None else tm.end
        return _Hit(end, _finish(hit.value, hit.given_weekday, tm, tz, today))
    word = _word_at(s, pos)
    if word is not None and word not in _TIME_WORDS:
        return None
    if strict and word not in _STRICT_TIME_WORDS:
        return None
    tm = _match_time(s, pos)
    if tm is None or not tm.explicit:
        return None
    join = _JOIN.match(s, tm.end)
    after = join.end() if join else tm.end
    hit = _match_date(s, after, today, strict)
    if hit is None:
        return None
    second = _match_time(s, hit.end)
    if second is not None and second.explicit:
        return None  # a time on both sides of the date: let the caller ask
    return _Hit(hit.end, _finish(hit.value, hit.given_weekday, tm, tz, today))


_ODD_SPACE_CATEGORIES = ("Cc", "Cf", "Zs", "Zl", "Zp", "Cs")
# Characters that may need turning into a space: everything but letters, digits and printable ASCII.
_MAYBE_ODD = re.compile(r"[^\w\x21-\x7e]")


def _odd_to_space(m: re.Match[str]) -> str:
    ch = m.group(0)
    return " " if ch.isspace() or unicodedata.category(ch) in _ODD_SPACE_CATEGORIES else ch


def _clean(text: str) -> str:
    """``text`` lower-cased with invisible and odd whitespace turned into spaces, same length."""
    low = text.lower()
    if len(low) == len(text):
        return _MAYBE_ODD.sub(_odd_to_space, low)
    out = []
    for ch in text:
        if ch.isspace() or unicodedata.category(ch) in _ODD_SPACE_CATEGORIES:
            out.append(" ")
            continue
        low = ch.lower()
        # Keep one character per character so positions map back onto the original text.
        out.append(low if len(low) == 1 else ch)
    return "".join(out)


# The start of every word: group 1 holds it when it begins with a letter.
_WORD_START = re.compile(r"(?<![^\W_])(?:([^\W\d_]+)|[^\W_])")


def _candidates(s: str) -> Iterator[int]:
    """Where a date or a "kl" time could start inside a text: before a number or a word that
    can begin one. Other words are skipped without trying any pattern."""
    for m in _WORD_START.finditer(s):
        word = m.group(1)
        if word is None or word in _STRICT_FIRST_WORDS:
            yield m.start()


def _as_day(today: date) -> date:
    return today.date() if isinstance(today, datetime) else today


def parse_when(text: str, today: date, tz: ZoneInfo = STOCKHOLM) -> When | DateQuestion:
    """Read a whole answer as a date with an optional time; anything doubtful becomes a question."""
    today = _as_day(today)
    s = _clean(text)
    lead = len(s) - len(s.lstrip(_TRIM))
    body_end = len(s.rstrip(_TRIM))
    if lead >= body_end:
        return _q("dates.empty", **_example(today))
    shown = text[lead:body_end].strip()

    hit = _match_at(s, lead, today, tz, strict=False)
    if hit is not None:
        rest = text[hit.end : body_end].strip(_TRIM + " ")
        if rest and isinstance(hit.value, When):
            return _extra(hit.value, rest)
        return hit.value

    tm = _match_time(s, lead)
    if tm is not None and tm.explicit and not s[tm.end : body_end].strip(_TRIM):
        if isinstance(tm.start, DateQuestion):
            return _with_example(tm.start, today)
        if tm.end_time is not None and tm.end_time <= tm.start:
            return _reversed_time(tm.start, tm.end_time)
        span = (tm.start, tm.end_time)
        friday = _next_weekday(today, 4, include_today=False)
        return _q(
            "dates.missing_date",
            **_both("time", lambda v, loc: formatting.format_time_range(v[0], v[1], loc), span),
            **_both("example", lambda d, loc: _example_text(d, loc, *span), friday),
        )

    m = _MONTH_ONLY.match(s, lead)
    if m and m.end() >= body_end:
        month = MONTHS[m["mon"]]
        year = _year(m["y"]) or _next_year_of_month(month, today)
        first = date(year, month, 1)
        friday = max(_next_weekday(first, 4, include_today=True), today)
        friday = _next_weekday(friday, 4, include_today=True)
        return _q(
            "dates.missing_day",
            **_both("month", lambda d, loc: formatting.format_date_short(d, loc).split(" ")[1], first),
            **_both("example", lambda d, loc: _example_text(d, loc, None, None), friday),
        )

    found, before, after = split_when(text, today, tz)
    if isinstance(found, When):
        return _extra(found, " ".join(p for p in (before, after) if p))
    if isinstance(found, DateQuestion):
        return found
    return _q("dates.unparseable", text=shown, **_example(today))


def _extra(when: When, rest: str) -> DateQuestion:
    return _q(
        "dates.extra_text",
        rest=rest,
        **_both("understood", formatting.format_when, when),
        **_both("example", lambda w, loc: _example_text(w.date, loc, w.start, w.end), when),
    )


def split_when(
    text: str, today: date, tz: ZoneInfo = STOCKHOLM
) -> tuple[When | DateQuestion | None, str, str]:
    """The first real date expression inside ``text`` (with its time) and the text before and after it."""
    today = _as_day(today)
    # A command's date comes early: it is looked for among the first _SCAN_LIMIT characters
    # (with room for an expression that starts just before the limit), so a long pasted text
    # costs no more than a short one. Further on, nothing is read as a date.
    s = _clean(text[: _SCAN_LIMIT + _EXPRESSION_ROOM])
    for pos in _candidates(s):
        if pos >= _SCAN_LIMIT:
            break
        hit = _match_at(s, pos, today, tz, strict=True)
        if hit is None:
            continue
        before = text[:pos].rstrip(_TRIM + " ")
        after = text[hit.end :].lstrip(_TRIM + " ")
        return hit.value, before, after.rstrip()
    return None, text.strip(), ""


def parse_time(text: str) -> tuple[time, time | None] | DateQuestion:
    """Read just a clock time or range ("kl 9", "13.00–15.00", "9-15") for dialogs that ask for it apart."""
    s = _clean(text)
    lead = len(s) - len(s.lstrip(_TRIM))
    body_end = len(s.rstrip(_TRIM))
    tm = _match_time(s, lead) if lead < body_end else None
    if tm is None or tm.end < body_end or not (tm.explicit or s[lead:body_end].strip().isdigit()):
        return _q("dates.unparseable_time", text=text[lead:body_end].strip())
    if isinstance(tm.start, DateQuestion):
        return tm.start
    if tm.end_time is not None and tm.end_time <= tm.start:
        return _reversed_time(tm.start, tm.end_time)
    return tm.start, tm.end_time


def _reversed_time(start: time, end: time) -> DateQuestion:
    return _q(
        "dates.end_before_start_time",
        **_both("start", formatting.format_time, start),
        **_both("end", formatting.format_time, end),
    )


def split_time(text: str) -> tuple[tuple[time, time | None] | DateQuestion | None, str, str]:
    """The first clock time inside ``text`` ("kl 13", "13-15", "halv tio", a lone "13" first)
    and the text before and after it; (None, text, "") without one."""
    s = _clean(text[: _SCAN_LIMIT + _EXPRESSION_ROOM])
    lead = len(s) - len(s.lstrip(_TRIM))
    for pos in _time_candidates(s):
        if pos >= _SCAN_LIMIT:
            break
        tm = _match_time(s, pos)
        if tm is None:
            continue
        alone = pos == lead and not s[tm.end :].strip(_TRIM)
        if not (tm.explicit or alone):
            continue
        before = text[:pos].rstrip(_TRIM + " ")
        after = text[tm.end :].lstrip(_TRIM + " ").rstrip()
        if isinstance(tm.start, DateQuestion):
            return tm.start, before, after
        if tm.end_time is not None and tm.end_time <= tm.start:
            return _reversed_time(tm.start, tm.end_time), before, after
        return (tm.start, tm.end_time), before, after
    return None, text.strip(), ""


def _time_candidates(s: str) -> Iterator[int]:
    for m in _WORD_START.finditer(s):
        word = m.group(1)
        if word is None or word in _STRICT_TIME_WORDS:
            yield m.start()


# Date and time words the grammar does not turn into one date: left in a place or a title,
# they would change what was meant, so they become a question.
_VAGUE_WEEK = re.compile(r"(?<!\w)(?:vecka|veckan|v\.?|week) *(?P<wk>[0-9]{1,2})(?!\w)")
_VAGUE_PART = re.compile(
    r"(?<!\w)(?P<part>förmiddag|eftermiddag|heldag|halvdag|lunch|morgon|kväll)(?:en|ar|arna)?(?!\w)"
)
_VAGUE_PERIOD = re.compile(
    r"(?<!\w)(?:(?:nästa|kommande|denna|den här|efter|före|innan|till|i|under|runt|kring) +)?"
    r"(?:jul|julen|julafton|påsk|påsken|nyår|nyåret|midsommar|sommar|sommaren|semester|semestern|"
    r"höst|hösten|vår|våren|vinter|vintern|sportlov|sportlovet|höstlov|höstlovet|årsskiftet|"
    r"vecka|veckan|månad|månaden|träff|träffen|gång|gången)(?!\w)"
)
# "jul" is Christmas before it is July.
_VAGUE_MONTH = re.compile(rf"(?<!\w)(?P<mon>{_alt(n for n in MONTHS if len(n) >= 3 and n != 'jul')})\.?(?!\w)")
_VAGUE_TIME = re.compile(
    r"(?<!\w)(?:halv|kvart|kl|klockan)(?!\w)"
    r"|(?<![\w.:])[0-9]{1,2}(?:[.:][0-9]{2})? *[-–] *[0-9]{1,2}(?:[.:][0-9]{2})?(?![\w.:])"
    r"|(?<![\w.:])[0-9]{1,2}[.:][0-9]{2}(?![\w.:])"
    r"|(?<!\w)[0-9]{1,2}/[0-9]{1,2}(?!\w)"
)
_PART_EXAMPLES = {
    "förmiddag": (time(9), time(12)),
    "eftermiddag": (time(13), time(16)),
    "heldag": (time(9), time(16)),
    "halvdag": (time(9), time(12)),
    "lunch": (time(12), time(13)),
    "morgon": (time(8), time(10)),
    "kväll": (time(18), time(20)),
}


def vague_when(text: str, today: date, *, at_start: bool = False) -> DateQuestion | None:
    """A question when ``text`` (a would-be place or title) holds date or time words that were
    not read as a date: "vecka 12", "eftermiddagen", "januari", "efter jul", "halv", "9-12".
    With ``at_start`` only words that open the text count ("jul" in "till jul", not in
    "kommunerna i vår")."""
    today = _as_day(today)
    s = _clean(text[: _SCAN_LIMIT])
    lead = len(s) - len(s.lstrip())

    def find(pattern: re.Pattern[str]) -> re.Match[str] | None:
        return pattern.match(s, lead) if at_start else pattern.search(s)

    m = find(_VAGUE_WEEK)
    if m:
        week = int(m["wk"])
        return _week_question(week, today)
    m = find(_VAGUE_PART)
    if m:
        example = _PART_EXAMPLES[m["part"]]
        return _q(
            "dates.part_of_day",
            text=text[m.start() : m.end()],
            **_both("example", lambda v, loc: formatting.format_time_range(v[0], v[1], loc), example),
        )
    m = find(_VAGUE_MONTH)
    if m:
        month = MONTHS[m["mon"]]
        first = date(_next_year_of_month(month, today), month, 1)
        friday = _next_weekday(max(first, today), 4, include_today=True)
        return _q(
            "dates.missing_day",
            **_both("month", lambda d, loc: formatting.format_date_short(d, loc).split(" ")[1], first),
            **_both("example", lambda d, loc: _example_text(d, loc, None, None), friday),
        )
    for pattern in (_VAGUE_PERIOD, _VAGUE_TIME):
        m = find(pattern)
        if m:
            return _q("dates.vague", text=text[m.start() : m.end()].strip(), **_example(today))
    return None


def _week_question(week: int, today: date) -> DateQuestion:
    for year in (today.year, today.year + 1):
        try:
            friday = date.fromisocalendar(year, week, 5)
        except ValueError:
            continue
        if friday >= today:
            return _q(
                "dates.week_without_day",
                week=str(week),
                **_both("example", lambda d, loc: _example_text(d, loc, None, None), friday),
            )
    return _q("dates.impossible_week", week=str(week), year=str(today.year), **_example(today))


# A year-less date more than _FAR_AHEAD days away whose day passed at most _RECENT_DAYS ago
# means the recent past ("27 november" said on 3 December: the meeting last week).
_RECENT_DAYS = 120
_FAR_AHEAD = 365 - _RECENT_DAYS


def recent_past(when: When, text: str, today: date, tz: ZoneInfo = STOCKHOLM) -> When:
    """``when`` as read from ``text``, or the same day and month last year when the date was
    typed without a year and that day passed recently. Relative words ("fredag", "i morgon")
    and dates with a year keep their reading."""
    today = _as_day(today)
    if (when.date - today).days < _FAR_AHEAD:
        return when
    earlier, _before, _after = split_when(text, today - timedelta(days=_RECENT_DAYS), tz)
    if (
        isinstance(earlier, When)
        and earlier.date < today
        and earlier.date.year == when.date.year - 1
        and (earlier.date.month, earlier.date.day) == (when.date.month, when.date.day)
    ):
        return earlier
    return when
