"""Restore: merge a backup archive (see `archive_format.py`) into a library, new or existing.

Restoring validates the whole archive (layout, links, checksums, damage, versions) into a private
temporary folder before it touches the data folder, then merges: takes whose `uid` the library
lacks are added (with their session, matched by uid, and their delivery metrics), audio first,
rows in one transaction. Decks whose id the library lacks are added; a deck the library already
has is kept as it is.

An archive is untrusted input. Its zip is bounded (members, sizes against the manifest and the
free space, no overlapping members); its database is opened read-only and never upgraded, may
hold only the schema Closer itself creates, is read column by column under a progress handler
that can interrupt it, and every row is checked like user input before anything is written.
The temporary folder sits next to the library (never in /tmp) and is locked while in use, so
one left by a killed restore is recognised and removed by the next start.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import functools
import hashlib
import itertools
import json
import logging
import math
import os
import re
import secrets
import shutil
import sqlite3
import stat
import struct
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any

from closer_desktop.domain.deck import (
    MAX_ID,
    MAX_KEY_PHRASE,
    MAX_KEY_PHRASES,
    MAX_TEXT,
    DeckError,
    load_deck,
)
from closer_desktop.domain.practice import MAX_HINT_LEVEL, MAX_NOTE, TAKE_MODES
from closer_desktop.paths import DATABASE_NAME, ensure_private_dir
from closer_desktop.storage import sidecar
from closer_desktop.storage.database import (
    MIGRATIONS,
    SCHEMA_VERSION,
    Database,
    DatabaseEnvironmentError,
    split_sql,
)
from closer_desktop.storage.files import fsync_dir
from closer_desktop.storage.sidecar import MAX_SAMPLE_RATE, TakeRecord
from closer_desktop.storage.workspaces import (
    UNPACKING_PREFIX,
    WORKSPACE_LOCK,
    WORKSPACE_PREFIX,
    remove_abandoned_workspaces,
)
from closer_desktop.transfer.archive_format import (
    CHUNK,
    DECKS_DIR,
    FORMAT_NAME,
    FORMAT_VERSION,
    MANIFEST_NAME,
    TRASH_PREFIX,
    BackupError,
    Progress,
    is_layout_name,
    newer_message,
    no_progress,
    path_problem,
)

log = logging.getLogger(__name__)

_MAX_MANIFEST_BYTES = 64 * 1024 * 1024
# Far above any real library (one member per take): a bound on the work a crafted zip can ask.
MAX_MEMBERS = 200_000
_SPACE_MARGIN = 8 * 1024 * 1024  # left free beside an unpacked archive, for the library itself
_ZIP_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)  # what backup.py writes
_DB_SECONDS = 120.0  # reading a real archive's database takes a fraction of this
_DB_STEPS = 10_000  # SQLite VM steps between two looks at the clock and the cancel flag
_MAX_VALUE_BYTES = 4 * 1024 * 1024  # no text or blob in an archive's database is longer
_MAX_METRICS_CHARS = 1024 * 1024
_MAX_TAKE_SECONDS = 24 * 3600.0
_NO_HARD_LINKS = {errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP, errno.EOPNOTSUPP}
_NO_SPACE = {errno.ENOSPC, errno.EDQUOT}

Cancelled = Callable[[], bool]


def _never() -> bool:
    return False


class RestoreCancelled(BackupError):
    """The user stopped the restore; nothing of it is left in the library."""


class PartialRestoreError(BackupError):
    """The takes went in, a later step (the decks) failed: the message says what was restored."""

    def __init__(self, message: str, summary: RestoreSummary) -> None:
        super().__init__(message)
        self.summary = summary


@dataclass(frozen=True)
class RestoreSummary:
    archive: Path
    takes_added: int
    takes_skipped: int  # already in the library (same uid)
    sessions_added: int
    sessions_skipped: int
    files_added: int
    files_renamed: int  # audio given a new name because its path was in use
    takes_without_audio: int
    decks_added: int = 0
    decks_kept: int = 0  # the library already had a deck with that id: left as it was
    metrics_added: int = 0  # takes restored with their delivery analysis

    def describe(self, data_dir: Path) -> str:
        return (
            f"restored {self.takes_added} takes and {self.sessions_added} sessions into "
            f"{data_dir} from {self.archive} ({self.takes_skipped} takes were already there, "
            f"{self.files_renamed} audio files renamed; {self.decks_added} decks added, "
            f"{self.decks_kept} already there)"
        )


def restore_backup(
    archive: Path,
    data_dir: Path,
    progress: Progress = no_progress,
    cancel: Cancelled = _never,
) -> RestoreSummary:
    """Merge the archive into the library in `data_dir` (created if needed).

    Everything is validated first, in a private temporary folder beside the library; on any
    problem with the archive BackupError is raised and nothing in `data_dir` is created or
    changed. `cancel` is polled throughout (RestoreCancelled once it returns True) until the
    rows are committed; whatever the restore had put in place by then it removes again.
    """
    where = _workspace_parent(data_dir)
    remove_abandoned_workspaces(data_dir)
    with _workspace(archive, where) as staging:
        listed, schema = _extract_validated(archive, staging, progress, cancel)
        content = _read_snapshot(archive, staging / DATABASE_NAME, schema, cancel)
        _check_decks(archive, staging, listed)
        return _merge(archive, staging, listed, content, data_dir, progress, cancel)


# The private temporary folder -------------------------------------------------------------------


def _workspace_parent(data_dir: Path) -> Path:
    """The data folder, or the nearest folder above it that exists: where the archive is unpacked
    (on the library's own disk, so its free space is what counts, and files move in by link)."""
    for folder in (data_dir, *data_dir.parents):
        if folder.is_dir():
            return folder
    return Path.cwd()


@contextlib.contextmanager
def _workspace(archive: Path, where: Path) -> Iterator[Path]:
    """`<where>/.closer-restore-<pid>-<random>/`, locked (flock on its `lock` file) while in use.

    It gets its final name only once its lock is held, and its `lock` file only once locked: a
    folder of that name without a free lock belongs to a live restore, whatever its pid says.
    """
    token = secrets.token_hex(6)
    name = f"{WORKSPACE_PREFIX}{os.getpid()}-{token}"
    making = where / f"{UNPACKING_PREFIX}{os.getpid()}-{token}"
    try:
        making.mkdir(mode=0o700)
        fd = os.open(making / f"{WORKSPACE_LOCK}.new", os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        with contextlib.suppress(OSError):
            making.rmdir()
        raise _space_or(archive, exc, where, "cannot unpack it in") from exc
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.rename(making / f"{WORKSPACE_LOCK}.new", making / WORKSPACE_LOCK)
        os.rename(making, where / name)
        folder = where / name
        try:
            yield folder
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    finally:
        os.close(fd)
        shutil.rmtree(making, ignore_errors=True)


def _space_or(archive: Path, exc: OSError, where: Path, doing: str) -> BackupError:
    if exc.errno in _NO_SPACE:
        return _problem(archive, f"not enough space in {where} ({exc.strerror})")
    return _problem(archive, f"{doing} {where} ({exc.strerror or exc})")


def _problem(archive: Path, message: str) -> BackupError:
    return BackupError(f"cannot restore {archive}: {message}; nothing was written")


def _extract_validated(
    archive: Path, staging: Path, progress: Progress, cancel: Cancelled
) -> tuple[dict[str, dict[str, Any]], int]:
    try:
        handle = _open_regular(archive)
    except OSError as exc:
        raise _problem(archive, f"it cannot be read ({exc.strerror or exc})") from exc
    with handle:
        try:
            head = handle.read(4)
            handle.seek(0)
            try:
                zf = zipfile.ZipFile(handle)
            except zipfile.BadZipFile as exc:
                if head.startswith(b"PK"):
                    raise _problem(archive, f"a truncated or damaged zip archive ({exc})") from exc
                raise _problem(archive, "not a zip archive") from exc
            with zf:
                return _check_and_extract(archive, handle, zf, staging, progress, cancel)
        except BackupError:
            raise
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as exc:
            raise _problem(archive, f"the archive is truncated or damaged ({exc})") from exc
        except NotImplementedError as exc:
            raise _problem(archive, f"the archive uses an unsupported zip feature ({exc})") from exc
        except OSError as exc:
            if exc.errno in _NO_SPACE:
                raise _problem(archive, f"not enough space in {staging.parent}") from exc
            raise _problem(archive, f"it cannot be read ({exc.strerror or exc})") from exc


def _open_regular(archive: Path) -> IO[bytes]:
    """The archive, opened only if it is a regular file: a FIFO or a device (/dev/zero) would
    be read for ever. Non-blocking, so that even opening a FIFO cannot hang."""
    fd = os.open(archive, os.O_RDONLY | os.O_NONBLOCK)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _check_and_extract(
    archive: Path,
    handle: IO[bytes],
    zf: zipfile.ZipFile,
    staging: Path,
    progress: Progress,
    cancel: Cancelled,
) -> tuple[dict[str, dict[str, Any]], int]:
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise _problem(
            archive, f"it has {len(infos)} members, more than a backup can ({MAX_MEMBERS})"
        )
    names: set[str] = set()
    for info in infos:
        name = info.filename
        problem = _name_problem(info)
        if problem:
            raise _problem(archive, f"member {name!r} {problem}")
        if name in names:
            raise _problem(archive, f"member {name!r} appears twice")
        names.add(name)
    overlap = _overlap_problem(handle, infos, zf.start_dir)
    if overlap:
        raise _problem(archive, overlap)
    if MANIFEST_NAME not in names:
        raise _problem(archive, "the archive has no manifest.json (not a Closer backup)")
    if zf.getinfo(MANIFEST_NAME).file_size > _MAX_MANIFEST_BYTES:
        raise _problem(archive, "manifest.json is implausibly large")
    manifest = _parse_manifest(archive, _read_member(zf, MANIFEST_NAME, _MAX_MANIFEST_BYTES))
    listed: dict[str, dict[str, Any]] = {str(e["path"]): e for e in manifest["files"]}
    for name in sorted(names - {MANIFEST_NAME}):
        if name not in listed:
            raise _problem(archive, f"member {name!r} is not listed in the manifest")
    for name in sorted(listed):
        if name not in names:
            raise _problem(
                archive, f"the manifest lists {name!r}, but the archive does not contain it"
            )
    if DATABASE_NAME not in listed:
        raise _problem(archive, f"the archive has no {DATABASE_NAME}")
    for name, entry in listed.items():
        if zf.getinfo(name).file_size != entry["size"]:
            raise _problem(archive, f"member {name!r} does not have the size the manifest says")
    total = sum(int(entry["size"]) for entry in listed.values())
    free = shutil.disk_usage(staging).free
    if total + _SPACE_MARGIN > free:
        raise _problem(
            archive,
            f"not enough space in {staging.parent}: it unpacks to {_mib(total)}, "
            f"{_mib(free)} are free",
        )
    for done, (name, entry) in enumerate(sorted(listed.items()), start=1):
        if cancel():
            raise _cancelled(archive)
        info = zf.getinfo(name)
        target = staging.joinpath(*PurePosixPath(name).parts)
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        size, digest = _extract(zf, info, target, int(entry["size"]), cancel)
        if size is None:
            raise _cancelled(archive)
        if size != entry["size"] or digest != entry["sha256"]:
            raise _problem(
                archive, f"member {name!r} fails its sha256 checksum (damaged or altered)"
            )
        progress("checking", done, len(listed))
    return listed, int(manifest["schema_version"])


def _read_member(zf: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """A member's bytes, never more than `limit` + 1 of them whatever its header claims."""
    with zf.open(name) as src:
        return src.read(limit + 1)


def _overlap_problem(handle: IO[bytes], infos: list[zipfile.ZipInfo], end: int) -> str | None:
    """Members whose data overlap (one compressed stream counted many times: a zip bomb), or
    run into the central directory. Each span is read from the member's own local header."""
    spans: list[tuple[int, int, str]] = []
    for info in infos:
        handle.seek(info.header_offset)
        header = handle.read(30)
        if len(header) < 30 or header[:4] != b"PK\x03\x04":
            return f"member {info.filename!r} has no local header where the directory says"
        name_length, extra_length = struct.unpack("<HH", header[26:30])
        start = info.header_offset
        spans.append(
            (start, start + 30 + name_length + extra_length + info.compress_size, info.filename)
        )
    spans.sort()
    for (_, first_end, first), (second_start, _, second) in itertools.pairwise(spans):
        if second_start < first_end:
            return f"members {first!r} and {second!r} overlap (a zip bomb?)"
    if spans and spans[-1][1] > end:
        return f"member {spans[-1][2]!r} overlaps the archive's directory (a zip bomb?)"
    return None


def _mib(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MiB"


def _cancelled(archive: Path) -> RestoreCancelled:
    return RestoreCancelled(f"the restore of {archive} was cancelled; nothing was written")


def _name_problem(info: zipfile.ZipInfo) -> str | None:
    name = info.filename
    problem = path_problem(name)
    if problem:
        return problem
    file_type = stat.S_IFMT(info.external_attr >> 16)
    if file_type == stat.S_IFLNK:
        return "is a symbolic link"
    if info.is_dir() or (file_type and file_type != stat.S_IFREG):
        return "is not a regular file"
    if not is_layout_name(name):
        return "is outside the archive's layout"
    if info.compress_type not in _ZIP_METHODS:
        return "uses a compression method Closer does not write"
    return None


def _parse_manifest(archive: Path, raw: bytes) -> dict[str, Any]:
    try:
        manifest = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise _problem(archive, f"manifest.json is not valid JSON ({exc})") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_NAME:
        raise _problem(archive, "manifest.json says this is not a Closer backup")
    version = manifest.get("format_version")
    if version != FORMAT_VERSION or isinstance(version, bool):
        raise _problem(
            archive,
            f"unknown backup format version {version!r} (this Closer reads {FORMAT_VERSION})",
        )
    schema = manifest.get("schema_version")
    if not isinstance(schema, int) or isinstance(schema, bool) or schema < 0:
        raise _problem(archive, "manifest.json has no valid schema_version")
    if schema > SCHEMA_VERSION:
        raise _problem(archive, newer_message(schema))
    files = manifest.get("files")
    if not isinstance(files, list):
        raise _problem(archive, "manifest.json has no list of files")
    seen: set[str] = set()
    for entry in files:
        if not (
            isinstance(entry, dict)
            and isinstance(entry.get("path"), str)
            and isinstance(entry.get("size"), int)
            and not isinstance(entry.get("size"), bool)
            and entry["size"] >= 0
            and isinstance(entry.get("sha256"), str)
            and re.fullmatch(r"[0-9a-f]{64}", entry["sha256"])
        ):
            raise _problem(archive, f"manifest.json has a malformed entry: {entry!r}")
        path = entry["path"]
        if path == MANIFEST_NAME or not is_layout_name(path) or path in seen:
            raise _problem(archive, f"manifest.json lists an invalid file {path!r}")
        seen.add(path)
    return manifest


def _extract(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, limit: int, cancel: Cancelled
) -> tuple[int | None, str]:
    """Copy one member out, hashing as it goes; never more than `limit` + 1 bytes.

    The copy is made durable: audio files move from here into the library by hard link.
    (None, "") when cancelled.
    """
    digest = hashlib.sha256()
    size = 0
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with zf.open(info) as src, os.fdopen(fd, "wb") as dst:
        while size <= limit:
            if cancel():
                return None, ""
            chunk = src.read(min(CHUNK, limit + 1 - size))
            if not chunk:
                break
            digest.update(chunk)
            size += len(chunk)
            dst.write(chunk)
        dst.flush()
        os.fsync(dst.fileno())
    return size, digest.hexdigest()


def _check_decks(archive: Path, staging: Path, listed: dict[str, dict[str, Any]]) -> None:
    for name in sorted(listed):
        if name.startswith(f"{DECKS_DIR}/") and name.endswith(".toml"):
            try:
                load_deck(staging.joinpath(*PurePosixPath(name).parts))
            except DeckError as exc:
                raise _problem(archive, f"member {name!r} is not a readable deck ({exc})") from exc


# The archive's database -------------------------------------------------------------------------


@dataclass
class _Content:
    """The archive's rows, checked, in this schema's columns."""

    sessions: list[dict[str, Any]]
    takes: list[dict[str, Any]]
    metrics: dict[int, dict[str, Any]]  # by the archive's take id


@functools.cache
def closer_schema(
    version: int,
) -> tuple[frozenset[tuple[str, str, str, str | None]], dict[str, list[str]]]:
    """What Closer's own migrations create up to `version`: sqlite_master's rows, and the
    columns of each table (read from a fresh in-memory database, so never out of step)."""
    conn = sqlite3.connect(":memory:")
    try:
        for migration in MIGRATIONS[:version]:
            for statement in split_sql(migration):
                conn.execute(statement)
        rows = frozenset(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))
        columns = {
            table: [str(c[1]) for c in conn.execute(f"PRAGMA table_info({table})")]
            for (kind, table, _, _) in rows
            if kind == "table"
        }
    finally:
        conn.close()
    return rows, columns


def _read_snapshot(archive: Path, path: Path, version: int, cancel: Cancelled) -> _Content:
    """The archive's sessions, takes and metrics, read without running anything it holds.

    Read-only and immutable (no journal, no upgrade: an upgrade would fire its triggers); every
    schema object must be one Closer creates; only known columns are read; a progress handler
    stops any statement that runs too long or is cancelled.
    """
    deadline = time.monotonic() + _DB_SECONDS
    stopped: list[str] = []

    def keep_going() -> int:
        if cancel():
            stopped.append("cancelled")
        elif time.monotonic() > deadline:
            stopped.append("slow")
        return 1 if stopped else 0

    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error as exc:
        raise _problem(archive, f"{DATABASE_NAME} is not a readable SQLite database") from exc
    try:
        conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, _MAX_VALUE_BYTES)
        conn.set_progress_handler(keep_going, _DB_STEPS)
        conn.execute("PRAGMA query_only = ON")
        conn.execute("PRAGMA trusted_schema = OFF")
        found = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if found > SCHEMA_VERSION:
            raise _problem(archive, newer_message(found))
        if found != version:
            raise _problem(archive, "the database's schema version does not match the manifest")
        expected, columns = closer_schema(version)
        schema = set(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))
        for kind, name, _, _ in sorted(schema - expected, key=str):
            article = "an" if kind[:1] in "aeiou" else "a"
            raise _problem(
                archive, f"its database holds {article} {kind} {name!r} that Closer does not create"
            )
        if {n for k, n, _, _ in expected if k == "table"} - {n for k, n, _, _ in schema}:
            raise _problem(archive, "its database lacks tables of its schema version")

        def read(table: str) -> list[dict[str, Any]]:
            names = columns.get(table)
            if not names:
                return []
            cursor = conn.execute(f"SELECT {', '.join(names)} FROM {table} ORDER BY rowid")
            return [dict(zip(names, row, strict=True)) for row in cursor]

        sessions, takes, metrics = read("sessions"), read("takes"), read("take_metrics")
    except BackupError:
        raise
    except sqlite3.Error as exc:
        if "cancelled" in stopped:
            raise _cancelled(archive) from exc
        if stopped:
            raise _problem(archive, "reading its database takes far too long") from exc
        raise _problem(archive, f"its database cannot be read ({exc})") from exc
    finally:
        conn.close()
    return _checked(archive, sessions, takes, metrics)


class _RowProblem(Exception):
    pass


def _checked(
    archive: Path,
    sessions: list[dict[str, Any]],
    takes: list[dict[str, Any]],
    metrics: list[dict[str, Any]],
) -> _Content:
    """Every row checked like user input, and brought to this schema's columns (older archives
    lack uids, stars and the trash: their uids are derived from the row, so that restoring the
    same old archive twice still adds nothing)."""
    where = ""
    try:
        session_ids: set[int] = set()
        uids: set[str] = set()
        for row in sessions:
            where = f"session {row.get('id')!r}"
            _integer(row, "id", 1, 2**63 - 1)
            _text(row, "deck_id", MAX_ID)
            _time(row, "started_at")
            _time(row, "ended_at", optional=True)
            if "uid" not in row:
                row["uid"] = _derived_uid("session", row["id"], row["deck_id"], row["started_at"])
            _uid(row, uids)
            session_ids.add(row["id"])
        take_ids: set[int] = set()
        uids.clear()
        paths: set[str] = set()
        for row in takes:
            where = f"take {row.get('id')!r}"
            _integer(row, "id", 1, 2**63 - 1)
            _integer(row, "session_id", 1, 2**63 - 1)
            if row["session_id"] not in session_ids:
                raise _RowProblem(f"session_id {row['session_id']} names no session")
            for column in ("deck_id", "question_id", "stage"):
                _text(row, column, MAX_ID)
            _text(row, "question_text", MAX_TEXT)
            _text(row, "note", MAX_NOTE, empty=True)
            _time(row, "recorded_at")
            _number(row, "duration_s", 0.0, _MAX_TAKE_SECONDS)
            _integer(row, "sample_rate", 0, MAX_SAMPLE_RATE)
            _integer(row, "professionalism", 1, 5, optional=True)
            _integer(row, "clarity", 1, 5, optional=True)
            _integer(row, "recovered", 0, 1)
            if row.get("status") not in ("recording", "complete"):
                raise _RowProblem(f"status {_shown(row.get('status'))} is not a take's status")
            row.setdefault("starred", 0)
            row.setdefault("trashed_at", None)
            _integer(row, "starred", 0, 1)
            _time(row, "trashed_at", optional=True)
            _how_said(row)
            if "uid" not in row:
                row["uid"] = _derived_uid("take", row["audio_path"], row["recorded_at"])
            _uid(row, uids)
            _audio_path(row, paths)
            take_ids.add(row["id"])
        kept: dict[int, dict[str, Any]] = {}
        for row in metrics:
            where = f"metrics row of take {row.get('take_id')!r}"
            _integer(row, "take_id", 1, 2**63 - 1)
            if row["take_id"] not in take_ids:
                raise _RowProblem(f"take_id {row['take_id']} names no take")
            _integer(row, "analyser_version", 0, 2**31 - 1)
            _time(row, "computed_at")
            _text(row, "metrics", _MAX_METRICS_CHARS)
            try:
                parsed = json.loads(row["metrics"])
            except (ValueError, RecursionError) as exc:
                raise _RowProblem("metrics is not valid JSON") from exc
            if not isinstance(parsed, dict):
                raise _RowProblem("metrics is not a JSON object")
            _line_match(parsed.get("line_match"))
            kept[row["take_id"]] = row
    except _RowProblem as exc:
        raise _problem(archive, f"its database's {where} is invalid: {exc}") from exc
    return _Content(sessions, takes, kept)


def _how_said(row: dict[str, Any]) -> None:
    """How a take was said (schema 4; an older archive's takes were all read from the screen):
    its mode, hint level, key phrases (a JSON list of short texts) and response latency."""
    row.setdefault("mode", "read")
    row.setdefault("hint_level", None)
    row.setdefault("key_phrases", "[]")
    row.setdefault("response_latency_s", None)
    if row["mode"] not in TAKE_MODES:
        raise _RowProblem(f"mode is {_shown(row['mode'])}, not one of {', '.join(TAKE_MODES)}")
    _integer(row, "hint_level", 0, MAX_HINT_LEVEL, optional=True)
    if row["response_latency_s"] is not None:
        _number(row, "response_latency_s", 0.0, _MAX_TAKE_SECONDS)
    limit = MAX_KEY_PHRASES * (MAX_KEY_PHRASE * 6 + 4) + 2  # each escaped as JSON at worst
    _text(row, "key_phrases", limit)
    try:
        phrases = json.loads(row["key_phrases"])
    except (ValueError, RecursionError) as exc:
        raise _RowProblem("key_phrases is not valid JSON") from exc
    if (
        not isinstance(phrases, list)
        or len(phrases) > MAX_KEY_PHRASES
        or not all(
            isinstance(p, str) and 0 < len(p) <= MAX_KEY_PHRASE and "\x00" not in p for p in phrases
        )
    ):
        raise _RowProblem(
            f"key_phrases is {_shown(row['key_phrases'])}, not a list of at most "
            f"{MAX_KEY_PHRASES} phrases of at most {MAX_KEY_PHRASE} characters"
        )


def _line_match(value: object) -> None:
    """A take's stored line check (inside its metrics: storage/take_metrics.py): none, or what
    analysis/line_check.py's LineMatch.to_json writes; History and Progress read its figures."""
    if value is None:
        return
    if not isinstance(value, dict) or not _sound_line_match(value):
        raise _RowProblem(f"its line check {_shown(value)} is not one Closer writes")


def _sound_line_match(value: dict[str, Any]) -> bool:
    def texts(found: object) -> bool:
        return isinstance(found, list) and all(isinstance(w, str) for w in found)

    score, changed = value.get("score"), value.get("changed", [])
    return (
        isinstance(score, int | float)
        and not isinstance(score, bool)
        and 0 <= score <= 1
        and all(texts(value.get(key, [])) for key in ("missed", "added", "key_missed"))
        and isinstance(changed, list)
        and all(
            isinstance(c, dict)
            and isinstance(c.get("said"), str)
            and isinstance(c.get("expected"), str)
            for c in changed
        )
        and isinstance(value.get("different", False), bool)
        and isinstance(value.get("other_line"), str | None)
    )


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _integer(row: dict[str, Any], column: str, low: int, high: int, optional: bool = False) -> None:
    value = row.get(column)
    if value is None and optional:
        return
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise _RowProblem(f"{column} is {_shown(value)}, not a whole number from {low} to {high}")


def _number(row: dict[str, Any], column: str, low: float, high: float) -> None:
    value = row.get(column)
    if (
        not isinstance(value, int | float)
        or isinstance(value, bool)
        or not math.isfinite(value)
        or not low <= value <= high
    ):
        raise _RowProblem(f"{column} is {_shown(value)}, not a number from {low:g} to {high:g}")


def _text(row: dict[str, Any], column: str, limit: int, empty: bool = False) -> None:
    value = row.get(column)
    if not isinstance(value, str) or (not value and not empty):
        raise _RowProblem(
            f"{column} is {_shown(value)}, not {'a' if empty else 'a non-empty'} text"
        )
    if len(value) > limit or "\x00" in value:
        raise _RowProblem(f"{column} is longer than {limit} characters or holds a NUL")


_ISO_TIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:[+-]\d{2}:\d{2}|Z)"
)


