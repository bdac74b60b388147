"""How-to footers that a person is shown only the first few times.

"Ändra texten med **ändra uppgift 3** …" helps the first time and is noise on every reply in a
busy channel. Each person's count is kept per network in the team's settings (so it survives a
restart and is the same on every instance), next to the network's other settings. The counts are
a list of {"person", "hint", "count"} rather than a dict keyed by person, so `skis-bot
forget-member`, which rewrites ids where they are values, anonymises them like every other record.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from storage.team import Team

HINTS_SETTING = "hints_seen"
HINT_LIMIT = 3
ACTION_HOW_TO_CHANGE = "action_how_to_change"
DECISION_HOW_TO_CHANGE = "decision_how_to_change"


async def take_hint(store: Any, team_key: str, person_key: str, hint: str, limit: int = HINT_LIMIT) -> bool:
    """True (and counted) the first ``limit`` times ``person_key`` is shown ``hint`` in this network."""
    team = await store.teams.get_team(team_key)
    if team is None:
        return True  # nowhere to count: better the footer than none
    if _seen(team, person_key, hint) >= limit:
        return False  # counts only grow: no need to lock anything to say no
    taken = False

    def count(current: Team) -> Team:
        # Under the register's lock: two replies at once (on two instances) count twice.
        nonlocal taken
        seen = _entries(current)
        entry = next((e for e in seen if e.get("person") == person_key and e.get("hint") == hint), None)
        shown = _seen(current, person_key, hint)
        if shown >= limit:
            return current
        taken = True
        if entry is None:
            seen.append({"person": person_key, "hint": hint, "count": shown + 1})
        else:
            entry["count"] = shown + 1
        return replace(current, settings={**current.settings, HINTS_SETTING: seen})

    if await store.teams.change_team(team_key, count) is None:
        return True
    return taken


def _entries(team: Team) -> list[dict[str, Any]]:
    stored = (team.settings or {}).get(HINTS_SETTING)
    return [dict(e) for e in stored if isinstance(e, dict)] if isinstance(stored, list) else []


def _seen(team: Team, person_key: str, hint: str) -> int:
    entry = next((e for e in _entries(team) if e.get("person") == person_key and e.get("hint") == hint), None)
    count = entry.get("count") if entry is not None else 0
    return count if isinstance(count, int) else 0


async def hints_seen(store: Any, team_key: str, person_key: str) -> dict[str, int]:
    """How often ``person_key`` has been shown each hint in this network."""
    team = await store.teams.get_team(team_key)
    stored = (team.settings or {}).get(HINTS_SETTING) if team is not None else None
    entries = stored if isinstance(stored, list) else []
    return {e["hint"]: e["count"] for e in entries if isinstance(e, dict) and e.get("person") == person_key}
