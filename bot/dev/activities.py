"""Teams activities as Teams sends them, for the tests, the benchmarks and the developer tools.

One builder, so every test and benchmark speaks the same dialect, and it is the dialect of the
captured payloads in ../shared/payloads/ (02: a channel message with an ``<at>`` mention; 03: an
``adaptiveCard/action`` invoke; 04: a card ``value`` with ``replyToId``; 01: the bot added to a
team). Plain dicts, no botbuilder: a benchmark imports this without the bot.

Where an activity happens (``where``):
- ``"channel"``: the team's channel; the text starts with the bot's ``<at>`` mention, as Teams
  sends it in a channel.
- ``"personal"``: the person's 1:1 chat with the bot.
- ``"groupChat"``: a group chat (``conversation_id`` names it); Teams needs the bot's mention there
  too, so a message starts with it as in a channel.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

BOT_ID = "28:skis-bot"
BOT_NAME = "SKIS-boten"
TENANT = "b28fdbfd-2b78-4f93-b0f8-8881793f0f8f"
TEAM_ID = "19:skis-team@thread.tacv2"
TEAM_NAME = "SKIS"
GROUP_CHAT_ID = "19:planering@thread.v2"
BOT_MENTION = f"<at>{BOT_NAME}</at>"

CHANNEL = "channel"
PERSONAL = "personal"
GROUP_CHAT = "groupChat"


class Account(Protocol):
    """Someone who sends activities: ``from`` is their ``account()``; a mention needs the rest."""

    @property
    def id(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def aad(self) -> str: ...

    def account(self) -> dict[str, str]: ...


@dataclass(frozen=True)
class Person:
    """A Teams user: ``29:<aad>`` as their Teams id, as the tests and the developer tools name people."""

    name: str
    aad: str

    @property
    def id(self) -> str:
        return f"29:{self.aad}"

    def account(self) -> dict[str, str]:
        return {"id": self.id, "name": self.name, "aadObjectId": self.aad}


def base(
    user: Account,
    *,
    activity_id: str,
    service_url: str,
    where: str = CHANNEL,
    team_id: str = TEAM_ID,
    tenant: str = TENANT,
    thread: str = "1",
    conversation_id: str = GROUP_CHAT_ID,
    timestamp: datetime | None = None,
) -> dict[str, Any]:
    """What every activity from ``user`` carries: ids, the sender, the bot, and where it happens.

    ``thread`` is the message id of the channel thread (``<channel>;messageid=<thread>``)."""
    activity: dict[str, Any] = {
        "id": activity_id,
        "channelId": "msteams",
        "serviceUrl": service_url,
        "from": user.account(),
        "recipient": {"id": BOT_ID, "name": BOT_NAME},
        "locale": "sv-SE",
    }
    if timestamp is not None:
        activity["timestamp"] = timestamp.isoformat()
    if where == CHANNEL:
        # The general channel's id is the team id.
        activity["conversation"] = {"id": f"{team_id};messageid={thread}", "conversationType": "channel", "isGroup": True,
                                    "tenantId": tenant}
        activity["channelData"] = {"team": {"id": team_id, "name": TEAM_NAME}, "channel": {"id": team_id},
                                   "tenant": {"id": tenant}}
    elif where == GROUP_CHAT:
        activity["conversation"] = {"id": conversation_id, "conversationType": "groupChat", "isGroup": True, "tenantId": tenant}
        activity["channelData"] = {"tenant": {"id": tenant}}
    elif where == PERSONAL:
        activity["conversation"] = {"id": f"a:personal-{user.aad}", "conversationType": "personal", "tenantId": tenant}
        activity["channelData"] = {"tenant": {"id": tenant}}
    else:
        raise ValueError(f"where must be {CHANNEL}, {PERSONAL} or {GROUP_CHAT}, not {where!r}")
    return activity


def mention(person: Account) -> dict[str, Any]:
    """The mention entity for ``<at>name</at>`` in a message's text."""
    return {"type": "mention", "text": f"<at>{person.name}</at>",
            "mentioned": {"id": person.id, "name": person.name, "aadObjectId": person.aad}}


def message(text: str, user: Account, *, mentions: Iterable[Account] = (), **where: Any) -> dict[str, Any]:
    """A message with ``text``; in a channel or group chat it starts with the bot's mention, as Teams sends it.

    ``mentions``: people @-mentioned in ``text`` (written as ``<at>name</at>``). ``where``: as ``base``."""
    activity = base(user, **where)
    entities: list[dict[str, Any]] = []
    if where.get("where", CHANNEL) in (CHANNEL, GROUP_CHAT):
        text = f"{BOT_MENTION} {text}"
        entities.append({"type": "mention", "text": BOT_MENTION, "mentioned": {"id": BOT_ID, "name": BOT_NAME}})
    entities.extend(mention(person) for person in mentions)
    activity.update({"type": "message", "text": text, "textFormat": "plain", "entities": entities})
    return activity


def submit(data: dict[str, Any], user: Account, *, reply_to: str = "activity-1", **where: Any) -> dict[str, Any]:
    """A card's Action.Submit: a message with the card's ``value``, replying to the card's message."""
    activity = base(user, **where)
    activity.update({"type": "message", "value": data, "replyToId": reply_to})
    return activity


def invoke(verb: str, data: dict[str, Any], user: Account, *, reply_to: str = "activity-1", **where: Any) -> dict[str, Any]:
    """A card's Action.Execute: the ``adaptiveCard/action`` invoke with ``verb`` (also in the data, as our cards send it)."""
    activity = base(user, **where)
    activity.update(
        {
            "type": "invoke",
            "name": "adaptiveCard/action",
            "replyToId": reply_to,
            "value": {"action": {"type": "Action.Execute", "verb": verb, "data": {"action": verb, **data}}, "trigger": "manual"},
        }
    )
    return activity


def team_install(user: Account, **where: Any) -> dict[str, Any]:
    """The bot added to the team (``conversationUpdate``, ``teamMemberAdded``), posted in its channel."""
    activity = base(user, **where)
    team_id = activity["channelData"]["team"]["id"]
    activity.update(
        {
            "type": "conversationUpdate",
            "membersAdded": [{"id": BOT_ID}],
            "conversation": {"id": team_id, "conversationType": "channel", "isGroup": True,
                             "tenantId": activity["conversation"]["tenantId"]},
        }
    )
    activity["channelData"]["eventType"] = "teamMemberAdded"
    return activity


def conversation_ref(conversation_id: str, service_url: str, *, kind: str = CHANNEL, tenant: str = TENANT) -> dict[str, Any]:
    """A stored conversation reference (what the bot keeps to post proactively) to ``conversation_id``."""
    conversation: dict[str, Any] = {"id": conversation_id, "conversationType": kind}
    if kind != PERSONAL:
        conversation["isGroup"] = True
    conversation["tenantId"] = tenant
    return {
        "bot": {"id": BOT_ID, "name": BOT_NAME},
        "conversation": conversation,
        "channelId": "msteams",
        "serviceUrl": service_url,
    }
