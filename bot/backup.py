"""``skis-bot backup`` and ``skis-bot restore``: the data directory as one verified file.

A backup is a gzip'd tar archive of every data file (``global.json``, ``teams/...``,
``botstate/...``) plus ``manifest.json`` listing each file's size, sha256 and partition name.

- ``backup --out FILE`` runs next to a live service: it takes no lock and reads each file once
  (the engine only ever renames complete files into place, so every file read is a consistent
  partition). Every file is checked to be an intact partition before it goes in; the archive
  is written to a temp file, fsync'd, read back and checked against the manifest, and only
  then renamed to FILE. A damaged data file stops the backup with its name.
- ``restore FILE [--force]`` checks the whole archive (manifest, sizes, checksums, safe paths,
  every file an intact partition in its right place) before touching anything, then takes the
  data directory's lock (so it refuses while the service runs), refuses a directory that
  already holds data unless ``--force``, and swaps the files in. With ``--force`` the data that
  was there is kept in ``.before-restore-<time>/`` inside the data directory.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import logging
import os
import secrets
import shutil
import sys
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from bot import __version__
from storage.engine import DataDirLockedError
from storage.files import DirLock, fsync_dir

log = logging.getLogger(__name__)

FORMAT = "skis-bot-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATA_PREFIX = "data/"
BEFORE_RESTORE = ".before-restore-"
_STAGING = ".restore-"
# A backup is refused when it claims more than this (a damaged or hostile archive).
MAX_TOTAL_BYTES = 4 * 1024**3


class BackupError(Exception):
    """The backup or restore could not be done; the message says why and what to do."""


@dataclass(frozen=True)
class FileEntry:
    path: str  # relative to the data directory, POSIX separators
    size: int
    sha256: str
    partition: str


# Reading the data directory -----------------------------------------------------------------


def data_files(data_dir: Path) -> Iterator[Path]:
    """Every data file under ``data_dir`` (what the engine reads): no hidden files or folders."""
    for dirpath, dirnames, filenames in os.walk(data_dir):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.endswith(".json") and not name.startswith("."):
                yield Path(dirpath, name)


def holds_data(data_dir: Path) -> bool:
    """True when ``data_dir`` has anything besides the lock file and hidden leftovers."""
    if not data_dir.is_dir():
        return False
    return any(not entry.name.startswith(".") for entry in data_dir.iterdir())


def check_partition_bytes(rel: str, raw: bytes) -> str:
    """The partition name stored in ``raw``; BackupError if it is not an intact partition file for ``rel``."""
    from storage.tinydb_engine import partition_relpath

    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, ValueError):
        raise BackupError(f"{rel} is not valid JSON (damaged or truncated)") from None
    if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
        raise BackupError(f"{rel} is not shaped like a data file")
    if not all(isinstance(doc, dict) for table in data.values() for doc in table.values()):
        raise BackupError(f"{rel} holds a document that is not a JSON object")
    name = ((data.get("_meta") or {}).get("partition") or {}).get("name")
    if not isinstance(name, str) or not name:
        raise BackupError(f"{rel} does not say which partition it holds")
    if str(partition_relpath(name)) != rel:
        raise BackupError(f"{rel} holds partition {name!r}, which belongs in {partition_relpath(name)}")
    return name


# Backup -----------------------------------------------------------------------------------------


def write_backup(data_dir: Path, out: Path, *, now: datetime | None = None) -> dict[str, Any]:
    """Write a verified backup of ``data_dir`` to ``out``; returns the manifest."""
    from storage.open import StoreOpenError, open_store

    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise BackupError(f"the data directory {data_dir} does not exist")
    try:
        # Read-only: no lock, so the service keeps running; refuses a damaged global.json.
        store, _bot_storage = open_store(data_dir, read_only=True)
    except StoreOpenError as exc:
        raise BackupError(str(exc)) from exc
    store.close()

    out = Path(out)
    if out.resolve().is_relative_to(data_dir.resolve()):
        raise BackupError("write the backup outside the data directory")
    if not out.parent.is_dir():
        raise BackupError(f"the folder {out.parent} does not exist")
    tmp = out.with_name(f".{out.name}.{secrets.token_hex(6)}.tmp")
    entries: list[FileEntry] = []
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as raw_out:
            with tarfile.open(fileobj=raw_out, mode="w:gz", format=tarfile.PAX_FORMAT) as tar:
                for path in data_files(data_dir):
                    rel = path.relative_to(data_dir).as_posix()
                    content = path.read_bytes()  # one read: the bytes checked are the bytes stored
                    name = check_partition_bytes(rel, content)
                    entries.append(FileEntry(rel, len(content), hashlib.sha256(content).hexdigest(), name))
                    _add(tar, DATA_PREFIX + rel, content)
                manifest = _manifest(entries, now or datetime.now(UTC))
                _add(tar, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8"))
            raw_out.flush()
            os.fsync(raw_out.fileno())
        verified = read_backup(tmp)
        if verified.manifest != manifest:
            raise BackupError("the backup read back differs from what was written")
        os.replace(tmp, out)
        fsync_dir(out.parent)
    except BackupError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise BackupError(f"could not write {out}: {exc}") from exc
    return manifest


def _add(tar: tarfile.TarFile, name: str, content: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(content)
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(content))


def _manifest(entries: list[FileEntry], now: datetime) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": now.astimezone(UTC).isoformat(),
        "skis_bot_version": __version__,
        "files": [
            {"path": e.path, "bytes": e.size, "sha256": e.sha256, "partition": e.partition} for e in entries
        ],
    }


# Reading and checking a backup -----------------------------------------------------------------


@dataclass(frozen=True)
class Backup:
    manifest: dict[str, Any]
    files: dict[str, bytes]  # relative path -> content, every checksum verified


def read_backup(path: Path) -> Backup:
    """Read and fully verify a backup file; BackupError says what is wrong with it."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise BackupError(f"cannot read {path}: {exc}") from exc
    if size == 0:
        raise BackupError(f"{path} is empty")
    contents: dict[str, bytes] = {}
    manifest_raw: bytes | None = None
    total = 0
    try:
        with tarfile.open(path, mode="r:gz") as tar:
            for member in tar:
                if not member.isfile():
                    raise BackupError(f"{path} contains {member.name!r}, which is not a plain file")
                total += member.size
                if total > MAX_TOTAL_BYTES:
                    raise BackupError(f"{path} is larger than any backup this bot writes")
                extracted = tar.extractfile(member)
                data = extracted.read() if extracted is not None else b""
                if member.name == MANIFEST:
                    manifest_raw = data
                elif member.name.startswith(DATA_PREFIX):
                    rel = _safe_relpath(member.name[len(DATA_PREFIX):])
                    if rel in contents:
                        raise BackupError(f"{path} contains {rel} twice")
                    contents[rel] = data
                else:
                    raise BackupError(f"{path} contains {member.name!r}, which is not part of a backup")
    except (tarfile.TarError, EOFError, OSError, ValueError) as exc:
        # gzip/tar raise many kinds of errors on a damaged or truncated file
        raise BackupError(f"{path} is not a readable skis-bot backup (damaged or truncated?): {exc}") from exc
    if manifest_raw is None:
        raise BackupError(f"{path} has no manifest; it is not a skis-bot backup")
    try:
        manifest = json.loads(manifest_raw)
    except ValueError:
        raise BackupError(f"the manifest in {path} is damaged") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not a skis-bot backup")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"{path} has backup format {manifest.get('format_version')!r}; this version reads {FORMAT_VERSION}")
    listed = manifest.get("files")
    if not isinstance(listed, list):
        raise BackupError(f"the manifest in {path} lists no files")
    seen: set[str] = set()
    for entry in listed:
        rel = _safe_relpath(str(entry.get("path", ""))) if isinstance(entry, dict) else ""
        if not rel or rel in seen:
            raise BackupError(f"the manifest in {path} has a bad or repeated entry")
        seen.add(rel)
        content = contents.get(rel)
        if content is None:
            raise BackupError(f"{path} is missing {rel}")
        if len(content) != entry.get("bytes") or hashlib.sha256(content).hexdigest() != entry.get("sha256"):
            raise BackupError(f"{rel} in {path} does not match its checksum: the backup is damaged")
        if check_partition_bytes(rel, content) != entry.get("partition"):
            raise BackupError(f"{rel} in {path} holds another partition than the manifest says")
    extra = set(contents) - seen
    if extra:
        raise BackupError(f"{path} contains files its manifest does not list: {', '.join(sorted(extra))}")
    if "global.json" not in contents and contents:
        raise BackupError(f"{path} has no global.json")
    return Backup(manifest, contents)


