"""Restore: merge a backup archive (see `archive_format.py`) into a library, new or existing.

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
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

from closer_desktop.domain.deck import DeckError, load_deck
from closer_desktop.paths import DATABASE_NAME, ensure_private_dir
from closer_desktop.storage import sidecar
from closer_desktop.storage.archive_format import (
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
from closer_desktop.storage.database import SCHEMA_VERSION, Database, DatabaseEnvironmentError
from closer_desktop.storage.files import fsync_dir
from closer_desktop.storage.sidecar import TakeRecord

_MAX_MANIFEST_BYTES = 64 * 1024 * 1024


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


def restore_backup(
    archive: Path, data_dir: Path, progress: Progress = no_progress
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
        raise _problem(archive, newer_message(schema))
    if schema != manifest["schema_version"]:
        raise _problem(archive, "the database's schema version does not match the manifest")
    for name in sorted(listed):
        if name.startswith(f"{DECKS_DIR}/") and name.endswith(".toml"):
            try:
                load_deck(staging.joinpath(*PurePosixPath(name).parts))
            except DeckError as exc:
                raise _problem(archive, f"member {name!r} is not a readable deck ({exc})") from exc
    return listed


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
    return None


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
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, limit: int
) -> tuple[int, str]:
    """Copy one member out, hashing as it goes; never more than `limit` + 1 bytes."""
    digest = hashlib.sha256()
    size = 0
    with zf.open(info) as src, target.open("wb") as dst:
        while size <= limit:
            chunk = src.read(min(CHUNK, limit + 1 - size))
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
    data_dir: Path,
    progress: Progress = no_progress,
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
        problem = path_problem(path)
        if problem:
            raise _problem(archive, f"its database lists an audio path with {problem[4:]}")
        if not is_layout_name(path) or path.startswith(TRASH_PREFIX):
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
            shutil.copyfileobj(src, dst, CHUNK)
            dst.flush()
            os.fsync(dst.fileno())
        os.replace(temp, destination)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    fsync_dir(destination.parent)


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


__all__ = ["RestoreSummary", "restore_backup"]
