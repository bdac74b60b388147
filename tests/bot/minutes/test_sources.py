"""What the minutes are built from, as the records stand: officers, guests, follow-ups, the network's name.

The records are made through /api/messages where a person would make them; the draft is read with
``bot.minutes.sources.build`` and the Markdown export, as the secretary and the web site see them.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from bot.minutes.draft import Publication
from bot.minutes.render_md import render_markdown
from bot.minutes.sources import NETWORK_NAME_SETTING, build
from storage.actions_repo import MEMBER, Owner
from tests.bot.features.test_minutes import MID, START, seed
from tests.harness import ANNA, PETER, SOFIA, TEAM_ID, Harness

TZ = START.tzinfo


async def draft(h: Harness) -> dict:
    team = await h.store.teams.get_team(TEAM_ID)
    meeting = await h.store.meetings.get(TEAM_ID, MID)
    assert team is not None and meeting is not None
    return await build(h.store, team, meeting, h.settings.timezone)


async def test_the_chair_and_the_secretary_head_the_minutes(harness: Harness) -> None:
    await seed(harness)  # Anna installed the bot: chair and presidium; Sofia is the secretary
    c = await draft(harness)
    assert c["officers"] == [{"role": "chair", "name": ANNA.name, "municipality": "Götene"},
                             {"role": "secretary", "name": SOFIA.name, "municipality": "Lidköping"}]
    md = render_markdown(Publication(content=c, status="draft"), harness.settings.timezone)
    assert f"Ordförande: {ANNA.name}, Götene  \nSekreterare: {SOFIA.name}, Lidköping\n" in md


async def test_guests_are_listed_after_the_members(harness: Harness) -> None:
    await seed(harness)
    harness.clock.set(START + timedelta(hours=2))
    replies = await harness.say("närvarande Emma Boman, Anna, Peter", SOFIA, where="personal")
    assert replies, replies
    names = [a["name"] for a in (await draft(harness))["attendees"]]
    assert names == [ANNA.name, PETER.name, "Emma Boman"]  # not alphabetically among the members
    assert [a["guest"] for a in (await draft(harness))["attendees"]] == [False, False, True]


async def test_follow_ups_are_written_out_with_owners_dates_and_an_overdue_mark(harness: Harness) -> None:
    await seed(harness)
    store = harness.store
    earlier = START - timedelta(days=21)
    await store.actions.create(TEAM_ID, title="Boka lokal", owners=(Owner(MEMBER, PETER.name, PETER.aad),), created_by=ANNA.aad,
                         created_at=earlier, meeting_id="20261030", due=date(2026, 11, 13))
    await store.actions.create(TEAM_ID, title="Ta fram underlag", owners=(Owner(MEMBER, ANNA.name, ANNA.aad),), created_by=ANNA.aad,
                         created_at=earlier, meeting_id="20261030", due=date(2026, 11, 27))
    # Recorded for this very meeting before it began: followed up at the next one, not at this one.
    await store.actions.create(TEAM_ID, title="Förbereda laget runt", owners=(Owner(MEMBER, ANNA.name, ANNA.aad),), created_by=ANNA.aad,
                         created_at=START - timedelta(days=2), meeting_id=MID)
    follow_up = next(i for i in (await draft(harness))["items"] if i["key"] == "followup")
    assert follow_up["notes"].split("\n") == [
        f"- Boka lokal – {PETER.name}, senast fredag 13 november 2026 (försenad)",
        f"- Ta fram underlag – {ANNA.name}, senast fredag 27 november 2026",
    ]
    assert "#" not in follow_up["notes"] and "Förbereda laget runt" not in follow_up["notes"]


async def test_the_heading_names_the_network_when_it_has_a_name_of_its_own(harness: Harness) -> None:
    await seed(harness)
    assert (await draft(harness))["network"] == "SKIS"  # the Teams team's name
    team = await harness.store.teams.get_team(TEAM_ID)
    assert team is not None
    name = "Nätverket Utvecklingsledare, Skolutveckling i Skaraborg, SKIS"
    await harness.store.teams.save_team(replace(team, settings={**team.settings, NETWORK_NAME_SETTING: name}))
    assert (await draft(harness))["network"] == name
