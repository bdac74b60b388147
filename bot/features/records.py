"""Feature: records (see bot/features/__init__.py for the shape of a feature module)."""

from __future__ import annotations

from typing import Any

COMMANDS: dict[str, Any] = {}
CARD_ACTIONS: dict[str, Any] = {}
