"""The minutes card: the secretary's editable draft, everyone else's read-only view, the confirmed minutes.

One card is posted; its ``refresh`` (an Action.Execute with verb ``minutes_refresh``) makes Teams
ask the bot for each viewer's own version, so the secretary sees inputs and buttons while the
rest of the channel sees the text. Every button carries ``meeting_id`` and the draft ``revision``
it was made from; what a click may do is decided on the server from the clicking person's role.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from bot.cards import (
    Element,
    adaptive_card,
    bullet_list,
    card_size,
    escape,
    execute,
    facts,
    heading,
    subheading,
    text,
)
from bot.messages import t
from bot.minutes.draft import (
    CHECKIN_SUMMARY,
    CHECKOUT_SUMMARY,
    NOTES_PREFIX,
    Publication,
    action_text,
    answer_text,
    attendee_text,
    status_lines,
    title_text,
    upcoming_text,
)
from bot.routing import (
    ACTION_MINUTES_APPROVE,
    ACTION_MINUTES_CORRECT,
    ACTION_MINUTES_COSIGN,
    ACTION_MINUTES_REFRESH,
    ACTION_MINUTES_REQUEST_CHANGE,
    ACTION_MINUTES_SAVE,
)

COMMENT_INPUT = "change_comment"
REASON_INPUT = "reason"
# Teams refuses cards over about 28 KB; above this the answer lists are shortened.
MAX_CARD_BYTES = 24000
MAX_REFRESH_USERS = 60  # Teams refreshes automatically for at most this many listed users


@dataclass(frozen=True)
class CardView:
    """What this viewer may do with the card (decided by the feature from their role)."""

    editable: bool = False  # the secretary's draft view: inputs and Spara/Godkänn
    correcting_version: int | None = None  # the draft corrects this confirmed version (rättelse)
    can_request_change: bool = True
    can_correct: bool = False  # confirmed: the secretary may start a correction
    can_cosign: bool = False  # confirmed, justering pending: the chair may co-sign
    notice: str | None = None  # one line at the top: saved, stale, already confirmed …
    no_secretary: bool = False
    # The draft as the channel sees it: people's check-in and check-out answers are not shown to
    # everyone before the minutes are confirmed (the secretary, chair and presidium see them).
    private_answers: bool = False


def refresh_block(meeting_id: str, user_ids: Sequence[str]) -> Element:
    """The card's ``refresh``: Teams asks the bot for each listed viewer's own card."""
    data = {"action": ACTION_MINUTES_REFRESH, "meeting_id": meeting_id}
    return {
        "action": {"type": "Action.Execute", "title": "Uppdatera", "verb": ACTION_MINUTES_REFRESH, "data": data},
        "userIds": list(dict.fromkeys(user_ids))[:MAX_REFRESH_USERS],
    }


def minutes_card(
    pub: Publication,
    view: CardView,
    *,
    meeting_id: str,
    refresh_user_ids: Sequence[str],
    tz: ZoneInfo,
    locale: str = "sv",
) -> dict[str, Any]:
    """The card for one viewer (pure): draft editor, draft view, or confirmed minutes."""
    card = _card(pub, view, meeting_id, refresh_user_ids, tz, locale, compact=False)
    if card_size(card) > MAX_CARD_BYTES:  # measured as sent: escaped, so an emoji counts twelve
        card = _card(pub, view, meeting_id, refresh_user_ids, tz, locale, compact=True)
    return card


def _card(
    pub: Publication,
    view: CardView,
    meeting_id: str,
    refresh_user_ids: Sequence[str],
    tz: ZoneInfo,
    locale: str,
    *,
    compact: bool,
) -> dict[str, Any]:
    c = pub.content
    editable = view.editable and not pub.confirmed
    title = title_text(pub, locale)
    body: list[Element] = []
    if pub.confirmed:
        body.append(heading(escape(title)))
    elif view.correcting_version is not None:
        body.append(heading(escape(t("minutes.card_correcting_heading", locale, title=title))))
    else:
        body.append(heading(escape(t("minutes.card_draft_heading", locale, title=title))))
    if view.notice:
        body.append(_notice(view.notice))
    if not pub.confirmed:
        intro = "minutes.card_editor_intro" if editable else "minutes.card_viewer_intro"
        body.append(text(t(intro, locale), subtle=True))
        if view.no_secretary:
            body.append(_notice(t("minutes.card_no_secretary", locale)))
    body.append(facts(_facts(pub, view, locale)))

    body.append(subheading(t("minutes.section.attendance", locale)))
    body.append(bullet_list([escape(attendee_text(a, locale)) for a in c.get("attendees", [])]))

    private = view.private_answers and not editable and not pub.confirmed
    body.extend(_round(c.get("checkin") or {}, "minutes.section.checkin", CHECKIN_SUMMARY, "minutes.card_label_checkin_summary", editable,
                       compact, locale, private=private))

    items = c.get("items", [])
    if not items:
        body.append(text(t("minutes.card_no_items", locale), subtle=True))
    for item in items:
        body.append(subheading(escape(t("minutes.doc_item_heading", locale, number=item["number"], title=item["title"]))))
        if editable:
            body.append(
                _input(NOTES_PREFIX + item["key"], t("minutes.card_label_notes", locale), item.get("notes", ""),
                       t("minutes.card_placeholder_notes", locale))
            )
        elif item.get("notes"):
            body.append(text(escape(_shorten(item["notes"], 600 if compact else 4000))))
        for d in item.get("decisions", []):
            body.append(text(f"**{t('minutes.doc_decision_label', locale)}:** {escape(d['text'])}"))

    if c.get("decisions"):
        body.append(subheading(t("minutes.section.decisions", locale)))
        body.append(bullet_list([escape(d["text"]) for d in c["decisions"]]))
    if c.get("action_items"):
        body.append(subheading(t("minutes.section.actions", locale)))
        body.append(bullet_list([escape(action_text(i, locale)) for i in c["action_items"]]))
    if c.get("upcoming"):
        body.append(subheading(t("minutes.section.upcoming", locale)))
        lines = []
        for u in c["upcoming"]:
            line = upcoming_text(u, locale)
            if u.get("topics"):
                line += " – " + "; ".join(u["topics"])
            lines.append(escape(line))
        body.append(bullet_list(lines))

    body.extend(_round(c.get("checkout") or {}, "minutes.section.checkout", CHECKOUT_SUMMARY, "minutes.card_label_checkout_summary", editable,
                       compact, locale, private=private))

    if editable and view.correcting_version is not None:
        body.append(
            {**_input(REASON_INPUT, t("minutes.card_label_reason", locale), "", t("minutes.card_placeholder_reason", locale)),
             "isRequired": True, "errorMessage": t("minutes.card_reason_missing_notice", locale)}
        )
    if pub.confirmed:
        body.append(text("\n\n".join(escape(line) for line in status_lines(pub, tz, locale)), subtle=True, spacing="Large"))

    actions = _actions(pub, view, editable, meeting_id, locale)
    return adaptive_card(body, actions, refresh=refresh_block(meeting_id, refresh_user_ids))


def _facts(pub: Publication, view: CardView, locale: str) -> list[tuple[str, str]]:
    c = pub.content
    pairs = [(t("minutes.card_fact_date", locale), escape(c.get("date_text", "")))]
    if c.get("time_text"):
        pairs.append((t("minutes.card_fact_time", locale), escape(c["time_text"])))
    if c.get("place"):
        pairs.append((t("minutes.card_fact_place", locale), escape(c["place"])))
    if pub.confirmed:
        status = t("minutes.card_status_confirmed", locale)
    elif view.correcting_version is not None:
        status = t("minutes.card_status_correcting", locale, version=view.correcting_version)
    else:
        status = t("minutes.card_status_draft", locale, revision=pub.revision or 1)
    pairs.append((t("minutes.card_fact_status", locale), status))
    return pairs


def _round(r: dict[str, Any], heading_key: str, field: str, label_key: str, editable: bool, compact: bool, locale: str,
           *, private: bool = False) -> list[Element]:
    blocks: list[Element] = [subheading(t(heading_key, locale))]
    if r.get("question"):
        blocks.append(text(f"*{escape(r['question'])}*"))
    answers = r.get("answers") or []
    if editable or not r.get("summary"):
        if not answers:
            blocks.append(text(t("minutes.card_no_answers", locale), subtle=True))
        elif private:
            blocks.append(text(t("minutes.card_answers_private", locale, count=len(answers)), subtle=True))
        elif compact:
            blocks.append(text(t("minutes.card_answers_hidden", locale, count=len(answers)), subtle=True))
        else:
            blocks.append(bullet_list([escape(answer_text(a)) for a in answers]))
    if editable:
        blocks.append(_input(field, t(label_key, locale), r.get("summary", ""), ""))
    elif r.get("summary"):
        blocks.append(text(escape(r["summary"])))
    return blocks


def _input(input_id: str, label: str, value: str, placeholder: str) -> Element:
    element: Element = {"type": "Input.Text", "id": input_id, "label": label, "isMultiline": True, "value": value, "maxLength": 20000}
    if placeholder:
        element["placeholder"] = placeholder
    return element


def _notice(message: str) -> Element:
    return {"type": "TextBlock", "text": escape(message), "wrap": True, "color": "Attention", "weight": "Bolder"}


def _shorten(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


def _actions(pub: Publication, view: CardView, editable: bool, meeting_id: str, locale: str) -> list[Element]:
    ids: dict[str, Any] = {"meeting_id": meeting_id, "revision": pub.revision or 0}
    actions: list[Element] = []
    if pub.confirmed:
        if view.can_cosign:
            actions.append(execute(t("minutes.button_cosign", locale), ACTION_MINUTES_COSIGN, style="positive", version=pub.version, **ids))
        if view.can_correct:
            actions.append(execute(t("minutes.button_correct", locale), ACTION_MINUTES_CORRECT, version=pub.version, **ids))
        return actions
    if editable:
        approve = "minutes.button_approve_correction" if view.correcting_version is not None else "minutes.button_approve"
        actions.append(execute(t("minutes.button_save", locale), ACTION_MINUTES_SAVE, **ids))
        actions.append(execute(t(approve, locale), ACTION_MINUTES_APPROVE, style="positive", **ids))
    if view.can_request_change:
        actions.append(_request_change(ids, locale))
    return actions


def _request_change(ids: dict[str, Any], locale: str) -> Element:
    comment: Element = {
        "type": "Input.Text",
        "id": COMMENT_INPUT,
        "label": t("minutes.card_label_comment", locale),
        "placeholder": t("minutes.card_placeholder_comment", locale),
        "isMultiline": True,
        "maxLength": 4000,
    }
    send = execute(t("minutes.button_send", locale), ACTION_MINUTES_REQUEST_CHANGE, **ids)
    inner = {"type": "AdaptiveCard", "body": [comment], "actions": [send]}
    return {"type": "Action.ShowCard", "title": t("minutes.button_request_change", locale), "card": inner}
