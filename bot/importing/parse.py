"""Earlier minutes (numbered paragraphs) -> a structured import. Pure: no botbuilder, no storage.

What is read, in the layouts the network's minutes have used over the years:

- the meeting date from the heading ("Protokoll SKIS 2019-03-15", "2023-05-26", "Natverk
  Skaraborg 24-05-24", "15 mars 2019"), and place, chair and secretary from labelled lines
  ("Plats:", "Ordförande:", "Sekreterare:", "Vid protokollet:");
- Närvarande / Deltagare: one person a line ("Name, Kommun", "Name, rektor, Kommun") or a
  paragraph ("Name Kommun, Name Kommun … och Name Kommun", "Name, Kommun, Name, Kommun");
- agenda headings (short one-line paragraphs), every "Beslut:" paragraph as a decision;
- every sentence in which named people, a municipality or everyone takes on a task, as a
  proposed action item with its owners;
- the network's planned meetings ("8 november 9 - 15 (Regionens hus, Skövde)") in the year that
  follows the minutes' own date, kept apart from other events (a conference, a school chiefs' meeting).

Every field carries its source paragraph and the reasons it is uncertain (empty: certain).
Nothing is guessed silently: what the parser is not sure of says so in ``notes``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, time

from bot.importing.repair import Repair
from bot.routing import fold
from bot.rules.municipalities import DEFAULT_MUNICIPALITIES, ORGANISATIONS, match

FRIDAY = 4

MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "mars": 3, "mar": 3, "april": 4, "apr": 4,
    "maj": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "augusti": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip

# Labels people put before a colon. Folded (no case, no diacritics) so "Nérvarande" repaired or
# not, "NÄRVARANDE" and "Närvarande" all match.
_ATTENDANCE_LABELS = ("narvarande", "deltagare", "narvarande ledamoter", "narvarande deltagare", "deltog")
_CHAIR_LABELS = ("ordforande", "motesordforande", "ordf")
_SECRETARY_LABELS = ("sekreterare", "protokollforare", "vid protokollet", "antecknat av", "minnesanteckningar")
_PLACE_LABELS = ("plats", "lokal", "tid och plats", "motesplats")
_LABEL = re.compile(r"^\s*([^\W\d_][^\W\d_ ]*(?: [^\W\d_]+){0,2})\s*:\s*(.*)$", re.DOTALL)
_DECISION = re.compile(r"^\s*(?:beslut|beslutades|beslöts)\s*(?::|-|–|att\b)\s*", re.IGNORECASE)

_ISO = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_SHORT = re.compile(r"\b(\d{2})-(\d{2})-(\d{2})\b")
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})\s+({_MONTH_NAMES})\.?(?:\s+(\d{{4}}))?\b", re.IGNORECASE)
_SLASH = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})(?![\d/])")
_TIME_RANGE = re.compile(r"\b(?:kl\.?\s*)?(\d{1,2})(?:[.:](\d{2}))?\s*[-–]\s*(\d{1,2})(?:[.:](\d{2}))?\b")
_TIME_AT = re.compile(r"\bkl\.?\s*(\d{1,2})(?:[.:](\d{2}))?\b")
_PARENS = re.compile(r"\(([^()]*)\)")

_BULLET = re.compile(r"^\s*(?:[-–•*·]|[eo](?=\s)|\d+[.)])\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"”“]?[A-ZÅÄÖ])")

# Words that mark a date as some other event than the network's own meeting.
_OTHER_EVENT = (
    "konferens", "skolchefsmote", "skolchefsmotet", "skolchefsnatverk", "skolchefer", "skolcheferna",
    "forelasning", "skolledardag", "rektorsdag", "utbildningsdag", "seminarium", "webbinarium", "massa",
    "skolriksdag", "heldag", "studiedag", "kick-off", "kickoff",
)  # fmt: skip
_NETWORK_MEETING = ("mote", "moten", "motet", "traff", "traffen", "traffar", "natverkstraff", "natverksmote")

# What someone is given or takes on, after the owners ("Susanne skickar ut …"), folded.
_TASK_VERBS = (
    "far i uppdrag", "fick i uppdrag", "ges i uppdrag", "gavs i uppdrag", "ansvarar for", "formedlar", "forankrar",
    "mailar", "mejlar", "kommer att", "skickar", "aterkommer", "tar fram", "bjuder in", "kontaktar", "sammanstaller",
    "undersoker", "bokar", "ordnar", "tar med", "ska", "tar reda pa", "ser over", "forbereder", "aterkopplar",
    "sprider", "samordnar", "kallar", "skriver", "uppdaterar", "informerar skolchef",
)  # fmt: skip
# Intentions rather than tasks: still proposed, but marked uncertain.
_SOFT_VERBS = ("har en ambition att", "har ambitionen att", "funderar pa", "planerar att", "vill")
_EVERYONE = ("var och en", "alla", "samtliga", "varje kommun", "alla kommuner", "alla deltagare")
_REFERS_BACK = re.compile(r"\b(detta|det här|denna|dessa|det)\s*[.!?]?$", re.IGNORECASE)

_NAME_WORD = r"[A-ZÅÄÖÉ][\w'-]*"
_OWNER_GROUP = re.compile(
    rf"^(?P<owners>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}}(?:\s*\([^)]*\))?"
    rf"(?:\s*(?:,|\boch\b)\s*{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}}(?:\s*\([^)]*\))?)*)\s+(?P<rest>[a-zåäö].*)$",
    re.DOTALL,
)


@dataclass(frozen=True)
class Source:
    file: str
    paragraph: int  # 1-based, as ``extract`` numbered them

    def label(self) -> str:
        return f"{self.file}, stycke {self.paragraph}"

    def to_doc(self) -> dict[str, object]:
        return {"file": self.file, "paragraph": self.paragraph}


@dataclass(frozen=True)
class Field:
    """One value read from the minutes (None: not found), where it was, and why it is uncertain."""

    value: object
    source: Source | None = None
    notes: tuple[str, ...] = ()

    @property
    def uncertain(self) -> bool:
        return bool(self.notes)


@dataclass(frozen=True)
class Attendee:
    name: str
    organisation: str | None  # a municipality or the coordinating body, as the register spells it
    source: Source
    roles: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def uncertain(self) -> bool:
        return bool(self.notes)


@dataclass(frozen=True)
class OwnerRef:
    kind: str  # "person", "municipality" or "all"
    name: str


@dataclass(frozen=True)
class ProposedAction:
    text: str
    owners: tuple[OwnerRef, ...]
    source: Source
    notes: tuple[str, ...] = ()

    @property
    def uncertain(self) -> bool:
        return bool(self.notes)


@dataclass(frozen=True)
class Decision:
    text: str
    source: Source
    notes: tuple[str, ...] = ()

    @property
    def uncertain(self) -> bool:
        return bool(self.notes)


@dataclass(frozen=True)
class PlannedDate:
    """A dated line: a network meeting, or another event kept apart from them."""

    text: str  # the line it was read from
    day: date | None  # None when the year cannot be known (no date for the minutes)
    month: int
    day_of_month: int
    source: Source
    start: time | None = None
    end: time | None = None
    place: str | None = None
    notes: tuple[str, ...] = ()

    @property
    def uncertain(self) -> bool:
        return bool(self.notes)


@dataclass(frozen=True)
class Heading:
    title: str
    source: Source


@dataclass(frozen=True)
class MinutesImport:
    file: str
    date: Field
    place: Field
    chair: Field
    secretary: Field
    attendees: tuple[Attendee, ...] = ()
    agenda: tuple[Heading, ...] = ()
    decisions: tuple[Decision, ...] = ()
    actions: tuple[ProposedAction, ...] = ()
    meetings: tuple[PlannedDate, ...] = ()
    other_events: tuple[PlannedDate, ...] = ()
    repairs: tuple[Repair, ...] = ()


# --- Text helpers ----------------------------------------------------------------------------


def unwrap(paragraph: str) -> list[str]:
    """The paragraph's lines with hard wraps undone: a line continues when it ends mid-sentence
    (a comma, a hyphen, no full stop) and the next starts in lower case."""
    lines: list[str] = []
    for raw in paragraph.split("\n"):
        line = raw.strip()
        if not line:
            continue
        if lines and not _BULLET.match(line):
            prev = lines[-1]
            if prev.endswith("-") and line[:1].isalpha():
                lines[-1] = prev + line
                continue
            if prev.endswith(",") or (not re.search(r"[.!?:;]$", prev) and line[:1].islower()):
                lines[-1] = f"{prev} {line}"
                continue
        lines.append(line)
    return lines


def flowed(paragraph: str) -> str:
    """The paragraph as one line (a hyphen at a line end joins the word: "Marie-\\nLouise")."""
    out = ""
    for raw in paragraph.split("\n"):
        line = raw.strip()
        if not line:
            continue
        out = f"{out}{line}" if out.endswith("-") or not out else f"{out} {line}"
    return out


def sentences(paragraph: str) -> list[str]:
    """Sentences of a paragraph (lines first, then full stops), bullets removed."""
    out: list[str] = []
    for line in unwrap(paragraph):
        line = _BULLET.sub("", line)
        out.extend(s.strip() for s in _SENTENCE_END.split(line) if s.strip())
    return out


def _label(paragraph: str) -> tuple[str, str] | None:
    m = _LABEL.match(paragraph)
    if not m:
        return None
    return " ".join(fold(m.group(1)).split()), m.group(2).strip()


# --- The heading date ------------------------------------------------------------------------


def _heading_date(paragraphs: Sequence[str], file: str, upto: int) -> Field:
    for n, paragraph in enumerate(paragraphs[:upto], start=1):
        source = Source(file, n)
        m = _ISO.search(paragraph)
        if m:
            try:
                return _friday_check(date(int(m.group(1)), int(m.group(2)), int(m.group(3))), source, ())
            except ValueError:
                return Field(None, source, (f"datumet {m.group(0)} finns inte",))
        m = _SHORT.search(paragraph)
        if m:
            a, b, c = (int(g) for g in m.groups())
            readings = []
            for y, mo, d in ((a, b, c), (c, b, a)):  # Swedish short form first: ÅÅ-MM-DD
                try:
                    readings.append(date(2000 + y, mo, d))
                except ValueError:
                    continue
            readings = list(dict.fromkeys(readings))
            if not readings:
                return Field(None, source, (f"datumet {m.group(0)} går inte att läsa",))
            notes = () if len(readings) == 1 else (f"{m.group(0)} kan också vara {readings[1].isoformat()}",)
            return _friday_check(readings[0], source, notes)
        m = _DAY_MONTH.search(paragraph)
        if m and m.group(3):
            try:
                day = date(int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1)))
            except ValueError:
                continue
            return _friday_check(day, source, ())
    return Field(None, None, ("inget datum i rubriken: ange mötets datum",))


def _heading_place(paragraph: str, source: Source, known: Sequence[str]) -> Field:
    """The place after the date on the heading line: "Protokoll SKIS 2019-03-15, Stadshuset Skövde"."""
    for line in paragraph.split("\n"):
        m = _ISO.search(line) or _SHORT.search(line) or _DAY_MONTH.search(line)
        if not m:
            continue
        tail = line[m.end() :].strip(" ,-–:")
        t = _TIME_RANGE.match(tail) or _TIME_AT.match(tail)
        if t:
            tail = tail[t.end() :].strip(" ,-–:")
        tail = re.sub(r"^(?:i|på)\s+", "", tail, flags=re.IGNORECASE).strip()
        if not tail or len(tail) > 80:
            return Field(None)
        words = re.findall(r"[^\W\d_]+", tail)
        sure = any(_place(w, known) for w in words) or any(fold(w) in ("teams", "digitalt") for w in words)
        return Field(tail, source, () if sure else ("plats läst från rubriken",))
    return Field(None)


def _friday_check(day: date, source: Source | None, notes: tuple[str, ...]) -> Field:
    if day.weekday() != FRIDAY:
        notes = (*notes, f"{day.isoformat()} är ingen fredag")
    return Field(day, source, notes)


# --- Attendance ------------------------------------------------------------------------------


def _place(text: str, known: Sequence[str]) -> str | None:
    """The municipality or organisation ``text`` is, exactly (no diacritics or case needed).

    Stricter than ``bot.rules.municipalities.match``, which takes anything with "förbund" in it: here
    "Camilla Lundberg Skaraborgs Kommunalförbund" must not be read as a place."""
    text = text.strip().rstrip(".")
    words = fold(text).split()
    if not words:
        return None
    # "Kommunalförbundet", "Skaraborgs kommunalförbund"; not "Ek Kommunalförbundet" (a name before it).
    short = len(words) == 1 or (len(words) == 2 and words[0].endswith("s"))
    if short and "forbund" in words[-1]:
        return ORGANISATIONS[0]
    found = match(text, known)
    return None if found in ORGANISATIONS and not short else found


def _split_trailing_place(segment: str, known: Sequence[str]) -> tuple[str, str | None]:
    words = segment.split()
    for k in (3, 2, 1):
        if len(words) > k:
            place = _place(" ".join(words[-k:]), known)
            if place:
                return " ".join(words[:-k]), place
    return segment, None


def _attendees(text: str, source: Source, known: Sequence[str], per_line: bool) -> tuple[list[Attendee], bool]:
    """People in one attendance paragraph; also False when part of it was not a person or place."""
    if per_line:
        return _attendees_per_line(text, source, known)
    segments = re.split(r",|\s+och\s+", flowed(text))
    people: list[Attendee] = []
    pending: list[tuple[str, list[str]]] = []  # names still waiting for their place, with roles
    clean = True

    def flush(place: str | None, notes: tuple[str, ...] = ()) -> None:
        for name, roles in pending:
            people.append(Attendee(name, place, source, tuple(roles), notes))
        pending.clear()

    for raw in segments:
        segment = raw.strip().rstrip(".").strip()
        if not segment:
            continue
        place = _place(segment, known)
        if place:
            if not pending:
                clean = False
                continue
            flush(place)
            continue
        if segment[:1].islower():  # "rektor": a role of the person before it
            if pending:
                pending[-1][1].append(segment)
            else:
                clean = False
            continue
        if pending and " " not in segment:
            # "Tim Andersson, VGR": one word after a name is where they come from, even if unknown.
            flush(segment, (f"okänd kommun eller organisation: {segment}",))
            continue
        name, place = _split_trailing_place(segment, known)
        if not _looks_like_name(name):
            clean = False
            continue
        pending.append((name, []))
        if place:
            flush(place)
    if pending:
        flush(None, ("ingen kommun angiven",))
    return people, clean


def _attendees_per_line(text: str, source: Source, known: Sequence[str]) -> tuple[list[Attendee], bool]:
    """"Name, Kommun" or "Name, rektor, Kommun" on each line."""
    people: list[Attendee] = []
    clean = True
    for line in text.split("\n"):
        parts = [p.strip().rstrip(".").strip() for p in line.split(",") if p.strip()]
        if not parts:
            continue
        name, rest = parts[0], parts[1:]
        if not _looks_like_name(name):
            clean = False
            continue
        place = _place(rest[-1], known) if rest else None
        notes: tuple[str, ...] = ()
        if not rest:
            notes = ("ingen kommun angiven",)
        elif place is None:
            place, notes = rest[-1], (f"okänd kommun eller organisation: {rest[-1]}",)
        people.append(Attendee(name, place, source, tuple(rest[:-1]), notes))
    return people, clean


def _looks_like_name(text: str) -> bool:
    words = text.split()
    return 1 <= len(words) <= 5 and all(w[:1].isupper() for w in words) and not any(c.isdigit() for c in text)


def _is_per_line(text: str, known: Sequence[str]) -> bool:
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if len(lines) < 2 or not all(1 <= line.count(",") <= 2 for line in lines):
        return False
    # Most lines end in a known place; the others are people from elsewhere ("Tim Andersson, VGR").
    return 2 * sum(1 for line in lines if _place(line.rsplit(",", 1)[1], known)) >= len(lines)


# --- Action items ----------------------------------------------------------------------------


def _owner_names(owners: str) -> list[str]:
    owners = _PARENS.sub("", owners)
    return [p.strip() for p in re.split(r",|\boch\b", owners) if p.strip()]


def _resolve_person(name: str, people: Sequence[str]) -> tuple[str | None, tuple[str, ...]]:
    """The full name of ``name`` among ``people`` (attendees, then the register)."""
    wanted = fold(name)
    exact = [p for p in people if fold(p) == wanted]
    if exact:
        return exact[0], ()
    first = [p for p in dict.fromkeys(people) if fold(p).split()[0] == wanted.split()[0]]
    if len(wanted.split()) == 1 and len(first) == 1:
        return first[0], ()
    if len(wanted.split()) == 1 and len(first) > 1:
        return name, (f"{name} kan vara {' eller '.join(first)}",)
    if len(first) == 1 and fold(first[0]).split()[-1][:3] == wanted.split()[-1][:3]:
        return first[0], (f"{name} läst som {first[0]}",)
    return None, ()


def _action(
    sentence: str, previous: str | None, source: Source, people: Sequence[str], known: Sequence[str]
) -> ProposedAction | None:
    folded = fold(sentence)
    for everyone in _EVERYONE:
        if folded.startswith(everyone + " "):
            rest = folded[len(everyone) + 1 :]
            # "Var och en läser …" is always a task; "Alla kommuner har …" only with a task verb.
            if rest.startswith(_TASK_VERBS) or (everyone == "var och en" and rest[:1].isalpha()):
                return ProposedAction(sentence, (OwnerRef("all", everyone),), source)
            return None
    m = _OWNER_GROUP.match(sentence)
    if not m:
        return None
    rest = fold(m.group("rest"))
    soft = rest.startswith(_SOFT_VERBS)
    if not (rest.startswith(_TASK_VERBS) or soft):
        return None
    owners: list[OwnerRef] = []
    notes: list[str] = []
    for name in _owner_names(m.group("owners")):
        place = _place(name, known)
        if place:
            owners.append(OwnerRef("municipality", place))
            continue
        full, why = _resolve_person(name, people)
        if full is not None:
            owners.append(OwnerRef("person", full))
            notes.extend(why)
        elif len(name.split()) >= 2:
            owners.append(OwnerRef("person", name))
            notes.append(f"{name} finns inte bland de närvarande")
        else:
            return None  # "Skolcheferna ska …": not a person the network can hold to a task
    text = sentence
    if soft:
        notes.append("en avsikt snarare än ett uppdrag")
    if previous and _REFERS_BACK.search(sentence.rstrip()):
        text = f"{previous} {sentence}"
        notes.append("syftar på meningen före")
    return ProposedAction(text, tuple(owners), source, tuple(notes))


# --- Planned meetings ------------------------------------------------------------------------


def _next_on_or_after(month: int, day: int, after: date) -> date | None:
    for year in (after.year, after.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate >= after:
            return candidate
    return None


def _clock(h: str, m: str | None) -> time | None:
    hour, minute = int(h), int(m or 0)
    return time(hour, minute) if 0 <= hour < 24 and 0 <= minute < 60 else None


def _dated_lines(
    paragraph: str, source: Source, heading: str, minutes_date: date | None, skip_heading: bool
) -> Iterable[tuple[bool, PlannedDate]]:
    """(is a network meeting, the date) for each dated line of a paragraph."""
    for line in sentences(paragraph):
        found = [(m.start(), int(m.group(1)), MONTHS[m.group(2).lower()], m) for m in _DAY_MONTH.finditer(line)]
        found += [(m.start(), int(m.group(1)), int(m.group(2)), m) for m in _SLASH.finditer(line)]
        for _, day_of_month, month, hit in sorted(found, key=lambda f: f[0]):
            if skip_heading or not 1 <= month <= 12:
                continue
            if hit.re is _DAY_MONTH and hit.group(3):
                continue  # a full date in running text ("I september 2023") is history, not a plan
            notes: list[str] = []
            after = line[hit.end() :]
            start = end = None
            t = _TIME_RANGE.match(after.strip(" ,")) or _TIME_AT.match(after.strip(" ,"))
            if t is not None and t.re is _TIME_RANGE:
                start, end = _clock(t.group(1), t.group(2)), _clock(t.group(3), t.group(4))
            elif t is not None:
                start = _clock(t.group(1), t.group(2))
            parens = _PARENS.search(after)
            place = parens.group(1).strip() if parens else None
            day: date | None = None
            if minutes_date is None:
                notes.append("året okänt: protokollet saknar datum")
            else:
                day = _next_on_or_after(month, day_of_month, minutes_date)
                if day is None:
                    notes.append(f"{day_of_month}/{month} finns inte")
                elif day.weekday() != FRIDAY:
                    notes.append(f"{day.isoformat()} är ingen fredag")
            words = re.findall(r"[\w-]+", fold(line))
            heading_words = re.findall(r"[\w-]+", fold(heading))
            if any(w.startswith(_OTHER_EVENT) for w in words):
                network = False
            elif any(w in _NETWORK_MEETING for w in (*words, *heading_words)):
                network = True
            else:
                network = False
                notes.append("oklart om det är ett nätverksmöte")
            yield network, PlannedDate(line, day, month, day_of_month, source, start, end, place, tuple(notes))


# --- Agenda headings -------------------------------------------------------------------------


_NUMBERED = re.compile(r"^\s*(?:§\s*)?\d{1,2}[.)]?\s+(?=[^\W\d_])")


def heading_title(paragraph: str) -> str:
    """"2. Fullföljda studier:" -> "Fullföljda studier"."""
    return _NUMBERED.sub("", paragraph.strip()).rstrip(":").strip()


def _is_heading(paragraph: str) -> bool:
    if "\n" in paragraph.strip():
        return False
    text = heading_title(paragraph)
    if text.endswith("?"):
        return False  # a check-in question, not an agenda item
    if len(text) > 90 or len(text.split()) > 14 or not text[:1].isupper():
        return False
    if re.search(r"[.,;]$", text) or ". " in text or "://" in text or "www." in text:
        return False
    return not (_ISO.search(text) or _SHORT.search(text) or _DAY_MONTH.search(text) or _SLASH.search(text))


# --- Repairs that matter to a record ----------------------------------------------------------


def _doubtful_repairs(text: str, paragraph: int, repairs: Sequence[Repair]) -> tuple[str, ...]:
    """Notes for the uncertain OCR repairs of ``paragraph`` that ``text`` contains."""
    words = set(re.findall(r"[^\W_]+", text))
    return tuple(
        dict.fromkeys(
            f"skannat \"{r.original}\" läst som \"{r.repaired}\" (kan vara \"{r.alternative}\")"
            for r in repairs
            if r.paragraph == paragraph and r.uncertain and r.repaired in words
        )
    )


def _with_repair_notes(person: Attendee, repairs: Sequence[Repair], register: Sequence[str]) -> Attendee:
    """A name the OCR repair changed is a guess unless the register spells it so."""
    if fold(person.name) in {fold(r) for r in register} and person.name in register:
        return person
    words = set(re.findall(r"[^\W_]+", person.name))
    notes = tuple(
        f"namnet skannat som \"{r.original}\", läst som \"{r.repaired}\""
        for r in repairs
        if r.paragraph == person.source.paragraph and r.repaired in words
    )
    return replace(person, notes=(*person.notes, *notes)) if notes else person


# --- The whole minutes -----------------------------------------------------------------------


def parse_minutes(
    paragraphs: Sequence[str],
    *,
    file: str,
    municipalities: Sequence[str] = DEFAULT_MUNICIPALITIES,
    register: Sequence[str] = (),
    repairs: Sequence[Repair] = (),
    meeting_date: date | None = None,
) -> MinutesImport:
    """Read minutes already split into paragraphs (and repaired, when scanned).

    ``register`` is the member register's names (to complete first names); ``meeting_date``
    replaces the heading's date when the secretary gives it (minutes without a dated heading)."""
    known = tuple(municipalities)
    attendance_at = None
    for n, paragraph in enumerate(paragraphs):
        found = _label(paragraph)
        if found and found[0] in _ATTENDANCE_LABELS:
            attendance_at = n
            break
    head_end = attendance_at if attendance_at is not None else min(3, len(paragraphs))
    date_field = _heading_date(paragraphs, file, max(head_end, 1))
    if meeting_date is not None:  # given by the secretary: no source paragraph
        date_field = _friday_check(meeting_date, None, ())
    minutes_date = date_field.value if isinstance(date_field.value, date) else None

    chair = secretary = Field(None)
    heading_source = _heading_date(paragraphs, file, max(head_end, 1)).source
    place = _heading_place(paragraphs[heading_source.paragraph - 1], heading_source, known) if heading_source else Field(None)
    attendees: list[Attendee] = []
    attendance_paragraphs: set[int] = set()
    if attendance_at is not None:
        n = attendance_at
        rest = (_label(paragraphs[n]) or ("", ""))[1]
        if rest:
            text = rest
            found_people, _ = _attendees(text, Source(file, n + 1), known, _is_per_line(text, known))
            attendees.extend(found_people)
        attendance_paragraphs.add(n)
        for m in range(n + 1, len(paragraphs)):
            text = paragraphs[m]
            if _label(text) or _BULLET.match(text):
                break
            found_people, clean = _attendees(text, Source(file, m + 1), known, _is_per_line(text, known))
            if not found_people or not clean:
                break
            attendees.extend(found_people)
            attendance_paragraphs.add(m)

    attendees = [_with_repair_notes(a, repairs, register) for a in attendees]
    people = [name for name in (*(a.name for a in attendees), *register) if name.split()]
    agenda: list[Heading] = []
    decisions: list[Decision] = []
    actions: list[ProposedAction] = []
    meetings: list[PlannedDate] = []
    others: list[PlannedDate] = []
    heading = ""
    first_body = (attendance_at if attendance_at is not None else head_end) + 1
    for n, paragraph in enumerate(paragraphs, start=1):
        source = Source(file, n)
        if n - 1 in attendance_paragraphs:
            continue
        labelled = [(found, line) for line in unwrap(paragraph) if (found := _label(line))]
        roles = [(k, v) for (k, v), _ in labelled if k in _CHAIR_LABELS + _SECRETARY_LABELS + _PLACE_LABELS and v]
        if roles and len(labelled) == len(unwrap(paragraph)):
            for key, raw in roles:
                value = raw.strip().rstrip(".")
                # "Ordförande: Åsa Öberg, Skövde": the person, not their municipality.
                value = value.split(",")[0].strip() if key not in _PLACE_LABELS else value
                if key in _CHAIR_LABELS and chair.value is None:
                    chair = Field(value, source)
                elif key in _SECRETARY_LABELS and secretary.value is None:
                    secretary = Field(value, source)
                elif key in _PLACE_LABELS and (place.value is None or place.uncertain):
                    place = Field(value, source)
            continue
        if _DECISION.match(paragraph):
            text = _DECISION.sub("", flowed(paragraph), count=1).strip()
            notes = ("tomt beslut",) if not text else _doubtful_repairs(text, n, repairs)
            decisions.append(Decision(text, source, notes))
        if n >= first_body and _is_heading(paragraph):
            heading = heading_title(paragraph)
            agenda.append(Heading(heading, source))
            continue
        previous: str | None = None
        for sentence in sentences(paragraph):
            proposed = _action(sentence, previous, source, people, known)
            if proposed is not None:
                notes = _doubtful_repairs(proposed.text, n, repairs)
                actions.append(replace(proposed, notes=(*proposed.notes, *notes)))
            previous = sentence
        for network, planned in _dated_lines(paragraph, source, heading, minutes_date, n < first_body):
            (meetings if network else others).append(planned)
    return MinutesImport(
        file=file,
        date=date_field,
        place=place,
        chair=chair,
        secretary=secretary,
        attendees=tuple(attendees),
        agenda=tuple(agenda),
        decisions=tuple(decisions),
        actions=tuple(actions),
        meetings=tuple(meetings),
        other_events=tuple(others),
        repairs=tuple(repairs),
    )

