"""``skis-bot backup`` and ``skis-bot restore``: the data directory as one verified file.

A backup is a gzip'd tar archive of every data file (``global.json``, ``teams/...``,
``botstate/...``) plus ``manifest.json`` listing each file's size, sha256 and partition name,
and, when the operator has set ``SKIS_BACKUP_KEY``, an HMAC-SHA256 of the manifest under that key
(``signature``). The checksums find damage; only the HMAC finds a deliberate change, since whoever
changes a file can recompute its checksum but not the HMAC without the key.

- ``backup --out FILE`` runs next to a live service without its data directory lock. It reads
  every file while holding the snapshot lock exclusively (``storage.files.SnapshotLock``; every
  commit of the service holds it shared), so the files are one state the service was in at one
  instant: a decision is never in the backup without the counter and index entry written before
  it. Every file is checked against the schema (``check_partition_bytes``) before it goes in; the
  archive is written to a temp file, fsync'd, read back and checked against the manifest, and
  only then renamed to FILE. A damaged data file stops the backup with its name.
- ``restore FILE [--force] [--unsigned]`` checks the whole archive before touching anything:
  the HMAC (with a key; without one it warns that it cannot tell a modified backup), sizes from
  the tar headers before reading anything (each file at most ``MAX_FILE_BYTES``, streamed, never
  more than that in memory per file), checksums, safe paths, and every file against the schema:
  an intact partition in its right place, and dialog state only of the shapes and classes
  bot/teams/state.py may build. Then it takes the data directory's lock (so it refuses while
  the service runs), refuses a directory that already holds data unless ``--force``, and swaps
  the files in. With ``--force`` the data that was there is kept in ``.before-restore-<time>/``.
  A backup written by an older version while the service ran may hold a decision whose number
  the team's counter and index do not know; restore adds it there (``_repair_numbering``), so no
  number in the records is ever given out again.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import hmac
import io
import json
import logging
import os
import re
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
from bot.config import load_settings
from bot.ops.command import data_dir_of
from storage.engine import META, DataDirLockedError, StorageError
from storage.files import DirLock, SnapshotLock, fsync_dir
from storage.open import StoreOpenError, open_store
from storage.tinydb_engine import _encode, partition_relpath

log = logging.getLogger(__name__)

FORMAT = "skis-bot-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATA_PREFIX = "data/"
BEFORE_RESTORE = ".before-restore-"
_STAGING = ".restore-"
# A backup is refused when it claims more than this (a damaged or hostile archive); the sizes
# come from the tar headers, before anything is read. Every file is held in memory until the
# restore writes it, so the total is the most a restore uses.
MAX_TOTAL_BYTES = 1024**3
# One partition file; the engine keeps partitions small (a commit rewrites the whole file).
MAX_FILE_BYTES = 64 * 1024**2
MAX_MANIFEST_BYTES = 16 * 1024**2
MAX_MEMBERS = 200_000
SIGNATURE = "signature"
SIGNATURE_ALG = "HMAC-SHA256"
# Key prefixes a table name may have: the engine's own table, and what the repositories use.
_TABLE_NAME = re.compile(r"_meta|[a-z][a-z0-9_]{0,63}")
_BOTSTATE_NAME = re.compile(r"botstate/[0-9a-f]{64}")
_MEETING_NAME = re.compile(r"team/(.+)/meeting/([^/]+)", re.DOTALL)


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
    """The partition name stored in ``raw``; BackupError unless it is an intact partition file for
    ``rel`` that holds only what a data file may hold (the schema)."""
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, ValueError):
        raise BackupError(f"{rel} is not valid JSON (damaged or truncated)") from None
    except RecursionError:
        raise BackupError(f"{rel} is nested deeper than any data file") from None
    if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
        raise BackupError(f"{rel} is not shaped like a data file")
    if not all(isinstance(doc, dict) for table in data.values() for doc in table.values()):
        raise BackupError(f"{rel} holds a document that is not a JSON object")
    name = ((data.get("_meta") or {}).get("partition") or {}).get("name")
    if not isinstance(name, str) or not name:
        raise BackupError(f"{rel} does not say which partition it holds")
    if str(partition_relpath(name)) != rel:
        raise BackupError(f"{rel} holds partition {name!r}, which belongs in {partition_relpath(name)}")
    _check_schema(rel, name, data)
    return name


def _check_schema(rel: str, name: str, data: dict[str, dict[str, Any]]) -> None:
    """What a data file may contain, beyond being JSON objects in tables (see check_partition_bytes)."""
    # Start-up economy: the dialog state checks load botbuilder, which every skis-bot command would pay for.
    from bot.teams.state import StateFormatError, bot_state_partition, check_stored_document

    if data["_meta"] != {"partition": {"name": name}}:
        raise BackupError(f"{rel}: its _meta table holds more than the partition name")
    bad_tables = sorted(t for t in data if not _TABLE_NAME.fullmatch(t))
    if bad_tables:
        raise BackupError(f"{rel} has tables no data file has: {', '.join(repr(t[:40]) for t in bad_tables)}")
    if name == "global" or name.startswith("team/"):
        return
    if not _BOTSTATE_NAME.fullmatch(name):
        raise BackupError(f"{rel} holds partition {name[:80]!r}, which no data file of this bot holds")
    # Dialog state: the only data the service turns into objects, so it is checked exactly as
    # the service would read it (bot/teams/state.py), allowlist included.
    if set(data) - {"_meta", "state"} or set(data.get("state", {})) - {"item"}:
        raise BackupError(f"{rel}: a dialog state file holds more than one stored item")
    doc = data.get("state", {}).get("item")
    if doc is None:
        return
    try:
        check_stored_document(doc)
    except StateFormatError as exc:
        raise BackupError(f"{rel} holds dialog state this bot never writes ({str(exc)[:200]})") from None
    if bot_state_partition(doc["key"]) != name:
        raise BackupError(f"{rel}: its dialog state belongs to another file")


# Backup -----------------------------------------------------------------------------------------


def read_snapshot(data_dir: Path) -> dict[str, bytes]:
    """Every data file's bytes as of one instant: read while no commit can run (SnapshotLock)."""
    lock = SnapshotLock(data_dir)
    try:
        lock.acquire_exclusive()
    except OSError as exc:
        raise BackupError(f"cannot take the snapshot lock in {data_dir}: {exc}") from exc
    try:
        # Only reading here: checks and compression happen after the service may write again.
        return {path.relative_to(data_dir).as_posix(): path.read_bytes() for path in data_files(data_dir)}
    finally:
        lock.release()


