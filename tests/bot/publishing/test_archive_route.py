"""/arkiv/: the archive served read-only by the bot (SKIS_PUBLIC_ARCHIVE=1), never a draft, whatever the path."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from yarl import URL

from bot.config import Settings
from tests.bot.publishing import sample
from tests.harness import Harness, start_harness, stop_harness


@pytest.fixture
async def archive() -> AsyncIterator[Harness]:
    h = await start_harness(settings=Settings(dev=True, public_archive=True))
    await sample.fill(h.store)
    try:
        yield h
    finally:
        await stop_harness(h)


async def _get(h: Harness, raw_path: str, *, method: str = "GET") -> tuple[int, str, dict[str, str]]:
    # encoded=True: the path goes out exactly as written, tricks included.
    url = URL(h.base_url + raw_path, encoded=True)
    async with h.session.request(method, url, allow_redirects=False) as resp:
        body = await resp.read()
        return resp.status, body.decode("utf-8", "replace"), dict(resp.headers)


def test_the_setting_is_read_from_the_environment() -> None:
    assert Settings.from_env({}).public_archive is False
    assert Settings.from_env({"SKIS_PUBLIC_ARCHIVE": "1"}).public_archive is True
    with pytest.raises(ValueError, match="SKIS_PUBLIC_ARCHIVE must be 1 or 0"):
        Settings.from_env({"SKIS_PUBLIC_ARCHIVE": "ja"})


async def test_the_archive_is_served_read_only_with_its_pages_feed_and_word_files(archive: Harness) -> None:
    status, _body, headers = await _get(archive, "/arkiv")
    assert status == 301 and headers["Location"] == "/arkiv/"
    status, body, headers = await _get(archive, "/arkiv/")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert '<a href="2025/20251121/index.html">' in body and "script-src" not in headers["Content-Security-Policy"]
    status, body, _ = await _get(archive, "/arkiv/2025/20251121/")
    assert status == 200 and f"Rättelse (version 2): {sample.REASON}" in body
    status, body, headers = await _get(archive, "/arkiv/feed.xml")
    assert status == 200 and headers["Content-Type"] == "application/atom+xml; charset=utf-8" and "<entry>" in body
    status, _body, headers = await _get(archive, "/arkiv/2026/20260904/minnesanteckningar-20260904-v1.docx")
    assert status == 200 and headers["Content-Disposition"] == 'attachment; filename="minnesanteckningar-20260904-v1.docx"'
    status, _body, _ = await _get(archive, "/arkiv/", method="POST")
    assert status == 405


async def test_a_newly_confirmed_version_is_served_at_once(archive: Harness) -> None:
    assert (await _get(archive, f"/arkiv/2026/{sample.AWAITING}/"))[0] == 404
    await sample.cosign(archive.store)
    status, body, _ = await _get(archive, f"/arkiv/2026/{sample.AWAITING}/")
    assert status == 200 and sample.AWAITING_NOTE in body


@pytest.mark.parametrize(
    "path",
    [
        f"/arkiv/2026/{sample.DRAFT}/index.html",  # a draft
        f"/arkiv/2026/{sample.DRAFT}/version-1.html",
        f"/arkiv/2026/{sample.AWAITING}/index.html",  # awaiting justering
        f"/arkiv/2026/{sample.AWAITING}/minnesanteckningar-{sample.AWAITING}-v1.docx",
        f"/arkiv/2026/../2026/{sample.DRAFT}/index.html",
        f"/arkiv/2026/%2e%2e/2026/{sample.DRAFT}/index.html",
        f"/arkiv/2026%2F{sample.DRAFT}%2Findex.html",
        "/arkiv/../api/messages",
        "/arkiv/%2e%2e/%2e%2e/etc/passwd",
        "/arkiv//etc/passwd",
        "/arkiv/2025/20251121/index.html%00",
        "/arkiv/2025/20251121/index.html/..",
        "/arkiv/.skis-lock",
        "/arkiv/global.json",
    ],
)
async def test_nothing_but_confirmed_minutes_is_reachable(archive: Harness, path: str) -> None:
    status, body, _ = await _get(archive, path)
    assert 400 <= status < 500, (path, status)
    assert sample.DRAFT_NOTE not in body and sample.AWAITING_NOTE not in body


async def test_without_the_setting_there_is_no_archive(harness: Harness) -> None:
    await sample.fill(harness.store)
    status, body, _ = await _get(harness, "/arkiv/")
    assert status == 404 and "Minnesanteckningar" not in body
