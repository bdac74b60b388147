"""The Teams app package: ``skis-bot manifest build --app-id <GUID>`` writes the zip to upload.

``manifest/manifest.template.json`` holds everything fixed (names, descriptions, scopes, icons);
this module fills in the app id, the version, the developer's URLs, the valid domain and the
command menus. The menus are defined once, in ``MENU``: each command names its id in
``bot/routing.py`` so a menu entry is always something the bot understands. The English
localization (``en.json`` in the zip) is ``manifest/manifest.en.json`` plus the English command
descriptions from ``MENU``; command titles stay Swedish there too, because the title is what
Teams types into the message box and the bot's commands are Swedish words.

The template asks for the resource-specific permissions ``ChannelMessage.Read.Group`` and
``ChatMessage.Read.Chat`` (``RSC_PERMISSIONS``): without them Teams delivers a channel or group
chat message only when it @mentions the bot, so answers to the bot's follow-up questions ("Vem
ska göra det?") would never arrive. What that means for the tenant admin is in docs/deploy.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import zipfile
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bot import __version__

MANIFEST_PACKAGE = "manifest"
TEMPLATE_FILE = "manifest.template.json"
ENGLISH_SOURCE_FILE = "manifest.en.json"
LOCALIZATION_FILE = "en.json"

SCOPES = ("team", "groupChat", "personal")
# Resource-specific consent: receive the messages of the team's channels and of the group chat
# without a mention (the bot reads only answers to its own open questions; see bot/teams/bot.py).
RSC_PERMISSIONS = ("ChannelMessage.Read.Group", "ChatMessage.Read.Chat")
MAX_COMMANDS = 12  # Teams shows at most 12 commands per scope
TITLE_MAX = 32
DESCRIPTION_MAX = 128

DEFAULT_OUT = Path("skis-bot-teams-app.zip")
DEFAULT_DEVELOPER_NAME = "Skaraborgs Kommunalförbund"
# Skaraborgs Kommunalförbund coordinates the network; an operator sets their own pages with
# --privacy-url/--terms-url or SKIS_PRIVACY_URL/SKIS_TERMS_URL.
DEFAULT_DEVELOPER_URL = "https://www.skaraborg.se/"
DEFAULT_PRIVACY_URL = "https://www.skaraborg.se/"
DEFAULT_TERMS_URL = "https://www.skaraborg.se/"

_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_NIL_GUID = "00000000-0000-0000-0000-000000000000"
_SEMVER = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")
_HOST_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
# Zip entries get a fixed time so the same inputs give byte-identical packages.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class MenuCommand:
    """One entry of the command menu Teams shows when people type @SKIS-boten or open the chat."""

    command_id: str  # the id in bot.routing.COMMANDS that ``title`` parses to
    title: str  # Swedish, what Teams types into the message box
    description: str  # Swedish
    description_en: str
    scopes: tuple[str, ...]


_T, _G, _P = "team", "groupChat", "personal"

# The menus of all scopes, in display order. A group chat is typically the presidium's planning
# chat, so its menu leans to planning; the personal chat leans to the member's own answers.
MENU: tuple[MenuCommand, ...] = (
    MenuCommand(
        "help", "hjälp", "Visa alla kommandon med exempel", "Show all commands with examples", (_T, _G, _P)
    ),
    MenuCommand(
        "meetings",
        "möten",
        "Kommande möten med tid och plats",
        "Upcoming meetings with time and place",
        (_T, _G, _P),
    ),
    MenuCommand(
        "new_meeting",
        "nytt möte",
        "Lägg in ett möte, t.ex. nytt möte fredag 4 december kl 9-12 Regionens hus",
        "Add a meeting, e.g. nytt möte fredag 4 december kl 9-12 Regionens hus",
        (_T, _G),
    ),
    MenuCommand(
        "agenda", "dagordning", "Dagordningen för nästa möte", "The agenda of the next meeting", (_T, _G, _P)
    ),
    MenuCommand(
        "agenda_item",
        "punkt",
        "Föreslå en punkt till dagordningen, t.ex. punkt Nationellt kvalitetssystem",
        "Suggest an agenda item, e.g. punkt Nationellt kvalitetssystem",
        (_T, _G),
    ),
    MenuCommand(
        "attend_yes",
        "kommer",
        "Anmäl att du kommer till nästa möte (kan du inte: skriv kommer inte)",
        "Say that you are coming to the next meeting (if not: type kommer inte)",
        (_T, _P),
    ),
    MenuCommand(
        "attend_no",
        "kommer inte",
        "Anmäl att du inte kan komma till nästa möte",
        "Say that you cannot come to the next meeting",
        (_P,),
    ),
    MenuCommand(
        "checkin",
        "incheckning",
        "Svara på incheckningsfrågan inför mötet",
        "Answer the check-in question before the meeting",
        (_T, _P),
    ),
    MenuCommand("checkins", "incheckningar", "Se vilka som har checkat in", "See who has checked in", (_G,)),
    MenuCommand(
        "action_item",
        "uppgift",
        "Ny uppgift, t.ex. uppgift Mejla inbjudan @Anna till 4 december",
        "New action item, e.g. uppgift Mejla inbjudan @Anna till 4 december",
        (_T, _G),
    ),
    MenuCommand("action_items", "uppgifter", "Alla öppna uppgifter", "All open action items", (_T, _G)),
    MenuCommand("my_action_items", "mina uppgifter", "Dina öppna uppgifter", "Your open action items", (_P,)),
    MenuCommand(
        "action_done",
        "klar",
        "Markera en uppgift som klar, t.ex. klar 12",
        "Mark an action item as done, e.g. klar 12",
        (_P,),
    ),
    MenuCommand(
        "decision",
        "beslut",
        "Skriv in ett beslut, t.ex. beslut Skövde och Tibro presenterar Bästa skola på nästa möte",
        "Record a decision, e.g. beslut Skövde och Tibro presenterar Bästa skola på nästa möte",
        (_T, _G),
    ),
    MenuCommand(
        "decision_log",
        "beslutslogg",
        "Sök bland besluten, t.ex. beslutslogg bästa skola",
        "Search the decisions, e.g. beslutslogg bästa skola",
        (_T, _G, _P),
    ),
    MenuCommand(
        "minutes",
        "protokoll",
        "Utkast till protokoll som sekreteraren granskar och godkänner",
        "Draft minutes for the secretary to review and approve",
        (_T, _G),
    ),
    MenuCommand(
        "reminders",
        "påminnelser",
        "Se och ändra påminnelserna före mötena",
        "See and change the meeting reminders",
        (_G,),
    ),
    MenuCommand(
        "members",
        "medlemmar",
        "Medlemmar per kommun, med roller",
        "Members by municipality, with roles",
        (_P,),
    ),
    MenuCommand(
        "municipality",
        "kommun",
        "Ange din kommun, t.ex. kommun Töreboda",
        "Say which municipality you are from, e.g. kommun Töreboda",
        (_P,),
    ),
    MenuCommand(
        "my_data",
        "mina data",
        "Se vad boten har sparat om dig och hur du tar bort det",
        "See what the bot has stored about you and how to delete it",
        (_P,),
    ),
)


def is_guid(text: str) -> bool:
    """True if ``text`` is a GUID other than the all-zero placeholder."""
    return bool(_GUID.match(text)) and text != _NIL_GUID


def menu_for(scope: str) -> list[MenuCommand]:
    """The menu entries shown in ``scope``, in display order."""
    return [command for command in MENU if scope in command.scopes]


def command_lists() -> list[dict[str, Any]]:
    """The manifest's ``commandLists``: one list per scope, Swedish titles and descriptions."""
    return [
        {
            "scopes": [scope],
            "commands": [{"title": c.title, "description": c.description} for c in menu_for(scope)],
        }
        for scope in SCOPES
    ]


