"""Fetching a file a person attached to a 1:1 message in Teams.

Teams puts such a file in the sender's OneDrive and gives the bot a short-lived, pre-signed
``downloadUrl`` (attachment type ``application/vnd.microsoft.teams.file.download.info``). The
address comes from the activity, so it is checked before anything is fetched: HTTPS on a
SharePoint/OneDrive host, or the host of the activity's own Bot Connector (``serviceUrl``, which
the adapter has already checked against its allowlist; in tests the fake connector's host).
Nothing else is fetched, redirects are not followed, and a file larger than ``MAX_BYTES`` is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import aiohttp

FILE_DOWNLOAD_INFO = "application/vnd.microsoft.teams.file.download.info"
MAX_BYTES = 10 * 1024 * 1024
TIMEOUT = aiohttp.ClientTimeout(total=30)
_FILE_HOSTS = (".sharepoint.com", ".sharepoint.us", ".sharepoint.de", ".sharepoint.cn")


class DownloadError(Exception):
    """The file cannot be fetched; ``kind`` is "host", "size" or "failed"."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


@dataclass(frozen=True)
class AttachedFile:
    name: str
    url: str


def attached_file(attachments: list[Any] | None) -> AttachedFile | None:
    """The first file attached to the message (Teams' download info), if any."""
    for attachment in attachments or ():
        content_type = getattr(attachment, "content_type", None)
        content = getattr(attachment, "content", None)
        if content_type != FILE_DOWNLOAD_INFO or not isinstance(content, dict):
            continue
        url = content.get("downloadUrl")
        name = getattr(attachment, "name", None) or "fil"
        if isinstance(url, str) and url:
            return AttachedFile(name=str(name)[:200], url=url)
    return None


def allowed(url: str, service_url: str | None) -> bool:
    """True for a OneDrive/SharePoint HTTPS address or one on the Bot Connector's own host."""
    try:
        parts = urlsplit(url)
        connector = urlsplit(service_url or "")
    except ValueError:
        return False
    host = (parts.hostname or "").lower()
    if not host or parts.username or parts.password:
        return False
    if parts.scheme == "https" and host.endswith(_FILE_HOSTS):
        return True
    return bool(connector.hostname) and host == (connector.hostname or "").lower() and parts.scheme == connector.scheme


async def download(url: str, service_url: str | None) -> bytes:
    """The file's bytes; raises DownloadError."""
    if not allowed(url, service_url):
        raise DownloadError("host")
    try:
        async with aiohttp.ClientSession(timeout=TIMEOUT) as session:
            async with session.get(url, allow_redirects=False) as resp:
                if resp.status != 200:
                    raise DownloadError("failed")
                if (resp.content_length or 0) > MAX_BYTES:
                    raise DownloadError("size")
                data = await resp.content.read(MAX_BYTES + 1)
    except (aiohttp.ClientError, TimeoutError) as exc:
        raise DownloadError("failed") from exc
    if len(data) > MAX_BYTES:
        raise DownloadError("size")
    return data
