"""Minutes through /api/messages: draft card, per-role refresh, save, approve, stale cards, double clicks,
change requests, corrections and justering, exactly as Teams sends them."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bot.app import SERVICES_KEY
from storage.actions_repo import MEMBER, Owner
from storage.attendance_repo import SUBSTITUTE, YES, AttendanceAnswer, Presence
from storage.checkins_repo import CHECKOUT
from storage.meetings_repo import Meeting
from storage.minutes_repo import CONFIRMED, CORRECTING
from tests.cards_schema import assert_valid_card
from tests.harness import ANNA, PETER, SOFIA, TEAM_ID, Harness, User

START = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)  # fredag 20 november 2026 kl. 09.00 i Stockholm
MID = "20261120"
CARD = "application/vnd.microsoft.card.adaptive"
MESSAGE = "application/vnd.microsoft.activity.message"


async def set_member(h: Harness, user: User, *, roles: set[str] | None = None, municipality: str | None = None) -> None:
    member = await h.store.teams.get_member(TEAM_ID, user.aad)
    assert member is not None
    changes: dict[str, Any] = {}
    if roles is not None:
        changes["roles"] = frozenset(roles)
    if municipality is not None:
        changes["municipality"] = municipality
    await h.store.teams.save_member(TEAM_ID, replace(member, **changes))


async def seed(h: Harness) -> Meeting:
    """Anna chairs (presidium), Sofia is the secretary, Peter a member; one meeting with records."""
    await h.install(ANNA, roster=[ANNA, PETER, SOFIA])
    await set_member(h, ANNA, municipality="Götene")
    await set_member(h, PETER, municipality="Skövde")
    await set_member(h, SOFIA, roles={"medlem", "sekreterare"}, municipality="Lidköping")
    store = h.store
    meeting = Meeting(
        id=MID,
        team_key=TEAM_ID,
        starts_at=START,
        ends_at=START + timedelta(hours=3),
        location="Regionens hus, Skövde",
        topics=("Nationellt kvalitetssystem",),
        checkin_question="Vad tog du med från förra mötet?",
        checkout_question="Varför jobbar du där du är?",
        created_at=START - timedelta(days=30),
    )
    await store.meetings.save(meeting)
    await store.meetings.save(
        Meeting(id="20261204", team_key=TEAM_ID, starts_at=datetime(2026, 12, 4, 12, 0, tzinfo=UTC),
                ends_at=datetime(2026, 12, 4, 14, 0, tzinfo=UTC), location="Teams", topics=("UP2, Utvecklingsplaner",))
    )
    await store.attendance.answer(AttendanceAnswer(TEAM_ID, MID, ANNA.aad, ANNA.name, YES, START - timedelta(days=2), "Götene"))
    await store.attendance.answer(
        AttendanceAnswer(TEAM_ID, MID, PETER.aad, PETER.name, SUBSTITUTE, START - timedelta(days=2), "Skövde", substitute="Anders Warnby")
    )
    await store.checkins.save_answer(TEAM_ID, MID, ANNA.aad, question=meeting.checkin_question or "", answer="Bästa skola *Skövde*",
                                     at=START + timedelta(minutes=5), member_name=ANNA.name)
    await store.checkins.save_answer(TEAM_ID, MID, SOFIA.aad, kind=CHECKOUT, question="Varför jobbar du där du är?", answer="Eleverna",
                                     at=START + timedelta(hours=2), member_name=SOFIA.name)
    await store.decisions.record(TEAM_ID, MID, text="Skövde och Tibro presenterar Bästa skola 4 december.", recorded_by=ANNA.aad,
                                 at=START + timedelta(hours=1), recorded_by_name=ANNA.name, agenda_item=3)
    await store.actions.create(TEAM_ID, title="Mejla inbjudan till SKIS-gruppen", owners=(Owner(MEMBER, ANNA.name, ANNA.aad),),
                               created_by=ANNA.aad, created_at=START + timedelta(hours=1), meeting_id=MID, due_next_meeting=True,
                               due=date(2026, 12, 4))
    return meeting


async def invoke(h: Harness, verb: str, data: dict[str, Any], user: User, **kw: Any) -> dict[str, Any]:
    resp = await h.post(h.invoke(verb, data, user, **kw))
    assert resp.status == 200, resp.status
    return await resp.json()


def inputs(card: dict[str, Any]) -> dict[str, str]:
    found: dict[str, str] = {}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type", "").startswith("Input.") and "id" in node:
                found[node["id"]] = node.get("value", "")
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(card.get("body", []))
    return found


def verbs(card: dict[str, Any]) -> list[str]:
    out = []
    for action in card.get("actions", []):
        if action["type"] == "Action.Execute":
            out.append(action["verb"])
        elif action["type"] == "Action.ShowCard":
            out.extend(a["verb"] for a in action["card"]["actions"])
    return out


def card_text(card: dict[str, Any]) -> str:
    return str(card).replace("\\\\", "\\").replace("\\", "")


async def draft_card(h: Harness, user: User = SOFIA) -> dict[str, Any]:
    cards = await h.say_cards("protokoll", user)
    assert len(cards) == 1
    return cards[0]


async def editor(h: Harness) -> dict[str, Any]:
    body = await invoke(h, "minutes_refresh", {"meeting_id": MID}, SOFIA)
    assert body["type"] == CARD
    return body["value"]


async def channel_card_ids(h: Harness) -> list[str]:
    """The activity ids of the minutes cards the bot posted in the channel (remembered with the draft)."""
    draft = await h.store.minutes.draft(TEAM_ID, MID)
    return [entry["activity_id"] for entry in draft.cards] if draft else []


def revision_of(card: dict[str, Any]) -> int:
    for action in card["actions"]:
        if action.get("verb") == "minutes_approve":
            return action["data"]["revision"]
    raise AssertionError("no approve button")


# The draft ------------------------------------------------------------------------------------------
async def test_draft_card_in_channel_is_read_only_and_refreshes_for_the_secretary(harness: Harness) -> None:
    await seed(harness)
    card = await draft_card(harness)
    assert_valid_card(card)
    assert card["version"] == "1.5"
    assert inputs(card) == {}  # the comment of Begär ändring sits in its ShowCard
    assert verbs(card) == ["minutes_request_change"]
    refresh = card["refresh"]
    assert refresh["action"]["type"] == "Action.Execute" and refresh["action"]["verb"] == "minutes_refresh"
    assert refresh["action"]["data"]["meeting_id"] == MID
    assert refresh["userIds"] == [SOFIA.id]
    text = card_text(card)
    for expected in (
        "Minnesanteckningar – SKIS", "fredag 20 november 2026", "09.00–12.00", "Regionens hus, Skövde",
        "Närvarande", "Anna Gustafsson, Götene", "Anders Warnby, Skövde (ersättare för Peter Stark)",
        "Vad tog du med från förra mötet?", "Laget runt", "Nationellt kvalitetssystem",
        "Skövde och Tibro presenterar", "Uppdrag", "Mejla inbjudan till SKIS-gruppen", "Kommande möten",
        "fredag 4 december 2026", "UP2, Utvecklingsplaner", "Övriga frågor", "Utcheckning",
    ):
        assert expected in text, expected
    # People's check-in and check-out answers are not shown to the whole channel before confirmation;
    # the secretary (her card), the chair and the presidium see them.
    assert "Bästa skola *Skövde*" not in text and "Eleverna" not in text
    assert text.count("1 svar – de visas för alla när minnesanteckningarna är godkända.") == 2
    assert "Bästa skola *Skövde*" in card_text(await editor(harness)) and "Eleverna" in card_text(await editor(harness))
    chair = card_text((await invoke(harness, "minutes_refresh", {"meeting_id": MID}, ANNA))["value"])
    assert "Bästa skola *Skövde*" in chair
    member = card_text((await invoke(harness, "minutes_refresh", {"meeting_id": MID}, PETER))["value"])
    assert "Bästa skola *Skövde*" not in member and "de visas för alla" in member
    # The decision sits under its agenda item (punkt 3).
    body_texts = [b.get("text", "") for b in card["body"]]
    item = next(i for i, b in enumerate(body_texts) if "Nationellt kvalitetssystem" in b)
    assert "Beslut" in body_texts[item + 1]
    draft = await harness.store.minutes.draft(TEAM_ID, MID)
    assert draft is not None and draft.revision == 1 and draft.cards  # the channel card is remembered


async def test_refresh_gives_the_secretary_the_editor_and_others_the_read_only_card(harness: Harness) -> None:
    await seed(harness)
    await draft_card(harness)
    card = await editor(harness)
    assert_valid_card(card)
    fields = inputs(card)
    assert {"checkin_summary", "checkout_summary", "notes_t1", "notes_standing-laget-runt", "notes_standing-ovriga-fragor"} <= set(fields)
    assert all(card_field["isMultiline"] for card_field in _input_elements(card))
    assert verbs(card) == ["minutes_save", "minutes_approve", "minutes_request_change"]
    approve = next(a for a in card["actions"] if a.get("verb") == "minutes_approve")
    assert approve["data"] == {"action": "minutes_approve", "meeting_id": MID, "revision": 1, "network": TEAM_ID}
    assert approve["fallback"]["type"] == "Action.Submit"
    for user in (PETER, ANNA):
        body = await invoke(harness, "minutes_refresh", {"meeting_id": MID}, user)
        assert body["statusCode"] == 200 and body["type"] == CARD
        assert verbs(body["value"]) == ["minutes_request_change"]
        assert_valid_card(body["value"])


def _input_elements(card: dict[str, Any]) -> list[dict[str, Any]]:
    return [b for b in card["body"] if b.get("type") == "Input.Text"]


async def test_only_secretary_chair_and_presidium_open_the_draft(harness: Harness) -> None:
    await seed(harness)
    replies = await harness.say("protokoll", PETER)
    assert len(replies) == 1 and "sekreteraren" in replies[0]
    assert await harness.store.minutes.draft(TEAM_ID, MID) is None
    assert len(await harness.say_cards("protokoll", ANNA)) == 1  # the chair may


async def test_meeting_by_date_or_id_and_helpful_answers(harness: Harness) -> None:
    await seed(harness)
    assert len(await harness.say_cards("protokoll 20 november", SOFIA)) == 1
    assert len(await harness.say_cards("protokoll 20261120", SOFIA)) == 1
    assert "Jag hittar inget möte" in (await harness.say("protokoll 13 november", SOFIA))[0]
    assert "har inte börjat" in (await harness.say("protokoll 20261204", SOFIA))[0]


async def test_no_meeting_yet(harness: Harness) -> None:
    await harness.install(ANNA, roster=[ANNA])
    replies = await harness.say("protokoll", ANNA)
    assert "inget möte" in replies[0] and "möten" in replies[0]


# Saving ---------------------------------------------------------------------------------------------
async def test_secretary_saves_notes_and_summaries(harness: Harness) -> None:
    await seed(harness)
    await draft_card(harness)
    card = await editor(harness)
    data = {**inputs(card), "meeting_id": MID, "revision": revision_of(card)}
    data["notes_t1"] = "Anders går igenom det nationella kvalitetssystemet.\r\n- Samsyn\r\n- Förutsättningar"
    data["checkin_summary"] = "Alla tog med sig Bästa skola."
    body = await invoke(harness, "minutes_save", data, SOFIA)
    assert body["type"] == CARD
    saved = body["value"]
    assert_valid_card(saved)
    assert "Utkastet är sparat" in card_text(saved)
    assert inputs(saved)["notes_t1"] == "Anders går igenom det nationella kvalitetssystemet.\n- Samsyn\n- Förutsättningar"
    draft = await harness.store.minutes.draft(TEAM_ID, MID)
    assert draft.revision == 2
    item = next(i for i in draft.content["items"] if i["key"] == "t1")
    assert item["notes"].startswith("Anders går igenom") and draft.content["checkin"]["summary"] == "Alla tog med sig Bästa skola."
    # A record added later reaches the draft without losing her text.
    await harness.store.decisions.record(TEAM_ID, MID, text="Nästa möte digitalt.", recorded_by=ANNA.aad, at=START + timedelta(hours=2))
    card = await editor(harness)
    assert "Nästa möte digitalt" in card_text(card)
    assert inputs(card)["notes_t1"].startswith("Anders går igenom")


async def test_minutes_with_nobody_present_are_not_confirmed_and_she_is_told_how_to_record_attendance(harness: Harness) -> None:
    await seed(harness)
    meeting = await harness.store.meetings.get(TEAM_ID, MID)
    assert meeting is not None
    await harness.store.meetings.save(replace(meeting, id="20261113", starts_at=START - timedelta(days=7),
                                              ends_at=START - timedelta(days=7, hours=-3)))  # nobody answered for this one
    harness.clock.set(START - timedelta(days=7, hours=-4))
    cards = await harness.say_cards("protokoll 13 november", SOFIA)
    assert cards
    body = await invoke(harness, "minutes_refresh", {"meeting_id": "20261113"}, SOFIA)
    card = body["value"]
    data = {**inputs(card), "meeting_id": "20261113", "revision": revision_of(card), "notes_t1": "Genomgång."}
    body = await invoke(harness, "minutes_approve", data, SOFIA)
    assert body["type"] == CARD and "Ingen är antecknad som närvarande" in card_text(body["value"])
    assert await harness.store.minutes.versions(TEAM_ID, "20261113") == []
    assert (await harness.store.minutes.draft(TEAM_ID, "20261113")).status == "draft"
    # Once attendance is recorded, the same click confirms.
    await harness.say("närvarande 13 november Anna, Peter", SOFIA, where="personal")
    body = await invoke(harness, "minutes_refresh", {"meeting_id": "20261113"}, SOFIA)
    card = body["value"]
    body = await invoke(harness, "minutes_approve", {**inputs(card), "meeting_id": "20261113", "revision": revision_of(card)}, SOFIA)
    assert len(await harness.store.minutes.versions(TEAM_ID, "20261113")) == 1, card_text(body["value"])


async def test_non_secretary_cannot_save_or_approve(harness: Harness) -> None:
    await seed(harness)
    card = await draft_card(harness)
    data = {"meeting_id": MID, "revision": 1, "notes_t1": "Peter skriver"}
    for verb in ("minutes_save", "minutes_approve"):
        for user in (PETER, ANNA):  # a member, and the chair
            body = await invoke(harness, verb, data, user)
            assert body == {"statusCode": 200, "type": MESSAGE, "value": body["value"]}
            assert "bara sekreteraren" in body["value"]
    draft = await harness.store.minutes.draft(TEAM_ID, MID)
    assert draft.revision == 1 and draft.status == "draft" and not draft.edits
    assert await harness.store.minutes.versions(TEAM_ID, MID) == []
    assert card  # the card itself is untouched (no update was sent)
    assert not [p for p in harness.connector.posted if p.method == "PUT"]


# Approving ------------------------------------------------------------------------------------------
async def test_approve_confirms_locks_updates_in_place_and_tells_the_channel_once(harness: Harness) -> None:
    await seed(harness)
    await draft_card(harness)
    posted_id = (await channel_card_ids(harness))[-1]  # the card in the channel, as Teams numbered it
    card = await editor(harness)
    harness.clock.set(datetime(2026, 11, 23, 13, 30, tzinfo=UTC))
    data = {**inputs(card), "meeting_id": MID, "revision": revision_of(card), "notes_t1": "Genomgång."}
    before = len(harness.connector.posted)
    body = await invoke(harness, "minutes_approve", data, SOFIA, reply_to=posted_id)
    assert body["statusCode"] == 200 and body["type"] == CARD
    confirmed = body["value"]
    assert_valid_card(confirmed)
    assert inputs(confirmed) == {}
    assert verbs(confirmed) == ["minutes_correct"]  # the secretary may correct later
    text = card_text(confirmed)
    assert "Godkänt (version 1) av Sofia Adolfsson, måndag 23 november 2026 kl. 14.30" in text
    versions = await harness.store.minutes.versions(TEAM_ID, MID)
    assert len(versions) == 1
    v1 = versions[0]
    assert (v1.confirmed_by, v1.confirmed_at) == (SOFIA.aad, datetime(2026, 11, 23, 13, 30, tzinfo=UTC))
    assert v1.intact() and v1.content_hash not in text  # the hash is for the record (historik, export), not readers
    assert next(i for i in v1.content["items"] if i["key"] == "t1")["notes"] == "Genomgång."
    assert (await harness.store.minutes.draft(TEAM_ID, MID)).status == CONFIRMED
    assert v1.posted_at is not None or (await harness.store.minutes.version(TEAM_ID, MID, 1)).posted_at is not None
    after = harness.connector.posted[before:]
    updates = [p for p in after if p.method == "PUT"]
    assert [u.activity_id for u in updates] == [posted_id]  # the channel card, in place
    assert verbs(updates[0].cards[0]) == [] and updates[0].cards[0]["refresh"]["userIds"] == [SOFIA.id]
    messages = [p.text for p in after if p.method != "PUT" and p.text]
    assert len(messages) == 1 and "har godkänt minnesanteckningarna för fredag 20 november 2026 (version 1)" in messages[0]
    assert not [p for p in after if p.method != "PUT" and p.cards]  # no second card
    # Anyone's refresh now shows the confirmed minutes; records added later do not change them.
    await harness.store.decisions.record(TEAM_ID, MID, text="Sent beslut.", recorded_by=ANNA.aad, at=START + timedelta(days=3))
    peter = await invoke(harness, "minutes_refresh", {"meeting_id": MID}, PETER)
    assert "Godkänt (version 1)" in card_text(peter["value"]) and "Sent beslut" not in card_text(peter["value"])
    assert verbs(peter["value"]) == []
    assert (await harness.store.minutes.version(TEAM_ID, MID, 1)).content == v1.content


async def test_stale_card_gets_a_fresh_card_and_confirms_nothing(harness: Harness) -> None:
    await seed(harness)
    await draft_card(harness)
    card = await editor(harness)
    old_revision = revision_of(card)
    # Someone records a decision after the secretary's card was made.
    await harness.store.decisions.record(TEAM_ID, MID, text="Ett beslut till.", recorded_by=ANNA.aad, at=START + timedelta(hours=2))
    data = {**inputs(card), "meeting_id": MID, "revision": old_revision, "notes_t1": "Mina anteckningar"}
    body = await invoke(harness, "minutes_approve", data, SOFIA)
    assert body["type"] == CARD
    fresh = body["value"]
    assert "har ändrats sedan kortet visades" in card_text(fresh)
    assert "Ett beslut till" in card_text(fresh)
    assert inputs(fresh)["notes_t1"] == "Mina anteckningar"  # what she typed is kept
    assert revision_of(fresh) > old_revision
    assert await harness.store.minutes.versions(TEAM_ID, MID) == []
    # Approving the fresh card works and confirms exactly what it showed.
    body = await invoke(harness, "minutes_approve", {**inputs(fresh), "meeting_id": MID, "revision": revision_of(fresh)}, SOFIA)
    assert body["type"] == CARD
    (v1,) = await harness.store.minutes.versions(TEAM_ID, MID)
    assert "Ett beslut till." in str(v1.content)


async def test_double_click_and_two_secretaries_confirm_once(harness: Harness) -> None:
    await seed(harness)
    await set_member(harness, PETER, roles={"medlem", "sekreterare"})
    await draft_card(harness)
    card = await editor(harness)
    data = {**inputs(card), "meeting_id": MID, "revision": revision_of(card)}
    before = len(harness.connector.posted)
    # Two concurrent invokes with different activity ids (a double click), and a second secretary.
    first, second, third = await asyncio.gather(
        harness.post(harness.invoke("minutes_approve", data, SOFIA)),
        harness.post(harness.invoke("minutes_approve", data, SOFIA)),
        harness.post(harness.invoke("minutes_approve", {**data, "notes_t1": "Annan text"}, PETER)),
    )
    bodies = [await r.json() for r in (first, second, third)]
    assert all(r.status == 200 for r in (first, second, third))
    assert all(b["type"] == CARD for b in bodies)
    versions = await harness.store.minutes.versions(TEAM_ID, MID)
    assert len(versions) == 1
    assert sum("redan godkänt" in card_text(b["value"]) for b in bodies) == 2
    texts = [p.text for p in harness.connector.posted[before:] if p.method != "PUT" and p.text]
    assert len([x for x in texts if "har godkänt" in x]) == 1


# Change requests --------------------------------------------------------------------------------------
async def test_request_change_goes_to_the_presidium_one_to_one_or_the_channel(harness: Harness) -> None:
    await seed(harness)
    await draft_card(harness)
    # Anna (presidium) has a 1:1 chat with the bot; Peter becomes presidium without one.
    await harness.say("hjälp", ANNA, where="personal")
    await set_member(harness, PETER, roles={"medlem", "presidium"}, municipality="Skövde")
    before = len(harness.connector.posted)
    body = await invoke(harness, "minutes_request_change", {"meeting_id": MID, "revision": 1, "change_comment": "Beslutet i punkt 3 saknar *datum*"}, SOFIA)
    assert body["type"] == CARD
    assert "Tack! Din begäran är skickad till Anna Gustafsson i chatten med boten. Peter Stark når jag inte där" in card_text(body["value"])
    sent = harness.connector.posted[before:]
    personal = [p for p in sent if p.conversation_id == f"a:personal-{ANNA.aad}"]
    assert len(personal) == 1 and "Sofia Adolfsson begär en ändring" in personal[0].text and "\\*datum\\*" in personal[0].text
    # The channel sees only that a change was asked (and whom the bot cannot reach), never the comment.
    channel = [p for p in sent if p.conversation_id.startswith(TEAM_ID)]
    assert len(channel) == 1 and "Peter Stark" in channel[0].text and "har begärt en ändring" in channel[0].text
    assert "datum" not in channel[0].text and "saknar" not in channel[0].text
    empty = await invoke(harness, "minutes_request_change", {"meeting_id": MID, "revision": 1, "change_comment": "  "}, SOFIA)
    assert empty["type"] == MESSAGE and "Skriv vad som behöver ändras" in empty["value"]


async def test_a_members_change_request_reaches_the_secretary_too(harness: Harness) -> None:
    await seed(harness)
    await draft_card(harness)
    await harness.say("hjälp", SOFIA, where="personal")  # the secretary, not in the presidium
    before = len(harness.connector.posted)
    body = await invoke(harness, "minutes_request_change", {"meeting_id": MID, "revision": 1, "change_comment": "Stavfel i punkt 2"}, PETER)
    assert "Sofia Adolfsson" in json.dumps(body, ensure_ascii=False)
    to_sofia = [p for p in harness.connector.posted[before:] if p.conversation_id == f"a:personal-{SOFIA.aad}"]
    assert len(to_sofia) == 1 and "Peter Stark begär en ändring" in to_sofia[0].text


async def test_a_change_request_meets_a_429_and_is_retried_and_delivered_once(harness: Harness) -> None:
    await seed(harness)
    await draft_card(harness)
    await harness.say("hjälp", ANNA, where="personal")
    sender = harness.app[SERVICES_KEY].proactive
    waits: list[float] = []

    async def sleep(seconds: float) -> None:  # the sender's waits, recorded instead of slept
        waits.append(seconds)

    sender.sleep = sleep
    before = len(harness.connector.posted)
    harness.connector.fail_next(429, retry_after="3")
    body = await invoke(harness, "minutes_request_change", {"meeting_id": MID, "revision": 1, "change_comment": "Datum saknas"}, SOFIA)
    assert "skickad till Anna Gustafsson" in card_text(body["value"])
    sent = harness.connector.posted[before:]
    personal = [p for p in sent if p.conversation_id == f"a:personal-{ANNA.aad}"]
    assert len(personal) == 1 and "Sofia Adolfsson begär en ändring" in personal[0].text
    assert not [p for p in sent if p.conversation_id.startswith(TEAM_ID)]  # reached: no word in the channel
    assert len(waits) == 1 and 3.0 <= waits[0] <= 4.0  # Teams' Retry-After, honoured


async def test_a_card_update_in_another_chat_meets_a_429_and_is_retried_and_delivered_once(harness: Harness) -> None:
    await seed(harness)
    await draft_card(harness)  # the channel's card, which approving in the 1:1 chat brings up to date
    (channel_card,) = await channel_card_ids(harness)
    cards = await harness.say_cards("protokoll", SOFIA, where="personal")
    card = cards[0]
    sender = harness.app[SERVICES_KEY].proactive
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    sender.sleep = sleep
    before = len(harness.connector.posted)
    harness.connector.fail_next(429, retry_after="2")
    body = await invoke(harness, "minutes_approve", {**inputs(card), "meeting_id": MID, "revision": revision_of(card)}, SOFIA, where="personal")
    assert body["type"] == CARD
    sent = harness.connector.posted[before:]
    updates = [p for p in sent if p.method == "PUT"]
    assert len(updates) == 1 and updates[0].activity_id == channel_card and "Godkänt" in card_text(updates[0].cards[0])
    channel = [p for p in sent if p.method != "PUT" and p.conversation_id.startswith(TEAM_ID)]
    # The card was updated, so the channel gets the short message without a second card.
    assert len(channel) == 1 and not channel[0].cards and "har godkänt" in channel[0].text
    assert len(waits) == 1 and 2.0 <= waits[0] <= 3.0


async def test_a_change_request_without_a_comment_asks_in_the_chat_and_the_next_message_is_sent(harness: Harness) -> None:
    """An Action.Submit (a client without Action.Execute, or the box left empty) starts a dialog;
    the person's next message is the change asked for."""
    await seed(harness)
    await draft_card(harness)
    await harness.say("hjälp", SOFIA, where="personal")  # the secretary can be reached 1:1
    asked = await harness.post(harness.submit({"action": "minutes_request_change", "meeting_id": MID, "revision": 1}, PETER))
    assert asked.status == 200
    (question,) = [p.text for p in harness.connector.posted[-1:]]
    assert "Skriv vad som behöver ändras i minnesanteckningarna för" in question
    assert "@SKIS-boten" in question  # in the channel, without RSC, the answer needs the mention
    before = len(harness.connector.posted)
    texts = await harness.say("Datum saknas i *punkt 3*", PETER)
    # Sofia has a 1:1 chat with the bot, Anna (presidium) has none: the comment goes 1:1 only.
    assert texts[-1].startswith("Tack! Din begäran är skickad till Sofia Adolfsson i chatten med boten. Anna Gustafsson når jag inte")
    to_sofia = [p for p in harness.connector.posted[before:] if p.conversation_id == f"a:personal-{SOFIA.aad}"]
    assert len(to_sofia) == 1 and "Peter Stark begär en ändring" in to_sofia[0].text and "\\*punkt 3\\*" in to_sofia[0].text
    # The dialog has ended: the next message is a command again.
    assert "förstod inte" in (await harness.say("Datum saknas i punkt 3", PETER))[0]


