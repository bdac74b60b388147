"""The Engine contract, run against every engine (MemoryEngine, TinyDBEngine and PostgresEngine)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from storage.engine import StorageError

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


async def test_get_missing_and_empty_partition(kit):
    engine = await kit.open()
    snap = await engine.read("team/t1")
    assert snap.name == "team/t1"
    assert snap.get("members", "nobody") is None
    assert snap.all("members") == []
    assert await engine.partition_names() == []


async def test_put_get_all_delete(kit):
    engine = await kit.open()
    async with engine.write("team/t1") as tx:
        tx.put("members", "u1", {"name": "Åsa", "roles": ["lead"]})
        tx.put("members", "u2", {"name": "Bo", "n": 2})
    snap = await engine.read("team/t1")
    assert snap.get("members", "u1") == {"name": "Åsa", "roles": ["lead"]}
    assert sorted(d["name"] for d in snap.all("members")) == ["Bo", "Åsa"]

    async with engine.write("team/t1") as tx:
        tx.put("members", "u1", {"name": "Åsa Ö"})  # replaces, does not merge
        tx.delete("members", "u2")
        tx.delete("members", "never-existed")
    snap = await engine.read("team/t1")
    assert snap.get("members", "u1") == {"name": "Åsa Ö"}
    assert snap.get("members", "u2") is None
    assert snap.all("members") == [{"name": "Åsa Ö"}]


async def test_multi_table_transaction_is_all_or_nothing_for_readers(kit):
    engine = await kit.open()
    name = "team/t1/meeting/m1"
    async with engine.write(name) as tx:
        tx.put("agenda", "a1", {"title": "Läget"})
        tx.put("attendance", "u1", {"present": True})
        # Staged: the block reads it, nobody else does yet.
        assert tx.get("agenda", "a1") == {"title": "Läget"}
        outside = await engine.read(name)
        assert outside.get("agenda", "a1") is None
        assert outside.all("attendance") == []
    snap = await engine.read(name)
    assert snap.get("agenda", "a1") == {"title": "Läget"}
    assert snap.get("attendance", "u1") == {"present": True}


async def test_a_snapshot_never_changes(kit):
    engine = await kit.open()
    async with engine.write("global") as tx:
        tx.put("t", "k", {"v": 1})
    before = await engine.read("global")
    async with engine.write("global") as tx:
        tx.put("t", "k", {"v": 2})
        tx.put("t", "j", {"v": 3})
    assert before.get("t", "k") == {"v": 1} and before.all("t") == [{"v": 1}]
    assert (await engine.read("global")).get("t", "k") == {"v": 2}


async def test_ops_apply_in_order(kit):
    engine = await kit.open()
    async with engine.write("global") as tx:
        tx.put("t", "k", {"v": 1})
    async with engine.write("global") as tx:
        tx.delete("t", "k")
        tx.put("t", "k", {"v": 2})
        tx.put("t", "j", {"v": 3})
        tx.delete("t", "j")
    snap = await engine.read("global")
    assert snap.get("t", "k") == {"v": 2}
    assert snap.get("t", "j") is None


async def test_exception_in_block_applies_nothing(kit):
    engine = await kit.open()
    with pytest.raises(RuntimeError):
        async with engine.write("global") as tx:
            tx.put("t", "k", {"v": 1})
            raise RuntimeError("caller gave up")
    assert (await engine.read("global")).get("t", "k") is None
    assert await engine.partition_names() == []


async def test_empty_transaction_creates_nothing(kit):
    engine = await kit.open()
    async with engine.write("team/empty"):
        pass
    assert await engine.partition_names() == []
    assert await engine.partition_stamp("team/empty") is None


async def test_stored_doc_is_a_copy_and_json_shaped(kit):
    engine = await kit.open()
    doc = {"list": [1, 2], "tuple": (3, 4), "nested": {"a": None}}
    async with engine.write("global") as tx:
        tx.put("t", "k", doc)
    doc["list"].append(99)
    doc["nested"]["a"] = "changed"
    assert (await engine.read("global")).get("t", "k") == {"list": [1, 2], "tuple": [3, 4], "nested": {"a": None}}


@pytest.mark.parametrize(
    "bad",
    [
        {"when": __import__("datetime").datetime(2025, 1, 1)},
        {"x": float("nan")},
        {"s": "\ud800"},
        ["not", "a", "dict"],
    ],
)
async def test_unstorable_doc_is_refused_at_put(kit, bad):
    engine = await kit.open()
    with pytest.raises((TypeError, ValueError)):
        async with engine.write("global") as tx:
            tx.put("t", "ok", {"fine": True})
            tx.put("t", "bad", bad)
    assert (await engine.read("global")).get("t", "ok") is None


async def test_non_str_key_and_reserved_table_are_refused(kit):
    engine = await kit.open()
    with pytest.raises(TypeError):
        async with engine.write("global") as tx:
            tx.put("t", 1, {"v": 1})  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        async with engine.write("global") as tx:
            tx.put("_meta", "k", {"v": 1})


async def test_unicode_round_trips_exactly_also_after_reopen(kit):
    engine = await kit.open()
    name = "team/Åsa 🎉\u200f"
    async with engine.write(name) as tx:
        for i, text in enumerate(WEIRD_TEXT):
            tx.put("texts", text, {"i": i, "text": text, text: [text, {text: text}]})
        tx.put("tabell åäö 🎉", "k", {"v": WEIRD_TEXT})
    engine = await kit.reopen(engine)
    snap = await engine.read(name)
    for i, text in enumerate(WEIRD_TEXT):
        assert snap.get("texts", text) == {"i": i, "text": text, text: [text, {text: text}]}
    assert snap.get("tabell åäö 🎉", "k") == {"v": WEIRD_TEXT}
    assert await engine.partition_names() == [name]


async def test_partition_names_and_prefixes(kit):
    engine = await kit.open()
    for i, name in enumerate(NAMES):
        async with engine.write(name) as tx:
            tx.put("t", "k", {"i": i, "name": name})
    assert await engine.partition_names() == sorted(NAMES)
    assert await engine.partition_names("team/") == sorted(n for n in NAMES if n.startswith("team/"))
    assert await engine.partition_names("team/19:abc@thread.tacv2/meeting/") == [
        "team/19:abc@thread.tacv2/meeting/2025-03-14"
    ]
    assert await engine.partition_names("nothing/") == []
    engine = await kit.reopen(engine)
    assert await engine.partition_names() == sorted(NAMES)
    # Names that differ only by case (or are similar after sanitizing) stay distinct.
    for i, name in enumerate(NAMES):
        assert (await engine.read(name)).get("t", "k") == {"i": i, "name": name}


async def test_partitions_are_independent(kit):
    engine = await kit.open()
    async with engine.write("team/a") as tx:
        tx.put("t", "k", {"v": "a"})
    async with engine.write("team/b") as tx:
        tx.put("t", "k", {"v": "b"})
    assert (await engine.read("team/a")).get("t", "k") == {"v": "a"}
    assert (await engine.read("team/b")).get("t", "k") == {"v": "b"}


async def test_reopen_persists(kit):
    engine = await kit.open()
    async with engine.write("global") as tx:
        tx.put("teams", "t1", {"name": "SKIS"})
    async with engine.write("global") as tx:
        tx.put("teams", "t2", {"name": "Skövde"})
        tx.delete("teams", "t1")
    engine = await kit.reopen(engine)
    assert (await engine.read("global")).all("teams") == [{"name": "Skövde"}]
    assert await engine.check() is True


async def test_read_modify_write_at_the_same_moment_loses_nothing(kit):
    """Writers that read inside the block run one after the other: a counter advanced by 60
    concurrent writers ends at 60, and every one of them got its own number."""
    engine = await kit.open()
    taken: list[int] = []

    async def take_number() -> None:
        async with engine.write("team/t1") as tx:
            number = (tx.get("counters", "n") or {"next": 1})["next"]
            await asyncio.sleep(0)  # let the others run: they must wait for this block
            tx.put("counters", "n", {"next": number + 1})
            tx.put("items", str(number), {"number": number})
        taken.append(number)

    await asyncio.gather(*(take_number() for _ in range(60)))
    assert sorted(taken) == list(range(1, 61))
    engine = await kit.reopen(engine)
    snap = await engine.read("team/t1")
    assert snap.get("counters", "n") == {"next": 61}
    assert len(snap.all("items")) == 60


async def test_a_claim_is_won_once(kit):
    engine = await kit.open()
    results = await asyncio.gather(*(engine.claim("activity", "a1", ttl=timedelta(hours=1)) for _ in range(10)))
    assert results.count(True) == 1
    assert await engine.claim("activity", "a2", ttl=timedelta(hours=1)) is True
    assert await engine.claim("other scope", "a1", ttl=timedelta(hours=1)) is True
    assert await engine.claim("activity", "short", ttl=timedelta(seconds=-1)) is True
    assert await engine.claim("activity", "short", ttl=timedelta(hours=1)) is True  # the first had expired


async def test_a_commit_that_fails_applies_nothing(kit, monkeypatch):
    engine = await kit.open()
    async with engine.write("team/t1") as tx:
        tx.put("members", "u1", {"v": 1})
    with monkeypatch.context() as broken:
        await kit.break_commits(broken, "write")
        with pytest.raises(StorageError):
            async with engine.write("team/t1") as tx:
                tx.put("members", "u1", {"v": "new"})
                tx.put("members", "u2", {"v": 2})
        await kit.mend()
    assert (await engine.read("team/t1")).all("members") == [{"v": 1}]
    async with engine.write("team/t1") as tx:
        tx.put("members", "u2", {"v": 2})
    assert (await engine.read("team/t1")).get("members", "u2") == {"v": 2}
