"""Messages for the dates area (see bot/messages/__init__.py)."""

SV: dict[str, str] = {}

EN: dict[str, str] = {}