async def test_a_change_request_asked_for_in_the_chat_can_be_cancelled_or_written_in_the_box_after_all(harness: Harness) -> None:
    await seed(harness)
    await draft_card(harness)
    empty = await invoke(harness, "minutes_request_change", {"meeting_id": MID, "revision": 1, "change_comment": " "}, PETER)
    assert "Skriv vad som behöver ändras" in empty["value"] and "@SKIS-boten" in empty["value"]
    assert "Inget sparades" in (await harness.say("avbryt", PETER))[0]
    assert "förstod inte" in (await harness.say("Datum saknas i punkt 3", PETER))[0]  # cancelled: nothing sent
    await invoke(harness, "minutes_request_change", {"meeting_id": MID, "revision": 1, "change_comment": ""}, PETER)
    await harness.say("hjälp", SOFIA, where="personal")  # the secretary can be reached 1:1
    before = len(harness.connector.posted)
    body = await invoke(harness, "minutes_request_change", {"meeting_id": MID, "revision": 1, "change_comment": "Stavfel"}, PETER)
    assert "Tack! Din begäran är skickad" in json.dumps(body, ensure_ascii=False)
    sent = [p for p in harness.connector.posted[before:] if "begär en ändring" in p.text]
    assert len(sent) == 1  # written in the box after all: the question in the chat is closed
    assert "förstod inte" in (await harness.say("Något annat", PETER))[0]


