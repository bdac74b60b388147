"""Feature: minutes drafted by the bot, edited and confirmed by the secretary on an Adaptive Card.

``protokoll [möte]`` builds the draft from the meeting's records and posts one card. The card's
``refresh`` makes Teams ask for each viewer's own version: secretaries get inputs and
**Spara utkast** / **Godkänn protokoll**, everyone else the text and **Begär ändring**. Every
button carries the meeting id and the draft revision it shows; roles come from the activity's
sender (``turn.member``), never from card data.

Confirming checks the draft's revision in the same write that stores the version, so of two
clicks, two secretaries or a card that shows an older draft, at most one confirms, and only the
content on its card.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from botbuilder.core import CardFactory, MessageFactory, TurnContext
from botbuilder.dialogs import (
    ComponentDialog,
    Dialog,
    DialogTurnResult,
    TextPrompt,
    WaterfallDialog,
    WaterfallStepContext,
)
from botbuilder.dialogs.prompts import PromptOptions

from bot import formatting
from bot.cards import escape, outgoing
from bot.cards.minutes import COMMENT_INPUT, REASON_INPUT, CardView, minutes_card
from bot.dates import DateQuestion, When, parse_when
from bot.messages import t
from bot.minutes import sources
from bot.minutes.draft import Publication, apply_edits, edit_fields, field_value, merge_edits
from bot.roles import CHAIR, MINUTES_DRAFT_ROLES, MINUTES_SETTING_ROLES, PRESIDIUM, SECRETARY
from bot.routing import (
    ACTION_MINUTES_APPROVE,
    ACTION_MINUTES_CORRECT,
    ACTION_MINUTES_COSIGN,
    ACTION_MINUTES_REFRESH,
    ACTION_MINUTES_REQUEST_CHANGE,
    ACTION_MINUTES_SAVE,
    card_number,
    fold,
)
from bot.rules import limits
from bot.rules.meetings import find_meetings
from bot.services import Services
from bot.teams.install import conversation_ref
from bot.teams.proactive import SENT, Delivery, Notifier, Outgoing
from bot.turn import CardReply, Turn
from storage.meetings_repo import Meeting
from storage.minutes_repo import (
    CORRECTING,
    AlreadyConfirmedError,
    MinutesDraft,
    MinutesVersion,
    NotConfirmableError,
    StaleDraftError,
)
from storage.teams_repo import Member, Team

log = logging.getLogger(__name__)

COSIGN_SETTING = "minutes_cosign"  # team setting: the chair co-signs confirmed minutes (justering)
NETWORK_NAME_LIMIT = 200  # characters; a heading, not a paragraph

# **Begär ändring** without a comment asks for it in the chat (ChangeRequestDialog).
CHANGE_DIALOG = "minutes.change_request"
_CHANGE_FLOW = "minutes.change_request.flow"
_CHANGE_TEXT = "minutes.change_request.text"

_ON = frozenset({"pa", "on", "ja", "paslagen", "1"})
_OFF = frozenset({"av", "off", "nej", "avslagen", "0"})


# Reading state -----------------------------------------------------------------------------------
def _tz(services: Services) -> ZoneInfo:
    return services.settings.timezone


def cosign_required(team: Team) -> bool:
    """True when the network has switched justering (co-signing by the chair) on."""
    return bool(team.settings.get(COSIGN_SETTING))


async def _people_with(services: Services, team: Team, role: str) -> list[Member]:
    return [m for m in await services.store.teams.members(team.key) if role in m.roles]


# A draft save that meets another turn's newer revision is built again on it, this many times.
SAVE_ATTEMPTS = 3


async def sync_draft(services: Services, team: Team, meeting: Meeting, *, by: str | None = None) -> tuple[MinutesDraft, dict[str, Any]]:
    """The stored draft brought up to date with the records (a confirmed one is left as it is).

    Returns the draft and the document built from the records (before edits). The store refuses
    the save (StaleDraftError) when another turn stored the draft after it was read here.
    """
    repo = services.store.minutes
    built = await sources.build(services.store, team, meeting, _tz(services))
    draft = await repo.draft(team.key, meeting.id)
    for attempt in range(SAVE_ATTEMPTS):
        if draft is not None and draft.locked:
            return draft, built
        content = apply_edits(built, draft.edits if draft else {})
        try:
            saved = await repo.save_draft(team.key, meeting.id, content=content,
                                          expected_revision=draft.revision if draft else None,
                                          at=services.clock.now(), by=by)
        except StaleDraftError as stale:
            # Another turn (on this instance or another) saved the draft meanwhile: build on its
            # version. Past the last attempt the error goes to the caller.
            if attempt == SAVE_ATTEMPTS - 1:
                raise
            draft = stale.current
            continue
        return saved, built
    raise AssertionError("unreachable")


async def _latest(services: Services, team: Team, draft: MinutesDraft) -> MinutesVersion | None:
    return await services.store.minutes.latest(team.key, draft.meeting_id)


async def _refresh_ids(services: Services, team: Team, draft: MinutesDraft, version: MinutesVersion | None) -> list[str]:
    # Only people whose card differs from the shared one need it refreshed automatically.
    people = await _people_with(services, team, SECRETARY)
    if draft.locked and version is not None and version.awaiting_cosign:
        people += await _people_with(services, team, CHAIR)
    return [m.teams_id for m in people]


async def card_for(
    services: Services,
    team: Team,
    draft: MinutesDraft,
    member: Member | None,
    *,
    locale: str = "sv",
    notice: str | None = None,
) -> dict[str, Any]:
    """The minutes card as ``member`` may see and use it (None: the shared read-only card)."""
    version = await _latest(services, team, draft) if draft.locked else None
    roles = member.roles if member is not None else frozenset()
    if draft.locked and version is not None:
        pub = Publication.of_version(version)
        view = CardView(
            can_request_change=False,
            can_correct=SECRETARY in roles,
            can_cosign=CHAIR in roles and version.awaiting_cosign and member is not None and member.key != version.confirmed_by,
            notice=notice,
        )
    else:
        pub = Publication.of_draft(draft)
        view = CardView(
            editable=SECRETARY in roles,
            correcting_version=draft.confirmed_version if draft.status == CORRECTING else None,
            notice=notice,
            no_secretary=not await _people_with(services, team, SECRETARY),
            private_answers=not any(role in roles for role in MINUTES_DRAFT_ROLES),
        )
    card = minutes_card(
        pub,
        view,
        meeting_id=draft.meeting_id,
        refresh_user_ids=await _refresh_ids(services, team, draft, version),
        tz=_tz(services),
        locale=locale,
    )
    # Also sent outside a turn (to the channel, to update earlier cards): it names its network itself.
    return outgoing(card, team.key)


def _date_text(services: Services, meeting: Meeting, locale: str) -> str:
    return formatting.format_date(meeting.starts_at.astimezone(_tz(services)).date(), locale)


# Finding the meeting -------------------------------------------------------------------------------
async def _meeting_from_args(turn: Turn, args: str) -> Meeting | None:
    """The meeting ``protokoll [möte]`` means, or None after telling the person what was wrong."""
    store, tz = turn.store, _tz(turn.services)
    text = args.strip()
    if not text:
        meeting = await store.meetings.latest_started(turn.team.key, turn.now)
        if meeting is None:
            await turn.say_key("minutes.no_meeting")
        return meeting
    found = await find_meetings(store, turn.team.key, text, now=turn.now, tz=tz, include_past=True)
    if isinstance(found, DateQuestion):
        await turn.say(found.text(turn.locale))
        return None
    if not found:
        found = await _last_year(store, turn.team.key, text, turn.now.astimezone(tz).date(), tz)
    if not found:
        quoted = turn.t("minutes.quoted_id" if text[:1].isdigit() else "minutes.quoted_text", text=escape(text))
        await turn.say_key("minutes.meeting_not_found", what=quoted)
        return None
    if len(found) > 1:
        await turn.say_key("minutes.meeting_ambiguous", ids=", ".join(m.id for m in found), example=found[0].id)
        return None
    meeting = found[0]
    if meeting.cancelled:
        await turn.say_key("minutes.meeting_cancelled", date=_date_text(turn.services, meeting, turn.locale))
        return None
    if meeting.starts_at > turn.now:
        await turn.say_key("minutes.meeting_not_started", date=_date_text(turn.services, meeting, turn.locale))
        return None
    return meeting


async def _last_year(store: Any, team_key: str, text: str, today: date, tz: ZoneInfo) -> list[Meeting]:
    # "20 november" means the coming one when planning, but the last one when writing minutes.
    when = parse_when(text, today, tz)
    if not isinstance(when, When) or when.date <= today:
        return []
    try:
        earlier = when.date.replace(year=when.date.year - 1)
    except ValueError:  # 29 februari
        earlier = when.date - timedelta(days=365)
    return [m for m in await store.meetings.on_date(team_key, earlier, tz) if not m.cancelled]


async def _meeting_from_data(turn: Turn, data: dict[str, Any]) -> Meeting | None:
    meeting_id = data.get("meeting_id")
    if not isinstance(meeting_id, str) or not meeting_id:
        return None
    # The team comes from the activity, so a card can only reach its own network's minutes.
    return await turn.store.meetings.get(turn.team.key, meeting_id)


def _number(data: dict[str, Any], name: str) -> int:
    return card_number(data, name) or 0


def _revision(data: dict[str, Any]) -> int:
    return _number(data, "revision")


# The command ------------------------------------------------------------------------------------
async def minutes_command(turn: Turn, args: str) -> None:
    """`protokoll [möte]`: the draft card (or the confirmed minutes); also `justering`, `rätta`, `historik`."""
    words = args.split(maxsplit=1)
    first = fold(words[0]) if words else ""
    rest = words[1] if len(words) > 1 else ""
    if first == "justering":
        await _cosign_setting(turn, rest)
        return
    if first in ("ratta", "rattelse"):
        await _correct_command(turn, rest)
        return
    if first in ("historik", "versioner"):
        await _history(turn, rest)
        return
    if first in ("namn", "rubrik"):
        await _network_name_setting(turn, rest)
        return
    meeting = await _meeting_from_args(turn, args)
    if meeting is None:
        return
    services, team = turn.services, turn.team
    if not turn.has_role(*MINUTES_DRAFT_ROLES):
        latest = await services.store.minutes.latest(team.key, meeting.id)
        if latest is None:
            await turn.say_key("minutes.not_allowed")
            return
        draft = await services.store.minutes.draft(team.key, meeting.id)
        await turn.send_card(await card_for(services, team, draft, turn.member, locale=turn.locale),  # type: ignore[arg-type]
                             summary=turn.t("minutes.card_summary_confirmed", date=_date_text(services, meeting, turn.locale)))
        return
    draft, _built = await sync_draft(services, team, meeting, by=turn.member.key)
    await _send_minutes_card(turn, team, meeting, draft)


async def _send_minutes_card(turn: Turn, team: Team, meeting: Meeting, draft: MinutesDraft) -> None:
    services = turn.services
    date_text = _date_text(services, meeting, turn.locale)
    key = "minutes.card_summary_confirmed" if draft.locked else "minutes.card_summary_draft"
    if turn.in_personal_chat:
        card = await card_for(services, team, draft, turn.member, locale=turn.locale)
        await turn.send_card(card, summary=turn.t(key, date=date_text))
        return
    # In a channel everyone sees this card; refresh gives the secretary her editable one.
    card = await card_for(services, team, draft, None, locale=turn.locale)
    activity_id = await turn.send_card(card, summary=turn.t(key, date=date_text))
    if activity_id:
        await services.store.minutes.remember_card(team.key, meeting.id, conversation_ref(turn.activity), activity_id)


async def _cosign_setting(turn: Turn, rest: str) -> None:
    """`protokoll justering på|av`: the presidium decides whether the chair co-signs minutes."""
    value = fold(rest.strip(" .!"))
    state = turn.t("minutes.cosign_state_on" if cosign_required(turn.team) else "minutes.cosign_state_off")
    if value not in _ON and value not in _OFF:
        await turn.say_key("minutes.cosign_setting_usage", state=state)
        return
    if not turn.has_role(*MINUTES_SETTING_ROLES):
        await turn.say_key("minutes.only_presidium_setting")
        return
    on = value in _ON
    await turn.store.teams.update_team_settings(turn.team.key, {COSIGN_SETTING: on})
    await turn.say_key("minutes.cosign_setting_on" if on else "minutes.cosign_setting_off")


async def _network_name_setting(turn: Turn, rest: str) -> None:
    """`protokoll namn <nätverkets namn>`: the presidium names the network as its minutes are headed
    ("Nätverket Utvecklingsledare, Skolutveckling i Skaraborg, SKIS"); `protokoll namn standard`
    goes back to the Teams team's name."""
    name = " ".join(rest.split()).strip(" .")
    current = sources.network_name(turn.team)
    if not name:
        await turn.say_key("minutes.network_name_usage", name=escape(current))
        return
    if not turn.has_role(*MINUTES_SETTING_ROLES):
        await turn.say_key("minutes.only_presidium_network_name")
        return
    if len(name) > NETWORK_NAME_LIMIT:
        await turn.say_key("minutes.network_name_too_long", limit=NETWORK_NAME_LIMIT)
        return
    value = None if fold(name) in ("standard", "ta bort") else name
    team = await turn.store.teams.update_team_settings(turn.team.key, {sources.NETWORK_NAME_SETTING: value}) or turn.team
    await turn.say_key("minutes.network_name_set", name=escape(sources.network_name(team)))


