"""Action items: reading "uppgift …" (title, @owners, due date), the owners and due dates in words,
storing a new item, and keeping "till nästa möte" in step with the calendar.

Command handlers (bot/features/action_items.py), the dialog (dialogs/record_action_item.py), card
forms, reminders, the minutes and the region's report call these. Parsing takes a ParseContext of
plain values, so it is tested as a table; nothing here takes a Turn. Who may close or change an
item is decided in bot/roles.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from bot import formatting
from bot.cards import escape
from bot.dates import DateQuestion, When, parse_when, split_when, vague_when
from bot.formatting import meeting_date
from bot.messages import t
from bot.rules import hints
from bot.rules.municipalities import DEFAULT_MUNICIPALITIES
from bot.rules.municipalities import municipalities as network_municipalities
from bot.text import fold
from storage.actions_repo import ALL, EXTERNAL, MEMBER, MUNICIPALITY, ActionItem, Owner
from storage.codec import load_dt
from storage.meetings_repo import Meeting
from storage.store import Store
from storage.teams_repo import Member, Team, member_key

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.teams.mentions import Mention

# Who changed a record when the bot itself did (an item's date following its meeting).
SYSTEM_AUTHOR = "skis-bot"
_ALL_WORDS = frozenset(
    {"alla", "var och en", "var och en i natverket", "alla i natverket", "hela natverket", "alla medlemmar", "everyone", "all"}
)
_SELF_WORDS = frozenset({"jag", "mig", "jag sjalv", "me", "myself"})
_NO_DUE_WORDS = frozenset(
    {"ingen", "inget", "nej", "-", "ingen tid", "inget datum", "ingen deadline", "vet inte", "nej tack", "none", "no"}
)
_NEXT_MEETING = re.compile(
    r"^(?:(?:till|senast|innan|fore|infor)\s+)?(?:det\s+|den\s+)?(?:nasta|kommande)\s+"
    r"(?:mote|motet|traff|traffen|natverkstraff|natverkstraffen|natverksmote|natverksmotet|gang)$"
)
# After "till"/"senast" at the end of an item: no due date ("ändra uppgift 3 till ingen").
_TRAILING_NO_DUE = frozenset({"ingen", "inget", "inget datum", "ingen tid", "ingen deadline", "-"})
# How far from the end a due date ("till fredagen den 4 december 2026") can start, and how many
# @owners an item can end with: bounds that keep reading a long message linear.
_MAX_DUE_CHARS = 200
_MAX_OWNERS = 30
_BLANKS = " \t\r\n\xa0"
_DUE_WORD = re.compile(r"(?<!\S)(?:till|senast|innan|före|inför)\s+", re.IGNORECASE)
# A due date that names no day ("till jul", "till v. 7") is a few words; a longer rest is title.
_MAX_VAGUE_DUE_WORDS = 4
_NAME_WORD = re.compile(r"^[A-ZÅÄÖÆØÉÜ][\w'’.-]*$")
_OWNER_SPLIT = re.compile(r"\s*(?:,|;|&|\+|@|\boch\b|\band\b)\s*", re.IGNORECASE)


# --- Which meeting an item belongs to ------------------------------------------------------------


async def source_meeting(store: Store, team_key: str, now: datetime) -> Meeting | None:
    """The meeting a new action item comes from: the ongoing or latest-started one, else the next."""
    return await store.meetings.latest_started(team_key, now) or await store.meetings.current(team_key, now)


async def next_meeting(store: Store, team_key: str, now: datetime, after: Meeting | None = None) -> Meeting | None:
    """The next meeting that has not started yet ("till nästa möte"), and never ``after`` itself: an
    item recorded for an upcoming meeting (on its agenda, before it began) is followed up at that
    meeting, so "till nästa möte" means the one after it."""
    since = max(now, after.starts_at) if after is not None else now
    later = [m for m in await store.meetings.upcoming(team_key, now) if m.starts_at > since]
    return later[0] if later else None


async def follow_next_meeting(store: Store, team_key: str, tz: tzinfo, now: datetime) -> list[ActionItem]:
    """Open items due "till nästa möte" take the date of the first meeting that starts after
    that was said, as the calendar stands now: a meeting planned later, moved or cancelled moves
    the due date with it. Returns the items whose date changed.

    Decided on the calendar and the items as stored, under the team partition's lock: a due date
    a person set meanwhile is kept, and two recalculations at once change (and record) it once."""
    return await store.actions.follow_calendar(
        team_key, lambda meetings, items: next_meeting_dues(meetings, items, tz), by=SYSTEM_AUTHOR, at=now
    )


def next_meeting_dues(meetings: list[Meeting], items: list[ActionItem], tz: tzinfo) -> dict[str, date | None]:
    """The due date each open "till nästa möte" item should have, by id (cancelled meetings left out)."""
    planned = sorted((m for m in meetings if not m.cancelled), key=lambda m: m.starts_at)
    by_id = {m.id: m for m in planned}
    dues: dict[str, date | None] = {}
    for item in items:
        if not item.is_open or not item.due_next_meeting:
            continue
        since = _due_next_set_at(item)
        own = by_id.get(item.meeting_id) if item.meeting_id else None
        if own is not None and own.starts_at > since:
            since = own.starts_at  # recorded for a meeting before it began: the one after it
        following = next((m for m in planned if m.starts_at > since), None)
        dues[item.id] = following.starts_at.astimezone(tz).date() if following else None
    return dues


def _due_next_set_at(item: ActionItem) -> datetime:
    """When "till nästa möte" was chosen: at an edit that set it, else when the item was recorded."""
    for entry in reversed(item.history):
        if "due_next_meeting" in (entry.get("before") or {}) and entry.get("by") != SYSTEM_AUTHOR:
            return load_dt(entry["at"]) or item.created_at
    return item.created_at


# --- Owners and due dates -----------------------------------------------------------------------


@dataclass(frozen=True)
class OwnerResult:
    owners: tuple[Owner, ...]
    problem: str | None = None  # a question for the person when a name was ambiguous or missing


@dataclass(frozen=True)
class ParseContext:
    """What reading an action item needs besides the text: the register, the @mentions, who
    is writing, today's date and the time zone. Plain values, so parsing is tested as a table."""

    members: list[Member]
    mentions: list[Mention]
    me: Member
    today: date
    tz: ZoneInfo
    locale: str = "sv"
    # The network's municipalities (an owner may be one); members' own values are accepted too.
    municipalities: tuple[str, ...] = DEFAULT_MUNICIPALITIES

    @classmethod
    async def of(
        cls, store: Store, team: Team, me: Member, mentions: list[Mention], settings: Settings, now: datetime, locale: str
    ) -> ParseContext:
        """The context for a message in ``team`` by ``me``: the register is read once."""
        tz = settings.timezone
        return cls(
            members=await store.teams.members(team.key),
            mentions=list(mentions),
            me=me,
            today=now.astimezone(tz).date(),
            tz=tz,
            locale=locale,
            municipalities=network_municipalities(team, settings),
        )