# Corrections and justering ----------------------------------------------------------------------------
async def _confirm(h: Harness) -> None:
    await draft_card(h)
    card = await editor(h)
    body = await invoke(h, "minutes_approve", {**inputs(card), "meeting_id": MID, "revision": revision_of(card)}, SOFIA)
    assert body["type"] == CARD


async def test_correction_is_a_new_version_with_a_reason(harness: Harness) -> None:
    await seed(harness)
    await _confirm(harness)
    nope = await invoke(harness, "minutes_correct", {"meeting_id": MID, "revision": 1, "version": 1}, PETER)
    assert nope["type"] == MESSAGE and "bara sekreteraren" in nope["value"]
    body = await invoke(harness, "minutes_correct", {"meeting_id": MID, "revision": 1, "version": 1}, SOFIA)
    card = body["value"]
    assert_valid_card(card)
    assert "reason" in inputs(card) and "Godkänn rättelse" in card_text(card)
    assert (await harness.store.minutes.draft(TEAM_ID, MID)).status == CORRECTING
    data = {**inputs(card), "meeting_id": MID, "revision": revision_of(card), "notes_t1": "Rättad text"}
    missing = await invoke(harness, "minutes_approve", data, SOFIA)
    assert "Skäl till rättelsen" in card_text(missing["value"])
    assert len(await harness.store.minutes.versions(TEAM_ID, MID)) == 1
    fixed = missing["value"]
    done = await invoke(harness, "minutes_approve", {**inputs(fixed), "meeting_id": MID, "revision": revision_of(fixed), "reason": "Fel i punkt 3"}, SOFIA)
    assert "Godkänt (version 2)" in card_text(done["value"]) and "Rättelse: Fel i punkt 3" in card_text(done["value"])
    v1, v2 = await harness.store.minutes.versions(TEAM_ID, MID)
    assert v2.reason == "Fel i punkt 3" and v1.content != v2.content and v1.intact() and v2.intact()
    history = await harness.say("protokoll historik 20261120", SOFIA)
    assert "Version 1" in history[0] and "Version 2" in history[0] and "Fel i punkt 3" in history[0]


