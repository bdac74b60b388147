"""Hostile texts: the words the parsers look for, repeated; markup, entities and odd Unicode."""

from __future__ import annotations

from hypothesis import strategies as st

from bot.routing import COMMANDS
from tests.fuzz.figures import MAX_CHARS

# What the parsers look for: keywords, dates, times, numbers, mentions; and what trips text up.
KEYWORDS = [
    "till ", "uppgift ", "beslut ", "senast ", "innan ", "nästa möte ", "till nästa möte ", "ingen ", "punkt 3: ",
    "påminnelse ", "dagar före ", "av ", "på ", "kl ", "klockan ", "om ", "veckor ", "fredag ", "nästa fredag ",
    "idag ", "imorgon ", "i övermorgon ", "vecka 49 ", "v. 49 ",
]
DATES = ["4 december ", "4/12 ", "2026-12-04 ", "20261204 ", "4 dec 2026 ", "den 4:e ", "31 februari ", "0 jan ",
         "99999999999999999999 ", "12 ", "1 ", "2026 "]
TIMES = ["kl 9 ", "9-15 ", "13.00–15.00 ", "09:00 ", "24:61 ", "kl 9.30-11 ", "9—", "–", "-"]
MENTIONS = ["<at>Anna</at> ", "<at>Anna Gustafsson</at> ", "@Anna ", "@ ", "<at></at>", "<at>", "</at>"]
MARKUP = ["<b>", "</b>", "<script>", "&amp;", "&lt;", "&#x1F600;", "&#0;", "&nbsp;", "<br/>", "*", "_", "`", "[x](y)",
          "{{DATE()}}", "\\", "\"", "'"]
UNICODE = ["\u200b", "\u200d", "\u2060", "\ufeff", "\u202e", "\u2066", "\u0301", "\xa0", "\u3000", "😀", "👩‍👩‍👧",
           "Töreboda ", "ÅÄÖ ", "\n", "\r\n", "\t", "\x00", "\x07", "\ud800", "\udfff", "İ", "ß", "ﬁ", "٣", "𝟗"]
PIECES = KEYWORDS + DATES + TIMES + MENTIONS + MARKUP + UNICODE
COMMAND_WORDS = sorted({phrase for phrases in COMMANDS.values() for phrase in phrases})

piece = st.sampled_from(PIECES)
short_text = st.lists(st.one_of(piece, st.characters(), st.text(max_size=8)), max_size=20).map("".join)


@st.composite
def long_text(draw: st.DrawFn, max_chars: int = MAX_CHARS) -> str:
    """A unit of one to four pieces repeated up to ``max_chars``, between two short texts."""
    unit = "".join(draw(st.lists(piece, min_size=1, max_size=4)))
    times = draw(st.integers(min_value=1, max_value=max(1, max_chars // len(unit))))
    text = draw(short_text) + unit * times + draw(short_text)
    return text[:max_chars]


def hostile_text(max_chars: int = MAX_CHARS) -> st.SearchStrategy[str]:
    """Any of: random short text, keyword soup, a long repetition; often after a command word."""
    body = st.one_of(short_text, st.text(max_size=min(max_chars, 200)), long_text(max_chars))
    return st.one_of(body, st.tuples(st.sampled_from(COMMAND_WORDS), body).map(" ".join))