async def _correct_command(turn: Turn, rest: str) -> None:
    """`protokoll rätta [möte]`: the secretary reopens confirmed minutes for a correction."""
    if not turn.has_role(SECRETARY):
        await turn.say_key("minutes.only_secretary_correct")
        return
    meeting = await _meeting_from_args(turn, rest)
    if meeting is None:
        return
    draft = await _start_correction(turn, meeting)
    if draft is None:
        await turn.say_key("minutes.not_confirmed_yet", date=_date_text(turn.services, meeting, turn.locale))
        return
    await turn.say_key("minutes.correcting_started", date=_date_text(turn.services, meeting, turn.locale))
    await _send_minutes_card(turn, turn.team, meeting, draft)


async def _start_correction(turn: Turn, meeting: Meeting) -> MinutesDraft | None:
    repo = turn.store.minutes
    draft = await repo.draft(turn.team.key, meeting.id)
    if draft is None or draft.confirmed_version is None:
        return None
    if draft.locked:
        await repo.start_correction(turn.team.key, meeting.id, at=turn.now, by=turn.member.key)
    # Rebuilt from the records as they are now: a corrected decision reaches the correction.
    return (await sync_draft(turn.services, turn.team, meeting, by=turn.member.key))[0]


async def _history(turn: Turn, rest: str) -> None:
    """`protokoll historik [möte]`: every confirmed version with who, when, why and its hash."""
    meeting = await _meeting_from_args(turn, rest)
    if meeting is None:
        return
    repo, tz = turn.store.minutes, _tz(turn.services)
    date_text = _date_text(turn.services, meeting, turn.locale)
    draft = await repo.draft(turn.team.key, meeting.id)
    versions = await repo.versions(turn.team.key, meeting.id)
    if draft is None:
        await turn.say_key("minutes.history_none", date=date_text, meeting_id=meeting.id)
        return
    lines = [turn.t("minutes.history_title", date=date_text)]
    for v in versions:
        lines.append(
            turn.t(
                "minutes.history_line",
                version=v.version,
                name=escape(v.confirmed_by_name),
                at=formatting.format_datetime(v.confirmed_at, tz, turn.locale),
                reason=turn.t("minutes.history_reason", reason=escape(v.reason)) if v.reason else "",
                cosign=turn.t("minutes.history_cosign", name=escape(v.cosigned_by_name)) if v.cosigned_at else "",
                hash=v.content_hash[:16],
            )
        )
    if not draft.locked:
        at = formatting.format_datetime(draft.updated_at or turn.now, tz, turn.locale)
        lines.append(turn.t("minutes.history_draft", at=at))
    lines.append("")
    lines.append(turn.t("minutes.history_export_hint", meeting_id=meeting.id))
    await turn.say("\n".join(lines))