async def test_justering_by_the_chair_when_switched_on(harness: Harness) -> None:
    await seed(harness)
    assert "bara presidiet" in (await harness.say("protokoll justering på", PETER))[0]
    assert "påslagen" in (await harness.say("protokoll justering på", ANNA))[0]
    await _confirm(harness)
    (v1,) = await harness.store.minutes.versions(TEAM_ID, MID)
    assert v1.awaiting_cosign
    anna = await invoke(harness, "minutes_refresh", {"meeting_id": MID}, ANNA)
    assert verbs(anna["value"]) == ["minutes_cosign"] and "Väntar på justering" in card_text(anna["value"])
    assert sorted(anna["value"]["refresh"]["userIds"]) == sorted([SOFIA.id, ANNA.id])
    peter = await invoke(harness, "minutes_cosign", {"meeting_id": MID, "version": 1}, PETER)
    assert peter["type"] == MESSAGE and "bara ordföranden" in peter["value"]
    before = len(harness.connector.posted)
    signed = await invoke(harness, "minutes_cosign", {"meeting_id": MID, "version": 1, "revision": 1}, ANNA)
    assert "Justerat av Anna Gustafsson" in card_text(signed["value"]) and verbs(signed["value"]) == []
    assert (await harness.store.minutes.version(TEAM_ID, MID, 1)).cosigned_by == ANNA.aad
    texts = [p.text for p in harness.connector.posted[before:] if p.text]
    assert len(texts) == 1 and "har justerat" in texts[0]
    again = await invoke(harness, "minutes_cosign", {"meeting_id": MID, "version": 1}, ANNA)
    assert again["type"] == MESSAGE


