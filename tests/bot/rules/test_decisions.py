"""Decision prefixes ("punkt 3: …"): a pure function, as a table."""

from __future__ import annotations

import pytest

from bot.rules.decisions import split_agenda_item


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("punkt 3: Skövde presenterar", (3, "Skövde presenterar")),
        ("Punkt 12 - Nästa möte digitalt", (12, "Nästa möte digitalt")),
        ("p. 4, text", (4, "text")),
        ("Skövde presenterar punkt 3", (None, "Skövde presenterar punkt 3")),
        ("punkt 3", (3, "")),
        ("  ", (None, "")),
    ],
)
def test_split_agenda_item(text: str, expected: tuple[int | None, str]) -> None:
    assert split_agenda_item(text) == expected
