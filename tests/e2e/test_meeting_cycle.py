"""A whole meeting cycle, played by three people in the Agents Playground as they would in Teams.

Anna Lindqvist installs the bot and plans the meeting, Peter Holm (a member) proposes a topic and
answers the week reminder's buttons, Sofia Berg (made secretary by Anna) records the meeting and
approves the minutes, and Peter reads them. The Playground has one current person and no switch
in the page, so "signing in as someone else" restarts the Playground as that person
(``DevStack.switch_person``) while the bot keeps running with its data.

Time: the bot runs on the dev clock (bot/dev/devrun.DevClock), set as the cycle goes: planning on
Monday 9 November 2026, the week reminder fired with ``skis-bot reminders run --at`` for
Friday 13 November 09:00, the meeting on Friday 20 November 09.00–12.00, the minutes after it.

The steps run in file order on one page; each asserts on what the page shows and saves a
screenshot to tests/e2e/artifacts/ (``cycle-*``).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.dev import devrun
from tests.e2e.playground import (
    ADAPTIVE_CARD,
    CARD_HEADING,
    CARD_TEXTAREA,
    GENERAL_CHANNEL,
    PERSONAL_CHAT,
    PlaygroundChat,
    open_chat,
    running_stack,
    texts,
)

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(240)]

TZ = ZoneInfo("Europe/Stockholm")
PLANNING = datetime(2026, 11, 9, 10, 0, tzinfo=TZ)  # a Monday, eleven days before the meeting
WEEK_BEFORE = "2026-11-13T09:00"  # when the week reminder is due (network time)
DURING = datetime(2026, 11, 20, 9, 5, tzinfo=TZ)
AFTER = datetime(2026, 11, 20, 12, 30, tzinfo=TZ)
MEETING = "fredag 20 november 2026 kl. 09.00–12.00"
TOPIC = "Skövde berättar om sin läsfrämjande satsning"
CHECKIN_ANSWER = "Att vi ska läsa mer tillsammans med eleverna"
ACTION = "Sammanställa enkätsvaren"
DECISION = "Nätverket ställer sig bakom Skövdes läsfrämjande satsning"
NOTE = "Skövde visade hur skolbiblioteken samarbetar med lärarna. Fler kommuner vill prova."
HELP_TITLE = "Det här kan jag hjälpa till med"
MINUTES_TITLE = f"Minnesanteckningar – {devrun.TEAM_NAME}"


@dataclass
class Cycle:
    """The running stack and its page, with what the steps do besides typing and clicking."""

    stack: devrun.DevStack
    chat: PlaygroundChat

    def sign_in_as(self, person: str) -> None:
        """Restart the Playground as ``person`` and load the page again (their personal chat)."""
        self.stack.switch_person(person)
        self.chat.base_url = self.stack.playground_url
        self.chat.reopen()

    def set_clock(self, at: datetime) -> None:
        devrun.set_clock(self.stack.data_dir, at)

    def skis_bot(self, *args: str) -> subprocess.CompletedProcess[str]:
        """``skis-bot <args>`` as the operator runs it next to the running service."""
        script = Path(sys.executable).with_name("skis-bot")
        command = [str(script)] if script.is_file() else [sys.executable, "-m", "bot.cli"]
        return subprocess.run([*command, *args, "--port", str(self.stack.bot_port)], cwd=devrun.ROOT,
                              env=devrun.bot_env(self.stack.data_dir, initial_roles=""),
                              capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def cycle(browser: object, chromium: str, artifacts: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cycle]:
    # Nobody has a role from the configuration: Anna becomes chair by installing the bot and
    # makes Sofia the secretary with the bot's own command.
    with running_stack(tmp_path_factory.mktemp("cycle"), artifacts / "logs-cycle",
                       clock_at=PLANNING, initial_roles="") as stack:
        with open_chat(browser, stack.playground_url, artifacts) as chat:
            yield Cycle(stack, chat)


# Anna, chair: installs the bot and plans the meeting (Monday 9 November) ---------------------
def test_installing_the_bot_greets_anna_and_the_network(cycle: Cycle) -> None:
    chat = cycle.chat
    assert "Jag är SKIS-boten" in texts(chat.wait_for_bot_messages(1))
    chat.open_conversation(GENERAL_CHANNEL)  # installs the bot in the network's team
    greeting = texts(chat.wait_for_bot_messages(1))
    assert f"Hej {devrun.TEAM_NAME}! Jag är SKIS-boten" in greeting
    chat.screenshot("cycle-01-welcome-channel")
    chat.open_conversation(PERSONAL_CHAT)


def test_hjalp_shows_the_help_card(cycle: Cycle) -> None:
    chat = cycle.chat
    replies = chat.send("hjälp")
    card = replies[-1].locator(ADAPTIVE_CARD)
    assert card.locator(CARD_HEADING).first.inner_text().strip() == HELP_TITLE
    for group in ("Möten", "Incheckning", "Uppgifter", "Beslut", "Protokoll, rapporter och påminnelser"):
        assert group in card.inner_text()
    chat.screenshot("cycle-02-help-card", publish_as="help-card.png", element=replies[-1])


def test_anna_plans_the_meeting_next_friday(cycle: Cycle) -> None:
    reply = texts(cycle.chat.send("nytt möte fredag nästa vecka kl 9-12 i Skövde"))
    assert f"Mötet är sparat: {MEETING}, Skövde" in reply
    cycle.chat.screenshot("cycle-03-new-meeting")


def test_anna_makes_sofia_the_secretary(cycle: Cycle) -> None:
    reply = texts(cycle.chat.send("roll Sofia sekreterare"))
    assert "Sofia Berg har nu rollerna: medlem, sekreterare" in reply
    cycle.chat.screenshot("cycle-04-role")


# Peter, member: proposes a topic, gets the week reminder and answers it ----------------------
def test_peter_proposes_an_agenda_item(cycle: Cycle) -> None:
    cycle.sign_in_as("peter")
    chat = cycle.chat
    assert "Jag är SKIS-boten" in texts(chat.wait_for_bot_messages(1))  # his first 1:1 chat with it
    reply = texts(chat.send(f"punkt {TOPIC}"))
    assert f"”{TOPIC}” är punkt 3 på dagordningen för mötet {MEETING}" in reply
    chat.screenshot("cycle-05-agenda-item")


def test_the_week_reminder_arrives_in_the_channel(cycle: Cycle) -> None:
    chat = cycle.chat
    chat.open_conversation(GENERAL_CHANNEL)
    chat.mark_seen()
    run = cycle.skis_bot("reminders", "run", "--at", WEEK_BEFORE)
    assert run.returncode == 0, run.stderr
    assert "sent by the running service" in run.stdout and "1 sent" in run.stdout, run.stdout
    reminder = chat.new_bot_messages()[-1]
    card = reminder.locator(ADAPTIVE_CARD)
    assert card.locator(CARD_HEADING).first.inner_text().strip() == "Nätverksmöte fredag 20 november"
    shown = card.inner_text()
    for expected in ("Nätverket träffas om en vecka", "09.00–12.00", "Skövde", TOPIC, "Incheckning"):
        assert expected in shown, shown
    for button in ("Jag kommer", "Jag kommer inte", "Skicka svar"):
        assert card.get_by_role("button", name=button, exact=True).count() == 1, button
    chat.screenshot("cycle-06-week-reminder", publish_as="reminder-card.png", element=card)


def test_peter_answers_kommer_on_the_reminder(cycle: Cycle) -> None:
    chat = cycle.chat
    reminder = chat.bot_message_with("Nätverksmöte fredag 20 november")
    chat.click(reminder, "Jag kommer")
    shown = chat.wait_for_text(reminder, "Tack Peter! Du är anmäld till mötet")
    assert MEETING in shown
    chat.screenshot("cycle-07-kommer")


def test_button_answers_show_no_markdown_marks(cycle: Cycle) -> None:
    reminder = cycle.chat.bot_message_with("Nätverksmöte fredag 20 november")
    shown = cycle.chat.wait_for_text(reminder, "Tack Peter!")
    answer = shown[shown.index("Tack Peter!"):]
    assert "*" not in answer, answer


def test_peter_answers_the_checkin_on_the_reminder(cycle: Cycle) -> None:
    chat = cycle.chat
    reminder = chat.bot_message_with("Nätverksmöte fredag 20 november")
    chat.fill(reminder, "Vad tog du med från förra mötet?", CHECKIN_ANSWER)
    chat.click(reminder, "Skicka svar")
    chat.wait_for_text(reminder, f'Ditt svar på incheckningen är sparat: ”{CHECKIN_ANSWER}”')
    chat.screenshot("cycle-08-checkin")


# The meeting (Friday 20 November, 09.05): Sofia, secretary, records it -----------------------
def test_a_member_cannot_open_the_draft_minutes(cycle: Cycle) -> None:
    cycle.set_clock(DURING)
    chat = cycle.chat
    chat.open_conversation(PERSONAL_CHAT)
    reply = texts(chat.send("protokoll"))
    assert "Protokollet skrivs av sekreteraren" in reply
    chat.screenshot("cycle-09-member-no-draft")


def test_sofia_records_an_action_item(cycle: Cycle) -> None:
    cycle.sign_in_as("sofia")
    chat = cycle.chat
    assert "Jag är SKIS-boten" in texts(chat.wait_for_bot_messages(1))
    reply = texts(chat.send(f"uppgift {ACTION} @Peter till 4 december"))
    assert f"Uppgift 1 är sparad: {ACTION}" in reply
    assert "Peter Holm" in reply and "fredag 4 december 2026" in reply
    chat.screenshot("cycle-10-action-item")


def test_sofia_records_a_decision(cycle: Cycle) -> None:
    reply = texts(cycle.chat.send(f"beslut {DECISION}"))
    assert "Beslut 1" in reply and DECISION in reply
    cycle.chat.screenshot("cycle-11-decision")


# After the meeting (12.30): the minutes ---------------------------------------------------------
def test_sofia_gets_the_draft_minutes_to_edit(cycle: Cycle) -> None:
    cycle.set_clock(AFTER)
    chat = cycle.chat
    minutes = chat.send("protokoll")[-1]
    card = minutes.locator(ADAPTIVE_CARD)
    assert card.locator(CARD_HEADING).first.inner_text().strip() == f"Utkast: {MINUTES_TITLE}"
    shown = card.inner_text()
    for expected in ("fredag 20 november 2026", "Peter Holm", CHECKIN_ANSWER, TOPIC, DECISION, ACTION):
        assert expected in shown, f"{expected!r} missing from the draft:\n{shown}"
    assert card.locator(CARD_TEXTAREA).count() >= 3  # notes under each item, check-in and check-out
    for button in ("Spara utkast", "Godkänn protokoll"):
        assert card.get_by_role("button", name=button, exact=True).count() == 1, button
    chat.screenshot("cycle-12-minutes-draft")


def test_sofia_writes_a_note_and_approves_the_minutes(cycle: Cycle) -> None:
    chat = cycle.chat
    minutes = chat.bot_message_with(MINUTES_TITLE)
    chat.fill(minutes, TOPIC, NOTE)
    chat.screenshot("cycle-13-minutes-note", publish_as="minutes-card.png", element=minutes)
    chat.click(minutes, "Godkänn protokoll")
    shown = chat.wait_for_text(minutes, "Godkänt (version 1) av Sofia Berg")
    assert NOTE in shown
    card = minutes.locator(ADAPTIVE_CARD)
    assert card.locator(CARD_HEADING).first.inner_text().strip() == MINUTES_TITLE
    assert card.locator(CARD_TEXTAREA).count() == 0, "the confirmed minutes can no longer be edited"
    assert card.get_by_role("button", name="Godkänn protokoll", exact=True).count() == 0
    # The secretary's own view of confirmed minutes: she may start a correction.
    assert card.get_by_role("button", name="Rätta protokollet", exact=True).count() == 1
    chat.screenshot("cycle-14-minutes-approved")


def test_the_channel_gets_the_confirmed_minutes(cycle: Cycle) -> None:
    chat = cycle.chat
    chat.open_conversation(GENERAL_CHANNEL)
    announced = "Sofia Berg har godkänt minnesanteckningarna för fredag 20 november 2026 (version 1)"
    chat.wait_for_text(chat.bot_message_with(announced), announced)
    shown = chat.wait_for_text(chat.bot_message_with(MINUTES_TITLE), NOTE)
    assert DECISION in shown and "Godkänt (version 1) av Sofia Berg" in shown
    chat.screenshot("cycle-15-channel-minutes")


# Peter again: a member reads the confirmed minutes --------------------------------------------
def test_peter_reads_the_confirmed_minutes(cycle: Cycle) -> None:
    cycle.sign_in_as("peter")
    chat = cycle.chat
    minutes = chat.send("protokoll")[-1]
    card = minutes.locator(ADAPTIVE_CARD)
    assert card.locator(CARD_HEADING).first.inner_text().strip() == MINUTES_TITLE
    shown = card.inner_text()
    for expected in (NOTE, DECISION, ACTION, "Godkänt (version 1) av Sofia Berg"):
        assert expected in shown, f"{expected!r} missing:\n{shown}"
    assert card.locator(CARD_TEXTAREA).count() == 0
    for button in ("Godkänn protokoll", "Spara utkast", "Rätta protokollet"):
        assert card.get_by_role("button", name=button, exact=True).count() == 0, button
    chat.screenshot("cycle-16-member-minutes")