# Card actions -----------------------------------------------------------------------------------
def _everyones_card(turn: Turn) -> bool:
    """True for an Action.Submit in a channel or group chat: its answer replaces the card for everyone there."""
    return turn.activity.type != "invoke" and not turn.in_personal_chat


async def _reply(turn: Turn, draft: MinutesDraft, *, notice: str | None = None) -> CardReply:
    """The card to answer a click with: the clicker's own view, or the shared view (notice as a message)
    when the answer replaces the card for the whole channel (Action.Submit, no per-person refresh)."""
    if _everyones_card(turn):
        return CardReply(card=await card_for(turn.services, turn.team, draft, None, locale=turn.locale), message=notice)
    return CardReply(card=await card_for(turn.services, turn.team, draft, turn.member, locale=turn.locale, notice=notice))


async def refresh_card(turn: Turn, data: dict[str, Any]) -> CardReply | None:
    """Teams asks for this viewer's card: editable for secretaries, read-only for everyone else."""
    meeting = await _meeting_from_data(turn, data)
    if meeting is None:
        return CardReply(message=turn.t("minutes.unknown_meeting_in_card"))
    draft, _built = await sync_draft(turn.services, turn.team, meeting)
    return CardReply(card=await card_for(turn.services, turn.team, draft, turn.member, locale=turn.locale))