def normalize_domain(text: str) -> str:
    """The host name in ``text`` ("bot.kommun.se", also from "https://bot.kommun.se/api/messages")."""
    raw = text.strip()
    host = urlsplit(raw).hostname if "://" in raw else raw.split("/", 1)[0].split(":", 1)[0]
    host = (host or "").lower().rstrip(".")
    labels = host.split(".")
    if len(labels) < 2 or not all(_HOST_LABEL.match(label) for label in labels):
        raise ValueError(f"{text!r} is not a host name; give the bot's public host, e.g. skis-bot.kommun.se")
    return host


def check_https_url(url: str, what: str) -> str:
    """``url`` if it is an absolute https URL, else a ValueError naming ``what``."""
    parts = urlsplit(url.strip())
    if parts.scheme != "https" or not parts.hostname or " " in url.strip():
        raise ValueError(f"the {what} must be an https:// address, not {url!r}")
    return url.strip()


def build_manifest(
    app_id: str,
    *,
    domain: str | None,
    developer_url: str,
    privacy_url: str,
    terms_url: str,
    version: str,
    developer_name: str = DEFAULT_DEVELOPER_NAME,
) -> dict:
    """The manifest.json content for app (and bot) ``app_id``; ValueError on a bad value."""
    if not is_guid(app_id):
        raise ValueError(
            f"the app id must be the app registration's GUID (Application (client) ID), not {app_id!r}"
        )
    if not _SEMVER.match(version):
        raise ValueError(f"the version must look like 1.2.3 for Teams, not {version!r}")
    name = developer_name.strip()
    if not name or len(name) > 32:
        raise ValueError(f"the developer name must be 1 to 32 characters, not {developer_name!r}")
    values: dict[str, Any] = {
        "APP_ID": app_id,
        "VERSION": version,
        "DEVELOPER_NAME": name,
        "DEVELOPER_URL": check_https_url(developer_url, "developer URL"),
        "PRIVACY_URL": check_https_url(privacy_url, "privacy URL"),
        "TERMS_URL": check_https_url(terms_url, "terms of use URL"),
        "COMMAND_LISTS": command_lists(),
        "VALID_DOMAINS": [normalize_domain(domain)] if domain else [],
        "RSC_PERMISSIONS": [{"name": name, "type": "Application"} for name in RSC_PERMISSIONS],
    }
    template = json.loads(_package_file(TEMPLATE_FILE).read_text(encoding="utf-8"))
    manifest = _fill(template, values)
    left = placeholders_in(manifest)
    if left:
        raise ValueError(f"the manifest template has unfilled placeholders: {', '.join(left)}")
    return manifest


