"""Teams activities for tests that talk to a service they did not start in-process.

Built by bot/dev/activities.py, like tests/harness.py's (same team, tenant and bot), with explicit
ids so a test can deliver the same activity twice or know which activity a record came from.
"""

from __future__ import annotations

from typing import Any

from bot.dev import activities
from tests.harness import BOT_ID, CHANNEL_ID, User  # noqa: F401 (the tests name them through this module)


def user(n: int) -> User:
    return User(f"Person {n:03d} Testsson", f"aad-p{n:03d}")


def base(u: User, service_url: str, activity_id: str, *, where: str = "channel") -> dict[str, Any]:
    return activities.base(u, activity_id=activity_id, service_url=service_url, where=where, thread=activity_id)


def message(text: str, u: User, service_url: str, activity_id: str, *, where: str = "channel") -> dict[str, Any]:
    return activities.message(text, u, activity_id=activity_id, service_url=service_url, where=where, thread=activity_id)


def team_install(u: User, service_url: str, activity_id: str = "install-1") -> dict[str, Any]:
    return activities.team_install(u, activity_id=activity_id, service_url=service_url, thread=activity_id)
