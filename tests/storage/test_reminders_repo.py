"""Reminder settings and the sent-log, on both engines, across a reopen."""

from __future__ import annotations

from datetime import UTC, datetime, time

from storage.reminders_repo import (
    ACTIONS,
    DIGEST,
    MEETING_WEEK,
    SENT,
    UNDELIVERABLE,
    ReminderSettings,
    RemindersRepo,
    SentEntry,
)

T = "19:team"


def entry(key: str, due: datetime, status: str = SENT) -> SentEntry:
    return SentEntry(key=key, kind=MEETING_WEEK, team_key=T, subject_id="m1", target="channel", due_at=due,
                     recorded_at=due, status=status, activity_id="a1")


async def test_settings_default_until_changed_and_survive_reopen(kit) -> None:
    engine = await kit.open()
    repo = RemindersRepo(engine)
    assert await repo.settings(T) == ReminderSettings()
    assert (await repo.settings(T)).kind(MEETING_WEEK).days == 7
    assert (await repo.settings(T)).kind(DIGEST).at == time(8, 0)
    changed = (await repo.settings(T)).with_kind(MEETING_WEEK, days=6, at=time(10, 30)).with_kind(ACTIONS, enabled=False)
    await repo.save_settings(T, changed)
    repo = RemindersRepo(await kit.reopen(engine))
    got = await repo.settings(T)
    assert got.kind(MEETING_WEEK).days == 6 and got.kind(MEETING_WEEK).at == time(10, 30)
    assert not got.is_on(ACTIONS) and got.is_on(DIGEST)
    await repo.save_settings(T, ReminderSettings(enabled=False, kinds=got.kinds))
    assert not (await repo.settings(T)).is_on(DIGEST)


def test_settings_tolerate_missing_and_bad_values() -> None:
    settings = ReminderSettings.from_doc({"enabled": True, "kinds": {"digest": {"days": "x", "at": "25:99"}}})
    assert settings.kind(DIGEST).days == 3 and settings.kind(DIGEST).at == time(8, 0)
    assert settings.kind(MEETING_WEEK).days == 7


async def test_sent_log_records_each_key_once_and_survives_reopen(kit) -> None:
    engine = await kit.open()
    repo = RemindersRepo(engine)
    due = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    await repo.record(entry("k1", due))
    await repo.record(entry("k1", due))
    await repo.record(entry("k2", due, UNDELIVERABLE))
    repo = RemindersRepo(await kit.reopen(engine))
    assert await repo.recorded_keys(T) == {"k1", "k2"}
    assert await repo.is_recorded(T, "k2") and not await repo.is_recorded(T, "k3")
    assert {e.key: e.status for e in await repo.entries(T)} == {"k1": SENT, "k2": UNDELIVERABLE}
    assert await repo.recorded_keys("other") == frozenset()


async def test_prune_forgets_old_entries_only(kit) -> None:
    repo = RemindersRepo(await kit.open())
    await repo.record(entry("old", datetime(2026, 1, 1, tzinfo=UTC)))
    await repo.record(entry("new", datetime(2026, 11, 1, tzinfo=UTC)))
    assert await repo.prune(T, datetime(2026, 6, 1, tzinfo=UTC)) == 1
    assert await repo.recorded_keys(T) == {"new"}
    assert await repo.prune(T, datetime(2026, 6, 1, tzinfo=UTC)) == 0


async def test_export_lists_settings_and_log(kit) -> None:
    repo = RemindersRepo(await kit.open())
    await repo.record(entry("k1", datetime(2026, 11, 20, 8, tzinfo=UTC)))
    out = await repo.export(T)
    assert out["reminder_settings"][0]["kinds"]["meeting_week"] == {"enabled": True, "days": 7, "at": "09:00"}
    assert out["reminders_sent"][0]["key"] == "k1" and "activity_id" not in out["reminders_sent"][0]