def build_localization(manifest: dict) -> dict:
    """The English localization file (en.json) for ``manifest``.

    Command descriptions are keyed by their position in the manifest's command lists, so they are
    derived from the manifest itself rather than kept in a second hand-written list.
    """
    english = {c.title: c.description_en for c in MENU}
    strings: dict[str, Any] = json.loads(_package_file(ENGLISH_SOURCE_FILE).read_text(encoding="utf-8"))
    for bot_index, bot in enumerate(manifest.get("bots", [])):
        for list_index, command_list in enumerate(bot.get("commandLists", [])):
            for index, command in enumerate(command_list.get("commands", [])):
                if command.get("title") in english:
                    key = f"bots[{bot_index}].commandLists[{list_index}].commands[{index}].description"
                    strings[key] = english[command["title"]]
    return strings


def write_package(manifest: dict, out: Path) -> Path:
    """Write the app package zip (manifest.json, icons, en.json) to ``out``; return its path.

    ``out`` may be a directory (the default file name is used there). The zip is written next to
    its destination and renamed into place, so a failed write never leaves half a package.
    """
    out = Path(out)
    if out.is_dir():
        out = out / DEFAULT_OUT.name
    entries: dict[str, bytes] = {
        "manifest.json": (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8"),
    }
    for icon in ("color", "outline"):
        name = manifest["icons"][icon]
        entries[name] = _package_file(name).read_bytes()
    for language in manifest.get("localizationInfo", {}).get("additionalLanguages", []):
        if language["file"] != LOCALIZATION_FILE:
            raise ValueError(
                f"no localization file {language['file']!r} is available (only {LOCALIZATION_FILE})"
            )
        strings = build_localization(manifest)
        entries[LOCALIZATION_FILE] = (json.dumps(strings, ensure_ascii=False, indent=2) + "\n").encode(
            "utf-8"
        )

    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.partial")
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, data in entries.items():
                info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, data)
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
    return out.resolve()


def placeholders_in(value: Any) -> list[str]:
    """Every string in ``value`` (nested) that still holds a ``{{...}}`` placeholder."""
    found: list[str] = []
    if isinstance(value, str):
        if "{{" in value or "}}" in value:
            found.append(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            found.extend(placeholders_in(key))
            found.extend(placeholders_in(item))
    elif isinstance(value, list):
        for item in value:
            found.extend(placeholders_in(item))
    return found


def _fill(value: Any, values: dict[str, Any]) -> Any:
    # A string that is exactly "{{NAME}}" becomes the value itself (which may be a list);
    # placeholders inside longer strings are replaced as text.
    if isinstance(value, str):
        whole = re.fullmatch(r"\{\{([A-Z_]+)\}\}", value)
        if whole and whole.group(1) in values:
            return values[whole.group(1)]
        return re.sub(
            r"\{\{([A-Z_]+)\}\}",
            lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0),
            value,
        )
    if isinstance(value, dict):
        return {key: _fill(item, values) for key, item in value.items()}
    if isinstance(value, list):
        return [_fill(item, values) for item in value]
    return value


def _package_file(name: str) -> Any:
    # importlib.resources, so the files are found inside an installed wheel too.
    return files(MANIFEST_PACKAGE).joinpath(name)


