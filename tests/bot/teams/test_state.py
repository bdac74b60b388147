"""EngineBotStorage: botbuilder's own storage contract, e-tags, and state surviving a restart."""

from __future__ import annotations

import copy
import json
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from botbuilder.core import ConversationState, StoreItem, TurnContext
from botbuilder.core.adapters import TestAdapter
from botbuilder.dialogs import (
    DialogInstance,
    DialogSet,
    DialogState,
    DialogTurnStatus,
    PromptOptions,
    TextPrompt,
    WaterfallDialog,
    WaterfallStepContext,
)
from botbuilder.dialogs.choices import ListStyle
from botbuilder.schema import Activity
from botbuilder.testing import StorageBaseTests

from bot.teams.state import (
    LOST_DIALOG_ID,
    EngineBotStorage,
    StateFormatError,
    bot_state_partition,
    check_stored_document,
    decode_state,
    encode_state,
)
from storage.engine import Engine, MemoryEngine
from storage.tinydb_engine import TinyDBEngine, partition_relpath

BASE_TESTS = sorted(name for name in vars(StorageBaseTests) if not name.startswith("_"))


@pytest.fixture(params=["memory", "tinydb"])
async def engine(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Engine]:
    eng: Engine = MemoryEngine() if request.param == "memory" else TinyDBEngine(tmp_path / "data")
    yield eng
    await eng.close()


def test_base_tests_are_all_listed():
    assert len(BASE_TESTS) == 11
    assert "proceeds_through_waterfall" in BASE_TESTS


@pytest.mark.parametrize("name", BASE_TESTS)
async def test_botbuilder_storage_contract(engine, name):
    assert await getattr(StorageBaseTests, name)(EngineBotStorage(engine)) is True


async def test_stale_etag_is_refused_and_nothing_is_written(engine):
    storage = EngineBotStorage(engine)
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
    storage = EngineBotStorage(engine)
    await storage.write({"k": {"n": 1}})
    await storage.write({"k": {"n": 2}})
    assert await storage.read(["k"]) == {"k": {"n": 2}}


async def test_read_returns_copies(engine):
    storage = EngineBotStorage(engine)
    await storage.write({"k": {"list": [1]}})
    item = (await storage.read(["k"]))["k"]
    item["list"].append(2)
    assert (await storage.read(["k"]))["k"] == {"list": [1]}


async def test_delete_requires_keys(engine):
    with pytest.raises(Exception, match="Keys are required"):
        await EngineBotStorage(engine).delete(None)


async def test_objects_and_unicode_survive_restart(tmp_path):
    data_dir = tmp_path / "data"
    key = "msteams/conversations/19:åäö🎉@thread.tacv2/"
    with TinyDBEngine(data_dir) as eng:
        item = StoreItem(name="Åsa\x00\u200f", counts={1: "ett", "2": "två"}, e_tag="*")
        await EngineBotStorage(eng).write({key: item, "dict": {"activity": Activity(text="hej")}})
        assert await eng.partition_names("botstate/") == sorted(
            [bot_state_partition(key), bot_state_partition("dict")]
        )
        assert (data_dir / partition_relpath(bot_state_partition(key))).is_file()
    with TinyDBEngine(data_dir) as eng:
        got = await EngineBotStorage(eng).read([key, "dict", "missing"])
    assert set(got) == {key, "dict"}
    assert isinstance(got[key], StoreItem)
    assert got[key].name == "Åsa\x00\u200f"
    assert got[key].counts == {1: "ett", "2": "två"}
    assert got[key].e_tag == "*"
    assert isinstance(got["dict"]["activity"], Activity) and got["dict"]["activity"].text == "hej"


def make_bot(storage: EngineBotStorage) -> TestAdapter:
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
        adapter = make_bot(EngineBotStorage(eng))
        step = await adapter.send("hej")
        step = await step.assert_reply("Vad heter du?")
        step = await step.send("Åsa Öberg")
        await step.assert_reply("Vilken kommun?")
    with TinyDBEngine(data_dir) as eng:  # "restart": new engine, new storage, new adapter
        adapter = make_bot(EngineBotStorage(eng))
        step = await adapter.send("Skövde")
        await step.assert_reply("Åsa Öberg från Skövde")


# The stored format: plain JSON, objects only of allowed classes -----------------------------------


def _py_reduce(marker: Path) -> dict:
    """The payload from issue 18: jsonpickle's ``py/reduce`` calling a function named in the data."""
    return {"py/reduce": [{"py/function": "builtins.exec"},
                          {"py/tuple": [f"import pathlib; pathlib.Path({str(marker)!r}).touch()"]}]}


async def _stored_doc(engine: Engine, key: str) -> dict:
    # A copy to change: what a snapshot returns belongs to the engine.
    return copy.deepcopy((await engine.read(bot_state_partition(key))).get("state", "item"))


