"""Teams activities for tests that talk to a service they did not start in-process.

Shaped like tests/harness.py's (same team, tenant and bot), with explicit ids so a test can
deliver the same activity twice or know which activity a record came from.
"""

from __future__ import annotations

from typing import Any

from tests.harness import BOT_ID, CHANNEL_ID, TEAM_ID, TENANT, User


def user(n: int) -> User:
    return User(f"Person {n:03d} Testsson", f"aad-p{n:03d}")


def base(u: User, service_url: str, activity_id: str, *, where: str = "channel") -> dict[str, Any]:
    activity: dict[str, Any] = {
        "id": activity_id,
        "channelId": "msteams",
        "serviceUrl": service_url,
        "from": u.account(),
        "recipient": {"id": BOT_ID, "name": "SKIS-boten"},
        "locale": "sv-SE",
    }
    if where == "channel":
        activity["conversation"] = {"id": f"{CHANNEL_ID};messageid={activity_id}", "conversationType": "channel", "isGroup": True, "tenantId": TENANT}
        activity["channelData"] = {"team": {"id": TEAM_ID, "name": "SKIS"}, "channel": {"id": CHANNEL_ID}, "tenant": {"id": TENANT}}
    else:
        activity["conversation"] = {"id": f"a:personal-{u.aad}", "conversationType": "personal", "tenantId": TENANT}
        activity["channelData"] = {"tenant": {"id": TENANT}}
    return activity


def message(text: str, u: User, service_url: str, activity_id: str, *, where: str = "channel") -> dict[str, Any]:
    activity = base(u, service_url, activity_id, where=where)
    entities: list[dict[str, Any]] = []
    if where == "channel":
        text = f"<at>SKIS-boten</at> {text}"
        entities.append({"type": "mention", "text": "<at>SKIS-boten</at>", "mentioned": {"id": BOT_ID, "name": "SKIS-boten"}})
    activity.update({"type": "message", "text": text, "textFormat": "plain", "entities": entities})
    return activity


def team_install(u: User, service_url: str, activity_id: str = "install-1") -> dict[str, Any]:
    activity = base(u, service_url, activity_id)
    activity.update(
        {
            "type": "conversationUpdate",
            "membersAdded": [{"id": BOT_ID}],
            "conversation": {"id": CHANNEL_ID, "conversationType": "channel", "isGroup": True, "tenantId": TENANT},
        }
    )
    activity["channelData"]["eventType"] = "teamMemberAdded"
    return activity
