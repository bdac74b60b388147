"""The minutes as one plain document, built from a meeting's records (pure: no I/O, no clock).

The document (``content``) is a JSON-ready dict in the layout of the network's own minutes:
heading (the network's name, date, time, place, Ordförande and Sekreterare), Närvarande (members,
then guests), Incheckning, the agenda items with their notes and decisions (Laget runt,
Uppföljning, the meeting's own items, Övriga frågor), Övriga beslut (those under no item), Uppdrag,
Kommande möten, Utcheckning. Dates and names are already written out in Swedish, so a confirmed
version's hash covers exactly what people read. When printed (``sections``), agenda items with
nothing under them are left out and the agenda's headings are numbered as printed, from 1.

What the secretary types (notes per agenda item, a check-in/check-out summary) is
kept apart as *edits* and laid over the built document with ``apply_edits``; records added later
(a decision, an action item) still reach the draft without losing her text.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot import formatting
from bot.messages import t
from bot.rules.action_items import due_text, owners_text
from bot.rules.decisions import place_decisions
from storage.actions_repo import DONE, ActionItem
from storage.checkins_repo import CheckinAnswer
from storage.decisions_repo import Decision
from storage.meetings_repo import Meeting
from storage.minutes_repo import CONFIRMED, CORRECTING, MinutesDraft, MinutesVersion

FORMAT = 2  # 2: officers, guests marked; 1 had neither (old versions render without them)

# Edit fields besides the per-item notes (``notes_<agenda item key>``).
CHECKIN_SUMMARY = "checkin_summary"
CHECKOUT_SUMMARY = "checkout_summary"
NOTES_PREFIX = "notes_"

MAX_EDIT_CHARS = 20000  # one field; a card or Teams message could not carry more anyway


@dataclass(frozen=True)
class Attendee:
    name: str
    municipality: str | None = None
    substitute_for: str | None = None  # the member this person stood in for
    guest: bool = False  # not in the network's register (a school head, the federation, ...)


@dataclass(frozen=True)
class Officer:
    """Who chaired the meeting or kept the minutes: "Ordförande: Anna Gustafsson, Götene"."""

    role: str  # CHAIR | SECRETARY
    name: str
    municipality: str | None = None


CHAIR = "chair"
SECRETARY = "secretary"


@dataclass(frozen=True)
class AgendaEntry:
    key: str  # the agenda item's id: notes stay with the item when the agenda is reordered
    number: int  # its number as people say it ("punkt 3")
    title: str
    notes: str = ""


@dataclass(frozen=True)
class Upcoming:
    meeting: Meeting
    topics: tuple[str, ...] = ()


@dataclass(frozen=True)
class DraftSources:
    """Everything the draft is built from, read by ``bot.minutes.sources``."""

    network: str
    meeting: Meeting
    tz: ZoneInfo
    attendees: Sequence[Attendee] = ()
    agenda: Sequence[AgendaEntry] = ()
    checkin_question: str = ""
    checkins: Sequence[CheckinAnswer] = ()
    checkout_question: str = ""
    checkouts: Sequence[CheckinAnswer] = ()
    decisions: Sequence[Decision] = ()
    action_items: Sequence[ActionItem] = ()
    upcoming: Sequence[Upcoming] = ()
    municipalities: Mapping[str, str] = field(default_factory=dict)  # member key -> municipality
    officers: Sequence[Officer] = ()
    locale: str = "sv"


def build_draft(src: DraftSources) -> dict[str, Any]:
    """The minutes document for ``src.meeting`` from its records (no edits applied)."""
    meeting, tz, loc = src.meeting, src.tz, src.locale
    start = meeting.starts_at.astimezone(tz)
    end = meeting.ends_at.astimezone(tz) if meeting.ends_at else None
    numbers = {entry.number for entry in src.agenda}
    placed = place_decisions(src.decisions, numbers)
    items = []
    for entry in src.agenda:
        decided = [d for d in src.decisions if placed.get(d.number) == entry.number]
        items.append(
            {
                "key": entry.key,
                "number": entry.number,
                "title": entry.title,
                "notes": entry.notes,
                "decisions": [_decision(d) for d in decided],
            }
        )
    loose = [d for d in src.decisions if placed.get(d.number) is None]
    return {
        "format": FORMAT,
        "network": src.network,
        "meeting_id": meeting.id,
        "date": start.date().isoformat(),
        "date_text": formatting.format_date(start.date(), loc),
        "time_text": formatting.format_time_range(start.time(), end.time() if end else None, loc),
        "place": meeting.location or "",
        "officers": [{"role": o.role, "name": o.name, "municipality": o.municipality or ""} for o in src.officers],
        "attendees": [
            {"name": a.name, "municipality": a.municipality or "", "substitute_for": a.substitute_for or "",
             "guest": a.guest}
            for a in src.attendees
        ],
        "checkin": _round(src.checkin_question, src.checkins, src.municipalities),
        "items": items,
        "decisions": [_decision(d) for d in loose],
        "action_items": [_action(i, tz, loc) for i in src.action_items],
        "upcoming": [_upcoming(u, tz, loc) for u in src.upcoming],
        "checkout": _round(src.checkout_question, src.checkouts, src.municipalities),
    }


def _decision(d: Decision) -> dict[str, Any]:
    return {"number": d.number, "text": d.text}


def _round(question: str, answers: Sequence[CheckinAnswer], municipalities: Mapping[str, str]) -> dict[str, Any]:
    if not question and answers:
        question = answers[0].question
    return {
        "question": question or "",
        "answers": [
            {"name": a.member_name, "municipality": municipalities.get(a.member_key, ""), "answer": a.answer}
            for a in sorted(answers, key=lambda a: a.member_name.casefold())
        ],
        "summary": "",
    }


def _action(item: ActionItem, tz: ZoneInfo, loc: str) -> dict[str, Any]:
    return {
        "number": item.number,
        "title": item.title,
        "owners": owners_text(item.owners, loc),
        "due_text": due_text(item, tz, loc),
        "done": item.status == DONE,
    }


def _upcoming(u: Upcoming, tz: ZoneInfo, loc: str) -> dict[str, Any]:
    start = u.meeting.starts_at.astimezone(tz)
    end = u.meeting.ends_at.astimezone(tz) if u.meeting.ends_at else None
    return {
        "meeting_id": u.meeting.id,
        "date_text": formatting.format_date(start.date(), loc),
        "time_text": formatting.format_time_range(start.time(), end.time() if end else None, loc),
        "place": u.meeting.location or "",
        "topics": list(u.topics),
    }


# Edits ------------------------------------------------------------------------------------------


def edit_fields(content: Mapping[str, Any]) -> list[str]:
    """The names of the fields the secretary can edit in this document, in card order."""
    return [CHECKIN_SUMMARY, *(NOTES_PREFIX + item["key"] for item in content.get("items", [])), CHECKOUT_SUMMARY]


def field_value(content: Mapping[str, Any], name: str) -> str:
    """The current text of an edit field in ``content``."""
    if name == CHECKIN_SUMMARY:
        return content.get("checkin", {}).get("summary", "")
    if name == CHECKOUT_SUMMARY:
        return content.get("checkout", {}).get("summary", "")
    if name.startswith(NOTES_PREFIX):
        key = name[len(NOTES_PREFIX):]
        for item in content.get("items", []):
            if item["key"] == key:
                return item.get("notes", "")
    return ""


def apply_edits(content: Mapping[str, Any], edits: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """``content`` with the secretary's saved texts laid over it (edits for vanished items are kept aside)."""
    out = copy.deepcopy(dict(content))
    for name, entry in edits.items():
        text = entry.get("text", "")
        if name == CHECKIN_SUMMARY:
            out["checkin"]["summary"] = text
        elif name == CHECKOUT_SUMMARY:
            out["checkout"]["summary"] = text
        elif name.startswith(NOTES_PREFIX):
            key = name[len(NOTES_PREFIX):]
            for item in out["items"]:
                if item["key"] == key:
                    item["notes"] = text
    return out