# Approving in a 1:1 chat --------------------------------------------------------------------------------
async def test_approval_in_personal_chat_updates_the_channel_card_or_posts_the_minutes(harness: Harness) -> None:
    await seed(harness)
    cards = await harness.say_cards("protokoll", SOFIA, where="personal")
    assert len(cards) == 1 and "notes_t1" in inputs(cards[0])  # in 1:1 she gets her own card directly
    card = cards[0]
    before = len(harness.connector.posted)
    body = await invoke(harness, "minutes_approve", {**inputs(card), "meeting_id": MID, "revision": revision_of(card)}, SOFIA, where="personal")
    assert body["type"] == CARD
    sent = harness.connector.posted[before:]
    channel = [p for p in sent if p.conversation_id == TEAM_ID and p.method != "PUT"]
    assert len(channel) == 1 and channel[0].cards and "har godkänt" in channel[0].text
    assert_valid_card(channel[0].cards[0])


async def test_action_submit_fallback_works_too(harness: Harness) -> None:
    await seed(harness)
    await draft_card(harness)
    card = await editor(harness)
    approve = next(a for a in card["actions"] if a.get("verb") == "minutes_approve")
    resp = await harness.post(harness.submit({**approve["fallback"]["data"], **inputs(card)}, SOFIA))
    assert resp.status == 200
    assert len(await harness.store.minutes.versions(TEAM_ID, MID)) == 1


