"""`språk`: the network's language, for its channel, its shared cards and its reminders.

Which language a reply is in is decided in one place, ``bot.messages.reply_locale``; this module
only lets the presidium or the secretary change the network's setting.
"""

from __future__ import annotations

from bot.messages import FULL_LOCALES, NETWORK_LANGUAGE_SETTING, network_language, t
from bot.routing import fold
from bot.turn import Turn

LANGUAGE_ROLES = ("presidium", "sekreterare")
# What people type after `språk`, folded (no å/ä/ö, lower case).
LANGUAGE_WORDS = {"svenska": "sv", "swedish": "sv", "sv": "sv", "engelska": "en", "english": "en", "en": "en"}


def _name(language: str, locale: str) -> str:
    return t(f"core.language_name.{language}", locale)


async def language(turn: Turn, args: str) -> None:
    """`språk [svenska|engelska]`: shows the network's language, or (presidium, secretary) changes it,
    answered in the new language; a language the catalogue does not cover wholly is refused."""
    current = network_language(turn.team)
    wanted = LANGUAGE_WORDS.get(fold(args.strip(" .!")))
    if wanted is None:
        await turn.say_key("core.language_usage", language=_name(current, turn.locale))
        return
    if not turn.has_role(*LANGUAGE_ROLES):
        await turn.say_key("core.language_only_roles", language=_name(current, turn.locale))
        return
    if wanted not in FULL_LOCALES:
        await turn.say_key("core.language_incomplete", language=_name(wanted, turn.locale))
        return
    team = await turn.store.teams.update_team_settings(turn.team.key, {NETWORK_LANGUAGE_SETTING: wanted}) or turn.team
    turn.team = team
    turn.locale = wanted
    await turn.say_key("core.language_set", language=_name(wanted, wanted))


COMMANDS = {"language": language}
CARD_ACTIONS: dict[str, object] = {}
