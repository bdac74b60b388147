"""NewMeetingDialog: `nytt möte` asks for the date, the time, the place (or Teams link) and the topics.

Started by `nytt möte` alone (asks everything), or by a one-message command that lacked something
(`nytt möte fredag 4 december` asks the time and place). A date that could not be read safely is
asked again with the interpreter's own question. At the end the meeting is stored the same way
as the one-message command (bot/rules/meetings.py), after a "Spara ändå?" if the day is unusual.

Options (all JSON): ``ask`` (the fields to ask: "date", "time", "place", "topics"), and what is
already known: ``date`` (ISO), ``start``/``end`` ("HH:MM"), ``location``, ``question`` (what to
say instead of the plain date question).
"""

from __future__ import annotations

import re
from datetime import date, time

from botbuilder.core import MessageFactory
from botbuilder.dialogs import ComponentDialog, DialogTurnResult, WaterfallDialog, WaterfallStepContext
from botbuilder.dialogs.prompts import PromptOptions, PromptValidatorContext, TextPrompt

from bot import formatting
from bot.dates import DateQuestion, When, parse_time, recent_past, split_time, split_when, vague_when
from bot.routing import clean_text, parse_command
from bot.rules import limits
from bot.rules import meetings as meeting_ops
from bot.text import fold
from bot.turn import Turn
from dialogs.confirm_meeting import ConfirmMeetingDialog

ALL_FIELDS = ("date", "time", "place", "topics")

_DATE = "new_meeting.date"
_TIME = "new_meeting.time"
_PLACE = "new_meeting.place"
_TOPICS = "new_meeting.topics"
_FLOW = "new_meeting.flow"

_NOTHING = frozenset({"", "-", "–", "inga", "inget", "ingen", "nej", "vet inte", "vet ej", "inte bestamt", "ej bestamt", "senare", "hoppa over"})


