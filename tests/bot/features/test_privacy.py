"""`mina data` and `radera mina svar`: a person sees and deletes what the bot stores about them."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.app import SERVICES_KEY
from bot.config import Settings
from bot.features.privacy import RetentionPurge
from bot.messages import t
from storage.engine import MemoryEngine
from storage.store import Store
from storage.teams_repo import Team
from tests.harness import ANNA, PETER, SOFIA, TEAM_ID, Harness, start_harness, stop_harness
from tests.reliability.conftest import add_meeting


@pytest.fixture
async def bot(harness: Harness) -> Harness:
    await harness.install(ANNA, roster=[ANNA, PETER, SOFIA])
    await add_meeting(harness)
    # Tags typed as text arrive from Teams as entities (a real <b> would be bold, not text).
    await harness.say("incheckning Jag tog med mig &lt;b&gt;idéer&lt;/b&gt; om *UP2*", PETER)
    await harness.say("utcheckning Bra möte", PETER)
    await harness.say("incheckning Sofias svar", SOFIA)
    await harness.say("uppgift Boka lokal @Peter Stark", ANNA, mentions=[PETER])
    await harness.say("beslut Vi kör UP2", PETER)
    return harness


async def test_my_data_in_the_channel_points_to_the_private_chat(bot: Harness) -> None:
    texts = await bot.say("mina data", PETER)
    assert texts == [t("privacy.in_channel", "sv")]
    assert "idéer" not in texts[0]


@pytest.mark.parametrize("words", ["mina data", "mina uppgifter om mig", "Mina Data"])
async def test_my_data_in_the_private_chat_lists_what_is_stored(bot: Harness, words: str) -> None:
    texts = await bot.say(words, PETER, where="personal")
    assert len(texts) == 1
    text = texts[0]
    assert "Peter Stark" in text and "SKIS" in text
    assert "(2 st)" in text
    assert "Jag tog med mig \\<b\\>idéer\\</b\\> om \\*UP2\\*" in text  # shown escaped
    assert "Bra möte" in text and "Sofias svar" not in text  # only their own answers
    assert "ansvarig:** 1 (varav 1 öppna)" in text
    assert "skrivit in:** 1" in text  # the decision
    assert "365 dagar" in text
    assert "radera mina svar" in text


async def test_my_data_for_someone_with_nothing_stored(bot: Harness) -> None:
    text = (await bot.say("mina data", ANNA, where="personal"))[0]
    assert t("privacy.answers_none", "sv") in text


async def test_delete_my_answers_asks_first_then_deletes_only_their_own(bot: Harness) -> None:
    texts = await bot.say("radera mina svar ja", PETER)  # in the channel: only in the 1:1 chat
    assert texts == [t("privacy.delete_in_channel", "sv")]
    texts = await bot.say("radera mina svar", PETER, where="personal")
    assert texts == [t("privacy.delete_confirm", "sv", count=2)]
    assert len(await bot.store.checkins.answers_of(TEAM_ID, PETER.aad)) == 2  # nothing deleted yet

    texts = await bot.say("radera mina svar ja", PETER, where="personal")
    assert texts == [t("privacy.deleted", "sv", count=2)]
    assert await bot.store.checkins.answers_of(TEAM_ID, PETER.aad) == []
    assert [a.answer for a in await bot.store.checkins.answers_of(TEAM_ID, SOFIA.aad)] == ["Sofias svar"]
    assert len(await bot.store.actions.all(TEAM_ID)) == 1  # other records stay

    texts = await bot.say("radera mina svar ja", PETER, where="personal")
    assert texts == [t("privacy.delete_none", "sv")]


async def test_delete_my_answers_works_in_the_private_chat(bot: Harness) -> None:
    await bot.say("radera mina svar ja", SOFIA, where="personal")
    assert await bot.store.checkins.answers_of(TEAM_ID, SOFIA.aad) == []


async def test_delete_my_answers_delivered_twice_deletes_once(bot: Harness) -> None:
    activity = bot.message("radera mina svar ja", PETER, where="personal")
    await bot.post(activity)
    await bot.post(activity)
    assert [p.text for p in bot.connector.posted].count(t("privacy.deleted", "sv", count=2)) == 1


NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


async def _store_with_answers(engine: MemoryEngine) -> Store:
    store = Store(engine)
    await store.teams.save_team(Team(key=TEAM_ID, name="SKIS", kind="team", tenant_id=None, conversation_ref={},
                                     installed_by=None, installed_at=NOW - timedelta(days=900)))
    for member, days in (("old", 400), ("older", 800), ("recent", 10), ("edge", 29)):
        await store.checkins.save_answer(TEAM_ID, f"m-{member}", member, question="?", answer=f"svar {member}", at=NOW - timedelta(days=days))
    return store


async def first_purge(h: Harness) -> RetentionPurge | None:
    """The service's background purge once its first pass is over (None when retention is off)."""
    purge = h.app[SERVICES_KEY].purge
    if purge is not None:
        await asyncio.wait_for(purge.first_pass_done.wait(), timeout=10)
    return purge


@pytest.mark.parametrize(("days", "kept"), [(365, {"recent", "edge"}), (30, {"recent", "edge"}), (20, {"recent"}), (0, {"old", "older", "recent", "edge"})])
async def test_expired_answers_are_deleted_when_the_service_starts(days: int, kept: set[str]) -> None:
    engine = MemoryEngine()
    store = await _store_with_answers(engine)
    h = await start_harness(engine=engine, settings=Settings(dev=True, checkin_retention_days=days), now=NOW)
    try:
        assert (await first_purge(h) is None) == (days == 0)
        left = {a.member_key for m in ("old", "older", "recent", "edge") for a in await store.checkins.answers(TEAM_ID, f"m-{m}")}
        assert left == kept
    finally:
        await stop_harness(h)


async def test_a_failing_purge_does_not_stop_the_service() -> None:
    engine = MemoryEngine()
    await _store_with_answers(engine)
    engine.fail_writes = True
    h = await start_harness(engine=engine, settings=Settings(dev=True, checkin_retention_days=30), now=NOW)
    try:
        purge = await first_purge(h)
        assert purge is not None and purge.last is not None and purge.last.failed == [TEAM_ID]
        engine.fail_writes = False
        assert len(await h.say_cards("hjälp", ANNA)) == 1
    finally:
        await stop_harness(h)


def test_retention_setting_is_read_from_the_environment() -> None:
    from bot.config import ConfigError

    assert Settings.from_env({}).checkin_retention_days == 365
    assert Settings.from_env({"SKIS_CHECKIN_RETENTION_DAYS": "30"}).checkin_retention_days == 30
    assert Settings.from_env({"SKIS_CHECKIN_RETENTION_DAYS": "0"}).checkin_retention_days == 0
    for bad in ("-1", "ett år", "1.5"):
        with pytest.raises(ConfigError, match="SKIS_CHECKIN_RETENTION_DAYS"):
            Settings.from_env({"SKIS_CHECKIN_RETENTION_DAYS": bad})


