"""botbuilder ``Storage`` (ConversationState, UserState, dialog stacks) on top of an Engine.

Each storage key gets its own partition ``botstate/<sha256 of key>`` holding one document, so
two conversations never rewrite each other's file and a write costs the same however many
conversations exist. The original key is kept in the document and checked on read.

Values are whatever botbuilder hands us: dicts or objects (DialogState, DialogInstance,
PromptOptions with Activities, StoreItem). They are written as plain JSON with a few tags
(``encode_state``), and read back by ``decode_state``, which builds objects only of the classes in
``ALLOWED_CLASSES`` (the SDK's dialog classes and its schema models: data holders, created without
running any of their code) and refuses everything else. A data file is therefore data, never
code: a modified file or backup cannot make the service import or call anything.

State written before this format (jsonpickle, ``py/object`` tags) is read through the same
allowlist; a stored item that cannot be read that way (an unknown class, ``py/reduce``, a damaged
document) is not loaded. If it held a dialog, the dialog is replaced by one this bot does not
know (``LOST_DIALOG_ID``), so the person is told on their next message that the question could
not be continued after a restart (bot/teams/bot.py), and the conversation goes on.

E-tags follow botbuilder's MemoryStorage rule for rule: ``""`` is refused; a stored item
without an e-tag accepts any write; ``"*"`` (or no e-tag) overwrites; any other e-tag must
match the stored one or the write raises; a new e-tag is assigned only when the stored item
already had one. Unlike MemoryStorage, all e-tags in one ``write`` call are checked before
anything is written, and e-tags are random so they stay unique across restarts.
"""

from __future__ import annotations

import enum
import hashlib
import inspect
import json
import logging
import uuid
from collections.abc import Iterable
from copy import deepcopy
from datetime import date, datetime
from typing import Any

from botbuilder.core import PrivateConversationState, Storage, StoreItem, TurnContext
from botbuilder.dialogs import DialogInstance, DialogState, PromptOptions
from botbuilder.dialogs.choices import Choice, ChoiceFactoryOptions, ListStyle

from storage.engine import Engine

log = logging.getLogger(__name__)

PARTITION_PREFIX = "botstate/"
FORMAT = 2  # 1 (no "format" field): jsonpickle
_TABLE = "state"
_DOC = "item"
# A dialog id no version of the bot registers: a stack holding it ends with "core.dialog_lost".
LOST_DIALOG_ID = "skis.state_not_loaded"
# Deeper than any dialog state the bot writes; a deeper document is refused, not recursed into.
MAX_DEPTH = 64

_OBJECT = "$object"
_STATE = "$state"
_ENUM = "$enum"
_VALUE = "$value"
_TUPLE = "$tuple"
_ITEMS = "$items"
_DATETIME = "$datetime"
_DATE = "$date"
# Key prefixes that mark tags (ours, and jsonpickle's in state written before FORMAT 2).
_TAGGED = ("$", "py/", "json://")


