"""The edge where a Teams message's text becomes what the features read.

Teams sends ``text`` as HTML whenever a person formats anything (``<p>möten</p>``, ``<div>``,
``<strong>``, ``<br>``), and even a plain message carries entities (``&nbsp;``, ``&amp;``) and
``<at>Name</at>`` mentions. ``read_activity`` turns all of that into the plain text the person
wrote, once per turn: line breaks kept, entities decoded, the bot's own mention removed,
people's kept as ``@Name`` (with the list of who they are), odd spaces made ordinary.
Everything after the edge (routing, dialogs, storage) reads only that plain text.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any


@dataclass(frozen=True)
class Mention:
    id: str  # the mentioned account's Teams id ("29:...")
    name: str
    aad_object_id: str | None = None


# Elements that start a new line when rendered; <br> is handled on its own (each one is a line).
_BLOCKS = frozenset(
    {"p", "div", "li", "ul", "ol", "tr", "table", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "hr"}
)
# Content never shown to the person.
_HIDDEN = frozenset({"script", "style", "head", "title"})
# Spaces a client types or pastes that should read as one ordinary space (non-breaking ones come
# from Teams' "&nbsp;" after a mention or at the end of a line).
_SPACES = dict.fromkeys(map(ord, "\xa0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"), " ")
# Zero-width spaces (copied from web pages and Word, or left by Teams around a mention): removed.
# Zero-width (non-)joiners stay: they are part of emoji and of some names.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u2060\ufeff"), None)


@dataclass(frozen=True)
class _AtTag:
    name: str


class _PlainText(HTMLParser):
    """Collects the text of an HTML fragment as lines, with each ``<at>`` tag kept apart."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str | _AtTag] = []
        self._at: list[str] | None = None
        self._hidden = 0
        self._links: list[tuple[str | None, int]] = []
        self._break = False
        self._any = False  # whether anything has been written yet

    # A block boundary asks for a line break before the next text; several in a row give one.
    def _text(self, text: str) -> None:
        if self._break:
            if "\n" in text and not text.strip(" \t\r\n"):
                return  # the source's own line breaks between blocks
            if self._written():
                self.parts.append("\n")
            self._break = False
        self.parts.append(text)
        self._any = self._any or bool(text)

    def _written(self) -> bool:
        return self._any and self.parts[-1] != "\n"

    def finish(self) -> list[str | _AtTag]:
        """The parts, once the whole fragment is fed; an ``<at>`` never closed keeps its words."""
        self.close()
        if self._at:
            self._text("".join(self._at))
            self._at = None
        return self.parts

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "at":
            self._at = []
        elif tag == "br":
            self._break = False
            self.parts.append("\n")
        elif tag in _HIDDEN:
            self._hidden += 1
        elif tag in _BLOCKS:
            self._break = True
        elif tag in ("img", "emoji") and values.get("alt"):
            self.handle_data(values["alt"] or "")
        elif tag == "a":
            self._links.append((values.get("href"), len(self.parts)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            return
        self.handle_starttag(tag, attrs)
        if tag in _HIDDEN:
            self._hidden -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "at" and self._at is not None:
            if self._break and self._written():
                self.parts.append("\n")
            self._break = False
            self.parts.append(_AtTag("".join(self._at).translate(_INVISIBLE).translate(_SPACES).strip()))
            self._any = True
            self._at = None
        elif tag in _HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BLOCKS:
            self._break = True
        elif tag == "a" and self._links:
            href, start = self._links.pop()
            # A link whose text hides the address (a Teams meeting link as "Anslut här") keeps
            # the address too: it is what the person meant to give.
            shown = "".join(p for p in self.parts[start:] if isinstance(p, str))
            if href and href.startswith(("http://", "https://")) and href not in shown:
                self.parts.append(f" ({href})")

    def handle_data(self, data: str) -> None:
        if self._hidden:
            return
        if self._at is not None:
            self._at.append(data)
            return
        self._text(data)


def _parse(text: str) -> list[str | _AtTag]:
    parser = _PlainText()
    parser.feed(text.replace("\r\n", "\n"))
    return [p.translate(_INVISIBLE).translate(_SPACES) if isinstance(p, str) else p for p in parser.finish()]


def plain_text(text: str | None) -> str:
    """``text`` (HTML or plain) as plain text, every ``<at>`` mention removed."""
    return read_mentions(text, None, None)[0]


def read_mentions(text: str | None, entities: list[Any] | None, bot_id: str | None) -> tuple[str, list[Mention]]:
    """The message as plain text with the bot's mention removed and people's ``<at>Name</at>`` as
    ``@Name``, plus the people mentioned, in order."""
    people: list[Mention] = []
    bot_names: set[str] = set()
    for entity in entities or []:
        data = entity if isinstance(entity, dict) else _as_dict(entity)
        if data.get("type") != "mention":
            continue
        mentioned = data.get("mentioned") or {}
        tags = [p for p in _parse(data.get("text") or "") if isinstance(p, _AtTag)]
        inner = tags[0].name if tags else ""
        if bot_id and mentioned.get("id") == bot_id:
            bot_names.add(inner)
            continue
        if mentioned.get("id"):
            people.append(
                Mention(
                    id=mentioned["id"],
                    name=inner or mentioned.get("name") or "",
                    aad_object_id=mentioned.get("aadObjectId") or mentioned.get("aad_object_id"),
                )
            )
    person_names = {p.name for p in people} - bot_names

    # Only the gap a removed mention leaves is tidied: the rest of the text (a check-in answer's
    # own spacing and line breaks) is kept exactly as written.
    pieces: list[str] = []
    removed_before = False
    for part in _parse(text or ""):
        if isinstance(part, str):
            pieces.append(part.lstrip(" \t") if removed_before else part)
            removed_before = removed_before and not pieces[-1]
            continue
        # An <at> tag that names no mentioned person is the bot's own (some clients omit entities).
        if part.name and part.name in person_names:
            pieces.append(f"@{part.name}")
            removed_before = False
            continue
        _trim_end(pieces)
        if pieces and pieces[-1] and not pieces[-1].endswith("\n"):
            pieces.append(" ")  # one space where the mention was, never two
        removed_before = True
    lines = "".join(pieces).split("\n")
    # A line of nothing but spaces (an empty paragraph "<p>&nbsp;</p>") is an empty line.
    return "\n".join(line if line.strip() else "" for line in lines).strip(), people


def _trim_end(pieces: list[str]) -> None:
    while pieces and not pieces[-1].rstrip(" \t"):
        pieces.pop()
    if pieces:
        pieces[-1] = pieces[-1].rstrip(" \t")


def addressed_to_bot(activity: Any) -> bool:
    """Whether a message @mentions the bot (an ``<at>`` tag that names no mentioned person is the
    bot's own, as in ``read_mentions``)."""
    recipient = getattr(activity, "recipient", None)
    bot_id = recipient.id if recipient else None
    people: set[str] = set()
    for entity in getattr(activity, "entities", None) or []:
        data = entity if isinstance(entity, dict) else _as_dict(entity)
        mentioned = data.get("mentioned") or {}
        if data.get("type") != "mention" or not mentioned.get("id"):
            continue
        if bot_id and mentioned["id"] == bot_id:
            return True
        tags = [p for p in _parse(data.get("text") or "") if isinstance(p, _AtTag)]
        people.add(tags[0].name if tags else mentioned.get("name") or "")
    return any(isinstance(p, _AtTag) and p.name not in people for p in _parse(getattr(activity, "text", None) or ""))


def read_activity(activity: Any) -> tuple[str, list[Mention]]:
    """What a message activity says, as plain text, and the people it mentions."""
    recipient = getattr(activity, "recipient", None)
    return read_mentions(getattr(activity, "text", None), list(getattr(activity, "entities", None) or []), recipient.id if recipient else None)


def _as_dict(entity: Any) -> dict[str, Any]:
    props = getattr(entity, "additional_properties", None) or {}
    result = {"type": getattr(entity, "type", None), **props}
    return result
