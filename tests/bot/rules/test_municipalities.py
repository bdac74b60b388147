"""Municipalities: the configurable list, reading names as people type them, and who is represented."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from bot.rules import municipalities as mun
from storage.attendance_repo import NO, SUBSTITUTE, YES, AttendanceAnswer, Presence
from storage.engine import MemoryEngine
from storage.store import Store
from storage.teams_repo import Member, Team

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TEAM = "19:team"


def test_default_is_skaraborgs_15():
    assert len(mun.DEFAULT_MUNICIPALITIES) == 15
    assert mun.municipalities() == mun.DEFAULT_MUNICIPALITIES


def test_team_settings_then_deployment_settings_override():
    team = SimpleNamespace(settings={"municipalities": ["Hjo", "Skövde"]})
    assert mun.municipalities(team) == ("Hjo", "Skövde")
    settings = SimpleNamespace(municipalities=("Borås",))
    assert mun.municipalities(SimpleNamespace(settings={}), settings) == ("Borås",)
    assert mun.municipalities(team, settings) == ("Hjo", "Skövde")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Töreboda", "Töreboda"),
        ("toreboda", "Töreboda"),
        ("TÖREBODA", "Töreboda"),
        ("  götene ", "Götene"),
        ("Gotene", "Götene"),
        ("Skövde kommun", "Skövde"),
        ("Skövdes kommun", "Skövde"),
        ("grastorp", "Grästorp"),
        ("kommunalförbundet", "Skaraborgs kommunalförbund"),
        ("Skaraborgs kommunalförbund", "Skaraborgs kommunalförbund"),
        ("Skövd", None),
        ("Borås", None),
        ("", None),
    ],
)
def test_match(typed, expected):
    assert mun.match(typed, mun.DEFAULT_MUNICIPALITIES) == expected


def test_suggestions():
    assert mun.suggestions("Skövd", mun.DEFAULT_MUNICIPALITIES)[0] == "Skövde"
    assert "Tidaholm" in mun.suggestions("Tidahom", mun.DEFAULT_MUNICIPALITIES)
    assert mun.suggestions("Xyz", mun.DEFAULT_MUNICIPALITIES) == []


def test_split_and_list_helpers():
    assert mun.split_names("Mariestad och Gullspång") == ["Mariestad", "Gullspång"]
    assert mun.split_names("Hjo, Tibro/Skara") == ["Hjo", "Tibro", "Skara"]
    assert mun.municipalities_of("Mariestad, Gullspång") == ("Mariestad", "Gullspång")
    assert mun.municipalities_of(None) == ()
    assert mun.parse_list("Essunga, Falköping;Hjo, essunga") == ("Essunga", "Falköping", "Hjo")


async def _store() -> Store:
    store = Store(MemoryEngine())
    await store.teams.save_team(Team(TEAM, "SKIS", "team", None, {}, None, T0))
    await store.teams.save_members(
        TEAM,
        [
            Member("anna", "29:a", "Anna", municipality="Götene"),
            Member("lisa", "29:l", "Lisa", municipality="Mariestad, Gullspång"),
            Member("peter", "29:p", "Peter", municipality="Skövde"),
            Member("sofia", "29:s", "Sofia", municipality="Lidköping"),
            Member("susanne", "29:su", "Susanne", municipality="Skaraborgs kommunalförbund"),
        ],
    )
    return store


async def test_represented_from_answers():
    store = await _store()
    for key, answer in [("anna", YES), ("lisa", SUBSTITUTE), ("peter", NO), ("susanne", YES)]:
        await store.attendance.answer(AttendanceAnswer(TEAM, "m1", key, key, answer, T0))
    here, missing = await mun.represented(store, TEAM, "m1")
    assert here == {"Götene", "Mariestad", "Gullspång"}
    assert "Skövde" in missing and "Lidköping" in missing and len(missing) == 12


async def test_presence_wins_over_answers():
    store = await _store()
    await store.attendance.answer(AttendanceAnswer(TEAM, "m1", "anna", "Anna", YES, T0))
    await store.attendance.update_present(
        TEAM, "m1", add=[Presence("Peter", "sek", T0, member_key="peter"), Presence("Gäst", "sek", T0, municipality="Hjo")]
    )
    here, _missing = await mun.represented(store, TEAM, "m1")
    assert here == {"Skövde", "Hjo"}