def _qualified(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _allowed_classes() -> dict[str, type]:
    import botbuilder.schema
    import botbuilder.schema.teams
    from msrest.serialization import Model

    classes: list[type] = [DialogState, DialogInstance, PromptOptions, StoreItem, Choice, ChoiceFactoryOptions]
    # The schema models (Activity, Attachment, ChannelAccount, ...) are plain data holders.
    for module in (botbuilder.schema, botbuilder.schema.teams):
        classes.extend(
            c for c in vars(module).values() if inspect.isclass(c) and issubclass(c, Model) and not issubclass(c, enum.Enum)
        )
    return {_qualified(c): c for c in classes}


def _allowed_enums() -> dict[str, type[enum.Enum]]:
    import botbuilder.schema
    import botbuilder.schema.teams

    enums: list[type[enum.Enum]] = [ListStyle]
    for module in (botbuilder.schema, botbuilder.schema.teams):
        enums.extend(c for c in vars(module).values() if inspect.isclass(c) and issubclass(c, enum.Enum))
    return {_qualified(c): c for c in enums}


ALLOWED_CLASSES: dict[str, type] = _allowed_classes()
ALLOWED_ENUMS: dict[str, type[enum.Enum]] = _allowed_enums()


class StateFormatError(ValueError):
    """A stored value is not something ``decode_state`` may build (unknown class, a code tag, damage)."""


def bot_state_partition(key: str) -> str:
    """The engine partition holding botbuilder storage key ``key``."""
    return PARTITION_PREFIX + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


# Encoding -----------------------------------------------------------------------------------------


def encode_state(value: Any, depth: int = 0) -> Any:
    """``value`` as plain JSON; TypeError for anything ``decode_state`` could not build again."""
    if depth > MAX_DEPTH:
        raise TypeError("dialog state is nested too deeply to store")
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, enum.Enum):
        name = _qualified(type(value))
        if name not in ALLOWED_ENUMS:
            raise TypeError(f"cannot store {name} in dialog state")
        return {_ENUM: name, _VALUE: encode_state(value.value, depth + 1)}
    if isinstance(value, datetime):
        return {_DATETIME: value.isoformat()}
    if isinstance(value, date):
        return {_DATE: value.isoformat()}
    if isinstance(value, list):
        return [encode_state(v, depth + 1) for v in value]
    if isinstance(value, tuple):
        return {_TUPLE: [encode_state(v, depth + 1) for v in value]}
    if isinstance(value, dict):
        if all(isinstance(k, str) and not k.startswith(_TAGGED) for k in value):
            return {k: encode_state(v, depth + 1) for k, v in value.items()}
        # Keys a JSON object cannot hold as they are (ints, tuples, or text that looks like a
        # tag): a list of pairs.
        return {_ITEMS: [[encode_state(k, depth + 1), encode_state(v, depth + 1)] for k, v in value.items()]}
    name = _qualified(type(value))
    if name not in ALLOWED_CLASSES:
        raise TypeError(f"cannot store {name} in dialog state (not in bot.teams.state.ALLOWED_CLASSES)")
    return {_OBJECT: name, _STATE: encode_state(dict(vars(value)), depth + 1)}


# Decoding -----------------------------------------------------------------------------------------


def decode_state(data: Any, depth: int = 0) -> Any:
    """The value ``encode_state`` wrote (or jsonpickle did, within the allowlist); StateFormatError otherwise."""
    if depth > MAX_DEPTH:
        raise StateFormatError("nested too deeply")
    if data is None or isinstance(data, (bool, int, float, str)):
        return data
    if isinstance(data, list):
        return [decode_state(v, depth + 1) for v in data]
    if not isinstance(data, dict):
        raise StateFormatError(f"unexpected {type(data).__name__}")
    if any(k.startswith("py/") for k in data):
        return _decode_legacy(data, depth)
    tags = [k for k in data if k.startswith("$")]
    if not tags:
        return _mapping(data, depth)
    if set(data) == {_OBJECT, _STATE}:
        state = decode_state(data[_STATE], depth + 1)
        if not isinstance(state, dict) or not all(isinstance(k, str) for k in state):
            raise StateFormatError("an object's state is not a mapping of attribute names")
        return _build(data[_OBJECT], state)
    if set(data) == {_ENUM, _VALUE}:
        return _enum(data[_ENUM], decode_state(data[_VALUE], depth + 1))
    if set(data) == {_TUPLE} and isinstance(data[_TUPLE], list):
        return tuple(decode_state(v, depth + 1) for v in data[_TUPLE])
    if set(data) == {_ITEMS} and isinstance(data[_ITEMS], list):
        items: dict[Any, Any] = {}
        for pair in data[_ITEMS]:
            if not isinstance(pair, list) or len(pair) != 2:
                raise StateFormatError("a mapping entry is not a pair")
            key = decode_state(pair[0], depth + 1)
            if not isinstance(key, (str, int, float, bool, tuple)) and key is not None:
                raise StateFormatError("a mapping key is not a plain value")
            items[key] = decode_state(pair[1], depth + 1)
        return items
    if set(data) == {_DATETIME} and isinstance(data[_DATETIME], str):
        return _parse(datetime.fromisoformat, data[_DATETIME])
    if set(data) == {_DATE} and isinstance(data[_DATE], str):
        return _parse(date.fromisoformat, data[_DATE])
    raise StateFormatError(f"unknown tags {sorted(tags)}")