async def write_backup(data_dir: Path, out: Path, *, now: datetime | None = None, key: bytes | None = None) -> dict[str, Any]:
    """Write a verified backup of ``data_dir`` to ``out`` (signed with ``key`` when given); returns the manifest."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise BackupError(f"the data directory {data_dir} does not exist")
    try:
        # Read-only: no lock, so the service keeps running; refuses a damaged global.json.
        store = open_store(data_dir, read_only=True)
    except StoreOpenError as exc:
        raise BackupError(str(exc)) from exc
    await store.close()

    out = Path(out)
    if out.resolve().is_relative_to(data_dir.resolve()):
        raise BackupError("write the backup outside the data directory")
    return _write_archive(read_snapshot(data_dir), out, now=now, key=key)


async def write_database_backup(url: str, out: Path, *, now: datetime | None = None, key: bytes | None = None) -> dict[str, Any]:
    """Write a verified backup of the PostgreSQL database at ``url`` (instances may run meanwhile).

    The archive is the same as a data directory's: one file per partition, as the TinyDB engine
    stores it, so a backup restores into either engine."""
    from storage.postgres.engine import PostgresEngine  # only for a database: psycopg loads here

    try:
        engine = await PostgresEngine.open(url, max_size=1)
        try:
            partitions = await engine.dump()  # one instant
        finally:
            await engine.close()
    except StorageError as exc:
        raise BackupError(str(exc)) from exc
    files = {str(partition_relpath(name)): _encode({META: {"partition": {"name": name}}, **tables})
             for name, tables in sorted(partitions.items())}
    return _write_archive(files, Path(out), now=now, key=key)


def _write_archive(files: dict[str, bytes], out: Path, *, now: datetime | None, key: bytes | None) -> dict[str, Any]:
    """Check every file, write them and the manifest to ``out`` atomically, read it back."""
    if not out.parent.is_dir():
        raise BackupError(f"the folder {out.parent} does not exist")
    tmp = out.with_name(f".{out.name}.{secrets.token_hex(6)}.tmp")
    entries: list[FileEntry] = []
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as raw_out:
            with tarfile.open(fileobj=raw_out, mode="w:gz", format=tarfile.PAX_FORMAT) as tar:
                for rel, content in files.items():
                    # One read: the bytes checked are the bytes stored.
                    name = check_partition_bytes(rel, content)
                    entries.append(FileEntry(rel, len(content), hashlib.sha256(content).hexdigest(), name))
                    _add(tar, DATA_PREFIX + rel, content)
                manifest = _manifest(entries, now or datetime.now(UTC))
                if key:
                    manifest[SIGNATURE] = _signature(manifest, key)
                _add(tar, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8"))
            raw_out.flush()
            os.fsync(raw_out.fileno())
        verified = read_backup(tmp, key=key)
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


def key_id(key: bytes) -> str:
    """Names a key without revealing it, so restore can say "another key" rather than "modified"."""
    return hashlib.sha256(b"skis-bot backup key id\x00" + key).hexdigest()[:16]


def _signed_bytes(manifest: dict[str, Any]) -> bytes:
    unsigned = {k: v for k, v in manifest.items() if k != SIGNATURE}
    return json.dumps(unsigned, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _signature(manifest: dict[str, Any], key: bytes) -> dict[str, str]:
    # The manifest holds every file's sha256, so signing it signs every file.
    mac = hmac.new(key, _signed_bytes(manifest), hashlib.sha256).hexdigest()
    return {"alg": SIGNATURE_ALG, "key_id": key_id(key), "value": mac}


def check_signature(manifest: dict[str, Any], key: bytes | None, path: Path, *, unsigned_ok: bool = False) -> bool:
    """True when ``manifest`` carries a valid HMAC under ``key``; False when there is no key to check
    with; BackupError when it is modified, signed with another key, or (unless ``unsigned_ok``) unsigned."""
    if not key:
        return False
    signature = manifest.get(SIGNATURE)
    if signature is None:
        if unsigned_ok:
            return False
        raise BackupError(
            f"{path} is not signed (it was written without SKIS_BACKUP_KEY), so there is no telling whether it "
            "was modified; nothing was changed. Add --unsigned to restore it anyway (its contents are still checked)."
        )
    if not isinstance(signature, dict) or signature.get("alg") != SIGNATURE_ALG or not isinstance(signature.get("value"), str):
        raise BackupError(f"the signature of {path} is damaged; nothing was changed")
    expected = hmac.new(key, _signed_bytes(manifest), hashlib.sha256).hexdigest()
    if hmac.compare_digest(expected, signature["value"]):
        return True
    if signature.get("key_id") != key_id(key):
        raise BackupError(f"{path} was signed with another SKIS_BACKUP_KEY than the one set now; nothing was changed")
    raise BackupError(f"{path} was modified after it was written (its signature does not match); nothing was changed")


# Reading and checking a backup -----------------------------------------------------------------


@dataclass(frozen=True)
class Backup:
    manifest: dict[str, Any]
    files: dict[str, bytes]  # relative path -> content, every checksum verified


def read_backup(path: Path, *, key: bytes | None = None, unsigned_ok: bool = False) -> Backup:
    """Read and fully verify a backup file; BackupError says what is wrong with it.

    Sizes are taken from the tar headers and checked before a member is read; members are read
    in bounded chunks (``_read_member``), so a small archive claiming a huge file costs no memory."""
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
    members = 0
    try:
        # Stream mode: members are read in order and never sought back to.
        with tarfile.open(path, mode="r|gz") as tar:
            for member in tar:
                members += 1
                if members > MAX_MEMBERS:
                    raise BackupError(f"{path} holds more files than any backup this bot writes")
                if not member.isfile():
                    raise BackupError(f"{path} contains {member.name!r}, which is not a plain file")
                cap = MAX_MANIFEST_BYTES if member.name == MANIFEST else MAX_FILE_BYTES
                if member.size > cap:
                    raise BackupError(
                        f"{path} contains {member.name[:200]!r} of {member.size} bytes, larger than any file a backup "
                        f"holds (at most {cap} bytes); nothing was read or changed"
                    )
                total += member.size
                if total > MAX_TOTAL_BYTES:
                    raise BackupError(f"{path} is larger than any backup this bot writes (over {MAX_TOTAL_BYTES} bytes)")
                if member.name == MANIFEST:
                    if manifest_raw is not None:
                        raise BackupError(f"{path} contains two manifests")
                    manifest_raw = _read_member(tar, member, path)
                elif member.name.startswith(DATA_PREFIX):
                    rel = _safe_relpath(member.name[len(DATA_PREFIX):])
                    if rel in contents:
                        raise BackupError(f"{path} contains {rel} twice")
                    contents[rel] = _read_member(tar, member, path)
                else:
                    raise BackupError(f"{path} contains {member.name!r}, which is not part of a backup")
    except (tarfile.TarError, EOFError, OSError, ValueError) as exc:
        # gzip/tar raise many kinds of errors on a damaged or truncated file
        raise BackupError(f"{path} is not a readable skis-bot backup (damaged or truncated?): {exc}") from exc
    if manifest_raw is None:
        raise BackupError(f"{path} has no manifest; it is not a skis-bot backup")
    try:
        manifest = json.loads(manifest_raw)
    except (ValueError, RecursionError):
        raise BackupError(f"the manifest in {path} is damaged") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not a skis-bot backup")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"{path} has backup format {manifest.get('format_version')!r}; this version reads {FORMAT_VERSION}")
    listed = manifest.get("files")
    if not isinstance(listed, list):
        raise BackupError(f"the manifest in {path} lists no files")
    check_signature(manifest, key, path, unsigned_ok=unsigned_ok)
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


def _read_member(tar: tarfile.TarFile, member: tarfile.TarInfo, path: Path) -> bytes:
    """The member's bytes, read in chunks and never more than its header said."""
    extracted = tar.extractfile(member)
    if extracted is None:
        return b""
    chunks: list[bytes] = []
    left = member.size
    while left > 0:
        chunk = extracted.read(min(left, 1024 * 1024))
        if not chunk:
            raise BackupError(f"{member.name!r} in {path} is cut short (damaged or truncated)")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _safe_relpath(name: str) -> str:
    posix = PurePosixPath(name)
    if not name or posix.is_absolute() or any(p in ("", ".", "..") or p.startswith(".") for p in posix.parts):
        raise BackupError(f"unsafe path {name!r} in the backup")
    if "\\" in name or "\x00" in name:
        raise BackupError(f"unsafe path {name!r} in the backup")
    return posix.as_posix()


