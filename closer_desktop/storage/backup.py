"""Backup and restore of a whole library as one zip archive (no Qt: the CLI and a worker use it).

Layout of an archive: `manifest.json`, `closer.sqlite3` (a consistent snapshot made with SQLite's
backup API from a connection of its own), and every audio file the takes table lists: live takes at
`audio/...`, trashed ones at `trash/audio/...`, and the user's decks, `decks/*.toml` with
`decks/practice.json`. The manifest names the format, the Closer and schema versions, and each
member's size and SHA-256.

Restoring validates the whole archive (layout, links, checksums, damage, versions) into a private
temporary folder before it touches the data folder, then merges: takes whose `uid` the library
lacks are added (with their session, matched by uid), audio first, rows in one transaction.
Decks whose id the library lacks are added; a deck the library already has is kept as it is.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import sqlite3
import stat
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any

from closer_desktop import __version__
from closer_desktop.domain.deck import DeckError, load_deck
from closer_desktop.paths import AUDIO_DIR, DATABASE_NAME, ensure_private_dir
from closer_desktop.storage import sidecar
from closer_desktop.storage.database import (
    SCHEMA_VERSION,
    Database,
    DatabaseEnvironmentError,
)
from closer_desktop.storage.sidecar import TakeRecord

DECKS_DIR = "decks"
FORMAT_NAME = "closer-backup"
FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
TRASH_PREFIX = "trash/"
_CHUNK = 1024 * 1024
_MAX_MANIFEST_BYTES = 64 * 1024 * 1024
_AUDIO_MEMBER = re.compile(r"(?:trash/)?audio/(?:[^/]+/)*[^/]+\.(?:wav|flac)")
_DECK_MEMBER = re.compile(r"decks/(?:[^/.][^/]*\.toml|practice\.json)")

# progress(stage, done, total): "copying" files into a backup; "checking" an archive's members,
# then "adding" audio files to the library on restore. Called on the working thread.
Progress = Callable[[str, int, int], None]


def _no_progress(stage: str, done: int, total: int) -> None:
    pass


class BackupError(Exception):
    """An archive cannot be written or read; the message names the archive and the problem."""


@dataclass(frozen=True)
class BackupSummary:
    archive: Path
    sessions: int
    takes: int
    audio_files: int
    missing_audio: int  # takes listed without a file on disk
    bytes_written: int

    def describe(self) -> str:
        return (
            f"backed up {self.takes} takes in {self.sessions} sessions "
            f"({self.audio_files} audio files, {self.bytes_written / 1e6:.1f} MB) to {self.archive}"
        )


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

    def describe(self, data_dir: Path) -> str:
        return (
            f"restored {self.takes_added} takes and {self.sessions_added} sessions into "
            f"{data_dir} from {self.archive} ({self.takes_skipped} takes were already there, "
            f"{self.files_renamed} audio files renamed; {self.decks_added} decks added, "
            f"{self.decks_kept} already there)"
        )


# Backup -------------------------------------------------------------------------------------


def create_backup(
    data_dir: Path, archive: Path, progress: Progress = _no_progress
) -> BackupSummary:
    """Write the library in `data_dir` to the zip `archive`, atomically (temp file, fsync, rename)."""
    database = data_dir / DATABASE_NAME
    if not database.is_file():
        raise BackupError(f"no library in {data_dir} (nothing recorded there yet)")
    archive = archive.expanduser().absolute()
    _refuse_inside_library(data_dir, archive)
    archive.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="closer-backup-") as work:
        snapshot = Path(work) / DATABASE_NAME
        schema, sessions, rows = _snapshot(database, snapshot, data_dir)
        entries: list[dict[str, object]] = []
        missing = 0
        audio_files = 0
        fd, temp_name = tempfile.mkstemp(
            prefix=f".{archive.name}.", suffix=".tmp", dir=archive.parent
        )
        temp = Path(temp_name)
        try:
            with os.fdopen(fd, "w+b") as raw:
                with zipfile.ZipFile(raw, "w", compression=zipfile.ZIP_DEFLATED) as zf:
                    entries.append(_store(zf, DATABASE_NAME, [snapshot]))
                    progress("copying", 1, 1 + len(rows))
                    for done, (audio_path, trashed) in enumerate(rows, start=2):
                        name = (TRASH_PREFIX + audio_path) if trashed else audio_path
                        other = audio_path if trashed else TRASH_PREFIX + audio_path
                        # A take trashed (or restored) since the snapshot: its file has moved.
                        try:
                            entries.append(_store(zf, name, [data_dir / name, data_dir / other]))
                            audio_files += 1
                        except FileNotFoundError:
                            missing += 1
                        progress("copying", done, 1 + len(rows))
                    for deck_file in _deck_files(data_dir):
                        name = f"{DECKS_DIR}/{deck_file.name}"
                        with contextlib.suppress(FileNotFoundError):  # deleted meanwhile
                            entries.append(_store(zf, name, [deck_file]))
                    manifest = {
                        "format": FORMAT_NAME,
                        "format_version": FORMAT_VERSION,
                        "closer_version": __version__,
                        "schema_version": schema,
                        "created_at": datetime.now()
                        .astimezone()
                        .replace(microsecond=0)
                        .isoformat(),
                        "files": entries,
                    }
                    zf.writestr(MANIFEST_NAME, json.dumps(manifest, indent=2) + "\n")
                raw.flush()
                os.fsync(raw.fileno())
                written = raw.tell()
            os.replace(temp, archive)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        _fsync_dir(archive.parent)
    return BackupSummary(
        archive=archive,
        sessions=sessions,
        takes=len(rows),
        audio_files=audio_files,
        missing_audio=missing,
        bytes_written=written,
    )


def _refuse_inside_library(data_dir: Path, archive: Path) -> None:
    root = data_dir.expanduser().absolute()
    database = root / DATABASE_NAME
    reserved = {database, *(Path(f"{database}{s}") for s in ("-wal", "-shm", "-journal"))}
    inside = any(archive.is_relative_to(root / part) for part in (AUDIO_DIR, "trash"))
    if archive in reserved or inside:
        raise BackupError(
            f"cannot back up to {archive}: it is part of the library; choose another place"
        )


def _snapshot(
    database: Path, target: Path, data_dir: Path
) -> tuple[int, int, list[tuple[str, bool]]]:
    """Copy the live database with SQLite's backup API from a connection of its own.

    The copy is brought to this schema (so old libraries get their uids once, in the archive),
    and takes reserved for a recording that never reached disk are left out of it.
    Returns (schema version, sessions, [(audio_path, trashed)] of the takes).
    """
    try:
        source = sqlite3.connect(database)
        try:
            copy = sqlite3.connect(target)
            try:
                source.backup(copy)
            finally:
                copy.close()
        finally:
            source.close()
        Database(target).close()  # migrates the copy (never the library)
        conn = sqlite3.connect(target, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            for take_id, audio_path in conn.execute(
                "SELECT id, audio_path FROM takes WHERE status = 'recording'"
            ).fetchall():
                if not (data_dir / str(audio_path)).exists():
                    conn.execute("DELETE FROM takes WHERE id = ?", (take_id,))
            conn.execute("VACUUM")
            schema = int(conn.execute("PRAGMA user_version").fetchone()[0])
            sessions = int(conn.execute("SELECT COUNT(*) FROM sessions").fetchone()[0])
            rows = conn.execute(
                "SELECT audio_path, trashed_at IS NOT NULL FROM takes ORDER BY id"
            ).fetchall()
        finally:
            conn.close()
    except (sqlite3.Error, DatabaseEnvironmentError) as exc:
        raise BackupError(f"cannot read the library {database}: {exc}") from exc
    result = [(str(path), bool(flag)) for path, flag in rows]
    for path, _ in result:
        if not _is_layout_name(path) or path.startswith(TRASH_PREFIX):
            raise BackupError(f"the library lists an audio file outside audio/: {path!r}")
    return schema, sessions, result


def _store(zf: zipfile.ZipFile, name: str, candidates: list[Path]) -> dict[str, object]:
    """Add the first of `candidates` that exists as member `name`; FileNotFoundError if none."""
    src: IO[bytes] | None = None
    for _attempt in range(3):
        for candidate in candidates:
            with contextlib.suppress(FileNotFoundError):
                src = candidate.open("rb")
                break
        if src is not None:
            break
    if src is None:
        raise FileNotFoundError(name)
    digest = hashlib.sha256()
    size = 0
    with src:
        info = zipfile.ZipInfo(name, date_time=_zip_time(os.fstat(src.fileno()).st_mtime))
        audio = name != DATABASE_NAME
        info.compress_type = zipfile.ZIP_STORED if audio else zipfile.ZIP_DEFLATED
        info.external_attr = (stat.S_IFREG | 0o600) << 16
        with zf.open(info, "w", force_zip64=True) as dst:
            while chunk := src.read(_CHUNK):
                digest.update(chunk)
                size += len(chunk)
                dst.write(chunk)
    return {"path": name, "size": size, "sha256": digest.hexdigest()}


def _zip_time(mtime: float) -> tuple[int, int, int, int, int, int]:
    t = datetime.fromtimestamp(mtime)
    if t.year < 1980:
        return (1980, 1, 1, 0, 0, 0)
    return (t.year, t.month, t.day, t.hour, t.minute, t.second)


# Restore ------------------------------------------------------------------------------------


def restore_backup(
    archive: Path, data_dir: Path, progress: Progress = _no_progress
) -> RestoreSummary:
    """Merge the archive into the library in `data_dir` (created if needed).

    Everything is validated first, in a private temporary folder; on any problem with the
    archive BackupError is raised and nothing in `data_dir` is created or changed.
    """
    with tempfile.TemporaryDirectory(prefix="closer-restore-") as work:
        staging = Path(work)
        listed = _extract_validated(archive, staging, progress)
        return _merge(archive, staging, listed, data_dir, progress)


def _problem(archive: Path, message: str) -> BackupError:
    return BackupError(f"cannot restore {archive}: {message}; nothing was written")


def _extract_validated(
    archive: Path, staging: Path, progress: Progress
) -> dict[str, dict[str, Any]]:
    try:
        with archive.open("rb") as probe:
            head = probe.read(4)
        try:
            zf = zipfile.ZipFile(archive)
        except zipfile.BadZipFile as exc:
            if head.startswith(b"PK"):
                raise _problem(archive, f"a truncated or damaged zip archive ({exc})") from exc
            raise _problem(archive, "not a zip archive") from exc
        with zf:
            return _check_and_extract(archive, zf, staging, progress)
    except BackupError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as exc:
        raise _problem(archive, f"the archive is truncated or damaged ({exc})") from exc
    except NotImplementedError as exc:
        raise _problem(archive, f"the archive uses an unsupported zip feature ({exc})") from exc
    except OSError as exc:
        raise _problem(archive, f"it cannot be read ({exc.strerror or exc})") from exc


def _check_and_extract(
    archive: Path, zf: zipfile.ZipFile, staging: Path, progress: Progress
) -> dict[str, dict[str, Any]]:
    names: set[str] = set()
    for info in zf.infolist():
        name = info.filename
        problem = _name_problem(info)
        if problem:
            raise _problem(archive, f"member {name!r} {problem}")
        if name in names:
            raise _problem(archive, f"member {name!r} appears twice")
        names.add(name)
    if MANIFEST_NAME not in names:
        raise _problem(archive, "the archive has no manifest.json (not a Closer backup)")
    if zf.getinfo(MANIFEST_NAME).file_size > _MAX_MANIFEST_BYTES:
        raise _problem(archive, "manifest.json is implausibly large")
    manifest = _parse_manifest(archive, zf.read(MANIFEST_NAME))
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
    for done, (name, entry) in enumerate(sorted(listed.items()), start=1):
        info = zf.getinfo(name)
        if info.file_size != entry["size"]:
            raise _problem(archive, f"member {name!r} does not have the size the manifest says")
        target = staging.joinpath(*PurePosixPath(name).parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        size, digest = _extract(zf, info, target, int(entry["size"]))
        if size != entry["size"] or digest != entry["sha256"]:
            raise _problem(
                archive, f"member {name!r} fails its sha256 checksum (damaged or altered)"
            )
        progress("checking", done, len(listed))
    schema = _schema_of(staging / DATABASE_NAME)
    if schema is None:
        raise _problem(archive, f"{DATABASE_NAME} is not a readable SQLite database")
    if schema > SCHEMA_VERSION:
        raise _problem(archive, _newer(schema))
    if schema != manifest["schema_version"]:
        raise _problem(archive, "the database's schema version does not match the manifest")
    for name in sorted(listed):
        if name.startswith(f"{DECKS_DIR}/") and name.endswith(".toml"):
            try:
                load_deck(staging.joinpath(*PurePosixPath(name).parts))
            except DeckError as exc:
                raise _problem(archive, f"member {name!r} is not a readable deck ({exc})") from exc
    return listed


def _newer(schema: int) -> str:
    return (
        f"it was written by a newer version of Closer (schema {schema}, this version knows "
        f"{SCHEMA_VERSION})"
    )


def _path_problem(name: str) -> str | None:
    if "\\" in name:
        return "contains a backslash"
    if name.startswith("/"):
        return "has an absolute path"
    if re.match(r"[A-Za-z]:", name):
        return "has a drive letter"
    parts = name.split("/")
    if ".." in parts:
        return "has a '..' component"
    if any(part in ("", ".") for part in parts) or "\x00" in name:
        return "has an irregular path"
    return None


def _name_problem(info: zipfile.ZipInfo) -> str | None:
    name = info.filename
    problem = _path_problem(name)
    if problem:
        return problem
    file_type = stat.S_IFMT(info.external_attr >> 16)
    if file_type == stat.S_IFLNK:
        return "is a symbolic link"
    if info.is_dir() or (file_type and file_type != stat.S_IFREG):
        return "is not a regular file"
    if not _is_layout_name(name):
        return "is outside the archive's layout"
    return None


def _is_layout_name(name: str) -> bool:
    if _path_problem(name):
        return False
    return (
        name in (MANIFEST_NAME, DATABASE_NAME)
        or _AUDIO_MEMBER.fullmatch(name) is not None
        or _DECK_MEMBER.fullmatch(name) is not None
    )


def _deck_files(data_dir: Path) -> list[Path]:
    folder = data_dir / DECKS_DIR
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and _DECK_MEMBER.fullmatch(f"{DECKS_DIR}/{p.name}")
    )


def _parse_manifest(archive: Path, raw: bytes) -> dict[str, Any]:
    try:
        manifest = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
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
        raise _problem(archive, _newer(schema))
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
        if path == MANIFEST_NAME or not _is_layout_name(path) or path in seen:
            raise _problem(archive, f"manifest.json lists an invalid file {path!r}")
        seen.add(path)
    return manifest


def _extract(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, limit: int
) -> tuple[int, str]:
    """Copy one member out, hashing as it goes; never more than `limit` + 1 bytes."""
    digest = hashlib.sha256()
    size = 0
    with zf.open(info) as src, target.open("wb") as dst:
        while size <= limit:
            chunk = src.read(min(_CHUNK, limit + 1 - size))
            if not chunk:
                break
            digest.update(chunk)
            size += len(chunk)
            dst.write(chunk)
    return size, digest.hexdigest()


def _schema_of(path: Path) -> int | None:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return int(conn.execute("PRAGMA user_version").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
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
    data_dir: Path,
    progress: Progress = _no_progress,
) -> RestoreSummary:
    try:
        snapshot = Database(staging / DATABASE_NAME)  # brings the snapshot to this schema
        try:
            sessions = [dict(row) for row in snapshot.execute("SELECT * FROM sessions")]
            takes = [dict(row) for row in snapshot.execute("SELECT * FROM takes ORDER BY id")]
        finally:
            snapshot.close()
    except (DatabaseEnvironmentError, sqlite3.Error) as exc:
        raise _problem(archive, f"its database cannot be read ({exc})") from exc
    session_uids = {int(s["id"]): s["uid"] for s in sessions}
    for take in takes:
        if not take.get("uid") or take["session_id"] not in session_uids:
            raise _problem(archive, "its database has a take without a uid or a session")
        path = str(take["audio_path"])
        problem = _path_problem(path)
        if problem:
            raise _problem(archive, f"its database lists an audio path with {problem[4:]}")
        if not _is_layout_name(path) or path.startswith(TRASH_PREFIX):
            raise _problem(archive, f"its database lists an audio path outside audio/: {path!r}")

    # The archive is sound: only from here on is the data folder touched.
    ensure_private_dir(data_dir)
    try:
        target = Database(data_dir / DATABASE_NAME)
    except DatabaseEnvironmentError as exc:
        raise BackupError(f"cannot restore {archive}: {exc}") from exc
    written: list[Path] = []
    sidecars: list[Path] = []  # audio files whose sidecar this restore wrote
    try:
        known_takes = {row[0] for row in target.execute("SELECT uid FROM takes")}
        known_sessions = {row[0] for row in target.execute("SELECT uid FROM sessions")}
        used = {str(row[0]) for row in target.execute("SELECT audio_path FROM takes")}
        plans: list[_Plan] = []
        for take in takes:
            if take["uid"] in known_takes:
                continue
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
            trashed = plan.row.get("trashed_at") is not None
            destination = data_dir / ((TRASH_PREFIX if trashed else "") + plan.target_rel)
            # The sidecar before the audio: should the restore die before the rows are in, the
            # next start adopts the file as the take it is (same uid), and restoring again
            # adds only what is still missing.
            record = _take_record(plan.row, sessions_by_uid[session_uids[plan.row["session_id"]]])
            if record is not None:
                sidecar.write(destination, record)
                sidecars.append(destination)
            _copy_atomic(plan.source, destination)
            written.append(destination)
            progress("adding", done, len(copies))
        new_sessions = [s for s in sessions if s["uid"] not in known_sessions]
        _insert(target, session_uids, new_sessions, plans)
    except BaseException:
        for stray in written:
            with contextlib.suppress(OSError):
                stray.unlink()
        for audio in sidecars:
            sidecar.remove(audio)
        raise
    finally:
        target.close()
    # After the takes are in (their files must never be cleaned up from here on).
    decks_added, decks_kept = _merge_decks(staging, listed, data_dir)
    return RestoreSummary(
        archive=archive,
        takes_added=len(plans),
        takes_skipped=len(takes) - len(plans),
        sessions_added=len(new_sessions),
        sessions_skipped=len(sessions) - len(new_sessions),
        files_added=len(written),
        files_renamed=sum(p.target_rel != p.row["audio_path"] for p in plans),
        takes_without_audio=sum(p.source is None for p in plans),
        decks_added=decks_added,
        decks_kept=decks_kept,
    )


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
        _copy_atomic(staging / DECKS_DIR / PLANS_FILE, local_plans)
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


def _copy_atomic(source: Path, destination: Path) -> None:
    ensure_private_dir(destination.parent)
    fd, temp_name = tempfile.mkstemp(
        prefix=f".{destination.name}.", suffix=".tmp", dir=destination.parent
    )
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as dst, source.open("rb") as src:
            shutil.copyfileobj(src, dst, _CHUNK)
            dst.flush()
            os.fsync(dst.fileno())
        os.replace(temp, destination)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _fsync_dir(destination.parent)


def _insert(
    target: Database,
    session_uids: dict[int, str],
    new_sessions: list[dict[str, Any]],
    plans: list[_Plan],
) -> None:
    """Add the new sessions and takes in one transaction (after their audio is in place)."""
    take_columns = [row[1] for row in target.execute("PRAGMA table_info(takes)")]
    session_columns = [row[1] for row in target.execute("PRAGMA table_info(sessions)")]
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
            conn.execute(
                f"INSERT INTO takes ({', '.join(columns)}) "
                f"VALUES ({', '.join('?' for _ in columns)})",
                tuple(values[c] for c in columns),
            )


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):  # not every platform lets a folder be opened
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


__all__ = [
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "BackupError",
    "BackupSummary",
    "RestoreSummary",
    "create_backup",
    "restore_backup",
]
