"""Reading everything a meeting's minutes are built from, out of the Store (the one impure step)."""

from __future__ import annotations

import re
from typing import Any
from zoneinfo import ZoneInfo

from bot import roles
from bot.messages import t
from bot.minutes.draft import (
    CHAIR,
    SECRETARY,
    AgendaEntry,
    Attendee,
    DraftSources,
    Officer,
    Upcoming,
    build_draft,
)
from bot.rules.action_items import due_text, owners_text
from bot.rules.agenda import FOLLOW_UP, ITEM, STANDING, build_agenda, follow_up_items
from bot.rules.checkins import question_for
from bot.text import fold
from storage.attendance_repo import SUBSTITUTE, YES
from storage.checkins_repo import CHECKIN, CHECKOUT
from storage.meetings_repo import Meeting
from storage.store import Store
from storage.teams_repo import Team

UPCOMING_SHOWN = 4  # as many as the network plans ahead: a term
# The team setting that names the network in its minutes' heading ("Nätverket Utvecklingsledare,
# Skolutveckling i Skaraborg, SKIS"); without it, the Teams team's name.
NETWORK_NAME_SETTING = "network_name"
_OFFICER_ROLES = ((CHAIR, roles.CHAIR), (SECRETARY, roles.SECRETARY))


async def gather(store: Store, team: Team, meeting: Meeting, tz: ZoneInfo, locale: str = "sv") -> DraftSources:
    """What the minutes of ``meeting`` say, read from the records as they are now."""
    team_key = team.key
    members = {m.key: m for m in await store.teams.members(team_key, active_only=False)}
    municipalities = {k: m.municipality for k, m in members.items() if m.municipality}
    agenda = await build_agenda(store, team, meeting, locale)
    entries = list(agenda.entries)
    # The first opening item is the check-in and the last closing item the check-out (as
    # bot/rules/agenda.py frames every agenda); both get their own sections in the minutes.
    if entries and entries[0].kind == STANDING:
        entries = entries[1:]
    if entries and entries[-1].kind == STANDING:
        entries = entries[:-1]
    follow_up = await _follow_up_notes(store, meeting, tz, locale)
    return DraftSources(
        network=network_name(team),
        meeting=meeting,
        tz=tz,
        attendees=tuple(await _attendees(store, team_key, meeting, members)),
        agenda=tuple(AgendaEntry(_entry_key(e), e.number, e.title, follow_up if e.kind == FOLLOW_UP else "")
                     for e in entries),
        checkin_question=await question_for(store, meeting, CHECKIN, locale),
        checkins=tuple(await store.checkins.answers(team_key, meeting.id, CHECKIN)),
        checkout_question=await question_for(store, meeting, CHECKOUT, locale),
        checkouts=tuple(await store.checkins.answers(team_key, meeting.id, CHECKOUT)),
        decisions=tuple(await store.decisions.for_meeting(team_key, meeting.id)),
        action_items=tuple(await store.actions.for_meeting(team_key, meeting.id)),
        upcoming=tuple(await _upcoming(store, meeting)),
        municipalities=municipalities,
        officers=tuple(_officers(members.values())),
        locale=locale,
    )


def network_name(team: Team) -> str:
    """The network's name as its minutes are headed: the team setting, else the team's name."""
    own = (team.settings or {}).get(NETWORK_NAME_SETTING)
    return own.strip() if isinstance(own, str) and own.strip() else team.name


async def build(store: Store, team: Team, meeting: Meeting, tz: ZoneInfo, locale: str = "sv") -> dict[str, Any]:
    """The minutes document of ``meeting`` from its records, before the secretary's edits."""
    return build_draft(await gather(store, team, meeting, tz, locale))


def _entry_key(entry: Any) -> str:
    if entry.kind == ITEM and entry.item_id:
        return entry.item_id
    if entry.kind == FOLLOW_UP:
        return "followup"
    # Standing items have no id; their title names them (it is what people see).
    slug = re.sub(r"[^a-z0-9]+", "-", fold(entry.title)).strip("-") or str(entry.number)
    return f"standing-{slug}"


async def _follow_up_notes(store: Store, meeting: Meeting, tz: ZoneInfo, locale: str) -> str:
    """The open items followed up at the meeting, written out for readers (no "#2" numbers):
    "- Boka lokal – Anna Gustafsson, senast fredag 4 december 2026 (försenad)"."""
    day = meeting.starts_at.astimezone(tz).date()
    lines = []
    for item in await follow_up_items(store, meeting):
        line = item.title
        if item.owners:
            line += f" – {owners_text(item.owners, locale)}"
        due = due_text(item, tz, locale)
        if due:
            line += ", " + due
        if item.due is not None and item.due < day:
            line += " " + t("minutes.doc_overdue", locale)
        lines.append(f"- {line}")
    return "\n".join(lines)


def _officers(members: Any) -> list[Officer]:
    """Who holds the chair and the secretary's role in the register (as the minutes are drafted)."""
    officers = []
    for role, name in _OFFICER_ROLES:
        holders = sorted((m for m in members if m.active and name in m.roles), key=lambda m: fold(m.name))
        officers += [Officer(role, m.name, m.municipality) for m in holders]
    return officers


async def _attendees(store: Store, team_key: str, meeting: Meeting, members: dict[str, Any]) -> list[Attendee]:
    """Who was there: the secretary's presence list, else who said they would come."""
    answers = await store.attendance.answers(team_key, meeting.id)
    stood_in = {}  # substitute (member key or folded name) -> the member they replaced
    for a in answers:
        if a.answer == SUBSTITUTE and a.substitute:
            stood_in[a.substitute_key or fold(a.substitute)] = a.member_name
    present = await store.attendance.present(team_key, meeting.id)
    people: list[Attendee] = []
    if present:
        # Members first, guests (not in the register) after them, each alphabetically as present() gives them.
        for p in present:
            member = members.get(p.member_key) if p.member_key else None
            municipality = p.municipality or (member.municipality if member else None)
            replaced = stood_in.get(p.member_key or "") or stood_in.get(fold(p.name))
            people.append(Attendee(p.name, municipality, replaced, guest=member is None and replaced is None))
        return [p for p in people if not p.guest] + [p for p in people if p.guest]
    for a in answers:
        if a.answer == YES:
            member = members.get(a.member_key)
            people.append(Attendee(a.member_name, a.municipality or (member.municipality if member else None)))
        elif a.answer == SUBSTITUTE and a.substitute:
            sub = members.get(a.substitute_key) if a.substitute_key else None
            name = sub.name if sub else a.substitute
            people.append(Attendee(name, (sub.municipality if sub else None) or a.municipality, a.member_name))
    people.sort(key=lambda p: (p.guest, fold(p.name)))
    return people


async def _upcoming(store: Store, meeting: Meeting) -> list[Upcoming]:
    later = [m for m in await store.meetings.all(meeting.team_key) if m.starts_at > meeting.starts_at][:UPCOMING_SHOWN]
    return [Upcoming(m, tuple(i.title for i in await store.agenda.items(m))) for m in later]