async def test_presence_list_wins_over_answers(harness: Harness) -> None:
    await seed(harness)
    await harness.store.attendance.update_present(
        TEAM_ID, MID, add=[Presence("Anders Warnby", SOFIA.aad, START, None, "Skövde"), Presence(SOFIA.name, SOFIA.aad, START, SOFIA.aad)]
    )
    text = card_text(await draft_card(harness))
    assert "Anders Warnby, Skövde (ersättare för Peter Stark)" in text
    assert "Sofia Adolfsson, Lidköping" in text
    assert "Anna Gustafsson, Götene" not in text


# More of the cycle through /api/messages ----------------------------------------------------------------
async def test_invoke_round_trip_is_http_200_with_the_card_in_the_body(harness: Harness) -> None:
    await seed(harness)
    await draft_card(harness)
    resp = await harness.post(harness.invoke("minutes_refresh", {"meeting_id": MID}, SOFIA, reply_to=(await channel_card_ids(harness))[-1]))
    assert resp.status == 200 and resp.content_type == "application/json"
    body = await resp.json()
    assert set(body) == {"statusCode", "type", "value"} and body["statusCode"] == 200 and body["type"] == CARD
    assert body["value"]["type"] == "AdaptiveCard" and "notes_t1" in inputs(body["value"])
    assert_valid_card(body["value"])
    # A refresh only answers: nothing is posted or updated in the channel.
    assert not [p for p in harness.connector.posted if p.method == "PUT"]


