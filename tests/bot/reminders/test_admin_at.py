"""The admin route's ``at``: anything but an ISO date and time near now is a 400, never a 500 (issue 18, point 14)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from bot.app import SERVICES_KEY
from tests.harness import Harness

BAD_AT: list[Any] = [
    20261204, 1.5, True, ["2026-12-04"], {"date": "2026-12-04"},
    "0001-01-01T00:00", "0001-01-01T00:00:00+00:00", "0001-01-01T00:30:00+01:00",
    "9999-12-31T23:59", "9999-12-31T23:59:59+00:00", "9999-12-31T23:59:59-14:00",
    "not a date", "2026-13-40",
]


def _auth(harness: Harness) -> dict[str, str]:
    return {"Authorization": f"Bearer {harness.app[SERVICES_KEY].reminders.admin_token}"}


@pytest.mark.parametrize("at", BAD_AT, ids=repr)
async def test_run_with_a_bad_at_is_400(harness: Harness, at: Any) -> None:
    async with harness.session.post(f"{harness.base_url}/admin/reminders/run", json={"at": at}, headers=_auth(harness)) as resp:
        assert resp.status == 400, await resp.text()
        assert "bad request" in (await resp.json())["error"]


@pytest.mark.parametrize("at", [a for a in BAD_AT if isinstance(a, str)])
async def test_overview_with_a_bad_at_is_400(harness: Harness, at: str) -> None:
    url = f"{harness.base_url}/admin/reminders"
    async with harness.session.get(url, params={"at": at}, headers=_auth(harness)) as resp:
        assert resp.status == 400, await resp.text()


@pytest.mark.parametrize("years", [-99, -1, 0, 1, 99])
async def test_an_at_within_a_hundred_years_is_run(harness: Harness, years: int) -> None:
    at = (harness.clock.now() + timedelta(days=365 * years)).isoformat()
    async with harness.session.post(f"{harness.base_url}/admin/reminders/run", json={"at": at}, headers=_auth(harness)) as resp:
        assert resp.status == 200, await resp.text()
    async with harness.session.get(f"{harness.base_url}/admin/reminders", params={"at": at}, headers=_auth(harness)) as resp:
        assert resp.status == 200, await resp.text()
