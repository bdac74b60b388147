"""The date interpreter, as a table of what people type and what the bot must understand."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.dates import DateQuestion, When, parse_time, parse_when, split_when
from bot.formatting import format_date, format_time
from bot.messages import CATALOGUE

TZ = ZoneInfo("Europe/Stockholm")
MON = date(2026, 11, 23)  # a Monday
FRI = date(2026, 12, 4)  # a Friday
NEW_YEAR_WEEK = date(2026, 12, 30)  # a Wednesday
ISO_WEEK_53 = date(2027, 1, 2)  # a Saturday, still ISO week 53 of 2026
AUTUMN_2024 = date(2024, 10, 1)


def W(
    y: int, m: int, d: int, start: tuple[int, int] | None = None, end: tuple[int, int] | None = None
) -> When:
    return When(
        date(y, m, d),
        None if start is None else time(*start),
        None if end is None else time(*end),
    )


# (today, text, expected When or the key of the question asked back)
CASES: list[tuple[date, str, When | str]] = [
    # The examples from the minutes and the issue.
    (MON, "6 april 8.30-12.00", W(2027, 4, 6, (8, 30), (12, 0))),
    (MON, "1 juni 8.30–12.00", W(2027, 6, 1, (8, 30), (12, 0))),
    (MON, "19/6", W(2027, 6, 19)),
    (MON, "2 oktober 13 - 15", W(2027, 10, 2, (13, 0), (15, 0))),
    (AUTUMN_2024, "fredag 15 november", W(2024, 11, 15)),
    (MON, "den 4 december kl. 9", W(2026, 12, 4, (9, 0))),
    (MON, "4:e december", W(2026, 12, 4)),
    (MON, "2026-12-04 09:00", W(2026, 12, 4, (9, 0))),
    # The short numeric date ÅÅ-MM-DD is a date, never the time "27-01".
    (MON, "27-01-29", W(2027, 1, 29)),
    (MON, "27-01-29 kl 9", W(2027, 1, 29, (9, 0))),
    (MON, "fredag 27-01-29 9-12", W(2027, 1, 29, (9, 0), (12, 0))),
    (MON, "fredag 2026-12-04 kl 9", W(2026, 12, 4, (9, 0))),
    (MON, "tisdag 27-01-29", "dates.weekday_mismatch"),
    (MON, "27-02-30", "dates.impossible_date"),
    # "nästa fredag" early in the week is this week's Friday to some, next week's to others.
    (MON, "nästa fredag", "dates.next_weekday_ambiguous"),
    (MON, "kommande fredag", W(2026, 11, 27)),
    # Swedish clock words; by day, an hour below 7 is in the afternoon.
    (MON, "4 december halv tio", W(2026, 12, 4, (9, 30))),
    (MON, "4 december kvart över nio", W(2026, 12, 4, (9, 15))),
    (MON, "4 december kvart i tio", W(2026, 12, 4, (9, 45))),
    (MON, "4 december kl tio-tolv", W(2026, 12, 4, (10, 0), (12, 0))),
    (MON, "4 december halv tio till halv fyra", W(2026, 12, 4, (9, 30), (15, 30))),
    (MON, "4 december halv tre", W(2026, 12, 4, (14, 30))),
    (MON, "halv tio fredag 4 december", W(2026, 12, 4, (9, 30))),
    (MON, "halv tio", "dates.missing_date"),
    (MON, "4 december tio", "dates.extra_text"),  # a bare number word is no time
    (MON, "fredag nästa vecka", W(2026, 12, 4)),
    (MON, "fredag om två veckor", W(2026, 12, 11)),
    (MON, "om två veckor", W(2026, 12, 7)),
    (MON, "imorgon", W(2026, 11, 24)),
    (MON, "idag", W(2026, 11, 23)),
    (MON, "i övermorgon", W(2026, 11, 25)),
    (MON, "20 september", W(2027, 9, 20)),
    (MON, "fredag 4 december kl 13:00", W(2026, 12, 4, (13, 0))),
    (MON, "4 december 13.00–15.00", W(2026, 12, 4, (13, 0), (15, 0))),
    (MON, "4 december 9-15", W(2026, 12, 4, (9, 0), (15, 0))),
    (MON, "4 dec", W(2026, 12, 4)),
    (MON, "fredag 4 december kl 9-12", W(2026, 12, 4, (9, 0), (12, 0))),
    # A time without a day is understood, and the day is asked for.
    (MON, "kl 13:00", "dates.missing_date"),
    (MON, "13.00–15.00", "dates.missing_date"),
    (MON, "9-15", "dates.missing_date"),
    # Traps.
    (MON, "2026-12-04", W(2026, 12, 4)),  # dayfirst would give 12 April
    (MON, "2026-04-12", W(2026, 4, 12)),
    (MON, "4 december 14.30", W(2026, 12, 4, (14, 30))),  # 14.30 is a time, not a year
    (MON, "14.30", "dates.missing_date"),
    (MON, "kl 9", "dates.missing_date"),  # not the 9th
    (MON, "punkt 3", "dates.unparseable"),  # no fuzzy parsing
    (MON, "SKIS-gruppen 2", "dates.unparseable"),
    (MON, "möte 3 nästa vecka", "dates.unparseable"),
    (MON, "4 december 9", "dates.extra_text"),  # a lone number after a date is not a time
    (MON, "4 december Skövde", "dates.extra_text"),
    (MON, "mötet är 4 december", "dates.extra_text"),
    # Questions instead of guesses.
    (MON, "fredag 15 november", "dates.weekday_mismatch"),  # 15 november 2027 is a Monday
    (MON, "fredag 5 december 2026", "dates.weekday_mismatch"),
    (MON, "fredag 5 december 2026 kl 9-12", "dates.weekday_mismatch"),
    (MON, "lördag 4/12", "dates.weekday_mismatch"),
    (MON, "31 juni", "dates.impossible_date"),
    (MON, "30/2", "dates.impossible_date"),
    (MON, "31/4 2027", "dates.impossible_date"),
    (MON, "29 februari 2027", "dates.impossible_date"),
    (MON, "2026-02-30", "dates.impossible_date"),
    (MON, "4 december kl 15-13", "dates.end_before_start"),
    (MON, "4 december kl 9-9", "dates.end_before_start"),
    (MON, "kl 15-13", "dates.end_before_start_time"),
    (MON, "kl 25", "dates.impossible_time"),
    (MON, "4 december kl 9.75", "dates.impossible_time"),
    (MON, "4 december 2026 kl 24", "dates.impossible_time"),
    (MON, "fredag vecka 54", "dates.impossible_week"),
    (MON, "hej", "dates.unparseable"),
    (MON, "2026-13-01", "dates.unparseable"),
    (MON, "45 december", "dates.unparseable"),
    (MON, "", "dates.empty"),
    (MON, "   ", "dates.empty"),
    (MON, "december", "dates.missing_day"),
    (MON, "i mars 2027", "dates.missing_day"),
    # More ways of writing the same thing.
    (MON, "kl 9-12 fredag 4 december", W(2026, 12, 4, (9, 0), (12, 0))),
    (MON, "fredagen den 4 december kl 9 - 12", W(2026, 12, 4, (9, 0), (12, 0))),
    (MON, "2026-12-04T09:00", W(2026, 12, 4, (9, 0))),
    (MON, "2026-12-04 09:00-12:00", W(2026, 12, 4, (9, 0), (12, 0))),
    (MON, "Friday 4 December at 9-12", W(2026, 12, 4, (9, 0), (12, 0))),
    (MON, "fre 4 dec.", W(2026, 12, 4)),
    (MON, "4 dec 2027", W(2027, 12, 4)),
    (MON, "4/12", W(2026, 12, 4)),
    (MON, "4/12-26", W(2026, 12, 4)),
    (MON, "19/6 2027 13-15", W(2027, 6, 19, (13, 0), (15, 0))),
    (MON, "fredag 4/12", W(2026, 12, 4)),
    (MON, "4 december kl. 8.30–12", W(2026, 12, 4, (8, 30), (12, 0))),
    (MON, "4 DECEMBER KL 9", W(2026, 12, 4, (9, 0))),
    (MON, "4 december, kl 9", W(2026, 12, 4, (9, 0))),
    (MON, "4 december klockan 13", W(2026, 12, 4, (13, 0))),
    (MON, "4 december 9 till 12", W(2026, 12, 4, (9, 0), (12, 0))),
    (MON, "4 december kl 9 — 12", W(2026, 12, 4, (9, 0), (12, 0))),
    (MON, "4 december.", W(2026, 12, 4)),
    (MON, "4\u00a0december\u200f kl\u00a09", W(2026, 12, 4, (9, 0))),  # NBSP and an RTL mark
    (MON, "4 sept", W(2027, 9, 4)),
    (MON, "4 okt.", W(2027, 10, 4)),
    (MON, "1:a maj", W(2027, 5, 1)),
    (MON, "I morgon kl 9", W(2026, 11, 24, (9, 0))),
    (MON, "på fredag", W(2026, 11, 27)),
    (MON, "fredag", W(2026, 11, 27)),
    (MON, "måndag", W(2026, 11, 23)),  # today counts
    (MON, "nästa måndag", W(2026, 11, 30)),  # "nästa" never means today
    (MON, "om 3 dagar", W(2026, 11, 26)),
    (MON, "om en vecka", W(2026, 11, 30)),
    (MON, "fredag nästa vecka", W(2026, 12, 4)),
    (MON, "fredag vecka 49", W(2026, 12, 4)),
    (MON, "fredag v. 2", W(2027, 1, 15)),
    (MON, "23 november", W(2026, 11, 23)),  # today counts as the next 23 november
    (MON, "22 november", W(2027, 11, 22)),
    (MON, "29/2", W(2028, 2, 29)),  # the next 29 February
    # Around a Friday: "fredag" is today, "nästa fredag" is next week.
    (FRI, "fredag", W(2026, 12, 4)),
    (FRI, "nästa fredag", W(2026, 12, 11)),
    (FRI, "nästa onsdag", W(2026, 12, 9)),  # already next week: one meaning
    (FRI, "fredag om två veckor", W(2026, 12, 18)),
    (FRI, "4 december", W(2026, 12, 4)),
    # Around the turn of the year.
    (NEW_YEAR_WEEK, "4 januari", W(2027, 1, 4)),
    (NEW_YEAR_WEEK, "30 december", W(2026, 12, 30)),
    (NEW_YEAR_WEEK, "29 december", W(2027, 12, 29)),
    (NEW_YEAR_WEEK, "nästa fredag", "dates.next_weekday_ambiguous"),
    (NEW_YEAR_WEEK, "om två veckor", W(2027, 1, 13)),
    (NEW_YEAR_WEEK, "fredag vecka 1", W(2027, 1, 8)),
    (NEW_YEAR_WEEK, "31/12", W(2026, 12, 31)),
    (NEW_YEAR_WEEK, "fredag 1 januari", W(2027, 1, 1)),
    (ISO_WEEK_53, "fredag", W(2027, 1, 8)),
    (ISO_WEEK_53, "idag", W(2027, 1, 2)),
    (ISO_WEEK_53, "1 januari", W(2028, 1, 1)),
    (ISO_WEEK_53, "fredag vecka 53", "dates.impossible_week"),
    # Daylight saving time: 2026-10-25 (back) and 2027-03-28 (forward).
    (MON, "2027-03-28 02:30", "dates.nonexistent_time"),
    (MON, "28 mars 2027 kl 2.30", "dates.nonexistent_time"),
    (MON, "28 mars 2027 kl 2-4", "dates.nonexistent_time"),
    (MON, "28 mars 2027 kl 1-3.30", W(2027, 3, 28, (1, 0), (3, 30))),
    (date(2026, 10, 1), "25 oktober kl 2.30", W(2026, 10, 25, (2, 30))),  # happens twice: the first
]


@pytest.mark.parametrize(("today", "text", "expected"), CASES, ids=[f"{c[0]}|{c[1]}" for c in CASES])
def test_parse_when(today: date, text: str, expected: When | str) -> None:
    result = parse_when(text, today)
    if isinstance(expected, When):
        assert result == expected
    else:
        assert isinstance(result, DateQuestion), result
        assert result.key == expected
        # Every question can be shown in both languages without a missing parameter.
        assert result.text("sv") and result.text("en")


def test_the_table_is_large_enough() -> None:
    assert len(CASES) + len(SPLIT_CASES) + len(INSTANTS) >= 70


# (text, exact local start, exact end) — aware instants across both DST changes.
INSTANTS = [
    ("24 oktober 2026 kl 9", datetime(2026, 10, 24, 7, 0, tzinfo=UTC), None),  # CEST, +02:00
    ("25 oktober 2026 kl 9", datetime(2026, 10, 25, 8, 0, tzinfo=UTC), None),  # CET, +01:00
    ("25 oktober 2026 kl 2.30", datetime(2026, 10, 25, 0, 30, tzinfo=UTC), None),  # first 02.30
    ("27 mars 2027 kl 9", datetime(2027, 3, 27, 8, 0, tzinfo=UTC), None),
    (
        "28 mars 2027 kl 9-12",
        datetime(2027, 3, 28, 7, 0, tzinfo=UTC),
        datetime(2027, 3, 28, 10, 0, tzinfo=UTC),
    ),
    (
        "28 mars 2027 kl 1.30-3.30",
        datetime(2027, 3, 28, 0, 30, tzinfo=UTC),
        datetime(2027, 3, 28, 1, 30, tzinfo=UTC),
    ),
    (
        "fredag 4 december kl 9-12",
        datetime(2026, 12, 4, 8, 0, tzinfo=UTC),
        datetime(2026, 12, 4, 11, 0, tzinfo=UTC),
    ),
]


@pytest.mark.parametrize(("text", "start", "end"), INSTANTS)
def test_start_and_end_are_aware_instants(text: str, start: datetime, end: datetime | None) -> None:
    when = parse_when(text, MON)
    assert isinstance(when, When)
    got_start, got_end = when.start_at(TZ), when.end_at(TZ)
    assert got_start is not None and got_start.tzinfo is TZ
    # Compare in UTC: an ambiguous local time (PEP 495) never equals an instant in another zone.
    assert got_start.astimezone(UTC) == start
    assert (got_end and got_end.astimezone(UTC)) == end


def test_a_date_without_time_has_no_instants() -> None:
    when = parse_when("4 december", MON)
    assert isinstance(when, When)
    assert when.start_at(TZ) is None and when.end_at(TZ) is None


def test_skipped_wall_time_built_by_hand_still_gives_a_real_instant() -> None:
    start = When(date(2027, 3, 28), time(2, 30)).start_at(TZ)
    assert start == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)


def test_end_without_start_is_refused() -> None:
    with pytest.raises(ValueError):
        When(date(2026, 12, 4), None, time(12))


# (text, expected result or question key, text before, text after)
SPLIT_CASES: list[tuple[str, When | str | None, str, str]] = [
    (
        "fredag 4 december kl 9-12 Regionens hus, Skövde",
        W(2026, 12, 4, (9, 0), (12, 0)),
        "",
        "Regionens hus, Skövde",
    ),
    (
        "Mejla inbjudan till SKIS-gruppen @Anna till 4 december",
        W(2026, 12, 4),
        "Mejla inbjudan till SKIS-gruppen @Anna till",
        "",
    ),
    (
        "Skövde stadshus, den 4 december kl. 8.30–12.00",
        W(2026, 12, 4, (8, 30), (12, 0)),
        "Skövde stadshus",
        "",
    ),
    ("nytt möte kl 9-12 fredag 4 december Skövde", W(2026, 12, 4, (9, 0), (12, 0)), "nytt möte", "Skövde"),
    ("Vi ses på fredag i Skövde", W(2026, 11, 27), "Vi ses", "i Skövde"),
    ("Uppföljning om två veckor", W(2026, 12, 7), "Uppföljning", ""),
    ("Vi möts 19/6 kl 13", W(2027, 6, 19, (13, 0)), "Vi möts", ""),
    ("Rapport 2026-12-04 klar", W(2026, 12, 4), "Rapport", "klar"),
    ("4 december 9 Skövde", W(2026, 12, 4), "", "9 Skövde"),
    ("fredag 5 december 2026 Regionens hus", "dates.weekday_mismatch", "", "Regionens hus"),
    ("Möte 31 juni i Hjo", "dates.impossible_date", "Möte", "i Hjo"),
    ("Mejla inbjudan till SKIS-gruppen 2", None, "Mejla inbjudan till SKIS-gruppen 2", ""),
    ("punkt 3 Nationellt kvalitetssystem", None, "punkt 3 Nationellt kvalitetssystem", ""),
    ("Ring Anna kl 9", None, "Ring Anna kl 9", ""),
    ("Svara i mån av tid", None, "Svara i mån av tid", ""),
    ("Fördela budget 50/50", None, "Fördela budget 50/50", ""),
    ("Läs kapitel 3-4 till nästa möte", None, "Läs kapitel 3-4 till nästa möte", ""),
    ("Planera fredagsmötet", None, "Planera fredagsmötet", ""),
    ("Boka Maj och Jan", None, "Boka Maj och Jan", ""),
]


@pytest.mark.parametrize(("text", "expected", "before", "after"), SPLIT_CASES)
def test_split_when(text: str, expected: When | str | None, before: str, after: str) -> None:
    result, got_before, got_after = split_when(text, MON)
    if expected is None or isinstance(expected, When):
        assert result == expected
    else:
        assert isinstance(result, DateQuestion) and result.key == expected
    assert (got_before, got_after) == (before, after)


TIMES: list[tuple[str, tuple[time, time | None] | str]] = [
    ("kl 9", (time(9), None)),
    ("9", (time(9), None)),
    ("13.00–15.00", (time(13), time(15))),
    ("9-15", (time(9), time(15))),
    ("kl. 8.30 - 12", (time(8, 30), time(12))),
    ("kl 15-13", "dates.end_before_start_time"),
    ("25", "dates.impossible_time"),
    ("efter lunch", "dates.unparseable_time"),
    ("", "dates.unparseable_time"),
]


@pytest.mark.parametrize(("text", "expected"), TIMES)
def test_parse_time(text: str, expected: tuple[time, time | None] | str) -> None:
    result = parse_time(text)
    if isinstance(expected, str):
        assert isinstance(result, DateQuestion) and result.key == expected
        assert result.text("sv") and result.text("en")
    else:
        assert result == expected


def test_weekday_mismatch_says_what_was_understood_and_what_to_type() -> None:
    question = parse_when("fredag 5 december 2026 kl 9-12", MON)
    assert isinstance(question, DateQuestion)
    assert question.text("sv") == (
        "Den 5 december 2026 är en lördag, inte en fredag. Menar du fredag 4 december? "
        "Skriv datumet igen, till exempel: fredag 4 december kl. 9–12"
    )
    assert question.text("en") == (
        "5 December 2026 is a Saturday, not a Friday. Did you mean Friday 4 December? "
        "Please type the date again, for example: Friday 4 December at 9–12"
    )


def test_unparseable_echoes_the_text_and_gives_an_example() -> None:
    question = parse_when("efter jul", MON)
    assert isinstance(question, DateQuestion)
    assert (
        question.text()
        == "Jag förstod inte datumet ”efter jul”. Skriv till exempel: fredag 27 november kl. 9–12"
    )


def test_every_question_key_is_in_the_catalogue() -> None:
    keys = {c[2] for c in CASES if isinstance(c[2], str)} | {t[1] for t in TIMES if isinstance(t[1], str)}
    assert keys <= set(CATALOGUE["sv"]) and keys <= set(CATALOGUE["en"])


def test_examples_in_questions_are_readable_back() -> None:
    """The example a question suggests must itself be understood (in both languages)."""
    for text in ("fredag 5 december 2026 kl 9-12", "hej", "kl 13", "4 december kl 15-13", "december"):
        question = parse_when(text, MON)
        assert isinstance(question, DateQuestion)
        for name in ("example", "example_en"):
            assert isinstance(parse_when(question.params[name], MON), When), question.params[name]


_NASTY = st.sampled_from(
    list("0123456789/-–—.:, \u200f\u200e\u202e\u00a0\x00\ufeffkltdenfredagdecemberjuniomvecka")
    + ["kl ", "den ", "fredag ", "4 december", "2026-", "19/6", "nästa ", "om två veckor", "İ", "ß", "٣"]
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.lists(_NASTY, max_size=12).map("".join)))
def test_never_raises_on_any_text(text: str) -> None:
    result = parse_when(text, MON)
    assert isinstance(result, When | DateQuestion)
    if isinstance(result, DateQuestion):
        assert result.text("sv") and result.text("en")
    found, before, after = split_when(text, MON)
    assert found is None or isinstance(found, When | DateQuestion)
    assert before in text and after in text
    parse_time(text)


@settings(max_examples=200, deadline=None)
@given(
    st.dates(min_value=date(2026, 11, 23), max_value=date(2031, 12, 31)),
    st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    st.sampled_from(["sv", "en"]),
)
def test_what_the_bot_writes_it_can_read_back(day: date, at: time, locale: str) -> None:
    text = f"{format_date(day, locale)} {'kl.' if locale == 'sv' else 'at'} {format_time(at, locale)}"
    result = parse_when(text, MON)
    exists = datetime.combine(day, at, tzinfo=TZ).astimezone(UTC).astimezone(TZ).time() == at
    if exists:
        assert result == When(day, at)
    else:
        assert isinstance(result, DateQuestion) and result.key == "dates.nonexistent_time"


# Words that name no single day or time: in a would-be place or title they become a question.
VAGUE: list[tuple[str, str | None]] = [
    ("eftermiddagen", "dates.part_of_day"),
    ("förmiddag", "dates.part_of_day"),
    ("heldag", "dates.part_of_day"),
    ("vecka 12", "dates.week_without_day"),
    ("v. 7", "dates.week_without_day"),
    ("januari", "dates.missing_day"),
    ("efter jul", "dates.vague"),
    ("nästa träff", "dates.vague"),
    ("Regionens hus 13-15", "dates.vague"),
    ("halv", "dates.vague"),
    ("Regionens hus, Skövde", None),
    ("Skövde stadshus, Köpmannen", None),
    ("digitalt", None),
    ("Teams", None),
    ("Vårgårda", None),
]


@pytest.mark.parametrize(("text", "key"), VAGUE)
def test_vague_when(text: str, key: str | None) -> None:
    from bot.dates import vague_when

    found = vague_when(text, MON)
    assert (found.key if found else None) == key


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("13", ((time(13), None), "", "")),
        ("13-15 Regionens hus", ((time(13), time(15)), "", "Regionens hus")),
        ("Regionens hus kl 13", ((time(13), None), "Regionens hus", "")),
        ("Stadshuset halv tio", ((time(9, 30), None), "Stadshuset", "")),
        ("13 personer", (None, "13 personer", "")),
        ("Sal 2", (None, "Sal 2", "")),
    ],
)
def test_split_time(text: str, expected: object) -> None:
    from bot.dates import split_time

    assert split_time(text) == expected


@pytest.mark.parametrize(
    ("today", "text", "expected"),
    [
        (date(2026, 12, 3), "27 november", date(2026, 11, 27)),  # last Friday, not a year ahead
        (date(2026, 12, 3), "27 november kl 9-12", date(2026, 11, 27)),
        (date(2026, 12, 3), "27 november 2027", date(2027, 11, 27)),  # a year typed stays
        (date(2026, 12, 3), "4 december", date(2026, 12, 4)),
        (date(2026, 12, 3), "fredag", date(2026, 12, 4)),
        (date(2026, 12, 3), "1 juni", date(2027, 6, 1)),  # half a year off either way: ahead
        (date(2027, 1, 10), "18 december", date(2026, 12, 18)),  # across the new year
    ],
)
def test_recent_past(today: date, text: str, expected: date) -> None:
    from bot.dates import recent_past, split_when

    when, _b, _a = split_when(text, today)
    assert isinstance(when, When)
    assert recent_past(when, text, today).date == expected
