"""How-to footers that a person is shown only the first few times.

"Ändra texten med **ändra uppgift 3** …" helps the first time and is noise on every reply in a
busy channel. Each person's count is kept per network in the team's settings (so it survives a
restart and is the same on every instance), next to the network's other settings. The counts are
a list of {"person", "hint", "count"} rather than a dict keyed by person, so `skis-bot
forget-member`, which rewrites ids where they are values, anonymises them like every other record.
"""

from __future__ import annotations

from typing import Any

HINTS_SETTING = "hints_seen"
HINT_LIMIT = 3
ACTION_HOW_TO_CHANGE = "action_how_to_change"
DECISION_HOW_TO_CHANGE = "decision_how_to_change"


async def take_hint(store: Any, team_key: str, person_key: str, hint: str, limit: int = HINT_LIMIT) -> bool:
    """True (and counted) the first ``limit`` times ``person_key`` is shown ``hint`` in this network."""
    team = await store.teams.get_team(team_key)
    if team is None:
        return True  # nowhere to count: better the footer than none
    stored = (team.settings or {}).get(HINTS_SETTING)
    seen = [dict(e) for e in stored if isinstance(e, dict)] if isinstance(stored, list) else []
    entry = next((e for e in seen if e.get("person") == person_key and e.get("hint") == hint), None)
    count = entry.get("count") if entry is not None else 0
    count = count if isinstance(count, int) else 0
    if count >= limit:
        return False
    if entry is None:
        seen.append({"person": person_key, "hint": hint, "count": count + 1})
    else:
        entry["count"] = count + 1
    await store.teams.update_team_settings(team_key, {HINTS_SETTING: seen})
    return True


async def hints_seen(store: Any, team_key: str, person_key: str) -> dict[str, int]:
    """How often ``person_key`` has been shown each hint in this network."""
    team = await store.teams.get_team(team_key)
    stored = (team.settings or {}).get(HINTS_SETTING) if team is not None else None
    entries = stored if isinstance(stored, list) else []
    return {e["hint"]: e["count"] for e in entries if isinstance(e, dict) and e.get("person") == person_key}
