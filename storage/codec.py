"""Turning domain values into JSON documents and back: UTC ISO timestamps, sorted sets."""

from __future__ import annotations

from datetime import UTC, datetime


def dump_dt(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("naive datetimes are never stored")
    return value.astimezone(UTC).isoformat()


def load_dt(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)
