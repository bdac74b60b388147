"""ConfirmMeetingDialog: "Spara ändå?" before storing a meeting on an unusual day.

Asked when a new or moved meeting is not on a Friday, falls on a holiday or eve, or shares its day
with another meeting. The person answers **ja** or **nej** in text, or with the buttons on the card
sent with the question (``meeting_confirm`` / ``meeting_abort``, handled in bot/features/meetings.py).
Whichever answer comes first counts: the outcome is stored with the draft's token, so a later
"ja" after a button press (or the other way round) changes nothing.
"""

from __future__ import annotations

from typing import Any

from botbuilder.core import CardFactory, MessageFactory
from botbuilder.dialogs import ComponentDialog, DialogTurnResult, WaterfallDialog, WaterfallStepContext
from botbuilder.dialogs.prompts import PromptOptions, PromptValidatorContext, TextPrompt

from bot.cards import for_network
from bot.cards.meetings import confirm_card, notice_card
from bot.routing import clean_text
from bot.rules import meetings as meeting_ops
from bot.text import fold
from bot.turn import Turn

YES_WORDS = frozenset({"ja", "j", "japp", "jo", "ja tack", "ja spara", "spara", "spara anda", "ok", "okej", "yes", "y"})
NO_WORDS = frozenset({"nej", "n", "nej tack", "spara inte", "inte", "no"})

_ANSWER = "confirm_meeting.answer"
_FLOW = "confirm_meeting.flow"
_RESOLVED = "resolved"
_WAITING_COUNT = "waiting_count"  # with a pasted plan: how many meetings the one answer saves


