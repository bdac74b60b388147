from __future__ import annotations

import json

from botbuilder.schema import Activity

from bot.teams.mentions import Mention, read_mentions
from bot.text import split_text


def test_bot_mention_removed_people_kept() -> None:
    text, people = read_mentions(
        "<at>SKIS-boten</at> uppgift Mejla <at>Anna Gustafsson</at> till 4 december",
        [
            {"type": "mention", "text": "<at>SKIS-boten</at>", "mentioned": {"id": "28:bot"}},
            {"type": "mention", "text": "<at>Anna Gustafsson</at>", "mentioned": {"id": "29:anna", "name": "Anna Gustafsson", "aadObjectId": "aad-anna"}},
        ],
        "28:bot",
    )
    assert text == "uppgift Mejla @Anna Gustafsson till 4 december"
    assert people == [Mention("29:anna", "Anna Gustafsson", "aad-anna")]


def test_mention_without_entities_is_dropped() -> None:
    assert read_mentions("<at>Bot</at> hjälp", None, "28:bot") == ("hjälp", [])


def test_spacing_outside_mentions_is_kept_exactly() -> None:
    text, _ = read_mentions("<at>Bot</at>  incheckning Två  mellanslag\n  och indrag", None, "28:bot")
    assert text == "incheckning Två  mellanslag\n  och indrag"


def test_entities_as_sdk_models_keep_their_mentions() -> None:
    # The SDK deserialises entities into models whose mention fields live in
    # additional_properties; serialize() would drop them.
    activity = Activity().deserialize(
        {
            "type": "message",
            "text": "<at>Bot</at> uppgift Ring <at>Peter</at>",
            "entities": [
                {"type": "mention", "text": "<at>Bot</at>", "mentioned": {"id": "28:bot"}},
                {"type": "mention", "text": "<at>Peter</at>", "mentioned": {"id": "29:p", "name": "Peter", "aadObjectId": "aad-p"}},
            ],
        }
    )
    text, people = read_mentions(activity.text, activity.entities, "28:bot")
    assert text == "uppgift Ring @Peter" and people == [Mention("29:p", "Peter", "aad-p")]


def test_split_text_keeps_everything_under_limit() -> None:
    text = "\n".join(f"rad {i} " + "å" * 50 for i in range(500))
    pieces = split_text(text, 1000)
    assert all(len(p) <= 1000 for p in pieces) and "".join(pieces) == text
    assert split_text("x" * 2500, 1000) == ["x" * 1000, "x" * 1000, "x" * 500]
    assert split_text("kort") == ["kort"]


def test_split_text_limits_escaped_bytes_too() -> None:
    text = "😀" * 5000 + "\n" + "åäö " * 3000
    pieces = split_text(text, 12000, 20_000)
    assert "".join(pieces) == text
    assert all(len(json.dumps(p)) - 2 <= 20_000 for p in pieces) and len(pieces) >= 3
