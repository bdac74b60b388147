"""``python -m bench.parse``: the slowest parse of a long adversarial message, per parser.

Every text parser is given messages up to Teams' size (about 28 KB) made of one piece repeated
("till ", "kl 9 ", "4 december ", "@Anna " …): the inputs that made the old parsers quadratic.
The table shows the worst CPU time per parser against the budget (50 ms per parse); a ratio
above 1 means a parser is too slow for one message on this machine.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import date
from zoneinfo import ZoneInfo

from bot import dates
from bot.reminders import syntax as reminder_syntax
from bot.routing import parse_command
from bot.rules import meetings as meeting_ops
from bot.rules import municipalities, search
from bot.rules.action_items import ParseContext, parse_action_text, parse_due, resolve_owner_list
from storage.teams_repo import Member

TEAMS_MAX_CHARS = 28_000
BUDGET_MS = 50.0
TZ = ZoneInfo("Europe/Stockholm")
# A fixed "today": the figures do not depend on the date they are taken.
TODAY = date(2026, 12, 3)

# Pieces that start (or almost start) something a parser looks for, repeated to any length.
UNITS: tuple[str, ...] = (
    "till ", "senast ", "kl 9 ", "kl ", "9-", "9 ", "4 december ", "fredag ", "nästa fredag ", "den ",
    "om två veckor ", "1/2 ", "2026-12-04 ", "v. 7 ", "halv tio ", "i ", "@Anna ", "@", "Anna, ",
    "Anna Gustafsson Skövde, ", "och ", "x, ", "punkt 3 ", "ingen ", "Skövde ", "å",
    "kvart över nio ", "eftermiddagen ", "efter jul ", "januari ", "2 oktober 13 - 15 (digitalt)\n",
)

_ANNA = Member("anna", "29:anna", "Anna Gustafsson", municipality="Skövde", roles=frozenset({"medlem", "presidium"}))
_MEMBERS = [_ANNA, Member("peter", "29:peter", "Peter Stark", municipality="Falköping"),
            Member("sofia", "29:sofia", "Sofia Adolfsson", municipality="Tibro")]
CONTEXT = ParseContext(members=_MEMBERS, mentions=[], me=_ANNA, today=TODAY, tz=TZ)

PARSERS: dict[str, Callable[[str], object]] = {
    "dates.parse_when": lambda s: dates.parse_when(s, TODAY, TZ),
    "dates.split_when": lambda s: dates.split_when(s, TODAY, TZ),
    "dates.parse_time": dates.parse_time,
    "dates.split_time": dates.split_time,
    "dates.vague_when": lambda s: dates.vague_when(s, TODAY),
    "recording.parse_action_text": lambda s: parse_action_text(s, CONTEXT),
    "recording.parse_due": lambda s: parse_due(s, CONTEXT),
    "recording.resolve_owner_list": lambda s: resolve_owner_list(s, CONTEXT),
    "reminders.syntax.parse": reminder_syntax.parse,
    "routing.parse_command": parse_command,
    "meeting_ops.clean_location": meeting_ops.clean_location,
    "search.matches": lambda s: search.matches(s[:200], s),
    "municipalities.match": lambda s: municipalities.match(s, municipalities.DEFAULT_MUNICIPALITIES),
    "municipalities.suggestions": lambda s: municipalities.suggestions(s, municipalities.DEFAULT_MUNICIPALITIES),
    "municipalities.split_names": municipalities.split_names,
    "municipalities.parse_list": municipalities.parse_list,
}


def adversarial(unit: str, size: int = TEAMS_MAX_CHARS, prefix: str = "") -> str:
    """``prefix`` followed by ``unit`` repeated up to ``size`` characters."""
    body = unit * (size // max(1, len(unit)) + 1)
    return (prefix + body)[:size]


def cpu_ms(parse: Callable[[str], object], text: str) -> float:
    """CPU milliseconds one parse takes (process time: other processes' load does not count)."""
    start = time.process_time()
    parse(text)
    return (time.process_time() - start) * 1000


def typical_cpu_ms(parse: Callable[[str], object], text: str, repeats: int = 3) -> float:
    """The median of ``repeats`` parses: one parse that meets a garbage collection of the whole
    bench process (which holds the ten-year store by then) says nothing about the parser."""
    return statistics.median(cpu_ms(parse, text) for _ in range(repeats))


def worst_cases(size: int = TEAMS_MAX_CHARS, units: tuple[str, ...] = UNITS) -> list[tuple[str, str, float]]:
    """(parser, the unit that was slowest, its CPU ms) for every parser."""
    rows = []
    for name, parse in PARSERS.items():
        slowest = max(((unit, typical_cpu_ms(parse, adversarial(unit, size))) for unit in units), key=lambda r: r[1])
        rows.append((name, *slowest))
    return rows


def table(rows: list[tuple[str, str, float]], size: int) -> str:
    lines = [
        f"Parsing one {size:,}-character message (worst of {len(UNITS)} repeated pieces, median of three parses), budget {BUDGET_MS:.0f} ms",
        "",
        "| parser | slowest piece | CPU ms | ratio to budget |",
        "|---|---|---:|---:|",
    ]
    lines += [f"| {name} | `{unit.strip() or repr(unit)}` | {ms:.1f} | {ms / BUDGET_MS:.2f} |" for name, unit, ms in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.parse", description=__doc__)
    parser.add_argument("--size", type=int, default=TEAMS_MAX_CHARS, help="characters per message")
    args = parser.parse_args(argv)
    rows = worst_cases(args.size)
    print(table(rows, args.size))
    return 0 if all(ms <= BUDGET_MS for _n, _u, ms in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
