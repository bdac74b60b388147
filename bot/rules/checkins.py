"""Check-ins and check-outs: which meeting an answer belongs to, its question, storing and removing answers.

Command handlers (bot/features/checkins.py), the dialog (dialogs/checkin.py), card answers,
reminders and the minutes all call these, so an answer is read, stored and worded the same way
wherever it was given. Plain values in (the Store, team key, Member, now, tz, locale): no Turn.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.cards import escape
from bot.formatting import first_name, meeting_date
from bot.messages import t
from bot.routing import COMMANDS
from bot.text import fold
from storage.checkins_repo import CHECKIN, CHECKOUT, CheckinAnswer
from storage.meetings_repo import Meeting
from storage.store import Store
from storage.teams_repo import Member

# The network's own questions (from its minutes), asked in turn when the presidium sets none.
DEFAULT_QUESTION_KEYS: dict[str, tuple[str, ...]] = {
    CHECKIN: ("records.default_checkin_1", "records.default_checkin_2", "records.default_checkin_3"),
    CHECKOUT: ("records.default_checkout_1", "records.default_checkout_2", "records.default_checkout_3"),
}


async def checkin_meeting(store: Store, team_key: str, now: datetime) -> Meeting | None:
    """The meeting a check-in (or check-out) answer belongs to: the ongoing one, else the next."""
    return await store.meetings.current(team_key, now)


async def question_for(store: Store, meeting: Meeting, kind: str = CHECKIN, locale: str = "sv") -> str:
    """The meeting's check-in or check-out question: the presidium's own, else the next in the rotation."""
    custom = meeting.checkin_question if kind == CHECKIN else meeting.checkout_question
    if custom and custom.strip():
        return custom
    keys = DEFAULT_QUESTION_KEYS[kind]
    return t(keys[await meeting_index(store, meeting) % len(keys)], locale)


def question_is_custom(meeting: Meeting, kind: str = CHECKIN) -> bool:
    custom = meeting.checkin_question if kind == CHECKIN else meeting.checkout_question
    return bool(custom and custom.strip())


async def meeting_index(store: Store, meeting: Meeting) -> int:
    """The meeting's place in the network's calendar (cancelled ones count), for the rotation."""
    ids = [m.id for m in await store.meetings.all(meeting.team_key, include_cancelled=True)]
    return ids.index(meeting.id) if meeting.id in ids else 0


async def save_checkin(
    store: Store,
    team_key: str,
    meeting: Meeting,
    member: Member,
    kind: str,
    answer: str,
    *,
    now: datetime,
    locale: str = "sv",
    question: str | None = None,
    conversation_id: str | None = None,
    activity_id: str | None = None,
) -> tuple[CheckinAnswer, CheckinAnswer | None]:
    """Store ``member``'s answer (the person writing, or someone whose answer the secretary writes
    down afterwards), replacing their earlier one; returns (stored, replaced)."""
    question = question or await question_for(store, meeting, kind, locale)
    return await store.checkins.save_answer(
        team_key,
        meeting.id,
        member.key,
        kind=kind,
        question=question,
        answer=answer,
        at=now,
        member_name=member.name,
        conversation_id=conversation_id,
        activity_id=activity_id,
    )


def kind_params(kind: str, locale: str = "sv") -> dict[str, str]:
    """Words that differ between check-in and check-out, for the shared message templates."""
    return {
        "kind": t(f"records.kind.{kind}", locale),
        "kind_title": t(f"records.kind_title.{kind}", locale),
        "question_label": t(f"records.question_label.{kind}", locale),
        "question_example": t(f"records.question_example.{kind}", locale),
        "command": COMMANDS[kind][0],
        "list_command": COMMANDS[f"{kind}s"][0],
        "delete_command": COMMANDS[f"{kind}_delete"][0],
        "question_command": COMMANDS[f"{kind}_question"][0],
    }


def checkin_saved_text(
    member: Member, meeting: Meeting, stored: CheckinAnswer, previous: CheckinAnswer | None, tz: ZoneInfo, locale: str
) -> str:
    """The reply to ``member`` after their answer is stored: what was stored and how to change or remove it."""
    key = "records.checkin_replaced" if previous else "records.checkin_saved"
    return t(
        key,
        locale,
        name=first_name(member.name),
        meeting=meeting_date(meeting, tz, locale),
        question=escape(stored.question),
        answer=escape(stored.answer),
        previous=escape(previous.answer) if previous else "",
        **kind_params(stored.kind, locale),
    )


async def delete_checkin(store: Store, team_key: str, meeting: Meeting, member: Member, kind: str, tz: ZoneInfo, locale: str) -> str:
    """Remove ``member``'s own answer; returns the reply."""
    removed = await store.checkins.delete_answer(team_key, meeting.id, member.key, kind)
    when = meeting_date(meeting, tz, locale)
    if removed is None:
        return t("records.checkin_nothing_to_delete", locale, meeting=when, **kind_params(kind, locale))
    return t("records.checkin_deleted", locale, meeting=when, answer=escape(removed.answer), **kind_params(kind, locale))


@dataclass(frozen=True)
class CheckinOverview:
    """Who has answered a meeting's question and who has not, per municipality (digests use this)."""

    answered: list[tuple[CheckinAnswer, Member | None]]  # earliest first; None if no longer a member
    missing: list[tuple[str | None, list[Member]]]  # (municipality or None, members), alphabetical, None last
    members: int  # active members in the register

    @property
    def missing_municipalities(self) -> list[str]:
        """Municipalities where nobody has answered yet."""
        answered = {m.municipality for _a, m in self.answered if m is not None and m.municipality}
        return [name for name, _people in self.missing if name is not None and name not in answered]


async def checkin_overview(store: Store, team_key: str, meeting_id: str, kind: str = CHECKIN) -> CheckinOverview:
    """Answers to one meeting's check-in (or check-out) and the members who have not answered."""
    members = await store.teams.members(team_key)
    by_key = {m.key: m for m in members}
    answers = await store.checkins.answers(team_key, meeting_id, kind)
    answered_keys = {a.member_key for a in answers}
    missing: dict[str | None, list[Member]] = {}
    for member in members:
        if member.key not in answered_keys:
            missing.setdefault(member.municipality, []).append(member)
    ordered = sorted(missing.items(), key=lambda kv: (kv[0] is None, fold(kv[0] or "")))
    return CheckinOverview([(a, by_key.get(a.member_key)) for a in answers], ordered, len(members))
