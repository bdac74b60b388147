"""The member register through /api/messages: municipalities (kommun), the member list and roles."""

from __future__ import annotations

from tests.cards_schema import assert_valid_card
from tests.harness import ANNA, PETER, SOFIA

TEAM = "19:skis-team@thread.tacv2"


async def test_kommun_accepts_variants_and_suggests(harness):
    await harness.install(ANNA, roster=[ANNA, PETER])
    assert "ingen kommun" in (await harness.say("kommun"))[0]
    texts = await harness.say("kommun toreboda")
    assert "Töreboda" in texts[0]
    assert (await harness.store.teams.get_member(TEAM, ANNA.aad)).municipality == "Töreboda"
    assert "Du står som Töreboda" in (await harness.say("kommun"))[0]
    texts = await harness.say("kommun Skövd")
    assert "Menar du **Skövde**" in texts[0]
    texts = await harness.say("kommun Borås")
    assert "Essunga" in texts[0] and "Vara" in texts[0]
    assert (await harness.store.teams.get_member(TEAM, ANNA.aad)).municipality == "Töreboda"
    await harness.say("kommun Mariestad och Gullspång")
    assert (await harness.store.teams.get_member(TEAM, ANNA.aad)).municipality == "Mariestad, Gullspång"
    await harness.say("kommun skaraborgs kommunalförbund")
    assert (await harness.store.teams.get_member(TEAM, ANNA.aad)).municipality == "Skaraborgs kommunalförbund"


async def test_setting_someone_elses_municipality_needs_a_role(harness):
    await harness.install(ANNA, roster=[ANNA, PETER])
    assert "ordföranden" in (await harness.say("kommun @Anna Gustafsson Hjo", PETER, mentions=[ANNA]))[0]
    await harness.say("kommun @Peter Stark Skövde", ANNA, mentions=[PETER])
    assert (await harness.store.teams.get_member(TEAM, PETER.aad)).municipality == "Skövde"


async def test_members_card_by_municipality_with_roles(harness):
    await harness.install(ANNA, roster=[ANNA, PETER, SOFIA])
    await harness.say("kommun Götene")
    await harness.say("kommun Skövde", PETER)
    card = (await harness.say_cards("medlemmar", PETER))[0]
    assert_valid_card(card)
    flat = str(card)
    assert "Medlemmar (3)" in flat
    assert flat.index("Götene") < flat.index("Skövde") < flat.index("Kommun saknas")
    assert "Anna Gustafsson – presidium, ordförande" in flat
    assert "Ingen medlem registrerad från" in flat and "Essunga" in flat


async def test_roles_given_and_taken(harness):
    await harness.install(ANNA, roster=[ANNA, PETER, SOFIA])
    assert "roll @Anna sekreterare" in (await harness.say("roll"))[0]
    texts = await harness.say("roll @Peter Stark sekreterare", ANNA, mentions=[PETER])
    assert "Peter Stark har nu rollerna: medlem, sekreterare" in texts[0]
    assert "sekreterare" in (await harness.store.teams.get_member(TEAM, PETER.aad)).roles
    # A member cannot give roles; the answer names who can.
    texts = await harness.say("roll Sofia presidium", PETER)
    assert "ordföranden eller presidiet" in texts[0]
    assert "presidium" not in (await harness.store.teams.get_member(TEAM, SOFIA.aad)).roles
    texts = await harness.say("roll Peter -sekreterare")
    assert "rollerna: medlem." in texts[0]
    await harness.say("roll Peter ta bort presidium")
    assert "rollerna: medlem, sekreterare" in (await harness.say("roll Peter sekr"))[0]
    assert "känner inte igen rollen" in (await harness.say("roll Peter kassör"))[0]
    texts = await harness.say("roll @Peter Stark kung", ANNA, mentions=[PETER])
    assert "känner inte igen rollen ”kung”" in texts[0]
    assert "hittar ingen" in (await harness.say("roll Bertil sekreterare"))[0]
    assert "Peter Stark har rollerna" in (await harness.say("roll Peter"))[0]


async def test_last_leader_cannot_drop_the_role(harness):
    await harness.install(ANNA, roster=[ANNA, PETER])
    await harness.say("roll Anna -presidium")
    texts = await harness.say("roll Anna -ordförande")
    assert "måste ha kvar" in texts[0]
    assert "ordförande" in (await harness.store.teams.get_member(TEAM, ANNA.aad)).roles
    await harness.say("roll Peter ordförande")
    assert "rollerna: medlem." in (await harness.say("roll Anna -ordförande"))[0]


async def test_role_removal_in_words(harness):
    await harness.install(ANNA, roster=[ANNA, PETER])
    await harness.say("roll @Peter Stark presidium", ANNA, mentions=[PETER])
    texts = await harness.say("roll @Peter Stark ta bort presidium", ANNA, mentions=[PETER])
    assert "rollerna: medlem." in texts[0]
