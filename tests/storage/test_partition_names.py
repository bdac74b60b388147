"""Partition names: no team key or meeting id can produce another partition's name (issue 18, point 11)."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from storage.meetings_repo import meeting_partition
from storage.privacy_repo import privacy_partition
from storage.reminders_repo import reminders_partition
from storage.teams_repo import team_partition
from storage.tinydb_engine import partition_relpath

# The ids Teams really sends: existing data directories hold exactly these names.
UNCHANGED = [
    ("19:skis-team@thread.tacv2", "20261204"),
    ("19:3b5e1c8a0d2f4e6b9a7c1d2e3f4a5b6c@thread.tacv2", "20261204-2"),
    ("19:meeting_NjQ1YTI3ZGUtYjVmOS00@thread.v2", "20270108"),
    ("a:1Xy-ZqPq_Abc7d8E9fGhIjKlMnOpQrStUvWxYz0123456789", "20261211"),
    ("29:1abcDEF-ghi_JKL", "20261218"),
    ("8:orgid:2c3d4e5f-6a7b-8c9d-0e1f-2a3b4c5d6e7f", "20261225"),
]


@pytest.mark.parametrize(("team", "meeting"), UNCHANGED)
def test_teams_ids_keep_the_names_existing_data_directories_hold(team: str, meeting: str) -> None:
    assert team_partition(team) == f"team/{team}"
    assert meeting_partition(team, meeting) == f"team/{team}/meeting/{meeting}"
    assert meeting_partition(team, "") == f"team/{team}/meeting/"
    assert reminders_partition(team) == f"team/{team}/reminders"
    assert privacy_partition(team) == f"team/{team}/privacy"


def _names(team: str, meeting: str) -> dict[str, str]:
    return {
        "team": team_partition(team),
        "meeting": meeting_partition(team, meeting),
        "reminders": reminders_partition(team),
        "privacy": privacy_partition(team),
    }


def test_a_team_key_with_a_slash_cannot_name_another_teams_meeting() -> None:
    team_a = UNCHANGED[0][0]
    forged = f"{team_a}/meeting/20261204"
    theirs = set(_names(team_a, "20261204").values())
    assert not set(_names(forged, "20261204").values()) & theirs
    assert not set(_names(forged, "x/meeting/y").values()) & theirs
    # Listing A's meetings by prefix finds none of the forged team's partitions.
    assert not any(n.startswith(meeting_partition(team_a, "")) for n in _names(forged, "20261204").values())
    # A meeting id cannot reach into another team either.
    assert meeting_partition(team_a, "../../x") not in theirs
    assert meeting_partition("19:x", "y/meeting/z") != meeting_partition("19:x/meeting/y", "z")


ids = st.one_of(
    st.text(alphabet=st.sampled_from("ab/%:2F5@.meting~_-"), max_size=24),
    st.text(max_size=16),
    st.sampled_from(["meeting", "reminders", "privacy", "%2F", "/", "", "..", "a/meeting/b"]),
)


@settings(max_examples=200, deadline=None)
@given(ids, ids, ids, ids)
@example("19:a", "20261204", "19:a/meeting/20261204", "x")
@example("19:a", "20261204", "19:a/reminders", "x")
@example("19:a", "x/meeting/y", "19:a/meeting/x", "y")
def test_different_keys_never_share_a_name_or_a_file(team1: str, meeting1: str, team2: str, meeting2: str) -> None:
    first, second = _names(team1, meeting1), _names(team2, meeting2)
    for kind1, name1 in first.items():
        for kind2, name2 in second.items():
            same = kind1 == kind2 and team1 == team2 and (kind1 != "meeting" or meeting1 == meeting2)
            assert (name1 == name2) == same, (kind1, name1, kind2, name2)
            if name1 != name2:
                assert partition_relpath(name1) != partition_relpath(name2)
    # Only a team's own meetings are listed under its meeting prefix.
    if team1 != team2:
        assert not any(n.startswith(meeting_partition(team1, "")) for n in second.values())
