"""Choosing which minutes of a meeting to publish, and rendering them as Markdown, HTML or Word.

Used by ``skis-bot export --format md|html|docx``. Reads only (the store may be opened read-only):
a draft is shown as the bot would show it now (the records laid under the secretary's edits),
never stored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.messages import t
from bot.minutes import sources
from bot.minutes.draft import Publication, apply_edits
from bot.minutes.render_docx import render_docx
from bot.minutes.render_html import render_html
from bot.minutes.render_md import render_markdown
from storage.meetings_repo import Meeting
from storage.minutes_repo import CORRECTING
from storage.store import Store
from storage.teams_repo import Team

FORMATS = ("md", "html", "docx")
BINARY_FORMATS = frozenset({"docx"})  # cannot go to a terminal


class PublishError(Exception):
    """The minutes cannot be exported as asked; the message (Swedish) says why and what to do."""


@dataclass(frozen=True)
class Found:
    team: Team
    meeting: Meeting


async def find_meeting(store: Store, meeting_id: str, *, team_key: str | None = None, locale: str = "sv") -> Found:
    """The meeting with this id, in ``team_key`` or in the only network that has one."""
    teams = await store.teams.all_teams(active_only=False)
    if team_key is not None:
        teams = [team for team in teams if team.key == team_key]
    hits = [Found(team, meeting) for team in teams if (meeting := await store.meetings.get(team.key, meeting_id)) is not None]
    if not hits:
        raise PublishError(t("minutes.export_no_meeting", locale, meeting_id=meeting_id))
    if len(hits) > 1:
        raise PublishError(t("minutes.export_many_teams", locale, meeting_id=meeting_id, teams=", ".join(h.team.key for h in hits)))
    return hits[0]


async def publication(
    store: Store,
    team: Team,
    meeting: Meeting,
    tz: ZoneInfo,
    *,
    version: int | None = None,
    draft: bool = False,
    locale: str = "sv",
) -> Publication:
    """What to publish: confirmed version ``version``, the working draft, or by default the latest
    confirmed version (the draft, marked UTKAST, when nothing is confirmed yet)."""
    repo = store.minutes
    versions = await repo.versions(team.key, meeting.id)
    latest = versions[-1].version if versions else None
    if version is not None:
        chosen = next((v for v in versions if v.version == version), None)
        if chosen is None:
            known = ", ".join(str(v.version) for v in versions) or t("minutes.export_no_versions", locale)
            raise PublishError(t("minutes.export_no_version", locale, meeting_id=meeting.id, version=version, versions=known))
        pub = Publication.of_version(chosen)
        return replace(pub, superseded_by=latest) if latest is not None and latest > chosen.version else pub
    stored = await repo.draft(team.key, meeting.id)
    if versions and not draft:
        return Publication.of_version(versions[-1])
    if stored is not None and stored.locked:
        raise PublishError(t("minutes.export_no_draft", locale, meeting_id=meeting.id, version=latest))
    # Built as the card would show it now: records added since the last save are in it too.
    content = apply_edits(await sources.build(store, team, meeting, tz, locale), stored.edits if stored else {})
    corrects = stored.confirmed_version if stored is not None and stored.status == CORRECTING else None
    return Publication(content=content, status="draft", revision=stored.revision if stored else None, corrects_version=corrects)


_RENDERERS: dict[str, Callable[[Publication, ZoneInfo, str], str]] = {"md": render_markdown, "html": render_html}


def render(pub: Publication, fmt: str, tz: ZoneInfo, *, locale: str = "sv", now: datetime | None = None) -> bytes:
    """``pub`` as the bytes of a .md, .html (UTF-8) or .docx file."""
    if fmt == "docx":
        return render_docx(pub, tz, locale, created=pub.confirmed_at or now)
    if fmt not in _RENDERERS:
        raise ValueError(f"unknown minutes format {fmt!r}")
    return _RENDERERS[fmt](pub, tz, locale).encode("utf-8")
