"""Plain text helpers every layer uses: folding for comparison, shortening, record numbers, and
how much room a text takes in a Teams message.

No Bot Framework here: the rules (bot/rules), cards and minutes use these without reaching the SDK.
Markdown escaping (``escape``) and its reverse (``plain_text``) stay in ``bot.cards``: they are the
markup dialect Teams renders in cards and chat, a pair that changes together with the card helpers.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

# Teams refuses messages over about 28 KB of JSON; stay well below with text split on line
# breaks, counting both characters and escaped bytes (emoji and Swedish letters cost more than one).
MAX_TEXT_CHARS = 12000
MAX_TEXT_BYTES = 20_000

_NUMBER = re.compile(r"^\s*(?:(?:uppgift|uppgiften|beslut|beslutet|nr\.?|nummer)\s*)?#?(\d{1,6})\b[\s:.,]*", re.IGNORECASE)


def fold(text: str) -> str:
    """Case- and diacritic-insensitive form: 'Töreboda' and 'toreboda' fold alike."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def short(text: str, limit: int = 80) -> str:
    """``text`` on one line, cut with "…" when longer than ``limit`` characters."""
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= limit else one_line[: limit - 1].rstrip() + "…"


def parse_number(args: str) -> tuple[int | None, str]:
    """The record number at the start of ``args`` ("12", "#12", "nr 12") and the rest."""
    m = _NUMBER.match(args)
    if not m:
        return None, args.strip()
    return int(m.group(1)), args[m.end() :].strip()


def wire_size(value: Any) -> int:
    """Bytes ``value`` takes in the activity's JSON (an emoji in a string is 12: ``\\ud83d\\ude00``)."""
    return len(json.dumps(value)) - (2 if isinstance(value, str) else 0)


def split_text(text: str, limit: int = MAX_TEXT_CHARS, max_bytes: int = MAX_TEXT_BYTES) -> list[str]:
    """Split at line breaks into pieces of at most ``limit`` characters and ``max_bytes`` bytes of
    escaped JSON (a longer line is cut)."""
    pieces: list[str] = []
    current, current_size = "", 0
    for line in text.splitlines(keepends=True) or [""]:
        size = wire_size(line)
        if len(current) + len(line) <= limit and current_size + size <= max_bytes:
            current, current_size = current + line, current_size + size
            continue
        if current:
            pieces.append(current)
        current, current_size = "", 0
        while line:
            size = wire_size(line)
            if len(line) <= limit and size <= max_bytes:
                current, current_size = line, size
                break
            cut = _fitting_prefix(line, limit, max_bytes)
            pieces.append(line[:cut])
            line = line[cut:]
    if current or not pieces:
        pieces.append(current)
    return pieces


def _fitting_prefix(line: str, limit: int, max_bytes: int) -> int:
    size = 0
    for index, char in enumerate(line[:limit]):
        size += wire_size(char)
        if size > max_bytes:
            return max(index, 1)
    return min(len(line), limit)
