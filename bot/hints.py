"""How-to footers that a person is shown only the first few times.

"Ändra texten med **ändra uppgift 3** …" helps the first time and is noise on every reply in a
busy channel. Each person's count is kept per network in the team's settings (so it survives a
restart and is the same on every instance), next to the network's other settings.
"""

from __future__ import annotations

from typing import Any

HINTS_SETTING = "hints_seen"
HINT_LIMIT = 3
ACTION_HOW_TO_CHANGE = "action_how_to_change"


def take_hint(store: Any, team_key: str, person_key: str, hint: str, limit: int = HINT_LIMIT) -> bool:
    """True (and counted) the first ``limit`` times ``person_key`` is shown ``hint`` in this network."""
    team = store.teams.get_team(team_key)
    if team is None:
        return True  # nowhere to count: better the footer than none
    seen: dict[str, Any] = dict((team.settings or {}).get(HINTS_SETTING) or {})
    mine: dict[str, Any] = dict(seen.get(person_key) or {})
    count = mine.get(hint, 0)
    count = count if isinstance(count, int) else 0
    if count >= limit:
        return False
    mine[hint] = count + 1
    seen[person_key] = mine
    store.teams.update_team_settings(team_key, {HINTS_SETTING: seen})
    return True