class NewMeetingDialog(ComponentDialog):
    ID = "new_meeting"

    def __init__(self) -> None:
        super().__init__(self.ID)
        self.add_dialog(TextPrompt(_DATE, self._check_date))
        self.add_dialog(TextPrompt(_TIME, self._check_time))
        self.add_dialog(TextPrompt(_PLACE, self._check_place))
        self.add_dialog(TextPrompt(_TOPICS))
        self.add_dialog(ConfirmMeetingDialog())
        self.add_dialog(
            WaterfallDialog(_FLOW, [self.ask_date, self.ask_time, self.ask_place, self.ask_topics, self.check_and_save, self.finish])
        )
        self.initial_dialog_id = _FLOW

    # Steps ----------------------------------------------------------------------------------
    async def ask_date(self, step: WaterfallStepContext) -> DialogTurnResult:
        options = dict(step.options or {})
        step.values.update(
            {
                "ask": list(options.get("ask") or ALL_FIELDS),
                "date": options.get("date"),
                "start": options.get("start"),
                "end": options.get("end"),
                "location": options.get("location"),
                "topics": [],
            }
        )
        if step.values["date"]:
            return await step.next(None)
        turn = _turn(step)
        question = options.get("question")
        text = turn.t("meetings.ask_date_again", question=question) if question else turn.t("meetings.ask_date")
        return await step.prompt(_DATE, PromptOptions(prompt=MessageFactory.text(text)))

    async def ask_time(self, step: WaterfallStepContext) -> DialogTurnResult:
        if isinstance(step.result, dict):
            step.values["date"] = step.result["date"]
            if step.result.get("start"):
                step.values["start"], step.values["end"] = step.result["start"], step.result.get("end")
            if step.result.get("place") and "place" in step.values["ask"] and not step.values["location"]:
                step.values["location"] = step.result["place"]
                step.values["ask"] = [f for f in step.values["ask"] if f != "place"]
        if step.values["start"]:
            return await step.next(None)
        turn = _turn(step)
        day = formatting.format_date(date.fromisoformat(step.values["date"]), turn.locale)
        return await step.prompt(_TIME, PromptOptions(prompt=MessageFactory.text(_with_hint(turn, turn.t("meetings.ask_time", date=day)))))

    async def ask_place(self, step: WaterfallStepContext) -> DialogTurnResult:
        if isinstance(step.result, dict):
            step.values["start"], step.values["end"] = step.result["start"], step.result.get("end")
        if "place" not in step.values["ask"] or step.values["location"]:
            return await step.next(None)
        turn = _turn(step)
        return await step.prompt(_PLACE, PromptOptions(prompt=MessageFactory.text(_with_hint(turn, turn.t("meetings.ask_place")))))

    async def ask_topics(self, step: WaterfallStepContext) -> DialogTurnResult:
        if isinstance(step.result, str):
            answer = clean_text(step.result)
            step.values["location"] = None if fold(answer).strip(" .") in _NOTHING else meeting_ops.clean_location(answer)
        if "topics" not in step.values["ask"]:
            return await step.next(None)
        turn = _turn(step)
        return await step.prompt(_TOPICS, PromptOptions(prompt=MessageFactory.text(_with_hint(turn, turn.t("meetings.ask_topics")))))

    async def check_and_save(self, step: WaterfallStepContext) -> DialogTurnResult:
        if isinstance(step.result, str):
            step.values["topics"] = parse_topics(clean_text(step.result))
        turn = _turn(step)
        values = step.values
        draft = meeting_ops.Draft(
            op=meeting_ops.CREATE,
            day=date.fromisoformat(values["date"]),
            start=time.fromisoformat(values["start"]),
            end=time.fromisoformat(values["end"]) if values.get("end") else None,
            location=values.get("location"),
            topics=tuple(values.get("topics") or ()),
            activity_id=turn.activity.id,
            token=meeting_ops.token_for(turn.activity),
        )
        problem = limits.meeting_problem(draft.location, draft.topics, turn.locale)
        if problem:
            await turn.say(problem)
            return await step.end_dialog()
        tz = turn.services.settings.timezone
        try:
            await meeting_ops.check_draft(turn.store, turn.team.key, draft, now=turn.now, tz=tz)
        except meeting_ops.MeetingError as exc:
            await turn.say_key(exc.key, **exc.params)
            return await step.end_dialog()
        warnings = await meeting_ops.warnings(turn.store, turn.team.key, draft, tz, turn.locale, now=turn.now)
        if warnings:
            return await step.begin_dialog(ConfirmMeetingDialog.ID, {"draft": draft.to_data(), "warnings": warnings})
        _meeting, reply = await meeting_ops.store_draft(
            turn.store, turn.team.key, turn.member, draft, turn.locale,
            now=turn.now, tz=turn.services.settings.timezone, publish=turn.services.changes.publish,
        )
        await turn.say(reply)
        return await step.end_dialog()

    async def finish(self, step: WaterfallStepContext) -> DialogTurnResult:
        return await step.end_dialog()

    # Validators -----------------------------------------------------------------------------
    async def _check_date(self, prompt: PromptValidatorContext) -> bool:
        turn = _turn(prompt)
        tz = turn.services.settings.timezone
        text = clean_text(prompt.recognized.value or "")
        command = parse_command(text)
        if command is not None and command.name == "new_meeting":
            text = command.args  # the whole command typed again: its words are not the place
        today = meeting_ops.local_today(turn.now, tz)
        found, before, after = split_when(text, today, tz)
        if found is None:
            await turn.say_key("meetings.no_date_found", text=text)
            return False
        if isinstance(found, DateQuestion):
            await turn.say(turn.t("meetings.ask_date_again", question=found.text(turn.locale)))
            return False
        found = recent_past(found, text, today, tz)
        if found.date < today - meeting_ops.PAST_LIMIT:
            await turn.say_key("meetings.date_past", date=formatting.format_date(found.date, turn.locale))
            return False
        rest = " ".join(p for p in (before, after) if p)
        if found.start is None:
            span, time_before, time_after = split_time(rest)
            if isinstance(span, DateQuestion):
                await turn.say(turn.t("meetings.ask_date_again", question=span.text(turn.locale)))
                return False
            if span is not None:
                found = When(found.date, *span)
                rest = " ".join(p for p in (time_before, time_after) if p)
        place = meeting_ops.clean_location(rest)
        vague = vague_when(place, today) if place else None
        if vague is not None:  # "4 december eftermiddag": no place, and no time yet
            await turn.say(turn.t("meetings.ask_date_again", question=vague.text(turn.locale)))
            return False
        prompt.recognized.value = {
            "date": found.date.isoformat(),
            "start": found.start.strftime("%H:%M") if found.start else None,
            "end": found.end.strftime("%H:%M") if found.end else None,
            "place": place,
        }
        return True

    async def _check_place(self, prompt: PromptValidatorContext) -> bool:
        """A time or date word is never the place ("halv tio", "eftermiddagen"): asked again."""
        turn = _turn(prompt)
        answer = clean_text(prompt.recognized.value or "")
        if fold(answer).strip(" .") in _NOTHING:
            return True
        vague = vague_when(answer, meeting_ops.local_today(turn.now, turn.services.settings.timezone))
        if vague is not None:
            await turn.say(turn.t("meetings.ask_place_again", text=answer))
            return False
        return True

    async def _check_time(self, prompt: PromptValidatorContext) -> bool:
        turn = _turn(prompt)
        text = clean_text(prompt.recognized.value or "")
        text = re.sub(r"^(?:kl\.?|klockan)\s*", "kl ", text, flags=re.IGNORECASE)
        parsed = parse_time(text)
        if isinstance(parsed, DateQuestion):
            await turn.say(parsed.text(turn.locale))
            return False
        start, end = parsed
        prompt.recognized.value = {"start": start.strftime("%H:%M"), "end": end.strftime("%H:%M") if end else None}
        return True


def parse_topics(text: str) -> list[str]:
    """Planned topics from one answer: one per line or separated by semicolons; "inga" for none."""
    if fold(text).strip(" .") in _NOTHING:
        return []
    parts = re.split(r"[\n;]+", text)
    topics = [re.sub(r"^\s*(?:[-•*]|\d+[.)])\s*", "", p).strip() for p in parts]
    return [topic[:300] for topic in topics if topic][:30]


def _with_hint(turn: Turn, text: str) -> str:
    return f"{text} {turn.t('core.dialog_hint')}"


def _turn(step: WaterfallStepContext | PromptValidatorContext) -> Turn:
    return Turn.of(step.context)
