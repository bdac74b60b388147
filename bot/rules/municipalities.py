"""The municipalities a network covers, reading what people type, and who is represented at a meeting.

Skaraborg's 15 municipalities are the default. A network may list its own in the team settings
(``team.settings["municipalities"]``, a list of names), and a deployment may set
``Settings.municipalities`` (from ``SKIS_MUNICIPALITIES``, comma-separated).

A member's ``municipality`` is one name, or several joined with ", " when one person represents
municipalities that work together ("Mariestad, Gullspång"); ``municipalities_of`` splits it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from typing import Any

from bot.text import fold

DEFAULT_MUNICIPALITIES: tuple[str, ...] = (
    "Essunga",
    "Falköping",
    "Grästorp",
    "Gullspång",
    "Götene",
    "Hjo",
    "Karlsborg",
    "Lidköping",
    "Mariestad",
    "Skara",
    "Skövde",
    "Tibro",
    "Tidaholm",
    "Töreboda",
    "Vara",
)

# Members who come from the coordinating body rather than a municipality; accepted by `kommun`
# but never counted as a municipality that must be represented.
ORGANISATIONS: tuple[str, ...] = ("Skaraborgs kommunalförbund",)

# No \s* around the separators: on a long run of blanks that makes the split quadratic. The parts
# are stripped instead, which leaves the same names.
_SEPARATORS = re.compile(r",|;|/|&|\+|\boch\b", re.IGNORECASE)
_SUFFIX = re.compile(r"(?:s)?\s+kommun$")


def municipalities(team: Any | None = None, settings: Any | None = None) -> tuple[str, ...]:
    """The municipalities of a network: the team's own list, else the deployment's, else Skaraborg's."""
    own = (getattr(team, "settings", None) or {}).get("municipalities")
    if own:
        return tuple(str(name) for name in own)
    configured = getattr(settings, "municipalities", None)
    if configured:
        return tuple(configured)
    return DEFAULT_MUNICIPALITIES


def parse_list(text: str) -> tuple[str, ...]:
    """``"Essunga, Falköping; Hjo"`` -> the names, in order, without blanks or repeats."""
    names: list[str] = []
    seen: set[str] = set()  # folded names so far: one look-up per name keeps a long list linear
    for part in re.split(r"[,;\n]", text):
        name = part.strip()
        key = fold(name)
        if name and key not in seen:
            seen.add(key)
            names.append(name)
    return tuple(names)


def _key(text: str) -> str:
    folded = " ".join(fold(text).split())
    return _SUFFIX.sub("", folded) if folded not in {fold(o) for o in ORGANISATIONS} else folded


def match(text: str, known: Sequence[str]) -> str | None:
    """The known municipality (or organisation) ``text`` names, ignoring case, accents and "kommun"."""
    wanted = _key(text)
    if not wanted:
        return None
    for name in (*known, *ORGANISATIONS):
        if _key(name) == wanted:
            return name
    # "kommunalförbundet", "Skaraborgs kommunalförbund" and "förbundet" all mean the same body.
    if "forbund" in wanted:
        return ORGANISATIONS[0]
    return None


def suggestions(text: str, known: Sequence[str], n: int = 3) -> list[str]:
    """Known municipalities that look like ``text`` (for "did you mean"), best first."""
    wanted = _key(text)
    if not wanted:
        return []
    by_key = {_key(name): name for name in known}
    close = difflib.get_close_matches(wanted, list(by_key), n=n, cutoff=0.6)
    starts = [k for k in by_key if k.startswith(wanted[:3]) and k not in close] if len(wanted) >= 3 else []
    return [by_key[k] for k in (*close, *starts)][:n]


def split_names(text: str) -> list[str]:
    """"Mariestad och Gullspång" -> ["Mariestad", "Gullspång"]."""
    return [part for part in (piece.strip() for piece in _SEPARATORS.split(text)) if part]


def municipalities_of(value: str | None) -> tuple[str, ...]:
    """The municipalities a member's ``municipality`` field names (it may list several)."""
    if not value:
        return ()
    return tuple(part.strip() for part in value.split(",") if part.strip())


def join_names(names: Iterable[str]) -> str:
    """The stored form of several municipalities for one member."""
    return ", ".join(names)


async def represented(
    store: Any, team_key: str, meeting_id: str, *, settings: Any | None = None
) -> tuple[set[str], set[str]]:
    """(represented, not represented) municipalities of a meeting.

    Once the secretary has recorded who was present, that list decides. Before that, the answers
    count: "kommer" and "ersättare" (a substitute comes from the same municipality) represent
    the member's municipality, "kommer inte" does not.
    """
    team = await store.teams.get_team(team_key)
    known = municipalities(team, settings)
    members = {m.key: m for m in await store.teams.members(team_key, active_only=False)}
    present = await store.attendance.present(team_key, meeting_id)
    names: set[str] = set()
    if present:
        for person in present:
            member = members.get(person.member_key or "")
            names.update(municipalities_of(person.municipality or (member.municipality if member else None)))
    else:
        for answer in await store.attendance.answers(team_key, meeting_id):
            if not answer.coming:
                continue
            member = members.get(answer.member_key)
            names.update(municipalities_of((member.municipality if member else None) or answer.municipality))
    by_fold = {fold(k): k for k in known}
    here = {by_fold[fold(n)] for n in names if fold(n) in by_fold}
    return here, set(known) - here
