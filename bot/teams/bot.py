"""The Teams bot: turns activities into Turns and hands them to the feature handlers."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

from botbuilder.core import CardFactory, InvokeResponse, MessageFactory, PrivateConversationState, TurnContext
from botbuilder.core.teams import TeamsActivityHandler
from botbuilder.dialogs import DialogContext, DialogSet
from botbuilder.schema import Activity

from bot.cards import NETWORK, outgoing, plain_text
from bot.cards.help import help_card
from bot.features import intents as everyday
from bot.features import networks as chosen_network
from bot.features import registry as features
from bot.formatting import first_name
from bot.interruption import interrupts, is_own_command
from bot.messages import network_language, reply_locale, t
from bot.routing import Command, card_action, parse_command
from bot.rules import intents as phrases
from bot.services import Services
from bot.teams import install
from bot.teams.mentions import addressed_to_bot, read_activity
from bot.teams.state import bot_state_partition
from bot.turn import TURN_KEY, CardReply, Turn
from storage.partitions import GLOBAL, team_partition
from storage.team import Team
from storage.teams_repo import member_key

log = logging.getLogger(__name__)

ADAPTIVE_CARD_ACTION = "adaptiveCard/action"
DIALOGS_KEY = "skis.dialogs"  # the activity's DialogContext, for the save at the end of the turn
SELECTION_KEY = "skis.network_selection"  # in a 1:1 chat: the network it works on, among the person's
# Commands whose 1:1 reply acts on no network (or names it itself): no "(nätverk: …)" line.
_NO_NETWORK_LINE = frozenset({"help", "cancel", "networks"})
# Team setting, set once a message without @SKIS-boten has arrived: Teams delivers every message
# (the RSC permission ChannelMessage.Read.Group / ChatMessage.Read.Chat is granted).
ALL_MESSAGES = "all_messages_arrive"
# Team setting, set once the bot has greeted the team (its welcome is said once per installation).
WELCOMED = "welcomed"
CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
MESSAGE_CONTENT_TYPE = "application/vnd.microsoft.activity.message"


class SkisBot(TeamsActivityHandler):
    def __init__(self, services: Services, state: PrivateConversationState) -> None:
        self.services = services
        # Dialog state is per person *and* conversation, so two people answering in one channel
        # never step on each other's dialogs.
        self.state = state
        self.dialog_state = state.create_property("dialog_state")
        self.dialogs = DialogSet(self.dialog_state)
        for feature in features.FEATURES:
            for dialog in getattr(feature, "dialogs", lambda _s: [])(services):
                self.dialogs.add(dialog)
        self.commands = features.command_handlers()
        self.card_actions = features.card_handlers()

    async def on_turn(self, turn_context: TurnContext) -> None:
        """Every activity, whatever path it takes: the dialog state is saved once, at the end.

        Handlers (text or card) only change the state in memory; nothing loaded is nothing written,
        and an empty dialog stack is not kept (a message or click that leaves no question open
        writes nothing new). A turn that fails is not saved: the dialog stays at the question it
        asked, so the person's next message answers it again (the error boundary has said to try
        again)."""
        await super().on_turn(turn_context)
        dialogs: DialogContext | None = turn_context.turn_state.get(DIALOGS_KEY)
        if dialogs is not None and not dialogs.stack:
            await self.dialog_state.delete(turn_context)
            cached = self.state.get_cached_state(turn_context)
            if cached is not None and not cached.state and cached.hash == cached.compute_hash(None):
                return  # nothing was stored for this conversation, and there is nothing to store
        await self.state.save_changes(turn_context)

    def first_reads(self, activity: Activity) -> list[str]:
        """The partitions a turn of ``activity`` reads first: the networks, the network's register
        (not known yet in a 1:1 chat) and the person's dialog state in the conversation. On a
        shared database they are asked for in one round trip (bot/teams/http.py)."""
        names = [GLOBAL]
        conversation, account = activity.conversation, activity.from_property
        if conversation is None or not isinstance(conversation.id, str) or account is None or not account.id:
            return names
        key, kind, _name = install.team_identity(activity)
        if kind != "personal" and isinstance(key, str):
            names.append(team_partition(key))
        if activity.channel_id:
            # The key botbuilder's state computes from the activity alone (it reads nothing else).
            names.append(bot_state_partition(self.state.get_storage_key(_ActivityOnly(activity))))
        return names

    async def _dialogs(self, context: TurnContext) -> DialogContext:
        """This conversation's dialog stack, loaded once per activity."""
        dialogs: DialogContext | None = context.turn_state.get(DIALOGS_KEY)
        if dialogs is None:
            dialogs = context.turn_state[DIALOGS_KEY] = await self.dialogs.create_context(context)
        return dialogs

    # Messages --------------------------------------------------------------------------------
    async def on_message_activity(self, context: TurnContext) -> None:
        """A person wrote to the bot (or clicked an Action.Submit button)."""
        activity = context.activity
        dialogs = None
        unaddressed = _in_group(activity) and activity.value is None and not addressed_to_bot(activity)
        if unaddressed:
            # With the RSC permission (docs/deploy.md) Teams sends the bot every message in the
            # channel or group chat. Only a person answering the bot's open question is read;
            # everyone else's conversation is left alone: no reply, nothing stored.
            await self._all_messages_arrive(activity)
            dialogs = await self._dialogs(context)
            if dialogs.active_dialog is None:
                return
        turn = await self._turn(context, dialogs)
        if turn is None:
            if self._personal(activity) and activity.from_property is not None and activity.from_property.id:
                await self._without_network(context)
            return
        submit = activity.value is not None and not (activity.text or "").strip()
        line = await self._network_line(turn, submit)
        await self._answering(turn, self._on_card_submit if submit else self._on_text)
        if line is not None:
            await line.finish(turn.context)

    async def _without_network(self, context: TurnContext) -> None:
        """A 1:1 chat of someone in no network where the bot is installed: it founds nothing and
        stores nothing (not even the conversation), and says how to add the bot to the team.
        Help and a greeting still get their answer."""
        activity = context.activity
        locale = reply_locale(None, activity.locale, True)
        submit = activity.value is not None and not (activity.text or "").strip()
        text = "" if submit else read_activity(activity)[0]
        command = parse_command(text)
        action = card_action(activity.value) if submit else None
        intent = phrases.match(text) if text and command is None else None
        if (command is not None and command.name == "help") or (action is not None and action.verb == "help") \
                or (intent is not None and intent.kind == phrases.HELP):
            await context.send_activity(MessageFactory.attachment(_card_attachment(help_card(locale))))
            return
        if intent is not None and intent.kind == phrases.GREETING:
            await context.send_activity(_greeting_without_network(activity.from_property, locale))
            return
        await context.send_activity(t("networks.none", locale))

    async def _network_line(self, turn: Turn, submit: bool) -> _NetworkLine | None:
        """In a 1:1 chat: the line that names the network the reply acts on (the first time, on a
        change, whenever the person has several), or says that a remembered one is gone."""
        selection: chosen_network.Selection | None = turn.context.turn_state.get(SELECTION_KEY)
        if selection is None:
            return None
        activity = turn.activity
        if submit:
            action = card_action(activity.value)
            name = action.verb if action is not None else None
        else:
            command = parse_command(turn.text or "")
            name = command.name if command is not None else None
        text = await chosen_network.network_line(turn, selection, naming=name not in _NO_NETWORK_LINE)
        if text is None:
            return None
        store, person = self.services.store, turn.member.key

        async def shown() -> None:
            await chosen_network.remember_named(store, person, selection)

        line = _NetworkLine(text, shown, must_show=selection.fallback_from is not None)
        turn.context.on_send_activities(line.add)
        return line

    async def _answering(self, turn: Turn, handle: Callable[[Turn], Awaitable[None]]) -> None:
        """Run ``handle``; in a channel or group chat where an answer needs @SKIS-boten, a question
        left open says so.

        Without RSC an answer without @SKIS-boten never reaches the bot, so a question asked
        here says so, until an un-mentioned message has shown that RSC is granted. The turn's
        last text is held back until it is known whether it is a question left open."""
        if not _in_group(turn.activity) or turn.team.settings.get(ALL_MESSAGES):
            await handle(turn)
            return
        last_text = _LastText()
        turn.context.on_send_activities(last_text.hold)
        hint = None
        try:
            await handle(turn)
            if self._question_open(turn):
                hint = turn.t("core.reply_with_mention")
        finally:
            await last_text.release(turn.context, hint)

    def _question_open(self, turn: Turn) -> bool:
        return turn.dialogs is not None and turn.dialogs.active_dialog is not None

    async def _on_card_submit(self, turn: Turn) -> None:
        """An Action.Submit button: the card's action; a card it answers replaces the clicked one."""
        activity = turn.activity
        reply = await self._run_card_action(turn, card_action(activity.value))
        if reply is not None and reply.card is not None and activity.reply_to_id:
            updated = MessageFactory.attachment(_card_attachment(reply.card))
            updated.id = activity.reply_to_id
            await turn.context.update_activity(updated)
        if reply is not None and reply.message:
            await turn.say(reply.message)

    async def _all_messages_arrive(self, activity: Activity) -> None:
        """Remember that Teams delivers this network's messages without a mention (RSC granted)."""
        repo = self.services.store.teams
        team = await repo.get_team(install.team_identity(activity)[0])
        if team is not None and not team.settings.get(ALL_MESSAGES):
            await repo.update_team_settings(team.key, {ALL_MESSAGES: True})

    async def _on_text(self, turn: Turn) -> None:
        activity = turn.activity
        # The Turn read the activity once (bot/teams/mentions.read_activity). The dialogs' prompts
        # read activity.text: they too see the plain text, never Teams' HTML, so one message means
        # the same thing everywhere.
        text = activity.text = turn.text or ""
        command = parse_command(text)
        dialog_context = turn.dialogs
        if dialog_context is None:
            raise RuntimeError("_turn loads the dialog stack of every message")
        question_open = False
        if dialog_context.active_dialog is not None:
            if command is not None and command.name == "cancel":
                await dialog_context.cancel_all_dialogs()
                await turn.say_key("core.cancelled")
                return
            if command is not None and self._interrupts(turn, dialog_context.active_dialog.id, command, text):
                # A command typed at an open question (Bot Framework's CancelAndHelpDialog):
                # help keeps the question waiting, any other command ends it; both say so.
                if command.name == "help":
                    question_open = True
                else:
                    await dialog_context.cancel_all_dialogs()
                    await turn.say_key("core.question_left")
            else:
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
        await handler(turn, command.args)
        if question_open:
            await turn.say_key("core.question_still_open")

    def _interrupts(self, turn: Turn, dialog_id: str, command: Command, text: str) -> bool:
        """Whether ``command`` typed at the open question ``dialog_id`` is meant as a command."""
        if is_own_command(dialog_id, command):
            return False  # the dialog reads its own command typed again, with the answer after it
        tz = self.services.settings.timezone
        return interrupts(command, text, turn.now.astimezone(tz).date(), tz)

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
        turn = await self._turn(context)
        if turn is None:
            account = context.activity.from_property
            if self._personal(context.activity) and account is not None and account.id:
                # A card in a 1:1 chat of someone in no network (yet): nothing is done or stored.
                locale = reply_locale(None, context.activity.locale, True)
                message = plain_text(t("networks.none", locale))
                return InvokeResponse(status=200, body={"statusCode": 200, "type": MESSAGE_CONTENT_TYPE, "value": message})
            return InvokeResponse(status=403, body={"error": "not allowed"})
        action = card_action(context.activity.value)
        reply = await self._run_card_action(turn, action)
        if reply is not None and reply.card is not None:
            body: dict[str, Any] = {"statusCode": 200, "type": CARD_CONTENT_TYPE, "value": reply.card}
        else:
            message = (reply.message if reply else None) or t("core.card_done", turn.locale)
            if self._question_open(turn) and _in_group(turn.activity) and not turn.team.settings.get(ALL_MESSAGES):
                # The card asked a question: its answer needs @SKIS-boten here (see _answering).
                message = f"{message}\n\n{turn.t('core.reply_with_mention')}"
            # Teams shows this message as it is, without rendering markdown.
            body = {"statusCode": 200, "type": MESSAGE_CONTENT_TYPE, "value": plain_text(message)}
        return InvokeResponse(status=200, body=body)

    async def _run_card_action(self, turn: Turn, action: Any) -> CardReply | None:
        # An audit line per click (who, what, where, and the network the card names; nothing else
        # the card carried): a forged or replayed action can be traced even when it is refused.
        log.info(
            "card action %s by %s in %s for network %.80r (activity %s)",
            action.verb if action is not None else "(unknown)",
            turn.member.key,
            turn.team.key,
            action.data.get(NETWORK) if action is not None else None,
            turn.activity.id,
        )
        if action is None:
            return CardReply(message=turn.t("core.card_unknown"))
        handler = self.card_actions.get(action.verb)
        if handler is None:
            return CardReply(message=turn.t("core.card_unknown"))
        target = await self._card_turn(turn, action.data)
        if isinstance(target, str):
            log.info("card action %s by %s refused: %s", action.verb, turn.member.key, target)
            return CardReply(message=turn.t(target))
        reply = await handler(target, action.data)
        if reply is not None and reply.card is not None:
            # The card that replaces the clicked one acts on the same network.
            reply = CardReply(card=outgoing(reply.card, target.team.key), message=reply.message)
        return reply

    async def _card_turn(self, turn: Turn, data: dict[str, Any]) -> Turn | str:
        """The Turn a card action runs in: the network the card names, after checking the person
        belongs to it; or the key of the line that says why not.

        A channel or group chat is one network, so a card there acts only on it. In a 1:1 chat the
        conversation says nothing about the network, so the card must: a card from before cards
        named their network is taken for the person's only network, and refused if they have more.
        """
        network = data.get(NETWORK)
        personal = self._personal(turn.activity)
        if network is None or network == "":
            if personal and len(await chosen_network.networks_of(self.services.store, turn.member.key)) > 1:
                return "core.card_network_unknown"
            return turn
        if not isinstance(network, str):
            return "core.card_unknown"
        if network == turn.team.key:
            return turn
        if not personal:
            return "core.card_other_network"
        repo = self.services.store.teams
        networks = await chosen_network.networks_of(self.services.store, turn.member.key)
        team = next((t for t in networks if t.key == network), None)
        member = await repo.get_member(network, turn.member.key) if team is not None else None
        if team is None or member is None or not member.active:
            return "core.card_not_your_network"
        target = Turn(context=turn.context, services=turn.services, locale=turn.locale, team=team, member=member,
                      mentions=turn.mentions, sent=turn.sent, dialogs=turn.dialogs)
        turn.context.turn_state[TURN_KEY] = target
        return target

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
        if people_added and not self._personal(activity):
            # A 1:1 chat is no network of its own: it works on the person's (bot/features/networks.py).
            team = await install.ensure_team(self.services, activity)
            await install.load_roster(self.services, context, team)
            for account in people_added:
                await install.ensure_member(self.services, team, account)
        people_removed = [m for m in removed if m.id != bot_id]
        if people_removed:
            known = await self.services.store.teams.get_team(install.team_identity(activity)[0])
            if known is not None:
                await install.remove_members(self.services, known, people_removed)

    async def on_installation_update_add(self, context: TurnContext) -> None:
        await self._bot_added(context)

    async def on_installation_update_remove(self, context: TurnContext) -> None:
        await self._bot_removed(context)

    async def _bot_added(self, context: TurnContext) -> None:
        """The bot was installed: remember where it lives, who is there, and say hello."""
        activity = context.activity
        key, kind, _name = install.team_identity(activity)
        locale = reply_locale(None, activity.locale, kind == "personal")
        if kind == "personal":
            # A 1:1 chat founds no network: it works on the person's networks (bot/features/networks.py).
            person = activity.from_property
            person_key = member_key(person.id, person.aad_object_id)
            repo = self.services.store.teams
            selection = await chosen_network.select(self.services.store, person_key)
            if selection is None:
                # No network yet: nothing is stored, and the welcome says how to add the bot to the
                # team. Teams sends a conversationUpdate beside the installationUpdate: one welcome.
                if activity.type == "installationUpdate":
                    await context.send_activity(_greeting_without_network(person, locale))
                return
            # Teams sends a conversationUpdate beside the installationUpdate, at the same moment
            # (maybe to two instances): the one that stores the first reference greets.
            first = await repo.save_personal_ref(person_key, install.conversation_ref(activity))
            if first:
                # Teams often leaves the name out of an installation: the member register may know it.
                name = first_name(person.name) or await self._known_first_name(person)
                network = chosen_network.display_name(selection.team, locale)
                await context.send_activity(t("core.welcome_personal", locale, name=name, network=network) if name
                                            else t("core.welcome_personal_nameless", locale, network=network))
            return
        team = await install.ensure_team(self.services, activity, installer=activity.from_property)
        await install.load_roster(self.services, context, team)
        # A team known before the bot was added (its people joined first, as `make run` sets up the
        # Playground's team) is greeted when the bot itself arrives; then not again until the bot
        # is removed. Marked under the register's lock: of the activities Teams sends for one
        # installation (maybe at once, to two instances), exactly one greets.
        greet = False

        def mark(current: Team) -> Team:
            nonlocal greet
            if current.settings.get(WELCOMED):
                return current
            greet = True
            return replace(current, settings={**current.settings, WELCOMED: True})

        await self.services.store.teams.change_team(team.key, mark)
        if greet:
            await context.send_activity(t("core.welcome_team", locale, team=team.name))

    async def _bot_removed(self, context: TurnContext) -> None:
        key = install.team_identity(context.activity)[0]
        # Inactive, and to be greeted when the bot is added again.
        removed = await self.services.store.teams.change_team(
            key, lambda team: replace(team, active=False, settings={**team.settings, WELCOMED: False}))
        if removed is not None:
            await self.services.changes.publish("team_removed", key, key)

    # Building the Turn ----------------------------------------------------------------------
    async def _turn(self, context: TurnContext, dialogs: DialogContext | None = None) -> Turn | None:
        """The Turn of a message or card action, with the conversation's dialog stack loaded
        (``dialogs``, when the caller has loaded it already), so any handler can start a dialog."""
        activity = context.activity
        account = activity.from_property
        if account is None or not account.id:
            return None
        services = self.services
        team = await self._team_for(context)
        if team is None:
            return None  # a 1:1 chat of someone in no network: see _without_network
        member = await install.ensure_member(services, team, account)
        personal = team.kind == "personal" or bool(activity.conversation and activity.conversation.conversation_type == "personal")
        if personal:
            await self._remember_personal_chat(activity)
        locale = reply_locale(network_language(team), activity.locale, personal)
        turn = Turn(context=context, services=services, locale=locale, team=team, member=member,
                    dialogs=dialogs or await self._dialogs(context))
        context.turn_state[TURN_KEY] = turn
        return turn

    async def _team_for(self, context: TurnContext) -> Any:
        """The network this activity belongs to: the team or the group chat (registered on first
        sight), or for a 1:1 chat the one of the person's networks it works on (their choice, else
        the first team: bot/features/networks.py); None for a 1:1 chat of someone in no network."""
        activity = context.activity
        if install.team_identity(activity)[1] != "personal":
            return await install.ensure_team(self.services, activity)
        account = activity.from_property
        selection = await chosen_network.select(self.services.store, member_key(account.id, account.aad_object_id))
        if selection is None:
            return None
        context.turn_state[SELECTION_KEY] = selection
        return selection.team

    async def _known_first_name(self, account: Any) -> str:
        """The person's first name from a network's member register, or "" if no network knows it."""
        repo, key = self.services.store.teams, member_key(account.id, account.aad_object_id)
        names = [getattr(await repo.get_member(team_key, key), "name", "") for team_key in await repo.teams_of_person(key)]
        return next((first_name(n) for n in names if n and n != account.id), "")  # a nameless member is stored by id

    @staticmethod
    def _personal(activity: Activity) -> bool:
        return install.team_identity(activity)[1] == "personal"

    async def _remember_personal_chat(self, activity: Activity) -> None:
        account = activity.from_property
        person = member_key(account.id, account.aad_object_id)
        repo = self.services.store.teams
        ref = install.conversation_ref(activity)
        if await repo.personal_ref(person) != ref:
            await repo.save_personal_ref(person, ref)


