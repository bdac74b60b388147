"""skis-bot: the Teams bot of the SKIS network (Skolutveckling i Skaraborg)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("skis-bot")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"