# Restore ----------------------------------------------------------------------------------------


# The advisory lock of the instance that sends reminders: while any instance runs on the
# database, one of them holds it. A restore takes it for its own duration.
RUNNING_LOCK = "reminders"


def restore_backup(backup_file: Path, data_dir: Path, *, force: bool = False, now: datetime | None = None,
                   key: bytes | None = None, unsigned_ok: bool = False) -> Path | None:
    """Put a verified backup into ``data_dir``; returns where the replaced data was kept (or None)."""
    backup = read_backup(backup_file, key=key, unsigned_ok=unsigned_ok)  # everything checked before anything is touched
    backup = Backup(backup.manifest, _repair_numbering(backup.files))
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


async def restore_into_database(backup_file: Path, url: str, *, force: bool = False, now: datetime | None = None,
                                key: bytes | None = None, unsigned_ok: bool = False) -> Path | None:
    """Put a verified backup into the PostgreSQL database at ``url``; returns the backup of what
    was replaced (``--force``), written next to ``backup_file`` first, or None.

    All or nothing, in one transaction: the database afterwards holds either what it held or
    exactly the backup. Refused while an instance runs on the database: a running instance holds
    the reminders' advisory lock (bot/reminders/scheduler.py), and the restore takes it for its
    own duration, so a turn cannot write between the backup of what is replaced and the restore."""
    from storage.postgres.engine import DatabaseNotEmpty, PostgresEngine

    backup = read_backup(backup_file, key=key, unsigned_ok=unsigned_ok)  # everything checked first
    files = _repair_numbering(backup.files)
    partitions: dict[str, dict[str, dict[str, Any]]] = {}
    for raw in files.values():
        data = json.loads(raw)
        name = data.pop(META)["partition"]["name"]
        partitions[name] = {table: docs for table, docs in data.items() if docs}
    kept: Path | None = None
    try:
        engine = await PostgresEngine.open(url, max_size=1)
    except StorageError as exc:
        raise BackupError(str(exc)) from exc
    try:
        if not await engine.lead(RUNNING_LOCK):
            raise BackupError("a skis-bot instance is running on this database; stop every instance, then restore. "
                              "Nothing was changed.")
        if force and await engine.partition_names():
            stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
            # An operator command alone on its loop: blocking file calls stall nothing else.
            kept = Path(backup_file).resolve().with_name(  # noqa: ASYNC240
                f"skis-bot-{BEFORE_RESTORE.strip('.')}{stamp}.tar.gz")
            await write_database_backup(url, kept, now=now, key=key)
        try:
            await engine.load_into_empty(sorted(partitions), partitions.__getitem__, replace=force)
        except DatabaseNotEmpty:
            raise BackupError(
                "the database already holds records; nothing was changed. Add --force to replace them "
                "(a backup of them is written next to the backup file first)."
            ) from None
        restored = await engine.dump()
    except StorageError as exc:
        raise BackupError(f"{exc}; nothing was changed") from exc
    finally:
        await engine.close()
    if restored != partitions:
        raise BackupError("after the restore the database does not match the backup; restore again with --force")
    return kept