@dataclass(frozen=True)
class MergedEdits:
    edits: dict[str, dict[str, Any]]
    changed: tuple[str, ...]  # fields whose text this submission changed
    conflicts: tuple[str, ...]  # fields someone else changed after the card was made; theirs kept


def merge_edits(
    stored: Mapping[str, Mapping[str, Any]],
    submitted: Mapping[str, Any],
    fields: Sequence[str],
    *,
    card_revision: int,
    current_revision: int,
    content: Mapping[str, Any],
    by: str,
    at: datetime,
) -> MergedEdits:
    """The edits after a card's inputs are saved.

    Only known fields are taken. A field another person saved after ``card_revision`` (the one
    the card showed) is not overwritten: it is reported as a conflict instead, so two secretaries
    never silently erase each other's text.
    """
    edits = {k: dict(v) for k, v in stored.items()}
    changed: list[str] = []
    conflicts: list[str] = []
    for name in fields:
        if name not in submitted or not isinstance(submitted[name], str):
            continue
        text = _clean_input(submitted[name])
        if text == field_value(content, name):
            continue
        earlier = edits.get(name)
        if earlier is not None and int(earlier.get("rev", 0)) > card_revision and earlier.get("by") != by:
            conflicts.append(name)
            continue
        edits[name] = {"text": text, "rev": current_revision + 1, "by": by, "at": at.isoformat()}
        changed.append(name)
    return MergedEdits(edits, tuple(changed), tuple(conflicts))


