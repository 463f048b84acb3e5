"""A data folder others can write in is warned about before use, one that belongs to someone
else and that anyone can write in is refused (storage/files.py: data_folder_warning), by the
command line and by the app's start-up alike."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from closer_desktop.cli import main as cli_main
from closer_desktop.storage.database import DatabaseEnvironmentError
from closer_desktop.storage.lock import LibraryLock
from closer_desktop.storage.recovery import open_library
from tests.storage.test_recovery import rated_library
from tests.transfer.test_backup import listing

NOBODY = 65534


def give_away(folder: Path) -> None:
    """Make `folder` someone else's (needs root: where it is not, the test cannot be made)."""
    if os.geteuid() != 0:
        pytest.skip("giving a folder to another user needs root")
    os.chown(folder, NOBODY, NOBODY)


def test_a_folder_anyone_can_write_in_is_warned_about(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rated_library(data_dir)
    data_dir.chmod(0o777)
    assert cli_main(["export", "--data-dir", str(data_dir), "-o", str(tmp_path / "e.json")]) == 0
    warning = capsys.readouterr().err.splitlines()[0]
    assert warning.startswith("closer: warning: ") and "group and others (0777)" in warning
    assert (tmp_path / "e.json").exists()

    library, report = open_library(data_dir)
    library.close()
    assert "not private" in (report.message() or "") and "0777" in (report.message() or "")
    assert data_dir.stat().st_mode & 0o777 == 0o700  # made private as it is opened


def test_someone_elses_folder_is_warned_about(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rated_library(data_dir)
    give_away(data_dir)
    assert cli_main(["backup", "--data-dir", str(data_dir), str(tmp_path / "b.zip")]) == 0
    err = capsys.readouterr().err
    assert f"belongs to another user (uid {NOBODY})" in err and "closer: warning:" in err


def test_someone_elses_folder_anyone_can_write_in_is_refused(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rated_library(data_dir)
    data_dir.chmod(0o777)
    give_away(data_dir)
    before = listing(data_dir)
    for command in (
        ["backup", "--data-dir", str(data_dir), str(tmp_path / "b.zip")],
        ["export", "--data-dir", str(data_dir), "-o", str(tmp_path / "e.json")],
        ["deck", "list", "--data-dir", str(data_dir)],
    ):
        assert cli_main(command) == 2
        captured = capsys.readouterr()
        assert captured.out == "" and captured.err.count("\n") == 1
        assert captured.err.startswith(f"closer: cannot use {data_dir}: it belongs to another")
    assert not (tmp_path / "b.zip").exists() and not (tmp_path / "e.json").exists()

    with pytest.raises(DatabaseEnvironmentError, match="anyone can write in it"):
        open_library(data_dir)
    assert listing(data_dir) == before  # nothing made in it, not even a lock


def test_the_app_says_so_though_its_lock_made_the_folder_private_first(data_dir: Path) -> None:
    """The app takes the library's lock at launch (which makes the folder private), and opens
    the library after: what the folder was like is said all the same."""
    rated_library(data_dir)
    data_dir.chmod(0o770)
    lock = LibraryLock.acquire(data_dir, "Closer")
    try:
        assert data_dir.stat().st_mode & 0o777 == 0o700
        library, report = open_library(data_dir, lock)
        library.close()
    finally:
        lock.release()
    assert "can be written by group (0770)" in (report.message() or "")


def test_the_app_refuses_someone_elses_folder_anyone_can_write_in(data_dir: Path) -> None:
    rated_library(data_dir)
    data_dir.chmod(0o777)
    give_away(data_dir)
    before = listing(data_dir)
    with pytest.raises(OSError, match="anyone can write in it"):
        LibraryLock.acquire(data_dir, "Closer")
    assert listing(data_dir) == before
