"""``SKIS_DATABASE_URL``: checked once, the same way for the service and every operator command."""

from __future__ import annotations

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

ENV = "SKIS_DATABASE_URL"
# libpq waits for an unreachable host as long as the OS does (minutes); the service and an
# operator command should say so after a short while instead.
CONNECT_TIMEOUT_SECONDS = 10


class DatabaseUrlError(ValueError):
    """SKIS_DATABASE_URL is not a libpq URL; the message says what to set (never the password)."""


def normalize_url(url: str) -> str:
    """The libpq connection string for ``url`` (with a connect timeout unless it sets one)."""
    url = url.strip()
    if not url:
        raise DatabaseUrlError(f"{ENV} is not set; set it to postgresql://user:password@host:5432/dbname")
    if not url.startswith(("postgresql://", "postgres://")):
        raise DatabaseUrlError(f"{ENV} must be a libpq URL like postgresql://user:password@host:5432/dbname")
    try:
        params = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        # libpq's own message may quote the whole URL, password included: it is not repeated.
        raise DatabaseUrlError(
            f"{ENV} is not a valid libpq URL (check its ?parameters, and percent-encode any of @:/?#[] "
            "or spaces in the user name and password)"
        ) from None
    if "connect_timeout" in params:
        return url
    return make_conninfo(url, connect_timeout=CONNECT_TIMEOUT_SECONDS)


def describe(url: str) -> str:
    """``user@host:port/db`` for messages: enough to tell which database, without the password."""
    try:
        params = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "the database"
    user = str(params.get("user") or "")
    host = params.get("host") or params.get("hostaddr") or "localhost"
    port = str(params.get("port") or "5432")
    name = params.get("dbname") or user
    return f"{user + '@' if user else ''}{host}:{port}/{name}"
