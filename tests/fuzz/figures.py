"""The fuzz run's budget and its figures: inputs tried, 5xx answers, the slowest parse and turn.

The normal test run uses a small fixed budget; ``make fuzz`` raises it through the environment:

- ``SKIS_FUZZ_EXAMPLES``: Hypothesis examples per fuzz test (default 25);
- ``SKIS_FUZZ_MAX_CHARS``: the longest text tried (default 400; ``make fuzz``: 28000, about the
  largest message Teams sends);
- ``SKIS_FUZZ_REPORT``: a file to write the figures to as JSON.

The normal run is derandomized (the same inputs every time, so it cannot turn red by chance);
a run with ``SKIS_FUZZ_EXAMPLES`` set draws new inputs each time.

The figures are printed at the end of any run that fuzzed (tests/fuzz/conftest.py).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

EXAMPLES = int(os.environ.get("SKIS_FUZZ_EXAMPLES") or 25)
DERANDOMIZE = not os.environ.get("SKIS_FUZZ_EXAMPLES")
MAX_CHARS = int(os.environ.get("SKIS_FUZZ_MAX_CHARS") or 400)
TEAMS_MESSAGE_CHARS = 28_000  # about the largest message text Teams delivers
PARSE_BUDGET_MS = 50.0  # issue 18: any text up to Teams' message size parsed within this


@dataclass
class Slowest:
    ms: float = 0.0
    what: str = ""
    chars: int = 0

    def note(self, ms: float, what: str, chars: int) -> None:
        if ms > self.ms:
            self.ms, self.what, self.chars = ms, what, chars


@dataclass
class Figures:
    parses: int = 0
    turns: int = 0
    turns_5xx: int = 0
    turns_4xx: int = 0
    error_replies: int = 0
    slowest_parse: Slowest = field(default_factory=Slowest)
    slowest_turn: Slowest = field(default_factory=Slowest)
    # CPU of the one thread that runs the service, the fake connector and the client alike.
    busiest_turn: Slowest = field(default_factory=Slowest)
    # parser -> the slowest time (ms) and input length seen in the long-input check.
    long_inputs: dict[str, dict[str, Any]] = field(default_factory=dict)

    def timed_parse(self, name: str, parse: Callable[[str], T], text: str) -> tuple[T, float]:
        """What ``parse`` answered for ``text`` and how many milliseconds of CPU it took."""
        started = time.thread_time()
        result = parse(text)
        ms = (time.thread_time() - started) * 1000
        self.parses += 1
        self.slowest_parse.note(ms, name, len(text))
        return result, ms

    def empty(self) -> bool:
        return not (self.parses or self.turns or self.long_inputs)

    def lines(self) -> list[str]:
        p, t = self.slowest_parse, self.slowest_turn
        lines = [
            f"budget: {EXAMPLES} examples per test, texts up to {MAX_CHARS} characters",
            f"parser inputs tried: {self.parses}; slowest parse: {p.ms:.1f} ms CPU ({p.what}, {p.chars} characters)",
            f"/api/messages bodies tried: {self.turns}; 5xx: {self.turns_5xx}; 4xx: {self.turns_4xx}; "
            f"'Något gick fel' replies: {self.error_replies}",
            f"slowest turn: {t.ms:.1f} ms from request to answer ({t.what}, {t.chars} bytes); "
            f"most CPU in a turn: {self.busiest_turn.ms:.1f} ms ({self.busiest_turn.what}, {self.busiest_turn.chars} bytes)",
        ]
        for name, seen in sorted(self.long_inputs.items()):
            verdict = "within" if seen["ms"] <= PARSE_BUDGET_MS else "OVER"
            lines.append(f"long input: {name}: {seen['ms']:.1f} ms CPU at {seen['chars']} characters "
                         f"({seen['family']}), {verdict} {PARSE_BUDGET_MS:.0f} ms")
        return lines

    def write(self, path: Path) -> None:
        data = asdict(self) | {"examples": EXAMPLES, "max_chars": MAX_CHARS}
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


FIGURES = Figures()