async def _save_edits(turn: Turn, draft: MinutesDraft, built: dict[str, Any], data: dict[str, Any]) -> tuple[MinutesDraft, tuple[str, ...]]:
    """Store what the card's inputs hold (the store checks ``draft.revision`` in the same write);
    returns the draft and the conflicting fields."""
    for attempt in range(SAVE_ATTEMPTS):
        merged = merge_edits(
            draft.edits,
            data,
            edit_fields(draft.content),
            card_revision=_revision(data),
            current_revision=draft.revision,
            content=draft.content,
            by=turn.member.key,
            at=turn.now,
        )
        if not merged.changed:
            return draft, merged.conflicts
        try:
            saved = await turn.store.minutes.save_draft(
                turn.team.key,
                draft.meeting_id,
                content=apply_edits(built, merged.edits),
                edits=merged.edits,
                expected_revision=draft.revision,
                at=turn.now,
                by=turn.member.key,
            )
        except StaleDraftError as stale:
            # Saved by another turn meanwhile: merge the card into that revision instead (a field
            # both changed becomes a conflict, as with a card that was open for a while).
            if attempt == SAVE_ATTEMPTS - 1:
                raise
            draft = stale.current
            continue
        return saved, merged.conflicts
    raise AssertionError("unreachable")


def _field_name(turn: Turn, draft: MinutesDraft, name: str) -> str:
    if name.startswith("notes_"):
        item = next((i for i in draft.content.get("items", []) if "notes_" + i["key"] == name), None)
        return f"{item['number']}. {item['title']}" if item else name
    return turn.t("minutes.section.checkin" if name.startswith("checkin") else "minutes.section.checkout")