def _parse(parse: Any, text: str) -> Any:
    try:
        return parse(text)
    except ValueError:
        raise StateFormatError(f"not a date: {text[:40]!r}") from None


def _build(name: Any, state: dict[str, Any]) -> Any:
    cls = ALLOWED_CLASSES.get(name) if isinstance(name, str) else None
    if cls is None:
        raise StateFormatError(f"class {str(name)[:200]!r} is not allowed in dialog state")
    # No constructor, no __setstate__: the allowed classes are data holders, this only fills them.
    obj: Any = object.__new__(cls)
    obj.__dict__.update(state)
    return obj


def _enum(name: Any, value: Any) -> enum.Enum:
    cls = ALLOWED_ENUMS.get(name) if isinstance(name, str) else None
    if cls is None:
        raise StateFormatError(f"enum {str(name)[:200]!r} is not allowed in dialog state")
    try:
        return cls(value)
    except ValueError:
        raise StateFormatError(f"{value!r} is not a value of {name}") from None


def _decode_legacy(data: dict[str, Any], depth: int) -> Any:
    """jsonpickle's tags, as far as the allowlist goes: objects of allowed classes and tuples."""
    if "py/object" in data:
        state = {k: v for k, v in data.items() if k != "py/object"}
        if any(k.startswith("py/") for k in state):
            raise StateFormatError(f"unsupported jsonpickle tags {sorted(k for k in state if k.startswith('py/'))}")
        return _build(data["py/object"], _mapping(state, depth))
    if set(data) == {"py/tuple"} and isinstance(data["py/tuple"], list):
        return tuple(decode_state(v, depth + 1) for v in data["py/tuple"])
    # py/reduce, py/function, py/type, py/id, py/repr, ...: never.
    raise StateFormatError(f"unsupported jsonpickle tags {sorted(k for k in data if k.startswith('py/'))}")


def _mapping(data: dict[str, Any], depth: int) -> dict[Any, Any]:
    out: dict[Any, Any] = {}
    for key, value in data.items():
        if key.startswith("json://"):
            # jsonpickle's keys=True form of a non-str key (encode_state never writes one);
            # only plain JSON values are taken.
            try:
                key = json.loads(key[len("json://"):])
            except ValueError:
                raise StateFormatError("a damaged mapping key") from None
            if isinstance(key, (dict, list)):
                raise StateFormatError("a mapping key that is not a plain value")
        out[key] = decode_state(value, depth + 1)
    return out


def check_stored_document(doc: Any) -> None:
    """StateFormatError unless ``doc`` is a readable stored item (restore checks every one with this)."""
    if not isinstance(doc, dict) or not isinstance(doc.get("key"), str):
        raise StateFormatError("a dialog state document without its key")
    if set(doc) - {"key", "e_tag", "format", "item"}:
        raise StateFormatError(f"unexpected fields {sorted(set(doc) - {'key', 'e_tag', 'format', 'item'})}")
    if doc.get("e_tag") is not None and not isinstance(doc["e_tag"], str):
        raise StateFormatError("an e-tag that is not text")
    if doc.get("format", 1) not in (1, FORMAT):
        raise StateFormatError(f"unknown dialog state format {doc.get('format')!r}")
    decode_state(doc.get("item"))


def _lost_item(data: Any) -> Any:
    """What to hand botbuilder for an item that cannot be loaded: each property that held an object
    (the bot keeps only dialog stacks there) becomes a stack with LOST_DIALOG_ID; nothing else is kept."""
    if not isinstance(data, dict):
        return None
    lost = {
        key: DialogState([DialogInstance(id=LOST_DIALOG_ID, state={})])
        for key, value in data.items()
        if isinstance(key, str) and not key.startswith(_TAGGED) and isinstance(value, dict)
    }
    return lost or None


def _etag_of(item: Any) -> Any:
    if isinstance(item, dict):
        return item.get("e_tag")
    return getattr(item, "e_tag", None)


