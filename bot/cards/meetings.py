"""Cards for meetings, agenda, attendance and members: pure functions of plain values.

Callers format dates (bot/formatting.py) and look up texts; these functions only lay them out.
Everything people typed (places, topics, names) is escaped so it shows as written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.cards import Element, adaptive_card, bullet_list, escape, execute, facts, heading, subheading, text
from bot.messages import t
from bot.routing import ACTION_ATTEND_NO, ACTION_ATTEND_YES, ACTION_MEETING_ABORT, ACTION_MEETING_CONFIRM

MAX_LISTED = 12


@dataclass(frozen=True)
class MeetingView:
    """One meeting as a row of the calendar card."""

    id: str
    when: str  # "fredag 4 december 2026 kl. 09.00–12.00"
    location: str | None = None
    topics: tuple[str, ...] = ()
    cancelled: bool = False
    coming: int = 0
    not_coming: int = 0


@dataclass(frozen=True)
class AgendaView:
    number: int
    title: str
    by: str = ""  # who proposed it
    details: tuple[str, ...] = ()
    standing: bool = False


@dataclass(frozen=True)
class PersonView:
    name: str
    roles: tuple[str, ...] = ()  # shown roles, already in words ("ordförande")
    note: str = ""


@dataclass(frozen=True)
class MunicipalityGroup:
    name: str
    people: tuple[PersonView, ...] = field(default=())


def place_text(location: str | None, locale: str) -> str:
    """A meeting's place for a card: its name, or a Teams link shown as a short link."""
    if not location:
        return t("meetings.place_unknown", locale)
    if location.startswith(("https://", "http://")):
        # A Teams link is long and unreadable: show it as a link.
        return f"[{t('meetings.online_link', locale)}]({location})"
    return escape(location)


def meetings_card(
    title: str,
    meetings: list[MeetingView],
    locale: str = "sv",
    *,
    attend_id: str | None = None,
    hint: str | None = None,
) -> dict[str, Any]:
    """The calendar: each meeting's time, place, planned topics and answers; buttons to answer for ``attend_id``."""
    body: list[Element] = [heading(title)]
    for m in meetings[:MAX_LISTED]:
        container: list[Element] = [subheading(m.when[:1].upper() + m.when[1:])]
        if m.cancelled:
            container.append({"type": "TextBlock", "text": t("meetings.cancelled_label", locale), "color": "Attention", "weight": "Bolder", "spacing": "None"})
        pairs = [(t("meetings.fact_place", locale), place_text(m.location, locale))]
        if m.topics:
            pairs.append((t("meetings.fact_topics", locale), "; ".join(escape(x) for x in m.topics)))
        if not m.cancelled and (m.coming or m.not_coming):
            pairs.append((t("meetings.fact_answers", locale), t("meetings.answers_count", locale, yes=m.coming, no=m.not_coming)))
        pairs.append((t("meetings.fact_id", locale), m.id))
        container.append(facts(pairs))
        body.append({"type": "Container", "items": container, "separator": True, "spacing": "Medium"})
    if len(meetings) > MAX_LISTED:
        body.append(text(t("meetings.list_more", locale, count=len(meetings) - MAX_LISTED), subtle=True))
    if hint:
        body.append(text(hint, subtle=True, spacing="Medium"))
    actions = attend_actions(attend_id, locale) if attend_id else None
    return adaptive_card(body, actions)


def attend_actions(meeting_id: str, locale: str = "sv") -> list[Element]:
    """ "Jag kommer" / "Jag kommer inte" buttons for one meeting (reminder cards reuse these)."""
    return [
        execute(t("meetings.button_yes", locale), ACTION_ATTEND_YES, style="positive", meeting_id=meeting_id),
        execute(t("meetings.button_no", locale), ACTION_ATTEND_NO, meeting_id=meeting_id),
    ]


def agenda_card(title: str, when: str, location: str | None, entries: list[AgendaView], locale: str = "sv", *, hint: str | None = None) -> dict[str, Any]:
    """The agenda of one meeting, numbered as people refer to the items."""
    body: list[Element] = [heading(title), text(f"{when[:1].upper() + when[1:]} · {place_text(location, locale)}", subtle=True, spacing="None")]
    for entry in entries:
        line = f"**{entry.number}.** {escape(entry.title)}"
        if entry.by:
            line += f"  \n{t('meetings.agenda_proposed_by', locale, name=escape(entry.by))}"
        block: list[Element] = [text(line, spacing="Small")]
        if entry.details:
            details = bullet_list([escape(d) for d in entry.details])
            details["isSubtle"] = True
            details["spacing"] = "None"
            block.append(details)
        body.append({"type": "Container", "items": block, "spacing": "Small"})
    if hint:
        body.append(text(hint, subtle=True, spacing="Medium"))
    return adaptive_card(body)


def confirm_card(title: str, summary: str, warnings: list[str], draft: dict[str, Any], locale: str = "sv") -> dict[str, Any]:
    """ "Spara ändå?" with the meeting, what is unusual about it, and Ja/Nej buttons."""
    body: list[Element] = [heading(title, size="Medium"), text(summary)]
    body.extend(text(f"⚠️ {w}", spacing="Small") for w in warnings)
    actions = [
        execute(t("meetings.button_save_anyway", locale), ACTION_MEETING_CONFIRM, style="positive", draft=draft),
        execute(t("meetings.button_dont_save", locale), ACTION_MEETING_ABORT, draft=draft),
    ]
    return adaptive_card(body, actions)


def notice_card(title: str, message: str) -> dict[str, Any]:
    """What replaces a card once it has been answered."""
    return adaptive_card([heading(title, size="Medium"), text(message)])


def members_card(
    title: str, groups: list[MunicipalityGroup], locale: str = "sv", *, missing: Sequence[str] = (), hint: str | None = None
) -> dict[str, Any]:
    """Members grouped by municipality, with their roles; municipalities nobody is from yet."""
    body: list[Element] = [heading(title)]
    for group in groups:
        body.append(subheading(escape(group.name)))
        lines = []
        for p in group.people:
            line = escape(p.name)
            if p.roles:
                line += f" – {', '.join(p.roles)}"
            if p.note:
                line += f" ({escape(p.note)})"
            lines.append(line)
        block = bullet_list(lines)
        block["spacing"] = "Small"
        body.append(block)
    if missing:
        body.append(subheading(t("meetings.members_missing_title", locale)))
        body.append(text(", ".join(escape(m) for m in missing), subtle=True, spacing="Small"))
    if hint:
        body.append(text(hint, subtle=True, spacing="Medium"))
    return adaptive_card(body)


def attendance_card(
    title: str,
    when: str,
    sections: list[tuple[str, list[str]]],
    locale: str = "sv",
    *,
    meeting_id: str | None = None,
    hint: str | None = None,
) -> dict[str, Any]:
    """Who is coming, who is not, who was present, and which municipalities are missing."""
    body: list[Element] = [heading(title), text(when[:1].upper() + when[1:], subtle=True, spacing="None")]
    for section_title, lines in sections:
        body.append(subheading(section_title))
        block = bullet_list([escape(x) for x in lines])
        block["spacing"] = "Small"
        body.append(block)
    if hint:
        body.append(text(hint, subtle=True, spacing="Medium"))
    return adaptive_card(body, attend_actions(meeting_id, locale) if meeting_id else None)
