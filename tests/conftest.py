"""Shared fixtures: the bot on loopback with a fake connector (see tests/harness.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.harness import Harness, start_harness, stop_harness


@pytest.fixture
async def harness() -> AsyncIterator[Harness]:
    h = await start_harness()
    try:
        yield h
    finally:
        await stop_harness(h)
