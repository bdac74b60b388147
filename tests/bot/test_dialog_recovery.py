"""A dialog saved by an older version (or lost in a restart) ends with a clear message."""

from __future__ import annotations

from botbuilder.core import MemoryStorage
from botbuilder.dialogs import DialogInstance, DialogState

from tests.harness import ANNA, start_harness, stop_harness


async def test_unknown_saved_dialog_ends_cleanly() -> None:
    storage = MemoryStorage()
    h = await start_harness(bot_storage=storage)
    try:
        await h.install(ANNA)  # a 1:1 chat works on the person's network: the team comes first
        await h.say("hjälp", ANNA, where="personal")
        conversation = f"a:personal-{ANNA.aad}"
        key = f"msteams/conversations/{conversation}/users/{ANNA.id}/"
        stored = await storage.read([key])
        state = stored.get(key) or {}
        state["dialog_state"] = DialogState([DialogInstance(id="a_dialog_that_no_longer_exists", state={})])
        state["e_tag"] = "*"
        await storage.write({key: state})

        texts = await h.say("svar på en fråga", ANNA, where="personal")
        assert texts and "omstart" in texts[0]
        # ...and the person is free again: the next message is understood as a command.
        assert len(await h.say_cards("hjälp", ANNA, where="personal")) == 1
        texts = await h.say("blabla", ANNA, where="personal")
        assert "förstod inte" in texts[0]
    finally:
        await stop_harness(h)
