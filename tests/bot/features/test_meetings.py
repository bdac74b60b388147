"""Meetings through /api/messages: create, confirm unusual days, list, move, cancel, roles."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from types import SimpleNamespace

from bot.app import SERVICES_KEY
from bot.rules.meetings import CREATE, Draft, store_draft, token_for
from storage.meetings_repo import CANCELLED
from tests.cards_schema import assert_valid_card
from tests.harness import ANNA, PETER, SOFIA, TEAM_ID

TEAM = "19:skis-team@thread.tacv2"


async def _setup(harness) -> None:
    await harness.install(ANNA, roster=[ANNA, PETER, SOFIA])


async def test_one_message_creates_and_echoes_swedish_date(harness):
    await _setup(harness)
    changes = harness.published()
    texts = await harness.say("nytt möte fredag 4 december kl 9-12 Regionens hus, Skövde")
    assert len(texts) == 1
    assert "fredag 4 december 2026 kl. 09.00–12.00" in texts[0]
    assert "Regionens hus, Skövde" in texts[0]
    assert "ställ in möte 20261204" in texts[0] and "flytta möte 20261204" in texts[0]
    meeting = await harness.store.meetings.get(TEAM, "20261204")
    assert meeting is not None
    assert meeting.starts_at == datetime(2026, 12, 4, 8, 0, tzinfo=UTC)
    assert meeting.ends_at == datetime(2026, 12, 4, 11, 0, tzinfo=UTC)
    assert meeting.location == "Regionens hus, Skövde"
    assert changes == [("meeting", TEAM, "20261204")]


async def test_members_get_a_polite_no_naming_who_can(harness):
    await _setup(harness)
    texts = await harness.say("nytt möte fredag 4 december kl 9-12", PETER)
    assert "presidiet" in texts[0] and "ordföranden" in texts[0] and "sekreteraren" in texts[0]
    assert await harness.store.meetings.all(TEAM) == []


async def test_not_a_friday_asks_and_yes_saves(harness):
    await _setup(harness)
    texts = await harness.say("nytt möte torsdag 3 december kl 13-15 Teams")
    assert "inte en fredag" in texts[0] and "Spara ändå? Svara **ja** eller **nej**" in texts[0]
    cards = harness.connector.posted[-1].cards
    assert cards and cards[0]["actions"][0]["verb"] == "meeting_confirm"
    assert_valid_card(cards[0])
    assert await harness.store.meetings.all(TEAM) == []
    texts = await harness.say("ja")
    assert "Mötet är sparat" in texts[0] and "torsdag 3 december 2026 kl. 13.00–15.00" in texts[0]
    assert len(await harness.store.meetings.all(TEAM)) == 1
    # The dialog is over: the next message is a command again.
    assert "Kommande möten" in str(await harness.say_cards("möten"))


async def test_holiday_warning_and_no_saves_nothing(harness):
    await _setup(harness)
    texts = await harness.say("nytt möte fredag 26 mars 2027 kl 9-12")
    assert "Långfredagen" in texts[0]
    texts = await harness.say("nej")
    assert "inget sparades" in texts[0]
    assert await harness.store.meetings.all(TEAM) == []


async def test_midsommarafton_is_warned(harness):
    await _setup(harness)
    texts = await harness.say("nytt möte 25 juni 2027 kl 9-12")
    assert "Midsommarafton" in texts[0]


async def test_confirm_by_card_button_then_text_answer_does_nothing_more(harness):
    await _setup(harness)
    await harness.say("nytt möte onsdag 2 december kl 9-12")
    card = harness.connector.posted[-1].cards[0]
    data = card["actions"][0]["data"]
    resp = await harness.post(harness.invoke("meeting_confirm", {k: v for k, v in data.items() if k != "action"}))
    assert resp.status == 200
    assert len(await harness.store.meetings.all(TEAM)) == 1
    # Pressing again, or answering the still-open text question, stores nothing more.
    await harness.post(harness.invoke("meeting_confirm", {k: v for k, v in data.items() if k != "action"}))
    texts = await harness.say("ja")
    assert "redan klart" in texts[0]
    assert len(await harness.store.meetings.all(TEAM)) == 1


async def test_abort_button(harness):
    await _setup(harness)
    await harness.say("nytt möte onsdag 2 december kl 9-12")
    data = harness.connector.posted[-1].cards[0]["actions"][1]["data"]
    before = len(harness.connector.posted)
    await harness.post(harness.submit(data))
    assert any("inget sparades" in (p.text or "") for p in harness.connector.posted[before:])
    assert await harness.store.meetings.all(TEAM) == []


async def test_confirm_button_checks_role_on_the_server(harness):
    await _setup(harness)
    await harness.say("nytt möte onsdag 2 december kl 9-12")
    data = harness.connector.posted[-1].cards[0]["actions"][0]["data"]
    before = len(harness.connector.posted)
    await harness.post(harness.submit(data, PETER))
    assert any("presidiet" in (p.text or "") for p in harness.connector.posted[before:])
    assert await harness.store.meetings.all(TEAM) == []


async def test_dialog_asks_date_time_place_topics(harness):
    await _setup(harness)
    texts = await harness.say("nytt möte")
    assert "Vilken dag" in texts[0] and "avbryt" in texts[0]
    texts = await harness.say("31 juni")
    assert "juni har bara 30 dagar" in texts[0]
    texts = await harness.say("fredag 11 december")
    assert "Vilken tid" in texts[0] and "fredag 11 december 2026" in texts[0]
    texts = await harness.say("13-15")
    assert "Var hålls mötet" in texts[0]
    texts = await harness.say("https://teams.microsoft.com/l/meetup-join/abc")
    assert "punkter" in texts[0]
    texts = await harness.say("UP2\nKvalitetsdialog; Bästa skola")
    assert "Mötet är sparat" in texts[0] and "fredag 11 december 2026 kl. 13.00–15.00" in texts[0]
    meeting = await harness.store.meetings.get(TEAM, "20261211")
    assert meeting.location == "https://teams.microsoft.com/l/meetup-join/abc"
    assert meeting.topics == ("UP2", "Kvalitetsdialog", "Bästa skola")


async def test_missing_time_is_asked_and_avbryt_cancels(harness):
    await _setup(harness)
    texts = await harness.say("nytt möte fredag 4 december Regionens hus")
    assert "Vilken tid" in texts[0]
    texts = await harness.say("avbryt")
    assert "avbrutit" in texts[0]
    assert await harness.store.meetings.all(TEAM) == []


async def test_missing_time_then_saved_with_place_from_first_message(harness):
    await _setup(harness)
    await harness.say("nytt möte fredag 4 december Regionens hus")
    texts = await harness.say("kl 9-12")
    assert "Mötet är sparat" in texts[0] and "Regionens hus" in texts[0]


async def test_past_date_is_refused(harness):
    await _setup(harness)
    texts = await harness.say("nytt möte fredag 20 november 2026 kl 9-12")
    assert "redan varit" in texts[0]
    assert await harness.store.meetings.all(TEAM) == []


async def test_list_upcoming_and_past(harness):
    await _setup(harness)
    assert "Inga möten" in (await harness.say("möten", PETER))[0]
    await harness.say("nytt möte fredag 4 december kl 9-12 Regionens hus, Skövde")
    await harness.say("nytt möte fredag 11 december kl 13-15 https://teams.microsoft.com/l/x")
    cards = await harness.say_cards("möten", PETER)
    assert len(cards) == 1
    card = cards[0]
    assert_valid_card(card)
    flat = str(card)
    assert "Fredag 4 december 2026 kl. 09.00–12.00" in flat and "Regionens hus" in flat
    assert "Teams-möte (länk)" in flat
    assert card["actions"][0]["data"] == {"action": "attend_yes", "meeting_id": "20261204", "network": TEAM_ID}
    harness.clock.set(datetime(2026, 12, 20, 9, 0, tzinfo=UTC))
    assert "Inga möten" in (await harness.say("möten", PETER))[0]
    cards = await harness.say_cards("tidigare möten", PETER)
    assert_valid_card(cards[0])
    flat = str(cards[0])
    assert flat.index("11 december") < flat.index("4 december")


async def test_move_by_date_keeps_times_and_publishes(harness):
    await _setup(harness)
    await harness.say("nytt möte fredag 4 december kl 9-12 Regionens hus")
    changes = harness.published()
    texts = await harness.say("flytta möte 4 december till 11 december")
    assert "flyttat till **fredag 11 december 2026 kl. 09.00–12.00**" in texts[0]
    meeting = await harness.store.meetings.get(TEAM, "20261204")
    assert meeting.starts_at == datetime(2026, 12, 11, 8, 0, tzinfo=UTC) and meeting.location == "Regionens hus"
    assert meeting.extra["sequence"] == 1
    assert changes == [("meeting", TEAM, "20261204")]
    # The undo hint is a command the bot understands.
    undo = texts[0].split("Ångra: *")[1].split("*")[0]
    texts = await harness.say(undo)
    assert "fredag 4 december 2026 kl. 09.00–12.00" in texts[0]


async def test_move_time_only_and_place_only(harness):
    await _setup(harness)
    await harness.say("nytt möte fredag 4 december kl 9-12 Regionens hus")
    texts = await harness.say("flytta möte 20261204 till kl 13-15")
    assert "kl. 13.00–15.00" in texts[0]
    texts = await harness.say("flytta möte 20261204 till Skövde stadshus")
    assert "Skövde stadshus" in texts[0]
    assert (await harness.store.meetings.get(TEAM, "20261204")).location == "Skövde stadshus"


async def test_move_to_a_thursday_asks_first(harness):
    await _setup(harness)
    await harness.say("nytt möte fredag 4 december kl 9-12")
    texts = await harness.say("flytta möte 4 december till torsdag 10 december")
    assert "inte en fredag" in texts[0]
    await harness.say("nej")
    assert (await harness.store.meetings.get(TEAM, "20261204")).starts_at.day == 4


async def test_move_and_cancel_need_a_role_and_a_meeting(harness):
    await _setup(harness)
    await harness.say("nytt möte fredag 4 december kl 9-12")
    assert "presidiet" in (await harness.say("flytta möte 4 december till 11 december", PETER))[0]
    assert "presidiet" in (await harness.say("ställ in möte 4 december", SOFIA))[0]
    assert "hittar inget" in (await harness.say("ställ in möte 18 december"))[0]
    assert "flytta möte" in (await harness.say("flytta möte 4 december"))[0]


async def test_cancel_marks_cancelled_and_publishes(harness):
    await _setup(harness)
    await harness.say("nytt möte fredag 4 december kl 9-12 Regionens hus")
    changes = harness.published()
    texts = await harness.say("ställ in möte 4 december")
    assert "inställt" in texts[0] and "fredag 4 december 2026 kl. 09.00–12.00" in texts[0]
    assert (await harness.store.meetings.get(TEAM, "20261204")).status == CANCELLED
    assert changes == [("meeting", TEAM, "20261204")]
    card = (await harness.say_cards("möten"))[0]
    assert "INSTÄLLT" in str(card)
    assert "actions" not in card  # nothing to answer for


async def test_the_undo_the_cancellation_offers_brings_the_meeting_back(harness):
    await _setup(harness)
    await harness.say("nytt möte fredag 4 december kl 9-12 Regionens hus")
    await harness.say("kommer", PETER)
    texts = await harness.say("ställ in möte 4 december")
    undo = texts[0].split("Ångra: *", 1)[1].split("*", 1)[0]
    texts = await harness.say(undo)
    assert "Mötet är sparat" in texts[0]
    (meeting,) = await harness.store.meetings.all(TEAM, include_cancelled=True)  # the same one, not a second
    assert meeting.id == "20261204" and not meeting.cancelled and meeting.location == "Regionens hus"
    assert [a.member_key for a in await harness.store.attendance.answers(TEAM, meeting.id)] == [PETER.aad]


async def test_secretary_may_create(harness):
    await _setup(harness)
    await harness.say("hej", PETER)  # Peter writes once, so he is in the register
    await harness.say("roll @Peter Stark sekreterare", ANNA, mentions=[PETER])
    texts = await harness.say("nytt möte fredag 4 december kl 9-12", PETER)
    assert "Mötet är sparat" in texts[0]


async def test_the_same_message_delivered_twice_creates_one_meeting(harness):
    await _setup(harness)
    activity = harness.message("nytt möte fredag 4 december kl 9-12")
    await harness.post(activity)
    assert len(await harness.store.meetings.all(TEAM)) == 1
    # A redelivery that got past the HTTP de-duplication (say, after a restart) has the same
    # activity, hence the same draft token, and stores nothing new.
    token = token_for(SimpleNamespace(id=activity["id"], conversation=SimpleNamespace(id=activity["conversation"]["id"])))
    draft = Draft(CREATE, date(2026, 12, 4), time(9), time(12), token=token)
    member = await harness.store.teams.get_member(TEAM, ANNA.aad)
    services = harness.app[SERVICES_KEY]
    meeting, reply = await store_draft(
        harness.store, TEAM, member, draft, "sv",
        now=services.clock.now(), tz=services.settings.timezone, publish=services.changes.publish,
    )
    assert meeting is None and "redan klart" in reply
    assert len(await harness.store.meetings.all(TEAM)) == 1
