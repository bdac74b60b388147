"""The bot's one message catalogue.

Every sentence the bot says is looked up here by key. The catalogue is assembled from one
module per area (core, dates, meetings, ...) so each area keeps its texts next to each other;
each module defines ``SV`` (complete) and ``EN`` (optional, falls back to Swedish).
Keys are unique across areas: assembly fails loudly on a clash.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import ModuleType

from bot.messages import (
    core,
    dates,
    importing,
    meetings,
    minutes,
    networks,
    privacy,
    publishing,
    records,
    reminders,
)
from bot.messages import intents as intent_texts

# Each area module is listed once here; add new areas to this tuple.
_AREAS: tuple[ModuleType, ...] = (
    core, dates, meetings, records, reminders, minutes, privacy, importing, publishing, intent_texts, networks,
)

DEFAULT_LOCALE = "sv"


def _assemble(attr: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    for area in _AREAS:
        texts: Mapping[str, str] = getattr(area, attr, {})
        for key, text in texts.items():
            if key in merged:
                raise RuntimeError(f"message key {key!r} defined twice ({area.__name__})")
            merged[key] = text
    return merged


CATALOGUE: dict[str, dict[str, str]] = {"sv": _assemble("SV"), "en": _assemble("EN")}

_missing_sv = set(CATALOGUE["en"]) - set(CATALOGUE["sv"])
if _missing_sv:
    raise RuntimeError(f"English messages without a Swedish original: {sorted(_missing_sv)}")


# The team setting that holds a network's language (``sv`` or ``en``), beside its other settings.
NETWORK_LANGUAGE_SETTING = "language"

# The locales in which every Swedish text exists: only these may carry a whole reply. A locale
# with gaps would fall back to Swedish key by key, and one reply would mix two languages.
FULL_LOCALES: frozenset[str] = frozenset(
    locale for locale, texts in CATALOGUE.items() if set(CATALOGUE[DEFAULT_LOCALE]) <= set(texts)
)


def network_language(team: object) -> str:
    """The language a network has chosen for its channel and shared cards (Swedish unless set)."""
    settings = getattr(team, "settings", None) or {}
    value = settings.get(NETWORK_LANGUAGE_SETTING)
    return value if value in CATALOGUE else DEFAULT_LOCALE


def reply_locale(network_language: str | None, client_locale: str | None, personal: bool,
                 full: frozenset[str] = FULL_LOCALES) -> str:
    """The one language of a reply. What everyone sees (a channel, a shared card, a reminder) is
    in the network's language; a 1:1 reply follows the person's client only where the catalogue
    has every text in that language. A language with gaps is never chosen, so no reply mixes two."""
    network = network_language if network_language in full else DEFAULT_LOCALE
    if not personal:
        return network
    client = locale_of(client_locale) if client_locale else network
    return client if client in full else network


def locale_of(activity_locale: str | None) -> str:
    """Swedish unless the client says English."""
    if activity_locale and activity_locale.lower().startswith("en"):
        return "en"
    return DEFAULT_LOCALE


def complete_locale(locale: str, keys: Iterable[str]) -> str:
    """``locale`` if every one of ``keys`` exists in it, else Swedish: one reply (a card, say) is
    never half in one language and half in another."""
    texts = CATALOGUE.get(locale)
    if texts is None or any(key not in texts for key in keys):
        return DEFAULT_LOCALE
    return locale


def t(key: str, locale: str = DEFAULT_LOCALE, /, **params: object) -> str:
    """The text for ``key`` in ``locale`` (falling back to Swedish), with ``params`` filled in."""
    texts = CATALOGUE.get(locale, CATALOGUE[DEFAULT_LOCALE])
    template = texts.get(key) or CATALOGUE[DEFAULT_LOCALE][key]
    return template.format(**params) if params else template
