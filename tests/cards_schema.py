"""Validating Adaptive Cards against the official 1.5 schema (Teams-only properties set aside)."""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

SCHEMAS = Path(__file__).resolve().parent / "shared" / "schemas"  # see tests/shared/README.md


@cache
def _validator() -> jsonschema.protocols.Validator:
    schema = json.loads((SCHEMAS / "adaptive-card.v1.5.0.json").read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema)


def _strip_teams_only(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _strip_teams_only(v) for k, v in node.items() if k != "msteams"}
    if isinstance(node, list):
        return [_strip_teams_only(v) for v in node]
    return node


def assert_valid_card(card: dict[str, Any]) -> None:
    """Fail with every schema error listed if ``card`` is not a valid Adaptive Card 1.5."""
    assert card.get("type") == "AdaptiveCard" and card.get("version") == "1.5", card.get("version")
    stripped = _strip_teams_only(copy.deepcopy(card))
    errors = sorted(_validator().iter_errors(stripped), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message[:300]}" for e in errors[:10])