def _time(row: dict[str, Any], column: str, optional: bool = False) -> None:
    """An ISO 8601 date and time with its UTC offset, as Closer writes them (and SQLite's date
    functions, which Progress uses, read them too)."""
    value = row.get(column)
    if value is None and optional:
        return
    problem = f"{column} is {_shown(value)}, not an ISO date and time with its UTC offset"
    if not isinstance(value, str) or not _ISO_TIME.fullmatch(value):
        raise _RowProblem(problem)
    try:
        datetime.fromisoformat(value)
    except ValueError as exc:
        raise _RowProblem(problem) from exc


def _uid(row: dict[str, Any], seen: set[str]) -> None:
    value = row.get("uid")
    if not isinstance(value, str) or not re.fullmatch(r"[0-9A-Za-z-]{8,64}", value):
        raise _RowProblem(f"uid is {_shown(value)}, not a Closer id")
    if value in seen:
        raise _RowProblem(f"uid {value} is used twice")
    seen.add(value)


def _audio_path(row: dict[str, Any], seen: set[str]) -> None:
    path = row.get("audio_path")
    if not isinstance(path, str):
        raise _RowProblem(f"audio_path is {_shown(path)}, not a text")
    problem = path_problem(path)
    if problem:
        raise _RowProblem(f"its audio path {_shown(path)} {problem}")
    if not is_layout_name(path) or path.startswith(TRASH_PREFIX):
        raise _RowProblem(f"its audio path {_shown(path)} is outside audio/")
    if path in seen:
        raise _RowProblem(f"its audio path {_shown(path)} is another take's too")
    seen.add(path)


