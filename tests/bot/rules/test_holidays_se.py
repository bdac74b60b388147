"""Swedish holidays and eves, so meeting dates on them can be flagged."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.rules.holidays_se import holiday_name, holidays_in


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2027, 1, 1), "Nyårsdagen"),
        (date(2027, 1, 5), "Trettondagsafton"),
        (date(2027, 1, 6), "Trettondedag jul"),
        (date(2027, 3, 25), "Skärtorsdagen"),
        (date(2027, 3, 26), "Långfredagen"),
        (date(2027, 3, 27), "Påskafton"),
        (date(2027, 3, 28), "Påskdagen"),
        (date(2027, 3, 29), "Annandag påsk"),
        (date(2027, 4, 30), "Valborgsmässoafton"),
        (date(2027, 5, 1), "Första maj"),
        (date(2026, 5, 14), "Kristi himmelsfärdsdag"),
        (date(2027, 5, 6), "Kristi himmelsfärdsdag"),
        (date(2027, 5, 15), "Pingstafton"),
        (date(2027, 5, 16), "Pingstdagen"),
        (date(2027, 6, 6), "Nationaldagen"),
        (date(2027, 6, 25), "Midsommarafton"),
        (date(2027, 6, 26), "Midsommardagen"),
        (date(2026, 6, 19), "Midsommarafton"),
        (date(2026, 10, 30), "Allahelgonsafton"),
        (date(2026, 10, 31), "Alla helgons dag"),
        (date(2026, 12, 24), "Julafton"),
        (date(2026, 12, 25), "Juldagen"),
        (date(2026, 12, 26), "Annandag jul"),
        (date(2026, 12, 31), "Nyårsafton"),
    ],
)
def test_holidays_and_eves(day: date, name: str) -> None:
    assert holiday_name(day) == name


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 11, 23),  # an ordinary Monday
        date(2026, 11, 22),  # a Sunday is not a holiday here
        date(2026, 12, 4),  # an ordinary Friday
        date(2027, 5, 7),  # Friday after Ascension: a bridge day, not a holiday
        date(2026, 12, 23),  # banks close early, but it is no holiday
    ],
)
def test_ordinary_days(day: date) -> None:
    assert holiday_name(day) is None


def test_english_names() -> None:
    assert holiday_name(date(2027, 3, 26), "en") == "Good Friday"
    assert holiday_name(date(2027, 6, 25), "en") == "Midsummer Eve"


@pytest.mark.parametrize("year", range(2020, 2041))
def test_midsommarafton_is_the_friday_between_19_and_25_june(year: int) -> None:
    eve = [d for d, n in holidays_in(year).items() if n == "Midsommarafton"]
    assert len(eve) == 1
    assert eve[0].weekday() == 4 and date(year, 6, 19) <= eve[0] <= date(year, 6, 25)
    assert holiday_name(eve[0] + timedelta(days=1)) == "Midsommardagen"


def test_no_sundays_flood_the_year() -> None:
    assert 20 <= len(holidays_in(2027)) <= 25


def test_years_outside_the_calendar_have_no_holidays() -> None:
    assert holiday_name(date(1900, 12, 25)) is None
