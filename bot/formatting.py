"""Dates and times as the bot shows them: Swedish first ("fredag 4 december 2026 kl. 09.00–12.00").

Month and weekday names come from Babel's CLDR data, never typed by hand. Swedish writes times
with a dot (09.00) and ranges with an en dash; English gets "at" and a colon.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from babel.dates import format_date as _babel_date
from babel.dates import format_time as _babel_time

if TYPE_CHECKING:
    from bot.dates import When
    from storage.meetings_repo import Meeting

DASH = "\u2013"  # en dash, the range sign in both Swedish and English typography

_LONG = "EEEE d MMMM y"
_DAY = "EEEE d MMMM"
_SHORT = "d MMMM y"
# CLDR's Swedish short time is HH:mm, but Swedish practice (Språkrådet) is the dot.
_TIME = {"sv": "HH.mm", "en": "HH:mm"}
_AT = {"sv": "kl.", "en": "at"}


def _loc(locale: str) -> str:
    return "en" if locale.lower().startswith("en") else "sv"


def format_date(d: date, locale: str = "sv") -> str:
    """Weekday, day, month and year: "fredag 4 december 2026" / "Friday 4 December 2026"."""
    return _babel_date(_as_date(d), _LONG, locale=_loc(locale))


def meeting_date(meeting: Meeting, tz: ZoneInfo, locale: str = "sv") -> str:
    """ "fredag 4 december 2026": how a meeting is named in replies about its records."""
    return format_date(meeting.starts_at.astimezone(tz).date(), locale)


def format_day(d: date, locale: str = "sv") -> str:
    """Weekday, day and month without the year: "fredag 4 december"."""
    return _babel_date(_as_date(d), _DAY, locale=_loc(locale))


def format_date_short(d: date, locale: str = "sv") -> str:
    """Day, month and year without the weekday: "4 december 2026"."""
    return _babel_date(_as_date(d), _SHORT, locale=_loc(locale))


def format_time(t: time, locale: str = "sv") -> str:
    """A clock time: "09.00" in Swedish, "09:00" in English."""
    loc = _loc(locale)
    # Babel combines a bare time with the system's today; strip tzinfo so no zone maths happens.
    return _babel_time(t.replace(tzinfo=None), _TIME[loc], locale=loc)


def format_time_range(start: time, end: time | None, locale: str = "sv") -> str:
    """ "09.00–12.00", or just "09.00" when there is no end."""
    if end is None:
        return format_time(start, locale)
    return f"{format_time(start, locale)}{DASH}{format_time(end, locale)}"


def format_when(when: When, locale: str = "sv") -> str:
    """A parsed date and time: "fredag 4 december 2026 kl. 09.00–12.00" (no time part if none was given)."""
    text = format_date(when.date, locale)
    if when.start is None:
        return text
    return f"{text} {_AT[_loc(locale)]} {format_time_range(when.start, when.end, locale)}"


def format_datetime(dt: datetime, tz: ZoneInfo, locale: str = "sv") -> str:
    """An instant shown in ``tz``: "fredag 4 december 2026 kl. 09.00"."""
    local = _local(dt, tz)
    return f"{format_date(local.date(), locale)} {_AT[_loc(locale)]} {format_time(local.time(), locale)}"


def format_range(start: datetime, end: datetime | None, tz: ZoneInfo, locale: str = "sv") -> str:
    """A meeting's span in ``tz``: "fredag 4 december 2026 kl. 09.00–12.00"; both dates if it spans days."""
    if end is None:
        return format_datetime(start, tz, locale)
    ls, le = _local(start, tz), _local(end, tz)
    if ls.date() == le.date():
        return (
            f"{format_date(ls.date(), locale)} {_AT[_loc(locale)]} "
            f"{format_time_range(ls.time(), le.time(), locale)}"
        )
    return f"{format_datetime(start, tz, locale)} {DASH} {format_datetime(end, tz, locale)}"


def _local(dt: datetime, tz: ZoneInfo) -> datetime:
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError("format_datetime needs a timezone-aware datetime")
    return dt.astimezone(tz)


def _as_date(d: date) -> date:
    # A datetime is a date too; Babel would then show it in its own zone, so keep only the date.
    return d.date() if isinstance(d, datetime) else d


def first_name(name: str | None) -> str:
    """The first word of a person's display name ("Anna" from "Anna Gustafsson"); "" if none."""
    return (name or "").split(" ")[0]
