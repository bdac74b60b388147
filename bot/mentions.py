"""Reading @mentions out of a Teams message: the bot's own is dropped, people's are kept."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Mention:
    id: str  # the mentioned account's Teams id ("29:...")
    name: str
    aad_object_id: str | None = None


_AT_TAG = re.compile(r"<at[^>]*>(.*?)</at>", re.IGNORECASE | re.DOTALL)


def read_mentions(text: str | None, entities: list[Any] | None, bot_id: str | None) -> tuple[str, list[Mention]]:
    """The message text with the bot's mention removed and people's ``<at>Name</at>`` as ``@Name``,
    plus the people mentioned, in order."""
    text = text or ""
    people: list[Mention] = []
    bot_names: set[str] = set()
    for entity in entities or []:
        data = entity if isinstance(entity, dict) else _as_dict(entity)
        if data.get("type") != "mention":
            continue
        mentioned = data.get("mentioned") or {}
        tag_text = data.get("text") or ""
        inner = _AT_TAG.sub(r"\1", tag_text).strip()
        if bot_id and mentioned.get("id") == bot_id:
            bot_names.add(inner)
            continue
        if mentioned.get("id"):
            people.append(
                Mention(
                    id=mentioned["id"],
                    name=html.unescape(inner or mentioned.get("name") or ""),
                    aad_object_id=mentioned.get("aadObjectId") or mentioned.get("aad_object_id"),
                )
            )

    person_names = {p.name for p in people}

    # Only the gap a removed mention leaves is tidied: the rest of the text (a check-in answer's
    # own spacing and line breaks) is kept exactly as typed.
    pieces: list[str] = []
    removed_before = False
    position = 0
    for match in _AT_TAG.finditer(text):
        before = text[position : match.start()]
        if removed_before:
            before = before.lstrip(" \t")
        inner = html.unescape(match.group(1).strip())
        # An <at> tag that names no mentioned person is the bot's own (some clients omit entities).
        if inner and inner in person_names and inner not in bot_names:
            pieces += [before, f"@{inner}"]
            removed_before = False
        else:
            pieces.append(before.rstrip(" \t"))
            if pieces[-1] or (len(pieces) > 1 and pieces[-2] != " "):
                pieces.append(" ")  # one space where the mention was, never two
            removed_before = True
        position = match.end()
    rest = text[position:]
    pieces.append(rest.lstrip(" \t") if removed_before else rest)
    return "".join(pieces).strip(), people


def _as_dict(entity: Any) -> dict[str, Any]:
    props = getattr(entity, "additional_properties", None) or {}
    result = {"type": getattr(entity, "type", None), **props}
    return result
