"""Driving the Microsoft 365 Agents Playground (0.2.28) page in headless Chromium.

The selectors below were read from the Playground's rendered page (Fluent UI; the generated
class names like ``___1kswtok`` change between versions, so none of those are used).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page, Route

from bot.dev import devrun

# Selectors ------------------------------------------------------------------------------------
COMPOSE_BOX = 'div[role="textbox"][data-lexical-editor="true"]'  # Lexical editor, not an <input>
SEND_BUTTON = 'button[aria-label="Send Message"]'
BOT_MESSAGE = ".fai-OutputCard"  # one per message the bot posted (text or card) in a chat
# In a channel the bot's messages are posts (cards with its avatar in the header) or replies
# under a post (its avatar beside the reply). Newest posts come first there.
_BOT_AVATAR = f'span[role="img"][aria-label="{devrun.BOT_NAME}"]'
CHANNEL_BOT_POST = f'.fui-Card[role="group"]:has(> .fui-CardHeader {_BOT_AVATAR})'
CHANNEL_BOT_REPLY = f'.fui-Card[role="group"] div:not(.fui-CardHeader__header):has(> div > {_BOT_AVATAR})'
POST_BUTTON = 'button.fui-Button:text-is("Post")'
MESSAGE_HEADER = '[aria-label="Message header"]'  # every message; the bot's also have a "Message author"
ADAPTIVE_CARD = ".ac-adaptiveCard"
CARD_HEADING = '.ac-textBlock[role="heading"]'
CARD_TEXT = ".ac-textBlock"
# The Playground renders card buttons and inputs with Fluent UI: a button's aria-label is its
# title; a multi-line Input.Text is a <textarea>.
CARD_BUTTON = 'button[role="button"][title]'
CARD_TEXTAREA = "textarea"
MENTION_SUGGESTION = 'div[role="menuitem"]'  # the list that opens after typing @
HIDE_LOG_PANEL = 'button[title="Hide log panel"]'

# Conversations in the left rail, by their accessible names (see bot/dev/devrun.playground_config).
PERSONAL_CHAT = "Personal Chat"
GROUP_CHAT = devrun.GROUP_CHAT_NAME
GENERAL_CHANNEL = f"{devrun.TEAM_NAME} - General"
MEETINGS_CHANNEL = f"{devrun.TEAM_NAME} - Möten"
_SEEN = "data-e2e-seen"

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
DOCS_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def find_chromium() -> str | None:
    """Debian's Chromium, or exactly ``$SKIS_CHROMIUM`` when that is set; None when there is none."""
    explicit = os.environ.get("SKIS_CHROMIUM")
    candidates = (explicit,) if explicit else ("/usr/bin/chromium", "chromium", "chromium-browser")
    for candidate in candidates:
        found = shutil.which(candidate)
        if found:
            return found
    return None


_SWEDISH_WORDS = frozenset(
    "och att är inte det jag du för med som har på till kan skriv inga inget möte möten nästa hjälp".split()
)


def looks_swedish(text: str) -> bool:
    """A rough check that a reply is Swedish: Swedish letters or common Swedish words."""
    if re.search(r"[åäöÅÄÖ]", text):
        return True
    return len(_SWEDISH_WORDS & set(re.findall(r"\w+", text.lower()))) >= 2


