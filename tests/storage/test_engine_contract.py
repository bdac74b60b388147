"""The Engine contract, run against every engine (MemoryEngine and TinyDBEngine)."""

from __future__ import annotations

import pytest

from storage.engine import StorageError
from tests.storage.conftest import FAILURES

WEIRD_TEXT = [
    "Åsa Öberg, Mölndal — ärende på gång",
    "🎉👩🏽‍🏫🇸🇪",
    "nul\x00byte",
    "\u200fשלום\u202eevil\u202c mark",
    'tab\tnew\nline "quote" \\ back',
    "",
    "\ufeffbom \u2028 separator",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
]

NAMES = [
    "global",
    "team/19:abc@thread.tacv2",
    "team/19:abc@thread.tacv2/meeting/2025-03-14",
    "team/19:ABC@thread.tacv2",
    "team/a:1Xy-Åsa/🎉",
    "team/plain",
    "botstate/0123abcd",
    "misc",
]


def test_get_missing_and_empty_partition(kit):
    engine = kit.open()
    part = engine.partition("team/t1")
    assert part.name == "team/t1"
    assert part.get("members", "nobody") is None
    assert part.all("members") == []
    assert engine.partition_names() == []


def test_put_get_all_delete(kit):
    engine = kit.open()
    part = engine.partition("team/t1")
    with part.write() as tx:
        tx.put("members", "u1", {"name": "Åsa", "roles": ["lead"]})
        tx.put("members", "u2", {"name": "Bo", "n": 2})
    assert part.get("members", "u1") == {"name": "Åsa", "roles": ["lead"]}
    assert sorted(d["name"] for d in part.all("members")) == ["Bo", "Åsa"]

    with part.write() as tx:
        tx.put("members", "u1", {"name": "Åsa Ö"})  # replaces, does not merge
        tx.delete("members", "u2")
        tx.delete("members", "never-existed")
    assert part.get("members", "u1") == {"name": "Åsa Ö"}
    assert part.get("members", "u2") is None
    assert part.all("members") == [{"name": "Åsa Ö"}]


def test_multi_table_transaction_is_all_or_nothing_for_readers(kit):
    engine = kit.open()
    part = engine.partition("team/t1/meeting/m1")
    with part.write() as tx:
        tx.put("agenda", "a1", {"title": "Läget"})
        tx.put("attendance", "u1", {"present": True})
        # Staged, not yet visible.
        assert part.get("agenda", "a1") is None
        assert part.all("attendance") == []
    assert part.get("agenda", "a1") == {"title": "Läget"}
    assert part.get("attendance", "u1") == {"present": True}


def test_ops_apply_in_order(kit):
    engine = kit.open()
    part = engine.partition("global")
    with part.write() as tx:
        tx.put("t", "k", {"v": 1})
    with part.write() as tx:
        tx.delete("t", "k")
        tx.put("t", "k", {"v": 2})
        tx.put("t", "j", {"v": 3})
        tx.delete("t", "j")
    assert part.get("t", "k") == {"v": 2}
    assert part.get("t", "j") is None


def test_exception_in_block_applies_nothing(kit):
    engine = kit.open()
    part = engine.partition("global")
    with pytest.raises(RuntimeError), part.write() as tx:
        tx.put("t", "k", {"v": 1})
        raise RuntimeError("caller gave up")
    assert part.get("t", "k") is None
    assert engine.partition_names() == []


def test_empty_transaction_creates_nothing(kit):
    engine = kit.open()
    with engine.partition("team/empty").write():
        pass
    assert engine.partition_names() == []


def test_stored_doc_is_a_copy_and_json_shaped(kit):
    engine = kit.open()
    part = engine.partition("global")
    doc = {"list": [1, 2], "tuple": (3, 4), "nested": {"a": None}}
    with part.write() as tx:
        tx.put("t", "k", doc)
    doc["list"].append(99)
    doc["nested"]["a"] = "changed"
    assert part.get("t", "k") == {"list": [1, 2], "tuple": [3, 4], "nested": {"a": None}}


@pytest.mark.parametrize(
    "bad",
    [
        {"when": __import__("datetime").datetime(2025, 1, 1)},
        {"x": float("nan")},
        {"s": "\ud800"},
        ["not", "a", "dict"],
    ],
)
def test_unstorable_doc_is_refused_at_put(kit, bad):
    engine = kit.open()
    part = engine.partition("global")
    with pytest.raises((TypeError, ValueError)), part.write() as tx:
        tx.put("t", "ok", {"fine": True})
        tx.put("t", "bad", bad)
    assert part.get("t", "ok") is None