def _clean_input(text: str) -> str:
    # Teams sends \r\n from some clients; keep one form so an unchanged field compares equal.
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    return text[:MAX_EDIT_CHARS]


# What the renderers and cards are given ------------------------------------------------------


@dataclass(frozen=True)
class Publication:
    """A minutes document with what is known about its state: draft or confirmed version N."""

    content: dict[str, Any]
    status: str  # "draft" | "confirmed"
    version: int | None = None
    revision: int | None = None
    confirmed_by_name: str = ""
    confirmed_at: datetime | None = None
    content_hash: str = ""
    reason: str | None = None
    cosign_required: bool = False
    cosigned_by_name: str = ""
    cosigned_at: datetime | None = None
    superseded_by: int | None = None  # a later confirmed version (rättelse) replaces this one
    corrects_version: int | None = None  # a draft that corrects this confirmed version

    @property
    def confirmed(self) -> bool:
        return self.status == CONFIRMED

    @property
    def awaiting_cosign(self) -> bool:
        return self.confirmed and self.cosign_required and self.cosigned_at is None

    @classmethod
    def of_version(cls, v: MinutesVersion) -> Publication:
        return cls(
            content=v.content,
            status=CONFIRMED,
            version=v.version,
            revision=v.draft_revision,
            confirmed_by_name=v.confirmed_by_name,
            confirmed_at=v.confirmed_at,
            content_hash=v.content_hash,
            reason=v.reason,
            cosign_required=v.cosign_required,
            cosigned_by_name=v.cosigned_by_name,
            cosigned_at=v.cosigned_at,
        )

    @classmethod
    def of_draft(cls, d: MinutesDraft) -> Publication:
        corrects = d.confirmed_version if d.status == CORRECTING else None
        return cls(content=d.content, status="draft", revision=d.revision, corrects_version=corrects)


def title_text(pub: Publication, locale: str = "sv") -> str:
    """ "Minnesanteckningar – SKIS" (the word the network uses for its minutes)."""
    return t("minutes.doc_title", locale, network=pub.content.get("network", ""))


def when_where_text(content: Mapping[str, Any], locale: str = "sv") -> str:
    """ "fredag 20 november 2026, kl. 09.00–12.00, Skövde stadshus" """
    parts = [content.get("date_text", "")]
    if content.get("time_text"):
        parts.append(t("minutes.doc_time", locale, time=content["time_text"]))
    if content.get("place"):
        parts.append(content["place"])
    return ", ".join(p for p in parts if p)


