"""Dates and times as the bot writes them, Swedish first."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from babel import Locale

from bot.dates import When
from bot.formatting import (
    format_date,
    format_date_short,
    format_datetime,
    format_day,
    format_range,
    format_time,
    format_time_range,
    format_when,
)

TZ = ZoneInfo("Europe/Stockholm")
FRI = date(2026, 12, 4)


def test_babel_gives_swedish_names_in_lower_case() -> None:
    sv = Locale.parse("sv")
    months = list(sv.months["format"]["wide"].values())
    days = list(sv.days["format"]["wide"].values())
    assert len(months) == 12 and len(days) == 7
    assert all(name == name.lower() for name in months + days)
    assert "december" in months and "fredag" in days


@pytest.mark.parametrize(
    ("func", "locale", "expected"),
    [
        (format_date, "sv", "fredag 4 december 2026"),
        (format_date, "en", "Friday 4 December 2026"),
        (format_day, "sv", "fredag 4 december"),
        (format_day, "en", "Friday 4 December"),
        (format_date_short, "sv", "4 december 2026"),
        (format_date_short, "en", "4 December 2026"),
    ],
)
def test_dates(func: Callable[[date, str], str], locale: str, expected: str) -> None:
    assert func(FRI, locale) == expected


def test_swedish_is_the_default_and_unknown_locales_fall_back_to_it() -> None:
    assert format_date(FRI) == format_date(FRI, "sv-SE") == format_date(FRI, "de") == "fredag 4 december 2026"
    assert format_date(FRI, "en-US") == "Friday 4 December 2026"


def test_every_month_name() -> None:
    names = [format_date_short(date(2027, m, 1)).split(" ")[1] for m in range(1, 13)]
    assert names == [
        "januari", "februari", "mars", "april", "maj", "juni",
        "juli", "augusti", "september", "oktober", "november", "december",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("t", "locale", "expected"),
    [
        (time(9), "sv", "09.00"),
        (time(13, 30), "sv", "13.30"),
        (time(9), "en", "09:00"),
        (time(0, 5), "sv", "00.05"),
    ],
)
def test_time(t: time, locale: str, expected: str) -> None:
    assert format_time(t, locale) == expected


def test_time_range() -> None:
    assert format_time_range(time(9), time(12)) == "09.00–12.00"
    assert format_time_range(time(9), None) == "09.00"


@pytest.mark.parametrize(
    ("when", "locale", "expected"),
    [
        (When(FRI, time(9), time(12)), "sv", "fredag 4 december 2026 kl. 09.00–12.00"),
        (When(FRI, time(9), time(12)), "en", "Friday 4 December 2026 at 09:00–12:00"),
        (When(FRI, time(8, 30)), "sv", "fredag 4 december 2026 kl. 08.30"),
        (When(FRI), "sv", "fredag 4 december 2026"),
        (When(FRI), "en", "Friday 4 December 2026"),
    ],
)
def test_when(when: When, locale: str, expected: str) -> None:
    assert format_when(when, locale) == expected


def test_datetime_is_shown_in_local_time_across_dst() -> None:
    assert format_datetime(datetime(2026, 12, 4, 8, 0, tzinfo=UTC), TZ) == "fredag 4 december 2026 kl. 09.00"
    assert format_datetime(datetime(2026, 10, 24, 7, 0, tzinfo=UTC), TZ) == "lördag 24 oktober 2026 kl. 09.00"
    assert format_datetime(datetime(2026, 10, 25, 8, 0, tzinfo=UTC), TZ) == "söndag 25 oktober 2026 kl. 09.00"
    assert (
        format_datetime(datetime(2027, 3, 28, 7, 0, tzinfo=UTC), TZ, "en") == "Sunday 28 March 2027 at 09:00"
    )
    # Late evening in UTC is already the next day (and year) in Stockholm.
    assert (
        format_datetime(datetime(2026, 12, 31, 23, 30, tzinfo=UTC), TZ) == "fredag 1 januari 2027 kl. 00.30"
    )


def test_range() -> None:
    start = datetime(2026, 12, 4, 8, 0, tzinfo=UTC)
    end = datetime(2026, 12, 4, 11, 0, tzinfo=UTC)
    assert format_range(start, end, TZ) == "fredag 4 december 2026 kl. 09.00–12.00"
    assert format_range(start, end, TZ, "en") == "Friday 4 December 2026 at 09:00–12:00"
    assert format_range(start, None, TZ) == "fredag 4 december 2026 kl. 09.00"
    two_days = datetime(2026, 12, 5, 11, 0, tzinfo=UTC)
    assert format_range(start, two_days, TZ) == (
        "fredag 4 december 2026 kl. 09.00 – lördag 5 december 2026 kl. 12.00"
    )


def test_round_trip_with_when() -> None:
    when = When(FRI, time(9), time(12))
    start, end = when.start_at(TZ), when.end_at(TZ)
    assert start is not None and end is not None
    assert format_range(start, end, TZ) == format_when(when)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError):
        format_datetime(datetime(2026, 12, 4, 9, 0), TZ)  # noqa: DTZ001


def test_a_datetime_passed_as_a_date_shows_its_own_date() -> None:
    assert format_date(datetime(2026, 12, 4, 23, 30, tzinfo=UTC)) == "fredag 4 december 2026"