def _safe_relpath(name: str) -> str:
    posix = PurePosixPath(name)
    if not name or posix.is_absolute() or any(p in ("", ".", "..") or p.startswith(".") for p in posix.parts):
        raise BackupError(f"unsafe path {name!r} in the backup")
    if "\\" in name or "\x00" in name:
        raise BackupError(f"unsafe path {name!r} in the backup")
    return posix.as_posix()


# Restore ----------------------------------------------------------------------------------------


def restore_backup(backup_file: Path, data_dir: Path, *, force: bool = False, now: datetime | None = None) -> Path | None:
    """Put a verified backup into ``data_dir``; returns where the replaced data was kept (or None)."""
    backup = read_backup(backup_file)  # everything checked before anything is touched
    data_dir = Path(data_dir)
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(f"cannot create the data directory {data_dir}: {exc}") from exc
    lock = DirLock(data_dir)
    try:
        lock.acquire()
    except DataDirLockedError as exc:
        raise BackupError(f"{exc}. Stop the service before restoring.") from None
    try:
        if holds_data(data_dir) and not force:
            raise BackupError(
                f"{data_dir} already holds data; nothing was changed. "
                "Add --force to replace it (the current data is kept in a .before-restore folder)."
            )
        stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
        staging = data_dir / f"{_STAGING}{secrets.token_hex(4)}"
        try:
            _write_tree(staging, backup.files)
        except OSError as exc:
            shutil.rmtree(staging, ignore_errors=True)
            raise BackupError(f"could not write the restored files into {data_dir} ({exc}); nothing was changed") from exc
        kept: Path | None = None
        try:
            current = [e for e in data_dir.iterdir() if not e.name.startswith(".")]
            if current:
                kept = data_dir / f"{BEFORE_RESTORE}{stamp}-{secrets.token_hex(2)}"
                kept.mkdir()
                for entry in current:
                    os.rename(entry, kept / entry.name)
            # global.json last: the directory only looks like a data directory once all is in.
            for entry in sorted(staging.iterdir(), key=lambda p: p.name == "global.json"):
                os.rename(entry, data_dir / entry.name)
            fsync_dir(data_dir)
            staging.rmdir()
            if kept is not None:
                fsync_dir(kept)
        except OSError as exc:
            where = f" The data that was there is in {kept}." if kept is not None else ""
            raise BackupError(
                f"the restore into {data_dir} stopped halfway ({exc}).{where} "
                f"The restored files are in {staging}. Run the restore again with --force."
            ) from exc
    finally:
        lock.release()
    _verify_restored(data_dir, backup)
    return kept