async def _put_doc(engine: Engine, key: str, item: object, **extra: object) -> None:
    async with engine.write(bot_state_partition(key)) as tx:
        tx.put("state", "item", {"key": key, "e_tag": None, **extra, "item": item})


async def test_stored_state_is_plain_json_without_code_tags(tmp_path):
    data_dir = tmp_path / "data"
    with TinyDBEngine(data_dir) as eng:
        adapter = make_bot(EngineBotStorage(eng))
        step = await adapter.send("hej")
        await step.assert_reply("Vad heter du?")
    raw = b"".join(p.read_bytes() for p in (data_dir / "botstate").iterdir())
    assert b"DialogState" in raw and b'"format":2' in raw
    assert b"py/" not in raw


@pytest.mark.parametrize(
    "payload",
    [
        "py_reduce_top",  # the whole dialog state replaced
        "py_reduce_nested",  # hidden in a waiting dialog's options
        "unknown_class",  # our own tag naming a class outside the allowlist
        "legacy_unknown_class",
    ],
)
async def test_state_naming_code_or_unknown_classes_is_never_built(engine, tmp_path, payload):
    marker = tmp_path / "code-ran"
    good = EngineBotStorage(engine)
    await good.write({"k": {"dialog_state": DialogState([DialogInstance(id="x", state={"options": PromptOptions()})])}})
    item = (await _stored_doc(engine, "k"))["item"]
    if payload == "py_reduce_top":
        item["dialog_state"] = _py_reduce(marker)
    elif payload == "py_reduce_nested":
        item["dialog_state"]["$state"]["_dialog_stack"][0]["$state"]["state"]["options"] = _py_reduce(marker)
    elif payload == "unknown_class":
        item["dialog_state"]["$object"] = "subprocess.Popen"
        item["dialog_state"]["$state"] = {"args": f"touch {marker}"}
    else:
        item["dialog_state"] = {"py/object": "subprocess.Popen", "args": f"touch {marker}"}
    await _put_doc(engine, "k", item, format=2)

    got = await EngineBotStorage(engine).read(["k"])
    assert not marker.exists()
    # The dialog cannot be continued; it is replaced by one no version of the bot knows, so
    # the bot tells the person (tests/bot/test_dialog_recovery.py) instead of failing.
    assert [d.id for d in got["k"]["dialog_state"].dialog_stack] == [LOST_DIALOG_ID]
    with pytest.raises(StateFormatError):
        check_stored_document(await _stored_doc(engine, "k"))


async def test_state_of_other_types_is_refused_when_written(engine):
    with pytest.raises(TypeError, match="cannot store"):
        await EngineBotStorage(engine).write({"k": {"odd": Path("/etc")}})
    assert await EngineBotStorage(engine).read(["k"]) == {}


@pytest.mark.parametrize("value", [
    {"$object": "x", "plain": 1}, {"py/x": 1, "json://1": 2}, {1: "ett", (1, "a"): [("t",)]},
    {"when": datetime(2026, 1, 9, 8, tzinfo=UTC), "day": date(2026, 1, 9), "style": ListStyle.suggested_action},
])
def test_encoding_round_trips_values_that_look_like_tags(value):
    encoded = encode_state(value)
    assert json.loads(json.dumps(encoded)) == encoded
    assert decode_state(encoded) == value


def _jsonpickle(value: object) -> object:
    """State as the bot stored it before format 2."""
    from jsonpickle.pickler import Pickler

    return Pickler(unpicklable=True, keys=True).flatten(value, reset=True)


async def test_state_written_by_jsonpickle_loads_through_the_allowlist(tmp_path):
    data_dir = tmp_path / "data"
    with TinyDBEngine(data_dir) as eng:
        storage = EngineBotStorage(eng)
        adapter = make_bot(storage)
        step = await adapter.send("hej")
        step = await step.assert_reply("Vad heter du?")
        step = await step.send("Åsa Öberg")
        await step.assert_reply("Vilken kommun?")
        # Rewrite every stored item as the previous version wrote it.
        for name in await eng.partition_names("botstate/"):
            doc = (await eng.read(name)).get("state", "item")
            value = await storage.read([doc["key"]])
            async with eng.write(name) as tx:
                tx.put("state", "item", {"key": doc["key"], "e_tag": doc["e_tag"], "item": _jsonpickle(value[doc["key"]])})
    assert b"py/object" in b"".join(p.read_bytes() for p in (data_dir / "botstate").iterdir())
    with TinyDBEngine(data_dir) as eng:
        adapter = make_bot(EngineBotStorage(eng))
        step = await adapter.send("Skövde")
        await step.assert_reply("Åsa Öberg från Skövde")
