"""Bad and hostile input: a 4xx or a friendly reply, never a 500, never a change it should not make."""

from __future__ import annotations

import json
import logging
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.cards import escape, plain_text
from bot.dates import DateQuestion, When, parse_time, parse_when, split_when
from bot.messages import t
from bot.routing import COMMANDS
from bot.teams.http import KNOWN_TYPES
from bot.text import MAX_TEXT_CHARS
from tests.harness import ANNA, PETER, SOFIA, TEAM_ID, Harness
from tests.reliability.conftest import MEETING_ID, DiskBot, add_meeting
from tests.reliability.test_backup import snapshot

ERROR_REPLY = t("core.error", "sv")
# Hostile characters: markup, mentions, zero-width and direction marks, NUL, lone surrogates.
NASTY = [
    "<", ">", "&", "*", "_", "`", "~", "#", "[", "]", "(", ")", "|", "\\", "{", "}", "@", "\n", "\r\n", "\t",
    "<at>", "</at>", "<b>", "</script>", "&amp;", "\x00", "\x07", "\u200b", "\u200d", "\u2060", "\ufeff",
    "\u202e", "\u202c", "\u2066", "\u2069", "\u0301", "\ud800", "\udfff", "\ud83d", "😀", "👩‍👩‍👧", "{{DATE()}}",
    "Töreboda", "ÅÄÖ", "\xa0", "\u3000",
]
nasty_text = st.lists(
    st.one_of(
        st.sampled_from(NASTY),
        st.characters(),
        st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF),
        st.text(max_size=12),
    ),
    max_size=25,
).map("".join)


async def _post_raw(h: Harness, raw: bytes, content_type: str = "application/json") -> tuple[int, bytes]:
    async with h.session.post(f"{h.base_url}/api/messages", data=raw, headers={"Content-Type": content_type}) as resp:
        return resp.status, await resp.read()


def _state(bot: DiskBot) -> tuple[dict[str, bytes], int]:
    return snapshot(bot.data_dir), len(bot.harness.connector.posted)


# --- Malformed requests: 4xx and nothing changes ------------------------------------------------


def _activity(h: Harness, **changes: Any) -> dict[str, Any]:
    activity = h.message("hjälp", SOFIA)
    for key, value in changes.items():
        if value is _DROP:
            activity.pop(key, None)
        else:
            activity[key] = value
    return activity


_DROP = object()

