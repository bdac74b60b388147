"""Building blocks for reminder tests: a network, its people, meetings and items, and a foreign host TZ."""

from __future__ import annotations

import time as _time
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from storage.actions_repo import MEMBER, ActionItem, Owner
from storage.meetings_repo import Meeting
from storage.teams_repo import Member, Team

STOCKHOLM = ZoneInfo("Europe/Stockholm")
TEAM_KEY = "19:skis-team@thread.tacv2"
CREATED = datetime(2026, 1, 1, tzinfo=UTC)


def team(**changes: object) -> Team:
    base = dict(
        key=TEAM_KEY,
        name="SKIS",
        kind="team",
        tenant_id="tenant",
        conversation_ref={"conversation": {"id": TEAM_KEY}, "serviceUrl": "http://127.0.0.1:1/", "channelId": "msteams"},
        installed_by="aad-anna",
        installed_at=CREATED,
    )
    base.update(changes)
    return Team(**base)  # type: ignore[arg-type]


def member(key: str, *roles: str, municipality: str | None = None, active: bool = True) -> Member:
    return Member(key=key, teams_id=f"29:{key}", name=key.title(), municipality=municipality,
                  roles=frozenset({"medlem", *roles}), active=active)


def meeting(day: date, at: time = time(9, 0), *, id: str | None = None, created_at: datetime | None = CREATED,
            status: str = "planned") -> Meeting:
    start = datetime.combine(day, at, tzinfo=STOCKHOLM).astimezone(UTC)
    return Meeting(id=id or day.strftime("%Y%m%d"), team_key=TEAM_KEY, starts_at=start,
                   ends_at=start + timedelta(hours=3), location="Skövde stadshus", status=status,
                   created_at=created_at)


def item(number: int, due: date | None, *owners: Owner, created_at: datetime = CREATED, status: str = "open") -> ActionItem:
    return ActionItem(id=f"item{number}", team_key=TEAM_KEY, number=number, title=f"Uppgift {number}",
                      owners=owners or (Owner(MEMBER, "Peter", "peter"),), created_by="anna",
                      created_at=created_at, due=due, status=status)


def local(y: int, mo: int, d: int, h: int, mi: int = 0) -> datetime:
    """A Stockholm wall-clock time as an aware datetime."""
    return datetime(y, mo, d, h, mi, tzinfo=STOCKHOLM)


@pytest.fixture
def new_york_host(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The host runs in another time zone: nothing may depend on it."""
    monkeypatch.setenv("TZ", "America/New_York")
    _time.tzset()
    try:
        yield
    finally:
        monkeypatch.undo()
        _time.tzset()