class _NetworkLine:
    """Adds a line at the end of the first plain text message of a 1:1 reply. A reply of cards
    only gets none (the cards say what they show, and their buttons carry the network): the line
    waits for the next text reply, unless it says that a remembered network is gone, which is
    then said after the cards."""

    def __init__(self, text: str, on_shown: Callable[[], Awaitable[None]], *, must_show: bool) -> None:
        self.text = text
        self.on_shown = on_shown
        self.must_show = must_show
        self.shown = False
        self.replied = False

    async def add(self, _context: TurnContext, activities: list[Activity], send: Any) -> Any:
        for activity in activities:
            if activity.type != "message":
                continue
            self.replied = True
            if not self.shown and activity.text and not activity.attachments:
                activity.text = f"{activity.text}\n\n{self.text}"
                await self._shown()
        return await send()

    async def finish(self, context: TurnContext) -> None:
        if self.must_show and self.replied and not self.shown:
            await self._shown()
            await context.send_activity(self.text)

    async def _shown(self) -> None:
        self.shown = True
        await self.on_shown()


def _greeting_without_network(account: Any, locale: str) -> str:
    name = first_name(getattr(account, "name", None) or "")
    return t("networks.greeting_none", locale, name=name) if name else t("networks.greeting_none_nameless", locale)


