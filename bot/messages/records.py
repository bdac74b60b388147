"""Messages for the records area (see bot/messages/__init__.py)."""

SV: dict[str, str] = {}

EN: dict[str, str] = {}