@dataclass
class PlaygroundChat:
    """One Playground page: open conversations, type as the current person, read what the bot shows."""

    page: Page
    base_url: str
    artifacts: Path = ARTIFACTS
    reply_timeout: float = 20.0
    quiet: float = 0.7  # a reply is complete once no new bot message came for this long
    in_channel: bool = False

    # Page ---------------------------------------------------------------------------------
    def open(self) -> None:
        """Load the Playground (which installs the bot in the personal chat) and wait until it is usable."""
        self.page.context.route("**/*", _loopback_only)
        self.page.goto(self.base_url)
        self._ready()

    def _ready(self) -> None:
        self.page.locator(COMPOSE_BOX).first.wait_for(timeout=30_000)
        # The log panel comes up a moment after the chat; hidden, the conversation gets its width.
        hide = self.page.locator(HIDE_LOG_PANEL).first
        try:
            hide.wait_for(timeout=5_000)
            hide.click()
        except PlaywrightError:
            pass  # already hidden

    def reopen(self) -> None:
        """Load the page again (after the Playground restarted as someone else): the personal chat is open."""
        self.page.goto(self.base_url)
        self.in_channel = False
        self._ready()

    def open_conversation(self, name: str) -> None:
        """Switch to a conversation in the left rail (opening one installs the bot there).

        ``name``: PERSONAL_CHAT, GROUP_CHAT, GENERAL_CHANNEL or MEETINGS_CHANNEL."""
        self.page.locator(f'button[role="treeitem"][aria-label="{name}"]').click()
        self.in_channel = name.startswith(f"{devrun.TEAM_NAME} - ")
        self.page.locator(COMPOSE_BOX).first.wait_for()

    def screenshot(self, name: str, *, publish_as: str | None = None, element: Locator | None = None) -> Path:
        """Save the page to the artifacts folder; with ``SKIS_E2E_PUBLISH=1`` also to docs/screenshots.

        With ``element`` (a message), the published picture is that message alone, which keeps it small."""
        self.artifacts.mkdir(parents=True, exist_ok=True)
        path = self.artifacts / f"{name}.png"
        self.page.screenshot(path=str(path))
        if element is not None:
            crop = self.artifacts / f"{name}-message.png"
            self._element_screenshot(element, crop)
        if publish_as and os.environ.get("SKIS_E2E_PUBLISH") == "1":
            DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            _publish(crop if element is not None else path, DOCS_SCREENSHOTS / publish_as)
        return path

    def _element_screenshot(self, element: Locator, path: Path) -> None:
        # A message taller than the window would be pictured with the page's header over it:
        # make the window tall enough for a moment.
        size = self.page.viewport_size or {"width": 1280, "height": 1400}
        box = element.bounding_box()
        needed = int(box["height"]) + 300 if box else size["height"]
        if needed > size["height"]:
            self.page.set_viewport_size({"width": size["width"], "height": needed})
        try:
            element.scroll_into_view_if_needed()
            element.screenshot(path=str(path))
        finally:
            self.page.set_viewport_size(size)

    # Reading ------------------------------------------------------------------------------
    def _selectors(self, *, unseen: bool = False) -> str:
        parts = [CHANNEL_BOT_POST, CHANNEL_BOT_REPLY] if self.in_channel else [BOT_MESSAGE]
        return ", ".join(f"{p}:not([{_SEEN}])" if unseen else p for p in parts)

    def bot_messages(self) -> Locator:
        """Every bot message in the open conversation (in a channel: posts and replies)."""
        return self.page.locator(self._selectors())

    def wait_for_bot_messages(self, count: int) -> list[Locator]:
        """Wait until the open conversation shows at least ``count`` bot messages; return them all."""
        return self._wait_for(self.bot_messages(), count)

    def bot_message_with(self, text: str) -> Locator:
        """The newest bot message in the open conversation that shows ``text`` (a stable handle to a card)."""
        return self.bot_messages().filter(has_text=text).last

    def wait_for_text(self, where: Locator, text: str, timeout: float | None = None) -> str:
        """Wait until ``where`` shows ``text`` (e.g. a card's answer to a click); return all it shows."""
        deadline = time.monotonic() + (timeout or self.reply_timeout)
        shown = ""
        while True:
            try:
                shown = where.inner_text(timeout=1_000) if where.count() else ""
            except PlaywrightError:
                shown = ""  # re-rendered while being read: look again
            if text in shown:
                return shown
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} did not appear in time. It shows:\n{shown}\n"
                                     f"All the bot's messages here:\n{self.transcript()}")
            self.page.wait_for_timeout(100)

    def transcript(self) -> str:
        """Every bot message's text, for failure messages."""
        return "\n---\n".join(m.inner_text() for m in self.bot_messages().all())

    # Writing ------------------------------------------------------------------------------
    def send(self, text: str, *, mention_bot: bool = False) -> list[Locator]:
        """Write ``text`` as the current person and send it; return the bot's new messages.

        In a chat it goes in the compose box (Enter); in a channel it is a new post. A group chat
        or channel needs ``mention_bot`` (an @mention of the bot before the text), as in Teams."""
        self.mark_seen()
        self.page.locator(COMPOSE_BOX).first.click()  # in a channel: the "Start a new post" box
        if mention_bot:
            self.page.keyboard.type("@")
            self.page.locator(MENTION_SUGGESTION, has_text=devrun.BOT_NAME).first.click()
            self.page.keyboard.type(" ")
        self.page.keyboard.type(text)
        if self.in_channel:
            self.page.locator(POST_BUTTON).first.click()
        else:
            self.page.keyboard.press("Enter")
        return self.new_bot_messages()

    def click(self, message: Locator, button: str) -> None:
        """Press the card button titled ``button`` in ``message``, as the current person."""
        message.get_by_role("button", name=button, exact=True).click()

    def fill(self, message: Locator, after: str, value: str) -> Locator:
        """Type ``value`` into the first card text box that comes after the text ``after`` in ``message``."""
        box = message.locator(f"xpath=.//*[contains(normalize-space(.), {_xpath_literal(after)})]"
                              f"/following::{CARD_TEXTAREA}[1]").first
        box.fill(value)
        return box

    def send_as(self, person: str, text: str, conversation_id: str, *, mention_bot: bool = False) -> list[Locator]:
        """Send ``text`` as another mock person, the way the Playground's "Mock an Activity >
        Custom activity" does (the page shows only the bot's answer); return the bot's new messages.

        ``mention_bot`` puts an @mention of the bot first, as Teams does when a person picks it:
        in a group chat or channel the bot answers only a message that mentions it (or an answer
        to its own open question)."""
        self.mark_seen()
        activity = self._api("GET", f"/_internal/v1/customActivities/template?conversationId={conversation_id}")
        activity.update(type="message", text=text, textFormat="plain", locale="sv-SE")
        if mention_bot:
            bot = activity.get("recipient") or {}
            tag = f"<at>{bot.get('name') or 'SKIS-boten'}</at>"
            activity["text"] = f"{tag} {text}"
            activity["entities"] = [*(activity.get("entities") or []),
                                    {"type": "mention", "text": tag, "mentioned": {"id": bot.get("id"), "name": bot.get("name")}}]
        activity["from"] = devrun.mock_user(person).account()
        self._api("POST", "/_internal/v1/customActivities", activity)
        return self.new_bot_messages()

    def conversation_ids(self) -> dict[str, str]:
        """The Playground's conversation ids: personal, group and team (the General channel)."""
        config = self._api("GET", "/_internal/v1/config")["config"]
        return {"personal": config["personalChat"]["id"], "group": config["groupChats"][0]["id"],
                "team": devrun.TEAM_ID}

    def mark_seen(self) -> None:
        """Mark the bot messages shown now; ``new_bot_messages`` then waits for the ones after."""
        # Marks what is on the page now, so the reply is what is unmarked later: counting would not
        # do in a channel, where new posts come first.
        self.page.eval_on_selector_all(self._selectors(), f"els => els.forEach(e => e.setAttribute('{_SEEN}', ''))")

    def new_bot_messages(self) -> list[Locator]:
        """Wait for bot messages not marked by ``mark_seen`` (at least one, then until none come)."""
        new = self.page.locator(self._selectors(unseen=True))
        count = len(self._wait_for(new, 1))
        # The bot may answer with several messages: wait until none has come for a moment.
        settled_at = time.monotonic()
        while time.monotonic() - settled_at < self.quiet:
            self.page.wait_for_timeout(100)
            now = new.count()
            if now != count:
                count, settled_at = now, time.monotonic()
        return [new.nth(i) for i in range(new.count())]

    def _wait_for(self, messages: Locator, count: int) -> list[Locator]:
        deadline = time.monotonic() + self.reply_timeout
        while messages.count() < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"the bot showed {messages.count()} new messages, expected {count}. "
                                     f"All its messages here:\n{self.transcript()}")
            self.page.wait_for_timeout(100)
        return [messages.nth(i) for i in range(messages.count())]

    def _api(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base_url.rstrip("/") + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            payload = response.read()
        return json.loads(payload) if payload else None


def _loopback_only(route: Route) -> None:
    # The page asks a CDN for fonts; nothing leaves this machine in the tests.
    host = urlsplit(route.request.url).hostname or ""
    if host in ("localhost", "127.0.0.1", "::1") or route.request.url.startswith(("data:", "blob:")):
        route.continue_()
    else:
        route.abort()


def _publish(source: Path, target: Path) -> None:
    """Copy a screenshot for the docs, as a smaller PNG (a 256-colour palette is plenty for a chat)."""
    from PIL import Image, ImageOps

    with Image.open(source) as image:
        framed = ImageOps.expand(image.convert("RGB"), border=12, fill="white")
        framed.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(target, optimize=True)


def _xpath_literal(text: str) -> str:
    if "'" not in text:
        return f"'{text}'"
    if '"' not in text:
        return f'"{text}"'
    return "concat(" + ", \"'\", ".join(f"'{part}'" for part in text.split("'")) + ")"


def texts(messages: list[Locator]) -> str:
    """The visible text of ``messages``, joined."""
    return "\n".join(m.inner_text() for m in messages)


# The stack and the page --------------------------------------------------------------------
@contextmanager
def running_stack(workdir: Path, log_dir: Path, **options: Any) -> Iterator[devrun.DevStack]:
    """A DevStack on free ports with its data in ``workdir``; ``options`` go to DevStack."""
    stack = devrun.DevStack(workdir=workdir, data_dir=workdir / "data", bot_port=devrun.free_port(),
                            playground_port=0, log_dir=log_dir, **options)
    try:
        stack.start(timeout=90)
    except devrun.DevRunError as exc:
        pytest.fail(f"could not start the bot and the Playground: {exc}\n{_log_tails(log_dir)}")
    try:
        yield stack
    finally:
        stack.stop()


@contextmanager
def open_chat(browser: Any, url: str, artifacts: Path) -> Iterator[PlaygroundChat]:
    """The Playground at ``url`` in a new browser context, loaded and ready to type in."""
    # English UI (the selectors use the Playground's English labels); times shown in Swedish time.
    context = browser.new_context(viewport={"width": 1280, "height": 1400}, locale="en-US",
                                  timezone_id="Europe/Stockholm")
    page = context.new_page()
    chat = PlaygroundChat(page, url, artifacts)
    try:
        chat.open()
        yield chat
    finally:
        context.close()


def _log_tails(log_dir: Path, lines: int = 30) -> str:
    parts = []
    for log in sorted(log_dir.glob("*.log")):
        tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
        parts.append(f"--- {log.name} ---\n" + "\n".join(tail))
    return "\n".join(parts)
