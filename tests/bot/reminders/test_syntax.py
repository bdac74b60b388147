"""`påminnelser …` as a table."""

from __future__ import annotations

from datetime import time

import pytest

from bot.reminders.syntax import Change, Problem, parse
from storage.reminders_repo import ACTIONS, DIGEST, MEETING_DAY, MEETING_WEEK, MINUTES


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", None),
        ("  ", None),
        ("kallelse", None),
        ("av", Change(None, enabled=False)),
        ("på", Change(None, enabled=True)),
        ("PÅ!", Change(None, enabled=True)),
        ("stäng av", Change(None, enabled=False)),
        ("slå på", Change(None, enabled=True)),
        ("presidiet av", Change(DIGEST, enabled=False)),
        ("Uppgifter på", Change(ACTIONS, enabled=True)),
        ("kallelse 7 dagar före kl 9", Change(MEETING_WEEK, days=7, at=time(9))),
        ("kallelse 6 dagar innan klockan 10.30", Change(MEETING_WEEK, days=6, at=time(10, 30))),
        ("kallelsen två veckor före", Change(MEETING_WEEK, days=14)),
        ("kallelse en vecka före kl. 8", Change(MEETING_WEEK, days=7, at=time(8))),
        ("kanal dagen före kl 9", Change(MEETING_DAY, days=1, at=time(9))),
        ("kanal 1 dag före mötet kl 13:15", Change(MEETING_DAY, days=1, at=time(13, 15))),
        ("kanalen samma dag kl 7", Change(MEETING_DAY, days=0, at=time(7))),
        ("presidiet kl 7.30", Change(DIGEST, at=time(7, 30))),
        ("presidiet 8.15", Change(DIGEST, at=time(8, 15))),
        ("sammanfattning 4 dagar", Change(DIGEST, days=4)),
        ("uppgifter 2 dagar före kl 9", Change(ACTIONS, days=2, at=time(9))),
        ("protokoll 3 dagar efter kl 9", Change(MINUTES, days=3, at=time(9))),
        ("protokoll 5 dagar", Change(MINUTES, days=5)),
    ],
)
def test_understood(text: str, expected: Change | None) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("7 dagar före kl 9", "reminders.ask_which"),
        ("kl 9", "reminders.ask_which"),
        ("kallelse 7 dagar efter", "reminders.only_before"),
        ("protokoll 2 dagar före", "reminders.only_after"),
        ("kallelse 40 dagar före", "reminders.bad_days"),
        ("kallelse kl 25", "reminders.bad_time"),
        ("kallelse kl nio", "reminders.bad_time"),
        ("kallelse 9-12", "reminders.not_understood"),
        ("kallelse blabla", "reminders.not_understood"),
        ("hej", "reminders.not_understood"),
        ("kallelse 7 dagar före kl 9 varje vecka", "reminders.not_understood"),
    ],
)
def test_problems(text: str, key: str) -> None:
    got = parse(text)
    assert isinstance(got, Problem) and got.key == key, got


def test_ask_which_suggests_the_same_values_with_a_name() -> None:
    got = parse("7 dagar före kl 9")
    assert isinstance(got, Problem) and got.params["example"] == "7 dagar före kl 9"