def _derived_uid(*parts: object) -> str:
    return hashlib.sha256("\x00".join(map(str, parts)).encode()).hexdigest()[:32]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass
class _Plan:
    row: dict[str, Any]
    source: Path | None  # the staged audio, None when the archive holds none for this take
    target_rel: str  # the audio_path the take gets in the library
    copy: bool  # False when an identical file is already in place (an interrupted restore)


def _merge(
    archive: Path,
    staging: Path,
    listed: dict[str, dict[str, Any]],
    content: _Content,
    data_dir: Path,
    progress: Progress,
    cancel: Cancelled,
) -> RestoreSummary:
    sessions, takes = content.sessions, content.takes
    session_uids = {int(s["id"]): str(s["uid"]) for s in sessions}
    if cancel():
        raise _cancelled(archive)

    # The archive is sound: only from here on is the data folder touched.
    made = [folder for folder in (data_dir, *data_dir.parents) if not folder.exists()]
    database_made = not os.path.lexists(data_dir / DATABASE_NAME)
    try:
        ensure_private_dir(data_dir)
        target = Database(data_dir / DATABASE_NAME)
    except DatabaseEnvironmentError as exc:
        _remove_made(made, data_dir, database_made)
        raise BackupError(f"cannot restore {archive}: {exc}") from exc
    placed: list[tuple[Path, tuple[int, int]]] = []  # what this restore created, as created
    try:
        known_takes = {row[0] for row in target.execute("SELECT uid FROM takes")}
        known_sessions = {row[0] for row in target.execute("SELECT uid FROM sessions")}
        used = {str(row[0]) for row in target.execute("SELECT audio_path FROM takes")}
        plans: list[_Plan] = []
        for take in takes:
            if take["uid"] in known_takes:
                continue
            if cancel():
                raise _cancelled(archive)
            trashed = take.get("trashed_at") is not None
            original = str(take["audio_path"])
            member = (TRASH_PREFIX + original) if trashed else original
            source = staging / member if member in listed else None
            rel, copy = _place(original, trashed, source, used, data_dir)
            used.add(rel)
            plans.append(_Plan(take, source, rel, copy))
        copies = [plan for plan in plans if plan.source is not None and plan.copy]
        sessions_by_uid = {str(s["uid"]): s for s in sessions}
        for done, plan in enumerate(copies, start=1):
            assert plan.source is not None
            if cancel():
                raise _cancelled(archive)
            trashed = plan.row.get("trashed_at") is not None
            record = _take_record(plan.row, sessions_by_uid[session_uids[plan.row["session_id"]]])
            for _attempt in range(100):
                destination = data_dir / ((TRASH_PREFIX if trashed else "") + plan.target_rel)
                made += [
                    folder
                    for folder in destination.parents
                    if folder.is_relative_to(data_dir) and not folder.exists()
                ]
                # The sidecar before the audio: should the restore die before the rows are in,
                # the next start adopts the file as the take it is (same uid), and restoring
                # again adds only what is still missing.
                written = record is not None and sidecar.write(destination, record)
                if written:
                    side = sidecar.sidecar_path(destination)
                    placed.append((side, _identity(side)))
                try:
                    placed.append((destination, _place_file(plan.source, destination)))
                    break
                except FileExistsError:  # another writer took that name meanwhile
                    if written:
                        _unlink_if_ours(*placed.pop())
                    plan.target_rel, _ = _place(
                        str(plan.row["audio_path"]), trashed, plan.source, used, data_dir
                    )
                    used.add(plan.target_rel)
            else:
                raise BackupError(f"cannot restore {archive}: no free name for a take's audio")
            progress("adding", done, len(copies))
        if cancel():
            raise _cancelled(archive)
        new_sessions = [s for s in sessions if s["uid"] not in known_sessions]
        metrics_added = _insert(target, session_uids, new_sessions, plans, content.metrics)
    except BaseException as exc:
        target.close()
        for path, identity in reversed(placed):
            _unlink_if_ours(path, identity)
        _remove_made(made, data_dir, database_made)
        if isinstance(exc, OSError) and exc.errno in _NO_SPACE:
            raise BackupError(
                f"cannot restore {archive}: not enough space in {data_dir}; nothing was written"
            ) from exc
        if isinstance(exc, sqlite3.IntegrityError):
            raise BackupError(
                f"cannot restore {archive}: its rows clash with the library's ({exc}); "
                "nothing was written"
            ) from exc
        raise
    target.close()
    summary = RestoreSummary(
        archive=archive,
        takes_added=len(plans),
        takes_skipped=len(takes) - len(plans),
        sessions_added=len(new_sessions),
        sessions_skipped=len(sessions) - len(new_sessions),
        files_added=len(copies),
        files_renamed=sum(p.target_rel != p.row["audio_path"] for p in plans),
        takes_without_audio=sum(p.source is None for p in plans),
        metrics_added=metrics_added,
    )
    # The takes are in: their files are never cleaned up from here on, and a failure now must
    # say what was restored.
    try:
        decks_added, decks_kept = _merge_decks(staging, listed, data_dir)
    except (OSError, DeckError) as exc:
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise PartialRestoreError(
            f"{summary.describe(data_dir)}; but its decks could not be added ({detail})", summary
        ) from exc
    return replace(summary, decks_added=decks_added, decks_kept=decks_kept)