def _conflict_notice(turn: Turn, draft: MinutesDraft, conflicts: tuple[str, ...]) -> str:
    return turn.t("minutes.card_conflict_notice", fields=", ".join(_field_name(turn, draft, name) for name in conflicts))


def _note_too_long(turn: Turn, draft: MinutesDraft, data: dict[str, Any]) -> str | None:
    """What to say when a text on the card is over the limit for a minutes note (nothing is saved then:
    the minutes card, shared by everyone, must stay small enough for Teams)."""
    texts = []
    for name in edit_fields(draft.content):
        value = data.get(name)
        if isinstance(value, str) and limits.too_long(value, limits.MINUTES_NOTE):
            return turn.t("minutes.note_too_long", field=_field_name(turn, draft, name), length=limits.length(value),
                          max=limits.MINUTES_NOTE)
        texts.append(value if isinstance(value, str) else field_value(draft.content, name))
    total = "".join(texts)
    if limits.too_long(total, limits.MINUTES_NOTES):
        return turn.t("minutes.notes_too_long", length=limits.length(total), max=limits.MINUTES_NOTES)
    return None


async def save_draft(turn: Turn, data: dict[str, Any]) -> CardReply | None:
    """**Spara utkast**: the secretary's texts are stored; the card comes back up to date."""
    meeting = await _meeting_from_data(turn, data)
    if meeting is None:
        return CardReply(message=turn.t("minutes.unknown_meeting_in_card"))
    if not turn.has_role(SECRETARY):
        return CardReply(message=turn.t("minutes.only_secretary"))
    draft, built = await sync_draft(turn.services, turn.team, meeting)
    if draft.locked:
        return await _already(turn, draft)
    too_long = _note_too_long(turn, draft, data)
    if too_long:
        return await _reply(turn, draft, notice=too_long)
    saved, conflicts = await _save_edits(turn, draft, built, data)
    if conflicts:
        notice = _conflict_notice(turn, saved, conflicts)
    else:
        local = turn.now.astimezone(_tz(turn.services))
        notice = turn.t("minutes.card_saved_notice", time=formatting.format_time(local.time(), turn.locale))
    return await _reply(turn, saved, notice=notice)


async def _already(turn: Turn, draft: MinutesDraft) -> CardReply:
    version = await _latest(turn.services, turn.team, draft)
    notice = turn.t("minutes.card_already_notice", name=version.confirmed_by_name if version else "")
    return await _reply(turn, draft, notice=notice)


