"""Recording a decision: the bot asks what was decided, then stores it for the meeting.

Started by ``beslut`` without a text. Options (JSON, persisted): ``meeting_id``, ``asked_at`` (when
the conversation began, ISO), optional ``agenda_item`` (from ``beslut punkt 3``), optional ``hint``.
Who may record is checked again before storing (bot/roles.may_record_decision) with the person's
roles as they are now, at the time the conversation began: someone who began during the meeting
may finish just after it, and a secretary who lost the role meanwhile may not.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from botbuilder.dialogs import (
    ComponentDialog,
    DialogTurnResult,
    TextPrompt,
    WaterfallDialog,
    WaterfallStepContext,
)
from botbuilder.dialogs.prompts import PromptOptions

from bot import roles
from bot.formatting import meeting_date
from bot.routing import parse_command
from bot.rules import limits
from bot.rules.decisions import (
    agenda_item_problem,
    confirmed_minutes_note,
    decision_saved_text,
    record_decision,
    split_agenda_item,
)
from bot.turn import Turn
from storage.meetings_repo import Meeting

DIALOG_ID = "records.decision"
_FLOW = "records.decision.flow"
_TEXT = "records.decision.text"


class RecordDecisionDialog(ComponentDialog):
    def __init__(self) -> None:
        super().__init__(DIALOG_ID)
        self.add_dialog(TextPrompt(_TEXT))
        self.add_dialog(WaterfallDialog(_FLOW, [self.ask_decision, self.store_decision]))
        self.initial_dialog_id = _FLOW

    async def ask_decision(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Asks what was decided (under which agenda item, if one was named)."""
        turn = Turn.of(step.context)
        options: dict[str, Any] = step.options
        meeting = await turn.store.meetings.get(turn.team.key, options["meeting_id"])
        if meeting is None:
            await turn.say_key("records.meeting_gone")
            return await step.end_dialog()
        when = meeting_date(meeting, turn.tz, turn.locale)
        item = options.get("agenda_item")
        ask = turn.t("records.decision_ask_for_item", item=item, meeting=when) if item else turn.t("records.decision_ask", meeting=when)
        await turn.say(f"{options['hint']}\n\n{ask}" if options.get("hint") else ask)
        return await step.prompt(_TEXT, PromptOptions())

    async def store_decision(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Stores the decision with the next decision number and says how to correct it."""
        turn = Turn.of(step.context)
        options: dict[str, Any] = step.options
        meeting = await turn.store.meetings.get(turn.team.key, options["meeting_id"])
        if meeting is None:
            await turn.say_key("records.meeting_gone")
            return await step.end_dialog()
        reply = turn.text or ""
        command = parse_command(reply)
        if command is not None and command.name == "decision":
            reply = command.args  # "beslut …" typed again
        item, text = split_agenda_item(reply)
        problem = await agenda_item_problem(turn.store, turn.team, meeting, item, turn.tz, turn.locale)
        if problem:
            return await step.replace_dialog(_FLOW, {**options, "hint": problem})
        item = item if item is not None else options.get("agenda_item")
        if not text:
            return await step.replace_dialog(_FLOW, {**options, "agenda_item": item, "hint": turn.t("records.decision_empty")})
        if limits.too_long(text, limits.DECISION_TEXT):
            hint = turn.t("records.decision_too_long", length=limits.length(text), max=limits.DECISION_TEXT)
            return await step.replace_dialog(_FLOW, {**options, "agenda_item": item, "hint": hint})
        if not roles.may_record_decision(turn.member, meeting, _asked_at(options, turn.now)):
            when = meeting_date(meeting, turn.tz, turn.locale)
            await turn.say_key("records.decision_not_allowed", meeting=when, roles=roles.roles_text(turn.locale, roles.RECORDER_ROLES))
            return await step.end_dialog()
        decision = await record_decision(turn.store, turn.team.key, meeting, turn.member, text, item, now=turn.now,
                                         conversation_id=turn.conversation_id, activity_id=turn.activity.id)
        saved = await decision_saved_text(meeting, decision, turn.tz, turn.locale, turn.store, turn.member.key)
        note = await confirmed_minutes_note(turn.store, turn.team.key, meeting, turn.member, turn.tz, turn.locale)
        await turn.say(f"{saved}\n\n{note}" if note else saved)
        return await step.end_dialog()


def start_options(meeting: Meeting, agenda_item: int | None, now: datetime) -> dict[str, Any]:
    """The options ``beslut`` starts this dialog with."""
    return {"meeting_id": meeting.id, "agenda_item": agenda_item, "asked_at": now.isoformat()}


def _asked_at(options: dict[str, Any], now: datetime) -> datetime:
    """When the conversation began (a conversation saved without it is judged as of now)."""
    asked = options.get("asked_at")
    try:
        return datetime.fromisoformat(asked) if isinstance(asked, str) else now
    except ValueError:
        return now
