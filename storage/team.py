"""A network (team) and its members as records; storage/teams_repo.py keeps them.

Its own module so other repositories (the privacy sweep) can use the records without importing
the teams repository.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from storage.codec import dump_dt, load_dt


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
