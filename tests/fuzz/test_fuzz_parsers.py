"""Fuzz every parser of typed text: it answers (never raises) whatever it is given, and quickly.

Budget and figures: tests/fuzz/figures.py (``make fuzz`` runs a larger budget).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.routing import card_action
from tests.fuzz.figures import DERANDOMIZE, EXAMPLES, FIGURES, MAX_CHARS, PARSE_BUDGET_MS, TEAMS_MESSAGE_CHARS
from tests.fuzz.long_inputs import probe
from tests.fuzz.parsers import PARSERS
from tests.fuzz.strategies import PIECES, hostile_text

# A parse of a text of at most MAX_CHARS characters that takes longer than this is a hang, not
# slowness; the real budget (50 ms up to 28 KB) is checked below on the slow test run.
HANG_SECONDS = 5.0

FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=DERANDOMIZE, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _cap(name: str) -> int:
    """How long a text ``name`` is fuzzed with: MAX_CHARS, or less for a parser that is slow
    on long texts (found by the probe, so the cap lifts by itself once the parser is linear)."""
    if MAX_CHARS <= 1_000:
        return MAX_CHARS
    return min(MAX_CHARS, probe(name, PARSERS[name][0])["safe_chars"])


@pytest.mark.parametrize("name", sorted(PARSERS))
@FUZZ
@given(text=hostile_text(), today=st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
def test_a_parser_answers_any_text(name: str, text: str, today: date) -> None:
    parse, valid = PARSERS[name]
    text = text[: _cap(name)]
    result, ms = FIGURES.timed_parse(name, lambda s: parse(s, today), text)
    assert valid(result), (name, text[:200], result)
    assert ms < HANG_SECONDS * 1000, (name, ms, text[:200])


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20) | st.sampled_from(PIECES),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=15,
)


@FUZZ
@given(value=st.one_of(json_values, st.dictionaries(st.sampled_from(["action", "verb", "number", "meeting", "team", "id"]),
                                                      json_values, max_size=5)))
def test_card_action_answers_any_value(value: Any) -> None:
    FIGURES.timed_parse("routing.card_action", lambda _s: card_action(value), "")


@pytest.mark.slow
@pytest.mark.parametrize(
    "name",
    sorted(PARSERS),
)
def test_a_parser_reads_a_long_adversarial_text_within_the_budget(name: str) -> None:
    worst = probe(name, PARSERS[name][0])
    FIGURES.long_inputs[name] = worst
    assert worst["chars"] <= TEAMS_MESSAGE_CHARS
    assert worst["ms"] <= PARSE_BUDGET_MS, f"{name}: {worst['ms']:.0f} ms on {worst['chars']} characters of {worst['family']!r}"
