"""The check-in (or check-out) conversation: the bot asks the meeting's question, the person answers.

Started by ``incheckning`` / ``utcheckning`` without an answer. Options (JSON, persisted with the
dialog state so the conversation survives a restart): ``meeting_id``, ``kind`` (checkin|checkout),
``question`` (as asked), optional ``hint`` (what was wrong with the last reply).
"""

from __future__ import annotations

from typing import Any

from botbuilder.dialogs import (
    ComponentDialog,
    DialogTurnResult,
    TextPrompt,
    WaterfallDialog,
    WaterfallStepContext,
)
from botbuilder.dialogs.prompts import PromptOptions

from bot.cards import escape
from bot.formatting import meeting_date
from bot.routing import parse_command
from bot.rules import limits
from bot.rules.checkins import checkin_saved_text, delete_checkin, kind_params, save_checkin
from bot.turn import Turn
from storage.meetings_repo import Meeting

DIALOG_ID = "records.checkin"
_FLOW = "records.checkin.flow"
_ANSWER = "records.checkin.answer"


class CheckinDialog(ComponentDialog):
    def __init__(self) -> None:
        super().__init__(DIALOG_ID)
        self.add_dialog(TextPrompt(_ANSWER))
        self.add_dialog(WaterfallDialog(_FLOW, [self.ask_answer, self.store_answer]))
        self.initial_dialog_id = _FLOW

    async def ask_answer(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Shows the question (and the person's current answer, which a new one will replace)."""
        turn = Turn.of(step.context)
        options: dict[str, Any] = step.options
        meeting = await _meeting(turn, options)
        if meeting is None:
            await turn.say_key("records.meeting_gone")
            return await step.end_dialog()
        kind = options["kind"]
        params = kind_params(kind, turn.locale)
        if options.get("hint"):
            text = options["hint"]
        else:
            when = meeting_date(meeting, turn.tz, turn.locale)
            parts = [turn.t("records.checkin_prompt", meeting=when, question=escape(options["question"]), **params)]
            existing = await turn.store.checkins.get_answer(turn.team.key, meeting.id, turn.member.key, kind)
            if existing is not None:
                parts.append(turn.t("records.checkin_prompt_existing", answer=escape(existing.answer), **params))
            else:
                parts.append(turn.t("records.checkin_prompt_hint", **params))
            text = "\n\n".join(parts)
        await turn.say(text)
        return await step.prompt(_ANSWER, PromptOptions())

    async def store_answer(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Stores the reply exactly as typed (or removes the answer on `radera incheckning`)."""
        turn = Turn.of(step.context)
        options: dict[str, Any] = step.options
        kind = options["kind"]
        meeting = await _meeting(turn, options)
        if meeting is None:
            await turn.say_key("records.meeting_gone")
            return await step.end_dialog()
        answer = turn.text or ""
        command = parse_command(answer)
        if command is not None and command.name == f"{kind}_delete":
            await turn.say(await delete_checkin(turn.store, turn.team.key, meeting, turn.member, kind, turn.tz, turn.locale))
            return await step.end_dialog()
        if command is not None and command.name == kind:
            answer = command.args  # they typed the command again, with the answer after it
        if not answer.strip():
            hint = turn.t("records.checkin_empty", question=escape(options["question"]), **kind_params(kind, turn.locale))
            return await step.replace_dialog(_FLOW, {**options, "hint": hint})
        if limits.too_long(answer, limits.CHECKIN_ANSWER):
            hint = turn.t("records.checkin_too_long", length=limits.length(answer), max=limits.CHECKIN_ANSWER)
            return await step.replace_dialog(_FLOW, {**options, "hint": hint})
        stored, previous = await save_checkin(turn.store, turn.team.key, meeting, turn.member, kind, answer, now=turn.now,
                                              locale=turn.locale, question=options["question"],
                                              conversation_id=turn.conversation_id, activity_id=turn.activity.id)
        await turn.say(checkin_saved_text(turn.member, meeting, stored, previous, turn.tz, turn.locale))
        return await step.end_dialog()


async def _meeting(turn: Turn, options: dict[str, Any]) -> Meeting | None:
    meeting = await turn.store.meetings.get(turn.team.key, options["meeting_id"])
    return None if meeting is None or meeting.cancelled else meeting