# --- command line -------------------------------------------------------------------------


def _guid_arg(text: str) -> str:
    if not is_guid(text.strip()):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a GUID. Use the bot's Application (client) ID from the app registration, "
            "e.g. 1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d"
        )
    return text.strip()


def _domain_arg(text: str) -> str:
    try:
        return normalize_domain(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def register_cli(subparsers: argparse._SubParsersAction) -> None:
    """Add ``skis-bot manifest build``."""
    manifest = subparsers.add_parser(
        "manifest",
        help="build the Teams app package",
        description="The Teams app package (manifest.json and icons) that you upload in Teams.",
    )
    actions = manifest.add_subparsers(dest="manifest_command", required=True, metavar="build")
    build = actions.add_parser(
        "build",
        help="write the app package zip",
        description=(
            "Write the zip to upload in the Teams admin center (Teams apps > Manage apps > Upload new app) "
            "or in Teams (Apps > Manage your apps > Upload an app). See docs/deploy.md."
        ),
    )
    build.add_argument(
        "--app-id",
        required=True,
        type=_guid_arg,
        metavar="GUID",
        help="the bot's Application (client) ID; it is also the Teams app id",
    )
    build.add_argument(
        "--domain",
        type=_domain_arg,
        metavar="HOST",
        help="the bot's public host name, e.g. skis-bot.kommun.se",
    )
    build.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        metavar="PATH",
        help=f"where to write the zip (default ./{DEFAULT_OUT})",
    )
    build.add_argument(
        "--developer-name",
        metavar="NAME",
        help=f"publisher name shown in Teams (default $SKIS_DEVELOPER_NAME or {DEFAULT_DEVELOPER_NAME!r})",
    )
    build.add_argument(
        "--developer-url", metavar="URL", help="publisher web site (default $SKIS_DEVELOPER_URL)"
    )
    build.add_argument("--privacy-url", metavar="URL", help="privacy statement (default $SKIS_PRIVACY_URL)")
    build.add_argument("--terms-url", metavar="URL", help="terms of use (default $SKIS_TERMS_URL)")
    build.set_defaults(func=cmd_build)


def cmd_build(args: argparse.Namespace) -> int:
    """Build the manifest from the arguments (and environment defaults) and write the zip."""

    def pick(flag: str | None, env_name: str, default: str) -> tuple[str, bool]:
        chosen = (flag or "").strip() or os.environ.get(env_name, "").strip()
        return (chosen, False) if chosen else (default, True)

    developer_name, _ = pick(args.developer_name, "SKIS_DEVELOPER_NAME", DEFAULT_DEVELOPER_NAME)
    developer_url, _ = pick(args.developer_url, "SKIS_DEVELOPER_URL", DEFAULT_DEVELOPER_URL)
    privacy_url, privacy_default = pick(args.privacy_url, "SKIS_PRIVACY_URL", DEFAULT_PRIVACY_URL)
    terms_url, terms_default = pick(args.terms_url, "SKIS_TERMS_URL", DEFAULT_TERMS_URL)
    try:
        manifest = build_manifest(
            args.app_id,
            domain=args.domain,
            developer_url=developer_url,
            privacy_url=privacy_url,
            terms_url=terms_url,
            version=__version__,
            developer_name=developer_name,
        )
    except ValueError as exc:
        sys.stderr.write(f"skis-bot manifest build: error: {exc}\n")
        return 2
    try:
        path = write_package(manifest, args.out)
    except OSError as exc:
        sys.stderr.write(f"skis-bot manifest build: cannot write {args.out}: {exc}\n")
        return 1

    lines = [
        f"Wrote {path}",
        f"  app id and bot id: {manifest['id']}",
        f"  version:           {manifest['version']}",
        f"  valid domain:      {', '.join(manifest['validDomains']) or '(none; pass --domain)'}",
        f"  developer:         {manifest['developer']['name']}, {manifest['developer']['websiteUrl']}",
        f"  privacy:           {manifest['developer']['privacyUrl']}",
        f"  terms of use:      {manifest['developer']['termsOfUseUrl']}",
    ]
    if privacy_default or terms_default:
        lines.append(
            "note: using the default privacy/terms address; set --privacy-url and --terms-url "
            "(or SKIS_PRIVACY_URL and SKIS_TERMS_URL) to your organisation's own pages."
        )
    lines.append(
        "Next: upload the zip in the Teams admin center (Teams apps > Manage apps > Upload new app) "
        "or in Teams (Apps > Manage your apps > Upload an app). See docs/deploy.md."
    )
    sys.stdout.write("\n".join(lines) + "\n")
    return 0
