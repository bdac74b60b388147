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


def test_draft_revision_rises_only_on_change(kit):
    engine = kit.open()
    repo = MinutesRepo(engine)
    assert repo.draft(TEAM, M) is None
    first = repo.save_draft(TEAM, M, content=CONTENT, expected_revision=None, at=T0, by="anna")
    assert (first.revision, first.status, first.created_at) == (1, DRAFT, T0)
    same = repo.save_draft(TEAM, M, content=CONTENT, expected_revision=1, at=T0 + timedelta(minutes=1))
    assert same.revision == 1 and same.updated_at == T0
    edits = {"other_business": {"text": "Inget", "rev": 2, "by": "anna", "at": T0.isoformat()}}
    second = repo.save_draft(TEAM, M, content={**CONTENT, "other_business": "Inget"}, edits=edits, expected_revision=1, at=T0)
    assert second.revision == 2 and second.edit_text("other_business") == "Inget"
    # Content rebuilt from records without new edits keeps the stored edits.
    third = repo.save_draft(TEAM, M, content={**CONTENT, "other_business": "Inget", "x": 1}, expected_revision=2, at=T0)
    assert third.revision == 3 and third.edits == edits
    engine = kit.reopen(engine)
    assert MinutesRepo(engine).draft(TEAM, M) == third


def test_save_with_an_old_revision_is_refused(kit):
    repo = MinutesRepo(kit.open())
    repo.save_draft(TEAM, M, content=CONTENT, expected_revision=None, at=T0)
    repo.save_draft(TEAM, M, content={**CONTENT, "a": 1}, expected_revision=1, at=T0)
    with pytest.raises(StaleDraftError) as info:
        repo.save_draft(TEAM, M, content={**CONTENT, "a": 2}, expected_revision=1, at=T0)
    assert info.value.current.revision == 2
    with pytest.raises(StaleDraftError):
        repo.save_draft(TEAM, M, content=CONTENT, expected_revision=None, at=T0)
    with pytest.raises(NotConfirmableError):
        repo.save_draft(TEAM, "other", content=CONTENT, expected_revision=4, at=T0)


def test_confirm_creates_an_immutable_hashed_version_once(kit):
    engine = kit.open()
    repo = MinutesRepo(engine)
    repo.save_draft(TEAM, M, content=CONTENT, expected_revision=None, at=T0)
    version = repo.confirm(TEAM, M, expected_revision=1, by="sofia", by_name="Sofia Adolfsson", at=T0)
    assert version.version == 1 and version.content == CONTENT and version.reason is None
    assert version.content_hash == content_hash(CONTENT) and version.intact()
    draft = repo.draft(TEAM, M)
    assert draft.status == CONFIRMED and draft.confirmed_version == 1 and draft.locked
    # A second click with the same revision finds it confirmed and gets the version back.
    with pytest.raises(AlreadyConfirmedError) as info:
        repo.confirm(TEAM, M, expected_revision=1, by="anna", by_name="Anna", at=T0)
    assert info.value.version == version
    # The locked draft ignores content rebuilt from changed records.
    assert repo.save_draft(TEAM, M, content={"changed": True}, expected_revision=1, at=T0).content == CONTENT
    engine = kit.reopen(engine)
    repo = MinutesRepo(engine)
    assert repo.versions(TEAM, M) == [version]
    assert repo.latest(TEAM, M) == version


def test_confirm_refuses_a_stale_revision_and_a_missing_draft(kit):
    repo = MinutesRepo(kit.open())
    with pytest.raises(NotConfirmableError):
        repo.confirm(TEAM, M, expected_revision=1, by="s", by_name="S", at=T0)
    repo.save_draft(TEAM, M, content=CONTENT, expected_revision=None, at=T0)
    repo.save_draft(TEAM, M, content={**CONTENT, "a": 1}, expected_revision=1, at=T0)
    with pytest.raises(StaleDraftError):
        repo.confirm(TEAM, M, expected_revision=1, by="s", by_name="S", at=T0)
    assert repo.versions(TEAM, M) == []


