"""Durable file primitives: atomic replace, durable mkdir, stale temp cleanup, data-dir lock, snapshot lock.

Everything here raises plain OSError; the engine turns it into StorageError with context.
Temp files are named ``.<target>.<random>.tmp`` next to their target so a rename never
crosses a filesystem, and so a crash leaves only names that ``remove_stale_temps`` knows.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import secrets
import threading
from collections.abc import Iterator
from pathlib import Path

from storage.engine import DataDirLockedError

TEMP_SUFFIX = ".tmp"
LOCK_NAME = ".lock"
SNAPSHOT_LOCK_NAME = ".snapshot-lock"


def temp_name_for(target: Path, tag: str = "") -> Path:
    """A fresh temp path beside ``target`` that ``is_temp_file`` recognises."""
    return target.with_name(f".{target.name}.{tag}{secrets.token_hex(6)}{TEMP_SUFFIX}")


def is_temp_file(name: str) -> bool:
    """True for names this module creates as temporaries (never for data files or the lock)."""
    return name.startswith(".") and name.endswith(TEMP_SUFFIX)


def fsync_dir(directory: Path) -> None:
    """Make renames and creations inside ``directory`` durable."""
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def make_dirs_durable(directory: Path, root: Path) -> None:
    """Create ``directory`` (inside existing ``root``) and fsync each new entry's parent."""
    rel = directory.relative_to(root)
    current = root
    for part in rel.parts:
        child = current / part
        if not child.is_dir():
            try:
                os.mkdir(child)
            except FileExistsError:
                pass
            # The new entry only survives a crash once its parent directory is on disk.
            fsync_dir(current)
        current = child


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _unlink_quietly(path: Path) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def atomic_write(path: Path, data: bytes, *, root: Path) -> None:
    """Replace ``path`` with ``data`` atomically and durably, or raise OSError leaving it as it was.

    Sequence: temp file in the same directory, write, fsync, rename over the target, fsync the
    directory. If the directory fsync fails after the rename, the old file is put back (from a
    hard link taken just before the rename) so "failed" really means "unchanged".
    """
    directory = path.parent
    make_dirs_durable(directory, root)
    tmp = temp_name_for(path)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    backup: Path | None = None
    try:
        try:
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        backup = _link_backup(path)
        os.replace(tmp, path)
    except BaseException:
        _unlink_quietly(tmp)
        if backup is not None:
            _unlink_quietly(backup)
        raise
    try:
        fsync_dir(directory)
    except BaseException:
        _roll_back(path, backup)
        raise
    if backup is not None:
        _unlink_quietly(backup)


def _link_backup(path: Path) -> Path | None:
    backup = temp_name_for(path, "old.")
    try:
        os.link(path, backup)
    except FileNotFoundError:
        return None  # first write of this file: rolling back means removing it
    except OSError:
        # No hard links on this filesystem; a failed directory fsync then cannot be undone.
        return None
    return backup


def _roll_back(path: Path, backup: Path | None) -> None:
    with contextlib.suppress(OSError):
        if backup is not None:
            os.replace(backup, path)
        else:
            os.unlink(path)


def remove_stale_temps(root: Path) -> list[Path]:
    """Delete temp files a crash left under ``root``; returns what was removed."""
    removed: list[Path] = []
    for dirpath, _dirnames, filenames in os.walk(root):
        for name in filenames:
            if is_temp_file(name):
                path = Path(dirpath, name)
                _unlink_quietly(path)
                removed.append(path)
    return removed


class DirLock:
    """An exclusive, non-blocking flock on ``<directory>/.lock``, held until ``release``.

    flock locks belong to the open file, so the kernel drops them when the process dies:
    a crash never leaves a stale lock behind.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.path = directory / LOCK_NAME
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock or raise DataDirLockedError naming the directory (and holder pid)."""
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_pid(fd)
            os.close(fd)
            who = f" (pid {holder})" if holder else ""
            raise DataDirLockedError(
                f"another skis-bot process is already using {self.directory}{who}; "
                "stop it first, or use a read-only command"
            ) from None
        except BaseException:
            os.close(fd)
            raise
        # The pid is only a hint for the error message above; the flock is what counts.
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd

    def release(self) -> None:
        """Drop the lock; safe to call twice."""
        fd, self._fd = self._fd, None
        if fd is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    @property
    def held(self) -> bool:
        return self._fd is not None


def _read_pid(fd: int) -> str:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return ""
    return text if text.isdigit() else ""


class SnapshotLock:
    """``<directory>/.snapshot-lock``: every commit holds it shared, a backup holds it exclusively.

    A backup reads the files one by one while the service goes on writing; without this, it could
    read a team file before a decision's number was counted and the meeting file after the
    decision was written, a state the service was never in. With it, the files a backup reads
    are all as they were at one instant. A backup holds it only while reading (milliseconds for
    a normal data directory); a commit waits that long at most. Shared holds are counted per
    process, because flock belongs to the open file and one unlock would end every thread's hold.
    """

    def __init__(self, directory: Path) -> None:
        self.path = directory / SNAPSHOT_LOCK_NAME
        self._fd: int | None = None
        self._holders = 0
        self._mutex = threading.Lock()

    def prepare(self) -> None:
        """Create the lock file now (the service does at start), so a backup run by an account
        that may not create files in the data directory can still take it."""
        with self._mutex:
            self._open()

    def _open(self) -> int:
        if self._fd is None:
            # Read-only is enough for flock, so a backup run by another account can take it.
            self._fd = os.open(self.path, os.O_RDONLY | os.O_CREAT, 0o644)
        return self._fd

    def acquire_shared(self) -> None:
        """Hold it shared (a commit); waits while a backup reads."""
        with self._mutex:
            if self._holders == 0:
                fcntl.flock(self._open(), fcntl.LOCK_SH)
            self._holders += 1

    def release_shared(self) -> None:
        with self._mutex:
            self._holders -= 1
            if self._holders == 0 and self._fd is not None:
                fcntl.flock(self._fd, fcntl.LOCK_UN)

    @contextlib.contextmanager
    def shared(self) -> Iterator[None]:
        self.acquire_shared()
        try:
            yield
        finally:
            self.release_shared()

    def acquire_exclusive(self) -> None:
        """Hold it exclusively (a backup reading); waits for commits in progress to finish."""
        fcntl.flock(self._open(), fcntl.LOCK_EX)

    def release(self) -> None:
        """Drop every hold and close the file; safe to call twice."""
        with self._mutex:
            fd, self._fd = self._fd, None
            self._holders = 0
        if fd is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
