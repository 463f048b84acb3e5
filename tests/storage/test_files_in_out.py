"""Files in and out (issue 16, part 3): what a backup reads, where it may write, and reading a
library on a read-only or full disk. Real links, named pipes, mounts and processes."""

from __future__ import annotations

import json
import os
import resource
import sqlite3
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from closer_desktop.cli import main as cli_main
from closer_desktop.storage.database import (
    DatabaseCorruptError,
    DatabaseDiskFullError,
    check_file_integrity,
)
from closer_desktop.storage.recovery import open_library
from closer_desktop.transfer.archive_format import BackupError
from closer_desktop.transfer.backup import create_backup
from tests.storage.test_recovery import crash_with_a_wal, rated_library
from tests.support.filesystems import fill, remount
from tests.transfer.test_backup import build_library, listing

SECRET = b"someone else's private words"
# What opening a library may leave beside it without changing it: its lock, SQLite's index files.
COMPANIONS = {"closer.lock", "closer.sqlite3-wal", "closer.sqlite3-shm"}


def files_of(data_dir: Path) -> dict[str, str]:
    """`listing` without the companions: the library's own files, each with its digest."""
    return {k: v for k, v in (listing(data_dir) or {}).items() if k not in COMPANIONS}


def audio_paths(data_dir: Path) -> list[Path]:
    """Each take's audio file where it is now (the trash's under trash/), in id order."""
    conn = sqlite3.connect(f"{(data_dir / 'closer.sqlite3').as_uri()}?mode=ro", uri=True)
    rows = conn.execute("SELECT audio_path, trashed_at FROM takes ORDER BY id").fetchall()
    conn.close()
    return [(data_dir / "trash" if trashed else data_dir) / path for path, trashed in rows]


