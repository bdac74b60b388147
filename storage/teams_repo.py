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

    async def add_team(self, team: Team) -> Team:
        """Store ``team`` unless a team with its key is stored already (read inside the write block:
        of two activities registering it at once, the first stays); the team as stored."""
        async with self._engine.write(GLOBAL) as tx:
            doc = tx.get("teams", team.key)
            if doc is not None:
                return Team.from_doc(doc)
            tx.put("teams", team.key, team.to_doc())
        return team

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
        """Store members of one team in one write, and index them globally for 1:1 chat.

        Writes whole records: for a change to a stored member use ``change_member``, for people
        who may be stored already ``add_members``."""
        members = list(members)
        if not members:
            return
        async with self._engine.write(team_partition(team_key)) as tx:
            for member in members:
                tx.put("members", member.key, member.to_doc())
        await self._index(team_key, [m.key for m in members])

    async def add_members(
        self, team_key: str, members: Iterable[Member], update: Callable[[Member, Member], Member] | None = None,
    ) -> list[tuple[Member, bool]]:
        """Store each member not stored yet; one that is stored is kept as it is (its roles
        above all), or changed by ``update(stored, given)`` (the fields the caller knows, such as
        the address in the roster). Read inside the write block: a member another instance stored
        or changed meanwhile is not overwritten. Returns (the member as stored, whether added)."""
        results: list[tuple[Member, bool]] = []
        written: list[str] = []
        async with self._engine.write(team_partition(team_key)) as tx:
            for member in members:
                doc = tx.get("members", member.key)
                if doc is None:
                    tx.put("members", member.key, member.to_doc())
                    results.append((member, True))
                    written.append(member.key)
                    continue
                stored = Member.from_doc(doc)
                changed = update(stored, member) if update is not None else stored
                if changed != stored:
                    tx.put("members", changed.key, changed.to_doc())
                    written.append(changed.key)
                results.append((changed, False))
        await self._index(team_key, written)
        return results

    async def change_member(
        self, team_key: str, key: str, change: Callable[[Member], Member],
        *, guard: Callable[[Member, list[Member]], None] | None = None,
    ) -> Member | None:
        """Apply ``change`` to the member as stored, under the team's lock; None if there is no
        such member. ``guard(changed, members)`` sees the change among every stored member of the
        team and raises to refuse it (nothing is written). Nothing is written when unchanged."""
        changed = await self.change_members(team_key, [key], change, guard=guard)
        return changed[0] if changed else None

    async def change_members(
        self, team_key: str, keys: Iterable[str], change: Callable[[Member], Member],
        *, guard: Callable[[Member, list[Member]], None] | None = None,
    ) -> list[Member]:
        """``change_member`` for several members in one write; the members found, as stored after."""
        results: list[Member] = []
        written: list[str] = []
        async with self._engine.write(team_partition(team_key)) as tx:
            for key in dict.fromkeys(keys):
                doc = tx.get("members", key)
                if doc is None:
                    continue
                before = Member.from_doc(doc)
                member = change(before)
                if guard is not None:
                    members = [member if d["key"] == key else Member.from_doc(d) for d in tx.all("members")]
                    guard(member, members)
                if member != before:
                    tx.put("members", member.key, member.to_doc())
                    written.append(member.key)
                results.append(member)
        await self._index(team_key, written)
        return results

    async def _index(self, team_key: str, keys: list[str]) -> None:
        """Bring the global index of who is in which team in line with the team's members as
        committed. The member list is read inside the index's write block: of two opposite changes
        to one member (two instances), the index block that runs last sees the final one, so the
        index cannot end up disagreeing with the register."""
        if not keys:
            return
        async with self._engine.write(GLOBAL) as index:
            committed = await self._engine.read(team_partition(team_key))
            for key in keys:
                member = committed.get("members", key)
                doc = index.get("people", key) or {"key": key, "teams": []}
                if member is not None and member.get("active", True):
                    # Kept in place when listed: the order is the order the person joined in.
                    teams = doc["teams"] if team_key in doc["teams"] else [*doc["teams"], team_key]
                else:
                    teams = [k for k in doc["teams"] if k != team_key]
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

    async def name_network(self, person_key: str, named: str, *, forget: str | None = None) -> None:
        """Record that the 1:1 chat last named network ``named``, and forget the chosen network if
        it is still ``forget`` (one that is no longer the person's). Only these change, read inside
        the write block: a choice made meanwhile on another instance is kept."""
        choice = await self.network_choice(person_key)
        if choice["named"] == named and (forget is None or choice["chosen"] != forget):
            return  # the common turn: nothing to change, no global lock taken
        async with self._engine.write(GLOBAL) as tx:
            doc = tx.get("network_choices", person_key) or {}
            chosen = doc.get("chosen")
            if forget is not None and chosen == forget:
                chosen = None
            if (chosen, named) != (doc.get("chosen"), doc.get("named")):
                tx.put("network_choices", person_key, {"key": person_key, "chosen": chosen, "named": named})
