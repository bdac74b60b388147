"""Word search: case and Swedish diacritics ignored, words matched by their start."""

from __future__ import annotations

import pytest

from bot.rules.search import matches, search, words


@pytest.mark.parametrize(
    ("query", "text", "hit"),
    [
        ("bästa", "Skövde och Tibro presenterar Bästa skola", True),
        ("basta", "Bästa skola", True),
        ("BÄSTA SKOLA", "bästa skola", True),
        ("skola bästa", "Bästa skola", True),
        ("skovde", "Skövde och Tibro", True),
        ("Skövde", "SKOVDE", True),
        ("bäst", "Bästa skola", True),
        ("sta", "Bästa skola", False),  # inside a word, not at its start
        ("bästa tibro", "Bästa skola i Skövde", False),  # every word must be there
        ("gruppen", "Mejla SKIS-gruppen", True),
        ("töreboda", "Toreboda", True),
        ("23", "Resultat 23/24", True),
        ("", "vad som helst", True),
        ("  ", "vad som helst", True),
        ("å", "", False),
    ],
)
def test_matches(query: str, text: str, hit: bool) -> None:
    assert matches(query, text) is hit


def test_words_and_search_keep_order() -> None:
    assert words("Bästa skola, Skövde!") == ["basta", "skola", "skovde"]
    items = ["Skövde först", "Tibro", "skovde sist"]
    assert search(items, "SKÖVDE", str) == ["Skövde först", "skovde sist"]
