"""Engine kits: open/reopen an engine and break its next commit, the same way for every engine."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from storage.engine import Engine, MemoryEngine
from storage.tinydb_engine import TinyDBEngine

FAILURES = ["write", "fsync", "replace", "dirfsync"]


def enospc(*_args: object, **_kwargs: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


class MemoryKit:
    kind = "memory"

    def __init__(self) -> None:
        self.engine = MemoryEngine()

    def open(self) -> Engine:
        return self.engine

    def reopen(self, engine: Engine) -> Engine:
        return engine  # process memory is its only "disk"

    def break_commits(self, monkeypatch: pytest.MonkeyPatch, how: str) -> None:
        monkeypatch.setattr(self.engine, "fail_writes", True)

    def close(self) -> None:
        pass


class TinyDBKit:
    kind = "tinydb"

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.engines: list[TinyDBEngine] = []

    def open(self) -> Engine:
        engine = TinyDBEngine(self.data_dir)
        self.engines.append(engine)
        return engine

    def reopen(self, engine: Engine) -> Engine:
        engine.close()
        return self.open()

    def break_commits(self, monkeypatch: pytest.MonkeyPatch, how: str) -> None:
        break_disk(monkeypatch, how)

    def close(self) -> None:
        for engine in self.engines:
            engine.close()


def break_disk(monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    """Make the next file writes fail with ENOSPC at one step of the atomic write."""
    if how == "write":
        monkeypatch.setattr(os, "write", enospc)
    elif how == "fsync":
        monkeypatch.setattr(os, "fsync", enospc)
    elif how == "replace":
        monkeypatch.setattr(os, "replace", enospc)
    elif how == "dirfsync":
        real_fsync = os.fsync

        def fsync(fd: int) -> None:
            if stat.S_ISDIR(os.fstat(fd).st_mode):
                raise OSError(errno.EIO, "Input/output error")
            real_fsync(fd)

        monkeypatch.setattr(os, "fsync", fsync)
    else:
        raise ValueError(how)


@pytest.fixture(params=["memory", "tinydb"])
def kit(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[MemoryKit | TinyDBKit]:
    k: MemoryKit | TinyDBKit = MemoryKit() if request.param == "memory" else TinyDBKit(tmp_path / "data")
    try:
        yield k
    finally:
        k.close()
