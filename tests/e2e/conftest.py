"""End-to-end fixtures: the bot (``skis-bot serve`` in dev mode), the locale proxy and the Agents
Playground started exactly as ``make run`` starts them (bot/dev/devrun.DevStack), on free ports with
a temporary data directory, and the Playground's page in headless Debian Chromium.

The browser tests skip, saying why, only when Chromium cannot be found. Everything else missing
(Node.js, ``npm ci`` not run, Playwright) is an error.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.dev import devrun
from tests.e2e.playground import (
    ARTIFACTS,
    CHROMIUM_ARGS,
    PlaygroundChat,
    find_chromium,
    open_chat,
    running_stack,
)

_CHROMIUM_MISSING = (
    "e2e: Chromium not found (looked for $SKIS_CHROMIUM if set, else /usr/bin/chromium, chromium, chromium-browser); "
    "install it with `apt-get install chromium` to run the browser tests"
)
_skipped_for_chromium: list[str] = []


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """tests/e2e/artifacts, emptied once per run: screenshots and the processes' logs."""
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    return ARTIFACTS


@pytest.fixture(scope="module")
def chromium() -> str:
    path = find_chromium()
    if path is None:
        _skipped_for_chromium.append("x")
        pytest.skip(_CHROMIUM_MISSING)
    return path


@pytest.fixture(scope="module")
def playground(chromium: str, artifacts: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[devrun.DevStack]:
    """The running stack; its processes' output goes to artifacts/logs/."""
    with running_stack(tmp_path_factory.mktemp("playground"), artifacts / "logs") as stack:
        yield stack


@pytest.fixture(scope="module")
def browser(chromium: str) -> Iterator[object]:
    # Module scope: Playwright's sync API must be closed before the next module's asyncio tests run.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def chat(browser: object, playground: devrun.DevStack, artifacts: Path) -> Iterator[PlaygroundChat]:
    """The Playground page, loaded once per module: its steps are one conversation, in order."""
    with open_chat(browser, playground.playground_url, artifacts) as chat:
        yield chat


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say loudly, at the end of the run, that the browser tests did not run."""
    if _skipped_for_chromium:
        terminalreporter.write_line(_CHROMIUM_MISSING, yellow=True, bold=True)
