"""Who may do what (bot/roles.py): plain members and records in, yes or no out, as tables."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot import roles
from storage.actions_repo import ALL, MEMBER, MUNICIPALITY, ActionItem, Owner
from storage.decisions_repo import Decision
from storage.meetings_repo import Meeting
from storage.teams_repo import Member

START = datetime(2026, 11, 27, 7, 30, tzinfo=UTC)
MEETING = Meeting(id="m1", team_key="t", starts_at=START, ends_at=START + timedelta(hours=3))


def member(key: str, *held: str, municipality: str | None = None) -> Member:
    return Member(key, f"29:{key}", key.title(), key, municipality, roles=frozenset({roles.MEMBER, *held}))


def item(*owners: Owner, created_by: str = "sofia") -> ActionItem:
    return ActionItem(id="a1", team_key="t", number=1, title="Boka lokal", owners=owners, created_by=created_by, created_at=START)


ANNA = member("anna", municipality="Skövde")
PETER = member("peter")
CHAIR = member("carl", roles.CHAIR)
PRESIDIUM = member("pia", roles.PRESIDIUM)
SECRETARY = member("sara", roles.SECRETARY)


@pytest.mark.parametrize(
    ("who", "owners", "close", "edit"),
    [
        (ANNA, (Owner(MEMBER, "Anna", "anna"),), True, True),
        (ANNA, (Owner(MUNICIPALITY, "Skövde", "Skövde"),), True, True),
        (ANNA, (Owner(ALL, "alla"),), True, True),
        (PETER, (Owner(MEMBER, "Anna", "anna"),), False, False),
        (CHAIR, (Owner(MEMBER, "Anna", "anna"),), True, True),
        (PRESIDIUM, (Owner(MEMBER, "Anna", "anna"),), True, True),
        (SECRETARY, (Owner(MEMBER, "Anna", "anna"),), False, False),
        (member("sofia"), (Owner(MEMBER, "Anna", "anna"),), False, True),  # recorded it
    ],
)
def test_who_may_close_and_edit_an_action_item(who: Member, owners: tuple[Owner, ...], close: bool, edit: bool) -> None:
    assert roles.may_close(who, item(*owners)) is close
    assert roles.may_edit(who, item(*owners)) is edit


@pytest.mark.parametrize(
    ("who", "during", "after"),
    [(PETER, True, False), (SECRETARY, True, True), (CHAIR, True, True), (PRESIDIUM, True, True)],
)
def test_who_may_record_a_decision_during_and_after_the_meeting(who: Member, during: bool, after: bool) -> None:
    assert roles.may_record_decision(who, MEETING, START + timedelta(hours=1)) is during
    assert roles.may_record_decision(who, MEETING, START + timedelta(days=1)) is after


def test_who_may_correct_a_decision() -> None:
    decision = Decision(id="d1", team_key="t", meeting_id="m1", number=1, text="x", recorded_by="peter",
                        recorded_at=START, created_by="peter")
    assert roles.may_correct_decision(PETER, decision)
    assert not roles.may_correct_decision(ANNA, decision)
    assert roles.may_correct_decision(SECRETARY, decision)


def test_roles_text_names_them_in_order() -> None:
    assert roles.roles_text("sv", roles.RECORDER_ROLES) == "presidiet, sekreteraren eller ordföranden"
    assert roles.roles_text("sv", (roles.CHAIR,)) == "ordföranden"


def test_every_role_word_names_a_role_and_every_permission_names_known_roles() -> None:
    assert set(roles.ROLE_WORDS.values()) <= set(roles.ROLE_NAMES)
    permissions = [value for name, value in vars(roles).items() if name.endswith("_ROLES") or name == "ROLE_GIVERS"]
    assert len(permissions) >= 10
    for allowed in permissions:
        assert set(allowed) <= set(roles.ROLE_NAMES)
