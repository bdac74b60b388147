"""Word search that forgives case and Swedish diacritics: ``skovde`` finds *Skövde*.

People type in a hurry and on phones without å, ä and ö, so both the query and the text are
folded (``bot.routing.fold``) before comparing. Every query word must start some word of the
text (``bäst`` finds *Bästa skola*; ``skola bästa`` does too, in any order).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import TypeVar

from bot.text import fold

T = TypeVar("T")

# Letters and digits; "SKIS-gruppen" gives "skis" and "gruppen", "23/24" gives "23" and "24".
_WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    """The folded words of ``text``, in order."""
    return _WORD.findall(fold(text))


def matches(query: str, text: str) -> bool:
    """True when every word of ``query`` starts a word of ``text`` (an empty query matches all)."""
    wanted = words(query)
    if not wanted:
        return True
    have = words(text)
    return all(any(word.startswith(w) for word in have) for w in wanted)


def search(items: Iterable[T], query: str, text_of: Callable[[T], str]) -> list[T]:
    """The items whose text matches ``query``, in their original order."""
    return [item for item in items if matches(query, text_of(item))]
