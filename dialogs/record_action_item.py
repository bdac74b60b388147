"""Recording an action item: what is to be done, who does it, and by when.

Started by ``uppgift`` alone (asks all three) or by an ``uppgift …`` message that left something
out or unclear (asks only that, with the reason). Options (JSON, persisted with the dialog state):
``title``, ``owners`` (owner documents), ``due`` (ISO date), ``due_next`` (till nästa möte),
``due_set`` (the due date is settled, possibly as none) and ``hints`` (per field, why we ask again).
"""

from __future__ import annotations

from datetime import date
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
from bot.routing import parse_command
from bot.rules import limits
from bot.rules.action_items import (
    Due,
    ParseContext,
    action_saved_text,
    create_action_item,
    owners_from_docs,
    parse_action_text,
    parse_due,
    resolve_owner_list,
)
from bot.turn import Turn
from storage.actions_repo import EXTERNAL

DIALOG_ID = "records.action_item"
_FLOW = "records.action_item.flow"
_REPLY = "records.action_item.reply"

EMPTY_OPTIONS: dict[str, Any] = {"title": None, "owners": None, "due": None, "due_next": False, "due_set": False, "hints": {}}


def next_missing(options: dict[str, Any]) -> str | None:
    """The first thing still to ask: "title", "owners", "due", or None when the item is complete."""
    if not options.get("title"):
        return "title"
    if not options.get("owners"):
        return "owners"
    if not options.get("due_set"):
        return "due"
    return None


class RecordActionItemDialog(ComponentDialog):
    def __init__(self) -> None:
        super().__init__(DIALOG_ID)
        self.add_dialog(TextPrompt(_REPLY))
        self.add_dialog(WaterfallDialog(_FLOW, [self.ask_missing, self.take_reply]))
        self.initial_dialog_id = _FLOW

    async def ask_missing(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Asks for the next missing part, saying what is known so far and why it asks again."""
        turn = Turn.of(step.context)
        options: dict[str, Any] = {**EMPTY_OPTIONS, **(step.options or {})}
        missing = next_missing(options)
        if missing is None:
            return await _finish(step, turn, options)
        step.values["asking"] = missing
        parts = []
        if options.get("title") and missing != "title":
            parts.append(turn.t("records.action_so_far", title=escape(options["title"])))
        hint = (options.get("hints") or {}).get(missing)
        if hint:
            parts.append(hint)
        parts.append(turn.t(f"records.action_ask_{missing}"))
        await turn.say("\n\n".join(parts))
        return await step.prompt(_REPLY, PromptOptions())

    async def take_reply(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Reads the reply; stores the item when nothing is missing any more, else asks on."""
        turn = Turn.of(step.context)
        options: dict[str, Any] = {**EMPTY_OPTIONS, **(step.options or {})}
        asking = step.values.get("asking") or next_missing(options)
        hints = {k: v for k, v in (options.get("hints") or {}).items() if k != asking}
        options = {**options, "hints": hints}
        reply = turn.text or ""
        ctx = await ParseContext.of(turn.store, turn.team, turn.member, turn.mentions, turn.services.settings, turn.now, turn.locale)
        command = parse_command(reply)
        if command is not None and command.name == "action_item":
            reply = command.args
            if asking != "title" and reply and not _answers(asking, reply, ctx):
                # A new item typed while this one waits for an answer ("uppgift Boka lokal" when
                # asked who): start over from the new one, and say the pending one was not saved.
                pending = options.get("title")
                asking, hints = "title", {}
                options = {**EMPTY_OPTIONS, "hints": hints}
                if pending:
                    await turn.say_key("records.action_pending_dropped", title=escape(pending))
        if asking == "title":
            draft = parse_action_text(reply, ctx) if reply else None
            if draft is None or not draft.title:
                hints["title"] = turn.t("records.action_title_empty")
                return await step.replace_dialog(_FLOW, options)
            if limits.too_long(draft.title, limits.ACTION_TITLE):
                hints["title"] = turn.t("records.action_title_too_long", length=limits.length(draft.title), max=limits.ACTION_TITLE)
                return await step.replace_dialog(_FLOW, options)
            # The whole item may come in one reply: "Mejla inbjudan @Anna till nästa möte".
            options["title"] = draft.title
            if draft.owners and not draft.owner_problem:
                options["owners"] = [o.to_doc() for o in draft.owners]
            if draft.owner_problem:
                hints["owners"] = draft.owner_problem
            if draft.due is not None:
                options.update(_due_options(draft.due))
            if draft.due_problem:
                hints["due"] = draft.due_problem
        elif asking == "owners":
            if command is not None and command.name != "action_item":
                # Someone moving on to another command must not become "a person outside the network".
                word = reply.split(None, 1)[0] if reply.strip() else command.name
                hints["owners"] = turn.t("records.action_owner_is_command", text=escape(reply[:80]), word=escape(word))
                return await step.replace_dialog(_FLOW, options)
            result = resolve_owner_list(reply, ctx)
            if result.problem:
                hints["owners"] = result.problem
                return await step.replace_dialog(_FLOW, options)
            options["owners"] = [o.to_doc() for o in result.owners]
        elif asking == "due":
            due = parse_due(reply, ctx)
            if isinstance(due, str):
                hints["due"] = due
                return await step.replace_dialog(_FLOW, options)
            options.update(_due_options(due))
        if next_missing(options) is None:
            return await _finish(step, turn, options)
        return await step.replace_dialog(_FLOW, options)


def _answers(asking: str | None, reply: str, ctx: ParseContext) -> bool:
    """Whether ``uppgift <reply>`` answers the open question: names the network knows as owners
    (members, a municipality, alla), or a due date, rather than a new item."""
    if asking == "owners":
        result = resolve_owner_list(reply, ctx)
        return not result.problem and bool(result.owners) and all(o.kind != EXTERNAL for o in result.owners)
    return not isinstance(parse_due(reply, ctx), str)


def _due_options(due: Due) -> dict[str, Any]:
    return {"due": due.due.isoformat() if due.due else None, "due_next": due.next_meeting, "due_set": True}


async def _finish(step: WaterfallStepContext, turn: Turn, options: dict[str, Any]) -> DialogTurnResult:
    due = Due(date.fromisoformat(options["due"]) if options.get("due") else None, bool(options.get("due_next")))
    item = await create_action_item(turn.store, turn.team.key, turn.member, options["title"], owners_from_docs(options["owners"]), due,
                                    now=turn.now, tz=turn.tz, conversation_id=turn.conversation_id, activity_id=turn.activity.id)
    await turn.services.changes.publish("action_item", turn.team.key, item.id)
    await turn.say(await action_saved_text(turn.store, turn.team.key, item, turn.tz, turn.locale, turn.member.key))
    return await step.end_dialog()
