"""Minutes storage: a draft with revisions, confirmed versions that never change, corrections, export."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from storage.engine import StorageError
from storage.minutes_repo import (
    CONFIRMED,
    CORRECTING,
    DRAFT,
    AlreadyConfirmedError,
    MinutesRepo,
    NotConfirmableError,
    StaleDraftError,
    canonical_json,
    content_hash,
)

T0 = datetime(2026, 11, 20, 13, 0, tzinfo=UTC)
TEAM = "19:abc@thread.tacv2"
M = "20261120"
CONTENT = {"format": 1, "title": "Minnesanteckningar", "items": [{"number": 1, "title": "Laget runt", "notes": "Åäö *x* <b>"}]}


async def test_draft_revision_rises_only_on_change(kit):
    engine = await kit.open()
    repo = MinutesRepo(engine)
    assert await repo.draft(TEAM, M) is None
    first = await repo.save_draft(TEAM, M, content=CONTENT, expected_revision=None, at=T0, by="anna")
    assert (first.revision, first.status, first.created_at) == (1, DRAFT, T0)
    same = await repo.save_draft(TEAM, M, content=CONTENT, expected_revision=1, at=T0 + timedelta(minutes=1))
    assert same.revision == 1 and same.updated_at == T0
    edits = {"other_business": {"text": "Inget", "rev": 2, "by": "anna", "at": T0.isoformat()}}
    second = await repo.save_draft(TEAM, M, content={**CONTENT, "other_business": "Inget"}, edits=edits, expected_revision=1, at=T0)
    assert second.revision == 2 and second.edit_text("other_business") == "Inget"
    # Content rebuilt from records without new edits keeps the stored edits.
    third = await repo.save_draft(TEAM, M, content={**CONTENT, "other_business": "Inget", "x": 1}, expected_revision=2, at=T0)
    assert third.revision == 3 and third.edits == edits
    engine = await kit.reopen(engine)
    assert await MinutesRepo(engine).draft(TEAM, M) == third


async def test_save_with_an_old_revision_is_refused(kit):
    repo = MinutesRepo(await kit.open())
    await repo.save_draft(TEAM, M, content=CONTENT, expected_revision=None, at=T0)
    await repo.save_draft(TEAM, M, content={**CONTENT, "a": 1}, expected_revision=1, at=T0)
    with pytest.raises(StaleDraftError) as info:
        await repo.save_draft(TEAM, M, content={**CONTENT, "a": 2}, expected_revision=1, at=T0)
    assert info.value.current.revision == 2
    with pytest.raises(StaleDraftError):
        await repo.save_draft(TEAM, M, content=CONTENT, expected_revision=None, at=T0)
    with pytest.raises(NotConfirmableError):
        await repo.save_draft(TEAM, "other", content=CONTENT, expected_revision=4, at=T0)


async def test_confirm_creates_an_immutable_hashed_version_once(kit):
    engine = await kit.open()
    repo = MinutesRepo(engine)
    await repo.save_draft(TEAM, M, content=CONTENT, expected_revision=None, at=T0)
    version = await repo.confirm(TEAM, M, expected_revision=1, by="sofia", by_name="Sofia Adolfsson", at=T0)
    assert version.version == 1 and version.content == CONTENT and version.reason is None
    assert version.content_hash == content_hash(CONTENT) and version.intact()
    draft = await repo.draft(TEAM, M)
    assert draft.status == CONFIRMED and draft.confirmed_version == 1 and draft.locked
    # A second click with the same revision finds it confirmed and gets the version back.
    with pytest.raises(AlreadyConfirmedError) as info:
        await repo.confirm(TEAM, M, expected_revision=1, by="anna", by_name="Anna", at=T0)
    assert info.value.version == version
    # The locked draft ignores content rebuilt from changed records.
    assert (await repo.save_draft(TEAM, M, content={"changed": True}, expected_revision=1, at=T0)).content == CONTENT
    engine = await kit.reopen(engine)
    repo = MinutesRepo(engine)
    assert await repo.versions(TEAM, M) == [version]
    assert await repo.latest(TEAM, M) == version


async def test_confirm_refuses_a_stale_revision_and_a_missing_draft(kit):
    repo = MinutesRepo(await kit.open())
    with pytest.raises(NotConfirmableError):
        await repo.confirm(TEAM, M, expected_revision=1, by="s", by_name="S", at=T0)
    await repo.save_draft(TEAM, M, content=CONTENT, expected_revision=None, at=T0)
    await repo.save_draft(TEAM, M, content={**CONTENT, "a": 1}, expected_revision=1, at=T0)
    with pytest.raises(StaleDraftError):
        await repo.confirm(TEAM, M, expected_revision=1, by="s", by_name="S", at=T0)
    assert await repo.versions(TEAM, M) == []


async def test_correction_is_a_new_version_with_a_reason_and_history_is_kept(kit):
    repo = MinutesRepo(await kit.open())
    await repo.save_draft(TEAM, M, content=CONTENT, expected_revision=None, at=T0)
    v1 = await repo.confirm(TEAM, M, expected_revision=1, by="s", by_name="S", at=T0)
    reopened = await repo.start_correction(TEAM, M, at=T0, by="s")
    assert reopened.status == CORRECTING and reopened.revision == 2
    fixed = {**CONTENT, "title": "Rättad"}
    await repo.save_draft(TEAM, M, content=fixed, expected_revision=2, at=T0)
    with pytest.raises(NotConfirmableError):
        await repo.confirm(TEAM, M, expected_revision=3, by="s", by_name="S", at=T0, reason="  ")
    v2 = await repo.confirm(TEAM, M, expected_revision=3, by="s", by_name="S", at=T0 + timedelta(days=1), reason="Fel namn")
    assert (v2.version, v2.reason, v2.content) == (2, "Fel namn", fixed)
    assert await repo.versions(TEAM, M) == [v1, v2]
    assert (await repo.version(TEAM, M, 1)).content == CONTENT  # the first version is untouched
    assert await repo.latest(TEAM, M) == v2


async def test_cosign_and_posted_are_recorded_once(kit):
    repo = MinutesRepo(await kit.open())
    await repo.save_draft(TEAM, M, content=CONTENT, expected_revision=None, at=T0)
    v1 = await repo.confirm(TEAM, M, expected_revision=1, by="s", by_name="S", at=T0, cosign_required=True)
    assert v1.awaiting_cosign
    signed, now = await repo.cosign(TEAM, M, 1, by="anna", by_name="Anna", at=T0 + timedelta(hours=1))
    assert now and not signed.awaiting_cosign and signed.cosigned_by == "anna" and signed.content_hash == v1.content_hash
    again, now = await repo.cosign(TEAM, M, 1, by="peter", by_name="Peter", at=T0 + timedelta(hours=2))
    assert not now and again.cosigned_by == "anna"
    assert await repo.mark_posted(TEAM, M, 1, at=T0) is True
    assert await repo.mark_posted(TEAM, M, 1, at=T0) is False
    assert await repo.mark_posted(TEAM, M, 7, at=T0) is False


async def test_remember_card_keeps_the_last_few(kit):
    repo = MinutesRepo(await kit.open())
    await repo.remember_card(TEAM, M, {"conversation": {"id": "c"}}, "a0")  # no draft yet: ignored
    await repo.save_draft(TEAM, M, content=CONTENT, expected_revision=None, at=T0)
    for n in range(7):
        await repo.remember_card(TEAM, M, {"conversation": {"id": "c"}}, f"a{n}")
    await repo.remember_card(TEAM, M, {"conversation": {"id": "c"}}, "a6")
    assert [c["activity_id"] for c in (await repo.draft(TEAM, M)).cards] == ["a2", "a3", "a4", "a5", "a6"]
    assert (await repo.draft(TEAM, M)).revision == 1


def test_hash_is_over_canonical_json():
    a = {"b": 1, "a": "å"}
    b = {"a": "å", "b": 1}
    assert canonical_json(a) == canonical_json(b) == '{"a":"å","b":1}'
    assert content_hash(a) == content_hash(b)
    assert content_hash(a) != content_hash({"a": "a", "b": 1})


async def test_export_lists_versions_and_open_drafts(kit):
    repo = MinutesRepo(await kit.open())
    assert await repo.export(TEAM) == {"minutes": []}
    await repo.save_draft(TEAM, M, content=CONTENT, expected_revision=None, at=T0)
    await repo.save_draft(TEAM, "20261204", content={"x": 1}, expected_revision=None, at=T0)
    await repo.confirm(TEAM, M, expected_revision=1, by="s", by_name="S", at=T0)
    rows = (await repo.export(TEAM))["minutes"]
    assert [(r["meeting_id"], r["version"], r["status"]) for r in rows] == [("20261120", 1, "confirmed"), ("20261204", None, "draft")]
    assert rows[0]["confirmed_by"] == "s" and rows[0]["confirmed_at"] == T0.isoformat() and rows[0]["content"] == CONTENT
    await repo.start_correction(TEAM, M, at=T0, by="s")
    rows = (await repo.export(TEAM))["minutes"]
    assert [(r["meeting_id"], r["version"], r["status"]) for r in rows] == [
        ("20261120", 1, "confirmed"),
        ("20261120", None, "draft"),
        ("20261204", None, "draft"),
    ]


async def test_failed_confirm_leaves_the_draft_unlocked(kit, monkeypatch):
    repo = MinutesRepo(await kit.open())
    await repo.save_draft(TEAM, M, content=CONTENT, expected_revision=None, at=T0)
    await kit.break_commits(monkeypatch, "write")
    with pytest.raises(StorageError):
        await repo.confirm(TEAM, M, expected_revision=1, by="s", by_name="S", at=T0)
    monkeypatch.undo()
    assert (await repo.draft(TEAM, M)).status == DRAFT
    assert await repo.versions(TEAM, M) == []
