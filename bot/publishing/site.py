"""The public archive: every network's confirmed minutes as a static web site.

``Archive`` is the site as a map from relative path to a function that renders the file, so
``skis-bot publish`` writes exactly these files and the ``/arkiv/`` route serves exactly these
paths: nothing else (no draft, no file from disk) can be reached through either.

Layout, for one network (with several, each network's files sit under ``<slug>/`` and the top
``index.html`` lists the networks)::

    index.html                          the minutes by year, newest first
    feed.xml                            Atom: one entry per meeting, updated by a rättelse
    <year>/<meeting id>/index.html      the current version, with the earlier ones linked
    <year>/<meeting id>/version-<n>.html, …-v<n>.docx, …-v<n>-utskrift.html   every version

Only confirmed versions are published; a version still awaiting the chair's justering is not
yet valid and stays out until it is co-signed. Pages show only what the minutes themselves
contain (their content as confirmed, and who confirmed it): no Teams ids, no check-in answers
beyond those the minutes hold.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import partial
from html import escape
from itertools import groupby
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr
from zoneinfo import ZoneInfo

from bot import formatting
from bot.messages import t
from bot.minutes.draft import Publication, note_blocks, sections, status_lines, title_text, when_where_text
from bot.minutes.publish import render
from storage.meetings_repo import Meeting
from storage.minutes_repo import MinutesVersion
from storage.store import Store
from storage.teams_repo import Team

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/atom+xml; charset=utf-8",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}

_SAFE_ID = re.compile(r"[^A-Za-z0-9_-]+")

# Colours chosen for contrast above 4.5:1 on white (WCAG AA), links underlined.
_CSS = """
body{font-family:Calibri,"Segoe UI",Arial,sans-serif;max-width:48em;margin:0 auto;padding:0 1em 2em;
line-height:1.5;color:#1b1b1b;background:#fff}
a{color:#0b4f8a}a:focus{outline:3px solid #0b4f8a;outline-offset:2px}
.skip{position:absolute;left:-999em}.skip:focus{position:static}
header{border-bottom:1px solid #bbb;padding:.8em 0}header p{margin:.2em 0}
.site{font-weight:bold}nav ol{list-style:none;padding:0;margin:.3em 0}nav li{display:inline}
nav li+li::before{content:" › "}
h1{font-size:1.6em;margin:.8em 0 .2em}h2{font-size:1.25em;margin-top:1.6em;border-bottom:1px solid #bbb}
.when{color:#3b3b3b;margin-top:0}
.notice{border-left:4px solid #8a3b00;background:#fff6ef;padding:.5em .8em}
.status{color:#3b3b3b;font-size:.95em}.hash{font-family:Consolas,monospace;word-break:break-all}
footer{margin-top:2.5em;border-top:1px solid #bbb;padding-top:.6em;color:#3b3b3b;font-size:.95em}
ul{padding-left:1.3em}li{margin:.2em 0}
""".strip()


class ArchiveError(Exception):
    """The archive cannot be built as asked; the message says why."""


@dataclass(frozen=True)
class Minutes:
    """One meeting's published minutes: its valid confirmed versions, oldest first."""

    team: Team
    meeting: Meeting
    versions: tuple[MinutesVersion, ...]
    dir: str  # "<year>/<meeting id>/", relative to the network's root

    @property
    def latest(self) -> MinutesVersion:
        return self.versions[-1]

    @property
    def year(self) -> str:
        return self.dir.split("/", 1)[0]

    @property
    def corrected(self) -> bool:
        return self.latest.version > 1

    def file_base(self, version: int) -> str:
        return f"minnesanteckningar-{self.meeting.id}-v{version}"


@dataclass(frozen=True)
class Network:
    team: Team
    prefix: str  # "" or "<slug>/"
    minutes: tuple[Minutes, ...]  # newest meeting first

    @property
    def name(self) -> str:
        return self.team.name or ""


async def networks(store: Store, team_key: str | None = None) -> list[Team]:
    """The networks whose minutes are published: every team (not 1:1 chats), or just ``team_key``."""
    teams = [team for team in await store.teams.all_teams(active_only=False) if team.kind != "personal"]
    if team_key is not None:
        chosen = [team for team in teams if team.key == team_key]
        if not chosen:
            known = ", ".join(team.key for team in teams) or "none"
            raise ArchiveError(f"no team with id {team_key!r} (teams: {known})")
        return chosen
    return sorted(teams, key=lambda team: (team.installed_at, team.key))


async def published_versions(store: Store, team_key: str, meeting_id: str) -> tuple[MinutesVersion, ...]:
    """The confirmed versions that are in force or were: not one still awaiting justering."""
    return tuple(v for v in await store.minutes.versions(team_key, meeting_id) if not v.awaiting_cosign)


async def _minutes_of(store: Store, team: Team, tz: ZoneInfo) -> tuple[Minutes, ...]:
    found: list[Minutes] = []
    for meeting in await store.meetings.all(team.key, include_cancelled=True):
        versions = await published_versions(store, team.key, meeting.id)
        if not versions:
            continue
        safe = _SAFE_ID.sub("-", meeting.id).strip("-") or "mote"
        year = str(meeting.starts_at.astimezone(tz).year)
        found.append(Minutes(team, meeting, versions, f"{year}/{safe}/"))
    found.sort(key=lambda m: (m.meeting.starts_at, m.meeting.id), reverse=True)
    return tuple(found)


def _slug(name: str, taken: set[str]) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    base = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:40] or "natverk"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


class Archive:
    """The whole site; files are rendered when asked for (``render``), paths known up front.

    ``await Archive.load(store, ...)`` reads what is published; the site itself is built from
    what was read (every page renders without the store)."""

    def __init__(self, published: Sequence[tuple[Team, tuple[Minutes, ...]]], tz: ZoneInfo, *, now: datetime,
                 base_url: str = "", locale: str = "sv") -> None:
        self.tz, self.now, self.locale = tz, now, locale
        self.base_url = base_url.rstrip("/") + "/" if base_url else ""
        taken: set[str] = set()
        single = len(published) == 1
        self.networks = tuple(
            Network(team, "" if single else _slug(team.name or "natverk", taken) + "/", minutes)
            for team, minutes in published
        )
        self._files: dict[str, Callable[[], bytes]] = {}
        if not single:
            self._files["index.html"] = self._networks_page
        for network in self.networks:
            self._add_network(network)

    @classmethod
    async def load(cls, store: Store, tz: ZoneInfo, *, now: datetime, team_key: str | None = None,
                   base_url: str = "", locale: str = "sv") -> Archive:
        """The site of every network's published minutes (or ``team_key``'s), read from ``store`` now."""
        published = [(team, await _minutes_of(store, team, tz)) for team in await networks(store, team_key)]
        return cls(published, tz, now=now, base_url=base_url, locale=locale)

    # The map of files ---------------------------------------------------------------------
    def paths(self) -> list[str]:
        return list(self._files)

    def render(self, path: str) -> bytes | None:
        """The file at ``path`` (relative, as in ``paths()``), or None if the site has no such file."""
        make = self._files.get(path)
        return make() if make is not None else None

    @property
    def minutes_count(self) -> int:
        return sum(len(n.minutes) for n in self.networks)

    def _add_network(self, network: Network) -> None:
        p = network.prefix
        # Each page is rendered only when asked for (partial binds this network, minutes and version).
        self._files[p + "index.html"] = partial(self._index_page, network)
        self._files[p + "feed.xml"] = partial(self._feed, network)
        for m in network.minutes:
            self._files[p + m.dir + "index.html"] = partial(self._minutes_page, network, m, m.latest)
            for v in m.versions:
                base = p + m.dir + m.file_base(v.version)
                self._files[p + m.dir + f"version-{v.version}.html"] = partial(self._minutes_page, network, m, v)
                self._files[base + ".docx"] = partial(self._rendered, m, v, "docx")
                self._files[base + "-utskrift.html"] = partial(self._rendered, m, v, "html")

    def _rendered(self, m: Minutes, v: MinutesVersion, fmt: str) -> bytes:
        return render(self._publication(m, v), fmt, self.tz, locale=self.locale)

    def _publication(self, m: Minutes, v: MinutesVersion) -> Publication:
        pub = Publication.of_version(v)
        return replace(pub, superseded_by=m.latest.version) if v.version < m.latest.version else pub

    # Pages --------------------------------------------------------------------------------
    def _page(self, *, title: str, root: str, crumbs: Sequence[tuple[str, str | None]], body: Sequence[str],
              feed: str | None) -> bytes:
        """A page of the site: skip link, header with breadcrumbs, main, footer; no scripts."""
        loc = self.locale
        head = [
            "<!DOCTYPE html>",
            f'<html lang="{"en" if loc.startswith("en") else "sv"}">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{escape(title)}</title>",
        ]
        if feed:
            head.append(f'<link rel="alternate" type="application/atom+xml" href="{escape(root + feed)}" title="{escape(title)}">')
        head += [f"<style>{_CSS}</style>", "</head>", "<body>"]
        nav = "".join(
            f'<li><a href="{escape(href)}">{escape(text)}</a></li>' if href else f'<li aria-current="page">{escape(text)}</li>'
            for text, href in crumbs
        )
        out = [
            *head,
            f'<a class="skip" href="#innehall">{escape(t("publishing.skip_link", loc))}</a>',
            "<header>",
            f'<nav aria-label="{escape(t("publishing.breadcrumb_label", loc))}"><ol>{nav}</ol></nav>',
            "</header>",
            '<main id="innehall">',
            *body,
            "</main>",
            "<footer>",
            f"<p>{escape(t('publishing.footer', loc))}</p>",
        ]
        if feed:
            out.append(f'<p><a href="{escape(root + feed)}">{escape(t("publishing.feed_link", loc))}</a></p>')
        out += ["</footer>", "</body>", "</html>"]
        return ("\n".join(out) + "\n").encode("utf-8")

    def _networks_page(self) -> bytes:
        loc = self.locale
        items = "".join(
            f'<li><a href="{escape(n.prefix)}index.html">{escape(n.name)}</a></li>' for n in self.networks
        )
        body = [f"<h1>{escape(t('publishing.networks_title', loc))}</h1>",
                f"<p>{escape(t('publishing.networks_intro', loc))}</p>", f"<ul>{items}</ul>"]
        return self._page(title=t("publishing.networks_title", loc), root="", crumbs=[(t("publishing.all_networks", loc), None)],
                          body=body, feed=None)

    def _crumbs(self, network: Network, root: str) -> list[tuple[str, str | None]]:
        if len(self.networks) > 1:
            return [(t("publishing.all_networks", self.locale), root + "../index.html")]
        return []

    def _index_page(self, network: Network) -> bytes:
        loc = self.locale
        title = t("publishing.archive_title", loc, network=network.name)
        body = [f"<h1>{escape(title)}</h1>", f"<p>{escape(t('publishing.archive_intro', loc))}</p>"]
        if not network.minutes:
            body.append(f"<p>{escape(t('publishing.archive_empty', loc))}</p>")
        for year, group in groupby(network.minutes, key=lambda m: m.year):
            body.append(f'<section aria-labelledby="ar-{year}">')
            body.append(f'<h2 id="ar-{year}">{escape(t("publishing.year_heading", loc, year=year))}</h2>')
            body.append("<ul>")
            for m in group:
                text = when_where_text(m.latest.content, loc)
                mark = f" {escape(t('publishing.corrected_mark', loc))}" if m.corrected else ""
                body.append(f'<li><a href="{escape(m.dir)}index.html">{escape(text)}</a>{mark}</li>')
            body.append("</ul>")
            body.append("</section>")
        crumbs = [*self._crumbs(network, ""), (t("publishing.all_minutes", loc), None)]
        return self._page(title=title, root="", crumbs=crumbs, body=body, feed="feed.xml")

    def _minutes_page(self, network: Network, m: Minutes, v: MinutesVersion) -> bytes:
        loc, tz = self.locale, self.tz
        root = "../../"  # from <year>/<meeting id>/ back to the network's index
        pub = self._publication(m, v)
        date_text = v.content.get("date_text", "")
        title = t("publishing.page_title", loc, date=date_text, network=network.name)
        body: list[str] = []
        if pub.superseded_by is not None:
            body.append(
                f'<p class="notice">{escape(t("publishing.superseded_notice", loc, version=v.version, latest=m.latest.version))} '
                f'<a href="index.html">{escape(t("publishing.read_latest", loc))}</a></p>'
            )
        if v.reason:
            body.append(f'<p class="notice"><strong>{escape(t("publishing.correction_notice", loc, version=v.version, reason=v.reason))}</strong></p>')
        body.append(f"<h1>{escape(title_text(pub, loc))}</h1>")
        body.append(f'<p class="when">{escape(when_where_text(v.content, loc))}</p>')
        for heading, blocks in sections(pub, loc):
            body.append("<section>")
            body.append(f"<h2>{escape(heading)}</h2>")
            body.extend(_blocks_html(blocks))
            body.append("</section>")
        body.append('<section aria-labelledby="versioner">')
        body.append(f'<h2 id="versioner">{escape(t("publishing.versions_heading", loc))}</h2>')
        body.append("<ul>")
        for each in reversed(m.versions):
            state = t("publishing.version_current" if each is m.latest else "publishing.version_superseded", loc)
            facts = [state, t("publishing.version_confirmed", loc, date=formatting.format_datetime(each.confirmed_at, tz, loc))]
            if each.reason:
                facts.append(t("publishing.version_reason", loc, reason=each.reason))
            label = escape(t("publishing.version_link", loc, version=each.version))
            link = f'<a href="version-{each.version}.html">{label}</a>'
            if each.version == v.version:
                link = f'<a href="version-{each.version}.html" aria-current="page">{label}</a>'
            body.append(f"<li>{link} – {escape(', '.join(facts))}</li>")
        body.append("</ul>")
        body.append("</section>")
        base = m.file_base(v.version)
        body.append('<section aria-labelledby="ladda-ner">')
        body.append(f'<h2 id="ladda-ner">{escape(t("publishing.downloads_heading", loc))}</h2>')
        body.append(
            f'<ul><li><a href="{escape(base)}.docx">{escape(t("publishing.download_docx", loc))}</a></li>'
            f'<li><a href="{escape(base)}-utskrift.html">{escape(t("publishing.download_print", loc))}</a></li></ul>'
        )
        body.append("</section>")
        lines = []
        for line in status_lines(pub, tz, loc):
            cls = "status hash" if pub.content_hash and pub.content_hash in line else "status"
            lines.append(f'<p class="{cls}">{escape(line)}</p>')
        body.extend(lines)
        crumbs = [
            *self._crumbs(network, root),
            (t("publishing.all_minutes", loc), root + "index.html"),
            (m.year, f"{root}index.html#ar-{m.year}"),
            (date_text, None),
        ]
        return self._page(title=title, root=root, crumbs=crumbs, body=body, feed="feed.xml")

    # The feed -----------------------------------------------------------------------------
    def _feed(self, network: Network) -> bytes:
        """Atom (RFC 4287): one entry per meeting; a rättelse updates its entry and says so."""
        loc = self.locale
        title = t("publishing.feed_title", loc, network=network.name)
        updated = max((m.latest.confirmed_at for m in network.minutes), default=self.now)
        base = self.base_url + network.prefix
        out = ['<?xml version="1.0" encoding="utf-8"?>', f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="sv"{_base_attr(base)}>']
        out += [
            f"  <id>{_urn(network.team.key)}</id>",
            f"  <title>{xml_escape(title)}</title>",
            f"  <updated>{_atom_time(updated)}</updated>",
            f'  <link rel="alternate" type="text/html" href="{xml_escape(base)}index.html"/>',
            f'  <link rel="self" type="application/atom+xml" href="{xml_escape(base)}feed.xml"/>',
            f"  <author><name>{xml_escape(network.name)}</name></author>",
        ]
        for m in network.minutes:
            v = m.latest
            date_text = v.content.get("date_text", "")
            if m.corrected:
                entry_title = t("publishing.feed_entry_corrected", loc, date=date_text, version=v.version)
            else:
                entry_title = t("publishing.feed_entry_title", loc, date=date_text)
            summary = when_where_text(v.content, loc)
            if v.reason:
                summary += ". " + t("publishing.correction_notice", loc, version=v.version, reason=v.reason)
            out += [
                "  <entry>",
                f"    <id>{_urn(network.team.key, m.meeting.id)}</id>",
                f"    <title>{xml_escape(entry_title)}</title>",
                f"    <published>{_atom_time(m.versions[0].confirmed_at)}</published>",
                f"    <updated>{_atom_time(v.confirmed_at)}</updated>",
                f'    <link rel="alternate" type="text/html" href="{xml_escape(base + m.dir)}index.html"/>',
                f"    <summary>{xml_escape(summary)}</summary>",
                "  </entry>",
            ]
        out.append("</feed>")
        return ("\n".join(out) + "\n").encode("utf-8")


def _blocks_html(blocks: Sequence[tuple[str, object]]) -> list[str]:
    out: list[str] = []
    for kind, value in blocks:
        if kind == "text":
            assert isinstance(value, str)
            for part, lines in note_blocks(value):
                if part == "bullets":
                    out.append("<ul>" + "".join(f"<li>{escape(line)}</li>" for line in lines) + "</ul>")
                else:
                    out.append("<p>" + "<br>\n".join(escape(line) for line in lines) + "</p>")
        elif kind == "list":
            assert isinstance(value, list)
            out.append("<ul>" + "".join(f"<li>{escape(v)}</li>" for v in value) + "</ul>")
        else:
            assert isinstance(value, tuple)
            label, text = value
            out.append(f"<p><strong>{escape(label)}:</strong> {escape(text).replace(chr(10), '<br>')}</p>")
    return out


def _urn(*parts: str) -> str:
    # A stable id that does not show the Teams ids it is derived from.
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'skis-bot-archive:' + '/'.join(parts))}"


def _atom_time(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _base_attr(base: str) -> str:
    return f" xml:base={quoteattr(base)}" if base else ""


def content_type(path: str) -> str:
    for ext, kind in CONTENT_TYPES.items():
        if path.endswith(ext):
            return kind
    return "application/octet-stream"
