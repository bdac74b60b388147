"""What people mean when they write something that is not a command.

People write "hej", "när är nästa möte?" or "mötet flyttas till 18 december" rather than the
command words. ``match(text)`` reads such everyday phrasings (any case, with or without å/ä/ö,
with small typos) as an ``Intent``; ``suggest(text)`` finds the command words nearest to what was
typed ("mötne" -> "möten"). Both are pure, like ``bot.routing``, and tested as tables; what the
bot answers lives in ``bot.features.intents``.

An intent that would change data (moving or planning a meeting, an absence) only ever carries the
words needed to write the exact command; it is never acted on.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher

from bot.roles import CHAIR, PRESIDIUM, SECRETARY
from bot.routing import COMMANDS
from bot.text import fold

# Read-only intents: answered at once.
GREETING = "greeting"
THANKS = "thanks"
HELP = "help"
NEXT_MEETING = "next_meeting"
AGENDA = "agenda"
WHO_ROLE = "who_role"
WHO_COMES = "who_comes"
# Intents that would change data: the bot only answers with the command it understood.
MOVE_MEETING = "move_meeting"
PLAN_MEETING = "plan_meeting"
ABSENCE = "absence"

CHANGES_DATA: frozenset[str] = frozenset({MOVE_MEETING, PLAN_MEETING, ABSENCE})


@dataclass(frozen=True)
class Intent:
    kind: str
    role: str | None = None  # WHO_ROLE: "ordförande", "sekreterare" or "presidium"
    meeting: str = ""  # MOVE_MEETING, ABSENCE: the words naming the meeting ("" = the next one)
    target: str = ""  # MOVE_MEETING: the new time and/or place; PLAN_MEETING: the time and place
    substitute: str = ""  # ABSENCE: who comes instead, as written

    @property
    def changes_data(self) -> bool:
        return self.kind in CHANGES_DATA


# --- Folding that keeps positions ------------------------------------------------------------------


def _folded(text: str) -> tuple[str, str]:
    """``text`` (NFC) and its folded form, character for character, so a span found in the folded
    text cuts the same words, as the person spelt them, out of the original."""
    original = unicodedata.normalize("NFC", text)
    chars = []
    for char in original:
        folded = fold(char)
        chars.append(folded if len(folded) == 1 else char)
    return original, "".join(chars)


def _similar(word: str, target: str) -> bool:
    """Equal, or one small typo away for words long enough that a typo is not another word."""
    if word == target:
        return True
    if len(target) < 5 or abs(len(word) - len(target)) > 2:
        return False
    return SequenceMatcher(None, word, target).ratio() >= 0.8


def _any_similar(words: list[str], targets: tuple[str, ...]) -> bool:
    return any(_similar(w, t) for w in words for t in targets)


_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")


def _words(folded: str) -> list[str]:
    return _WORD.findall(folded)


# --- Word families ---------------------------------------------------------------------------------

_GREETINGS = frozenset(
    {"hej", "hejsan", "hejhej", "halla", "hallo", "tja", "tjena", "tjenare", "tjabba", "morrn", "godmorgon",
     "goddag", "hello", "hi", "hey", "hejja"}
)
_GOOD = re.compile(r"^god(?:\s+(?:morgon|dag|middag|eftermiddag|kvall))\b")
_BOT_NAMES = frozenset({"boten", "bot", "skis-boten", "skis-bot", "skis", "allihop", "alla", "pa", "dig", "er", "du"})
_THANKS = frozenset({"tack", "tackar", "tacksam", "thanks", "thank", "thx", "tusen"})
_THANKS_TAIL = frozenset({"tack", "sa", "mycket", "for", "hjalpen", "det", "you", "snalla", "bra", "jattebra", "toppen", "perfekt", "grymt", "super", "okej", "ok", "boten", "du", "dig"})

_MEETING = r"(?:mot+e[tn]?|motena|traff(?:en)?|meeting)"
_NEXT = r"(?:nasta|nast|nastkommande|kommande|narmaste|next)"
_MOVE = re.compile(r"\b(?:flytt\w*|skjut\w*\s+upp|senarelagg\w*|tidigarelagg\w*)\b")
_HELP = re.compile(
    r"^(?:vad\s+kan\s+(?:du|man|boten)|vad\s+gor\s+(?:du|boten)|hur\s+(?:funkar|fungerar|anvander)\b|"
    r"hur\s+gor\s+(?:jag|man)\b|vilka\s+kommandon|vad\s+finns\s+det\s+for\s+kommandon|"
    r"what\s+can\s+you|how\s+does\s+(?:this|it)\s+work|jag\s+behover\s+hjalp|kan\s+du\s+hjalpa)"
)
_NEXT_MEETING = re.compile(
    rf"\b(?:{_NEXT}\s+{_MEETING}|"
    rf"nar\s+(?:ar|blir|har\s+vi|ska\s+vi\s+ha|borjar)\s+(?:det\s+)?(?:{_NEXT}\s+)?{_MEETING}|"
    r"(?:nar|var)\s+(?:ses|traffas|motes)\s+vi|"
    rf"var\s+(?:ar|blir|halls)\s+(?:det\s+)?(?:{_NEXT}\s+)?{_MEETING}|"
    rf"vilka\s+{_MEETING}|{_MEETING}\s+framover)\b"
)
_WHO_COMES = re.compile(
    r"^(?:och\s+)?(?:vem|vilka|hur\s+manga)\s+(?:som\s+)?(?:kommer|har\s+anmalt\s+sig|ar\s+anmalda|deltar|ar\s+med)\b"
)
_AGENDA_WORDS = ("dagordning", "dagordningen", "agenda", "agendan")
_AGENDA_PHRASE = re.compile(r"\b(?:vad\s+(?:ska|skall)\s+vi\s+(?:prata|ta\s+upp|gora|diskutera)|vad\s+star\s+pa\s+(?:programmet|schemat))\b")
# Asking to change the agenda is a command (punkt, flytta punkt ...), not a question about it.
_AGENDA_CHANGE = re.compile(r"\b(?:lagg\w*\s+till|lagg\w*\s+upp|foresl\w*|ta\s+bort|andra|stryk\w*|lagg\w*\s+in)\b")

_ROLE_WORDS: dict[str, tuple[str, ...]] = {
    CHAIR: ("ordforande", "ordforanden", "ordf", "chair", "ordforandeskapet"),
    SECRETARY: ("sekreterare", "sekreteraren", "sekr", "secretary"),
    PRESIDIUM: ("presidiet", "presidium", "presidie", "presidiets"),
}
_ROLE_DEEDS = (
    (re.compile(r"\bvem\s+(?:skriver|for|tar)\s+(?:protokoll\w*|minnesanteckning\w*|anteckning\w*)"), SECRETARY),
    (re.compile(r"\bvem\s+(?:leder|haller\s+i)\s+(?:motet|motena|natverket)"), CHAIR),
)
_WHO = re.compile(r"^(?:och\s+)?(?:vem|vilka|vilken|who|vem\s+ar\s+det\s+som)\b")

_PLAN = re.compile(
    rf"^(?:(?:{_NEXT}|nytt|ett\s+nytt|ett)\s+{_MEETING}\s+(?:blir|ar|halls|har\s+vi|ska\s+vara|kommer\s+att\s+bli)"
    rf"|(?:boka|planera|lagg\s+in|satt\s+upp)\s+(?:ett\s+)?(?:nytt\s+)?{_MEETING}"
    rf"|vi\s+(?:ses|traffas)\s+(?:nasta\s+gang\s+)?)\s+"
)

_ABSENT = re.compile(
    r"\b(?:kommer\s+inte|kan\s+inte(?:\s+komma)?|kan\s+ej|har\s+forhinder|ar\s+forhindrad|ar\s+sjuk|"
    r"ar\s+bortrest|ar\s+ledig|ar\s+borta|missar|deltar\s+inte|ar\s+inte\s+med|blir\s+borta)\b"
)
_INSTEAD = re.compile(
    r"\b(?:kommer|gar|deltar|ar\s+med|kommer\s+dit)\s+(?:istallet|i\s+stallet|i\s+mitt\s+stalle)(?:\s+for\s+mig)?\b"
    r"|\bersatter\s+mig\b|\bvikarierar\b"
)
_SUBSTITUTE_IS = re.compile(r"\b(?:ersattare|ersattaren)\s+(?:blir|ar)\s+")
_NOT_A_NAME = frozenset(
    {"han", "hon", "hen", "nagon", "ngn", "de", "dom", "vi", "jag", "det", "man", "nagon annan", "en kollega", "kollegan", "men", "sa", "och"}
)
_OWN = re.compile(r"\s*(?:(?:tyvarr|sorry|jo|men|och|du|alltsa)[\s,]+)*(?:jag\s+)?(?:tyvarr\s+)?")
_NAME_FILLERS = re.compile(r"^(?:men|sa|och|utan|dar|istallet|min\s+kollega|kollegan|var|vart)\s+")


# --- Matching --------------------------------------------------------------------------------------


# Everyday phrases and mistyped commands are short and come first: only the start of a message is
# read, so a 28 KB message costs what a sentence does (fuzzy matching every word of it took a
# second of CPU on the event loop).
PHRASE_CHARS = 400
SUGGEST_WORDS = 12


def match(text: str | None) -> Intent | None:
    """The everyday intent in ``text`` (already without bot mentions), or None."""
    if not text or not text.strip():
        return None
    original, folded = _folded(text.strip()[:PHRASE_CHARS])
    return _match(original, folded.lower())


def _match(original: str, folded: str) -> Intent | None:
    words = _words(folded)
    if not words:
        return None
    # "hej! när är nästa möte?" is about the meeting; "hej" alone is a greeting.
    greeting_len = _greeting_length(folded, words)
    if greeting_len:
        rest = _skip_words(folded, greeting_len)
        rest_words = [w for w in _words(folded[rest:]) if w not in _BOT_NAMES]
        if not rest_words:
            return Intent(GREETING)
        after = _match(original[rest:], folded[rest:])
        return after or (Intent(GREETING) if len(rest_words) <= 2 else None)
    if words[0] in _THANKS:
        if all(w in _THANKS_TAIL or w in _BOT_NAMES for w in words[1:]):
            return Intent(THANKS)
        rest = _skip_thanks(folded)
        if rest:
            return _match(original[rest:], folded[rest:])
        return Intent(THANKS)
    return (
        _move(original, folded)
        or _absence(original, folded)
        or _plan(original, folded)
        or _help(folded)
        or _who_role(folded, words)
        or (Intent(WHO_COMES) if _WHO_COMES.search(folded) else None)
        or _agenda(folded, words)
        or _next_meeting(folded)
    )


def _greeting_length(folded: str, words: list[str]) -> int:
    good = _GOOD.match(folded)
    if good:
        return len(good.group(0).split())
    return 1 if words[0] in _GREETINGS else 0


def _skip_words(folded: str, count: int) -> int:
    """The position after the first ``count`` words (and the punctuation after them)."""
    pos = 0
    for found in list(_WORD.finditer(folded))[:count]:
        pos = found.end()
    while pos < len(folded) and not (folded[pos].isalnum()):
        pos += 1
    return pos


def _skip_thanks(folded: str) -> int:
    """Where the words after a "tack …" start ("tack! när är nästa möte?")."""
    parts = re.split(r"[!.,;:?]\s*", folded, maxsplit=1)
    if len(parts) < 2 or not parts[1].strip():
        return 0
    return len(folded) - len(parts[1])


def _help(folded: str) -> Intent | None:
    return Intent(HELP) if _HELP.search(folded) else None


def _next_meeting(folded: str) -> Intent | None:
    return Intent(NEXT_MEETING) if _NEXT_MEETING.search(folded) else None


def _agenda(folded: str, words: list[str]) -> Intent | None:
    if _AGENDA_CHANGE.search(folded):
        return None
    if len(words) == 1 and words[0] not in _AGENDA_WORDS:
        return None  # "dagordnig" alone is a mistyped command: suggest it rather than guess
    if _any_similar(words, _AGENDA_WORDS) or _AGENDA_PHRASE.search(folded):
        return Intent(AGENDA)
    return None


def _who_role(folded: str, words: list[str]) -> Intent | None:
    for pattern, role in _ROLE_DEEDS:
        if pattern.search(folded):
            return Intent(WHO_ROLE, role=role)
    if not _WHO.search(folded):
        return None
    for role, forms in _ROLE_WORDS.items():
        if _any_similar(words, forms):
            return Intent(WHO_ROLE, role=role)
    return None


def _clean_tail(text: str) -> str:
    return text.strip().strip("?!.,;: ").strip()


_MEETING_WORD = re.compile(rf"\b{_MEETING}\b")
_TILL = re.compile(r"\btill\b")
_SELECTOR_FILLERS = re.compile(
    rf"\b(?:{_NEXT}|flytt\w*|skjut\w*|upp|senarelagg\w*|tidigarelagg\w*|den|fran|pa|som|ar|var|planerat|"
    r"planerad|bokat|bokad|kan|vi|du|ni|jag|ska|skall|maste|vill|behover|borde|kommer|att|vart|vara|vart|var|snalla|"
    r"bli|blir|hallas|halls)\b"
)


def _move(original: str, folded: str) -> Intent | None:
    """"flytta nästa möte till 18 december", "mötet 4 december flyttas till 11 december"."""
    verb = _MOVE.search(folded)
    if verb is None:
        return None
    meeting_word = _MEETING_WORD.search(folded)
    if meeting_word is None:
        return None
    till = _TILL.search(folded, max(meeting_word.end(), verb.end()) if meeting_word.start() > verb.start() else meeting_word.end())
    end = till.start() if till else len(folded)
    # The meeting is named by the words around "möte" that are not the verb or small words.
    named = _SELECTOR_FILLERS.sub(" ", folded[meeting_word.end():end])
    selector = ""
    if named.strip(" ,.?!:;"):
        start = meeting_word.end()
        selector = _clean_tail(_strip_fillers(original[start:end], folded[start:end]))
    target = _clean_tail(original[till.end():]) if till else ""
    return Intent(MOVE_MEETING, meeting=selector, target=target)


def _strip_fillers(original: str, folded: str) -> str:
    """``original`` without the filler words ``_SELECTOR_FILLERS`` finds in its folded twin."""
    kept, pos = [], 0
    for found in _SELECTOR_FILLERS.finditer(folded):
        kept.append(original[pos:found.start()])
        pos = found.end()
    kept.append(original[pos:])
    return " ".join("".join(kept).split())


def _plan(original: str, folded: str) -> Intent | None:
    """"nästa möte blir fredag 12 mars kl 9 i Skara" (a question mark makes it a question instead)."""
    if folded.rstrip().endswith("?"):
        return None
    found = _PLAN.match(folded)
    if found is None:
        return None
    rest = folded[found.end():]
    lead = re.match(r"(?:den|pa|nu|alltsa)\s+", rest)
    start = found.end() + (lead.end() if lead else 0)
    target = _clean_tail(original[start:])
    if not re.search(r"\d", target):
        # Without a day it is chatter ("nästa möte blir kul"), not a date.
        return None
    return Intent(PLAN_MEETING, target=target)


def _absence(original: str, folded: str) -> Intent | None:
    """"jag kan inte komma på fredag, Anna kommer istället"; "Anna ersätter mig 4 december"."""
    instead = _INSTEAD.search(folded)
    named = _SUBSTITUTE_IS.search(folded)
    absent = _ABSENT.search(folded)
    if instead is None and named is None and absent is None:
        return None
    if absent is not None and not _OWN.fullmatch(folded[: absent.start()]):
        # "Anna kommer inte" is about someone else: only the writer's own absence is guessed.
        absent = None
    substitute = ""
    if instead is not None:
        substitute = _name_before(original, folded, instead.start())
    elif named is not None:
        after = original[named.end():]
        substitute = _clean_tail(re.split(r"[,;.!?]|\s+(?:pa|den|till)\s+", after, maxsplit=1)[0])
    if substitute and fold(substitute) in _NOT_A_NAME:
        substitute = ""
    if absent is None and not substitute:
        return None
    meeting = ""
    if absent is not None:
        # The words right after "kan inte komma" up to the next clause: "på fredag", "den 4 december".
        tail = original[absent.end():]
        meeting = _clean_tail(re.split(r"[,;!?]|\s+(?:men|sa|och|utan)\s+", tail, maxsplit=1)[0])
    elif instead is not None:
        meeting = _clean_tail(original[instead.end():])
    meeting = re.sub(r"^(?:på|pa|den|till|för|for|mötet|motet|möte|mote)\s+", "", meeting, flags=re.IGNORECASE)
    meeting = re.sub(r"^(?:på|pa|den)\s+", "", meeting, flags=re.IGNORECASE)
    return Intent(ABSENCE, meeting=meeting, substitute=substitute)


def _name_before(original: str, folded: str, end: int) -> str:
    """The name just before "kommer istället": after the last comma, "men" or "så", at most three words."""
    start = max(folded.rfind(sep, 0, end) for sep in ",;.!?") + 1
    cuts = [found.end() for found in re.finditer(r"\b(?:men|sa|utan|sa\s+att)\s+", folded[start:end])]
    start += cuts[-1] if cuts else 0
    while True:
        lead = len(folded[start:end]) - len(folded[start:end].lstrip())
        filler = _NAME_FILLERS.match(folded[start + lead:end])
        if filler is None:
            start += lead
            break
        start += lead + filler.end()
    name = _clean_tail(original[start:end])
    return name if 0 < len(name.split()) <= 3 else ""


# --- Suggestions -----------------------------------------------------------------------------------

# Short or everyday words that must not pull in a suggestion on their own.
_NOT_COMMAND_HINTS = frozenset({"?", "klar", "kommer", "jag kommer", "help", "cancel", "commands", "agenda", "members", "meetings"})


def _phrases() -> list[tuple[tuple[str, ...], str]]:
    out = []
    for name, phrases in COMMANDS.items():
        for phrase in phrases:
            if phrase in _NOT_COMMAND_HINTS:
                continue
            out.append((tuple(fold(w) for w in phrase.split()), name))
    return out


_PHRASES = _phrases()


def suggest(text: str | None, limit: int = 2) -> list[str]:
    """The command words nearest to what was typed, best first (each command's Swedish word)."""
    if not text:
        return []
    words = [w for w in _words(fold(text[:PHRASE_CHARS])) if w not in _BOT_NAMES][:SUGGEST_WORDS]
    scored: dict[str, float] = {}
    for phrase, name in _PHRASES:
        n = len(phrase)
        joined = " ".join(phrase)
        best = 0.0
        for i in range(len(words) - n + 1):
            candidate = " ".join(words[i:i + n])
            if len(joined) < 4 and candidate != joined:
                continue
            if candidate[:1] != joined[:1]:
                continue  # typos rarely hit the first letter; "många" is not "ångra"
            ratio = 1.0 if candidate == joined else SequenceMatcher(None, candidate, joined).ratio()
            best = max(best, ratio)
        # Longer phrases must match closer than a single word: "ta bort" is in many sentences.
        cutoff = 0.8 if n == 1 else 0.86
        if best >= cutoff and best > scored.get(name, 0.0):
            scored[name] = best + 0.01 * n  # a two-word match beats a one-word one of the same quality
    ranked = sorted(scored, key=lambda name: -scored[name])
    return [COMMANDS[name][0] for name in ranked[:limit]]