def _member_owner(member: Member) -> Owner:
    return Owner(MEMBER, member.name, member.key)


def _contains_run(haystack: list[str], needle: list[str]) -> bool:
    n = len(needle)
    return any(haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))


def resolve_owner(
    name: str,
    members: list[Member],
    mentions: list[Mention],
    me: Member,
    known_municipalities: tuple[str, ...] = DEFAULT_MUNICIPALITIES,
) -> Owner | list[Member] | None:
    """One owner from a name: a member (exact, or a unique first name / surname), ``alla``,
    a municipality, or a person outside the network. A list means the name fits several members."""
    clean = name.strip().lstrip("@").strip(" ,.;:!?")
    if not clean:
        return None
    folded = " ".join(fold(clean).split())
    if folded in _ALL_WORDS:
        return Owner(ALL, t("records.owner_all_name"))
    if folded in _SELF_WORDS:
        return _member_owner(me)
    by_key = {m.key: m for m in members}
    for mention in mentions:
        if fold(mention.name) == folded:
            key = member_key(mention.id, mention.aad_object_id)
            member = by_key.get(key)
            return _member_owner(member) if member else Owner(MEMBER, mention.name, key)
    by_name = {fold(m): m for m in known_municipalities}
    by_name.update({fold(m.municipality): m.municipality for m in members if m.municipality})
    if folded in by_name:
        canonical = by_name[folded]
        return Owner(MUNICIPALITY, canonical, canonical)
    exact = [m for m in members if " ".join(fold(m.name).split()) == folded]
    if len(exact) == 1:
        return _member_owner(exact[0])
    if len(exact) > 1:
        return exact
    words = folded.split()
    partial = [m for m in members if _contains_run(fold(m.name).split(), words)]
    if len(partial) == 1:
        return _member_owner(partial[0])
    if len(partial) > 1:
        return partial
    return Owner(EXTERNAL, " ".join(clean.split()))


