"""Messages for the meetings area (see bot/messages/__init__.py)."""

SV: dict[str, str] = {}

EN: dict[str, str] = {}