async def test_double_click_on_the_channel_card_confirms_once_and_updates_it_once(harness: Harness) -> None:
    await seed(harness)
    await draft_card(harness)
    posted_id = (await channel_card_ids(harness))[-1]
    card = await editor(harness)
    data = {**inputs(card), "meeting_id": MID, "revision": revision_of(card)}
    before = len(harness.connector.posted)
    responses = await asyncio.gather(*(harness.post(harness.invoke("minutes_approve", data, SOFIA, reply_to=posted_id)) for _ in range(2)))
    bodies = [await r.json() for r in responses]
    assert [r.status for r in responses] == [200, 200] and all(b["type"] == CARD for b in bodies)
    assert sum("redan godkänt" in card_text(b["value"]) for b in bodies) == 1
    assert len(await harness.store.minutes.versions(TEAM_ID, MID)) == 1
    sent = harness.connector.posted[before:]
    assert [p.activity_id for p in sent if p.method == "PUT"] == [posted_id]
    assert len([p for p in sent if p.method != "PUT"]) == 1  # one "har godkänt" in the channel
    # A third click later changes nothing either.
    later = await invoke(harness, "minutes_approve", data, SOFIA, reply_to=posted_id)
    assert "redan godkänt av Sofia Adolfsson" in card_text(later["value"]) and len(harness.connector.posted) == before + 2


async def test_every_card_of_the_minutes_in_the_channel_shows_them_confirmed(harness: Harness) -> None:
    await seed(harness)
    await draft_card(harness)
    await draft_card(harness, ANNA)  # the chair opened the draft too: a second card in the channel
    first, second = await channel_card_ids(harness)
    card = await editor(harness)
    before = len(harness.connector.posted)
    await invoke(harness, "minutes_approve", {**inputs(card), "meeting_id": MID, "revision": revision_of(card)}, SOFIA, reply_to=second)
    updates = [p for p in harness.connector.posted[before:] if p.method == "PUT"]
    assert sorted(u.activity_id for u in updates) == sorted([first, second])
    assert all("Godkänt (version 1)" in card_text(u.cards[0]) and verbs(u.cards[0]) == [] for u in updates)


async def test_action_submit_fallback_in_the_channel(harness: Harness) -> None:
    """Clients without Action.Execute send the same data as a message; the answer replaces the card for everyone."""
    await seed(harness)
    await draft_card(harness)
    posted_id = (await channel_card_ids(harness))[-1]
    card = await editor(harness)
    buttons = {a["verb"]: a["fallback"] for a in card["actions"] if a["type"] == "Action.Execute"}
    assert {f["type"] for f in buttons.values()} == {"Action.Submit"}
    fields = {**inputs(card), "notes_t1": "Sparat med Submit."}

    # A member's approve: refused with an explanation, the card untouched, nothing stored.
    before = len(harness.connector.posted)
    resp = await harness.post(harness.submit({**buttons["minutes_approve"]["data"], **fields}, PETER, reply_to=posted_id))
    assert resp.status == 200
    sent = harness.connector.posted[before:]
    assert len(sent) == 1 and sent[0].method != "PUT" and "bara sekreteraren" in sent[0].text
    assert (await harness.store.minutes.draft(TEAM_ID, MID)).revision == 1 and await harness.store.minutes.versions(TEAM_ID, MID) == []

    # The secretary saves: the channel card is replaced by the shared view (no inputs for everyone), and told.
    before = len(harness.connector.posted)
    await harness.post(harness.submit({**buttons["minutes_save"]["data"], **fields}, SOFIA, reply_to=posted_id))
    sent = harness.connector.posted[before:]
    (update,) = [p for p in sent if p.method == "PUT"]
    assert update.activity_id == posted_id and inputs(update.cards[0]) == {} and "Sparat med Submit." in card_text(update.cards[0])
    assert any("Utkastet är sparat" in p.text for p in sent if p.method != "PUT")
    revision = (await harness.store.minutes.draft(TEAM_ID, MID)).revision
    assert revision == 2

    # A change request: sent on, the card left as it is.
    before = len(harness.connector.posted)
    await harness.post(harness.submit({"action": "minutes_request_change", "meeting_id": MID, "revision": revision,
                                       "change_comment": "Stavfel i punkt 3"}, PETER, reply_to=posted_id))
    sent = harness.connector.posted[before:]
    assert not [p for p in sent if p.method == "PUT"] and any("din kommentar kom inte fram" in p.text for p in sent)
    assert not [p for p in sent if "Stavfel i punkt 3" in p.text]  # nobody has a 1:1 chat: the comment is not spread

    # The secretary approves: one version, the channel card updated in place, one message.
    before = len(harness.connector.posted)
    await harness.post(harness.submit({**buttons["minutes_approve"]["data"], **fields, "revision": revision}, SOFIA, reply_to=posted_id))
    (v1,) = await harness.store.minutes.versions(TEAM_ID, MID)
    assert "Sparat med Submit." in str(v1.content)
    sent = harness.connector.posted[before:]
    (update,) = [p for p in sent if p.method == "PUT"]
    assert update.activity_id == posted_id and "Godkänt (version 1)" in card_text(update.cards[0]) and verbs(update.cards[0]) == []
    assert_valid_card(update.cards[0])
    assert [p.text for p in sent if p.method != "PUT"] == ["✅ Sofia Adolfsson har godkänt minnesanteckningarna för fredag 20 november 2026 (version 1)."]


async def test_a_member_asks_for_a_change_from_the_read_only_card(harness: Harness) -> None:
    await seed(harness)
    await draft_card(harness)
    await harness.say("hjälp", ANNA, where="personal")  # the chair (presidium) has a 1:1 chat with the bot
    view = await invoke(harness, "minutes_refresh", {"meeting_id": MID}, PETER)
    show = next(a for a in view["value"]["actions"] if a["type"] == "Action.ShowCard")
    assert show["title"] == "Begär ändring"
    send = show["card"]["actions"][0]
    before = len(harness.connector.posted)
    body = await invoke(harness, "minutes_request_change", {**send["data"], "change_comment": "Jag var inte där"}, PETER)
    assert body["type"] == CARD and "skickad till Anna Gustafsson" in card_text(body["value"])
    (sent,) = [p for p in harness.connector.posted[before:] if p.conversation_id == f"a:personal-{ANNA.aad}"]
    assert "Peter Stark begär en ändring" in sent.text and "Jag var inte där" in sent.text
    # The secretary, whom the bot cannot reach 1:1 here, is told in the channel.
    (channel,) = [p for p in harness.connector.posted[before:] if p.conversation_id.startswith(TEAM_ID)]
    assert "Sofia Adolfsson" in channel.text and "Jag var inte där" not in channel.text
    assert (await harness.store.minutes.draft(TEAM_ID, MID)).revision == 1  # a request changes nothing by itself


