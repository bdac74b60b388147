"""Teams (networks), their members and roles, and where to reach people.

A "team" is one network: a Teams team, or a group chat or personal chat used on its own.
Its key is the Teams team id (or the conversation id of a chat). Team-wide records live in
the partition ``team/<key>``; the global partition only indexes teams and people.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from storage.engine import Engine

# Re-exported: callers name the records and partitions through the repository that keeps them.
from storage.partitions import GLOBAL, name_part, team_partition  # noqa: F401
from storage.team import Member, Team, member_key  # noqa: F401


class TeamsRepo:
    """Teams, members and the index of who belongs where."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    # Teams ---------------------------------------------------------------------------------
    async def get_team(self, key: str) -> Team | None:
        doc = (await self._engine.read(GLOBAL)).get("teams", key)
        return Team.from_doc(doc) if doc else None

    async def all_teams(self, *, active_only: bool = True) -> list[Team]:
        teams = [Team.from_doc(d) for d in (await self._engine.read(GLOBAL)).all("teams")]
        return [t for t in teams if t.active or not active_only]

    async def save_team(self, team: Team) -> None:
        async with self._engine.write(GLOBAL) as tx:
            tx.put("teams", team.key, team.to_doc())

    async def set_team_active(self, key: str, active: bool) -> Team | None:
        return await self._change_team(key, lambda team: replace(team, active=active))

    async def update_team_settings(self, key: str, changes: dict[str, Any]) -> Team | None:
        return await self._change_team(key, lambda team: replace(team, settings={**team.settings, **changes}))

    async def change_team(self, key: str, change: Callable[[Team], Team]) -> Team | None:
        """Apply ``change`` to the team as stored, under the lock (a read-modify-write); None if there
        is no such team. Nothing is written when ``change`` returns the team unchanged."""
        return await self._change_team(key, change)

    async def _change_team(self, key: str, change: Callable[[Team], Team]) -> Team | None:
        async with self._engine.write(GLOBAL) as tx:
            # Read inside the write block: another instance's change to the same team is kept.
            doc = tx.get("teams", key)
            if doc is None:
                return None
            before = Team.from_doc(doc)
            team = change(before)
            if team != before:
                tx.put("teams", team.key, team.to_doc())
        return team

    # Members -------------------------------------------------------------------------------
    async def get_member(self, team_key: str, key: str) -> Member | None:
        doc = (await self._engine.read(team_partition(team_key))).get("members", key)
        return Member.from_doc(doc) if doc else None

    async def members(self, team_key: str, *, active_only: bool = True) -> list[Member]:
        docs = (await self._engine.read(team_partition(team_key))).all("members")
        members = [Member.from_doc(d) for d in docs]
        return sorted(
            (m for m in members if m.active or not active_only), key=lambda m: m.name.casefold()
        )

    async def save_member(self, team_key: str, member: Member) -> None:
        await self.save_members(team_key, [member])

    async def save_members(self, team_key: str, members: Iterable[Member]) -> None:
        """Store members of one team in one write, and index them globally for 1:1 chat."""
        members = list(members)
        if not members:
            return
        async with self._engine.write(team_partition(team_key)) as tx:
            for member in members:
                tx.put("members", member.key, member.to_doc())
        async with self._engine.write(GLOBAL) as index:
            # The index is read inside its write block: a person joining two networks at once
            # (two instances) keeps both.
            for member in members:
                doc = index.get("people", member.key) or {"key": member.key, "teams": []}
                teams = [k for k in doc["teams"] if k != team_key]
                if member.active:
                    teams.append(team_key)
                if teams != doc["teams"]:
                    index.put("people", doc["key"], {**doc, "teams": teams})

    async def teams_of_person(self, person_key: str) -> list[str]:
        doc = (await self._engine.read(GLOBAL)).get("people", person_key)
        return list(doc["teams"]) if doc else []

    # Personal conversations (for 1:1 reminders and digests) --------------------------------
    async def save_personal_ref(self, person_key: str, conversation_ref: dict[str, Any]) -> bool:
        """Keep where to reach the person 1:1; True when none was kept before (decided under the
        lock: of two activities installing the bot at once, one is first)."""
        async with self._engine.write(GLOBAL) as tx:
            first = tx.get("personal_refs", person_key) is None
            tx.put("personal_refs", person_key, {"key": person_key, "ref": conversation_ref})
        return first

    async def personal_ref(self, person_key: str) -> dict[str, Any] | None:
        doc = (await self._engine.read(GLOBAL)).get("personal_refs", person_key)
        return doc["ref"] if doc else None

    # The network a person's 1:1 chat works on (bot/features/networks.py) ---------------------
    async def network_choice(self, person_key: str) -> dict[str, Any]:
        """``{"chosen": key or None, "named": key or None}``: the network the person chose for their
        1:1 chat, and the one the chat last named in a reply (so it is named again only on a change)."""
        doc = (await self._engine.read(GLOBAL)).get("network_choices", person_key) or {}
        return {"chosen": doc.get("chosen"), "named": doc.get("named")}

    async def save_network_choice(self, person_key: str, *, chosen: str | None, named: str | None) -> None:
        # Most turns change nothing: checking a snapshot first spares them the global write lock.
        if await self.network_choice(person_key) == {"chosen": chosen, "named": named}:
            return  # nothing changed: nothing written
        async with self._engine.write(GLOBAL) as tx:
            tx.put("network_choices", person_key, {"key": person_key, "chosen": chosen, "named": named})
