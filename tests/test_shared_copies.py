"""The schemas and payloads in tests/shared are verbatim copies of the project's shared originals."""

from __future__ import annotations

from pathlib import Path

import pytest

COPIES = Path(__file__).resolve().parent / "shared"
ORIGINALS = Path(__file__).resolve().parents[2] / "shared"


def test_the_copies_are_there() -> None:
    names = {p.relative_to(COPIES).as_posix() for p in COPIES.rglob("*.json")}
    assert {"schemas/MicrosoftTeams.v1.30.schema.json", "schemas/adaptive-card.v1.5.0.json"} <= names
    assert len([n for n in names if n.startswith("payloads/")]) == 6


@pytest.mark.skipif(not ORIGINALS.is_dir(), reason="the shared originals are not next to this checkout")
def test_the_copies_match_the_originals() -> None:
    for copy in COPIES.rglob("*.json"):
        original = ORIGINALS / copy.relative_to(COPIES)
        assert original.read_bytes() == copy.read_bytes(), copy