def _repair_numbering(files: dict[str, bytes]) -> dict[str, bytes]:
    """``files`` with every decision number found in a meeting also in its team's index and counter.

    Decisions live in meeting files, their numbers in the team file (storage/decisions_repo.py).
    A backup taken file by file while decisions were recorded (before snapshots) can hold a
    decision whose number the team file does not know; the next decision would get it again."""
    found: dict[str, dict[int, str]] = {}  # team key -> number -> meeting id
    for raw in files.values():
        data = json.loads(raw)
        name = data["_meta"]["partition"]["name"]
        if m := _MEETING_NAME.fullmatch(name):
            for doc in data.get("decisions", {}).values():
                if isinstance(doc.get("number"), int):
                    found.setdefault(m[1], {})[doc["number"]] = str(doc.get("meeting_id") or m[2])
    repaired = dict(files)
    for team_key, numbers in found.items():
        rel = str(partition_relpath(f"team/{team_key}"))
        if rel not in files:
            continue
        data = json.loads(files[rel])
        index = data.setdefault("decision_index", {})
        counters = data.setdefault("counters", {})
        changed = False
        for number, meeting_id in sorted(numbers.items()):
            if str(number) not in index:
                index[str(number)] = {"number": number, "meeting_id": meeting_id}
                changed = True
        following = max(numbers) + 1
        if int((counters.get("decisions") or {}).get("next", 1)) < following:
            counters["decisions"] = {"next": following}
            changed = True
        if changed:
            log.warning("restore: decision numbers up to %d in %s were missing from its counter; added", following - 1, rel)
            repaired[rel] = _encode(data)
    return repaired


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


