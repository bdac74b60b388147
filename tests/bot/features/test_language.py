"""One language per reply (issue 19 point 3), through /api/messages, and the one rule that decides it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from bot.formatting import format_date
from bot.messages import CATALOGUE, FULL_LOCALES, NETWORK_LANGUAGE_SETTING, reply_locale
from tests.harness import ANNA, PETER, SOFIA

TEAM = "19:skis-team@thread.tacv2"
ENGLISH = re.compile(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|January|February|March|April|May|June|July|"
                     r"August|September|October|November|December|the|and|you|at|Coming|meetings?)\b")

BOTH = frozenset({"sv", "en"})


@pytest.mark.parametrize(
    ("network", "client", "personal", "full", "expected"),
    [
        # The channel and shared cards: the network's language, whatever the client says.
        (None, "en-US", False, BOTH, "sv"),
        ("sv", "en-GB", False, BOTH, "sv"),
        ("en", "sv-SE", False, BOTH, "en"),
        # 1:1: the person's client language, where the catalogue has all of it.
        ("sv", "en-US", True, BOTH, "en"),
        ("en", "sv-SE", True, BOTH, "sv"),
        ("sv", None, True, BOTH, "sv"),
        ("en", None, True, BOTH, "en"),
        ("sv", "de-DE", True, BOTH, "sv"),
        # A language with gaps is never chosen: not for the network, not for a person.
        ("sv", "en-US", True, frozenset({"sv"}), "sv"),
        ("en", "en-US", False, frozenset({"sv"}), "sv"),
        ("en", "en-US", True, frozenset({"sv"}), "sv"),
        ("xx", None, False, BOTH, "sv"),
    ],
)
def test_reply_locale(network, client, personal, full, expected):
    assert reply_locale(network, client, personal, full) == expected


def test_english_is_offered_only_when_every_swedish_text_has_an_english_one():
    assert ("en" in FULL_LOCALES) == (set(CATALOGUE["sv"]) <= set(CATALOGUE["en"]))
    assert "sv" in FULL_LOCALES


async def _shown(harness, text, user=PETER, **extra) -> str:
    """Everything the bot posted in answer, texts and cards."""
    before = len(harness.connector.posted)
    resp = await harness.post(harness.message(text, user, **extra))
    assert resp.status == 200
    posted = harness.connector.posted[before:]
    return " ".join([p.text or "" for p in posted] + [str(c) for p in posted for c in p.cards])


async def _planned(harness) -> str:
    await harness.install(ANNA, roster=[ANNA, PETER, SOFIA])
    now = harness.clock.now()
    friday = (now + timedelta(days=(4 - now.weekday()) % 7 + 7)).date()
    day = format_date(friday, "sv")
    await harness.say(f"nytt möte {friday.day}/{friday.month} kl 9-12 i Skövde")
    await harness.say("ja")
    assert await harness.store.meetings.all(TEAM), "the meeting was planned"
    return day


async def test_an_english_client_in_the_channel_gets_a_wholly_swedish_reply_with_swedish_dates(harness):
    day = await _planned(harness)
    for text in ("möten", "dagordning", "hjälp", "kommer"):
        shown = await _shown(harness, text, locale="en-US")
        assert shown.strip(), text
        assert not ENGLISH.findall(shown), (text, ENGLISH.findall(shown))
    shown = await _shown(harness, "möten", locale="en-US")
    assert day.capitalize() in shown  # "Fredag 4 december 2026", never "Friday 4 December"


async def test_an_english_client_in_a_personal_chat_gets_swedish_while_english_is_incomplete(harness):
    day = await _planned(harness)
    shown = await _shown(harness, "möten", where="personal", locale="en-US")
    assert day.capitalize() in shown and not ENGLISH.findall(shown)


async def test_the_presidium_sees_and_sets_the_networks_language(harness):
    await harness.install(ANNA, roster=[ANNA, PETER, SOFIA])
    usage = " ".join(await harness.say("språk", PETER))
    assert "Nätverkets språk är svenska" in usage and "**språk engelska**" in usage
    refused = " ".join(await harness.say("språk engelska", PETER))  # a member
    assert "Bara presidiet eller sekreteraren" in refused
    assert NETWORK_LANGUAGE_SETTING not in ((await harness.store.teams.get_team(TEAM)).settings or {})
    done = " ".join(await harness.say("språk svenska", ANNA))  # presidium
    assert "Nätverkets språk är nu svenska" in done
    assert (await harness.store.teams.get_team(TEAM)).settings[NETWORK_LANGUAGE_SETTING] == "sv"


async def test_a_language_the_catalogue_does_not_wholly_cover_is_refused_in_swedish(harness):
    await harness.install(ANNA, roster=[ANNA, PETER, SOFIA])
    if "en" in FULL_LOCALES:
        pytest.skip("English is complete: the network may choose it")
    texts = " ".join(await harness.say("språk engelska", ANNA, locale="en-US"))
    assert "Jag kan inte skriva allt på engelska än" in texts and "fortsätter jag på svenska" in texts
    assert NETWORK_LANGUAGE_SETTING not in ((await harness.store.teams.get_team(TEAM)).settings or {})
