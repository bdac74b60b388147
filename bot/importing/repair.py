"""Repairing scanned (OCR) minutes whose å, ä and ö came out wrong ("Nérvarande", "Gétene").

OCR of Swedish text turns å/ä/ö into look-alikes: é, è, d, a, i, o, 6, &, 4, G ("Gver" for
"över"), "ia" or "id" (for ä), and a lone "1" for "i". A word is repaired when replacing a few of
those look-alikes gives a word that is clearly more common Swedish (``wordfreq``, offline) or a
known name (the municipalities, the coordinating body, the member register). Close calls are
still repaired but marked uncertain ("ar" may be "är" or "år"), and every repair is listed.

Only text that looks scanned is touched (``looks_scanned``): clean minutes keep every word.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from bot.rules.municipalities import DEFAULT_MUNICIPALITIES, ORGANISATIONS

# Look-alike -> what it may stand for. Multi-letter look-alikes are tried like single ones.
_SUBSTITUTES: dict[str, tuple[str, ...]] = {
    "é": ("ä", "ö", "å"),
    "è": ("ä", "ö"),
    "d": ("ä", "å", "ö"),
    "a": ("å", "ä"),
    "i": ("ä", "å"),
    "o": ("ö",),
    "e": ("ä",),
    "6": ("ö",),
    "&": ("ä",),
    "4": ("å", "ä"),
    "g": ("ö",),
    "ia": ("ä",),
    "éi": ("ä",),
    "id": ("ä",),
}
# Marks a scan leaves inside words (é, è, or &, 4, 6 touching letters); a real word such as
# "idé" or "café" has them too, so only unknown words with a mark count (``looks_scanned``).
_STRONG = re.compile(r"[éè]|(?<=[^\W\d_])[&46]|[&46](?=[^\W\d_])")
_TOKEN = re.compile(r"[^\W_]+|&[^\W_]*", re.UNICODE)

MAX_CHANGES = 3
MIN_ZIPF = 2.5  # the repaired word must be at least this common (wordfreq's Zipf scale)
MARGIN = 1.5  # ... and this much more common than the word as scanned
CLOSE = 1.3  # a second reading this close makes the repair uncertain
NAME_ZIPF = 6.0  # a known name counts as a common word


@dataclass(frozen=True)
class Repair:
    paragraph: int  # 1-based
    original: str
    repaired: str
    uncertain: bool = False
    alternative: str | None = None  # the runner-up reading, when the repair is uncertain


def looks_scanned(paragraphs: Sequence[str]) -> bool:
    """True when the text has OCR marks: several unknown words with é, è, &, 4 or 6 inside them."""
    words = [w for p in paragraphs for w in re.findall(r"[^\s,.;:!?()\[\]\"”“']+", p)]
    marked = [w for w in words if _STRONG.search(w) and _zipf(w.casefold()) == 0.0]
    return len(marked) >= 3 and len(marked) * 100 >= len(words)


@lru_cache(maxsize=65536)
def _zipf(word: str) -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "sv")


def _positions(word: str) -> list[tuple[int, int, tuple[str, ...]]]:
    found = []
    for i in range(len(word)):
        for look, subs in _SUBSTITUTES.items():
            if word.startswith(look, i):
                found.append((i, len(look), subs))
    return found


def _candidates(word: str) -> set[str]:
    spots = _positions(word)
    out: set[str] = set()
    for k in range(1, MAX_CHANGES + 1):
        for chosen in itertools.combinations(spots, k):
            # Overlapping look-alikes ("ia" and "i") cannot both be replaced.
            ends = [(i, i + n) for i, n, _ in chosen]
            if any(a[1] > b[0] for a, b in itertools.pairwise(ends)):
                continue
            for subs in itertools.product(*(s for _, _, s in chosen)):
                pieces, last = [], 0
                for (i, n, _), sub in zip(chosen, subs, strict=True):
                    pieces.append(word[last:i])
                    pieces.append(sub)
                    last = i + n
                pieces.append(word[last:])
                out.add("".join(pieces))
    return out


class Repairer:
    """Repairs words against Swedish word frequencies and a lexicon of known names."""

    def __init__(self, names: Iterable[str] = ()) -> None:
        words = {*DEFAULT_MUNICIPALITIES, *ORGANISATIONS, *names}
        self._names = {w.casefold() for name in words for w in re.findall(r"[^\W\d_]+", name) if len(w) > 2}

    def _score(self, word: str) -> float:
        return NAME_ZIPF if word in self._names else _zipf(word)

    def word(self, token: str) -> tuple[str, bool, str | None] | None:
        """(repaired, uncertain, runner-up) for a scanned word, or None to keep it."""
        low = token.casefold()
        if low.isdigit() or len(low) < 2:
            return None
        original = self._score(low)
        if low in self._names:
            return None
        ranked = sorted(((self._score(c), c) for c in _candidates(low)), reverse=True)
        if not ranked:
            return None
        best_score, best = ranked[0]
        if best_score < MIN_ZIPF or best_score < original + MARGIN:
            return None
        runner = ranked[1] if len(ranked) > 1 else (0.0, "")
        uncertain = runner[0] >= MIN_ZIPF and best_score - runner[0] < CLOSE
        # Keep a capital only where the scan had a real letter there ("Gétene", not "Gver").
        if token[0].isupper() and not (token[0] in "GO6" and best[0] != low[0]):
            best = best[0].upper() + best[1:]
        return best, uncertain, (runner[1] if uncertain else None)

    def text(self, text: str, paragraph: int, repairs: list[Repair]) -> str:
        """``text`` with its scanned words repaired; appends each repair to ``repairs``."""
        out: list[str] = []
        last = 0
        tokens = list(_TOKEN.finditer(text))
        for n, match in enumerate(tokens):
            token = match.group(0)
            replacement: str | None = None
            uncertain, alternative = False, None
            if token == "1" and 0 < n < len(tokens) - 1:
                # "anvdnda 1 sitt arbete": a lone 1 between words is the word "i".
                before, after = tokens[n - 1].group(0), tokens[n + 1].group(0)
                if before.isalpha() and after[:1].islower():
                    replacement = "i"
            elif not token.isdigit():
                found = self.word(token)
                if found is not None:
                    replacement, uncertain, alternative = found
            if replacement is not None and replacement != token:
                out.append(text[last : match.start()])
                out.append(replacement)
                last = match.end()
                repairs.append(Repair(paragraph, token, replacement, uncertain, alternative))
        out.append(text[last:])
        return "".join(out)


def repair_paragraphs(paragraphs: Sequence[str], names: Iterable[str] = ()) -> tuple[tuple[str, ...], list[Repair]]:
    """The paragraphs repaired (if they look scanned) and every repair made, in text order."""
    repairs: list[Repair] = []
    if not looks_scanned(paragraphs):
        return tuple(paragraphs), repairs
    repairer = Repairer(names)
    fixed = tuple(repairer.text(p, i, repairs) for i, p in enumerate(paragraphs, start=1))
    return fixed, repairs
