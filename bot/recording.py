"""Recording check-ins, action items and decisions: the rules, checked and stored in one place.

Command handlers (``bot/features/records.py``), dialogs (``dialogs/checkin.py``,
``dialogs/record_action_item.py``, ``dialogs/record_decision.py``) and card actions all call these
functions, so a record made in one message, at the end of a dialog or from a card is read,
checked and stored the same way, and the bot never stores half a record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from bot import formatting, hints
from bot.cards import escape
from bot.dates import DateQuestion, When, parse_when, split_when, vague_when
from bot.formatting import first_name
from bot.mentions import Mention, read_activity
from bot.messages import t
from bot.municipalities import DEFAULT_MUNICIPALITIES
from bot.municipalities import municipalities as network_municipalities
from bot.routing import COMMANDS, fold, parse_command
from bot.turn import Turn
from storage.actions_repo import ALL, EXTERNAL, MEMBER, MUNICIPALITY, ActionItem, Owner
from storage.checkins_repo import CHECKIN, CHECKOUT, CheckinAnswer
from storage.codec import load_dt
from storage.decisions_repo import Decision
from storage.meetings_repo import Meeting
from storage.store import Store
from storage.teams_repo import Member, member_key

# The network's own questions (from its minutes), asked in turn when the presidium sets none.
DEFAULT_QUESTION_KEYS: dict[str, tuple[str, ...]] = {
    CHECKIN: ("records.default_checkin_1", "records.default_checkin_2", "records.default_checkin_3"),
    CHECKOUT: ("records.default_checkout_1", "records.default_checkout_2", "records.default_checkout_3"),
}

# Who may do what beyond their own records.
LEAD_ROLES = ("presidium", "ordförande")
# Who changed a record when the bot itself did (an item's date following its meeting).
SYSTEM_AUTHOR = "skis-bot"
RECORDER_ROLES = ("presidium", "sekreterare", "ordförande")

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
_AGENDA_PREFIX = re.compile(r"^\s*(?:punkt|p\.?|§)\s*(\d{1,3})\s*[:.,\-–]?\s*", re.IGNORECASE)
_NUMBER = re.compile(r"^\s*(?:(?:uppgift|uppgiften|beslut|beslutet|nr\.?|nummer)\s*)?#?(\d{1,6})\b[\s:.,]*", re.IGNORECASE)


# --- Meetings -----------------------------------------------------------------------------------


def local_today(turn: Turn) -> date:
    return turn.now.astimezone(turn.services.settings.timezone).date()


def meeting_date(meeting: Meeting, tz: ZoneInfo, locale: str = "sv") -> str:
    """ "fredag 4 december 2026": how a meeting is named in replies."""
    return formatting.format_date(meeting.starts_at.astimezone(tz).date(), locale)


def checkin_meeting(store: Store, team_key: str, now: datetime) -> Meeting | None:
    """The meeting a check-in (or check-out) answer belongs to: the ongoing one, else the next."""
    return store.meetings.current(team_key, now)


def source_meeting(store: Store, team_key: str, now: datetime) -> Meeting | None:
    """The meeting a new action item comes from: the ongoing or latest-started one, else the next."""
    return store.meetings.latest_started(team_key, now) or store.meetings.current(team_key, now)


def next_meeting(store: Store, team_key: str, now: datetime) -> Meeting | None:
    """The next meeting that has not started yet ("till nästa möte")."""
    later = [m for m in store.meetings.upcoming(team_key, now) if m.starts_at > now]
    return later[0] if later else None


def follow_next_meeting(store: Store, team_key: str, tz: tzinfo, now: datetime) -> list[ActionItem]:
    """Open items due "till nästa möte" take the date of the first meeting that starts after
    that was said, as the calendar stands now: a meeting planned later, moved or cancelled moves
    the due date with it. Returns the items whose date changed."""
    meetings = sorted(store.meetings.all(team_key), key=lambda m: m.starts_at)  # cancelled left out
    changed: list[ActionItem] = []
    for item in store.actions.open_items(team_key):
        if not item.due_next_meeting:
            continue
        since = _due_next_set_at(item)
        following = next((m for m in meetings if m.starts_at > since), None)
        due = following.starts_at.astimezone(tz).date() if following else None
        if due != item.due:
            changed.append(store.actions.update(item, by=SYSTEM_AUTHOR, at=now, due=due))
    return changed


def _due_next_set_at(item: ActionItem) -> datetime:
    """When "till nästa möte" was chosen: at an edit that set it, else when the item was recorded."""
    for entry in reversed(item.history):
        if "due_next_meeting" in (entry.get("before") or {}) and entry.get("by") != SYSTEM_AUTHOR:
            return load_dt(entry["at"]) or item.created_at
    return item.created_at


def question_for(store: Store, meeting: Meeting, kind: str = CHECKIN, locale: str = "sv") -> str:
    """The meeting's check-in or check-out question: the presidium's own, else the next in the rotation."""
    custom = meeting.checkin_question if kind == CHECKIN else meeting.checkout_question
    if custom and custom.strip():
        return custom
    keys = DEFAULT_QUESTION_KEYS[kind]
    return t(keys[meeting_index(store, meeting) % len(keys)], locale)


def question_is_custom(meeting: Meeting, kind: str = CHECKIN) -> bool:
    custom = meeting.checkin_question if kind == CHECKIN else meeting.checkout_question
    return bool(custom and custom.strip())


def meeting_index(store: Store, meeting: Meeting) -> int:
    """The meeting's place in the network's calendar (cancelled ones count), for the rotation."""
    ids = [m.id for m in store.meetings.all(meeting.team_key, include_cancelled=True)]
    return ids.index(meeting.id) if meeting.id in ids else 0


# --- Text people typed --------------------------------------------------------------------------


def reply_text(turn: Turn) -> str:
    """What a person wrote, as plain text, without the bot's @mention, people's as ``@Name``.

    The edge (bot/mentions.read_activity) reads it once per turn; this reads it only for a turn
    that did not pass there. Also sets ``turn.mentions``.
    """
    if turn.text is None:
        turn.text, turn.mentions = read_activity(turn.activity)
    return turn.text


def command_args(turn: Turn, args: str) -> str:
    """The arguments of the command in this message, read again with people's @mentions kept."""
    command = parse_command(reply_text(turn))
    return command.args if command is not None else args