def test_correction_is_a_new_version_with_a_reason_and_history_is_kept(kit):
    repo = MinutesRepo(kit.open())
    repo.save_draft(TEAM, M, content=CONTENT, expected_revision=None, at=T0)
    v1 = repo.confirm(TEAM, M, expected_revision=1, by="s", by_name="S", at=T0)
    reopened = repo.start_correction(TEAM, M, at=T0, by="s")
    assert reopened.status == CORRECTING and reopened.revision == 2
    fixed = {**CONTENT, "title": "Rättad"}
    repo.save_draft(TEAM, M, content=fixed, expected_revision=2, at=T0)
    with pytest.raises(NotConfirmableError):
        repo.confirm(TEAM, M, expected_revision=3, by="s", by_name="S", at=T0, reason="  ")
    v2 = repo.confirm(TEAM, M, expected_revision=3, by="s", by_name="S", at=T0 + timedelta(days=1), reason="Fel namn")
    assert (v2.version, v2.reason, v2.content) == (2, "Fel namn", fixed)
    assert repo.versions(TEAM, M) == [v1, v2]
    assert repo.version(TEAM, M, 1).content == CONTENT  # the first version is untouched
    assert repo.latest(TEAM, M) == v2


def test_cosign_and_posted_are_recorded_once(kit):
    repo = MinutesRepo(kit.open())
    repo.save_draft(TEAM, M, content=CONTENT, expected_revision=None, at=T0)
    v1 = repo.confirm(TEAM, M, expected_revision=1, by="s", by_name="S", at=T0, cosign_required=True)
    assert v1.awaiting_cosign
    signed = repo.cosign(TEAM, M, 1, by="anna", by_name="Anna", at=T0 + timedelta(hours=1))
    assert not signed.awaiting_cosign and signed.cosigned_by == "anna" and signed.content_hash == v1.content_hash
    again = repo.cosign(TEAM, M, 1, by="peter", by_name="Peter", at=T0 + timedelta(hours=2))
    assert again.cosigned_by == "anna"
    assert repo.mark_posted(TEAM, M, 1, at=T0) is True
    assert repo.mark_posted(TEAM, M, 1, at=T0) is False
    assert repo.mark_posted(TEAM, M, 7, at=T0) is False


def test_remember_card_keeps_the_last_few(kit):
    repo = MinutesRepo(kit.open())
    repo.remember_card(TEAM, M, {"conversation": {"id": "c"}}, "a0")  # no draft yet: ignored
    repo.save_draft(TEAM, M, content=CONTENT, expected_revision=None, at=T0)
    for n in range(7):
        repo.remember_card(TEAM, M, {"conversation": {"id": "c"}}, f"a{n}")
    repo.remember_card(TEAM, M, {"conversation": {"id": "c"}}, "a6")
    assert [c["activity_id"] for c in repo.draft(TEAM, M).cards] == ["a2", "a3", "a4", "a5", "a6"]
    assert repo.draft(TEAM, M).revision == 1


def test_hash_is_over_canonical_json():
    a = {"b": 1, "a": "å"}
    b = {"a": "å", "b": 1}
    assert canonical_json(a) == canonical_json(b) == '{"a":"å","b":1}'
    assert content_hash(a) == content_hash(b)
    assert content_hash(a) != content_hash({"a": "a", "b": 1})


def test_export_lists_versions_and_open_drafts(kit):
    repo = MinutesRepo(kit.open())
    assert repo.export(TEAM) == {"minutes": []}
    repo.save_draft(TEAM, M, content=CONTENT, expected_revision=None, at=T0)
    repo.save_draft(TEAM, "20261204", content={"x": 1}, expected_revision=None, at=T0)
    repo.confirm(TEAM, M, expected_revision=1, by="s", by_name="S", at=T0)
    rows = repo.export(TEAM)["minutes"]
    assert [(r["meeting_id"], r["version"], r["status"]) for r in rows] == [("20261120", 1, "confirmed"), ("20261204", None, "draft")]
    assert rows[0]["confirmed_by"] == "s" and rows[0]["confirmed_at"] == T0.isoformat() and rows[0]["content"] == CONTENT
    repo.start_correction(TEAM, M, at=T0, by="s")
    rows = repo.export(TEAM)["minutes"]
    assert [(r["meeting_id"], r["version"], r["status"]) for r in rows] == [
        ("20261120", 1, "confirmed"),
        ("20261120", None, "draft"),
        ("20261204", None, "draft"),
    ]


def test_failed_confirm_leaves_the_draft_unlocked(kit, monkeypatch):
    repo = MinutesRepo(kit.open())
    repo.save_draft(TEAM, M, content=CONTENT, expected_revision=None, at=T0)
    kit.break_commits(monkeypatch, "write")
    with pytest.raises(StorageError):
        repo.confirm(TEAM, M, expected_revision=1, by="s", by_name="S", at=T0)
    monkeypatch.undo()
    assert repo.draft(TEAM, M).status == DRAFT
    assert repo.versions(TEAM, M) == []
