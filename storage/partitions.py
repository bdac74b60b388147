"""The names of the partitions the data lives in (see storage/engine.py).

One module for every name, so the repositories (and the privacy sweep, which reads them all)
agree on them without importing one another.
"""

from __future__ import annotations

GLOBAL = "global"


def name_part(text: str) -> str:
    """``text`` as one part of a partition name: "/" separates parts, so it is escaped.

    Without this a team key such as ``<A>/meeting/20261204`` would name team A's meeting, and
    a meeting id could reach into another team. ``%`` and ``/`` become ``%25`` and ``%2F`` (so
    distinct texts stay distinct); the ids Teams uses (``19:…@thread.tacv2``, ``a:…``, ``29:…``)
    contain neither and keep the names existing data directories already hold.
    """
    return text.replace("%", "%25").replace("/", "%2F")


def team_partition(team_key: str) -> str:
    return f"team/{name_part(team_key)}"


def meeting_partition(team_key: str, meeting_id: str) -> str:
    # Both parts escaped (see name_part): no team key or meeting id can name another's partition.
    return f"{team_partition(team_key)}/meeting/{name_part(meeting_id)}"


def reminders_partition(team_key: str) -> str:
    return f"{team_partition(team_key)}/reminders"  # the team key escaped, as in every team partition