def _identity(path: Path) -> tuple[int, int]:
    st = path.lstat()
    return st.st_dev, st.st_ino


def _unlink_if_ours(path: Path, identity: tuple[int, int]) -> None:
    """Remove a file this restore created, unless another writer has replaced it since."""
    with contextlib.suppress(OSError):
        if _identity(path) == identity:
            path.unlink()


def _remove_made(made: list[Path], data_dir: Path, database_made: bool) -> None:
    """Take back the folders (and the empty database) a failed restore created, and only those:
    a folder goes only when empty, the database only if this restore created it (nothing was
    committed to it: the library's lock keeps every other writer out meanwhile)."""
    if database_made:
        for name in (DATABASE_NAME, f"{DATABASE_NAME}-wal", f"{DATABASE_NAME}-shm"):
            with contextlib.suppress(OSError):
                (data_dir / name).unlink()
    for folder in sorted(set(made), key=lambda p: len(p.parts), reverse=True):  # deepest first
        with contextlib.suppress(OSError):
            folder.rmdir()


def _take_record(row: dict[str, Any], session: dict[str, Any]) -> TakeRecord | None:
    """A restored take's sidecar (None when its row holds what a sidecar cannot: odd times)."""
    try:
        return _record_from(row, session)
    except (ValueError, TypeError, KeyError):
        return None