def resolve_owner_list(text: str, ctx: ParseContext) -> OwnerResult:
    """Owners from "Anna, Peter och Skövde", "@Anna Gustafsson @Peter", "alla" …"""
    locale = ctx.locale
    folded = " ".join(fold(text.strip(" .,;:!?")).split())
    if folded.lstrip("@") in _ALL_WORDS:
        return OwnerResult((Owner(ALL, t("records.owner_all_name", locale)),))
    owners: list[Owner] = []
    pieces = [piece for piece in _OWNER_SPLIT.split(text) if piece.strip(" .,;:!?")]
    if len(pieces) > _MAX_OWNERS:
        # Each name is looked up in the whole register: a bound keeps a pasted list cheap.
        return OwnerResult((), t("records.owner_too_many", locale, max=_MAX_OWNERS))
    for piece in pieces:
        found = resolve_owner(piece, ctx.members, ctx.mentions, ctx.me, ctx.municipalities)
        if found is None:
            continue
        if isinstance(found, list):
            return OwnerResult(tuple(owners), ambiguous_text(piece, found, locale))
        if found not in owners:
            owners.append(found)
    if not owners:
        return OwnerResult((), t("records.owner_missing", locale))
    return OwnerResult(tuple(owners))


def ambiguous_text(name: str, candidates: list[Member], locale: str) -> str:
    listed = ", ".join(
        f"{escape(m.name)} ({escape(m.municipality)})" if m.municipality else escape(m.name) for m in candidates
    )
    return t("records.owner_ambiguous", locale, name=escape(name.strip().lstrip("@")), candidates=listed, example=escape(candidates[0].name))


def owners_text(owners: tuple[Owner, ...] | list[Owner], locale: str = "sv") -> str:
    """ "Anna Gustafsson och Peter Stark", "alla i nätverket", "alla från Skövde" …"""
    names = []
    for owner in owners:
        if owner.kind == ALL:
            names.append(t("records.owner_all", locale))
        elif owner.kind == MUNICIPALITY:
            names.append(t("records.owner_municipality", locale, municipality=owner.name))
        elif owner.kind == EXTERNAL:
            names.append(t("records.owner_external", locale, name=owner.name))
        else:
            names.append(owner.name)
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} {t('records.and', locale)} {names[-1]}"


@dataclass(frozen=True)
class Due:
    due: date | None = None
    next_meeting: bool = False


EMPTY_DUE = Due()


def parse_due(text: str, ctx: ParseContext) -> Due | str:
    """A due date from a whole answer ("4 december", "till nästa möte", "ingen"); a str is a question back."""
    folded = " ".join(fold(text.strip(" .,;:!?")).split())
    if folded in _NO_DUE_WORDS:
        return Due()
    if _is_next_meeting(text):
        return Due(next_meeting=True)
    body = re.sub(r"^(?:till|senast|innan|före|inför)\s+", "", text.strip(), flags=re.IGNORECASE)
    found = parse_when(body, ctx.today, ctx.tz)
    if isinstance(found, DateQuestion):
        vague = vague_when(body, ctx.today) if found.key in ("dates.unparseable", "dates.extra_text") else None
        return (vague or found).text(ctx.locale)
    return _checked_due(found, ctx)


def _checked_due(when: When, ctx: ParseContext) -> Due | str:
    if when.date < ctx.today:
        return t("records.due_in_past", ctx.locale, date=formatting.format_date(when.date, ctx.locale))
    return Due(when.date)


def _is_next_meeting(text: str) -> bool:
    return bool(_NEXT_MEETING.match(" ".join(fold(text.strip(" .,;:!?")).split())))


def due_text(item: ActionItem, tz: ZoneInfo, locale: str = "sv") -> str:
    """ "senast fredag 4 december 2026", "till nästa möte (fredag 4 december 2026)" or "" without a due date."""
    if item.due_next_meeting:
        when = formatting.format_date(item.due, locale) if item.due else t("records.due_no_date", locale)
        return t("records.due_next_meeting", locale, date=when)
    return t("records.due_by", locale, date=formatting.format_date(item.due, locale)) if item.due else ""


@dataclass
class ActionDraft:
    """What one ``uppgift …`` message said; any part may be missing or need a question."""

    title: str
    owners: tuple[Owner, ...] = ()
    owner_problem: str | None = None
    due: Due | None = None
    due_problem: str | None = None

    def to_options(self) -> dict[str, Any]:
        """JSON-serialisable dialog options (dialog state is persisted) for asking what is missing."""
        return {
            "title": self.title or None,
            "owners": [o.to_doc() for o in self.owners] if self.owners and not self.owner_problem else None,
            "due": self.due.due.isoformat() if self.due and self.due.due else None,
            "due_next": bool(self.due and self.due.next_meeting),
            # Without "till …" the item simply has no due date; a date that could not be read is asked.
            "due_set": self.due_problem is None,
            "hints": {"owners": self.owner_problem, "due": self.due_problem},
        }