def test_non_str_key_is_refused(kit):
    engine = kit.open()
    with pytest.raises(TypeError), engine.partition("global").write() as tx:
        tx.put("t", 1, {"v": 1})  # type: ignore[arg-type]


def test_unicode_round_trips_exactly_also_after_reopen(kit):
    engine = kit.open()
    part = engine.partition("team/Åsa 🎉\u200f")
    with part.write() as tx:
        for i, text in enumerate(WEIRD_TEXT):
            tx.put("texts", text, {"i": i, "text": text, text: [text, {text: text}]})
        tx.put("tabell åäö 🎉", "k", {"v": WEIRD_TEXT})
    engine = kit.reopen(engine)
    part = engine.partition("team/Åsa 🎉\u200f")
    for i, text in enumerate(WEIRD_TEXT):
        assert part.get("texts", text) == {"i": i, "text": text, text: [text, {text: text}]}
    assert part.get("tabell åäö 🎉", "k") == {"v": WEIRD_TEXT}
    assert engine.partition_names() == ["team/Åsa 🎉\u200f"]


def test_partition_names_and_prefixes(kit):
    engine = kit.open()
    for i, name in enumerate(NAMES):
        with engine.partition(name).write() as tx:
            tx.put("t", "k", {"i": i, "name": name})
    assert engine.partition_names() == sorted(NAMES)
    assert engine.partition_names("team/") == sorted(n for n in NAMES if n.startswith("team/"))
    assert engine.partition_names("team/19:abc@thread.tacv2/meeting/") == [
        "team/19:abc@thread.tacv2/meeting/2025-03-14"
    ]
    assert engine.partition_names("nothing/") == []
    engine = kit.reopen(engine)
    assert engine.partition_names() == sorted(NAMES)
    # Names that differ only by case (or are similar after sanitizing) stay distinct.
    for i, name in enumerate(NAMES):
        assert engine.partition(name).get("t", "k") == {"i": i, "name": name}


def test_partitions_are_independent(kit):
    engine = kit.open()
    with engine.partition("team/a").write() as tx:
        tx.put("t", "k", {"v": "a"})
    with engine.partition("team/b").write() as tx:
        tx.put("t", "k", {"v": "b"})
    assert engine.partition("team/a").get("t", "k") == {"v": "a"}
    assert engine.partition("team/b").get("t", "k") == {"v": "b"}


def test_reopen_persists(kit):
    engine = kit.open()
    with engine.partition("global").write() as tx:
        tx.put("teams", "t1", {"name": "SKIS"})
    with engine.partition("global").write() as tx:
        tx.put("teams", "t2", {"name": "Skövde"})
        tx.delete("teams", "t1")
    engine = kit.reopen(engine)
    assert engine.partition("global").all("teams") == [{"name": "Skövde"}]
    assert engine.check() is True


@pytest.mark.parametrize("how", FAILURES)
@pytest.mark.parametrize("existing", [True, False], ids=["existing", "new"])
def test_failed_commit_leaves_partition_unchanged(kit, monkeypatch, how, existing):
    engine = kit.open()
    part = engine.partition("team/t1")
    if existing:
        with part.write() as tx:
            tx.put("members", "u1", {"v": 1})
            tx.put("members", "u3", {"v": 3})
    before = {k: part.get("members", k) for k in ("u1", "u2", "u3")}
    names_before = engine.partition_names()

    with monkeypatch.context() as broken:
        kit.break_commits(broken, how)
        with pytest.raises(StorageError), part.write() as tx:
            tx.put("members", "u1", {"v": "new"})
            tx.put("members", "u2", {"v": 2})
            tx.delete("members", "u3")

    assert {k: part.get("members", k) for k in ("u1", "u2", "u3")} == before
    assert engine.partition_names() == names_before
    engine = kit.reopen(engine)
    part = engine.partition("team/t1")
    assert {k: part.get("members", k) for k in ("u1", "u2", "u3")} == before
    assert engine.partition_names() == names_before
    # And the disk works again afterwards.
    with part.write() as tx:
        tx.put("members", "u2", {"v": 2})
    assert part.get("members", "u2") == {"v": 2}