def _record_from(row: dict[str, Any], session: dict[str, Any]) -> TakeRecord:
    return TakeRecord(
        uid=str(row["uid"]),
        session_uid=str(session["uid"]),
        session_started_at=datetime.fromisoformat(str(session["started_at"])),
        deck_id=str(row["deck_id"]),
        question_id=str(row["question_id"]),
        question_text=str(row["question_text"]),
        stage=str(row["stage"]),
        recorded_at=datetime.fromisoformat(str(row["recorded_at"])),
        duration_s=float(row["duration_s"] or 0.0),
        sample_rate=int(row["sample_rate"] or 0),
        professionalism=row.get("professionalism"),
        clarity=row.get("clarity"),
        note=str(row.get("note") or ""),
        starred=bool(row.get("starred")),
        recovered=bool(row.get("recovered")),
        complete=True,
        mode=str(row["mode"]),
        hint_level=row["hint_level"],
        key_phrases=tuple(json.loads(row["key_phrases"])),
        response_latency_s=row["response_latency_s"],
    )


def _merge_decks(
    staging: Path, listed: dict[str, dict[str, Any]], data_dir: Path
) -> tuple[int, int]:
    """Add the archive's decks the library lacks (by id); keep every deck it already has."""
    from closer_desktop.storage.decks import PLANS_FILE, DeckStore

    store = DeckStore(data_dir)
    have = {entry.id for entry in store.entries() if not entry.builtin or entry.edited}
    added = kept = 0
    for name in sorted(listed):
        if not (name.startswith(f"{DECKS_DIR}/") and name.endswith(".toml")):
            continue
        deck = load_deck(staging.joinpath(*PurePosixPath(name).parts))  # validated above
        if deck.id in have:
            kept += 1
            continue
        store.save(deck)
        have.add(deck.id)
        added += 1
    plans = f"{DECKS_DIR}/{PLANS_FILE}"
    local_plans = data_dir / DECKS_DIR / PLANS_FILE
    if plans in listed and not local_plans.exists():
        with contextlib.suppress(FileExistsError):  # the library's own plans win
            _place_file(staging / DECKS_DIR / PLANS_FILE, local_plans)
    return added, kept


