"""Fuzz ``POST /api/messages``: real Teams activity shapes with fields mutated, hostile texts.

Whatever arrives, the answer is never a 5xx. Budget and figures: tests/fuzz/figures.py.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.messages import t
from bot.routing import CARD_ACTIONS
from tests.fuzz.figures import DERANDOMIZE, EXAMPLES, FIGURES, MAX_CHARS
from tests.fuzz.long_inputs import probe
from tests.fuzz.parsers import PARSERS
from tests.fuzz.strategies import PIECES, hostile_text
from tests.harness import ANNA, PETER, SOFIA, Harness
from tests.reliability.conftest import add_meeting

PAYLOADS = Path(__file__).resolve().parents[1] / "shared" / "payloads"  # see tests/shared/README.md
INBOUND = sorted(p.name for p in PAYLOADS.glob("0[1-5]_*.json"))
ERROR_REPLIES = {t("core.error", "sv"), t("core.not_saved", "sv")}

SHAPES = [*INBOUND, "channel_message", "personal_message", "submit", "invoke", "team_install"]
# Where a mutation lands: the fields the bot reads, top-level and nested.
PATHS = [
    "type", "id", "text", "name", "value", "locale", "replyToId", "textFormat", "action", "timestamp",
    "from", "from.id", "from.name", "from.aadObjectId", "recipient", "recipient.id",
    "conversation", "conversation.id", "conversation.conversationType", "conversation.isGroup", "conversation.tenantId",
    "channelData", "channelData.team", "channelData.team.id", "channelData.team.name", "channelData.tenant",
    "channelData.tenant.id", "channelData.channel.id", "channelData.eventType", "channelData.settings",
    "entities", "entities.0", "entities.0.mentioned", "entities.0.mentioned.id", "entities.0.text",
    "attachments", "membersAdded", "membersAdded.0", "membersAdded.0.id", "membersRemoved",
    "value.action", "value.action.verb", "value.action.data", "value.action.data.action", "value.action.data.number",
    "value.number", "value.meeting", "value.text",
]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30) | st.sampled_from(PIECES),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)


def _text_cap() -> int:
    """Texts in turns go through every parser: as long as the slowest of them is fuzzed with."""
    if MAX_CHARS <= 1_000:
        return MAX_CHARS
    return min([MAX_CHARS] + [probe(name, parse)["safe_chars"] for name, (parse, _ok) in PARSERS.items()])


mutation = st.one_of(
    st.tuples(st.just("set"), st.sampled_from(PATHS), json_values),
    st.tuples(st.just("drop"), st.sampled_from(PATHS), st.none()),
    st.tuples(st.just("text"), st.just("text"), hostile_text()),
    st.tuples(st.just("set"), st.just("value"), st.fixed_dictionaries(
        {"action": st.sampled_from(sorted(CARD_ACTIONS))},
        optional={"number": json_values, "meeting": json_values, "team": json_values, "text": hostile_text(200)},
    )),
)


def _base(h: Harness, shape: str, user: Any, text: str) -> dict[str, Any]:
    if shape in INBOUND:
        return json.loads((PAYLOADS / shape).read_text())
    if shape == "channel_message":
        return h.message(text, user)
    if shape == "personal_message":
        return h.message(text, user, where="personal")
    if shape == "submit":
        return h.submit({"action": "help"}, user)
    if shape == "invoke":
        return h.invoke("help", {}, user)
    return h.team_install(user)


def _apply(activity: dict[str, Any], op: str, path: str, value: Any) -> None:
    *parents, last = path.split(".")
    node: Any = activity
    for part in parents:
        node = node[int(part)] if isinstance(node, list) and part.isdigit() and int(part) < len(node) else (
            node.setdefault(part, {}) if isinstance(node, dict) else None)
        if not isinstance(node, (dict, list)):
            return
    if isinstance(node, list):
        if last.isdigit() and int(last) < len(node):
            if op == "drop":
                del node[int(last)]
            else:
                node[int(last)] = value
        return
    if op == "drop":
        node.pop(last, None)
    else:
        node[last] = value


@pytest.fixture
async def installed(harness: Harness) -> Harness:
    await harness.install(ANNA, roster=[ANNA, PETER, SOFIA])
    await add_meeting(harness)
    return harness


@settings(max_examples=EXAMPLES * 4, deadline=None, derandomize=DERANDOMIZE,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])
@given(
    shape=st.sampled_from(SHAPES),
    user=st.sampled_from([ANNA, PETER, SOFIA]),
    text=hostile_text(),
    mutations=st.lists(mutation, max_size=4),
)
async def test_no_activity_gets_a_5xx(installed: Harness, shape: str, user: Any, text: str, mutations: list[Any]) -> None:
    h = installed
    cap = _text_cap()
    activity = _base(h, shape, user, text[:cap])
    for op, path, value in mutations:
        _apply(activity, op, path, value[:cap] if isinstance(value, str) else value)
    activity["serviceUrl"] = h.connector.url  # replies go to the fake connector, never elsewhere
    raw = json.dumps(activity).encode()
    before = len(h.connector.posted)
    started, cpu_started = time.perf_counter(), time.thread_time()
    async with h.session.post(f"{h.base_url}/api/messages", data=raw, headers={"Content-Type": "application/json"}) as resp:
        status = resp.status
        await resp.read()
    ms, cpu_ms = (time.perf_counter() - started) * 1000, (time.thread_time() - cpu_started) * 1000
    FIGURES.turns += 1
    FIGURES.turns_5xx += status >= 500
    FIGURES.turns_4xx += 400 <= status < 500
    errors = sum(p.text in ERROR_REPLIES for p in h.connector.posted[before:])
    FIGURES.error_replies += errors
    FIGURES.slowest_turn.note(ms, f"{shape} {activity.get('type')!r}", len(raw))
    FIGURES.busiest_turn.note(cpu_ms, f"{shape} {activity.get('type')!r}", len(raw))
    assert status < 500, (status, raw[:500])
    # The error boundary's "Något gick fel" is a 500 in the person's eyes: malformed input is
    # refused at the edge with a 4xx instead.
    assert errors == 0, raw[:500]
