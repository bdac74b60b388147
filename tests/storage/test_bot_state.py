"""TinyDBBotStorage: botbuilder's own storage contract, e-tags, and state surviving a restart."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from botbuilder.core import ConversationState, StoreItem, TurnContext
from botbuilder.core.adapters import TestAdapter
from botbuilder.dialogs import (
    DialogSet,
    DialogTurnStatus,
    PromptOptions,
    TextPrompt,
    WaterfallDialog,
    WaterfallStepContext,
)
from botbuilder.schema import Activity
from botbuilder.testing import StorageBaseTests

from storage.bot_state import TinyDBBotStorage, bot_state_partition
from storage.engine import Engine, MemoryEngine
from storage.tinydb_engine import TinyDBEngine, partition_relpath

BASE_TESTS = sorted(name for name in vars(StorageBaseTests) if not name.startswith("_"))


@pytest.fixture(params=["memory", "tinydb"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    eng: Engine = MemoryEngine() if request.param == "memory" else TinyDBEngine(tmp_path / "data")
    yield eng
    eng.close()


def test_base_tests_are_all_listed():
    assert len(BASE_TESTS) == 11
    assert "proceeds_through_waterfall" in BASE_TESTS


@pytest.mark.parametrize("name", BASE_TESTS)
async def test_botbuilder_storage_contract(engine, name):
    assert await getattr(StorageBaseTests, name)(TinyDBBotStorage(engine)) is True


async def test_stale_etag_is_refused_and_nothing_is_written(engine):
    storage = TinyDBBotStorage(engine)
    await storage.write({"a": {"n": 1, "e_tag": "*"}})
    await storage.write({"a": {"n": 2, "e_tag": "*"}})  # now carries a real e-tag
    first = (await storage.read(["a"]))["a"]
    await storage.write({"a": {**first, "n": 3}})
    current = await storage.read(["a", "b"])
    assert current["a"]["n"] == 3 and current["a"]["e_tag"] != first["e_tag"]
    with pytest.raises(KeyError, match="Etag conflict"):
        await storage.write({"b": {"n": 1}, "a": {**first, "n": 4}})
    assert await storage.read(["a", "b"]) == current
    with pytest.raises(Exception, match="etag missing"):
        await storage.write({"a": {"n": 5, "e_tag": ""}})


async def test_items_without_etag_get_none_like_memory_storage(engine):
    storage = TinyDBBotStorage(engine)
    await storage.write({"k": {"n": 1}})
    await storage.write({"k": {"n": 2}})
    assert await storage.read(["k"]) == {"k": {"n": 2}}


async def test_read_returns_copies(engine):
    storage = TinyDBBotStorage(engine)
    await storage.write({"k": {"list": [1]}})
    item = (await storage.read(["k"]))["k"]
    item["list"].append(2)
    assert (await storage.read(["k"]))["k"] == {"list": [1]}


async def test_delete_requires_keys(engine):
    with pytest.raises(Exception, match="Keys are required"):
        await TinyDBBotStorage(engine).delete(None)


async def test_objects_and_unicode_survive_restart(tmp_path):
    data_dir = tmp_path / "data"
    key = "msteams/conversations/19:åäö🎉@thread.tacv2/"
    with TinyDBEngine(data_dir) as eng:
        item = StoreItem(name="Åsa\x00\u200f", counts={1: "ett", "2": "två"}, e_tag="*")
        await TinyDBBotStorage(eng).write({key: item, "dict": {"activity": Activity(text="hej")}})
        assert eng.partition_names("botstate/") == sorted(
            [bot_state_partition(key), bot_state_partition("dict")]
        )
        assert (data_dir / partition_relpath(bot_state_partition(key))).is_file()
    with TinyDBEngine(data_dir) as eng:
        got = await TinyDBBotStorage(eng).read([key, "dict", "missing"])
    assert set(got) == {key, "dict"}
    assert isinstance(got[key], StoreItem)
    assert got[key].name == "Åsa\x00\u200f"
    assert got[key].counts == {1: "ett", "2": "två"}
    assert got[key].e_tag == "*"
    assert isinstance(got["dict"]["activity"], Activity) and got["dict"]["activity"].text == "hej"


def make_bot(storage: TinyDBBotStorage) -> TestAdapter:
    convo_state = ConversationState(storage)
    dialogs = DialogSet(convo_state.create_property("dialogState"))

    async def ask_name(step: WaterfallStepContext):
        return await step.prompt("text", PromptOptions(prompt=Activity(type="message", text="Vad heter du?")))

    async def ask_town(step: WaterfallStepContext):
        step.values["name"] = step.result
        return await step.prompt(
            "text", PromptOptions(prompt=Activity(type="message", text="Vilken kommun?"))
        )

    async def done(step: WaterfallStepContext):
        await step.context.send_activity(f"{step.values['name']} från {step.result}")
        return await step.end_dialog()

    dialogs.add(WaterfallDialog("intro", [ask_name, ask_town, done]))
    dialogs.add(TextPrompt("text"))

    async def logic(turn: TurnContext) -> None:
        dc = await dialogs.create_context(turn)
        result = await dc.continue_dialog()
        if result.status == DialogTurnStatus.Empty:
            await dc.begin_dialog("intro")
        await convo_state.save_changes(turn)

    return TestAdapter(logic)


async def test_dialog_state_survives_restart(tmp_path):
    data_dir = tmp_path / "data"
    with TinyDBEngine(data_dir) as eng:
        adapter = make_bot(TinyDBBotStorage(eng))
        step = await adapter.send("hej")
        step = await step.assert_reply("Vad heter du?")
        step = await step.send("Åsa Öberg")
        await step.assert_reply("Vilken kommun?")
    with TinyDBEngine(data_dir) as eng:  # "restart": new engine, new storage, new adapter
        adapter = make_bot(TinyDBBotStorage(eng))
        step = await adapter.send("Skövde")
        await step.assert_reply("Åsa Öberg från Skövde")
