"""What the words after `kommer` mean: a yes, a no with a note, or something to ask about.

"kommer inte" is its own command; this reads what follows a plain `kommer` (and its date), where
Teams users also write "kommer ej" or "kommer tyvärr inte", and where anything else must not
silently become a yes.
"""

from __future__ import annotations

from bot.text import fold
from storage.attendance_repo import NO, YES

# What may follow `kommer` (after a date) and still plainly mean yes, folded.
_YES_WORDS = frozenset({"", "garna", "sjalvklart", "absolut", "ja", "tack", "som vanligt", "jag med", "ocksa"})
# `kommer` followed by one of these is a no ("kommer ej", "kommer tyvärr inte"); what follows is a note.
_NO_WORDS = ("tyvarr inte", "tyvarr ej", "nog inte", "inte", "ej")


def attend_yes_meaning(rest: str) -> tuple[str, str | None] | None:
    """What the words after `kommer` (and its date) mean: (YES, None), (NO, note), or None when
    they are not plainly either, so the person is asked rather than saved as coming."""
    words = fold(rest).replace(",", " ").strip(" .!:;-–").split()
    if " ".join(words) in _YES_WORDS:
        return YES, None
    for phrase in _NO_WORDS:
        n = len(phrase.split())
        if tuple(words[:n]) == tuple(phrase.split()):
            note_words = rest.split()[n:]
            return NO, " ".join(note_words).strip(" ,.:-–") or None
    return None