def run_closer(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """The real command in a child whose files may not grow past 64 MB (a backup that reads
    /dev/zero is killed there, not when the disk is full)."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 << 20, 64 << 20))

    return subprocess.run(
        [sys.executable, "-m", "closer_desktop", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=limit,
    )


# What a backup reads -----------------------------------------------------------------------------


def test_backup_leaves_out_links_pipes_and_devices_and_names_them(tmp_path: Path) -> None:
    source, archive = tmp_path / "source", tmp_path / "out" / "b.zip"
    build_library(source)
    private = tmp_path / "private.txt"
    private.write_bytes(SECRET)
    private.chmod(0o600)
    takes = audio_paths(source)
    replaced = {takes[0]: "link", takes[1]: "zero", takes[2]: "fifo"}  # takes[2] is in the trash
    for path, kind in replaced.items():
        path.unlink()
        if kind == "link":
            path.symlink_to(private)
        elif kind == "zero":
            path.symlink_to("/dev/zero")
        else:
            os.mkfifo(path)

    started = time.monotonic()
    done = run_closer("backup", "--data-dir", str(source), str(archive))
    elapsed = time.monotonic() - started

    assert done.returncode == 0, done.stderr
    assert elapsed < 30
    lines = done.stderr.splitlines()
    assert lines[0].startswith("backed up 5 takes")
    skipped = [line for line in lines if "skipped 3 that are not regular files" in line]
    assert len(skipped) == 1 and skipped[0].startswith("closer: warning:")
    with zipfile.ZipFile(archive) as zf:
        names = set(zf.namelist())
        assert all(SECRET not in zf.read(name) for name in names)
    for path in replaced:
        member = path.relative_to(source).as_posix()
        assert member not in names and member in skipped[0]
    assert {str(p.relative_to(source)) for p in takes[3:]} <= names


def test_backup_does_not_follow_a_linked_folder_to_someone_elses_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A month's folder replaced by a link to a private folder holding files of the same names:
    O_NOFOLLOW on the file alone would not see it."""
    source = tmp_path / "source"
    build_library(source)
    take = audio_paths(source)[0]
    month = take.parent
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    for file in month.iterdir():
        (private / file.name).write_bytes(SECRET)
    month.rename(tmp_path / "moved-month")
    month.symlink_to(private, target_is_directory=True)

    assert cli_main(["backup", "--data-dir", str(source), str(tmp_path / "b.zip")]) == 0
    err = capsys.readouterr().err
    assert "not regular files" in err and take.relative_to(source).as_posix() in err
    with zipfile.ZipFile(tmp_path / "b.zip") as zf:
        assert all(SECRET not in zf.read(name) for name in zf.namelist())


def test_backup_says_how_many_audio_files_are_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "source"
    build_library(source)
    for path in audio_paths(source)[:2]:
        path.unlink()
    assert cli_main(["backup", "--data-dir", str(source), str(tmp_path / "b.zip")]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("backed up 5 takes")
    assert err[1].startswith("closer: warning: 2 audio files missing")


# Where a backup writes ---------------------------------------------------------------------------


def test_backup_through_a_linked_folder_onto_the_library_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "source"
    build_library(source)
    (source / "decks").mkdir(exist_ok=True)
    link = tmp_path / "looks-elsewhere"
    link.symlink_to(source)
    before = listing(source)
    for name in (
        "closer.sqlite3",
        "closer.sqlite3-wal",
        "closer.sqlite3.damaged-20260101-000000",
        "closer.lock",
        "audio/b.zip",
        "trash/audio/b.zip",
        "decks/b.zip",
    ):
        with pytest.raises(BackupError, match="part of the library"):
            create_backup(source, link / name)
        assert listing(source) == before, name
    assert cli_main(["backup", "--data-dir", str(source), str(link / "closer.sqlite3")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "part of the library" in err and "Traceback" not in err
    assert listing(source) == before
    for name in ("backup.zip", "closer.zip"):  # beside the library is fine, as before
        create_backup(source, link / name)
        assert zipfile.ZipFile(source / name).testzip() is None


def test_backup_never_replaces_a_pipe_or_a_link_named_as_its_archive(tmp_path: Path) -> None:
    source = tmp_path / "source"
    build_library(source)
    fifo, link, target = tmp_path / "pipe.zip", tmp_path / "link.zip", tmp_path / "kept.zip"
    os.mkfifo(fifo)
    target.write_bytes(b"mine")
    link.symlink_to(target)
    for output in (fifo, link):
        with pytest.raises(OSError, match="not a regular file"):
            create_backup(source, output)
    assert fifo.is_fifo() and link.is_symlink() and target.read_bytes() == b"mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["source", "pipe.zip", "link.zip", "kept.zip"]
    )  # no temp file left either


# A library on a read-only or full disk -----------------------------------------------------------


def read_everything(data_dir: Path, out: Path) -> dict[str, object]:
    """Back up, export and report the library in `data_dir` to `out`, all through the CLI."""
    out.mkdir(exist_ok=True)
    codes = [
        cli_main(["backup", "--data-dir", str(data_dir), str(out / "b.zip")]),
        cli_main(["export", "--data-dir", str(data_dir), "--output", str(out / "e.json")]),
        cli_main(["report", "--data-dir", str(data_dir), "--output", str(out / "r.html")]),
    ]
    assert codes == [0, 0, 0]
    exported = json.loads((out / "e.json").read_text())
    with zipfile.ZipFile(out / "b.zip") as zf:
        (out / "backed-up.sqlite3").write_bytes(zf.read("closer.sqlite3"))
    conn = sqlite3.connect(out / "backed-up.sqlite3")
    backed_up_notes = sorted(str(row[0]) for row in conn.execute("SELECT note FROM takes"))
    conn.close()
    return {
        "notes": sorted(t["note"] for s in exported["sessions"] for t in s["takes"]),
        "backed_up_notes": backed_up_notes,
        "report": (out / "r.html").stat().st_size > 0,
    }


@pytest.mark.parametrize("with_wal", [False, True], ids=["closed cleanly", "changes in its -wal"])
def test_a_library_on_a_read_only_disk_can_be_backed_up_exported_and_reported(
    tmpfs: Callable[[int], Path], tmp_path: Path, with_wal: bool
) -> None:
    data_dir = tmpfs(16 * 1024 * 1024) / "library"
    first = rated_library(data_dir)[0]
    if with_wal:
        crash_with_a_wal(data_dir, first)
    remount(data_dir.parent, read_only=True)
    before = listing(data_dir)
    seen = read_everything(data_dir, tmp_path / "out")
    assert listing(data_dir) == before
    assert seen["report"] is True
    expected = "written just before the crash" if with_wal else "Slower — and smile ☺"
    assert expected in seen["notes"]  # type: ignore[operator]
    assert expected in seen["backed_up_notes"]  # type: ignore[operator]


@pytest.fixture
def library_disk_refuses_writes(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Path]]:
    """Where no file system can be mounted: SQLite cannot open the library's folder for anything
    but an immutable read, as on a read-only disk where no -shm can be made (SQLITE_CANTOPEN).
    Append the data folder to the list yielded."""
    folders: list[Path] = []
    real_connect = sqlite3.connect

    def connect(target: Any, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        text = str(target)
        if "immutable=1" not in text and any(str(folder) in text for folder in folders):
            error = sqlite3.OperationalError("unable to open database file")
            error.sqlite_errorname = "SQLITE_CANTOPEN"
            raise error
        connection: sqlite3.Connection = real_connect(target, *args, **kwargs)
        return connection

    monkeypatch.setattr(sqlite3, "connect", connect)
    yield folders


@pytest.mark.parametrize("with_wal", [False, True], ids=["closed cleanly", "changes in its -wal"])
def test_a_library_sqlite_cannot_open_for_writing_is_still_read(
    library_disk_refuses_writes: list[Path], tmp_path: Path, with_wal: bool
) -> None:
    data_dir = tmp_path / "library"
    first = rated_library(data_dir)[0]
    if with_wal:
        crash_with_a_wal(data_dir, first)
    library_disk_refuses_writes.append(data_dir)
    before = listing(data_dir)
    seen = read_everything(data_dir, tmp_path / "out")
    assert listing(data_dir) == before
    expected = "written just before the crash" if with_wal else "Slower — and smile ☺"
    assert expected in seen["notes"] and expected in seen["backed_up_notes"]  # type: ignore[operator]


def test_a_full_disk_is_called_full_never_damaged(
    tmpfs: Callable[[int], Path], tmp_path: Path
) -> None:
    data_dir = tmpfs(8 * 1024 * 1024) / "library"
    rated_library(data_dir)
    fill(data_dir.parent, 0)
    before = files_of(data_dir)
    with pytest.raises(DatabaseDiskFullError) as caught:
        open_library(data_dir)
    message = str(caught.value)
    assert "full" in message and "damaged" not in message.replace("not damaged", "")
    assert not list(data_dir.glob("*.damaged-*"))  # never set aside for it
    assert files_of(data_dir) == before
    seen = read_everything(data_dir, tmp_path / "out")  # and the output goes elsewhere
    assert "Slower — and smile ☺" in seen["notes"]  # type: ignore[operator]


def test_sqlite_saying_the_disk_is_full_is_not_damage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The twin of the test above where no small file system can be mounted: SQLite reports
    SQLITE_FULL while the library is checked."""
    data_dir = tmp_path / "library"
    rated_library(data_dir)
    before = files_of(data_dir)
    real_connect = sqlite3.connect

    def connect(target: Any, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        if str(data_dir) in str(target):
            error = sqlite3.OperationalError("database or disk is full")
            error.sqlite_errorname = "SQLITE_FULL"
            raise error
        connection: sqlite3.Connection = real_connect(target, *args, **kwargs)
        return connection

    monkeypatch.setattr(sqlite3, "connect", connect)
    with pytest.raises(DatabaseDiskFullError) as caught:
        open_library(data_dir)
    message = str(caught.value)
    assert "full" in message and "damaged" not in message.replace("not damaged", "")
    monkeypatch.undo()
    assert not list(data_dir.glob("*.damaged-*"))
    assert files_of(data_dir) == before


def test_checking_a_damaged_library_read_only_leaves_nothing_beside_it(data_dir: Path) -> None:
    """The read-only opening's own -wal and -shm go again when the file turns out damaged, so
    the damaged file is set aside alone, as it was found."""
    rated_library(data_dir)
    database = data_dir / "closer.sqlite3"
    database.write_bytes(database.read_bytes()[:5000])  # truncated
    before = listing(data_dir)
    with pytest.raises(DatabaseCorruptError, match="damaged"):
        check_file_integrity(database)
    assert listing(data_dir) == before