async def approve(turn: Turn, data: dict[str, Any]) -> CardReply | None:
    """**Godkänn protokoll**: the content on the secretary's card becomes a confirmed, locked version."""
    meeting = await _meeting_from_data(turn, data)
    if meeting is None:
        return CardReply(message=turn.t("minutes.unknown_meeting_in_card"))
    if not turn.has_role(SECRETARY):
        return CardReply(message=turn.t("minutes.only_secretary"))
    services, team = turn.services, turn.team
    # confirm() checks the revision inside its write: of two clicks, at most one confirms, and
    # only the content its card showed (the other gets the stale notice).
    draft, built = await sync_draft(services, team, meeting)
    if draft.locked:
        return await _already(turn, draft)
    too_long = _note_too_long(turn, draft, data)
    if too_long:
        return await _reply(turn, draft, notice=too_long)
    card_revision = _revision(data)
    if card_revision != draft.revision:
        # The card showed an older draft: keep what she typed, show the current one, confirm nothing.
        saved, _conflicts = await _save_edits(turn, draft, built, data)
        notice = turn.t("minutes.card_stale_notice")
        return await _reply(turn, saved, notice=notice)
    saved, _conflicts = await _save_edits(turn, draft, built, data)
    if not saved.content.get("attendees"):
        # Minutes say who was there: confirming them with nobody recorded would lock that gap in.
        return await _reply(turn, saved, notice=turn.t("minutes.card_nobody_present_notice"))
    reason = data.get(REASON_INPUT) if isinstance(data.get(REASON_INPUT), str) else None
    if saved.status == CORRECTING and not (reason or "").strip():
        notice = turn.t("minutes.card_reason_missing_notice")
        return await _reply(turn, saved, notice=notice)
    try:
        version = await services.store.minutes.confirm(
            team.key,
            meeting.id,
            expected_revision=saved.revision,
            by=turn.member.key,
            by_name=turn.member.name,
            at=turn.now,
            reason=reason,
            cosign_required=cosign_required(team),
        )
    except AlreadyConfirmedError:
        return await _already(turn, await services.store.minutes.draft(team.key, meeting.id) or saved)
    except (StaleDraftError, NotConfirmableError):
        current = await services.store.minutes.draft(team.key, meeting.id) or saved
        return await _reply(turn, current, notice=turn.t("minutes.card_stale_notice"))
    log.info("minutes of %s confirmed as version %s", meeting.id, version.version)
    locked = await services.store.minutes.draft(team.key, meeting.id) or saved
    await services.changes.publish("minutes", team.key, meeting.id)
    key = "minutes.approved_channel_cosign" if version.awaiting_cosign else "minutes.approved_channel"
    await _announce(turn, team, meeting, locked, version, key, name=turn.member.name)
    return await _reply(turn, locked)


async def correct(turn: Turn, data: dict[str, Any]) -> CardReply | None:
    """**Rätta protokollet**: the secretary reopens confirmed minutes; the confirmed version stays valid."""
    meeting = await _meeting_from_data(turn, data)
    if meeting is None:
        return CardReply(message=turn.t("minutes.unknown_meeting_in_card"))
    if not turn.has_role(SECRETARY):
        return CardReply(message=turn.t("minutes.only_secretary_correct"))
    draft = await _start_correction(turn, meeting)
    if draft is None:
        return CardReply(message=turn.t("minutes.not_confirmed_yet", date=_date_text(turn.services, meeting, turn.locale)))
    notice = turn.t("minutes.correcting_started", date=_date_text(turn.services, meeting, turn.locale))
    return await _reply(turn, draft, notice=notice)


async def cosign(turn: Turn, data: dict[str, Any]) -> CardReply | None:
    """**Justera**: the chair co-signs the confirmed version shown on the card."""
    meeting = await _meeting_from_data(turn, data)
    if meeting is None:
        return CardReply(message=turn.t("minutes.unknown_meeting_in_card"))
    if not turn.has_role(CHAIR):
        return CardReply(message=turn.t("minutes.only_chair_cosign"))
    services, team, repo = turn.services, turn.team, turn.store.minutes
    draft = await repo.draft(team.key, meeting.id)
    number = _number(data, "version")
    version = await repo.version(team.key, meeting.id, number) if number else None
    version = version or (await _latest(services, team, draft) if draft else None)
    if draft is None or version is None or not version.awaiting_cosign:
        return CardReply(message=turn.t("minutes.nothing_to_cosign"))
    if version.confirmed_by == turn.member.key:
        return CardReply(message=turn.t("minutes.cosign_not_self"))
    signed, now_signed = await repo.cosign(
        team.key, meeting.id, version.version, by=turn.member.key, by_name=turn.member.name, at=turn.now
    )
    if not now_signed:
        # Co-signed meanwhile (another chair's click at the same moment, or on another
        # instance): announced once, by that click; this one shows the card as it is now.
        return await _reply(turn, draft)
    await services.changes.publish("minutes", team.key, meeting.id)
    await _announce(turn, team, meeting, draft, signed, "minutes.cosigned_channel", name=turn.member.name)
    return await _reply(turn, draft)


