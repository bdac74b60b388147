"""Adaptive Cards, built by pure functions from plain values (no I/O, no TurnContext).

Cards target version 1.5 (the newest Teams renders for bots). Buttons carry
``{"action": <verb>, ...}`` with verbs from ``bot.routing``. ``execute`` buttons are
``Action.Execute`` (an ``adaptiveCard/action`` invoke, so the card can be updated in place);
clients that lack it fall back to the same data as an ``Action.Submit``.
"""

from __future__ import annotations

import re
from typing import Any

CARD_VERSION = "1.5"
SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"

Element = dict[str, Any]

# The key every button's data carries with the network (team key) it acts on: in a 1:1 chat a
# person in two networks gets cards from both, and only the card knows which one it is about.
NETWORK = "network"
_BUTTONS = ("Action.Execute", "Action.Submit")


def adaptive_card(
    body: list[Element],
    actions: list[Element] | None = None,
    *,
    refresh: Element | None = None,
    full_width: bool = True,
) -> dict[str, Any]:
    card: dict[str, Any] = {"type": "AdaptiveCard", "$schema": SCHEMA, "version": CARD_VERSION, "body": body}
    if actions:
        card["actions"] = actions
    if refresh:
        card["refresh"] = refresh
    if full_width:
        card["msteams"] = {"width": "Full"}
    return card


def heading(text: str, *, size: str = "Large") -> Element:
    return {"type": "TextBlock", "text": text, "size": size, "weight": "Bolder", "wrap": True, "style": "heading"}


def subheading(text: str) -> Element:
    return {"type": "TextBlock", "text": text, "weight": "Bolder", "wrap": True, "spacing": "Medium"}


def text(value: str, *, subtle: bool = False, spacing: str | None = None) -> Element:
    block: Element = {"type": "TextBlock", "text": value, "wrap": True}
    if subtle:
        block["isSubtle"] = True
    if spacing:
        block["spacing"] = spacing
    return block


def facts(pairs: list[tuple[str, str]]) -> Element:
    return {"type": "FactSet", "facts": [{"title": k, "value": v} for k, v in pairs]}


def bullet_list(items: list[str]) -> Element:
    return text("\n".join(f"- {item}" for item in items)) if items else text("–", subtle=True)


def submit(title: str, verb: str, *, style: str | None = None, **data: Any) -> Element:
    action: Element = {"type": "Action.Submit", "title": title, "data": {"action": verb, **data}}
    if style:
        action["style"] = style
    return action


def execute(title: str, verb: str, *, style: str | None = None, **data: Any) -> Element:
    action: Element = {
        "type": "Action.Execute",
        "title": title,
        "verb": verb,
        "data": {"action": verb, **data},
        "fallback": submit(title, verb, **data),
    }
    if style:
        action["style"] = style
    return action


def for_network(card: dict[str, Any], network: str) -> dict[str, Any]:
    """A copy of ``card`` where every button (fallbacks, refresh, shown cards included) carries
    ``network``; the bot acts there and nowhere else when it is clicked."""
    return _stamp(card, network)


def _stamp(value: Any, network: str) -> Any:
    if isinstance(value, list):
        return [_stamp(v, network) for v in value]
    if not isinstance(value, dict):
        return value
    stamped = {k: _stamp(v, network) for k, v in value.items()}
    if stamped.get("type") in _BUTTONS and isinstance(stamped.get("data"), dict):
        stamped["data"] = {**stamped["data"], NETWORK: network}
    return stamped


def escape(value: str) -> str:
    """Text people typed, made safe for a TextBlock or a chat message: no markdown or HTML takes effect."""
    # Teams renders a markdown subset. A backslash before a markup character shows it literally;
    # only characters that can start markup are escaped, so ordinary punctuation ("Skövde-Tibro.")
    # stays readable in clients that show the backslashes. A single line break is ignored outside
    # lists, so each one becomes a paragraph break ("\n\n") to keep people's lines as they wrote them.
    lines = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    escaped = []
    for line in lines:
        line = _INLINE_MARKUP.sub(r"\\\g<0>", line)
        # Lists, numbered lists and headings start a line: "- ", "+ ", "1. ", "1) ", "# ".
        line = _LINE_START_MARKUP.sub(_escape_line_start, line)
        # {{DATE(...)}} and {{TIME(...)}} are card functions; a zero-width space keeps them as typed.
        escaped.append(line.replace("{{", "{\u200b{"))
    return "\n\n".join(escaped)


_INLINE_MARKUP = re.compile(r"[\\`*_\[\]<>~|&]")
_LINE_START_MARKUP = re.compile(r"^(\s*)(?:([-+#])|([0-9]+)([.)]))")


def _escape_line_start(match: re.Match[str]) -> str:
    indent, marker, digits, dot = match.groups()
    return f"{indent}\\{marker}" if marker else f"{indent}{digits}\\{dot}"


def plain_text(markdown: str) -> str:
    """A chat reply as plain text, for places Teams shows without rendering markdown (the short
    message that answers a card button): **bold** and *italic* marks and ``escape``'s
    backslashes go, links become "text (address)"."""
    value = _LINK.sub(r"\1 (\2)", markdown)
    value = _BOLD.sub(r"\1", value)
    value = _ITALIC.sub(r"\1", value)
    value = _ESCAPED.sub(r"\1", value)
    return value.replace("{\u200b{", "{{")


_LINK = re.compile(r"(?<!\\)\[([^\]\n]+)\]\((https?://[^)\s]+)\)")
_BOLD = re.compile(r"(?<!\\)\*\*(?=\S)(.+?)(?<=[^\s\\])\*\*")
_ITALIC = re.compile(r"(?<![\\\w*])\*(?=[^\s*])(.+?)(?<=[^\s\\*])\*(?![\w*])")
_ESCAPED = re.compile(r"\\([\\`*_\[\]<>~|&#+\-.)])")
