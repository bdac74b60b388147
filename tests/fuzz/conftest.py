"""Prints the fuzz figures (tests/fuzz/figures.py) at the end of a run that fuzzed."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from tests.fuzz.figures import FIGURES


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if FIGURES.empty():
        return
    terminalreporter.section("fuzz figures")
    for line in FIGURES.lines():
        terminalreporter.write_line(line)
    report = os.environ.get("SKIS_FUZZ_REPORT")
    if report:
        FIGURES.write(Path(report))