def _set_etag(item: Any, e_tag: str) -> None:
    if isinstance(item, dict):
        item["e_tag"] = e_tag
    else:
        item.e_tag = e_tag


class PersonalDialogState(PrivateConversationState):
    """Each person's dialog state in each conversation, read from storage once per turn.

    botbuilder's Python ``BotState.load`` reads storage again whenever the state it loaded is
    empty (its test is "falsy", the other SDKs test for "not loaded"), so every message of a person
    with no dialog under way read the state twice; on PostgreSQL each read is a round trip."""

    async def load(self, turn_context: TurnContext, force: bool = False) -> None:
        if not force and self.get_cached_state(turn_context) is not None:
            return
        await super().load(turn_context, force)


class EngineBotStorage(Storage):
    """botbuilder Storage persisted through the records' Engine (TinyDB, or PostgreSQL shared by every instance)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    async def _stored(self, key: str) -> dict[str, Any] | None:
        return _doc_of((await self._engine.read(bot_state_partition(key))).get(_TABLE, _DOC), key)

    async def read(self, keys: Iterable[str] | None) -> dict[str, Any]:
        """The stored items for ``keys`` that exist, as fresh objects."""
        if keys is None:
            raise Exception("Keys are required when reading")
        items: dict[str, Any] = {}
        for key in keys:
            doc = await self._stored(key)
            if doc is None:
                continue
            try:
                check_stored_document(doc)
                items[key] = decode_state(doc["item"])
            except StateFormatError as exc:
                # Logged without content: the document may hold what a person typed.
                log.warning("dialog state %s could not be loaded (%s); the person is told it was lost",
                            bot_state_partition(key), str(exc)[:200])
                lost = _lost_item(doc.get("item"))
                if lost is not None:
                    items[key] = lost
        return items

    async def write(self, changes: dict[str, Any] | None) -> None:
        """Store ``changes``; raises (writing nothing) if any e-tag is stale or empty."""
        if changes is None:
            raise Exception("Changes are required when writing")
        if not changes:
            return
        staged: list[tuple[str, Any]] = []
        for key, change in changes.items():
            new_state = deepcopy(change)
            if _etag_of(new_state) == "":
                raise Exception("EngineBotStorage.write(): etag missing")
            # Checked for every key before anything is written, so a stale key writes nothing ...
            _check_etag(new_state, await self._stored(key))
            staged.append((key, new_state))
        for key, new_state in staged:
            async with self._engine.write(bot_state_partition(key)) as tx:
                # ... and again under the partition's lock: another instance may have saved this
                # conversation's state since (its next answer reached that instance).
                old = _doc_of(tx.get(_TABLE, _DOC), key)
                _check_etag(new_state, old)
                if old is not None and old.get("e_tag"):
                    _set_etag(new_state, uuid.uuid4().hex)
                tx.put(_TABLE, _DOC, {"key": key, "e_tag": _etag_of(new_state), "format": FORMAT,
                                      "item": encode_state(new_state)})

    async def delete(self, keys: Iterable[str] | None) -> None:
        """Remove ``keys``; unknown keys are ignored."""
        if keys is None:
            raise Exception("Keys are required when deleting")
        for key in keys:
            async with self._engine.write(bot_state_partition(key)) as tx:
                if _doc_of(tx.get(_TABLE, _DOC), key) is not None:
                    tx.delete(_TABLE, _DOC)


def _doc_of(doc: dict[str, Any] | None, key: str) -> dict[str, Any] | None:
    """The stored state of ``key`` (None also when the partition holds another key's, a hash clash)."""
    if doc is None or doc.get("key") != key:
        return None
    return doc


def _check_etag(new_state: Any, old: dict[str, Any] | None) -> None:
    old_etag = old.get("e_tag") if old is not None else None
    new_etag = _etag_of(new_state)
    if old_etag is not None and new_etag is not None and new_etag != "*" and new_etag != old_etag:
        raise KeyError(f"Etag conflict.\nOriginal: {new_etag}\r\nCurrent: {old_etag}")