def parse_action_text(text: str, ctx: ParseContext) -> ActionDraft:
    """Split ``Mejla inbjudan till SKIS-gruppen @Anna till 4 december`` into title, owners and due.

    Owners are the trailing ``@names``; the due date is a trailing ``till <date>`` (or ``till nästa
    möte``) that parses as a date, so "till" inside the title stays there.
    """
    body, owners, problem = _take_trailing_owners(text, ctx)
    body, due, due_problem = _take_trailing_due(body, ctx)
    if due is not None or due_problem is not None:
        body, more, more_problem = _take_trailing_owners(body, ctx)
        owners = (*more, *owners)
        problem = problem or more_problem
    title = _unmention(body, ctx.mentions).strip(" \t,;:")
    return ActionDraft(title=title, owners=owners, owner_problem=problem, due=due, due_problem=due_problem)


def _take_trailing_owners(text: str, ctx: ParseContext) -> tuple[str, tuple[Owner, ...], str | None]:
    # Walks back from the end by index (no copies of the whole text per owner), and takes at
    # most _MAX_OWNERS: each step costs only its own @name, so the text is read once.
    owners: list[Owner] = []
    problem: str | None = None
    end = len(text)
    for _ in range(_MAX_OWNERS):
        end = _rstrip_index(text, end, " \t,;.")
        at = text.rfind("@", 0, end)
        if at < 0 or (at > 0 and not (text[at - 1].isspace() or text[at - 1] in ",;(")):
            break  # no @, or an e-mail address
        candidate = text[at + 1 : end].strip()
        candidate = re.sub(r"^(?:och|and)\s+", "", candidate, flags=re.IGNORECASE)
        mentioned = any(fold(m.name) == fold(candidate) for m in ctx.mentions)
        if not candidate or not (mentioned or _looks_like_owner(candidate, ctx.municipalities) or _names_a_member(candidate, ctx.members)):
            break
        found = resolve_owner(candidate, ctx.members, ctx.mentions, ctx.me, ctx.municipalities)
        if found is None:
            break
        if isinstance(found, list):
            problem = problem or ambiguous_text(candidate, found, ctx.locale)
        elif found not in owners:
            owners.insert(0, found)
        end = _drop_trailing_and(text, at)
    return text[:end], tuple(owners), problem


def _rstrip_index(text: str, end: int, chars: str) -> int:
    while end > 0 and text[end - 1] in chars:
        end -= 1
    return end


def _drop_trailing_and(text: str, end: int) -> int:
    """The end of ``text[:end]`` without trailing blanks and a trailing " och"/" and"."""
    end = _rstrip_index(text, end, _BLANKS)
    word = text[max(0, end - 3) : end].casefold()
    if word in ("och", "and") and end > 3 and text[end - 4] in _BLANKS:
        end = _rstrip_index(text, end - 3, _BLANKS)
    return end


def _looks_like_owner(candidate: str, known_municipalities: tuple[str, ...]) -> bool:
    folded = " ".join(fold(candidate).split())
    if folded in _ALL_WORDS or folded in _SELF_WORDS or folded in {fold(m) for m in known_municipalities}:
        return True
    words = candidate.split()
    return 1 <= len(words) <= 4 and all(_NAME_WORD.match(w) for w in words)


def _names_a_member(candidate: str, members: list[Member]) -> bool:
    # "@anna" typed by hand (not picked from Teams' list) still names Anna Gustafsson.
    words = fold(candidate).split()
    return 1 <= len(words) <= 4 and any(_contains_run(fold(m.name).split(), words) for m in members)


