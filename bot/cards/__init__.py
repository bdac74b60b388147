"""Adaptive Cards, built by pure functions from plain values (no I/O, no TurnContext).

Cards target version 1.5 (the newest Teams renders for bots). Buttons carry
``{"action": <verb>, ...}`` with verbs from ``bot.routing``. ``execute`` buttons are
``Action.Execute`` (an ``adaptiveCard/action`` invoke, so the card can be updated in place);
clients that lack it fall back to the same data as an ``Action.Submit``.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from bot.text import wire_size

CARD_VERSION = "1.5"
SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"

Element = dict[str, Any]

# The key every button's data carries with the network (team key) it acts on: in a 1:1 chat a
# person in two networks gets cards from both, and only the card knows which one it is about.
NETWORK = "network"
_BUTTONS = ("Action.Execute", "Action.Submit")

# Teams refuses an activity over about 28 KB of JSON as sent (escaped: "å" is six bytes, an emoji
# twelve). A card stays below this, whatever people stored in the records it shows.
MAX_CARD_BYTES = 24_000
# A text is never cut below this (a card that still does not fit has too many texts, not long ones).
_MIN_CUT = 120


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


def card_size(card: dict[str, Any]) -> int:
    return wire_size(card)


def clip(value: str, max_bytes: int) -> str:
    """``value`` cut (with "…") so that it takes at most ``max_bytes`` of escaped JSON."""
    if wire_size(value) <= max_bytes:
        return value
    room = max_bytes - wire_size("…")
    low, high = 0, len(value)  # the longest prefix that fits: a binary search, each step one json.dumps
    while low < high:
        middle = (low + high + 1) // 2
        if wire_size(value[:middle]) <= room:
            low = middle
        else:
            high = middle - 1
    # Never end on a backslash that ``escape`` put before a markup character.
    return value[:low].rstrip().rstrip("\\") + "…"


def outgoing(card: dict[str, Any], network: str) -> dict[str, Any]:
    """The card as it is sent: its buttons name ``network``, and it fits in a Teams message."""
    return fit(for_network(card, network))


def fit(card: dict[str, Any], budget: int = MAX_CARD_BYTES) -> dict[str, Any]:
    """``card``, or a copy whose longest texts are shortened until it takes at most ``budget``
    bytes. The cards page and shorten their lists themselves; this is the guarantee behind them,
    for a record stored before the limits or a card that forgot one. Inputs are never cut: a
    shortened value would be saved shortened."""
    size = card_size(card)
    if size <= budget:
        return card
    card = copy.deepcopy(card)
    texts: list[tuple[dict[str, Any], str]] = []
    _collect_texts(card, texts)
    for _ in range(len(texts) * 4):
        over = size - budget
        if over <= 0 or not texts:
            break
        holder, key = max(texts, key=lambda entry: wire_size(entry[0][entry[1]]))
        current = wire_size(holder[key])
        if current <= _MIN_CUT:
            break
        holder[key] = clip(holder[key], max(_MIN_CUT, current - over - 16))
        size = card_size(card)
    return card


def _collect_texts(value: Any, out: list[tuple[dict[str, Any], str]]) -> None:
    if isinstance(value, list):
        for item in value:
            _collect_texts(item, out)
        return
    if not isinstance(value, dict):
        return
    kind = value.get("type")
    if kind == "TextBlock" and isinstance(value.get("text"), str):
        out.append((value, "text"))
    elif kind is None and isinstance(value.get("title"), str) and isinstance(value.get("value"), str):
        out.append((value, "value"))  # a FactSet's fact
    if kind in _BUTTONS or (isinstance(kind, str) and kind.startswith("Input.")):
        return  # button data and what people type are never cut
    for item in value.values():
        _collect_texts(item, out)


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
        # Lists, numbered lists and headings start a line: "- ", "+ ", "1. ", "1) ", "# ". Adaptive
        # Cards show a backslash there as typed ("2\. Laget runt"), so an invisible zero-width
        # space before the marker keeps it text; "21.45" or "-5" is no marker and stays as it is.
        line = _LINE_START_MARKUP.sub("\\g<1>\u200b", line)
        # {{DATE(...)}} and {{TIME(...)}} are card functions; a zero-width space keeps them as typed.
        escaped.append(line.replace("{{", "{\u200b{"))
    return "\n\n".join(escaped)


_INLINE_MARKUP = re.compile(r"[\\`*_\[\]<>~|&]")
_LINE_START_MARKUP = re.compile(r"^(\s*)(?=(?:[-+]|#{1,6}|[0-9]+[.)])(?:\s|$))")


def plain_text(markdown: str) -> str:
    """A chat reply as plain text, for places Teams shows without rendering markdown (the short
    message that answers a card button): **bold** and *italic* marks and ``escape``'s
    backslashes go, links become "text (address)"."""
    value = _LINK.sub(r"\1 (\2)", markdown)
    value = _BOLD.sub(r"\1", value)
    value = _ITALIC.sub(r"\1", value)
    value = _ESCAPED.sub(r"\1", value)
    value = _LINE_START_SPACE.sub(r"\1", value)
    return value.replace("{\u200b{", "{{")


_LINK = re.compile(r"(?<!\\)\[([^\]\n]+)\]\((https?://[^)\s]+)\)")
_BOLD = re.compile(r"(?<!\\)\*\*(?=\S)(.+?)(?<=[^\s\\])\*\*")
_ITALIC = re.compile(r"(?<![\\\w*])\*(?=[^\s*])(.+?)(?<=[^\s\\*])\*(?![\w*])")
_LINE_START_SPACE = re.compile(r"^(\s*)\u200b", re.MULTILINE)
_ESCAPED = re.compile(r"\\([\\`*_\[\]<>~|&#+\-.)])")