def _write_tree(root: Path, files: dict[str, bytes]) -> None:
    root.mkdir()
    dirs = {root}
    for rel, content in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        dirs.update(p for p in target.parents if p.is_relative_to(root))
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(content)
            f.flush()
            os.fsync(f.fileno())
    for directory in sorted(dirs, key=lambda p: -len(p.parts)):
        fsync_dir(directory)


def _verify_restored(data_dir: Path, backup: Backup) -> None:
    on_disk = {p.relative_to(data_dir).as_posix(): p.read_bytes() for p in data_files(data_dir)}
    if on_disk != backup.files:
        raise BackupError(f"after the restore, {data_dir} does not match the backup; restore again with --force")


# Command line -----------------------------------------------------------------------------------


def _data_dir(args: argparse.Namespace) -> Path:
    if args.data_dir:
        return Path(args.data_dir)
    from bot.cli import load_settings

    return load_settings().data_dir


def cmd_backup(args: argparse.Namespace) -> int:
    """Write a verified backup of the data directory (safe while the service runs)."""
    data_dir = _data_dir(args)
    try:
        manifest = write_backup(data_dir, Path(args.out))
    except BackupError as exc:
        sys.stderr.write(f"skis-bot backup: {exc}\n")
        return 1
    total = sum(f["bytes"] for f in manifest["files"])
    sys.stdout.write(f"Backup written to {args.out}: {len(manifest['files'])} files, {total} bytes, verified.\n")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    """Restore a backup into the data directory (the service must be stopped)."""
    data_dir = _data_dir(args)
    try:
        kept = restore_backup(Path(args.file), data_dir, force=args.force)
    except BackupError as exc:
        sys.stderr.write(f"skis-bot restore: {exc}\n")
        return 1
    sys.stdout.write(f"Restored {args.file} into {data_dir}.\n")
    if kept is not None:
        sys.stdout.write(f"The data that was there is kept in {kept}; delete it when all is well.\n")
    return 0


def register_cli(subparsers: Any) -> None:
    """Add ``backup`` and ``restore`` to the ``skis-bot`` command."""
    backup = subparsers.add_parser("backup", help="write a verified backup of the data directory (service may run)")
    backup.add_argument("--out", required=True, help="the backup file to write")
    backup.add_argument("--data-dir", help="data directory (default $SKIS_DATA_DIR)")
    backup.set_defaults(func=cmd_backup)
    restore = subparsers.add_parser("restore", help="restore a backup into the data directory (stop the service first)")
    restore.add_argument("file", help="a file written by skis-bot backup")
    restore.add_argument("--force", action="store_true", help="replace data that is already there (it is kept aside)")
    restore.add_argument("--data-dir", help="data directory (default $SKIS_DATA_DIR)")
    restore.set_defaults(func=cmd_restore)

