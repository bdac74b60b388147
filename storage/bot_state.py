"""botbuilder ``Storage`` (ConversationState, UserState, dialog stacks) on top of an Engine.

Each storage key gets its own partition ``botstate/<sha256 of key>`` holding one document, so
two conversations never rewrite each other's file and a write costs the same however many
conversations exist. The original key is kept in the document and checked on read.

Values are whatever botbuilder hands us: dicts or objects (DialogState, DialogInstance,
PromptOptions with Activities, StoreItem). They are flattened with jsonpickle, as botbuilder's
own BlobStorage does, so they come back as the same types after a restart. jsonpickle imports
the classes named in the data; that is acceptable because only this process writes the files.

E-tags follow botbuilder's MemoryStorage rule for rule: ``""`` is refused; a stored item
without an e-tag accepts any write; ``"*"`` (or no e-tag) overwrites; any other e-tag must
match the stored one or the write raises; a new e-tag is assigned only when the stored item
already had one. Unlike MemoryStorage, all e-tags in one ``write`` call are checked before
anything is written, and e-tags are random so they stay unique across restarts.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable
from copy import deepcopy
from typing import Any

from botbuilder.core import Storage
from jsonpickle.pickler import Pickler
from jsonpickle.unpickler import Unpickler

from storage.engine import Engine

PARTITION_PREFIX = "botstate/"
_TABLE = "state"
_DOC = "item"


def bot_state_partition(key: str) -> str:
    """The engine partition holding botbuilder storage key ``key``."""
    return PARTITION_PREFIX + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def _etag_of(item: Any) -> Any:
    if isinstance(item, dict):
        return item.get("e_tag")
    return getattr(item, "e_tag", None)


def _set_etag(item: Any, e_tag: str) -> None:
    if isinstance(item, dict):
        item["e_tag"] = e_tag
    else:
        item.e_tag = e_tag


def _flatten(item: Any) -> Any:
    # keys=True keeps non-str dict keys (ints, tuples) intact through JSON.
    return Pickler(unpicklable=True, keys=True).flatten(item, reset=True)


def _restore(data: Any) -> Any:
    return Unpickler(keys=True, safe=True).restore(data, reset=True)


class TinyDBBotStorage(Storage):
    """botbuilder Storage persisted through an Engine (TinyDBEngine in production)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def _stored(self, key: str) -> dict[str, Any] | None:
        doc = self._engine.partition(bot_state_partition(key)).get(_TABLE, _DOC)
        if doc is None or doc.get("key") != key:
            return None
        return doc

    async def read(self, keys: Iterable[str] | None) -> dict[str, Any]:
        """The stored items for ``keys`` that exist, as fresh objects."""
        if keys is None:
            raise Exception("Keys are required when reading")
        items: dict[str, Any] = {}
        for key in keys:
            doc = self._stored(key)
            if doc is not None:
                items[key] = _restore(doc["item"])
        return items

    async def write(self, changes: dict[str, Any] | None) -> None:
        """Store ``changes``; raises (writing nothing) if any e-tag is stale or empty."""
        if changes is None:
            raise Exception("Changes are required when writing")
        if not changes:
            return
        staged: list[tuple[str, dict[str, Any]]] = []
        for key, change in changes.items():
            new_state = deepcopy(change)
            new_etag = _etag_of(new_state)
            if new_etag == "":
                raise Exception("TinyDBBotStorage.write(): etag missing")
            old = self._stored(key)
            old_etag = old.get("e_tag") if old is not None else None
            if old_etag is not None and new_etag is not None and new_etag != "*" and new_etag != old_etag:
                raise KeyError(f"Etag conflict.\nOriginal: {new_etag}\r\nCurrent: {old_etag}")
            if old_etag:
                _set_etag(new_state, uuid.uuid4().hex)
            doc = {"key": key, "e_tag": _etag_of(new_state), "item": _flatten(new_state)}
            staged.append((key, doc))
        for key, doc in staged:
            with self._engine.partition(bot_state_partition(key)).write() as tx:
                tx.put(_TABLE, _DOC, doc)

    async def delete(self, keys: Iterable[str] | None) -> None:
        """Remove ``keys``; unknown keys are ignored."""
        if keys is None:
            raise Exception("Keys are required when deleting")
        for key in keys:
            if self._stored(key) is not None:
                with self._engine.partition(bot_state_partition(key)).write() as tx:
                    tx.delete(_TABLE, _DOC)