async def test_correction_started_with_the_command_and_the_confirmed_version_stays_valid(harness: Harness) -> None:
    await seed(harness)
    await _confirm(harness)
    assert "bara sekreteraren" in (await harness.say("protokoll rätta 20261120", PETER))[0]
    before = len(harness.connector.posted)
    replies = await harness.say("protokoll rätta 20261120", SOFIA, where="personal")
    assert "Du kan nu rätta protokollet för fredag 20 november 2026" in replies[0]
    (card,) = [c for p in harness.connector.posted[before:] for c in p.cards]
    assert "reason" in inputs(card) and "Rättelse: Minnesanteckningar" in card_text(card)
    assert_valid_card(card)
    # While it is corrected, version 1 is still what everyone else sees and what is exported by default.
    peter = await invoke(harness, "minutes_refresh", {"meeting_id": MID}, PETER)
    assert "Rättas (godkänd version 1 gäller" in card_text(peter["value"])
    assert (await harness.store.minutes.latest(TEAM_ID, MID)).version == 1


async def test_justering_can_be_switched_off_again_and_nobody_cosigns_their_own_minutes(harness: Harness) -> None:
    await seed(harness)
    usage = (await harness.say("protokoll justering", ANNA))[0]
    assert "protokoll justering på" in usage and "avslagen" in usage
    await _confirm(harness)
    (v1,) = await harness.store.minutes.versions(TEAM_ID, MID)
    assert not v1.cosign_required and "justering" not in card_text((await invoke(harness, "minutes_refresh", {"meeting_id": MID}, ANNA))["value"]).lower()
    await harness.say("protokoll justering på", ANNA)
    assert (await harness.store.teams.get_team(TEAM_ID)).settings["minutes_cosign"] is True
    assert "avslagen" in (await harness.say("protokoll justering av", ANNA))[0]
    # Switched off before the correction: version 2 needs no justering either.
    body = await invoke(harness, "minutes_correct", {"meeting_id": MID, "version": 1}, SOFIA)
    card = body["value"]
    await invoke(harness, "minutes_approve", {**inputs(card), "meeting_id": MID, "revision": revision_of(card), "reason": "Stavfel"}, SOFIA)
    assert not (await harness.store.minutes.version(TEAM_ID, MID, 2)).cosign_required


async def test_a_chair_who_confirmed_as_secretary_cannot_cosign(harness: Harness) -> None:
    await seed(harness)
    await set_member(harness, ANNA, roles={"medlem", "presidium", "ordförande", "sekreterare"})
    await set_member(harness, SOFIA, roles={"medlem"})
    await harness.say("protokoll justering på", ANNA)
    await draft_card(harness, ANNA)
    card = (await invoke(harness, "minutes_refresh", {"meeting_id": MID}, ANNA))["value"]
    await invoke(harness, "minutes_approve", {**inputs(card), "meeting_id": MID, "revision": revision_of(card)}, ANNA)
    anna = (await invoke(harness, "minutes_refresh", {"meeting_id": MID}, ANNA))["value"]
    assert "minutes_cosign" not in verbs(anna)
    refused = await invoke(harness, "minutes_cosign", {"meeting_id": MID, "version": 1}, ANNA)
    assert refused["type"] == MESSAGE and "kan inte också justera" in refused["value"]
    assert (await harness.store.minutes.version(TEAM_ID, MID, 1)).cosigned_at is None


async def test_garbled_card_data_confirms_nothing_and_breaks_nothing(harness: Harness) -> None:
    await seed(harness)
    await draft_card(harness)
    card = await editor(harness)
    for bad in ("abc", None, [1], {"x": 1}, 10**30):
        body = await invoke(harness, "minutes_approve", {**inputs(card), "meeting_id": MID, "revision": bad, "notes_t1": ["not text"]}, SOFIA)
        assert body["type"] == CARD and "har ändrats sedan kortet visades" in card_text(body["value"])
    assert await harness.store.minutes.versions(TEAM_ID, MID) == []
    for bad_meeting in (None, 7, "19000101", {"id": MID}):
        body = await invoke(harness, "minutes_approve", {"meeting_id": bad_meeting, "revision": 1}, SOFIA)
        assert body["type"] == MESSAGE and "Det mötet finns inte längre" in body["value"]
    await _confirm(harness)
    await harness.say("protokoll justering på", ANNA)
    body = await invoke(harness, "minutes_cosign", {"meeting_id": MID, "version": "x"}, ANNA)
    assert body["type"] == MESSAGE and "inget som väntar på justering" in body["value"]


# The network's name in the heading -----------------------------------------------------------------
async def test_the_presidium_names_the_network_as_its_minutes_are_headed(harness: Harness) -> None:
    await seed(harness)
    name = "Nätverket Utvecklingsledare, Skolutveckling i Skaraborg, SKIS"
    usage = " ".join(await harness.say("protokoll namn", PETER))
    assert "Minnesanteckningar – SKIS" in usage and "protokoll namn" in usage
    refused = " ".join(await harness.say(f"protokoll namn {name}", PETER))  # a member
    assert "bara presidiet" in refused and "network_name" not in (await harness.store.teams.get_team(TEAM_ID)).settings
    done = " ".join(await harness.say(f"protokoll namn {name}", ANNA))  # the chair
    assert f"Minnesanteckningar – {name}" in done
    card = await draft_card(harness)
    assert f"Minnesanteckningar – {name}" in card_text(card)
    assert (await harness.store.minutes.draft(TEAM_ID, MID)).content["network"] == name
    await harness.say("protokoll namn standard", ANNA)
    await draft_card(harness)
    assert (await harness.store.minutes.draft(TEAM_ID, MID)).content["network"] == "SKIS"
