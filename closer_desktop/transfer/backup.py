"""Backup of a whole library as one zip archive (see `archive_format.py` for its layout).

The database goes in as a consistent snapshot taken from a read-only connection of its own (so a
library on a read-only or full disk can still be backed up elsewhere), the audio files as they
are; the archive is written to a temp file, synced and renamed, so a crash never leaves half an
archive under the chosen name, and nothing is ever written in place.

Only regular files go in: a take replaced by a symbolic link (to someone's private file, to
/dev/zero), a named pipe or a device is left out and named in the summary, as a missing file is.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import stat
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO

from closer_desktop import __version__
from closer_desktop.domain.text import counted
from closer_desktop.paths import DATABASE_NAME
from closer_desktop.storage.database import (
    Database,
    DatabaseEnvironmentError,
    environment_error,
    is_environment_error,
    snapshot_database,
)
from closer_desktop.storage.files import (
    NotRegularFileError,
    atomic_output,
    check_output_path,
    open_regular,
)
from closer_desktop.storage.lock import LOCK_NAME
from closer_desktop.transfer.archive_format import (
    CHUNK,
    DECK_MEMBER,
    DECKS_DIR,
    FORMAT_NAME,
    FORMAT_VERSION,
    MANIFEST_NAME,
    TRASH_PREFIX,
    BackupError,
    Progress,
    is_layout_name,
    no_progress,
)


@dataclass(frozen=True)
class BackupSummary:
    archive: Path
    sessions: int
    takes: int
    audio_files: int
    missing_audio: int  # takes listed without a file on disk
    bytes_written: int
    # Left out because they are not regular files (a link, a named pipe, a device): their names.
    skipped: tuple[str, ...] = field(default=())

    def describe(self) -> str:
        return (
            f"backed up {self.takes} takes in {self.sessions} sessions "
            f"({self.audio_files} audio files, {self.bytes_written / 1e6:.1f} MB) to {self.archive}"
        )

    def warnings(self) -> list[str]:
        """What the backup lacks, one line each (none: everything is in it)."""
        lines = []
        if self.missing_audio:
            lines.append(
                f"{counted(self.missing_audio, 'audio file')} missing: their takes' ratings and "
                "notes are in the backup, their audio is not"
            )
        if self.skipped:
            names = ", ".join(self.skipped[:5]) + (", …" if len(self.skipped) > 5 else "")
            lines.append(
                f"skipped {len(self.skipped)} that {'is' if len(self.skipped) == 1 else 'are'} "
                f"not regular files (a link, a named pipe or a device): {names}"
            )
        return lines


# Backup -------------------------------------------------------------------------------------


def create_backup(data_dir: Path, archive: Path, progress: Progress = no_progress) -> BackupSummary:
    """Write the library in `data_dir` to the zip `archive`, atomically (temp file, fsync, rename)."""
    database = data_dir / DATABASE_NAME
    if not database.is_file():
        raise BackupError(f"no library in {data_dir} (nothing recorded there yet)")
    archive = _resolve_output(archive)
    _refuse_inside_library(data_dir, archive)
    check_output_path(archive)
    archive.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="closer-backup-") as work:
        snapshot = Path(work) / DATABASE_NAME
        schema, sessions, rows = _snapshot(database, snapshot, data_dir)
        entries: list[dict[str, object]] = []
        missing = 0
        audio_files = 0
        skipped: list[str] = []
        with atomic_output(archive) as raw:
            with zipfile.ZipFile(raw, "w", compression=zipfile.ZIP_DEFLATED) as zf:
                entries.append(_store(zf, DATABASE_NAME, [snapshot], snapshot.parent))
                progress("copying", 1, 1 + len(rows))
                for done, (audio_path, trashed) in enumerate(rows, start=2):
                    name = (TRASH_PREFIX + audio_path) if trashed else audio_path
                    other = audio_path if trashed else TRASH_PREFIX + audio_path
                    # A take trashed (or restored) since the snapshot: its file has moved.
                    try:
                        entries.append(
                            _store(zf, name, [data_dir / name, data_dir / other], data_dir)
                        )
                        audio_files += 1
                    except FileNotFoundError:
                        missing += 1
                    except NotRegularFileError:
                        skipped.append(name)
                    progress("copying", done, 1 + len(rows))
                for deck_file in _deck_files(data_dir):
                    name = f"{DECKS_DIR}/{deck_file.name}"
                    try:
                        entries.append(_store(zf, name, [deck_file], data_dir))
                    except FileNotFoundError:  # deleted meanwhile
                        pass
                    except NotRegularFileError:
                        skipped.append(name)
                manifest = {
                    "format": FORMAT_NAME,
                    "format_version": FORMAT_VERSION,
                    "closer_version": __version__,
                    "schema_version": schema,
                    "created_at": datetime.now().astimezone().replace(microsecond=0).isoformat(),
                    "files": entries,
                }
                zf.writestr(MANIFEST_NAME, json.dumps(manifest, indent=2) + "\n")
            written = raw.tell()
    return BackupSummary(
        archive=archive,
        sessions=sessions,
        takes=len(rows),
        audio_files=audio_files,
        missing_audio=missing,
        bytes_written=written,
        skipped=tuple(skipped),
    )


def _resolve_output(archive: Path) -> Path:
    """The archive's real place: its folder with every link resolved, and its own name (a link
    there is refused later, never followed). Raises BackupError for a name that is no file's."""
    archive = archive.expanduser()
    if archive.name in ("", ".", ".."):
        raise BackupError(f"cannot back up to {archive}: that is a folder; choose a file name")
    return archive.parent.resolve() / archive.name


