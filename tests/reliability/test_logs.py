"""The log never holds a token or what people wrote, even at DEBUG, even when things fail."""

from __future__ import annotations

import logging

import pytest

from bot.cli import setup_logging
from storage.engine import MemoryEngine
from tests.bot.teams.test_auth_tokens import APP_ID, secured  # noqa: F401 - the fixture
from tests.fakes.openid import OpenIdServer
from tests.harness import ANNA, PETER, TEAM_ID, Harness
from tests.reliability.conftest import MEETING_ID, add_meeting

SECRET_WORDS = "Hemligt-ord-7f3a9"


def _everything_logged(caplog: pytest.LogCaptureFixture) -> str:
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    return "\n".join(formatter.format(record) for record in caplog.records)


async def test_tokens_and_message_text_never_reach_the_log(
    secured: tuple[Harness, OpenIdServer], caplog: pytest.LogCaptureFixture  # noqa: F811
) -> None:
    setup_logging(logging.DEBUG)  # the service's own logging set-up, at its most talkative
    caplog.set_level(logging.DEBUG)
    h, openid = secured
    await add_meeting(h)
    url = h.connector.url
    token = openid.token(audience=APP_ID, service_url=url)
    forged = openid.token(audience=APP_ID, service_url=url, key=openid.other_key)
    bearer = {"Authorization": f"Bearer {token}"}

    # Ordinary turns: a record, a dialog answer, something not understood, a card action.
    for text in (f"incheckning {SECRET_WORDS}", "uppgift", f"{SECRET_WORDS} som uppgift", "avbryt", f"blabla {SECRET_WORDS}"):
        assert (await h.post(h.message(text, ANNA), headers=bearer)).status == 200
    assert (await h.post(h.invoke("checkin_answer", {"answer": SECRET_WORDS}, PETER), headers=bearer)).status == 200
    # Refused requests: a forged token, a token in the wrong place.
    assert (await h.post(h.message(SECRET_WORDS, ANNA), headers={"Authorization": f"Bearer {forged}"})).status == 401
    assert (await h.post(h.message(SECRET_WORDS, ANNA), headers={"Authorization": token})).status == 401
    # A turn that fails: the disk is full.
    engine = h.store.engine
    assert isinstance(engine, MemoryEngine)
    engine.fail_writes = True
    assert (await h.post(h.message(f"incheckning {SECRET_WORDS} igen", PETER), headers=bearer)).status == 200
    engine.fail_writes = False

    assert SECRET_WORDS in (await h.store.checkins.get_answer(TEAM_ID, MEETING_ID, ANNA.aad)).answer  # the turns really ran
    logged = _everything_logged(caplog)
    assert logged  # something was logged, so the check below means something
    assert "turn failed" in logged and "refused a request" in logged
    for secret in (token, forged, token.split(".")[2], "secret", SECRET_WORDS, SECRET_WORDS.lower()):
        assert secret not in logged, secret
    assert "Bearer" not in logged
