"""Teams (networks), their members and roles, and where to reach people.

A "team" is one network: a Teams team, or a group chat or personal chat used on its own.
Its key is the Teams team id (or the conversation id of a chat). Team-wide records live in
the partition ``team/<key>``; the global partition only indexes teams and people.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from storage.codec import dump_dt, load_dt
from storage.engine import Engine

GLOBAL = "global"


def name_part(text: str) -> str:
    """``text`` as one part of a partition name: "/" separates parts, so it is escaped.

    Without this a team key such as ``<A>/meeting/20261204`` would name team A's meeting, and
    a meeting id could reach into another team. ``%`` and ``/`` become ``%25`` and ``%2F`` (so
    distinct texts stay distinct); the ids Teams uses (``19:…@thread.tacv2``, ``a:…``, ``29:…``)
    contain neither and keep the names existing data directories already hold.
    """
    return text.replace("%", "%25").replace("/", "%2F")


def team_partition(team_key: str) -> str:
    return f"team/{name_part(team_key)}"


@dataclass(frozen=True)
class Team:
    key: str
    name: str
    kind: str  # "team" | "groupChat" | "personal"
    tenant_id: str | None
    # Serialized ConversationReference of the channel (or chat) the bot posts to.
    conversation_ref: dict[str, Any]
    installed_by: str | None
    installed_at: datetime
    active: bool = True
    settings: dict[str, Any] = field(default_factory=dict)

    def to_doc(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "name": self.name,
            "kind": self.kind,
            "tenant_id": self.tenant_id,
            "conversation_ref": self.conversation_ref,
            "installed_by": self.installed_by,
            "installed_at": dump_dt(self.installed_at),
            "active": self.active,
            "settings": self.settings,
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Team:
        return cls(
            key=doc["key"],
            name=doc["name"],
            kind=doc["kind"],
            tenant_id=doc.get("tenant_id"),
            conversation_ref=doc.get("conversation_ref") or {},
            installed_by=doc.get("installed_by"),
            installed_at=load_dt(doc["installed_at"]),  # type: ignore[arg-type]
            active=doc.get("active", True),
            settings=doc.get("settings") or {},
        )


@dataclass(frozen=True)
class Member:
    """A person in a network's register. ``key`` is the aadObjectId when known, else the Teams id."""

    key: str
    teams_id: str
    name: str
    aad_object_id: str | None = None
    municipality: str | None = None
    roles: frozenset[str] = frozenset({"medlem"})
    active: bool = True
    joined_at: datetime | None = None
    email: str | None = None  # as Teams gives it in the team's roster (for the member list the region asks for)

    def has_any_role(self, roles: Iterable[str]) -> bool:
        return not self.roles.isdisjoint(roles)

    def to_doc(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "teams_id": self.teams_id,
            "name": self.name,
            "aad_object_id": self.aad_object_id,
            "municipality": self.municipality,
            "roles": sorted(self.roles),
            "active": self.active,
            "joined_at": dump_dt(self.joined_at),
            **({"email": self.email} if self.email else {}),
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Member:
        return cls(
            key=doc["key"],
            teams_id=doc["teams_id"],
            name=doc["name"],
            aad_object_id=doc.get("aad_object_id"),
            municipality=doc.get("municipality"),
            roles=frozenset(doc.get("roles") or ()),
            active=doc.get("active", True),
            joined_at=load_dt(doc.get("joined_at")),
            email=doc.get("email") or None,
        )


def member_key(teams_id: str, aad_object_id: str | None) -> str:
    return aad_object_id or teams_id


class TeamsRepo:
    """Teams, members and the index of who belongs where."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    # Teams ---------------------------------------------------------------------------------
    def get_team(self, key: str) -> Team | None:
        doc = self._engine.partition(GLOBAL).get("teams", key)
        return Team.from_doc(doc) if doc else None

    def all_teams(self, *, active_only: bool = True) -> list[Team]:
        teams = [Team.from_doc(d) for d in self._engine.partition(GLOBAL).all("teams")]
        return [t for t in teams if t.active or not active_only]

    def save_team(self, team: Team) -> None:
        with self._engine.partition(GLOBAL).write() as tx:
            tx.put("teams", team.key, team.to_doc())

    def set_team_active(self, key: str, active: bool) -> Team | None:
        team = self.get_team(key)
        if team is None:
            return None
        team = replace(team, active=active)
        self.save_team(team)
        return team

    def update_team_settings(self, key: str, changes: dict[str, Any]) -> Team | None:
        team = self.get_team(key)
        if team is None:
            return None
        team = replace(team, settings={**team.settings, **changes})
        self.save_team(team)
        return team

    # Members -------------------------------------------------------------------------------
    def get_member(self, team_key: str, key: str) -> Member | None:
        doc = self._engine.partition(team_partition(team_key)).get("members", key)
        return Member.from_doc(doc) if doc else None

    def members(self, team_key: str, *, active_only: bool = True) -> list[Member]:
        docs = self._engine.partition(team_partition(team_key)).all("members")
        members = [Member.from_doc(d) for d in docs]
        return sorted(
            (m for m in members if m.active or not active_only), key=lambda m: m.name.casefold()
        )

    def save_member(self, team_key: str, member: Member) -> None:
        self.save_members(team_key, [member])

    def save_members(self, team_key: str, members: Iterable[Member]) -> None:
        """Store members of one team in one write, and index them globally for 1:1 chat."""
        members = list(members)
        if not members:
            return
        with self._engine.partition(team_partition(team_key)).write() as tx:
            for member in members:
                tx.put("members", member.key, member.to_doc())
        index = self._engine.partition(GLOBAL)
        changed = []
        for member in members:
            doc = index.get("people", member.key) or {"key": member.key, "teams": []}
            teams = [k for k in doc["teams"] if k != team_key]
            if member.active:
                teams.append(team_key)
            if teams != doc["teams"]:
                changed.append({**doc, "teams": teams})
        if changed:
            with index.write() as tx:
                for doc in changed:
                    tx.put("people", doc["key"], doc)

    def teams_of_person(self, person_key: str) -> list[str]:
        doc = self._engine.partition(GLOBAL).get("people", person_key)
        return list(doc["teams"]) if doc else []

    # Personal conversations (for 1:1 reminders and digests) --------------------------------
    def save_personal_ref(self, person_key: str, conversation_ref: dict[str, Any]) -> None:
        with self._engine.partition(GLOBAL).write() as tx:
            tx.put("personal_refs", person_key, {"key": person_key, "ref": conversation_ref})

    def personal_ref(self, person_key: str) -> dict[str, Any] | None:
        doc = self._engine.partition(GLOBAL).get("personal_refs", person_key)
        return doc["ref"] if doc else None
