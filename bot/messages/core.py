"""Messages of the service itself: welcome, help, errors, fallbacks."""

SV: dict[str, str] = {}

EN: dict[str, str] = {}
