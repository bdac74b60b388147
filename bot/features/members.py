"""Feature: the member register: municipalities, the member list and roles.

Commands (exact words in bot/routing.py; the user guide is docs/commands.md):

- `kommun <namn>` sets your own municipality; `kommun @Namn <namn>` (chair or presidium) someone else's.
- `medlemmar`: the register grouped by municipality, with roles, and which municipalities nobody is from.
- `roll @Namn` shows a person's roles; `roll @Namn <roll>` / `roll @Namn -<roll>` (chair or
  presidium) gives and takes them.
"""

from __future__ import annotations

from dataclasses import replace

from bot.cards import meetings as cards
from bot.features.people import match_name
from bot.messages import t
from bot.roles import GIVEN_ROLES, MEMBER, ROLE_GIVERS, ROLE_NAMES, ROLE_WORDS
from bot.routing import fold
from bot.rules import municipalities as mun
from bot.teams import install
from bot.turn import Turn
from storage.teams_repo import Member

# --- Municipality, members, roles -----------------------------------------------------------------


async def set_municipality(turn: Turn, args: str) -> None:
    """`kommun <namn>` sets your own municipality; `kommun @Namn <namn>` (chair/presidium) someone else's."""
    target = turn.member
    text = args
    if turn.mentions:
        if not turn.has_role(*ROLE_GIVERS):
            await turn.deny(ROLE_GIVERS)
            return
        target = await install.ensure_member(turn.services, turn.team, turn.mentions[0])
        text = text.replace(f"@{turn.mentions[0].name}", " ")
    text = " ".join(text.split()).strip(" .,:")
    known = mun.municipalities(turn.team, turn.services.settings)
    if not text:
        if turn.member.municipality:
            await turn.say_key("meetings.municipality_current", municipality=turn.member.municipality)
        else:
            await turn.say_key("meetings.municipality_none", all=", ".join(known))
        return
    names: list[str] = []
    for part in mun.split_names(text) or [text]:
        name = mun.match(part, known)
        if name is None:
            name = mun.match(text, known)  # "Skaraborgs kommunalförbund" must not be split
            if name is not None:
                names = [name]
                break
            close = mun.suggestions(part, known)
            if close:
                options = f" {turn.t('core.or')} ".join(f"**{c}**" for c in close)
                await turn.say_key("meetings.municipality_unknown_close", text=part, options=options, first=close[0])
            else:
                await turn.say_key("meetings.municipality_unknown", text=part, all=", ".join(known))
            return
        if name not in names:
            names.append(name)
    value = mun.join_names(names)
    # Only the municipality changes, on the member as stored: a role given meanwhile is kept.
    changed = await turn.store.teams.change_member(turn.team.key, target.key, lambda m: replace(m, municipality=value))
    await turn.say_key("meetings.municipality_set", name=(changed or target).name, municipality=value)


def _role_words(roles: frozenset[str], locale: str) -> tuple[str, ...]:
    return tuple(t(f"meetings.role.{r}", locale) for r in GIVEN_ROLES if r in roles)


async def list_members(turn: Turn, args: str) -> None:
    """The user sees the register grouped by municipality, with roles, and which municipalities nobody is from."""
    members = await turn.store.teams.members(turn.team.key)
    known = mun.municipalities(turn.team, turn.services.settings)
    groups: dict[str, list[cards.PersonView]] = {}
    for member in members:
        places = mun.municipalities_of(member.municipality) or (turn.t("meetings.members_no_municipality"),)
        view = cards.PersonView(member.name, _role_words(member.roles, turn.locale))
        for place in places[:1]:
            note_places = places[1:]
            person = replace(view, note=", ".join(note_places)) if note_places else view
            groups.setdefault(place, []).append(person)
    order = [*known, *mun.ORGANISATIONS]
    names = sorted(groups, key=lambda g: (order.index(g) if g in order else len(order), g))
    covered = {p for m in members for p in mun.municipalities_of(m.municipality)}
    missing = [k for k in known if k not in covered]
    card = cards.members_card(
        turn.t("meetings.members_title", count=len(members)),
        [cards.MunicipalityGroup(n, tuple(groups[n])) for n in names],
        turn.locale,
        missing=missing,
        hint=turn.t("meetings.members_hint"),
    )
    await turn.send_card(card, summary=turn.t("meetings.members_summary", count=len(members)))


