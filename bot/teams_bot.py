"""The Teams bot: turns activities into Turns and hands them to the feature handlers."""

from __future__ import annotations

import logging
from typing import Any

from botbuilder.core import CardFactory, InvokeResponse, MessageFactory, PrivateConversationState, TurnContext
from botbuilder.core.teams import TeamsActivityHandler
from botbuilder.dialogs import DialogSet
from botbuilder.schema import Activity

from bot import features, install
from bot.cards import plain_text
from bot.features import intents as everyday
from bot.formatting import first_name
from bot.mentions import read_mentions
from bot.messages import locale_of, t
from bot.routing import card_action, parse_command
from bot.services import Services
from bot.turn import TURN_KEY, CardReply, Turn
from storage.teams_repo import member_key

log = logging.getLogger(__name__)

ADAPTIVE_CARD_ACTION = "adaptiveCard/action"
CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
MESSAGE_CONTENT_TYPE = "application/vnd.microsoft.activity.message"


class SkisBot(TeamsActivityHandler):
    def __init__(self, services: Services, state: PrivateConversationState) -> None:
        self.services = services
        # Dialog state is per person *and* conversation, so two people answering in one channel
        # never step on each other's dialogs.
        self.state = state
        self.dialogs = DialogSet(state.create_property("dialog_state"))
        for feature in features.FEATURES:
            for dialog in getattr(feature, "dialogs", lambda _s: [])(services):
                self.dialogs.add(dialog)
        self.commands = features.command_handlers()
        self.card_actions = features.card_handlers()

    # Messages --------------------------------------------------------------------------------
    async def on_message_activity(self, context: TurnContext) -> None:
        """A person wrote to the bot (or clicked an Action.Submit button)."""
        turn = self._turn(context)
        if turn is None:
            return
        activity = context.activity
        if activity.value is not None and not (activity.text or "").strip():
            action = card_action(activity.value)
            reply = await self._run_card_action(turn, action)
            if reply is not None and reply.card is not None and activity.reply_to_id:
                updated = MessageFactory.attachment(_card_attachment(reply.card))
                updated.id = activity.reply_to_id
                await context.update_activity(updated)
            if reply is not None and reply.message:
                await turn.say(reply.message)
            return
        await self._on_text(turn)
        await self.state.save_changes(context)

    async def _on_text(self, turn: Turn) -> None:
        activity = turn.activity
        text, mentions = read_mentions(activity.text, activity.entities,
                                       activity.recipient.id if activity.recipient else None)
        turn.mentions = mentions
        command = parse_command(text)
        dialog_context = await self.dialogs.create_context(turn.context)
        if dialog_context.active_dialog is not None:
            if command is not None and command.name == "cancel":
                await dialog_context.cancel_all_dialogs()
                await turn.say_key("core.cancelled")
                return
            if command is None or command.name != "help":
                if await dialog_context.find_dialog(dialog_context.active_dialog.id) is None:
                    # Saved before a restart by a version that had a dialog this one lacks:
                    # end it cleanly rather than leave the person stuck in it.
                    await dialog_context.cancel_all_dialogs()
                    await turn.say_key("core.dialog_lost", command="hjälp")
                    return
                await dialog_context.continue_dialog()
                return
        if command is None:
            await self._not_understood(turn, text)
            return
        handler = self.commands.get(command.name)
        if handler is None:
            await self._not_understood(turn, text)
            return
        turn.context.turn_state["skis.dialog_context"] = dialog_context
        await handler(turn, command.args)

    async def _not_understood(self, turn: Turn, text: str) -> None:
        if not text:
            await turn.say_key("core.empty_message")
            return
        # Everyday phrases ("när är nästa möte?") and mistyped command words get an answer first.
        if await everyday.answer(turn, text, self.commands):
            return
        shown = text if len(text) <= 60 else text[:57] + "…"
        await turn.say_key("core.not_understood", text=shown)

    # Card actions (Action.Execute invokes) ----------------------------------------------------
    async def on_invoke_activity(self, context: TurnContext) -> InvokeResponse:
        if context.activity.name != ADAPTIVE_CARD_ACTION:
            # Nothing else is offered by this app (no message extensions, tabs or sign-in).
            return InvokeResponse(status=400, body={"error": "unsupported invoke"})
        turn = self._turn(context)
        if turn is None:
            return InvokeResponse(status=403, body={"error": "not allowed"})
        action = card_action(context.activity.value)
        reply = await self._run_card_action(turn, action)
        if reply is not None and reply.card is not None:
            body: dict[str, Any] = {"statusCode": 200, "type": CARD_CONTENT_TYPE, "value": reply.card}
        else:
            message = (reply.message if reply else None) or t("core.card_done", turn.locale)
            # Teams shows this message as it is, without rendering markdown.
            body = {"statusCode": 200, "type": MESSAGE_CONTENT_TYPE, "value": plain_text(message)}
        await self.state.save_changes(context)
        return InvokeResponse(status=200, body=body)

    async def _run_card_action(self, turn: Turn, action: Any) -> CardReply | None:
        # An audit line per click (who, what, where; never what the card carried): a forged or
        # replayed action can be traced even when the handler refuses it.
        log.info(
            "card action %s by %s in %s (activity %s)",
            action.verb if action is not None else "(unknown)",
            turn.member.key,
            turn.team.key,
            turn.activity.id,
        )
        if action is None:
            return CardReply(message=turn.t("core.card_unknown"))
        handler = self.card_actions.get(action.verb)
        if handler is None:
            return CardReply(message=turn.t("core.card_unknown"))
        return await handler(turn, action.data)

    # Installation and membership ---------------------------------------------------------------
    async def on_conversation_update_activity(self, context: TurnContext) -> None:
        # Replaces the SDK's dispatch, which reads the roster once per added member.
        activity = context.activity
        bot_id = activity.recipient.id if activity.recipient else None
        added = activity.members_added or []
        removed = activity.members_removed or []
        if any(m.id == bot_id for m in removed):
            await self._bot_removed(context)
            return
        if any(m.id == bot_id for m in added):
            await self._bot_added(context)
            return
        people_added = [m for m in added if m.id != bot_id]
        if people_added:
            team = install.ensure_team(self.services, activity)
            await install.load_roster(self.services, context, team)
            for account in people_added:
                install.ensure_member(self.services, team, account)
        people_removed = [m for m in removed if m.id != bot_id]
        if people_removed:
            team = self.services.store.teams.get_team(install.team_identity(activity)[0])
            if team is not None:
                install.remove_members(self.services, team, people_removed)

    async def on_installation_update_add(self, context: TurnContext) -> None:
        await self._bot_added(context)

    async def on_installation_update_remove(self, context: TurnContext) -> None:
        await self._bot_removed(context)

    async def _bot_added(self, context: TurnContext) -> None:
        """The bot was installed: remember where it lives, who is there, and say hello."""
        activity = context.activity
        locale = locale_of(activity.locale)
        key, kind, _name = install.team_identity(activity)
        already = self.services.store.teams.get_team(key)
        if kind == "personal":
            person = activity.from_property
            team = install.ensure_team(self.services, activity, installer=person)
            self.services.store.teams.save_personal_ref(member_key(person.id, person.aad_object_id), install.conversation_ref(activity))
            if already is None or not already.active:
                await context.send_activity(t("core.welcome_personal", locale, name=first_name(person.name) or t("core.nameless", locale)))
            return
        team = install.ensure_team(self.services, activity, installer=activity.from_property)
        await install.load_roster(self.services, context, team)
        if already is None or not already.active:
            await context.send_activity(t("core.welcome_team", locale, team=team.name))

    async def _bot_removed(self, context: TurnContext) -> None:
        key = install.team_identity(context.activity)[0]
        if self.services.store.teams.set_team_active(key, False) is not None:
            await self.services.changes.publish("team_removed", key, key)

    # Building the Turn ----------------------------------------------------------------------
    def _turn(self, context: TurnContext) -> Turn | None:
        activity = context.activity
        account = activity.from_property
        if account is None or not account.id:
            return None
        services = self.services
        team = self._team_for(activity)
        member = install.ensure_member(services, team, account)
        if team.kind == "personal" or (activity.conversation and activity.conversation.conversation_type == "personal"):
            self._remember_personal_chat(activity)
        turn = Turn(context=context, services=services, locale=locale_of(activity.locale), team=team, member=member)
        context.turn_state[TURN_KEY] = turn
        return turn

    def _team_for(self, activity: Activity) -> Any:
        """The network this activity belongs to: the team, the group chat, or for a 1:1 chat the
        person's own network (a team where the bot is installed before a group chat, such as the
        presidium's planning chat; the first one they joined if there are several)."""
        key, kind, _ = install.team_identity(activity)
        repo = self.services.store.teams
        if kind == "personal":
            account = activity.from_property
            candidates = []
            for team_key in repo.teams_of_person(member_key(account.id, account.aad_object_id)):
                team = repo.get_team(team_key)
                if team is not None and team.active and team.kind != "personal":
                    candidates.append(team)
            if candidates:
                return min(candidates, key=lambda t: t.kind != "team")  # stable: keeps join order
        return install.ensure_team(self.services, activity)

    def _remember_personal_chat(self, activity: Activity) -> None:
        account = activity.from_property
        person = member_key(account.id, account.aad_object_id)
        repo = self.services.store.teams
        ref = install.conversation_ref(activity)
        if repo.personal_ref(person) != ref:
            repo.save_personal_ref(person, ref)


def _card_attachment(card: dict[str, Any]) -> Any:
    return CardFactory.adaptive_card(card)