async def request_change(turn: Turn, data: dict[str, Any]) -> CardReply | None:
    """**Begär ändring**: the comment goes 1:1 to the secretary and the presidium; the channel sees
    only that a change was asked, when someone could not be reached there."""
    meeting = await _meeting_from_data(turn, data)
    if meeting is None:
        return CardReply(message=turn.t("minutes.unknown_meeting_in_card"))
    comment = data.get(COMMENT_INPUT)
    dialogs = turn.dialogs
    if not isinstance(comment, str) or not comment.strip():
        # Clicked with the box empty (or from a client that showed no box): the next message in
        # the chat is the change asked for. A question the bot had left open is replaced by this one.
        if dialogs is None:
            raise RuntimeError("the edge gives every card action its dialog context")
        await dialogs.cancel_all_dialogs()
        await dialogs.begin_dialog(CHANGE_DIALOG, {"team": turn.team.key, "meeting_id": meeting.id})
        return CardReply(message=turn.t("minutes.comment_missing", date=_date_text(turn.services, meeting, turn.locale)))
    if dialogs is not None and dialogs.active_dialog is not None and dialogs.active_dialog.id == CHANGE_DIALOG:
        await dialogs.cancel_all_dialogs()  # asked for in the chat, then written in the box after all
    services, team = turn.services, turn.team
    reached, unreached = await notify_change_request(services, team, meeting, turn.member, comment.strip()[:4000], turn.channel_locale)
    reply = _change_sent_text(turn, reached, unreached)
    draft = await services.store.minutes.draft(team.key, meeting.id)
    if draft is None or _everyones_card(turn):
        return CardReply(message=reply)  # the card stays as everyone sees it
    return await _reply(turn, draft, notice=reply)


def _change_sent_text(turn: Turn, reached: list[Member], unreached: list[Member]) -> str:
    """Tells the person who got their change request, and who could not be reached."""
    if not reached and not unreached:
        return turn.t("minutes.change_nobody")
    if not reached:
        return turn.t("minutes.change_not_sent", unreached=_names(unreached))
    if unreached:
        return turn.t("minutes.change_sent_partly", names=_names(reached), unreached=_names(unreached))
    return turn.t("minutes.change_sent", names=_names(reached))


def _names(members: list[Member]) -> str:
    return ", ".join(escape(m.name) for m in members)


class ChangeRequestDialog(ComponentDialog):
    """**Begär ändring** clicked without a comment: the person's next message is the comment.

    Options (persisted with the dialog state): ``team`` (the network the card acted on, which in a
    1:1 chat need not be the one the next message is read in) and ``meeting_id``."""

    def __init__(self) -> None:
        super().__init__(CHANGE_DIALOG)
        self.add_dialog(TextPrompt(_CHANGE_TEXT))
        self.add_dialog(WaterfallDialog(_CHANGE_FLOW, [self.wait_for_comment, self.send_comment]))
        self.initial_dialog_id = _CHANGE_FLOW

    async def wait_for_comment(self, step: WaterfallStepContext) -> DialogTurnResult:
        # The card's reply (or the last empty answer's) has asked already: just wait for the next message.
        return await step.prompt(_CHANGE_TEXT, PromptOptions())

    async def send_comment(self, step: WaterfallStepContext) -> DialogTurnResult:
        turn = Turn.of(step.context)
        options: dict[str, Any] = step.options
        store = turn.store
        team = await store.teams.get_team(options["team"])
        member = await store.teams.get_member(options["team"], turn.member.key) if team is not None else None
        if team is None or not team.active or member is None or not member.active:
            await turn.say_key("minutes.change_network_left")
            return await step.end_dialog()
        meeting = await store.meetings.get(team.key, options["meeting_id"])
        if meeting is None:
            await turn.say_key("minutes.unknown_meeting_in_card")
            return await step.end_dialog()
        comment = (turn.text or "").strip()
        if not comment:
            await turn.say_key("minutes.comment_missing", date=_date_text(turn.services, meeting, turn.locale))
            return await step.replace_dialog(_CHANGE_FLOW, options)
        reached, unreached = await notify_change_request(turn.services, team, meeting, member, comment[:4000], turn.channel_locale)
        await turn.say(_change_sent_text(turn, reached, unreached))
        return await step.end_dialog()


def dialogs(services: Services) -> list[Dialog]:
    return [ChangeRequestDialog()]


