"""The preview card for an import sent in Teams (pure: no I/O, no TurnContext).

It shows what ``skis-bot import-minutes --dry-run`` shows, shortened to what a card can carry,
every uncertain field marked, a date field (filled in from the heading, or empty when the
minutes have none) and the **Importera** button. The button carries the file's address and
SHA-256, so what is stored is exactly the file the secretary saw.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from bot.cards import adaptive_card, bullet_list, escape, execute, heading, subheading, text
from bot.importing.parse import MinutesImport, PlannedDate
from bot.messages import t
from bot.routing import ACTION_IMPORT_CONFIRM

MAX_ROWS = 12  # per section; the rest is counted, and the CLI's dry run lists everything


def _marked(line: str, notes: Iterable[str], paragraph: int | None, locale: str) -> str:
    where = f" ({t('importing.paragraph', locale, n=paragraph)})" if paragraph else ""
    notes = list(notes)
    unsure = f" **{escape(t('importing.uncertain', locale, why='; '.join(notes)))}**" if notes else ""
    return f"{escape(line)}{where}{unsure}"


def _section(title: str, rows: list[str], locale: str) -> list[dict[str, Any]]:
    shown = rows[:MAX_ROWS]
    if len(rows) > MAX_ROWS:
        shown.append(t("importing.more", locale, count=len(rows) - MAX_ROWS))
    return [subheading(title), bullet_list(shown)]


def _planned(p: PlannedDate) -> str:
    day = p.day.isoformat() if p.day else f"{p.day_of_month}/{p.month}"
    clock = f" {p.start:%H.%M}" + (f"–{p.end:%H.%M}" if p.end else "") if p.start else ""
    return f"{day}{clock}" + (f", {p.place}" if p.place else "")


def preview_card(parsed: MinutesImport, *, url: str, sha256: str, locale: str = "sv") -> dict[str, Any]:
    """The card that shows an import and asks for its confirmation."""
    meeting_date = parsed.date.value if isinstance(parsed.date.value, date) else None
    body: list[dict[str, Any]] = [
        heading(escape(t("importing.card_title", locale, name=parsed.file))),
        text(t("importing.card_intro", locale)),
    ]
    if parsed.date.uncertain:
        body.append(text(f"**{escape(t('importing.uncertain', locale, why='; '.join(parsed.date.notes)))}**"))
    body.append(
        {
            "type": "Input.Date",
            "id": "date",
            "label": t("importing.date_label", locale),
            "value": meeting_date.isoformat() if meeting_date else "",
            "isRequired": True,
            "errorMessage": t("importing.date_missing", locale),
        }
    )
    people = [
        _marked(", ".join((a.name, *a.roles, *([a.organisation] if a.organisation else []))), a.notes, a.source.paragraph, locale)
        for a in parsed.attendees
    ]
    body += _section(t("importing.attendees", locale, count=len(people)), people, locale)
    decisions = [_marked(d.text, d.notes, d.source.paragraph, locale) for d in parsed.decisions]
    body += _section(t("importing.decisions", locale, count=len(decisions)), decisions, locale)
    actions = [
        _marked(f"{', '.join(o.name for o in a.owners)}: {a.text}", a.notes, a.source.paragraph, locale) for a in parsed.actions
    ]
    body += _section(t("importing.actions", locale, count=len(actions)), actions, locale)
    meetings = [_marked(_planned(p), p.notes, p.source.paragraph, locale) for p in parsed.meetings]
    body += _section(t("importing.meetings", locale, count=len(meetings)), meetings, locale)
    if parsed.other_events:
        others = [_marked(f"{_planned(p)}: {p.text}", (), p.source.paragraph, locale) for p in parsed.other_events]
        body += _section(t("importing.other_events", locale, count=len(others)), others, locale)
    if parsed.repairs:
        repairs = [
            _marked(f"{r.original} → {r.repaired}", [f"kan vara {r.alternative}"] if r.uncertain else [], r.paragraph, locale)
            for r in parsed.repairs
        ]
        body += _section(t("importing.repairs", locale, count=len(repairs)), repairs, locale)
    confirm = execute(t("importing.confirm", locale), ACTION_IMPORT_CONFIRM, style="positive", url=url, sha256=sha256, name=parsed.file)
    return adaptive_card(body, [confirm])
