"""Cards for check-ins, action items and decisions (pure functions of plain values).

Callers pass what people typed as it is stored; these functions escape it, so an answer with
``**``, ``<b>`` or ``{{DATE(…)}}`` is shown exactly as written.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from typing import Any

from bot.cards import Element, adaptive_card, clip, escape, execute, heading, subheading, text, wire_size
from bot.messages import t
from bot.routing import ACTION_ACTION_DONE, ACTION_ACTION_ITEM_FORM, ACTION_ACTION_ITEMS_PAGE

# Teams refuses activities over about 28 KB; keep each card well below that.
CARD_BUDGET = 20000
# One very long answer must not push everyone else's off the card.
ANSWER_LIMIT = 2000
# Items per page of the open-items card, each with a "Klar" button; "Visa fler" shows the next
# page. A page of 20 is what people can take in, and keeps the card small: a card listing 200
# items cost more per turn than the stock echo bot's whole turn (see docs/performance.md).
ITEM_PAGE = 20
# A page also ends when its rows would take more than this (escaped JSON), so that a few very long
# titles make shorter pages rather than a card Teams refuses. Below the card limit by the heading,
# the buttons and the "Ny uppgift" form.
ITEMS_BUDGET = 20_000
ROW_OVERHEAD = 910  # a row's columns and its "Klar" button (with fallback and ids), without its texts
# What one row of a list shows of a record at most; the whole text is one command away.
ROW_TITLE_BYTES = 600
ROW_OWNERS_BYTES = 300
DECISION_ROW_BYTES = 1600  # the decision log shows 10 a page


@dataclass(frozen=True)
class AnswerRow:
    name: str
    municipality: str | None
    answer: str
    changed: bool = False  # replaced an earlier answer


@dataclass(frozen=True)
class ItemRow:
    number: int
    title: str
    owners: str  # already worded ("Anna Gustafsson och alla från Skövde")
    due: str  # already worded ("fredag 4 december 2026"), "" without a due date
    overdue: bool = False
    id: str = ""  # the item's record id: its "Klar" button closes this item and no other


@dataclass(frozen=True)
class ItemGroup:
    heading: str
    items: tuple[ItemRow, ...]
    overdue: bool = False


@dataclass(frozen=True)
class ItemPage:
    """Which part of a longer list the card shows (1-based)."""

    page: int
    pages: int
    first: int  # number in the list of the first item shown
    last: int
    total: int
    next_command: str = ""  # what to type for the next page, e.g. "uppgifter sida 2"


@dataclass(frozen=True)
class DecisionRow:
    number: int
    meeting: str  # the meeting's date, worded
    text: str
    agenda_item: int | None = None
    corrected: bool = False


def _size(elements: list[Element]) -> int:
    return len(json.dumps(elements))  # as sent: escaped, an emoji is twelve bytes


def _clip(value: str, limit: int) -> str:
    value = value if len(value) <= limit else value[: limit - 1].rstrip() + "…"
    return clip(value, limit * 6)  # and at most as many bytes as ``limit`` Swedish letters


# Paging an open-items list sizes every open item's row on each `uppgifter` turn (two json.dumps
# and a clip each: 200 items were ~15 % of the turn); the same titles come back turn after turn,
# and the size depends on the two strings alone.
@functools.lru_cache(maxsize=4096)
def item_row_size(title: str, owners: str) -> int:
    """About what a row of the open-items card takes (for paging before the rows are worded)."""
    return ROW_OVERHEAD + wire_size(clip(title, ROW_TITLE_BYTES)) + min(wire_size(owners), ROW_OWNERS_BYTES)


def item_pages(row_sizes: list[int], budget: int = ITEMS_BUDGET, most: int = ITEM_PAGE) -> list[tuple[int, int]]:
    """(start, end) of each page of the open-items list: at most ``most`` rows and ``budget`` bytes
    (a single row over the budget is a page of its own)."""
    pages: list[tuple[int, int]] = []
    start, size = 0, 0
    for index, row in enumerate(row_sizes):
        if index > start and (index - start >= most or size + row > budget):
            pages.append((start, index))
            start, size = index, 0
        size += row
    pages.append((start, len(row_sizes)))
    return pages


# --- Check-ins ------------------------------------------------------------------------------------


def checkins_cards(
    *,
    title: str,
    question: str,
    answers: list[AnswerRow],
    missing: list[tuple[str, list[str]]],
    total: int,
    footer: str,
    locale: str = "sv",
    budget: int = CARD_BUDGET,
) -> list[dict[str, Any]]:
    """Who has answered (and what), and who from which municipality has not; several cards if long."""
    intro: list[Element] = [
        heading(escape(title)),
        text(f"*{escape(question)}*"),
        text(t("records.checkins_count", locale, answered=len(answers), total=max(total, len(answers))), subtle=True),
    ]
    blocks: list[Element] = []
    for row in answers:
        who = f"**{escape(row.name)}**" + (f" · {escape(row.municipality)}" if row.municipality else "")
        if row.changed:
            who += f" · {t('records.checkins_changed', locale)}"
        blocks.append(
            {
                "type": "Container",
                "separator": True,
                "spacing": "Medium",
                "items": [text(who), text(escape(_clip(row.answer, ANSWER_LIMIT)), spacing="Small")],
            }
        )
    if not answers:
        blocks.append(text(t("records.checkins_none_yet", locale)))
    tail: list[Element] = []
    if missing:
        tail.append(subheading(t("records.checkins_missing_heading", locale)))
        tail.append({"type": "FactSet", "facts": [{"title": escape(m), "value": escape(", ".join(names))} for m, names in missing]})
    elif answers:
        tail.append(text(t("records.checkins_all_answered", locale), spacing="Medium"))
    tail.append(text(footer, subtle=True, spacing="Medium"))

    cards: list[list[Element]] = [list(intro)]
    for block in [*blocks, *tail]:
        if _size(cards[-1]) + _size([block]) > budget and len(cards[-1]) > 1:
            cards.append([heading(escape(title) + " " + t("records.checkins_continued", locale), size="Medium")])
        cards[-1].append(block)
    return [adaptive_card(body) for body in cards]


# --- Action items ---------------------------------------------------------------------------------


def action_item_form(locale: str = "sv", view: str = "all") -> Element:
    """A "Ny uppgift" button that opens a small form (what, who, by when) on the card."""
    form = {
        "type": "AdaptiveCard",
        "body": [
            {"type": "Input.Text", "id": "title", "label": t("records.action_form_title", locale), "isMultiline": True, "maxLength": 500},
            {"type": "Input.Text", "id": "owners", "label": t("records.action_form_owners", locale), "placeholder": t("records.action_form_owners_hint", locale)},
            {"type": "Input.Text", "id": "due", "label": t("records.action_form_due", locale), "placeholder": t("records.action_form_due_hint", locale)},
        ],
        "actions": [execute(t("records.action_form_save", locale), ACTION_ACTION_ITEM_FORM, style="positive", view=view)],
    }
    return {"type": "Action.ShowCard", "title": t("records.action_form_button", locale), "card": form}


def action_items_card(
    *,
    title: str,
    groups: list[ItemGroup],
    footer: str,
    view: str,
    locale: str = "sv",
    with_form: bool = True,
    page: ItemPage | None = None,
) -> dict[str, Any]:
    """One page of open items, overdue first then per meeting, each with its number and a "Klar" button.

    ``groups`` hold the items of this page only; with ``page`` the card says which part of the
    list it shows and has "Visa fler" (the next page) and, after the first, "Till början"."""
    body: list[Element] = [heading(escape(title))]
    paged = page is not None and page.pages > 1
    if paged:
        assert page is not None
        body.append(text(t("records.actions_page", locale, first=page.first, last=page.last, total=page.total,
                           page=page.page, pages=page.pages), subtle=True, spacing="None"))
    number = page.page if paged and page is not None else 1
    shown = 0
    hidden = 0
    for group in groups:
        rows = []
        for item in group.items:
            if shown >= ITEM_PAGE:
                hidden += 1  # a caller that passed more than a page: say how many are left out
                continue
            shown += 1
            rows.append(_item_row(item, view, locale, number))
        if not rows:
            continue
        head = subheading(escape(group.heading))
        if group.overdue:
            head["color"] = "Attention"
        body.append(head)
        body.extend(rows)
    if hidden:
        body.append(text(t("records.actions_more", locale, count=hidden), subtle=True))
    if paged and page is not None and page.page < page.pages and page.next_command:
        body.append(text(t("records.actions_next", locale, command=escape(page.next_command)), subtle=True, spacing="Medium"))
    body.append(text(footer, subtle=True, spacing="Medium"))
    actions: list[Element] = []
    if paged and page is not None:
        if page.page < page.pages:
            actions.append(execute(t("records.actions_more_button", locale), ACTION_ACTION_ITEMS_PAGE, view=view, page=page.page + 1))
        if page.page > 1:
            actions.append(execute(t("records.actions_first_button", locale), ACTION_ACTION_ITEMS_PAGE, view=view, page=1))
    if with_form:
        actions.append(action_item_form(locale, view))
    return adaptive_card(body, actions or None)


def _item_row(item: ItemRow, view: str, locale: str, page: int = 1) -> Element:
    details = escape(clip(item.owners, ROW_OWNERS_BYTES))
    if item.due:
        key = "records.actions_row_overdue" if item.overdue else "records.actions_row_due"
        details += " · " + t(key, locale, due=escape(item.due))
    due_block = text(details, subtle=not item.overdue, spacing="None")
    if item.overdue:
        due_block["color"] = "Attention"
    return {
        "type": "ColumnSet",
        "separator": True,
        "columns": [
            {
                "type": "Column",
                "width": "stretch",
                "items": [text(f"**{item.number}** · {escape(clip(item.title, ROW_TITLE_BYTES))}"), due_block],
            },
            {
                "type": "Column",
                "width": "auto",
                "verticalContentAlignment": "Center",
                "items": [
                    {
                        "type": "ActionSet",
                        # A later page goes along, so the list shown again after "Klar" stays where it was.
                        "actions": [execute(t("records.actions_done_button", locale), ACTION_ACTION_DONE, number=item.number, id=item.id, view=view,
                                            **_page_data(page))],
                    }
                ],
            },
        ],
    }


# --- Decisions ------------------------------------------------------------------------------------


def decision_log_card(*, title: str, subtitle: str, rows: list[DecisionRow], footer: str | None, locale: str = "sv") -> dict[str, Any]:
    """One page of the decision log, newest first, each with its number and meeting date."""
    body: list[Element] = [heading(escape(title)), text(escape(subtitle), subtle=True, spacing="None")]
    for row in rows:
        line = t("records.decision_log_row", locale, number=row.number, meeting=escape(row.meeting))
        if row.agenda_item:
            line += t("records.decision_item_suffix", locale, item=row.agenda_item)
        if row.corrected:
            line += t("records.decision_log_corrected", locale)
        body.append(
            {
                "type": "Container",
                "separator": True,
                "spacing": "Medium",
                "items": [text(line, subtle=True), text(escape(clip(row.text, DECISION_ROW_BYTES)), spacing="Small")],
            }
        )
    if footer:
        body.append(text(footer, subtle=True, spacing="Medium"))
    return adaptive_card(body)


def _page_data(page: int) -> dict[str, Any]:
    """The page a list card's button goes back to (the first page needs none)."""
    return {"page": page} if page > 1 else {}
