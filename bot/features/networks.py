"""Which network a person's 1:1 chat works on, and `nätverk` to see and choose it.

A 1:1 chat names no network: it works on the networks (teams, group chats) the person belongs to
where the bot is installed. With one, that one; with several, the one the person chose (kept in
storage per person), else the first team. A "personal" network founded by an older version (a
1:1 chat used on its own) is still offered, last, so its records stay reachable, but it is never
the default while the person belongs to a real network. With no network at all the 1:1 chat
founds nothing (bot/teams/bot.py answers how to add the bot to the team).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.messages import t
from bot.text import fold
from bot.turn import Turn
from storage.store import Store
from storage.teams_repo import Team

# The order networks are offered and numbered in: teams, then group chats, then an old personal one.
_RANK = {"team": 0, "groupChat": 1, "personal": 2}


@dataclass(frozen=True)
class Selection:
    """The network a 1:1 chat works on now, among all of the person's networks."""

    team: Team
    networks: tuple[Team, ...]
    # The name of a remembered choice that is no longer the person's (removed, left), once.
    fallback_from: str | None = None
    gone: str | None = None  # that choice's key


async def networks_of(store: Store, person_key: str) -> list[Team]:
    """The active networks ``person_key`` is an active member of, teams first, each kind in join order."""
    repo = store.teams
    found = []
    for key in await repo.teams_of_person(person_key):  # the index lists active memberships only
        team = await repo.get_team(key)
        if team is not None and team.active:
            found.append(team)
    return sorted(found, key=lambda team: _RANK.get(team.kind, 1))  # stable: keeps join order


async def select(store: Store, person_key: str) -> Selection | None:
    """The network the person's 1:1 chat works on, or None when they belong to none."""
    networks = tuple(await networks_of(store, person_key))
    if not networks:
        return None
    chosen = (await store.teams.network_choice(person_key))["chosen"]
    team = next((n for n in networks if n.key == chosen), None)
    if team is not None:
        return Selection(team, networks)
    fallback_from = None
    if chosen is not None:
        old = await store.teams.get_team(chosen)
        fallback_from = old.name if old is not None else chosen
    return Selection(networks[0], networks, fallback_from, chosen)


def display_name(team: Team, locale: str) -> str:
    """How a network is called to the person: its name, or what an old personal network was."""
    return t("networks.legacy_name", locale) if team.kind == "personal" else team.name


def pick(names: list[str], text: str) -> int | None:
    """The index of the network ``text`` chooses among ``names``: its number (from 1), its name
    (any case, with or without å/ä/ö), or the one name that contains it; None if none or several."""
    text = text.strip()
    if text.isdigit():
        number = int(text)
        return number - 1 if 1 <= number <= len(names) else None
    wanted = fold(" ".join(text.split()))
    if not wanted:
        return None
    folded = [fold(" ".join(name.split())) for name in names]
    exact = [i for i, name in enumerate(folded) if name == wanted]
    if len(exact) == 1:
        return exact[0]
    partial = [i for i, name in enumerate(folded) if wanted in name]
    return partial[0] if len(partial) == 1 else None


async def network_line(turn: Turn, selection: Selection, *, naming: bool) -> str | None:
    """The line a 1:1 reply ends with: that a remembered network is gone (always said), or which
    network it acts on (``naming``) whenever the person has several, or once after it changed.
    With one network, the common case, the chat stays quiet: the welcome has named it."""
    if selection.fallback_from is not None:
        return turn.t("networks.fallback", old=selection.fallback_from, new=display_name(selection.team, turn.locale))
    if not naming:
        return None
    named = (await turn.store.teams.network_choice(turn.member.key))["named"]
    if len(selection.networks) > 1 or (named is not None and named != selection.team.key):
        return turn.t("networks.line", name=display_name(selection.team, turn.locale))
    return None


async def remember_named(store: Store, person_key: str, selection: Selection) -> None:
    """The reply has named ``selection.team``; a choice that is gone is forgotten (the first remains).
    Only that changes, on the choice as stored: one the person makes meanwhile elsewhere is kept."""
    await store.teams.name_network(person_key, selection.team.key, forget=selection.gone)


async def networks(turn: Turn, args: str) -> None:
    """`nätverk`: the person's networks, numbered, the current one marked; `nätverk 2` or
    `nätverk <namn>` chooses the one the 1:1 chat works on."""
    if not turn.in_personal_chat:
        # A channel or group chat is one network: nothing to choose there.
        await turn.say_key("networks.in_channel", name=turn.team.name)
        return
    person = turn.member.key
    found = await networks_of(turn.store, person)
    names = [display_name(team, turn.locale) for team in found]
    wanted = turn.command_args(args).strip()
    if not wanted:
        if len(found) <= 1:
            await turn.say_key("networks.only_one", name=display_name(turn.team, turn.locale))
            return
        lines = [turn.t("networks.list_title")]
        for number, (team, name) in enumerate(zip(found, names, strict=True), start=1):
            key = "networks.list_current" if team.key == turn.team.key else "networks.list_other"
            lines.append(turn.t(key, number=number, name=name))
        example = next(n for n, team in enumerate(found, start=1) if team.key != turn.team.key)
        lines.append(turn.t("networks.list_footer", example=example))
        await turn.say("\n\n".join(lines))
        return
    index = pick(names, wanted)
    if index is None:
        shown = wanted if len(wanted) <= 60 else wanted[:57] + "…"
        await turn.say_key("networks.unknown_choice", text=shown)
        return
    team = found[index]
    await turn.store.teams.save_network_choice(person, chosen=team.key, named=team.key)
    await turn.say_key("networks.already" if team.key == turn.team.key else "networks.chosen", name=names[index])


COMMANDS = {"networks": networks}
