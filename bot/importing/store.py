"""A parsed import -> the network's records: the meeting with who was there, its decisions
(numbered like any other), the proposed action items, the planned meetings, and the minutes as a
confirmed version with the original text kept verbatim.

Every record keeps where it was read (``source``: file name and paragraph). Importing is safe to
repeat: each record carries an import key (the file's SHA-256 and its place in the file), and a
record whose key is already stored is not written again, so importing the same file twice changes
nothing, and an import stopped halfway finishes on the next run.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot import formatting
from bot.importing.extract import Extracted
from bot.importing.parse import MinutesImport, PlannedDate, Source
from bot.routing import fold
from storage.actions_repo import ALL, EXTERNAL, MEMBER, MUNICIPALITY, PROPOSED, Owner
from storage.attendance_repo import Presence
from storage.meetings_repo import Meeting
from storage.minutes_repo import AlreadyConfirmedError
from storage.store import Store
from storage.teams_repo import Member

IMPORTER = "import"  # recorded_by / created_by of imported records: no person typed them
# Minutes rarely say when the meeting began; the network's full days start at 9.
DEFAULT_START = time(9, 0)
DEFAULT_LENGTH = timedelta(hours=6)
MINUTES_FORMAT = 1  # the layout of bot.minutes.draft, so imported minutes render like any other


class StoreImportError(Exception):
    """The import cannot be stored as it is; the message says why and what to do (Swedish)."""


@dataclass
class Stored:
    file: str
    meeting_id: str
    new: dict[str, int] = field(default_factory=dict)  # kind -> records written now

    @property
    def changed(self) -> bool:
        return any(self.new.values())


def _source(src: Source | None) -> dict[str, Any] | None:
    return src.to_doc() if src is not None else None


def _key(extracted: Extracted, what: str) -> str:
    return f"import:{extracted.sha256[:16]}:{what}"


def _members_by_name(members: list[Member]) -> dict[str, Member]:
    return {fold(" ".join(m.name.split())): m for m in members}


async def _find_meeting(store: Store, team_key: str, key: str) -> Meeting | None:
    for meeting in await store.meetings.all(team_key, include_cancelled=True):
        if key in meeting.extra.get("import_keys", ()):
            return meeting
    return None


def _aware(day: date, at: time, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, at, tzinfo=tz)


async def _same_day(store: Store, team_key: str, day: date, tz: ZoneInfo) -> Meeting | None:
    """A meeting already on ``day`` that an import may join: one an earlier import planned
    (minutes of 8 November read after minutes that planned it) or one without any minutes."""
    for meeting in await store.meetings.on_date(team_key, day, tz):
        if meeting.created_by == IMPORTER or await store.minutes.draft(team_key, meeting.id) is None:
            return meeting
    return None


async def _save_meeting(
    store: Store, team_key: str, key: str, *, day: date, start: time | None, end: time | None, place: str | None,
    tz: ZoneInfo, now: datetime, extra: dict[str, Any],
) -> tuple[Meeting, bool]:  # fmt: skip
    """The meeting this import key names: found, joined (same day) or created; also whether it is new."""
    found = await _find_meeting(store, team_key, key)
    if found is not None:
        return found, False
    joined = await _same_day(store, team_key, day, tz)
    if joined is not None:
        keys = [*joined.extra.get("import_keys", ()), key]
        joined = replace(joined, location=joined.location or place, extra={**joined.extra, "import_keys": keys})
        await store.meetings.save(joined)
        return joined, True
    starts = _aware(day, start or DEFAULT_START, tz)
    ends = _aware(day, end, tz) if end is not None and start is not None and end > start else None
    if start is None:
        ends = starts + DEFAULT_LENGTH
    meeting = Meeting(
        id=await store.meetings.new_id(team_key, starts.astimezone(UTC)),
        team_key=team_key,
        starts_at=starts.astimezone(UTC),
        ends_at=ends.astimezone(UTC) if ends else None,
        location=place,
        created_by=IMPORTER,
        created_at=now,
        extra={"import_keys": [key], "time_unknown": start is None, **extra},
    )
    await store.meetings.save(meeting)
    return meeting, True


def _owner(kind: str, name: str, members: dict[str, Member]) -> Owner:
    if kind == "all":
        return Owner(ALL, name)
    if kind == "municipality":
        return Owner(MUNICIPALITY, name, name)
    member = members.get(fold(name))
    return Owner(MEMBER, member.name, member.key) if member else Owner(EXTERNAL, name)


def _minutes_content(
    network: str, meeting: Meeting, parsed: MinutesImport, extracted: Extracted, tz: ZoneInfo,
    decision_numbers: list[int],
) -> dict[str, Any]:  # fmt: skip
    start = meeting.starts_at.astimezone(tz)
    return {
        "format": MINUTES_FORMAT,
        "network": network,
        "meeting_id": meeting.id,
        "date": start.date().isoformat(),
        "date_text": formatting.format_date(start.date(), "sv"),
        "time_text": "",
        "place": meeting.location or "",
        "attendees": [
            {"name": a.name, "municipality": a.organisation or "", "substitute_for": ""} for a in parsed.attendees
        ],
        "checkin": {"question": "", "answers": [], "summary": ""},
        # The original text is the minutes: one item holds it verbatim, as the file had it.
        "items": [{"key": "import", "number": 1, "title": "Minnesanteckningar", "notes": extracted.text, "decisions": []}],
        "decisions": [{"number": n, "text": d.text} for n, d in zip(decision_numbers, parsed.decisions, strict=True)],
        "action_items": [],
        "upcoming": [],
        "checkout": {"question": "", "answers": [], "summary": ""},
        "imported": {"file": extracted.name, "sha256": extracted.sha256, "original_text": extracted.text},
    }


async def store_import(
    store: Store,
    team_key: str,
    extracted: Extracted,
    parsed: MinutesImport,
    *,
    tz: ZoneInfo,
    now: datetime,
) -> Stored:
    """Write one parsed file into the network's records (nothing that is already there)."""
    team = await store.teams.get_team(team_key)
    if team is None:
        known = ", ".join(t.key for t in await store.teams.all_teams(active_only=False)) or "inga"
        raise StoreImportError(f"det finns inget team med id {team_key!r} (team: {known})")
    day = parsed.date.value
    if not isinstance(day, date):
        raise StoreImportError(f"{extracted.name}: protokollet har inget datum i rubriken. Ange mötets datum med --date ÅÅÅÅ-MM-DD.")
    if await _find_meeting(store, team_key, _key(extracted, "meeting")) is None:
        # The same minutes saved as another file (a .docx and its .pdf) must not double the records.
        for meeting in await store.meetings.on_date(team_key, day, tz):
            latest = await store.minutes.latest(team_key, meeting.id)
            other = (latest.content.get("imported") or {}) if latest else {}
            if other.get("sha256") and other["sha256"] != extracted.sha256:
                raise StoreImportError(
                    f"{extracted.name}: mötet {day.isoformat()} har redan minnesanteckningar importerade från "
                    f"{other.get('file')}. Ingenting sparades från {extracted.name}."
                )
    members = _members_by_name(await store.teams.members(team_key, active_only=False))
    file_source = {"file": extracted.name, "sha256": extracted.sha256}
    meeting, created = await _save_meeting(
        store, team_key, _key(extracted, "meeting"), day=day, start=None, end=None,
        place=parsed.place.value if isinstance(parsed.place.value, str) else None, tz=tz, now=now,
        extra={"source": {**file_source, "paragraph": parsed.date.source.paragraph if parsed.date.source else None},
               "imported_from": extracted.name},
    )  # fmt: skip
    result = Stored(extracted.name, meeting.id, {"meeting": int(created)})

    present = {p.key for p in await store.attendance.present(team_key, meeting.id)}
    add = []
    for person in parsed.attendees:
        member = members.get(fold(person.name))
        presence = Presence(
            name=member.name if member else person.name,
            recorded_by=IMPORTER,
            recorded_at=now,
            member_key=member.key if member else None,
            municipality=person.organisation,
            source=_source(person.source),
        )
        if presence.key not in present:
            add.append(presence)
    if add:
        await store.attendance.update_present(team_key, meeting.id, add=add)
    result.new["present"] = len(add)

    existing = {d.activity_id for d in await store.decisions.for_meeting(team_key, meeting.id)}
    numbers: list[int] = []
    result.new["decisions"] = 0
    for n, decision in enumerate(parsed.decisions, start=1):
        key = _key(extracted, f"decision:{n}")
        result.new["decisions"] += key not in existing
        stored = await store.decisions.record(
            team_key, meeting.id, text=decision.text, recorded_by=IMPORTER, recorded_by_name=f"import av {extracted.name}",
            at=now, activity_id=key, source=_source(decision.source),
        )  # fmt: skip
        numbers.append(stored.number)

    keys = {i.activity_id for i in await store.actions.all(team_key) if i.created_by == IMPORTER}
    result.new["action_items"] = 0
    for n, action in enumerate(parsed.actions, start=1):
        key = _key(extracted, f"action:{n}")
        if key in keys:
            continue
        await store.actions.create(
            team_key, title=action.text, owners=[_owner(o.kind, o.name, members) for o in action.owners],
            created_by=IMPORTER, created_by_name=f"import av {extracted.name}", created_at=now, meeting_id=meeting.id,
            activity_id=key, source=_source(action.source), status=PROPOSED,
        )  # fmt: skip
        result.new["action_items"] += 1

    result.new["planned_meetings"] = 0
    for n, planned in enumerate(parsed.meetings, start=1):
        if planned.day is None:
            continue
        _, made = await _save_planned(store, team_key, _key(extracted, f"planned:{n}"), planned, tz, now, file_source)
        result.new["planned_meetings"] += int(made)

    result.new["minutes"] = 0
    if await store.minutes.latest(team_key, meeting.id) is None:
        content = _minutes_content(team.name, meeting, parsed, extracted, tz, numbers)
        draft = await store.minutes.draft(team_key, meeting.id)
        draft = await store.minutes.save_draft(
            team_key, meeting.id, content=content, expected_revision=draft.revision if draft else None, at=now, by=IMPORTER
        )
        try:
            await store.minutes.confirm(
                team_key, meeting.id, expected_revision=draft.revision, by=IMPORTER, by_name=f"import av {extracted.name}", at=now
            )
            result.new["minutes"] = 1
        except AlreadyConfirmedError:
            pass
    return result


async def _save_planned(
    store: Store, team_key: str, key: str, planned: PlannedDate, tz: ZoneInfo, now: datetime, file_source: dict[str, Any]
) -> tuple[Meeting, bool]:
    assert planned.day is not None
    return await _save_meeting(
        store, team_key, key, day=planned.day, start=planned.start, end=planned.end, place=planned.place, tz=tz,
        now=now, extra={"source": {**file_source, "paragraph": planned.source.paragraph}, "imported_from": file_source["file"],
                        "planned_in_text": planned.text},
    )  # fmt: skip
