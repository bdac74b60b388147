"""The Teams edge: what a caller can get wrong at the HTTP level is a 4xx with one log line."""

from __future__ import annotations

import gzip
import json
import logging
import zlib

import pytest

from tests.bot.test_auth_tokens import secured  # noqa: F401 - the fixture
from tests.fakes.openid import OpenIdServer
from tests.harness import ANNA, Harness

# --- A body that is not what its Content-Encoding says (issue 18, point 9) -------------------


async def _post_encoded(h: Harness, raw: bytes, encoding: str) -> tuple[int, bytes]:
    headers = {"Content-Type": "application/json", "Content-Encoding": encoding}
    async with h.session.post(f"{h.base_url}/api/messages", data=raw, headers=headers) as resp:
        return resp.status, await resp.read()


def _problems(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.WARNING]


@pytest.mark.parametrize("encoding", ["deflate", "gzip", "br"])
@pytest.mark.parametrize("body", ["plain_json", "garbage", "truncated"])
async def test_a_body_that_cannot_be_decoded_is_400_with_one_log_line(
    harness: Harness, caplog: pytest.LogCaptureFixture, encoding: str, body: str
) -> None:
    plain = json.dumps(harness.message("hjälp", ANNA)).encode()
    raw = {"plain_json": plain, "garbage": b"\x00\xff" * 40, "truncated": gzip.compress(plain)[:20]}[body]
    caplog.set_level(logging.DEBUG)
    status, _ = await _post_encoded(harness, raw, encoding)
    assert status == 400
    problems = _problems(caplog)
    # A truncated stream may decode to a prefix without error; that is then just not JSON.
    assert len(problems) == 1 if body != "truncated" else len(problems) <= 1, [r.getMessage() for r in problems]
    for record in problems:
        assert record.levelno == logging.WARNING and not record.exc_info
        assert "\n" not in record.getMessage()
    assert harness.connector.posted == [] and harness.store.engine.partition_names() == []


@pytest.mark.parametrize("encoding", ["deflate", "gzip"])
async def test_a_properly_compressed_body_is_answered(harness: Harness, encoding: str) -> None:
    plain = json.dumps(harness.message("hjälp", ANNA)).encode()
    raw = gzip.compress(plain) if encoding == "gzip" else zlib.compress(plain)
    status, _ = await _post_encoded(harness, raw, encoding)
    assert status == 200
    assert len(harness.connector.cards()) == 1


async def test_an_undecodable_body_is_400_before_any_token_check(secured: tuple[Harness, OpenIdServer]) -> None:  # noqa: F811
    h, _openid = secured
    status, _ = await _post_encoded(h, json.dumps(h.message("hjälp", ANNA)).encode(), "deflate")
    assert status == 400  # not 401: the body is refused before the (missing) token is looked at