async def set_role(turn: Turn, args: str) -> None:
    """`roll @Namn sekreterare` gives a role, `roll @Namn -sekreterare` takes it away (chair or presidium)."""
    text = args.strip()
    target: Member | None = None
    if turn.mentions:
        target = await install.ensure_member(turn.services, turn.team, turn.mentions[0])
        text = text.replace(f"@{turn.mentions[0].name}", " ")
    words = text.split()
    changes: list[tuple[bool, str]] = []  # (add?, role)
    name_words: list[str] = []
    removing = False
    for word in words:
        folded = fold(word).strip(".,:;")
        if folded in ("ta", "bort", "ta bort"):
            removing = removing or folded == "bort"
            continue
        negative = folded.startswith(("-", "−", "–"))
        role = ROLE_WORDS.get(folded.lstrip("-−–+"))
        if role is not None:
            changes.append((not (negative or removing), role))
        elif negative or changes:
            await turn.say_key("meetings.role_unknown", role=word.lstrip("-−–+"))
            return
        else:
            name_words.append(word)
    if target is not None and name_words and not changes:
        # "roll @Peter kung": the person is clear, the rest is no role.
        await turn.say_key("meetings.role_unknown", role=" ".join(name_words))
        return
    if target is None and name_words:
        members = await turn.store.teams.members(turn.team.key)
        hits = match_name(" ".join(name_words), members)
        if not hits and not changes:
            # "roll Peter kassör": a known person followed by a word that is no role.
            # No name has more words than the longest member's, so only that many cuts can match.
            longest = max((len(m.name.split()) for m in members), default=0)
            for cut in range(min(len(name_words) - 1, longest), 0, -1):
                if len(match_name(" ".join(name_words[:cut]), members)) == 1:
                    await turn.say_key("meetings.role_unknown", role=" ".join(name_words[cut:]))
                    return
        if not hits:
            await turn.say_key("meetings.person_not_found", name=" ".join(name_words))
            return
        if len(hits) > 1:
            await turn.say_key("meetings.person_ambiguous", name=" ".join(name_words), options=", ".join(m.name for m in hits))
            return
        target = hits[0]
    if target is None:
        await turn.say_key("meetings.role_usage")
        return
    if not changes:
        await turn.say_key("meetings.role_show", name=target.name, roles=", ".join(_all_role_words(target.roles, turn.locale)))
        return
    if not turn.has_role(*ROLE_GIVERS):
        await turn.deny(ROLE_GIVERS)
        return
    if any(role == MEMBER and not add for add, role in changes):
        await turn.say_key("meetings.role_member_always")
        return

    def apply(member: Member) -> Member:
        # On the roles as stored: a change made meanwhile (the municipality, another role) is kept.
        roles = set(member.roles) | {MEMBER}
        for add, role in changes:
            if add:
                roles.add(role)
            else:
                roles.discard(role)
        return replace(member, roles=frozenset(roles))

    def keep_a_leader(changed: Member, members: list[Member]) -> None:
        # Checked on the register as stored, under its lock: two leaders taking each other's roles
        # at the same moment cannot both succeed.
        if not changed.has_any_role(ROLE_GIVERS) and not any(
                m.active and m.key != changed.key and m.has_any_role(ROLE_GIVERS) for m in members):
            raise _LastLeader

    try:
        changed = await turn.store.teams.change_member(turn.team.key, target.key, apply, guard=keep_a_leader)
    except _LastLeader:
        await turn.say_key("meetings.role_last_leader")
        return
    if changed is None:
        await turn.say_key("meetings.person_not_found", name=target.name)
        return
    await turn.say_key("meetings.role_changed", name=changed.name, roles=", ".join(_all_role_words(changed.roles, turn.locale)))


class _LastLeader(Exception):
    """The change would leave the network with nobody who can give roles."""


def _all_role_words(roles: frozenset[str], locale: str) -> list[str]:
    return [t(f"meetings.role.{r}", locale) for r in ROLE_NAMES if r in roles]


COMMANDS = {
    "municipality": set_municipality,
    "members": list_members,
    "role": set_role,
}