def _data_dir_and_key(args: argparse.Namespace) -> tuple[Path, bytes | None]:
    """Where the data is (``--data-dir`` or ``SKIS_DATA_DIR``) and the backup signing key, if set."""
    settings = load_settings()
    key = settings.backup_key
    return data_dir_of(settings, args), key.encode("utf-8") if key else None


NO_KEY_WARNING = (
    "warning: SKIS_BACKUP_KEY is not set, so {what}. Set it (docs/deploy.md, section 7) "
    "to have backups signed and checked.\n"
)


async def cmd_backup(args: argparse.Namespace) -> int:
    """Write a verified backup of the records (safe while the service runs)."""
    data_dir, key = _data_dir_and_key(args)
    url = load_settings().database_url
    if key is None:
        sys.stderr.write(NO_KEY_WARNING.format(what="this backup is not signed and a restore cannot tell if it is modified"))
    try:
        if url and not args.data_dir:
            manifest = await write_database_backup(url, Path(args.out), key=key)
        else:
            manifest = await write_backup(data_dir, Path(args.out), key=key)
    except BackupError as exc:
        sys.stderr.write(f"skis-bot backup: {exc}\n")
        return 1
    total = sum(f["bytes"] for f in manifest["files"])
    signed = ", signed" if key else ""
    sys.stdout.write(f"Backup written to {args.out}: {len(manifest['files'])} files, {total} bytes{signed}, verified.\n")
    return 0