def _refuse_inside_library(data_dir: Path, archive: Path) -> None:
    """Refuse an archive (resolved) that would replace part of the library.

    Only a plain file beside the library is allowed: not in any of its folders (audio, trash,
    decks...), and not one of its own files (`closer.sqlite3` with its -wal, -shm and set-aside
    copies, the lock file) or hidden ones (temp files). The folder is also compared by identity,
    so another path to it (a bind mount) is seen through.
    """
    root = data_dir.expanduser().resolve()
    folders = [archive.parent, *archive.parent.parents]
    inside = archive.parent != root and any(
        folder == root or _same_folder(folder, root) for folder in folders
    )
    beside = archive.parent == root or _same_folder(archive.parent, root)
    own = archive.name.startswith((DATABASE_NAME, ".")) or archive.name == LOCK_NAME
    if inside or (beside and own):
        raise BackupError(
            f"cannot back up to {archive}: it is part of the library; choose another place"
        )


def _same_folder(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _snapshot(
    database: Path, target: Path, data_dir: Path
) -> tuple[int, int, list[tuple[str, bool]]]:
    """Copy the live database with SQLite's backup API from a connection of its own.

    The copy is brought to this schema (so old libraries get their uids once, in the archive),
    and takes reserved for a recording that never reached disk are left out of it.
    Returns (schema version, sessions, [(audio_path, trashed)] of the takes).
    """
    try:
        try:
            snapshot_database(database, target)  # read-only: works on a read-only or full disk
        except sqlite3.Error as exc:
            if is_environment_error(exc):
                raise environment_error(exc, str(exc), database) from exc
            raise
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
        if not is_layout_name(path) or path.startswith(TRASH_PREFIX):
            raise BackupError(f"the library lists an audio file outside audio/: {path!r}")
    return schema, sessions, result


def _store(
    zf: zipfile.ZipFile, name: str, candidates: list[Path], within: Path
) -> dict[str, object]:
    """Add the first of `candidates` that exists as member `name`; FileNotFoundError if none,
    NotRegularFileError (from `open_regular`) if the first there is a link, pipe or device, or
    a folder on its way from `within` (the data folder) is a link."""
    src: IO[bytes] | None = None
    for _attempt in range(3):
        for candidate in candidates:
            with contextlib.suppress(FileNotFoundError):
                src = open_regular(candidate, within)
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
            while chunk := src.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                dst.write(chunk)
    return {"path": name, "size": size, "sha256": digest.hexdigest()}


def _zip_time(mtime: float) -> tuple[int, int, int, int, int, int]:
    t = datetime.fromtimestamp(mtime)
    if t.year < 1980:
        return (1980, 1, 1, 0, 0, 0)
    return (t.year, t.month, t.day, t.hour, t.minute, t.second)


def _deck_files(data_dir: Path) -> list[Path]:
    folder = data_dir / DECKS_DIR
    if not folder.is_dir():
        return []
    # Anything by a deck's name is listed (not only regular files): `_store` then leaves a link
    # or a pipe out and names it.
    return sorted(
        p
        for p in folder.iterdir()
        if not p.is_dir() and DECK_MEMBER.fullmatch(f"{DECKS_DIR}/{p.name}")
    )


__all__ = ["BackupSummary", "create_backup"]
