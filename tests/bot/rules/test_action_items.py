"""Reading action items, owners and due dates: pure functions, as tables."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest

from bot.rules.action_items import (
    Due,
    ParseContext,
    owners_text,
    parse_action_text,
    parse_due,
    resolve_owner_list,
)
from bot.teams.mentions import Mention
from storage.actions_repo import ALL, EXTERNAL, MEMBER, MUNICIPALITY, Owner
from storage.teams_repo import Member

ANNA = Member("aad-anna", "29:aad-anna", "Anna Gustafsson", "aad-anna", "Götene")
ANNA_M = Member("aad-annam", "29:aad-annam", "Anna Malmeling Marklund", "aad-annam", "Hjo")
PETER = Member("aad-peter", "29:aad-peter", "Peter Stark", "aad-peter", "Skövde")
SOFIA = Member("aad-sofia", "29:aad-sofia", "Sofia Adolfsson", "aad-sofia", "Lidköping")
TODAY = date(2026, 11, 23)  # a Monday


def ctx(*members: Member, mentions: list[Mention] | None = None) -> ParseContext:
    return ParseContext(
        members=list(members or (ANNA, PETER, SOFIA)),
        mentions=mentions or [],
        me=PETER,
        today=TODAY,
        tz=ZoneInfo("Europe/Stockholm"),
    )


def owner(m: Member) -> Owner:
    return Owner(MEMBER, m.name, m.key)


@pytest.mark.parametrize(
    ("text", "title", "owners", "due"),
    [
        # "till" inside the title stays; only a trailing "till <date>" is the due date.
        ("Mejla inbjudan till SKIS-gruppen @Anna till 4 december", "Mejla inbjudan till SKIS-gruppen", [owner(ANNA)], Due(date(2026, 12, 4))),
        ("Mejla inbjudan till SKIS-gruppen @Anna", "Mejla inbjudan till SKIS-gruppen", [owner(ANNA)], None),
        ("Mejla inbjudan till 4 december @Anna", "Mejla inbjudan", [owner(ANNA)], Due(date(2026, 12, 4))),
        ("Ta med material till nästa möte @alla", "Ta med material", [Owner(ALL, "alla")], Due(next_meeting=True)),
        ("Nämn detta för skolchefen @var och en till nästa möte", "Nämn detta för skolchefen", [Owner(ALL, "alla")], Due(next_meeting=True)),
        ("Presentera Bästa skola @Skövde @Tibro till 1 juni", "Presentera Bästa skola", [Owner(MUNICIPALITY, "Skövde", "Skövde"), Owner(MUNICIPALITY, "Tibro", "Tibro")], Due(date(2027, 6, 1))),
        ("Förmedla detta till Elisabeth @Susanna Sandgren", "Förmedla detta till Elisabeth", [Owner(EXTERNAL, "Susanna Sandgren")], None),
        ("Boka lokal @Anna och @Peter senast fredag 4 december", "Boka lokal", [owner(ANNA), owner(PETER)], Due(date(2026, 12, 4))),
        ("Boka lokal @Gustafsson till 19/12", "Boka lokal", [owner(ANNA)], Due(date(2026, 12, 19))),
        ("Boka lokal @jag", "Boka lokal", [owner(PETER)], None),
        ("Skicka till anna@skovde.se", "Skicka till anna@skovde.se", [], None),
        ("Ring @Anna om mötet", "Ring @Anna om mötet", [], None),  # not trailing: stays text, owner asked
        ("Åtgärda 🎉 “citat” till Töreboda @Sofia", "Åtgärda 🎉 “citat” till Töreboda", [owner(SOFIA)], None),
    ],
)
def test_parse_action_text(text: str, title: str, owners: list[Owner], due: Due | None) -> None:
    draft = parse_action_text(text, ctx())
    assert (draft.title, list(draft.owners), draft.due) == (title, owners, due)
    assert draft.owner_problem is None and draft.due_problem is None


def test_real_mentions_are_owners_and_read_as_names_inside_the_title() -> None:
    mentions = [Mention("29:aad-anna", "Anna Gustafsson", "aad-anna"), Mention("29:x", "Karin Berg", "aad-karin")]
    draft = parse_action_text("Ring @Anna Gustafsson om mötet @Karin Berg till 4 december", ctx(mentions=mentions))
    assert draft.title == "Ring Anna Gustafsson om mötet"
    assert draft.owners == (Owner(MEMBER, "Karin Berg", "aad-karin"),)  # mentioned but not in the register yet


@pytest.mark.parametrize(
    ("text", "expected_in_problem"),
    [
        ("Mejla @Anna till 31 juni", "juni"),
        ("Mejla @Anna till 4 december 2025", "har redan varit"),
    ],
)
def test_due_dates_that_need_a_question(text: str, expected_in_problem: str) -> None:
    draft = parse_action_text(text, ctx())
    assert draft.due is None and draft.due_problem and expected_in_problem in draft.due_problem
    assert draft.to_options()["due_set"] is False and draft.to_options()["hints"]["due"] == draft.due_problem


def test_ambiguous_name_is_a_question_listing_the_candidates() -> None:
    draft = parse_action_text("Boka lokal @Anna till 4 december", ctx(ANNA, ANNA_M, PETER))
    assert draft.owner_problem is not None
    assert "Anna Gustafsson (Götene)" in draft.owner_problem and "Anna Malmeling Marklund (Hjo)" in draft.owner_problem
    assert draft.to_options()["owners"] is None and draft.to_options()["due"] == "2026-12-04"


@pytest.mark.parametrize(
    ("text", "owners"),
    [
        ("Anna, Peter och Skövde", [owner(ANNA), owner(PETER), Owner(MUNICIPALITY, "Skövde", "Skövde")]),
        ("@Anna Gustafsson @Peter Stark", [owner(ANNA), owner(PETER)]),
        ("var och en i nätverket", [Owner(ALL, "alla")]),
        ("Alla", [Owner(ALL, "alla")]),
        ("skovde", [Owner(MUNICIPALITY, "Skövde", "Skövde")]),
        ("mig", [owner(PETER)]),
        ("Karin Berg", [Owner(EXTERNAL, "Karin Berg")]),
        ("anna gustafsson", [owner(ANNA)]),
    ],
)
def test_resolve_owner_list(text: str, owners: list[Owner]) -> None:
    result = resolve_owner_list(text, ctx())
    assert result.problem is None and list(result.owners) == owners


def test_a_lower_case_at_name_typed_by_hand_is_a_member() -> None:
    draft = parse_action_text("Skriv inbjudan @anna till 4 december", ctx())
    assert draft.title == "Skriv inbjudan" and list(draft.owners) == [owner(ANNA)]
    draft = parse_action_text("Skriv inbjudan @peter stark", ctx())
    assert draft.title == "Skriv inbjudan" and list(draft.owners) == [owner(PETER)]
    draft = parse_action_text("Mejla info@skaraborg.se", ctx())  # an address stays text
    assert draft.title == "Mejla info@skaraborg.se" and not draft.owners


def test_a_network_with_its_own_municipalities_assigns_to_them() -> None:
    borås = ParseContext(
        members=[ANNA, PETER], mentions=[], me=PETER, today=TODAY, tz=ZoneInfo("Europe/Stockholm"),
        municipalities=("Borås", "Mark"),
    )
    assert list(resolve_owner_list("boras", borås).owners) == [Owner(MUNICIPALITY, "Borås", "Borås")]
    # Skaraborg's names are not this network's (except where a member comes from there).
    assert list(resolve_owner_list("Tibro", borås).owners) == [Owner(EXTERNAL, "Tibro")]


def test_resolve_owner_list_problems() -> None:
    assert resolve_owner_list("  ", ctx()).problem
    assert "Skriv hela namnet" in (resolve_owner_list("Anna", ctx(ANNA, ANNA_M)).problem or "")
    assert resolve_owner_list("Anna Gustafsson", ctx(ANNA, ANNA_M)).owners == (owner(ANNA),)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ingen", Due()),
        ("Nej", Due()),
        ("till nästa möte", Due(next_meeting=True)),
        ("nasta mote", Due(next_meeting=True)),
        ("4 december", Due(date(2026, 12, 4))),
        ("till fredag 4 december", Due(date(2026, 12, 4))),
        ("om två veckor", Due(date(2026, 12, 7))),
    ],
)
def test_parse_due(text: str, expected: Due) -> None:
    assert parse_due(text, ctx()) == expected


def test_parse_due_questions() -> None:
    assert isinstance(parse_due("snart", ctx()), str)
    assert isinstance(parse_due("30 februari", ctx()), str)


def test_owners_text() -> None:
    assert owners_text([owner(ANNA)]) == "Anna Gustafsson"
    assert owners_text([owner(ANNA), Owner(MUNICIPALITY, "Skövde", "Skövde"), Owner(EXTERNAL, "Karin")]) == (
        "Anna Gustafsson, alla från Skövde och Karin (utanför nätverket)"
    )
    assert owners_text([Owner(ALL, "alla")]) == "alla i nätverket"
