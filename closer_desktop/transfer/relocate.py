"""Moving a library to another folder without ever risking it: copy, verify, and only then switch.

`copy_library(source, target)` copies everything in the library folder into `target` (which must
be new or empty, and neither inside the library nor around it): the database through SQLite's
backup API (a consistent snapshot, even with the app's connection open), every other file byte for
byte (but the waveform cache, `cache/`, which is made again when needed). It then reads the copy
back: each file's SHA-256 must match the source's, and the copied database must pass
`PRAGMA integrity_check` and hold as many sessions and takes as the source. Only a copy that
passed is reported; the caller then points the settings at it.

Nothing here deletes or changes anything in `source`: the old folder stays until the user removes
it. A failed copy leaves `target` as far as it got (never touching what was there before, since
it had to be empty) and raises RelocateError naming the problem.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from closer_desktop.paths import DATABASE_NAME, ensure_private_dir
from closer_desktop.storage.database import read_only_connection, snapshot_database
from closer_desktop.storage.files import open_regular
from closer_desktop.storage.lock import LOCK_NAME, LibraryLock, LibraryLocked

CHUNK = 1024 * 1024
# SQLite's companions of the database: their content is in the backup-API copy.
SKIPPED = {
    DATABASE_NAME + "-wal",
    DATABASE_NAME + "-shm",
    DATABASE_NAME + "-journal",
    LOCK_NAME,  # the lock of the library being copied; the copy gets its own
}
# Derived from the recordings and made again when missing (waveform peaks): not copied, and the
# app may be writing there while the library is copied.
DERIVED = {"cache"}

Progress = Callable[[int, int], None]  # (files done, files in all)


class RelocateError(Exception):
    """The library could not be copied or the copy did not verify; the message is for the user."""


@dataclass(frozen=True)
class CopyReport:
    source: Path
    target: Path
    files: int
    bytes: int
    takes: int

    def describe(self) -> str:
        megabytes = self.bytes / 1_000_000
        return (
            f"Copied {self.files} files ({megabytes:.1f} MB, {self.takes} takes) to {self.target} "
            f"and checked every one. The old folder {self.source} was left as it was: remove it "
            "yourself once you are happy with the new place."
        )


def check_target(source: Path, target: Path) -> None:
    """Refuse a target that is the library, inside it, around it, or a folder with files in it."""
    source, target = source.resolve(), target.expanduser().resolve()
    if target == source:
        raise RelocateError("That is the folder the library is in already.")
    if target.is_relative_to(source):
        raise RelocateError("The new folder cannot be inside the library's folder.")
    if source.is_relative_to(target):
        raise RelocateError("The new folder cannot hold the library's current folder.")
    if target.exists() and not target.is_dir():
        raise RelocateError(f"{target} is a file, not a folder.")
    if target.is_dir() and any(target.iterdir()):
        raise RelocateError(
            f"{target} is not empty. Choose a new or empty folder: nothing there is overwritten."
        )


def copy_library(source: Path, target: Path, progress: Progress | None = None) -> CopyReport:
    """Copy the library in `source` to `target` and verify the copy (see the module docstring)."""
    source, target = source.resolve(), target.expanduser().resolve()
    check_target(source, target)
    if not (source / DATABASE_NAME).exists():
        raise RelocateError(f"There is no library in {source} to move.")
    files = sorted(
        p for p in source.rglob("*") if p.is_file() and not p.is_symlink() and p.name not in SKIPPED
    )
    files = [
        p
        for p in files
        if p.relative_to(source).as_posix() != DATABASE_NAME
        and p.relative_to(source).parts[0] not in DERIVED
    ]
    try:
        ensure_private_dir(target)
        # Held while the copy is incomplete: a Closer started on the new folder meanwhile would
        # take its half-copied audio for takes to recover.
        lock = LibraryLock.acquire(target, "Closer (moving a library here)")
    except LibraryLocked as exc:
        raise RelocateError(f"The new folder is in use: {exc}.") from exc
    except OSError as exc:
        raise RelocateError(f"The copy failed ({target}): {exc.strerror or exc}") from exc
    with lock:
        return _copy_into(source, target, files, progress)


def _copy_into(
    source: Path, target: Path, files: list[Path], progress: Progress | None
) -> CopyReport:
    try:
        takes = _copy_database(source / DATABASE_NAME, target / DATABASE_NAME)
        hashes: dict[Path, str] = {}
        total = len(files) + 1
        copied = (target / DATABASE_NAME).stat().st_size
        for done, path in enumerate(files, start=1):
            relative = path.relative_to(source)
            destination = target / relative
            destination.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            try:
                hashes[relative] = _copy_file(path, destination)
            except FileNotFoundError:
                if path.exists():
                    raise
                # Gone since the folder was listed: a temp file of an atomic write, renamed to
                # the name listed beside it (copied with the rest). Nothing to copy.
                destination.unlink(missing_ok=True)
                continue
            copied += destination.stat().st_size
            if progress is not None:
                progress(done, total)
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        raise RelocateError(f"The copy failed{where}: {exc.strerror or exc}") from exc
    for relative, digest in hashes.items():  # read the copy back, as it is on disk now
        if _sha256(target / relative) != digest:
            raise RelocateError(f"The copy of {relative} differs from the original.")
    if progress is not None:
        progress(len(files) + 1, len(files) + 1)
    return CopyReport(source, target, len(hashes) + 1, copied, takes)


def _copy_database(source: Path, target: Path) -> int:
    """A consistent snapshot (database.snapshot_database); returns the number of takes, once
    verified."""
    try:
        snapshot_database(source, target)
        with read_only_connection(source) as origin:
            counts = _counts(origin)
        check = sqlite3.connect(target)
        try:
            verdict = check.execute("PRAGMA integrity_check").fetchone()[0]
            copied = _counts(check)
        finally:
            check.close()
    except sqlite3.Error as exc:
        raise RelocateError(f"The library's database could not be copied: {exc}") from exc
    if verdict != "ok":
        raise RelocateError(f"The copied database is damaged: {verdict}")
    if copied != counts:
        raise RelocateError("The copied database does not hold every session and take.")
    return counts[1]


def _counts(conn: sqlite3.Connection) -> tuple[int, int]:
    sessions = int(conn.execute("SELECT COUNT(*) FROM sessions").fetchone()[0])
    takes = int(conn.execute("SELECT COUNT(*) FROM takes").fetchone()[0])
    return sessions, takes


def _copy_file(source: Path, destination: Path) -> str:
    """Copy, returning the SHA-256 of what was read; the copy is flushed to disk."""
    digest = hashlib.sha256()
    # A file swapped for a link or a pipe since the folder was listed is refused, not followed.
    with open_regular(source) as reader, destination.open("xb") as writer:
        while chunk := reader.read(CHUNK):
            digest.update(chunk)
            writer.write(chunk)
        writer.flush()
        os.fsync(writer.fileno())
    shutil.copystat(source, destination)
    return digest.hexdigest()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as reader:
        while chunk := reader.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
