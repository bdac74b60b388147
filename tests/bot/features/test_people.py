"""Who a message names (bot/features/people.py): attendance lists in the network's own formats,
and substitutes by mention or name (issue 17 points 5 and 11).

Checked against the stored presence list, through /api/messages.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.harness import ANNA, PETER, SOFIA, User

TEAM = "19:skis-team@thread.tacv2"
PERNILLA = User("Pernilla Bergman", "aad-pernilla")
THERESE = User("Therese Lindberg", "aad-therese")
YVONNE = User("Yvonne Hagle", "aad-yvonne")
ROSTER = [ANNA, PETER, SOFIA, PERNILLA, THERESE, YVONNE]
MUNICIPALITY = {ANNA: "Skövde", PETER: "Skövde", SOFIA: "Lidköping", PERNILLA: "Götene", THERESE: "Tibro", YVONNE: "Falköping"}
AFTER_MEETING = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


async def _setup(harness) -> None:
    await harness.install(ANNA, roster=ROSTER)
    for user, place in MUNICIPALITY.items():
        await harness.say(f"kommun {place}", user)
    await harness.say("nytt möte fredag 27 november kl 9-12 Regionens hus")


async def _present(harness) -> list[tuple[str, str | None, bool]]:
    """(name, municipality, a member?) of everyone recorded as present, sorted."""
    return sorted((p.name, p.municipality, p.member_key is not None) for p in await harness.store.attendance.present(TEAM, "20261127"))


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        (
            "Närvarande: Pernilla Bergman Götene, Therese Lindberg Tibro, Camilla Lundberg Skaraborgs Kommunalförbund",
            [("Camilla Lundberg", "Skaraborgs kommunalförbund", False), ("Pernilla Bergman", "Götene", True), ("Therese Lindberg", "Tibro", True)],
        ),
        (
            "närvarande @Anna @Peter, Susanne Sandgren",
            [("Anna Gustafsson", "Skövde", True), ("Peter Stark", "Skövde", True), ("Susanne Sandgren", None, False)],
        ),
        (
            "närvarande\nSusanne Sandgren, Skaraborgs kommunalförbund\nSofia Adolfsson, Lidköping\nSofia Andreasson, Lidköping",
            [("Sofia Adolfsson", "Lidköping", True), ("Sofia Andreasson", "Lidköping", False), ("Susanne Sandgren", "Skaraborgs kommunalförbund", False)],
        ),
        (
            "närvarande Peter Stark, Skövde, Elin Ek, Hjo",
            [("Elin Ek", "Hjo", False), ("Peter Stark", "Skövde", True)],
        ),
    ],
)
async def test_attendance_lists_in_the_networks_formats(harness, written, expected):
    await _setup(harness)
    harness.clock.set(AFTER_MEETING)
    texts = await harness.say(written)
    assert "närvarande" in texts[0].lower()
    assert await _present(harness) == expected


@pytest.mark.parametrize("written", ["ersättare <at>Yvonne Hagle</at>", "ersättare Yvonne Hagle", "ersättare Yvonne"])
async def test_a_substitute_from_another_municipality_is_refused_as_mention_or_name(harness, written):
    await _setup(harness)
    mentions = [YVONNE] if "<at>" in written else []
    texts = await harness.say(written, PETER, mentions=mentions)
    assert "ska komma från din kommun, Skövde" in texts[0]
    assert await harness.store.attendance.answers(TEAM, "20261127") == []


@pytest.mark.parametrize("written", ["ersättare <at>Anna Gustafsson</at>", "ersättare Anna Gustafsson"])
async def test_a_substitute_from_the_same_municipality_is_the_member_either_way(harness, written):
    await _setup(harness)
    mentions = [ANNA] if "<at>" in written else []
    await harness.say(written, PETER, mentions=mentions)
    (answer,) = await harness.store.attendance.answers(TEAM, "20261127")
    assert (answer.substitute, answer.substitute_key) == ("Anna Gustafsson", (await harness.store.teams.get_member(TEAM, ANNA.aad)).key)