# Sending outside the current turn -----------------------------------------------------------------
async def notify_change_request(
    services: Services, team: Team, meeting: Meeting, sender: Member, comment: str, locale: str = "sv"
) -> tuple[list[Member], list[Member]]:
    """Post the comment 1:1 to the secretary, who makes the change, and to the presidium; returns
    (reached, not reached). The comment is between them and the sender: when someone cannot be
    reached 1:1 (or nobody holds the roles), the channel is told only that a change was asked."""
    store = services.store
    recipients = [
        m for m in await store.teams.members(team.key)
        if m.active and (PRESIDIUM in m.roles or SECRETARY in m.roles) and m.key != sender.key
    ]
    params = {
        "name": escape(sender.name),
        "date": _date_text(services, meeting, locale),
        "comment": escape(comment),
        "meeting_id": meeting.id,
    }
    reached: list[Member] = []
    unreached: list[Member] = []
    for member in recipients:
        ref = await store.teams.personal_ref(member.key)
        if ref and await _post(services, ref, text=t("minutes.change_requested", locale, **params)):
            reached.append(member)
        else:
            unreached.append(member)
    if unreached:
        await _post(services, team.conversation_ref,
                    text=t("minutes.change_requested_channel", locale, names=_names(unreached), name=params["name"], date=params["date"]))
    elif not recipients:
        await _post(services, team.conversation_ref,
                    text=t("minutes.change_requested_channel_nobody", locale, name=params["name"], date=params["date"]))
    return reached, unreached


async def _announce(
    turn: Turn, team: Team, meeting: Meeting, draft: MinutesDraft, version: MinutesVersion, key: str, *, name: str
) -> None:
    """Show everyone the confirmed (or co-signed) minutes once: update cards in place, one short message."""
    services = turn.services
    locale = turn.channel_locale  # the channel and its shared card speak the network's language
    message = t(key, locale, name=escape(name), date=_date_text(services, meeting, locale), version=version.version)
    shared = await card_for(services, team, draft, None, locale=locale)
    activity = turn.activity
    in_team_conversation = not turn.in_personal_chat
    if activity.type == "invoke" and activity.reply_to_id and in_team_conversation:
        # The invoke response changes the clicker's card; this changes it for everyone else.
        await _update_in_turn(turn.context, activity.reply_to_id, shared)
    if in_team_conversation:
        # Other cards of these minutes (an earlier `protokoll`, another channel) show them confirmed too.
        for entry in draft.cards:
            if entry.get("ref") and entry.get("activity_id") and entry["activity_id"] != activity.reply_to_id:
                await _update_card(services, entry["ref"], entry["activity_id"], shared)
        await turn.say(message)
        await services.store.minutes.mark_posted(team.key, meeting.id, version.version, at=turn.now)
        return
    # Confirmed in a 1:1 chat: bring the channel's cards up to date, or post the minutes there.
    updated = 0
    for entry in draft.cards:
        if entry.get("ref") and entry.get("activity_id") and await _update_card(services, entry["ref"], entry["activity_id"], shared):
            updated += 1
    summary = t("minutes.card_summary_confirmed", locale, date=_date_text(services, meeting, locale))
    if updated:
        await _post(services, team.conversation_ref, text=message)
    else:
        await _post(services, team.conversation_ref, text=message, card=shared, summary=summary)
    await services.store.minutes.mark_posted(team.key, meeting.id, version.version, at=turn.now)


async def _update_in_turn(context: TurnContext, activity_id: str, card: dict[str, Any]) -> bool:
    update = MessageFactory.attachment(CardFactory.adaptive_card(card))
    update.id = activity_id
    try:
        await context.update_activity(update)
        return True
    except Exception:  # the invoke answer already shows the clicker the result
        log.warning("could not update the minutes card in place", exc_info=True)
        return False


async def _post(
    services: Services, ref: dict[str, Any] | None, *, text: str | None = None, card: dict[str, Any] | None = None, summary: str | None = None
) -> bool:
    """Send one message to a stored conversation; False (logged) if it could not be delivered."""
    delivery = await _sender(services).to_conversation(ref, Outgoing(text=text, card=card, summary=summary))
    return _delivered(delivery)


async def _update_card(services: Services, ref: dict[str, Any], activity_id: str, card: dict[str, Any]) -> bool:
    return _delivered(await _sender(services).update_card(ref, activity_id, card))


def _sender(services: Services) -> Notifier:
    if services.proactive is None:
        raise RuntimeError("the proactive sender is built by create_app")
    return services.proactive


def _delivered(delivery: Delivery) -> bool:
    if delivery.status != SENT:
        log.warning("proactive minutes message not delivered: %s (%s)", delivery.status, delivery.detail)
    return delivery.status == SENT


COMMANDS = {"minutes": minutes_command}
CARD_ACTIONS = {
    ACTION_MINUTES_REFRESH: refresh_card,
    ACTION_MINUTES_SAVE: save_draft,
    ACTION_MINUTES_APPROVE: approve,
    ACTION_MINUTES_REQUEST_CHANGE: request_change,
    ACTION_MINUTES_CORRECT: correct,
    ACTION_MINUTES_COSIGN: cosign,
}

