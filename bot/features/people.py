"""Who a message names: @mentions and typed names, read in the network's own formats.

Shared by attendance (`närvarande`, `ersättare`) and members (`roll`): a person is a member of
the register when one name matches one member, a guest (with a municipality when one is written
after the name) otherwise.
"""

from __future__ import annotations

import re

from bot.routing import fold
from bot.rules import municipalities as mun
from bot.teams import install
from bot.turn import Turn
from storage.teams_repo import Member

# More names than any meeting has people: a pasted text, not an attendance list. The bound
# also keeps reading one message linear (each name is looked up in the whole register).
MAX_PEOPLE = 100


class TooManyNames(Exception):
    """A list of people longer than MAX_PEOPLE."""


async def resolve_people(turn: Turn, text: str) -> tuple[list[Member], list[tuple[str, str | None]], list[str]]:
    """Members named in ``text`` (by @mention or name), guests (name, municipality) and ambiguous names.

    The network's own formats are read: "Pernilla Bergman Götene, Therese Lindberg Tibro" (name
    then municipality, no comma between), one person a line ("Susanne Sandgren, Skaraborgs
    kommunalförbund"), and "@Anna @Peter, Susanne Sandgren" with the @ typed by hand."""
    members = await turn.store.teams.members(turn.team.key)
    found: list[Member] = []
    for mention in turn.mentions:
        member = await install.ensure_member(turn.services, turn.team, mention)
        if member.key not in {m.key for m in found}:
            found.append(member)
        text = text.replace(f"@{mention.name}", ",")
    guests: list[tuple[str, str | None]] = []
    ambiguous: list[str] = []
    known = mun.municipalities(turn.team, turn.services.settings)
    entries: list[list[str | None]] = []  # [what was written for the person, a municipality after it]
    for line in text.split("\n"):
        for chunk in _PEOPLE_SPLIT.split(line):
            chunk = chunk.strip(" .:@")
            if not chunk:
                continue
            place = _place_only(chunk, known)
            if place is not None:
                # "Sofia Andreasson, Lidköping": the municipality belongs to the name before it.
                if entries and entries[-1][1] is None:
                    entries[-1][1] = place
                continue
            entries.append([chunk, None])
            if len(entries) > MAX_PEOPLE:
                raise TooManyNames
    for chunk, given_place in entries:
        assert chunk is not None
        hits = match_name(chunk, members)
        name, place = chunk, given_place
        if not hits:
            name, trailing = _split_trailing_place(chunk, known)
            place = place or trailing
            hits = match_name(name, members) if trailing else []
        if len(hits) == 1:
            if hits[0].key not in {m.key for m in found}:
                found.append(hits[0])
        elif len(hits) > 1:
            ambiguous.append(f"{name} ({', '.join(m.name for m in hits)})")
        else:
            words = name.split()
            # "Anna Peter Sofia" without commas: at most a roomful of one-word names.
            singles = [match_name(w, members) for w in words] if len(words) <= MAX_PEOPLE else []
            if place is None and 1 < len(words) <= MAX_PEOPLE and all(len(s) == 1 for s in singles):
                for s in singles:
                    if s[0].key not in {m.key for m in found}:
                        found.append(s[0])
            else:
                guests.append((name[:120], place))
    return found, guests, ambiguous


# Between people: commas, semicolons, "och", and an @ typed by hand ("@Anna @Peter").
_PEOPLE_SPLIT = re.compile(r"\s*(?:,|;|\boch\b|(?<!\S)@)\s*", re.IGNORECASE)


_BODY_WORDS = frozenset({"skaraborgs", "kommunalforbund", "kommunalforbundet", "forbundet", "forbund"})


def _place_only(chunk: str, known: tuple[str, ...]) -> str | None:
    """The municipality (or body) ``chunk`` is, when it is nothing else: "Camilla Lundberg
    Skaraborgs Kommunalförbund" is a person, not the body."""
    place = mun.match(chunk, known)
    if place in mun.ORGANISATIONS and not set(fold(chunk).split()) <= _BODY_WORDS:
        return None
    return place


def _split_trailing_place(chunk: str, known: tuple[str, ...]) -> tuple[str, str | None]:
    """ "Pernilla Bergman Götene" -> ("Pernilla Bergman", "Götene"); the longest municipality
    (or "Skaraborgs kommunalförbund") at the end, with at least one word of name left."""
    words = chunk.split()
    for k in (3, 2, 1):
        if len(words) <= k:
            continue
        place = mun.match(" ".join(words[-k:]), known)
        if place is None:
            continue
        if place in mun.ORGANISATIONS and k > 1 and fold(words[-k]) != "skaraborgs":
            continue  # "Lundberg Kommunalförbund" names no body: a shorter end is tried
        return " ".join(words[:-k]), place
    return chunk, None


def match_name(text: str, members: list[Member]) -> list[Member]:
    wanted = fold(text)
    exact = [m for m in members if fold(m.name) == wanted]
    if exact:
        return exact
    return [m for m in members if wanted in (fold(p) for p in m.name.split())]
