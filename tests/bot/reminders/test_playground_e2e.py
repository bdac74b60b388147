"""Reminders arrive in the Agents Playground when an operator runs `skis-bot reminders run --at …`.

The same stack as `make run` (bot/dev/devrun.DevStack) on free ports with a temporary data directory;
the command finds the data directory locked by the running bot and asks it over the admin route.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.dev import devrun
from bot.formatting import format_day
from bot.rules.holidays_se import holiday_name

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[3]
TZ = ZoneInfo("Europe/Stockholm")


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


def meeting_day(today: date) -> date:
    """The first ordinary Friday at least eight days after ``today`` (its week reminder still lies
    ahead; not a holiday or eve such as Christmas Day, which would make the bot ask first)."""
    day = today + timedelta(days=8)
    day += timedelta(days=(4 - day.weekday()) % 7)
    while holiday_name(day) is not None:
        day += timedelta(days=7)
    return day


def at(day: date, hour: int) -> str:
    """``--at`` for ``hour``:00 network time on ``day``."""
    return datetime.combine(day, time(hour)).strftime("%Y-%m-%dT%H:%M")


def test_meeting_day_is_a_friday_more_than_a_week_ahead() -> None:
    for offset in range(366):
        today = date(2026, 1, 1) + timedelta(days=offset)
        day = meeting_day(today)
        assert day.weekday() == 4 and (day - today).days >= 8 and holiday_name(day) is None
    assert meeting_day(date(2026, 12, 14)) == date(2027, 1, 8)  # not Christmas Day, not New Year's Day


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
            # Dates come from the bot's clock: the meeting lies more than a week ahead, so each
            # reminder below is still due when the command asks for it.
            day = meeting_day(devrun.clock_now(stack.data_dir).astimezone(TZ).date())
            words = format_day(day)  # "fredag 18 december": no year, the next such date
            saved = texts(chat.send(f"nytt möte {words} kl 9-12 Regionens hus, Skövde", mention_bot=True))
            assert words in saved
            before = chat.bot_messages().count()

            week = reminders(stack, "run", "--at", at(day - timedelta(days=7), 9))
            assert week.returncode == 0, week.stderr
            assert "sent by the running service" in week.stdout and "channel, week before" in week.stdout
            shown = texts(chat.wait_for_bot_messages(before + 1)[before:])
            assert f"Nätverksmöte {words}" in shown and "Jag kommer" in shown and "Skicka svar" in shown

            again = reminders(stack, "run", "--at", at(day - timedelta(days=7), 9))
            assert again.returncode == 0 and "nothing was due" in again.stdout

            digest = reminders(stack, "run", "--at", at(day - timedelta(days=3), 8))
            assert digest.returncode == 0 and "presidium digest" in digest.stdout, digest.stdout + digest.stderr
            chat.open_conversation(PERSONAL_CHAT)
            chat.page.get_by_text(f"Inför mötet {words}").first.wait_for(timeout=20_000)
            chat.screenshot("reminders-digest")

            listed = reminders(stack, "list")
            assert listed.returncode == 0 and "[sent]" in listed.stdout and "The running service wakes next" in listed.stdout
        finally:
            browser.close()