def _take_trailing_due(text: str, ctx: ParseContext) -> tuple[str, Due | None, str | None]:
    # Only a "till"/"senast" near the end can start the due date, so each one tried reads a
    # bounded tail and the text is scanned once: "till till till …" stays linear.
    for m in reversed(list(_DUE_WORD.finditer(text))):
        if len(text) - m.end() > _MAX_DUE_CHARS:
            break
        rest = text[m.end() :].strip()
        before = text[: m.start()].rstrip()
        if not rest:
            continue
        if _is_next_meeting(rest):
            return before, Due(next_meeting=True), None
        if " ".join(fold(rest.strip(" .,;:!?")).split()) in _TRAILING_NO_DUE:
            return before, Due(), None  # "ändra uppgift 3 till ingen": the date is taken away
        found = parse_when(rest, ctx.today, ctx.tz)
        if isinstance(found, When):
            checked = _checked_due(found, ctx)
            if isinstance(checked, str):
                return before, None, checked
            return before, checked, None
        hit, lead, _after = split_when(rest, ctx.today, ctx.tz)
        if isinstance(hit, DateQuestion) and not lead.strip():
            return before, None, hit.text(ctx.locale)
        if len(rest.split()) <= _MAX_VAGUE_DUE_WORDS:
            # "till jul", "till v. 7": a due date was meant but names no day. It is asked
            # about, and the rest of the item (title, @owners) is kept.
            vague = vague_when(rest, ctx.today, at_start=True)
            if vague is not None:
                return before, None, vague.text(ctx.locale)
    return text, None, None


def _unmention(text: str, mentions: list[Mention]) -> str:
    """ "@Anna Gustafsson" of a real mention inside a title reads as "Anna Gustafsson"."""
    for mention in mentions:
        text = text.replace(f"@{mention.name}", mention.name)
    return text


def owners_from_docs(docs: list[dict[str, Any]] | None) -> tuple[Owner, ...]:
    return tuple(Owner.from_doc(d) for d in docs or ())


async def create_action_item(
    store: Store,
    team_key: str,
    member: Member,
    title: str,
    owners: tuple[Owner, ...],
    due: Due,
    *,
    now: datetime,
    tz: ZoneInfo,
    conversation_id: str | None = None,
    activity_id: str | None = None,
) -> ActionItem:
    """Store a new action item recorded by ``member``, linked to the current meeting. The caller
    publishes the change (the scheduler and open cards follow it)."""
    meeting = await source_meeting(store, team_key, now)
    due_date = due.due
    if due.next_meeting and due_date is None:
        upcoming = await next_meeting(store, team_key, now, after=meeting)
        if upcoming is not None:
            due_date = upcoming.starts_at.astimezone(tz).date()
    return await store.actions.create(
        team_key,
        title=title,
        owners=owners,
        created_by=member.key,
        created_by_name=member.name,
        created_at=now,
        meeting_id=meeting.id if meeting else None,
        due=due_date,
        due_next_meeting=due.next_meeting,
        conversation_id=conversation_id,
        activity_id=activity_id,
    )


async def due_changes(store: Store, team_key: str, due: Due, now: datetime, tz: ZoneInfo, meeting: Meeting | None = None) -> dict[str, Any]:
    """The fields an edit sets for a new due date ("till nästa möte" takes the date of the next
    meeting after now and after the item's own ``meeting``)."""
    day = due.due
    if due.next_meeting and day is None:
        upcoming = await next_meeting(store, team_key, now, after=meeting)
        day = upcoming.starts_at.astimezone(tz).date() if upcoming else None
    return {"due": day, "due_next_meeting": due.next_meeting}


async def action_saved_text(store: Store, team_key: str, item: ActionItem, tz: ZoneInfo, locale: str, person_key: str | None = None) -> str:
    """The reply after an item is stored: number, what, who, when, and how to change it (the last
    only the first few times ``person_key`` sees it; always without a person)."""
    lines = [t("records.action_saved", locale, number=item.number, title=escape(item.title))]
    lines.append(t("records.action_owner_line", locale, owners=escape(owners_text(item.owners, locale))))
    when = due_text(item, tz, locale)
    lines.append(t("records.action_due_line", locale, due=when) if when else t("records.action_no_due_line", locale))
    meeting = await store.meetings.get(team_key, item.meeting_id) if item.meeting_id else None
    if meeting is not None:
        # Recorded before its meeting began, the item is for that meeting, not from it.
        key = "records.action_for_meeting_line" if item.created_at < meeting.starts_at else "records.action_meeting_line"
        lines.append(t(key, locale, meeting=meeting_date(meeting, tz, locale)))
    externals = [o.name for o in item.owners if o.kind == EXTERNAL]
    if externals:
        lines.append(t("records.action_external_note", locale, names=escape(", ".join(externals))))
    if person_key is None or await hints.take_hint(store, team_key, person_key, hints.ACTION_HOW_TO_CHANGE):
        lines.append(t("records.action_how_to_change", locale, number=item.number))
    return "\n\n".join(lines)
