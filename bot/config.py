"""Settings, read once from the environment into a frozen object.

Only the entry points (``load_settings``: bot/cli.py and the operator commands through
bot/ops/command.py) read the environment; everything else receives the object. A bad value
stops start-up with a message that names the variable.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.roles import ROLE_NAMES
from bot.rules.municipalities import parse_list

APP_TYPES = ("SingleTenant", "MultiTenant", "UserAssignedMSI")

# Where Teams (public cloud and the government clouds) calls from; replies go nowhere else.
DEFAULT_SERVICE_URL_ALLOWLIST = (
    "https://smba.trafficmanager.net/",
    "https://smba.infra.gcc.teams.microsoft.com/",
    "https://smba.infra.gov.teams.microsoft.us/",
    "https://smba.infra.dod.teams.microsoft.us/",
)

_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
MIN_BACKUP_KEY_CHARS = 32


class ConfigError(ValueError):
    """A setting has a value the service cannot run with."""


@dataclass(frozen=True)
class Settings:
    app_id: str = ""
    app_password: str = field(default="", repr=False)
    app_type: str = "SingleTenant"
    app_tenant_id: str = ""
    data_dir: Path = Path("./data")
    # SKIS_DATABASE_URL: the records live in this PostgreSQL database (several instances may share
    # it) instead of the TinyDB data directory. Kept out of repr: it may hold a password.
    database_url: str = field(default="", repr=False)
    timezone: ZoneInfo = ZoneInfo("Europe/Stockholm")
    port: int = 3978
    dev: bool = False
    allowed_tenants: frozenset[str] = frozenset()
    service_url_allowlist: tuple[str, ...] = DEFAULT_SERVICE_URL_ALLOWLIST
    admin_token: str = field(default="", repr=False)
    # aadObjectId -> roles held from the start, before anyone hands them out in chat.
    initial_roles: Mapping[str, frozenset[str]] = field(default_factory=dict)
    max_body_bytes: int = 256 * 1024
    network_name: str = "SKIS – Skolutveckling i Skaraborg"
    # Check-in and check-out answers older than this are deleted (0 = keep them until deleted by hand).
    checkin_retention_days: int = 365
    # The municipalities a network must have represented, when a team has not listed its own
    # (empty: Skaraborg's 15; see bot/rules/municipalities.py).
    municipalities: tuple[str, ...] = ()
    # Serve the confirmed minutes read-only at /arkiv/ (off by default: the archive is public).
    public_archive: bool = False
    # Signs backups (HMAC-SHA256) so restore can tell a modified one; the operator keeps it.
    backup_key: str = field(default="", repr=False)
    # How long one fetch of the token signing keys may take (it runs off the request path).
    openid_timeout_seconds: float = 10.0

    @property
    def auth_enabled(self) -> bool:
        return bool(self.app_id)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read every setting from ``env`` (default ``os.environ``); raise ConfigError on bad values."""
        env = os.environ if env is None else env
        get = lambda name, default="": env.get(name, default).strip()  # noqa: E731

        app_id = get("MicrosoftAppId")
        app_type = get("MicrosoftAppType") or "SingleTenant"
        if app_type not in APP_TYPES:
            raise ConfigError(f"MicrosoftAppType must be one of {', '.join(APP_TYPES)}, not {app_type!r}")
        tenant = get("MicrosoftAppTenantId")
        if app_id and not _GUID.match(app_id):
            raise ConfigError("MicrosoftAppId must be the app registration's GUID")
        if app_id and app_type == "SingleTenant" and not _GUID.match(tenant):
            raise ConfigError("MicrosoftAppTenantId must be your tenant's GUID when MicrosoftAppType is SingleTenant")
        if app_id and app_type != "UserAssignedMSI" and not get("MicrosoftAppPassword"):
            raise ConfigError("MicrosoftAppPassword is required when MicrosoftAppId is set")

        tz_name = get("SKIS_TIMEZONE") or "Europe/Stockholm"
        try:
            timezone = ZoneInfo(tz_name)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ConfigError(f"SKIS_TIMEZONE {tz_name!r} is not a known time zone") from exc

        port_text = get("PORT") or "3978"
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise ConfigError(f"PORT must be a number between 1 and 65535, not {port_text!r}")

        dev_text = get("SKIS_DEV").lower()
        if dev_text not in ("", "0", "1", "true", "false", "yes", "no"):
            raise ConfigError(f"SKIS_DEV must be 1 or 0, not {dev_text!r}")
        dev = dev_text in ("1", "true", "yes")

        archive_text = get("SKIS_PUBLIC_ARCHIVE").lower()
        if archive_text not in ("", "0", "1", "true", "false", "yes", "no"):
            raise ConfigError(f"SKIS_PUBLIC_ARCHIVE must be 1 or 0, not {archive_text!r}")

        allowlist = tuple(u.strip() for u in get("SKIS_SERVICE_URL_ALLOWLIST").split(",") if u.strip())
        for url in allowlist:
            if not url.startswith(("https://", "http://127.0.0.1", "http://localhost")):
                raise ConfigError(f"SKIS_SERVICE_URL_ALLOWLIST entries must be https URLs, not {url!r}")

        retention_text = get("SKIS_CHECKIN_RETENTION_DAYS") or "365"
        if not retention_text.isdigit() or int(retention_text) > 36500:
            raise ConfigError(
                f"SKIS_CHECKIN_RETENTION_DAYS must be a number of days (0 keeps answers), not {retention_text!r}"
            )

        tenants = frozenset(t.strip() for t in get("SKIS_ALLOWED_TENANTS").split(",") if t.strip())
        for entry in tenants:
            if not _GUID.match(entry):
                raise ConfigError(f"SKIS_ALLOWED_TENANTS entries must be tenant ids (GUIDs), not {entry!r}")
        if app_id and not tenants:
            # Only configured tenants may use the bot: a multi-tenant app must say which.
            if not _GUID.match(tenant):
                raise ConfigError(
                    "SKIS_ALLOWED_TENANTS must list the tenant ids allowed to use the bot "
                    "(or set MicrosoftAppTenantId to your tenant's GUID)"
                )
            tenants = frozenset({tenant})

        database_url = ""
        if get("SKIS_DATABASE_URL"):
            # Imported only when it is set: psycopg is not loaded for the embedded default.
            from storage.postgres.url import DatabaseUrlError, normalize_url

            try:
                database_url = normalize_url(get("SKIS_DATABASE_URL"))
            except DatabaseUrlError as exc:
                raise ConfigError(str(exc)) from None

        backup_key = get("SKIS_BACKUP_KEY")
        if backup_key and len(backup_key) < MIN_BACKUP_KEY_CHARS:
            raise ConfigError(
                f"SKIS_BACKUP_KEY must be at least {MIN_BACKUP_KEY_CHARS} characters "
                "(make one with: openssl rand -hex 32)"
            )

        return cls(
            app_id=app_id,
            app_password=get("MicrosoftAppPassword"),
            app_type=app_type,
            app_tenant_id=tenant,
            data_dir=Path(get("SKIS_DATA_DIR") or "./data"),
            database_url=database_url,
            timezone=timezone,
            port=int(port_text),
            dev=dev,
            allowed_tenants=tenants,
            service_url_allowlist=allowlist or DEFAULT_SERVICE_URL_ALLOWLIST,
            admin_token=get("SKIS_ADMIN_TOKEN"),
            initial_roles=_parse_initial_roles(get("SKIS_INITIAL_ROLES")),
            checkin_retention_days=int(retention_text),
            municipalities=parse_list(get("SKIS_MUNICIPALITIES")),
            public_archive=archive_text in ("1", "true", "yes"),
            backup_key=backup_key,
        )

    def check_can_serve(self) -> None:
        """Refuse to serve without credentials unless this is explicitly a developer machine."""
        if not self.app_id and not self.dev:
            raise ConfigError(
                "MicrosoftAppId is empty: without it anyone could talk to the bot and make it post to any "
                "address. Set MicrosoftAppId, MicrosoftAppPassword and MicrosoftAppTenantId, "
                "or set SKIS_DEV=1 to run locally (then the bot listens on 127.0.0.1 only)."
            )


def load_settings() -> Settings:
    """The settings from the environment, or exit 2 with the reason on standard error (an entry point's use)."""
    try:
        return Settings.from_env()
    except ConfigError as exc:
        sys.stderr.write(f"skis-bot: configuration error: {exc}\n")
        raise SystemExit(2) from exc


def _parse_initial_roles(text: str) -> dict[str, frozenset[str]]:
    """``"<aadObjectId>:presidium,ordförande;<id>:sekreterare"`` -> {id: roles}."""
    roles: dict[str, frozenset[str]] = {}
    for entry in filter(None, (e.strip() for e in text.split(";"))):
        ident, _, names = entry.partition(":")
        wanted = frozenset(n.strip().lower() for n in names.split(",") if n.strip())
        unknown = wanted - set(ROLE_NAMES)
        if not ident.strip() or not wanted or unknown:
            raise ConfigError(
                f"SKIS_INITIAL_ROLES entry {entry!r} must look like '<aadObjectId>:presidium,ordförande' "
                f"with roles among {', '.join(ROLE_NAMES)}"
            )
        roles[ident.strip()] = wanted
    return roles