async def cmd_restore(args: argparse.Namespace) -> int:
    """Restore a backup into the data directory (the service must be stopped) or the database."""
    data_dir, key = _data_dir_and_key(args)
    url = load_settings().database_url
    if key is None:
        sys.stderr.write(NO_KEY_WARNING.format(
            what="restore cannot tell whether this backup was modified (it still checks every file's checksum and contents)"))
    try:
        if url and not args.data_dir:
            from storage.postgres.url import describe

            kept = await restore_into_database(Path(args.file), url, force=args.force, key=key,
                                               unsigned_ok=args.unsigned)
            where = f"the database {describe(url)}"
        else:
            kept = restore_backup(Path(args.file), data_dir, force=args.force, key=key, unsigned_ok=args.unsigned)
            where = str(data_dir)
    except BackupError as exc:
        sys.stderr.write(f"skis-bot restore: {exc}\n")
        return 1
    sys.stdout.write(f"Restored {args.file} into {where}.\n")
    if kept is not None:
        sys.stdout.write(f"The data that was there is kept in {kept}; delete it when all is well.\n")
    return 0


def register_cli(subparsers: Any) -> None:
    """Add ``backup`` and ``restore`` to the ``skis-bot`` command."""
    backup = subparsers.add_parser(
        "backup", help="write a verified backup of the records: the database in $SKIS_DATABASE_URL, else the data "
                       "directory (the service may run)")
    backup.add_argument("--out", required=True, help="the backup file to write")
    backup.add_argument("--data-dir", help="this data directory, also when SKIS_DATABASE_URL is set (default $SKIS_DATA_DIR)")
    backup.set_defaults(func=cmd_backup)
    restore = subparsers.add_parser(
        "restore", help="restore a backup into the database in $SKIS_DATABASE_URL, else into the data directory "
                        "(stop the service first)")
    restore.add_argument("file", help="a file written by skis-bot backup")
    restore.add_argument("--force", action="store_true", help="replace data that is already there (it is kept aside)")
    restore.add_argument("--unsigned", action="store_true",
                         help="restore a backup written without SKIS_BACKUP_KEY although the key is set now")
    restore.add_argument("--data-dir", help="this data directory, also when SKIS_DATABASE_URL is set (default $SKIS_DATA_DIR)")
    restore.set_defaults(func=cmd_restore)