MALFORMED: dict[str, Any] = {
    "not_json": b"{not json",
    "truncated_json": b'{"type": "message", "text": "hej',
    "invalid_utf8": b'{"type": "message", "text": "\xff\xfe"}',
    "utf8_surrogate_bytes": b'{"type": "message", "text": "\xed\xa0\x80"}',
    "json_array": b"[]",
    "array_of_activities": b'[{"type": "message"}]',
    "json_null": b"null",
    "json_number": b"42",
    "json_string": b'"message"',
    "empty_body": b"",
    "empty_object": b"{}",
    "deeply_nested": b"[" * 100_000 + b"]" * 100_000,
    "deeply_nested_field": b'{"type": "message", "channelData": ' + b'{"a":' * 50_000 + b"1" + b"}" * 50_000 + b"}",
    "type_number": lambda h: _activity(h, type=5),
    "type_missing": lambda h: _activity(h, type=_DROP),
    "type_empty": lambda h: _activity(h, type=""),
    "type_unknown": lambda h: _activity(h, type="somethingElse"),
    "type_huge": lambda h: _activity(h, type="x" * 10_000),
    "no_conversation": lambda h: _activity(h, conversation=_DROP),
    "conversation_id_number": lambda h: _activity(h, conversation={"id": 5}),
    "no_sender": lambda h: _activity(h, **{"from": _DROP}),
    "sender_list": lambda h: _activity(h, **{"from": ["x"]}),
    "no_service_url": lambda h: _activity(h, serviceUrl=_DROP),
    "service_url_file": lambda h: _activity(h, serviceUrl="file:///etc/passwd"),
    "text_number": lambda h: _activity(h, text=12),
    "text_object": lambda h: _activity(h, text={"a": 1}),
    "entities_object": lambda h: _activity(h, entities={"type": "mention"}),
    "channel_data_list": lambda h: _activity(h, channelData=[1, 2]),
    "locale_number": lambda h: _activity(h, locale=1),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
async def test_malformed_request_is_4xx_and_changes_nothing(disk_bot: DiskBot, case: str) -> None:
    h = disk_bot.harness
    before = _state(disk_bot)
    body = MALFORMED[case]
    raw = body if isinstance(body, bytes) else json.dumps(body(h)).encode()
    status, answer = await _post_raw(h, raw)
    assert 400 <= status < 500, (status, answer[:200])
    assert _state(disk_bot) == before


async def test_wrong_content_type_is_415(disk_bot: DiskBot) -> None:
    before = _state(disk_bot)
    status, _ = await _post_raw(disk_bot.harness, json.dumps(_activity(disk_bot.harness)).encode(), "text/plain")
    assert status == 415
    assert _state(disk_bot) == before


@pytest.mark.parametrize("size", ["just_over", "far_over"])
async def test_oversize_body_is_413(disk_bot: DiskBot, size: str) -> None:
    h = disk_bot.harness
    extra = 10 if size == "just_over" else 1024 * 1024
    before = _state(disk_bot)
    status, _ = await _post_raw(h, json.dumps(h.message("x" * (h.settings.max_body_bytes + extra), SOFIA)).encode())
    assert status == 413
    assert _state(disk_bot) == before


@pytest.mark.parametrize(
    "name",
    ["composeExtension/query", "composeExtension/submitAction", "task/fetch", "task/submit", "signin/verifyState",
     "signin/tokenExchange", "config/fetch", "actionableMessage/executeAction", "fileConsent/invoke", "", "x" * 500],
)
async def test_unknown_invoke_is_4xx_and_changes_nothing(disk_bot: DiskBot, name: str) -> None:
    h = disk_bot.harness
    invoke = h.invoke("help", {}, SOFIA)
    invoke["name"] = name
    before = _state(disk_bot)
    status, _ = await _post_raw(h, json.dumps(invoke).encode())
    assert 400 <= status < 500
    assert _state(disk_bot) == before


@pytest.mark.parametrize(
    "value",
    [None, "a string", 17, [], {}, {"action": 5}, {"action": {"verb": 5}}, {"action": {"type": "Action.Execute", "verb": "rm -rf"}},
     {"action": {"type": "Action.Execute", "verb": "help", "data": "not a dict"}}],
)
async def test_unknown_or_malformed_card_action_gets_a_friendly_answer(disk_bot: DiskBot, value: Any) -> None:
    h = disk_bot.harness
    invoke = h.invoke("help", {}, PETER)
    invoke["value"] = value
    before = _state(disk_bot)
    status, answer = await _post_raw(h, json.dumps(invoke).encode())
    assert status == 200
    body = json.loads(answer)
    assert body["statusCode"] == 200 and body["value"]
    if not (isinstance(value, dict) and isinstance(value.get("action"), dict) and value["action"].get("verb") == "help"):
        assert body["value"] == plain_text(t("core.card_unknown", "sv"))
        assert _state(disk_bot)[0] == before[0]


@pytest.mark.parametrize("kind", sorted(KNOWN_TYPES - {"message", "invoke", "conversationUpdate", "installationUpdate"}))
async def test_other_activity_types_change_nothing(disk_bot: DiskBot, kind: str) -> None:
    h = disk_bot.harness
    activity = h.message("hjälp", SOFIA)
    activity["type"] = kind
    before = _state(disk_bot)
    status, _ = await _post_raw(h, json.dumps(activity).encode())
    assert status < 500
    assert _state(disk_bot) == before


# --- Hostile text: stored as given, shown escaped, exported as strict JSON ----------------------

HOSTILE = {
    "markdown": "**fet** _kursiv_ `kod` [länk](https://evil.example) # rubrik\n- lista\n> citat",
    "html": "<b>fet</b> <script>alert(1)</script> <img src=x onerror=alert(1)> &amp; &lt;",
    "at_tags": "tack <at>Peter Stark</at> och <at>",
    "zero_width": "nollbredd\u200c\u200d\u2060\ufeffhär",
    "right_to_left": "abc\u202edcba\u202c \u2067xyz\u2069 עברית",
    "nul_and_controls": "före\x00efter\x07\x1b[31m",
    "lone_surrogates": "halv \ud83d emoji och \udc00 en till",
    "adaptive_card_functions": "{{DATE(2026-12-04T08:00:00Z)}} ${expr}",
    "combining": "e\u0301\u0301\u0301 Z\u0351\u0352\u0353",
}


def _as_stored(case: str) -> str:
    """What the bot stores: as typed, minus what Teams itself adds (mention tags, zero-width spaces)
    and with half an emoji marked as broken (it cannot be stored as UTF-8)."""
    import re

    if case == "at_tags":
        return "tack och"  # a mention of a person is read as a mention, not as text
    if case == "html":
        return "fet   & <"  # Teams' HTML is read as what it shows: markup and scripts are not text
    text = HOSTILE[case].replace("\u200b", "").replace("\u2060", "").replace("\ufeff", "")
    return re.sub("[\ud800-\udfff]", "\ufffd", text).strip()


@pytest.mark.parametrize("case", sorted(HOSTILE))
async def test_hostile_checkin_text_is_stored_as_given_shown_escaped_and_exported_strictly(disk_bot: DiskBot, case: str) -> None:
    h = disk_bot.harness
    text = HOSTILE[case]
    before = len(h.connector.posted)
    status, _ = await _post_raw(h, json.dumps(h.message(f"incheckning {text}", PETER)).encode())
    assert status == 200
    replies = [p.text for p in h.connector.posted[before:]]
    assert replies and ERROR_REPLY not in replies

    stored = await h.store.checkins.get_answer(TEAM_ID, MEETING_ID, PETER.aad)
    assert stored is not None
    assert stored.answer == _as_stored(case)
    assert escape(stored.answer) in replies[0]  # shown escaped
    if "<b>" in stored.answer:
        assert "<b>" not in replies[0]

    exported = await h.store.checkins.export(TEAM_ID)
    strict = json.dumps(exported, ensure_ascii=False, allow_nan=False).encode("utf-8")
    assert json.loads(strict) == exported
    assert any(row["answer"] == stored.answer for row in exported["checkins"])


@pytest.mark.parametrize("case", ["markdown", "html", "lone_surrogates", "nul_and_controls"])
async def test_hostile_decision_and_action_item_texts_are_escaped_in_replies(disk_bot: DiskBot, case: str) -> None:
    h = disk_bot.harness
    text = HOSTILE[case].replace("\n", " ")
    replies = await h.say(f"beslut {text}", SOFIA)
    assert replies and ERROR_REPLY not in replies
    decision = (await h.store.decisions.all(TEAM_ID))[0]
    assert escape(decision.text) in replies[0]
    replies = await h.say(f"uppgift {text} @Peter Stark", ANNA, mentions=[PETER])
    assert replies and ERROR_REPLY not in replies
    item = (await h.store.actions.all(TEAM_ID))[0]
    assert escape(item.title) in replies[0]
    json.dumps([await h.store.decisions.export(TEAM_ID), await h.store.actions.export(TEAM_ID)], ensure_ascii=False, allow_nan=False).encode("utf-8")


# --- Oversize texts and answers -----------------------------------------------------------------

# What Teams accepts per message; the connector client sends JSON with ASCII escapes (an emoji
# is 12 bytes on the wire), so the limit is checked on that encoding.
TEAMS_MESSAGE_BYTES = 28 * 1024


def _wire_bytes(text: str) -> int:
    return len(json.dumps(text))


async def test_long_text_near_the_body_limit_is_answered_with_the_limit_teams_accepts(disk_bot: DiskBot) -> None:
    h = disk_bot.harness
    long_answer = ("Lång rad med text. " * 40 + "\n") * 250  # ~200 kB, under the 256 kB body limit
    before = len(h.connector.posted)
    status, _ = await _post_raw(h, json.dumps(h.message(f"incheckning {long_answer}", PETER)).encode())
    assert status == 200
    replies = [p.text for p in h.connector.posted[before:]]
    assert replies and ERROR_REPLY not in replies
    assert all(len(r) <= MAX_TEXT_CHARS and _wire_bytes(r) <= TEAMS_MESSAGE_BYTES for r in replies)
    # A check-in answer has a length limit (one this long would break the shared cards): not stored.
    assert "Inget sparades" in replies[0]
    assert await h.store.checkins.get_answer(TEAM_ID, MEETING_ID, PETER.aad) is None


async def test_long_emoji_text_is_answered_in_pieces_teams_accepts(disk_bot: DiskBot) -> None:
    h = disk_bot.harness
    before = len(h.connector.posted)
    status, _ = await _post_raw(h, json.dumps(h.message("incheckning " + "😀" * 13_000, PETER)).encode())
    assert status == 200
    replies = [p.text for p in h.connector.posted[before:]]
    assert replies and all(_wire_bytes(r) <= TEAMS_MESSAGE_BYTES for r in replies)


# --- Property-based: any text, any command, through the real HTTP app ---------------------------

COMMAND_WORDS = sorted({phrases[0] for phrases in COMMANDS.values()} | {"", "avbryt"})


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    word=st.sampled_from(COMMAND_WORDS),
    text=nasty_text,
    user=st.sampled_from([ANNA, PETER, SOFIA]),
    where=st.sampled_from(["channel", "personal"]),
)
async def test_any_text_after_any_command_is_answered_with_200_and_a_reply(
    installed: Harness, caplog: pytest.LogCaptureFixture, word: str, text: str, user: Any, where: str
) -> None:
    h = installed
    caplog.clear()
    before = len(h.connector.posted)
    status, _ = await _post_raw(h, json.dumps(h.message(f"{word} {text}", user, where=where)).encode())
    assert status == 200
    replies = h.connector.posted[before:]
    assert replies, (word, text)
    assert all(p.text != ERROR_REPLY for p in replies), (word, text, [p.text for p in replies])
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], [r.getMessage() for r in caplog.records]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | nasty_text,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(nasty_text, children, max_size=4),
    max_leaves=20,
)
ACTIVITY_FIELDS = ["type", "id", "text", "name", "value", "from", "conversation", "recipient", "channelData",
                   "entities", "attachments", "membersAdded", "membersRemoved", "locale", "replyToId", "serviceUrl", "action"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    kind=st.sampled_from(sorted(KNOWN_TYPES)),
    changes=st.dictionaries(st.sampled_from(ACTIVITY_FIELDS), json_values, max_size=4),
)
async def test_any_activity_shape_is_never_a_500(installed: Harness, kind: str, changes: dict[str, Any]) -> None:
    h = installed
    activity = h.message("hjälp", PETER)
    activity["type"] = kind
    activity.update(changes)
    before = (sorted(await h.store.engine.partition_names()), len(h.connector.posted))
    status, _ = await _post_raw(h, json.dumps(activity).encode())
    assert status < 500
    if status >= 400:
        assert (sorted(await h.store.engine.partition_names()), len(h.connector.posted)) == before


@settings(max_examples=300, deadline=None)
@given(text=nasty_text, today=st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
def test_date_interpreter_never_raises_on_hostile_text(text: str, today: date) -> None:
    assert isinstance(parse_when(text, today), (When, DateQuestion))
    found, before, after = split_when(text, today)
    assert found is None or isinstance(found, (When, DateQuestion))
    assert isinstance(before, str) and isinstance(after, str)
    parse_time(text)


@pytest.fixture
async def installed(harness: Harness) -> Harness:
    await harness.install(ANNA, roster=[ANNA, PETER, SOFIA])
    await add_meeting(harness)
    return harness
