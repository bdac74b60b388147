"""`importera` in Teams: the secretary sends earlier minutes to the bot in 1:1 and confirms them on a card.

1. `importera [ÅÅÅÅ-MM-DD]` with a file attached (1:1 only; secretary, chair or presidium): the
   bot fetches the file (``bot.importing.download``), reads it exactly as ``skis-bot
   import-minutes`` does and answers with the preview card (``bot.cards.importing``).
2. **Importera** on the card: the file is fetched again, must be the same file (its SHA-256 is on
   the card), and is stored for the person's network with the date from the card. Pressing it
   twice, or importing the same file again, changes nothing.
"""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

from bot.cards.importing import preview_card
from bot.importing.cli import read_file_data
from bot.importing.download import MAX_BYTES, DownloadError, attached_file, download
from bot.importing.extract import Extracted, ExtractError
from bot.importing.parse import MinutesImport
from bot.importing.store import StoreImportError, store_import
from bot.roles import IMPORT_ROLES
from bot.routing import ACTION_IMPORT_CONFIRM
from bot.rules.municipalities import municipalities
from bot.turn import CardReply, Turn


def _refusal(turn: Turn) -> str | None:
    """Why this person cannot import here, or None."""
    if not turn.in_personal_chat:
        return turn.t("importing.only_personal")
    if not turn.has_role(*IMPORT_ROLES):
        return turn.t("importing.not_allowed")
    return None


async def _fetch(turn: Turn, name: str, url: str) -> bytes | str:
    """The file's bytes, or what to tell the person."""
    try:
        return await download(url, turn.activity.service_url)
    except DownloadError as exc:
        key = {"host": "importing.bad_host", "size": "importing.too_big"}.get(exc.kind, "importing.download_failed")
        return turn.t(key, name=name, limit=MAX_BYTES // (1024 * 1024))


async def _read(turn: Turn, name: str, data: bytes, meeting_date: date | None) -> tuple[Extracted, MinutesImport] | str:
    """The file read and parsed, or what to tell the person."""
    register = [m.name for m in await turn.store.teams.members(turn.team.key, active_only=False)]
    known = municipalities(turn.team, turn.services.settings)
    try:
        # Repairing a scanned text looks up every word: off the event loop.
        return await asyncio.to_thread(read_file_data, name, data, municipalities=known, register=register, meeting_date=meeting_date)
    except ExtractError as exc:
        return turn.t("importing.unreadable", problem=str(exc))


async def _load(turn: Turn, name: str, url: str, meeting_date: date | None) -> tuple[Extracted, MinutesImport] | str:
    data = await _fetch(turn, name, url)
    return data if isinstance(data, str) else await _read(turn, name, data, meeting_date)


async def import_minutes(turn: Turn, args: str) -> None:
    """`importera` with a file in 1:1: the preview card of what would be imported."""
    refusal = _refusal(turn)
    if refusal:
        await turn.say(refusal)
        return
    meeting_date = None
    if args.strip():
        try:
            meeting_date = date.fromisoformat(args.strip())
        except ValueError:
            await turn.say_key("importing.bad_date", date=args.strip()[:40])
            return
    attached = attached_file(turn.activity.attachments)
    if attached is None:
        await turn.say_key("importing.no_file")
        return
    loaded = await _load(turn, attached.name, attached.url, meeting_date)
    if isinstance(loaded, str):
        await turn.say(loaded)
        return
    found, parsed = loaded
    card = preview_card(parsed, url=attached.url, sha256=found.sha256, locale=turn.locale)
    await turn.send_card(card, summary=turn.t("importing.summary", name=found.name))


async def confirm_import(turn: Turn, data: dict[str, Any]) -> CardReply | None:
    """**Importera** on the preview card: the same file is stored for the person's network."""
    refusal = _refusal(turn)
    if refusal:
        return CardReply(message=refusal)
    name, url, sha = (str(data.get(k) or "") for k in ("name", "url", "sha256"))
    try:
        meeting_date = date.fromisoformat(str(data.get("date") or "").strip()[:10])
    except ValueError:
        return CardReply(message=turn.t("importing.date_missing"))
    loaded = await _load(turn, name, url, meeting_date)
    if isinstance(loaded, str):
        return CardReply(message=loaded)
    found, parsed = loaded
    if found.sha256 != sha:
        return CardReply(message=turn.t("importing.changed", name=name))
    try:
        stored = await store_import(turn.store, turn.team.key, found, parsed, tz=turn.services.settings.timezone, now=turn.now)
    except StoreImportError as exc:
        return CardReply(message=turn.t("importing.failed", problem=str(exc)))
    if not stored.changed:
        return CardReply(message=turn.t("importing.already", name=name, date=meeting_date.isoformat()))
    return CardReply(
        message=turn.t(
            "importing.done",
            date=meeting_date.isoformat(),
            present=len(parsed.attendees),
            decisions=len(parsed.decisions),
            actions=len(parsed.actions),
            meetings=len([m for m in parsed.meetings if m.day]),
        )
    )


COMMANDS = {"import_minutes": import_minutes}
CARD_ACTIONS = {ACTION_IMPORT_CONFIRM: confirm_import}
