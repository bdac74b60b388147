"""The HTTP surface: real payloads answered, bad requests refused with a 4xx and no state change."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.harness import ANNA, TEAM_ID, Harness

PAYLOADS = Path(__file__).resolve().parents[2] / "shared" / "payloads"  # see tests/shared/README.md


async def test_healthz(harness: Harness) -> None:
    async with harness.session.get(f"{harness.base_url}/healthz") as resp:
        assert resp.status == 200
        body = await resp.json()
    assert body["status"] == "ok" and body["storage"] == "ok" and body["version"]


async def test_help_in_channel_answers_with_card(harness: Harness) -> None:
    cards = await harness.say_cards("hjälp")
    assert len(cards) == 1
    texts = json.dumps(cards[0], ensure_ascii=False)
    for group in ("Möten", "Incheckning", "Uppgifter", "Beslut", "Protokoll"):
        assert group in texts


@pytest.mark.parametrize("word", ["help", "?", "Hjälp", "hjalp"])
async def test_help_aliases(harness: Harness, word: str) -> None:
    assert len(await harness.say_cards(word, where="personal")) == 1


async def test_unknown_text_gets_helpful_question(harness: Harness) -> None:
    texts = await harness.say("blablabla")
    assert texts and "hjälp" in texts[0]


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        (b"{not json", 400),
        (b"[]", 400),
        (b"[{\"type\": \"message\"}]", 400),
        (b"{}", 400),
        (b"{\"type\": 5}", 400),
        (b"{\"type\": \"somethingElse\"}", 400),
        (b"{\"type\": \"message\", \"text\": \"hej\"}", 400),
        (b"\xff\xfe", 400),
        (b"null", 400),
    ],
)
async def test_malformed_bodies_are_4xx_and_change_nothing(harness: Harness, raw: bytes, status: int) -> None:
    before = await harness.store.engine.partition_names()
    resp = await harness.post(None, raw=raw)
    assert resp.status == status
    assert await harness.store.engine.partition_names() == before
    assert harness.connector.posted == []


async def test_wrong_content_type_is_415(harness: Harness) -> None:
    resp = await harness.post(None, raw=b"hello", headers={"Content-Type": "text/plain"})
    assert resp.status == 415


async def test_oversize_body_is_413(harness: Harness) -> None:
    big = harness.message("x" * (harness.settings.max_body_bytes + 10), ANNA)
    resp = await harness.post(big)
    assert resp.status == 413


async def test_unknown_invoke_is_4xx(harness: Harness) -> None:
    activity = harness.invoke("help", {})
    activity["name"] = "composeExtension/query"
    resp = await harness.post(activity)
    assert 400 <= resp.status < 500


async def test_install_in_team_registers_and_welcomes(harness: Harness) -> None:
    await harness.install(ANNA)
    team = await harness.store.teams.get_team(TEAM_ID)
    assert team is not None and team.active
    anna = await harness.store.teams.get_member(TEAM_ID, ANNA.aad)
    assert anna is not None and {"ordförande", "presidium"} <= anna.roles
    assert any("SKIS-boten" in t for t in harness.connector.texts())
    assert harness.connector.calls["paged_members"] == 1


@pytest.mark.parametrize("name", sorted(p.name for p in PAYLOADS.glob("0[1-5]_*.json")))
async def test_real_payloads_are_answered(harness: Harness, name: str) -> None:
    activity = json.loads((PAYLOADS / name).read_text())
    activity["serviceUrl"] = harness.connector.url
    resp = await harness.post(activity)
    assert resp.status == 200, name


def test_help_card_is_valid_adaptive_card_1_5() -> None:
    from bot.cards.help import help_card
    from tests.cards_schema import assert_valid_card

    assert_valid_card(help_card("sv"))
    assert_valid_card(help_card("en"))
