"""What the check-in, action item and decision feature tests share: a meeting, members, cards."""

from __future__ import annotations

import html
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from storage.meetings_repo import Meeting
from tests.harness import ANNA, PETER, SOFIA, TEAM_ID, Harness, User

# fredag 27 november 2026 kl. 08.30–12.00 in Stockholm; the harness starts on Monday 23 November.
FRIDAY = datetime(2026, 11, 27, 7, 30, tzinfo=UTC)
EXACT = (
    "Tre saker från förra mötet:\n"
    "- **Bästa skola** i Skövde & Tibro 🎉\n"
    "- <b>inte html</b> och [ingen länk](http://x)\n"
    "1. Ämnesbetygen\n"
    "    indraget  med två  mellanslag\tch tab\n\n"
    "Åsa, Örjan och Ängla hälsar! 👩🏽‍🏫 {{DATE(2026-12-04T08:00:00Z)}} _slut_"
)
# What Teams sends when EXACT is typed: the characters HTML reserves come as entities.
EXACT_SENT = html.escape(EXACT, quote=False)


async def meeting(harness: Harness, starts: datetime = FRIDAY, hours: float = 3.5, **fields: Any) -> Meeting:
    m = Meeting(
        id=await harness.store.meetings.new_id(TEAM_ID, starts),
        team_key=TEAM_ID,
        starts_at=starts,
        ends_at=starts + timedelta(hours=hours),
        **fields,
    )
    await harness.store.meetings.save(m)
    return m


async def setup(harness: Harness, roster: list[User] | None = None) -> Meeting:
    await harness.install(ANNA, roster=roster or [ANNA, PETER, SOFIA])
    return await meeting(harness)


async def set_member(harness: Harness, user: User, **changes: Any) -> None:
    member = await harness.store.teams.get_member(TEAM_ID, user.aad)
    assert member is not None
    await harness.store.teams.save_member(TEAM_ID, replace(member, **changes))


def cards_since(harness: Harness, before: int) -> list[dict[str, Any]]:
    return [c for p in harness.connector.posted[before:] for c in p.cards]


def card_text(card: dict[str, Any]) -> str:
    return json.dumps(card, ensure_ascii=False)


async def invoke(harness: Harness, verb: str, data: dict[str, Any], user: User = ANNA) -> dict[str, Any]:
    resp = await harness.post(harness.invoke(verb, data, user))
    assert resp.status == 200
    return await resp.json()
