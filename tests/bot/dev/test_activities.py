"""bot/dev/activities.py builds activities in the shape of the captured Teams payloads (tests/shared/payloads)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.dev import activities as act
from bot.dev.activities import Person

PAYLOADS = Path(__file__).resolve().parents[2] / "shared" / "payloads"
ANNA = Person("Anna Gustafsson", "aad-anna")
PETER = Person("Peter Stark", "aad-peter")
WHERE = {"activity_id": "a-1", "service_url": "http://127.0.0.1:1/"}


def _payload(prefix: str) -> dict[str, Any]:
    (path,) = PAYLOADS.glob(f"{prefix}_*.json")
    return dict(json.loads(path.read_text(encoding="utf-8")))


def _paths(node: Any, prefix: str = "") -> set[str]:
    """Every key path of the dicts in ``node`` (list items share their list's path)."""
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            path = f"{prefix}.{key}" if prefix else key
            found |= {path} | _paths(value, path)
    elif isinstance(node, list):
        for item in node:
            found |= _paths(item, prefix)
    return found


# Every field Teams sends in these captured activities (01, 02: channel; 03: invoke; 04: Action.Submit; 05: 1:1).
TEAMS_FIELDS = set().union(*(_paths(_payload(p)) for p in ("01", "02", "03", "04", "05")))


@pytest.mark.parametrize(
    "activity",
    [
        act.message("hjälp", ANNA, mentions=[PETER], **WHERE),
        act.message("hjälp", ANNA, where=act.PERSONAL, **WHERE),
        act.message("hjälp", ANNA, where=act.GROUP_CHAT, **WHERE),
        act.submit({"action": "x"}, ANNA, **WHERE),
        act.team_install(ANNA, **WHERE),
    ],
    ids=["channel message", "personal message", "group chat message", "submit", "team install"],
)
def test_every_field_is_one_teams_sends(activity: dict[str, Any]) -> None:
    # A card's own data is ours; a person's mention carries their Entra id besides their Teams id.
    extra = _paths(activity) - TEAMS_FIELDS - {"value.action", "entities.mentioned.aadObjectId"}
    assert extra == set()


def test_a_channel_message_is_shaped_like_the_captured_one() -> None:
    ours, teams = act.message("hjälp", ANNA, thread="77", **WHERE), _payload("02")
    assert ours["conversation"]["id"] == f"{act.TEAM_ID};messageid=77"  # a thread reply, as 02
    assert {k: type(v) for k, v in ours["conversation"].items()} == {k: type(v) for k, v in teams["conversation"].items()}
    assert ours["text"].startswith(ours["entities"][0]["text"])
    assert set(ours["entities"][0]) == set(teams["entities"][0]) and ours["entities"][0]["mentioned"]["id"] == act.BOT_ID


def test_an_invoke_is_shaped_like_the_captured_one() -> None:
    ours, teams = act.invoke("checkin", {"meeting": "m1"}, ANNA, where=act.PERSONAL, **WHERE), _payload("03")
    assert (ours["type"], ours["name"]) == (teams["type"], teams["name"])
    assert _paths(ours["value"]) - {"action.verb", "action.data.action", "action.data.meeting"} <= _paths(teams["value"])
    assert ours["value"]["action"]["type"] == "Action.Execute" and ours["value"]["trigger"] == "manual"
    assert set(ours["conversation"]) == set(teams["conversation"])


def test_a_team_install_is_the_bot_added_to_the_teams_channel() -> None:
    ours, teams = act.team_install(ANNA, team_id="19:other@thread.tacv2", **WHERE), _payload("01")
    assert ours["membersAdded"] == [{"id": act.BOT_ID}] and ours["channelData"]["eventType"] == teams["channelData"]["eventType"]
    assert ours["conversation"]["id"] == ours["channelData"]["team"]["id"] == "19:other@thread.tacv2"


def test_a_stored_reference_names_the_bot_and_the_conversation() -> None:
    channel = act.conversation_ref("19:c@thread.tacv2", "http://x/")
    personal = act.conversation_ref("a:p", "http://x/", kind=act.PERSONAL)
    assert channel["conversation"]["isGroup"] is True and "isGroup" not in personal["conversation"]
    assert channel["bot"]["id"] == act.BOT_ID and personal["conversation"]["tenantId"] == act.TENANT


def test_an_unknown_place_is_refused() -> None:
    with pytest.raises(ValueError, match="where must be"):
        act.message("hej", ANNA, where="meeting", **WHERE)