def officer_lines(content: Mapping[str, Any], locale: str = "sv") -> list[str]:
    """ "Ordförande: Anna Gustafsson, Götene" and "Sekreterare: …" (several names joined), as the
    network's minutes open; nothing for a role nobody held."""
    lines = []
    for role in (CHAIR, SECRETARY):
        names = [_name_with_place(o) for o in content.get("officers", []) if o.get("role") == role]
        if names:
            joined = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {t('minutes.doc_and', locale)} {names[-1]}"
            lines.append(t(f"minutes.doc_{role}_line", locale, names=joined))
    return lines


def _name_with_place(person: Mapping[str, Any]) -> str:
    return f"{person['name']}, {person['municipality']}" if person.get("municipality") else person["name"]


def attendee_text(a: Mapping[str, Any], locale: str = "sv") -> str:
    """ "Anna Gustafsson, Götene (ersättare för Peter Stark)" """
    text = a["name"]
    if a.get("municipality"):
        text += f", {a['municipality']}"
    if a.get("substitute_for"):
        text += " " + t("minutes.doc_substitute_for", locale, name=a["substitute_for"])
    return text


def answer_text(a: Mapping[str, Any]) -> str:
    """ "Anna Gustafsson (Götene): Planering" """
    who = f"{a['name']} ({a['municipality']})" if a.get("municipality") else a["name"]
    return f"{who}: {a['answer']}"


def due_phrase(due: str, locale: str = "sv") -> str:
    """A stored due text as the minutes show it: "senast …" or "till nästa möte (…)", also for
    versions confirmed when the stored text was a bare date or "nästa möte (…)"."""
    if due.startswith((t("records.due_by", locale, date=""), t("minutes.doc_due_next", locale, due=""))):
        return due
    key = "minutes.doc_due_next" if due.startswith(t("minutes.doc_due_next_word", locale)) else "minutes.doc_due"
    return t(key, locale, due=due)


def action_text(item: Mapping[str, Any], locale: str = "sv") -> str:
    """ "Mejla inbjudan – Anna Gustafsson, senast fredag 4 december 2026 (klar)" """
    text = item["title"]
    if item.get("owners"):
        text += f" – {item['owners']}"
    if item.get("due_text"):
        text += ", " + due_phrase(item["due_text"], locale)
    if item.get("done"):
        text += " " + t("minutes.doc_done", locale)
    return text


def upcoming_text(u: Mapping[str, Any], locale: str = "sv") -> str:
    """ "fredag 4 december 2026, kl. 13.00–15.00, Teams" """
    return when_where_text(u, locale)


def status_lines(pub: Publication, tz: ZoneInfo, locale: str = "sv", *, with_hash: bool = False) -> list[str]:
    """The state of the minutes in words: draft, or who confirmed which version when (and justering).

    The content hash is for the record (export, ``protokoll historik``), not for readers: only
    ``with_hash`` adds it."""
    if not pub.confirmed:
        if pub.corrects_version is not None:
            return [t("minutes.doc_correction_draft_mark", locale, version=pub.corrects_version)]
        return [t("minutes.doc_draft_mark", locale)]
    at = formatting.format_datetime(pub.confirmed_at, tz, locale) if pub.confirmed_at else ""
    lines = [t("minutes.doc_confirmed_line", locale, version=pub.version, name=pub.confirmed_by_name, at=at)]
    if pub.reason:
        lines.append(t("minutes.doc_correction_line", locale, reason=pub.reason))
    if pub.cosign_required:
        if pub.cosigned_at is not None:
            cat = formatting.format_datetime(pub.cosigned_at, tz, locale)
            lines.append(t("minutes.doc_cosigned_line", locale, name=pub.cosigned_by_name, at=cat))
        else:
            lines.append(t("minutes.doc_awaiting_cosign_line", locale))
    if pub.superseded_by is not None:
        lines.append(t("minutes.doc_superseded_line", locale, version=pub.superseded_by))
    if with_hash:
        lines.append(t("minutes.doc_hash_line", locale, hash=pub.content_hash))
    return lines


