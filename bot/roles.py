"""Every role a member can hold, the words people type for them, and who may do what.

One place for permissions: a command handler, a card action and a dialog's last step all ask these
functions (or test a member against these tuples), so a rule changes here and nowhere else. They
take a ``Member`` (and plain values), never a Turn: the rules and the minutes use them without the
Bot Framework. A refusal is said by ``Turn.deny`` with ``roles_text``.
"""

from __future__ import annotations

from datetime import datetime

from bot.messages import t
from storage.actions_repo import ActionItem
from storage.decisions_repo import Decision
from storage.meetings_repo import Meeting
from storage.teams_repo import Member

# The roles (stored on each member as these words, and shown through core.role.<name>).
MEMBER = "medlem"
PRESIDIUM = "presidium"
CHAIR = "ordförande"
SECRETARY = "sekreterare"

ROLE_NAMES = (MEMBER, PRESIDIUM, CHAIR, SECRETARY)  # every role (SKIS_INITIAL_ROLES may name these)
GIVEN_ROLES = (PRESIDIUM, CHAIR, SECRETARY)  # given and taken with `roll`; everyone is a member

# What people type for a role (folded: no case, no diacritics) in `roll @Anna sekreterare`.
ROLE_WORDS: dict[str, str] = {
    "presidium": PRESIDIUM,
    "presidiet": PRESIDIUM,
    "presidie": PRESIDIUM,
    "ordforande": CHAIR,
    "ordforanden": CHAIR,
    "ordf": CHAIR,
    "sekreterare": SECRETARY,
    "sekreteraren": SECRETARY,
    "sekr": SECRETARY,
    "medlem": MEMBER,
    "deltagare": MEMBER,
}

# --- Who may do what (the order is the order roles_text names them in refusals) --------------------

FOUNDER_ROLES = frozenset({MEMBER, PRESIDIUM, CHAIR})  # whoever installs the bot in a team
MEETING_ROLES = (PRESIDIUM, CHAIR, SECRETARY)  # create, move, cancel meetings
AGENDA_ROLES = (PRESIDIUM, CHAIR)  # order, edit, remove agenda items
ROLE_GIVERS = (CHAIR, PRESIDIUM)  # give and take roles, set others' municipality
PRESENCE_ROLES = (SECRETARY, CHAIR, PRESIDIUM)  # record who was present
LEAD_ROLES = (PRESIDIUM, CHAIR)  # set check-in questions; close and change anyone's action items
RECORDER_ROLES = (PRESIDIUM, SECRETARY, CHAIR)  # decisions after the meeting, others' check-ins, corrections
MINUTES_DRAFT_ROLES = (SECRETARY, CHAIR, PRESIDIUM)  # open the minutes draft with `protokoll`
MINUTES_SETTING_ROLES = (PRESIDIUM, CHAIR)  # switch justering on and off
REMINDER_CHANGE_ROLES = (PRESIDIUM, CHAIR)  # change the network's reminders
IMPORT_ROLES = (SECRETARY, CHAIR, PRESIDIUM)  # import old minutes from Teams
PUBLISHING_ROLES = (PRESIDIUM, CHAIR)  # the member list and report for the region
DIGEST_ROLES = frozenset({PRESIDIUM, CHAIR})  # receive the presidium's digest


def has(member: Member, roles: tuple[str, ...] | frozenset[str]) -> bool:
    """True if ``member`` holds any of ``roles``."""
    return member.has_any_role(roles)


def may_close(member: Member, item: ActionItem) -> bool:
    """Owners (incl. through "alla" or their municipality), the presidium and the chair."""
    return item.is_owned_by(member.key, member.municipality) or has(member, LEAD_ROLES)


def may_edit(member: Member, item: ActionItem) -> bool:
    """Those who may close it, and whoever recorded it."""
    return may_close(member, item) or item.created_by == member.key


def may_record_decision(member: Member, meeting: Meeting, now: datetime) -> bool:
    """Everyone during the meeting; afterwards the presidium, the secretary and the chair."""
    return meeting.is_ongoing(now) or has(member, RECORDER_ROLES)


def may_correct_decision(member: Member, decision: Decision) -> bool:
    """Whoever recorded it, the presidium, the secretary and the chair."""
    return decision.created_by == member.key or has(member, RECORDER_ROLES)


def may_record_for_others(member: Member) -> bool:
    """Writing down someone else's check-in answer afterwards."""
    return has(member, RECORDER_ROLES)


def roles_text(locale: str, roles: tuple[str, ...]) -> str:
    """ "presidiet, sekreteraren eller ordföranden" """
    names = [t(f"core.role.{r}", locale) for r in roles]
    if len(names) == 1:
        return names[0]
    return f"{', '.join(names[:-1])} {t('core.or', locale)} {names[-1]}"
