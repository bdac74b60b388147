"""Reminder cards: the channel reminders before a meeting, the presidium's digest, action item nudges.

Pure functions of plain values (callers format dates and read storage, see bot/reminders/jobs.py).
Everything people typed (titles, places, names, answers) is escaped so it shows as written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.cards import Element, adaptive_card, clip, escape, execute, facts, heading, subheading, text
from bot.cards.meetings import attend_actions, place_text
from bot.messages import t
from bot.routing import ACTION_ACTION_DONE, ACTION_CHECKIN

MAX_AGENDA = 15
MAX_ACTIONS = 10
MAX_NAMES = 30
# What a reminder shows of one stored text at most (a title stored before the limits can be 30 KB).
TITLE_BYTES = 600


@dataclass(frozen=True)
class MeetingInfo:
    """A meeting as the reminders show it (dates already formatted in the network's time zone)."""

    id: str
    day: str  # "fredag 4 december"
    when: str  # "fredag 4 december 2026 kl. 09.00–12.00"
    time: str  # "09.00–12.00"
    location: str | None
    relative: str  # "om en vecka", "i morgon"


@dataclass(frozen=True)
class AgendaLine:
    number: int
    title: str
    proposed_by: str = ""  # set for items people proposed


@dataclass(frozen=True)
class ActionLine:
    number: int
    title: str
    owners: str
    due: str = ""  # "fredag 4 december 2026", or "" without a due date
    overdue: bool = False
    id: str = ""  # the item's record id: the "Klar" button closes this item and no other


@dataclass(frozen=True)
class DigestView:
    meeting: MeetingInfo
    agenda: tuple[AgendaLine, ...]
    question: str | None
    answered: tuple[str, ...]  # names of those who answered the check-in
    not_answered: tuple[str, ...]
    coming: tuple[str, ...]  # "Skövde (Anna Gustafsson)": municipalities signed up, with who comes
    not_coming: tuple[str, ...]  # municipalities whose members all said no
    no_answer: tuple[str, ...]  # municipalities nobody answered for
    actions: tuple[ActionLine, ...]
    minutes: str  # one line on the previous meeting's minutes
    decide: tuple[str, ...] = field(default=())  # what needs the presidium before the meeting


def _cap(value: str) -> str:
    return value[:1].upper() + value[1:]


def _names(names: tuple[str, ...] | list[str]) -> str:
    shown = ", ".join(escape(n) for n in list(names)[:MAX_NAMES])
    return shown + (f" +{len(names) - MAX_NAMES}" if len(names) > MAX_NAMES else "")


def _agenda_block(lines: tuple[AgendaLine, ...] | list[AgendaLine], locale: str) -> list[Element]:
    shown = [f"{line.number}. {escape(clip(line.title, TITLE_BYTES))}" for line in list(lines)[:MAX_AGENDA]]
    blocks: list[Element] = [text("\n".join(shown) if shown else "–", spacing="Small")]
    if len(lines) > MAX_AGENDA:
        blocks.append(text(t("reminders.agenda_more", locale, count=len(lines) - MAX_AGENDA), subtle=True, spacing="None"))
    return blocks


def _meeting_facts(meeting: MeetingInfo, locale: str) -> Element:
    return facts([(t("reminders.fact_time", locale), meeting.time), (t("reminders.fact_place", locale), place_text(meeting.location, locale))])


def week_card(meeting: MeetingInfo, agenda: list[AgendaLine], question: str | None, locale: str = "sv") -> dict[str, Any]:
    """The channel reminder a week before: when and where, the agenda so far, the check-in, kommer / kommer inte."""
    body: list[Element] = [
        heading(t("reminders.week_title", locale, day=meeting.day)),
        text(t("reminders.week_intro", locale, relative=meeting.relative), spacing="None"),
        _meeting_facts(meeting, locale),
        subheading(t("reminders.agenda_so_far", locale)),
        *_agenda_block(agenda, locale),
        text(t("reminders.agenda_hint", locale), subtle=True, spacing="Small"),
    ]
    if question:
        body += [
            subheading(t("reminders.checkin_heading", locale)),
            text(f"*{escape(clip(question, TITLE_BYTES))}*", spacing="Small"),
            {
                "type": "Input.Text",
                "id": "answer",
                "isMultiline": True,
                "maxLength": 1000,
                "placeholder": t("reminders.checkin_placeholder", locale),
                "label": t("reminders.checkin_hint", locale),
            },
            {"type": "ActionSet", "actions": [execute(t("reminders.checkin_button", locale), ACTION_CHECKIN, meeting_id=meeting.id)]},
        ]
    body.append(text(t("reminders.attend_question", locale), spacing="Medium"))
    return adaptive_card(body, attend_actions(meeting.id, locale))


def day_card(
    meeting: MeetingInfo, agenda: list[AgendaLine], coming: list[str], missing: list[str], locale: str = "sv"
) -> dict[str, Any]:
    """The channel reminder the day before: the agenda, who is coming, municipalities not yet signed up."""
    body: list[Element] = [
        heading(t("reminders.day_title", locale, relative_cap=_cap(meeting.relative), day=meeting.day)),
        _meeting_facts(meeting, locale),
        subheading(t("reminders.agenda", locale)),
        *_agenda_block(agenda, locale),
        subheading(t("reminders.coming_heading", locale, count=len(coming))),
        text(_names(coming) if coming else t("reminders.nobody_coming", locale), spacing="Small"),
        subheading(t("reminders.missing_heading", locale)),
        # Municipalities are few (15 in Skaraborg): all of them are shown.
        text(", ".join(escape(m) for m in missing) if missing else t("reminders.all_represented", locale), spacing="Small"),
        text(t("reminders.attend_question", locale), spacing="Medium"),
    ]
    return adaptive_card(body, attend_actions(meeting.id, locale))


def digest_card(view: DigestView, locale: str = "sv") -> dict[str, Any]:
    """The presidium's digest: agenda, check-ins, attendance per municipality, action items, minutes, open questions."""
    m = view.meeting
    body: list[Element] = [
        heading(t("reminders.digest_title", locale, day=m.day)),
        text(t("reminders.digest_intro", locale, relative=m.relative, when=m.when), subtle=True, spacing="None"),
    ]
    # What needs deciding comes first: it is why the digest is sent.
    body.append(subheading(t("reminders.digest_decide", locale)))
    decide = [f"- {line}" for line in view.decide] or [t("reminders.decide_nothing", locale)]
    body.append(text("\n".join(decide), spacing="Small"))

    body.append(subheading(t("reminders.agenda", locale)))
    lines = []
    for line in view.agenda[:MAX_AGENDA]:
        row = f"{line.number}. {escape(clip(line.title, TITLE_BYTES))}"
        if line.proposed_by:
            row += f" _({t('reminders.digest_proposed', locale, name=escape(line.proposed_by))})_"
        lines.append(row)
    body.append(text("\n".join(lines) or "–", spacing="Small"))
    if len(view.agenda) > MAX_AGENDA:
        body.append(text(t("reminders.agenda_more", locale, count=len(view.agenda) - MAX_AGENDA), subtle=True, spacing="None"))

    total = len(view.answered) + len(view.not_answered)
    body.append(subheading(t("reminders.digest_checkins", locale, answered=len(view.answered), total=total)))
    checkin_lines = []
    if view.question:
        checkin_lines.append(t("reminders.digest_checkins_question", locale, question=escape(clip(view.question, TITLE_BYTES))))
    if view.not_answered:
        checkin_lines.append(t("reminders.digest_checkins_missing", locale, names=_names(view.not_answered)))
    if checkin_lines:
        body.append(text("  \n".join(checkin_lines), spacing="Small"))

    body.append(subheading(t("reminders.digest_attendance", locale)))
    rows = [
        (t("reminders.digest_att_yes", locale), view.coming),
        (t("reminders.digest_att_no", locale), view.not_coming),
        (t("reminders.digest_att_none", locale), view.no_answer),
    ]
    body.append(facts([(title, ", ".join(escape(x) for x in values)) for title, values in rows if values]))

    overdue = sum(1 for a in view.actions if a.overdue)
    body.append(subheading(t("reminders.digest_actions", locale, count=len(view.actions), overdue=overdue)))
    if view.actions:
        for action in view.actions[:MAX_ACTIONS]:
            row = t("reminders.digest_action_row", locale, number=action.number, title=escape(clip(action.title, TITLE_BYTES)), owners=escape(action.owners))
            block = text(row, spacing="Small")
            if action.due:
                key = "reminders.digest_action_overdue" if action.overdue else "reminders.digest_action_due"
                block["text"] += f"  \n{t(key, locale, due=escape(action.due))}"
            if action.overdue:
                block["color"] = "Attention"
            body.append(block)
        if len(view.actions) > MAX_ACTIONS:
            body.append(text(t("reminders.digest_actions_more", locale, count=len(view.actions) - MAX_ACTIONS), subtle=True, spacing="None"))
    else:
        body.append(text(t("reminders.digest_no_actions", locale), spacing="Small"))

    body.append(subheading(t("reminders.digest_minutes", locale)))
    body.append(text(view.minutes, spacing="Small"))
    return adaptive_card(body)


def action_card(action: ActionLine, locale: str = "sv") -> dict[str, Any]:
    """A 1:1 nudge about one action item, with a "Klar" button (handled by the records feature)."""
    title_key = "reminders.action_overdue_title" if action.overdue else "reminders.action_due_title"
    text_key = "reminders.action_overdue_text" if action.overdue else "reminders.action_due_text"
    main = text(t(text_key, locale, number=action.number, due=escape(action.due), title=escape(clip(action.title, TITLE_BYTES))))
    body: list[Element] = [
        heading(t(title_key, locale), size="Medium"),
        main,
        text(t("reminders.action_owners", locale, owners=escape(action.owners)), subtle=True, spacing="Small"),
        text(t("reminders.action_hint", locale, number=action.number), subtle=True, spacing="Medium"),
    ]
    done = execute(t("records.actions_done_button", locale), ACTION_ACTION_DONE, style="positive", number=action.number, id=action.id)
    return adaptive_card(body, [done])
