"""Installation: the bot added to a team or chat, people joining and leaving, the bot removed."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsInfo

from bot.roles import FOUNDER_ROLES, MEMBER
from bot.services import Services
from storage.teams_repo import Member, Team, member_key

log = logging.getLogger(__name__)



def team_identity(activity: Any) -> tuple[str, str, str]:
    """(team key, kind, display name) of the network an activity belongs to, before any lookup."""
    channel_data = activity.channel_data or {}
    team = channel_data.get("team") if isinstance(channel_data, dict) else None
    if isinstance(team, dict) and team.get("id"):
        return team["id"], "team", team.get("name") or activity.conversation.name or "Teamet"
    conversation = activity.conversation
    kind = conversation.conversation_type or ("groupChat" if conversation.is_group else "personal")
    return conversation.id, kind, conversation.name or ("Chatten" if kind != "personal" else "Personlig chatt")


def tenant_of(activity: Any) -> str | None:
    channel_data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    tenant = channel_data.get("tenant")
    conversation = activity.conversation
    # The SDK model keeps Teams' ``conversation.tenantId`` among its unknown properties.
    extra = getattr(conversation, "additional_properties", None) or {}
    found = (tenant.get("id") if isinstance(tenant, dict) else None) or getattr(conversation, "tenant_id", None) \
        or extra.get("tenantId")
    return found if isinstance(found, str) and found else None


async def foreign_tenant(services: Services, activity: Any) -> bool:
    """Whether the activity names a network that was installed from another tenant.

    A network belongs to the tenant it was installed from. With several allowed tenants, an
    activity from one of them that names another tenant's team id must neither read that
    network's data nor join its member list. Networks recorded without a tenant (a developer
    machine) are not bound.
    """
    conversation = activity.conversation
    if conversation is None or not isinstance(getattr(conversation, "id", None), str):
        return False
    key, _kind, _name = team_identity(activity)
    if not isinstance(key, str) or not key:
        return False
    team = await services.store.teams.get_team(key)
    return team is not None and team.tenant_id is not None and tenant_of(activity) != team.tenant_id


def conversation_ref(activity: Any) -> dict[str, Any]:
    """The reference used later to post proactively to where this activity came from.

    In a team the bot posts to the team's general channel (whose id is the team id) unless
    the installation names a channel.
    """
    ref = TurnContext.get_conversation_reference(activity).serialize()
    ref.pop("activityId", None)
    channel_data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    settings = channel_data.get("settings")
    channel = settings.get("selectedChannel") if isinstance(settings, dict) else None
    selected = channel.get("id") if isinstance(channel, dict) else None
    if isinstance(selected, str) and selected:
        ref["conversation"] = {**(ref.get("conversation") or {}), "id": selected}
    return ref


def _initial_roles(services: Services, aad_object_id: str | None) -> frozenset[str]:
    extra = services.settings.initial_roles.get(aad_object_id or "", frozenset())
    return frozenset({MEMBER}) | extra


async def ensure_team(services: Services, activity: Any, *, installer: Any | None = None) -> Team:
    """The network for this activity, registering it (and its founder) on first sight."""
    key, kind, name = team_identity(activity)
    repo = services.store.teams
    existing = await repo.get_team(key)
    if existing is not None:
        if not existing.active and installer is not None:
            ref = conversation_ref(activity)
            # Changed as stored: settings another instance changes meanwhile are kept.
            existing = await repo.change_team(
                key, lambda team: team if team.active else replace(team, active=True, conversation_ref=ref)) or existing
        return existing
    founder = installer or activity.from_property
    team = Team(
        key=key,
        name=name,
        kind=kind,
        tenant_id=tenant_of(activity),
        conversation_ref=conversation_ref(activity),
        installed_by=member_key(founder.id, founder.aad_object_id) if founder else None,
        installed_at=services.clock.now(),
    )
    if founder is not None:
        # The person who installs the bot becomes the network's first chair and presidium member.
        # Written before the team: a crash in between leaves no network without a chair (the next
        # activity registers the team again). The roles are added to what is stored, so a roster
        # read at the same moment (the installation's other activity) cannot take them away.
        roles = _initial_roles(services, founder.aad_object_id) | FOUNDER_ROLES
        await repo.add_members(key, [_new_member(services, founder, roles)],
                               lambda stored, given: replace(stored, roles=stored.roles | given.roles, active=True))
    return await repo.add_team(team)


async def ensure_member(services: Services, team: Team, account: Any) -> Member:
    """The register entry for the person behind ``account``, added as a member on first sight."""
    key = member_key(account.id, account.aad_object_id)
    repo = services.store.teams
    member = await repo.get_member(team.key, key)
    if member is not None and not _returns(member, account):
        return member  # the common turn: nothing to write, no lock taken
    # Added only if absent, else changed as stored (roles given meanwhile are kept).
    [(member, _added)] = await repo.add_members(
        team.key, [_new_member(services, account, _initial_roles(services, account.aad_object_id))],
        lambda stored, _given: replace(stored, active=True, name=account.name or stored.name)
        if _returns(stored, account) else stored)
    return member


def _returns(member: Member, account: Any) -> bool:
    """Whether a stored member is back (inactive), or known by id only and now has a name."""
    return not member.active or bool(account.name and member.name != account.name and member.name == member.teams_id)


def _new_member(services: Services, account: Any, roles: frozenset[str]) -> Member:
    return Member(
        key=member_key(account.id, account.aad_object_id),
        teams_id=account.id,
        name=account.name or account.id,
        aad_object_id=account.aad_object_id,
        roles=roles,
        joined_at=services.clock.now(),
        email=_email(account),
    )


def _email(account: Any) -> str | None:
    """The address Teams gives in the roster (not in every tenant); None when it gives none."""
    text = getattr(account, "email", None) or getattr(account, "user_principal_name", None) or ""
    return text.strip() if "@" in text else None


async def load_roster(services: Services, context: TurnContext, team: Team) -> int:
    """Add everyone in the team's roster to the register (one paged read); returns how many were new."""
    accounts: list[Any] = []
    token: str | None = None
    try:
        for _ in range(50):  # 50 pages x 500 people is far beyond any network
            page = await TeamsInfo.get_paged_members(context, token, 500)
            accounts.extend(page.members or [])
            token = page.continuation_token
            if not token:
                break
    except Exception as exc:  # the register can be filled later from messages; installing must not fail
        log.warning("could not read the roster of %s: %s", team.key, type(exc).__name__)
        return 0
    me = context.activity.recipient.id
    people = [_new_member(services, account, _initial_roles(services, account.aad_object_id))
              for account in accounts if account.id != me]

    def update(stored: Member, given: Member) -> Member:
        # Only what the roster knows changes; the roles and all else stay as stored.
        return replace(stored, email=given.email) if given.email and stored.email != given.email else stored

    added = await services.store.teams.add_members(team.key, people, update)
    return len({m.key for m, new in added if new})


async def remove_members(services: Services, team: Team, accounts: list[Any]) -> None:
    """People who left the team stay in old minutes but get no more reminders."""
    keys = [member_key(account.id, account.aad_object_id) for account in accounts]
    await services.store.teams.change_members(team.key, keys, lambda member: replace(member, active=False))
