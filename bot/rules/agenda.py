"""A meeting's agenda as people see it: standing items, follow-up of action items, the proposed items.

The numbers shown here ("punkt 4") are the ones people type in `flytta punkt`, `ändra punkt`
and `ta bort punkt`, and the ones decisions and minutes refer to. Only the meeting's own items
(``kind == "item"``) can be moved, edited or removed; the standing items frame every agenda:

    Incheckning, Laget runt, [Uppföljning av uppdrag], <the meeting's items>, Övriga frågor, Utcheckning

A network may name its own standing items in the team settings (``agenda_opening`` and
``agenda_closing``, lists of titles).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.messages import t
from bot.rules.checkins import question_for
from storage.meetings_repo import Meeting
from storage.store import Store

STANDING = "standing"
FOLLOW_UP = "followup"
ITEM = "item"

_OPENING_KEYS = ("meetings.standing_checkin", "meetings.standing_round")
_CLOSING_KEYS = ("meetings.standing_aob", "meetings.standing_checkout")


@dataclass(frozen=True)
class AgendaEntry:
    number: int
    title: str
    kind: str  # STANDING | FOLLOW_UP | ITEM
    item_id: str | None = None  # ITEM: the stored item's id
    proposed_by_name: str = ""
    details: tuple[str, ...] = ()  # the check-in question, the open action items

    @property
    def stored_id(self) -> str:
        """The stored item's id; only items people proposed (ITEM) have one."""
        if self.item_id is None:
            raise ValueError(f"agenda entry {self.number} ({self.kind}) is not a stored item")
        return self.item_id


@dataclass(frozen=True)
class Agenda:
    meeting: Meeting
    entries: tuple[AgendaEntry, ...]
    items_start: int  # the number the meeting's first own item has (or would have)
    items_count: int

    @property
    def items_end(self) -> int:
        """The number of the last own item (``items_start - 1`` when there are none)."""
        return self.items_start + self.items_count - 1

    def entry(self, number: int) -> AgendaEntry | None:
        return self.entries[number - 1] if 1 <= number <= len(self.entries) else None


async def build_agenda(store: Store, team: Any, meeting: Meeting, locale: str = "sv") -> Agenda:
    """The whole agenda of ``meeting``, numbered from 1."""
    settings = getattr(team, "settings", None) or {}
    opening = [str(x) for x in settings.get("agenda_opening") or [t(k, locale) for k in _OPENING_KEYS]]
    closing = [str(x) for x in settings.get("agenda_closing") or [t(k, locale) for k in _CLOSING_KEYS]]
    rows: list[tuple[str, str, str | None, str, tuple[str, ...]]] = []
    for n, title in enumerate(opening):
        rows.append((title, STANDING, None, "", await _question(store, meeting, "checkin", locale) if n == 0 else ()))
    follow_ups = await follow_up_lines(store, meeting)
    if follow_ups:
        rows.append((t("meetings.standing_follow_up", locale), FOLLOW_UP, None, "", tuple(follow_ups)))
    items_start = len(rows) + 1
    items = await store.agenda.items(meeting)
    for item in items:
        rows.append((item.title, ITEM, item.id, item.proposed_by_name, ()))
    for n, title in enumerate(closing):
        last = n == len(closing) - 1
        rows.append((title, STANDING, None, "", await _question(store, meeting, "checkout", locale) if last else ()))
    entries = tuple(
        AgendaEntry(i + 1, title, kind, item_id, by, details) for i, (title, kind, item_id, by, details) in enumerate(rows)
    )
    return Agenda(meeting, entries, items_start, len(items))


async def follow_up_items(store: Store, meeting: Meeting) -> list[Any]:
    """Open action items to follow up at ``meeting``: every open item that does not belong to it
    (an item recorded at a meeting, or for it before it began, is followed up at the next one).

    Uses ``store.actions.open_items(team_key)`` when the action items feature is installed."""
    actions = getattr(store, "actions", None)
    open_items = getattr(actions, "open_items", None)
    if open_items is None:
        return []
    return [item for item in await open_items(meeting.team_key) if getattr(item, "meeting_id", None) != meeting.id]


async def follow_up_lines(store: Store, meeting: Meeting) -> list[str]:
    """The follow-up items as the agenda card lists them: "#2 Boka lokal (Anna Gustafsson)"."""
    lines = []
    for item in await follow_up_items(store, meeting):
        owners = ", ".join(o.name for o in getattr(item, "owners", ()) if getattr(o, "name", ""))
        line = f"#{item.number} {item.title}"
        lines.append(f"{line} ({owners})" if owners else line)
    return lines


async def _question(store: Store, meeting: Meeting, kind: str, locale: str) -> tuple[str, ...]:
    own = meeting.checkin_question if kind == "checkin" else meeting.checkout_question
    if own and own.strip():
        return (own.strip(),)
    try:  # the network's own questions rotate when the meeting has none
        return (await question_for(store, meeting, kind, locale),)
    except Exception:  # a missing question must never hide the agenda
        return ()
