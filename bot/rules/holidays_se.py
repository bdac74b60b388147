"""Swedish public holidays and the eves people take off, so the bot can warn about meeting dates.

Built on the ``holidays`` package (holidays.Sweden):
- PUBLIC: the statutory holidays (Nyårsdagen, Långfredagen, Kristi himmelsfärdsdag, Nationaldagen, ...).
- DE_FACTO: Midsommarafton, Julafton and Nyårsafton, which the Annual Leave Act treats as Sundays.
- OPTIONAL: the other eves (Trettondagsafton, Skärtorsdagen, Påskafton, Valborgsmässoafton,
  Pingstafton, Allahelgonsafton) plus "Klämdag", the Friday after Ascension, which is a bridge
  day and not an eve, so it is dropped.
Sundays are not holidays here (``include_sundays=False``): every Sunday would otherwise be one.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache

import holidays
from dateutil.easter import easter
from holidays.constants import DE_FACTO, OPTIONAL, PUBLIC

# The package appends the banks' early closing, e.g. "Valborgsmässoafton (från kl. 14.00)";
# for a meeting calendar the day's name is what matters.
_TIME_NOTE = re.compile(r"\s*\([^)]*\)")

_LANGUAGES = {"sv": "sv", "en": "en_US"}


def holiday_name(d: date, locale: str = "sv") -> str | None:
    """The Swedish name of the holiday or eve on ``d`` ("Midsommarafton"), or None on an ordinary day."""
    language = _LANGUAGES["en" if locale.lower().startswith("en") else "sv"]
    return _year_table(d.year, language).get(date(d.year, d.month, d.day))


def holidays_in(year: int, locale: str = "sv") -> dict[date, str]:
    """Every holiday and eve of ``year``, by date."""
    language = _LANGUAGES["en" if locale.lower().startswith("en") else "sv"]
    return dict(_year_table(year, language))


@lru_cache(maxsize=64)
def _year_table(year: int, language: str) -> dict[date, str]:
    if year < 1953 or year > 9000:  # outside what holidays.Sweden covers
        return {}
    calendar = holidays.Sweden(
        years=year,
        include_sundays=False,
        categories=(PUBLIC, DE_FACTO, OPTIONAL),
        language=language,
    )
    bridge_day = easter(year) + timedelta(days=40)  # the Friday after Ascension Day
    table: dict[date, str] = {}
    for day, name in sorted(calendar.items()):
        if day == bridge_day and day not in _public(year):
            continue
        table[day] = _TIME_NOTE.sub("", name).strip()
    return table


@lru_cache(maxsize=64)
def _public(year: int) -> frozenset[date]:
    return frozenset(holidays.Sweden(years=year, include_sundays=False, categories=(PUBLIC, DE_FACTO)))