def _place(
    original: str, trashed: bool, source: Path | None, used: set[str], data_dir: Path
) -> tuple[str, bool]:
    """The audio_path for a restored take, and whether its file must be copied.

    The original path, unless another take (or a different file) has it: then
    `<stem>_restored-N<ext>`. A file already there with the same bytes (left by an
    interrupted restore) is reused rather than copied again.
    """
    wanted = source and _sha256(source)
    path = PurePosixPath(original)
    for number in _count_from(0):
        rel = (
            original
            if number == 0
            else str(path.with_name(f"{path.stem}_restored-{number}{path.suffix}"))
        )
        if rel in used:
            continue
        here = data_dir / ((TRASH_PREFIX if trashed else "") + rel)
        there = data_dir / (rel if trashed else TRASH_PREFIX + rel)
        if there.exists() or (here.exists() and not here.is_file()):
            continue
        if not here.exists():
            return rel, True
        if wanted and _sha256(here) == wanted:
            return rel, False
    raise AssertionError("unreachable")


def _count_from(start: int) -> Iterator[int]:
    number = start
    while True:
        yield number
        number += 1


def _place_file(source: Path, destination: Path) -> tuple[int, int]:
    """Put the unpacked `source` at `destination`, which must not exist (FileExistsError): never
    over a file another writer may have put there. Returns the new file's (device, inode).

    A hard link does it atomically and without a copy (the archive is unpacked on the library's
    disk, and made durable there); where there are none, a durable copy beside it, then a
    rename only onto a free name.
    """
    ensure_private_dir(destination.parent)
    try:
        os.link(source, destination)
        identity = _identity(source)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in _NO_HARD_LINKS:
            raise
        identity = _copy_no_clobber(source, destination)
    fsync_dir(destination.parent)
    return identity