def sections(pub: Publication, locale: str = "sv") -> list[tuple[str, list[tuple[str, Any]]]]:
    """The document as (heading, blocks) in reading order, for every renderer alike.

    A block is ("text", str), ("list", [str]) or ("label", (label, str)). Empty sections are left
    out, as the network's own minutes do: an agenda item with no notes and no decision is not
    printed. The agenda's headings (Incheckning, the items, Utcheckning) are numbered as printed,
    from 1, so the numbers run on without gaps.
    """
    c = pub.content
    numbered = _Numbering(locale)
    out: list[tuple[str, list[tuple[str, Any]]]] = []
    if c.get("attendees"):
        members = [a for a in c["attendees"] if not a.get("guest")]
        guests = [a for a in c["attendees"] if a.get("guest")]
        out.append((t("minutes.section.attendance", locale), [("list", [attendee_text(a, locale) for a in members + guests])]))
    checkin = _round_blocks(c.get("checkin") or {}, locale)
    if checkin:
        out.append((numbered(t("minutes.section.checkin", locale)), checkin))
    for item in c.get("items", []):
        blocks: list[tuple[str, Any]] = []
        if item.get("notes", "").strip():
            blocks.append(("text", item["notes"]))
        for d in item.get("decisions", []):
            blocks.append(("label", (t("minutes.doc_decision_label", locale), d["text"])))
        if blocks:
            out.append((numbered(item["title"]), blocks))
    if c.get("decisions"):
        out.append((t("minutes.section.decisions", locale), [("list", [d["text"] for d in c["decisions"]])]))
    if c.get("action_items"):
        out.append((t("minutes.section.actions", locale), [("list", [action_text(i, locale) for i in c["action_items"]])]))
    if c.get("upcoming"):
        lines = []
        for u in c["upcoming"]:
            line = upcoming_text(u, locale)
            if u.get("topics"):
                line += " – " + "; ".join(u["topics"])
            lines.append(line)
        out.append((t("minutes.section.upcoming", locale), [("list", lines)]))
    checkout = _round_blocks(c.get("checkout") or {}, locale)
    if checkout:
        out.append((numbered(t("minutes.section.checkout", locale)), checkout))
    return out


class _Numbering:
    """ "1. Incheckning", "2. Laget runt", …: the next number for each agenda heading printed."""

    def __init__(self, locale: str) -> None:
        self.locale = locale
        self.count = 0

    def __call__(self, title: str) -> str:
        self.count += 1
        return t("minutes.doc_item_heading", self.locale, number=self.count, title=title)


_BULLET = ("- ", "* ", "• ", "– ")


def note_blocks(text: str) -> list[tuple[str, list[str]]]:
    """Notes as typed, in parts: ("para", lines) kept together, ("bullets", items) for "- " lines.

    Blank lines end a paragraph; a line starting with "- ", "* ", "• " or "– " is a bullet.
    """
    blocks: list[tuple[str, list[str]]] = []
    for raw in text.replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if not line:
            blocks.append(("gap", []))
            continue
        kind, value = ("bullets", line[2:].strip()) if line.startswith(_BULLET) else ("para", line)
        if blocks and blocks[-1][0] == kind:
            blocks[-1][1].append(value)
        else:
            blocks.append((kind, [value]))
    return [b for b in blocks if b[0] != "gap"]


def _round_blocks(r: Mapping[str, Any], locale: str) -> list[tuple[str, Any]]:
    blocks: list[tuple[str, Any]] = []
    if r.get("question"):
        blocks.append(("label", (t("minutes.doc_question_label", locale), r["question"])))
    if r.get("summary"):
        blocks.append(("text", r["summary"]))
    elif r.get("answers"):
        blocks.append(("list", [answer_text(a) for a in r["answers"]]))
    return blocks