def roles_text(locale: str, roles: tuple[str, ...]) -> str:
    """ "presidiet, sekreteraren eller ordföranden" """
    names = [t(f"core.role.{r}", locale) for r in roles]
    if len(names) == 1:
        return names[0]
    return f"{', '.join(names[:-1])} {t('core.or', locale)} {names[-1]}"


def parse_number(args: str) -> tuple[int | None, str]:
    """The record number at the start of ``args`` ("12", "#12", "nr 12") and the rest."""
    m = _NUMBER.match(args)
    if not m:
        return None, args.strip()
    return int(m.group(1)), args[m.end() :].strip()


def short(text: str, limit: int = 80) -> str:
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= limit else one_line[: limit - 1].rstrip() + "…"


# --- Check-ins ----------------------------------------------------------------------------------


def save_checkin(
    turn: Turn, meeting: Meeting, kind: str, answer: str, question: str | None = None, *, member: Member | None = None
) -> tuple[CheckinAnswer, CheckinAnswer | None]:
    """Store the answer of the person writing, or of ``member`` when the secretary writes down
    someone's answer afterwards (replacing their earlier one); returns (stored, replaced)."""
    who = member or turn.member
    question = question or question_for(turn.store, meeting, kind, turn.locale)
    return turn.store.checkins.save_answer(
        turn.team.key,
        meeting.id,
        who.key,
        kind=kind,
        question=question,
        answer=answer,
        at=turn.now,
        member_name=who.name,
        conversation_id=turn.activity.conversation.id if turn.activity.conversation else None,
        activity_id=turn.activity.id,
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


def checkin_saved_text(turn: Turn, meeting: Meeting, stored: CheckinAnswer, previous: CheckinAnswer | None) -> str:
    """The reply after an answer is stored: what was stored and how to change or remove it."""
    key = "records.checkin_replaced" if previous else "records.checkin_saved"
    return turn.t(
        key,
        name=first_name(turn.member.name),
        meeting=meeting_date(meeting, turn.services.settings.timezone, turn.locale),
        question=escape(stored.question),
        answer=escape(stored.answer),
        previous=escape(previous.answer) if previous else "",
        **kind_params(stored.kind, turn.locale),
    )


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


def checkin_overview(store: Store, team_key: str, meeting_id: str, kind: str = CHECKIN) -> CheckinOverview:
    """Answers to one meeting's check-in (or check-out) and the members who have not answered."""
    members = store.teams.members(team_key)
    by_key = {m.key: m for m in members}
    answers = store.checkins.answers(team_key, meeting_id, kind)
    answered_keys = {a.member_key for a in answers}
    missing: dict[str | None, list[Member]] = {}
    for member in members:
        if member.key not in answered_keys:
            missing.setdefault(member.municipality, []).append(member)
    ordered = sorted(missing.items(), key=lambda kv: (kv[0] is None, fold(kv[0] or "")))
    return CheckinOverview([(a, by_key.get(a.member_key)) for a in answers], ordered, len(members))


def delete_checkin(turn: Turn, meeting: Meeting, kind: str) -> str:
    """Remove the person's own answer; returns the reply."""
    removed = turn.store.checkins.delete_answer(turn.team.key, meeting.id, turn.member.key, kind)
    when = meeting_date(meeting, turn.services.settings.timezone, turn.locale)
    if removed is None:
        return turn.t("records.checkin_nothing_to_delete", meeting=when, **kind_params(kind, turn.locale))
    return turn.t("records.checkin_deleted", meeting=when, answer=escape(removed.answer), **kind_params(kind, turn.locale))


# --- Owners and due dates of action items -------------------------------------------------------


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
    def of(cls, turn: Turn) -> ParseContext:
        return cls(
            members=turn.store.teams.members(turn.team.key),
            mentions=list(turn.mentions),
            me=turn.member,
            today=local_today(turn),
            tz=turn.services.settings.timezone,
            locale=turn.locale,
            municipalities=network_municipalities(turn.team, turn.services.settings),
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


async def create_action_item(turn: Turn, title: str, owners: tuple[Owner, ...], due: Due) -> ActionItem:
    """Store a new action item linked to the current meeting, and tell the scheduler."""
    store = turn.store
    meeting = source_meeting(store, turn.team.key, turn.now)
    due_date = due.due
    if due.next_meeting and due_date is None:
        upcoming = next_meeting(store, turn.team.key, turn.now)
        if upcoming is not None:
            due_date = upcoming.starts_at.astimezone(turn.services.settings.timezone).date()
    item = store.actions.create(
        turn.team.key,
        title=title,
        owners=owners,
        created_by=turn.member.key,
        created_by_name=turn.member.name,
        created_at=turn.now,
        meeting_id=meeting.id if meeting else None,
        due=due_date,
        due_next_meeting=due.next_meeting,
        conversation_id=turn.activity.conversation.id if turn.activity.conversation else None,
        activity_id=turn.activity.id,
    )
    await turn.services.changes.publish("action_item", turn.team.key, item.id)
    return item


def action_saved_text(turn: Turn, item: ActionItem) -> str:
    """The reply after an item is stored: number, what, who, when, and how to change it."""
    tz = turn.services.settings.timezone
    lines = [turn.t("records.action_saved", number=item.number, title=escape(item.title))]
    lines.append(turn.t("records.action_owner_line", owners=escape(owners_text(item.owners, turn.locale))))
    when = due_text(item, tz, turn.locale)
    lines.append(turn.t("records.action_due_line", due=when) if when else turn.t("records.action_no_due_line"))
    meeting = turn.store.meetings.get(turn.team.key, item.meeting_id) if item.meeting_id else None
    if meeting is not None:
        lines.append(turn.t("records.action_meeting_line", meeting=meeting_date(meeting, tz, turn.locale)))
    externals = [o.name for o in item.owners if o.kind == EXTERNAL]
    if externals:
        lines.append(turn.t("records.action_external_note", names=escape(", ".join(externals))))
    if hints.take_hint(turn.store, turn.team.key, turn.member.key, hints.ACTION_HOW_TO_CHANGE):  # the first few times only
        lines.append(turn.t("records.action_how_to_change", number=item.number))
    return "\n\n".join(lines)


def may_close(turn: Turn, item: ActionItem) -> bool:
    """Owners (incl. through "alla" or their municipality), the presidium and the chair."""
    return item.is_owned_by(turn.member.key, turn.member.municipality) or turn.has_role(*LEAD_ROLES)


def may_edit(turn: Turn, item: ActionItem) -> bool:
    """Those who may close it, and whoever recorded it."""
    return may_close(turn, item) or item.created_by == turn.member.key


# --- Decisions ----------------------------------------------------------------------------------


def decision_meeting(store: Store, team_key: str, now: datetime) -> Meeting | None:
    """The meeting a decision belongs to: the ongoing one, else the latest that has started."""
    return store.meetings.latest_started(team_key, now)


def may_record_decision(turn: Turn, meeting: Meeting) -> bool:
    """Everyone during the meeting; afterwards the presidium, the secretary and the chair."""
    return meeting.is_ongoing(turn.now) or turn.has_role(*RECORDER_ROLES)


def may_correct_decision(turn: Turn, decision: Decision) -> bool:
    return decision.created_by == turn.member.key or turn.has_role(*RECORDER_ROLES)


def split_agenda_item(text: str) -> tuple[int | None, str]:
    """ "punkt 3: Skövde presenterar …" -> (3, "Skövde presenterar …")."""
    m = _AGENDA_PREFIX.match(text)
    if not m:
        return None, text.strip()
    return int(m.group(1)), text[m.end() :].strip()


def agenda_item_problem(turn: Turn, meeting: Meeting, number: int | None) -> str | None:
    """A question back when ``number`` is not an item on the meeting's agenda; None when it is (or none given)."""
    if number is None:
        return None
    from bot.agenda import build_agenda  # the agenda module reads check-in questions from here

    agenda = build_agenda(turn.store, turn.team, meeting, turn.locale)
    if agenda.entry(number) is not None:
        return None
    when = meeting_date(meeting, turn.services.settings.timezone, turn.locale)
    return turn.t("records.agenda_item_missing", number=number, meeting=when, last=len(agenda.entries))


def record_decision(turn: Turn, meeting: Meeting, text: str, agenda_item: int | None) -> Decision:
    return turn.store.decisions.record(
        turn.team.key,
        meeting.id,
        text=text,
        agenda_item=agenda_item,
        recorded_by=turn.member.key,
        recorded_by_name=turn.member.name,
        at=turn.now,
        conversation_id=turn.activity.conversation.id if turn.activity.conversation else None,
        activity_id=turn.activity.id,
    )


def decision_saved_text(turn: Turn, meeting: Meeting, decision: Decision) -> str:
    tz = turn.services.settings.timezone
    item = turn.t("records.decision_item_suffix", item=decision.agenda_item) if decision.agenda_item else ""
    text = turn.t(
        "records.decision_saved",
        number=decision.number,
        meeting=meeting_date(meeting, tz, turn.locale),
        item=item,
        text=escape(decision.text),
    )
    if hints.take_hint(turn.store, turn.team.key, turn.member.key, hints.DECISION_HOW_TO_CHANGE):  # the first few times only
        text += "\n\n" + turn.t("records.decision_how_to_change", number=decision.number)
    return text
