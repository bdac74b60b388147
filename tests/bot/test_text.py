"""Plain text helpers (bot/text.py): record numbers, shortening, folding."""

from __future__ import annotations

import pytest

from bot.text import fold, parse_number, short


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12", (12, "")), ("#7 ny text", (7, "ny text")), ("nr 3", (3, "")), ("uppgift 4: x", (4, "x")), ("tolv", (None, "tolv")), ("", (None, ""))],
)
def test_parse_number(text: str, expected: tuple[int | None, str]) -> None:
    assert parse_number(text) == expected


def test_short_keeps_one_line_and_cuts_with_an_ellipsis() -> None:
    assert short("Boka\n  lokal") == "Boka lokal"
    assert short("x" * 100, 10) == "x" * 9 + "…"


def test_fold_ignores_case_and_diacritics() -> None:
    assert fold("Töreboda") == fold("toreboda") == "toreboda"