def _copy_no_clobber(source: Path, destination: Path) -> tuple[int, int]:
    temp = destination.with_name(f".{destination.name}.{WORKSPACE_PREFIX[1:]}{os.getpid()}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as dst, source.open("rb") as src:
            shutil.copyfileobj(src, dst, CHUNK)
            dst.flush()
            os.fsync(dst.fileno())
        identity = _identity(temp)
        try:
            os.link(temp, destination)
        except FileExistsError:
            raise
        except OSError:
            if os.path.lexists(destination):
                raise FileExistsError(
                    errno.EEXIST, "a file is already there", str(destination)
                ) from None
            os.rename(temp, destination)
        return identity
    finally:
        temp.unlink(missing_ok=True)


def _insert(
    target: Database,
    session_uids: dict[int, str],
    new_sessions: list[dict[str, Any]],
    plans: list[_Plan],
    metrics: dict[int, dict[str, Any]],
) -> int:
    """Add the new sessions and takes, with their delivery metrics (as analysed, by whichever
    analyser version: a newer one re-analyses only those), in one transaction after their audio
    is in place. Returns how many takes came with metrics."""
    take_columns = [row[1] for row in target.execute("PRAGMA table_info(takes)")]
    session_columns = [row[1] for row in target.execute("PRAGMA table_info(sessions)")]
    added = 0
    with target.transaction() as conn:
        for session in new_sessions:
            columns = [c for c in session_columns if c != "id" and c in session]
            conn.execute(
                f"INSERT INTO sessions ({', '.join(columns)}) "
                f"VALUES ({', '.join('?' for _ in columns)})",
                tuple(session[c] for c in columns),
            )
        ids = {uid: int(i) for i, uid in conn.execute("SELECT id, uid FROM sessions")}
        for plan in plans:
            values = dict(plan.row)
            values["session_id"] = ids[session_uids[int(plan.row["session_id"])]]
            values["audio_path"] = plan.target_rel
            if (
                values.get("starred")
                and conn.execute(
                    "SELECT 1 FROM takes WHERE starred = 1 AND deck_id = ? AND question_id = ?",
                    (values["deck_id"], values["question_id"]),
                ).fetchone()
            ):
                values["starred"] = 0  # one model answer per question: the library's own wins
            columns = [c for c in take_columns if c != "id" and c in values]
            cursor = conn.execute(
                f"INSERT INTO takes ({', '.join(columns)}) "
                f"VALUES ({', '.join('?' for _ in columns)})",
                tuple(values[c] for c in columns),
            )
            analysed = metrics.get(int(plan.row["id"]))
            if analysed is not None:
                conn.execute(
                    "INSERT INTO take_metrics (take_id, analyser_version, computed_at, metrics) "
                    "VALUES (?, ?, ?, ?)",
                    (
                        cursor.lastrowid,
                        analysed["analyser_version"],
                        analysed["computed_at"],
                        analysed["metrics"],
                    ),
                )
                added += 1
    return added


__all__ = [
    "PartialRestoreError",
    "RestoreCancelled",
    "RestoreSummary",
    "restore_backup",
]