class ConfirmMeetingDialog(ComponentDialog):
    """Options: ``{"draft": Draft.to_data(), "warnings": [sentences]}``, or ``{"drafts": [...],
    "warnings": [...]}`` for a pasted plan of several meetings, all saved with one answer."""

    ID = "confirm_meeting"

    def __init__(self) -> None:
        super().__init__(self.ID)
        self.add_dialog(TextPrompt(_ANSWER, self._check_answer))
        self.add_dialog(WaterfallDialog(_FLOW, [self.ask_save_anyway, self.save_or_not]))
        self.initial_dialog_id = _FLOW

    async def ask_save_anyway(self, step: WaterfallStepContext) -> DialogTurnResult:
        turn = Turn.of(step.context)
        options = step.options or {}
        if options.get("drafts") is not None:
            return await self._ask_all(step, turn, options)
        draft = meeting_ops.Draft.from_data(options.get("draft"))
        if draft is None:
            await turn.say_key("core.dialog_lost", command="nytt möte")
            return await step.end_dialog()
        step.values["draft"] = draft.to_data()
        summary = meeting_ops.confirm_summary(draft, turn.locale)
        warnings = [str(w) for w in options.get("warnings") or []]
        lines = [summary, *(f"⚠️ {w}" for w in warnings), turn.t("meetings.confirm_question")]
        card = for_network(confirm_card(turn.t("meetings.confirm_card_title"), summary, [], draft.to_data(), turn.locale), turn.team.key)
        prompt = MessageFactory.attachment(CardFactory.adaptive_card(card), text="\n\n".join(lines))
        # The draft rides along in ``validations`` so the validator can see a button already answered.
        return await step.prompt(_ANSWER, PromptOptions(prompt=prompt, validations=draft.to_data()))

    async def _ask_all(self, step: WaterfallStepContext, turn: Turn, options: dict[str, Any]) -> DialogTurnResult:
        """A pasted plan: every meeting understood, listed on one card, saved with one answer."""
        drafts = [meeting_ops.Draft.from_data(d) for d in options.get("drafts") or []]
        if not drafts or any(d is None for d in drafts):
            await turn.say_key("core.dialog_lost", command="nytt möte")
            return await step.end_dialog()
        step.values["drafts"] = [d.to_data() for d in drafts if d is not None]
        listed = "\n".join(f"- {meeting_ops.confirm_summary(d, turn.locale)}" for d in drafts if d is not None)
        warnings = [str(w) for w in options.get("warnings") or []]
        question = turn.t("meetings.list_question", count=len(drafts))
        body = "\n\n".join([turn.t("meetings.list_intro", count=len(drafts)), listed, *(f"⚠️ {w}" for w in warnings)])
        card = notice_card(turn.t("meetings.list_card_title", count=len(drafts)), body)
        prompt = MessageFactory.attachment(CardFactory.adaptive_card(card), text="\n\n".join([body, question]))
        # The first draft (its token tells whether the plan was already answered) and how many wait.
        waiting = {**step.values["drafts"][0], _WAITING_COUNT: len(step.values["drafts"])}
        return await step.prompt(_ANSWER, PromptOptions(prompt=prompt, validations=waiting))

    async def _check_answer(self, prompt: PromptValidatorContext) -> bool:
        turn = Turn.of(prompt.context)
        draft = meeting_ops.Draft.from_data(getattr(prompt.options, "validations", None))
        answer = " ".join(fold(clean_text(prompt.recognized.value or "")).replace(",", " ").strip(" .!").split())
        if draft is not None and await turn.store.meetings.draft_outcome(turn.team.key, draft.token) is not None:
            prompt.recognized.value = _RESOLVED
            return True
        if answer in YES_WORDS or answer.startswith("ja "):
            prompt.recognized.value = "yes"
            return True
        if answer in NO_WORDS or answer.startswith("nej "):
            prompt.recognized.value = "no"
            return True
        await turn.say(_waiting_text(turn, draft, getattr(prompt.options, "validations", None)))
        return False

    async def save_or_not(self, step: WaterfallStepContext) -> DialogTurnResult:
        turn = Turn.of(step.context)
        if step.values.get("drafts") is not None:
            return await self._save_all(step, turn)
        draft = meeting_ops.Draft.from_data(step.values.get("draft"))
        if draft is None or step.result == _RESOLVED:
            await turn.say_key("meetings.confirm_already")
        elif step.result == "yes":
            _meeting, reply = await meeting_ops.store_draft(
                turn.store, turn.team.key, turn.member, draft, turn.locale,
                now=turn.now, tz=turn.services.settings.timezone, publish=turn.services.changes.publish,
            )
            await turn.say(reply)
        else:
            await turn.say(await meeting_ops.abort_draft(turn.store, turn.team.key, draft, turn.locale))
        return await step.end_dialog()


    async def _save_all(self, step: WaterfallStepContext, turn: Turn) -> DialogTurnResult:
        drafts = [d for d in (meeting_ops.Draft.from_data(x) for x in step.values["drafts"]) if d is not None]
        if step.result == _RESOLVED:
            await turn.say_key("meetings.confirm_already")
        elif step.result == "yes":
            replies = []
            for draft in drafts:
                _meeting, reply = await meeting_ops.store_draft(
                    turn.store, turn.team.key, turn.member, draft, turn.locale,
                    now=turn.now, tz=turn.services.settings.timezone, publish=turn.services.changes.publish,
                )
                replies.append(reply)
            await turn.say("\n\n".join(replies))
        else:
            for draft in drafts:
                await meeting_ops.abort_draft(turn.store, turn.team.key, draft, turn.locale)
            await turn.say_key("meetings.list_aborted", count=len(drafts))
        return await step.end_dialog()


def _waiting_text(turn: Turn, draft: meeting_ops.Draft | None, data: object) -> str:
    """Another message while "Spara ändå?" waits: which meeting (date, time, place) waits for the
    answer, and what to answer, as the question itself may have scrolled out of sight."""
    if draft is None:
        return turn.t("meetings.confirm_retry")
    summary = meeting_ops.confirm_summary(draft, turn.locale)
    count = data.get(_WAITING_COUNT) if isinstance(data, dict) else None
    if isinstance(count, int) and count > 1:
        return turn.t("meetings.confirm_waiting_list", count=count, summary=summary)
    return turn.t("meetings.confirm_waiting", summary=summary)
