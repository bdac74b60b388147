"""Reminders arrive in the Agents Playground when an operator runs `skis-bot reminders run --at …`.

The same stack as `make run` (bot/devrun.DevStack) on free ports with a temporary data directory;
the command finds the data directory locked by the running bot and asks it over the admin route.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import devrun

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[devrun.DevStack]:
    from tests.e2e.playground import find_chromium

    if find_chromium() is None:
        pytest.skip("e2e: Chromium not found (apt-get install chromium)")
    workdir = tmp_path_factory.mktemp("reminders-playground")
    stack = devrun.DevStack(workdir=workdir, data_dir=workdir / "data", bot_port=devrun.free_port(), playground_port=0,
                            log_dir=workdir / "logs")
    stack.start(timeout=90)
    try:
        yield stack
    finally:
        stack.stop()


def reminders(stack: devrun.DevStack, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SKIS_DATA_DIR": str(stack.data_dir), "SKIS_DEV": "1"}
    env.pop("SKIS_ADMIN_TOKEN", None)
    return subprocess.run([sys.executable, "-m", "bot.cli", "reminders", *args, "--port", str(stack.bot_port)],
                          env=env, capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_reminders_show_up_in_the_playground(stack: devrun.DevStack) -> None:
    from playwright.sync_api import sync_playwright

    from tests.e2e.playground import (
        CHROMIUM_ARGS,
        GROUP_CHAT,
        PERSONAL_CHAT,
        PlaygroundChat,
        find_chromium,
        texts,
    )

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 1600}, locale="en-US", timezone_id="Europe/Stockholm")
            chat = PlaygroundChat(context.new_page(), stack.playground_url, stack.workdir)
            chat.open()  # installs the bot in the personal chat: the digest can go there
            chat.send("hjälp")
            chat.open_conversation(GROUP_CHAT)
            saved = texts(chat.send("nytt möte fredag 4 december kl 9-12 Regionens hus, Skövde", mention_bot=True))
            assert "4 december" in saved
            before = chat.bot_messages().count()

            week = reminders(stack, "run", "--at", "2026-11-27T09:00")
            assert week.returncode == 0, week.stderr
            assert "sent by the running service" in week.stdout and "channel, week before" in week.stdout
            shown = texts(chat.wait_for_bot_messages(before + 1)[before:])
            assert "Nätverksmöte fredag 4 december" in shown and "Jag kommer" in shown and "Skicka svar" in shown

            again = reminders(stack, "run", "--at", "2026-11-27T09:00")
            assert again.returncode == 0 and "nothing was due" in again.stdout

            digest = reminders(stack, "run", "--at", "2026-12-01T08:00")
            assert digest.returncode == 0 and "presidium digest" in digest.stdout, digest.stdout + digest.stderr
            chat.open_conversation(PERSONAL_CHAT)
            chat.page.get_by_text("Inför mötet fredag 4 december").first.wait_for(timeout=20_000)
            chat.screenshot("reminders-digest")

            listed = reminders(stack, "list")
            assert listed.returncode == 0 and "[sent]" in listed.stdout and "The running service wakes next" in listed.stdout
        finally:
            browser.close()