class _LastText:
    """Holds back the latest plain text message of a turn, to be sent (with a line added) at its end."""

    def __init__(self) -> None:
        self.held: Activity | None = None
        self.releasing = False

    async def hold(self, _context: TurnContext, activities: list[Activity], send: Any) -> None:
        if not self.releasing:
            out: list[Activity] = []
            for activity in activities:
                if self.held is not None:
                    out.append(self.held)
                    self.held = None
                if activity.type == "message" and activity.text and not activity.attachments:
                    self.held = activity
                    # In its place a trace, which the adapter does not post (it needs one activity).
                    out.append(Activity(type="trace", name="skis.held", channel_id=activity.channel_id))
                else:
                    out.append(activity)
            activities[:] = out
        await send()

    async def release(self, context: TurnContext, line: str | None) -> None:
        self.releasing = True  # from now on (the error boundary's message too) nothing is held
        if self.held is None:
            return
        held, self.held = self.held, None
        if line:
            held.text = f"{held.text}\n\n{line}"
        await context.send_activities([held])


def _in_group(activity: Activity) -> bool:
    """A channel or group chat, where Teams needs a mention (or RSC) to deliver a message."""
    conversation = activity.conversation
    return conversation is not None and conversation.conversation_type in ("channel", "groupChat")


def _card_attachment(card: dict[str, Any]) -> Any:
    return CardFactory.adaptive_card(card)


class _ActivityOnly:
    """What PrivateConversationState.get_storage_key reads of a TurnContext, before there is one."""

    __slots__ = ("activity",)

    def __init__(self, activity: Activity) -> None:
        self.activity = activity
