"""A -wal left without its database joins a set-aside copy only if it is that copy's journal
(storage/recovery.py: _journal_belongs_to); any other is kept aside untouched, never replayed
over a database it does not belong to. Real databases, real journals left by a killed process."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path

from closer_desktop.storage.recovery import open_library
from tests.storage.test_recovery import crash_with_a_wal, rated_library


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def now_stamp() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M%S")


def crash_growing_the_file(data_dir: Path) -> None:
    """Sessions enough to grow the file (so page 1, holding its size, is in the -wal), then
    the process dies with them only in its -wal."""
    code = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from closer_desktop.storage.library import Library\n"
        "library = Library(Path(sys.argv[1]))\n"
        "for _ in range(300):\n"
        "    library.start_session('grown')\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", code, str(data_dir)], check=True)


def leave_a_stray_journal(data_dir: Path, grow: bool = False) -> bytes:
    """A library whose file is moved away by hand after a crash: its -wal stays. Returns it."""
    first = rated_library(data_dir)[0]
    if grow:
        crash_growing_the_file(data_dir)
    else:
        crash_with_a_wal(data_dir, first)
    database = data_dir / "closer.sqlite3"
    wal = Path(f"{database}-wal").read_bytes()
    database.rename(data_dir.parent / "moved-away.sqlite3")
    return wal


def sessions_in(copy: Path) -> int:
    """Sessions in `copy` with its -wal if it has one, read from copies of the two (reading it
    where it is would leave a -wal and -shm beside it)."""
    with tempfile.TemporaryDirectory() as work:
        shutil.copyfile(copy, Path(work) / "db")
        if Path(f"{copy}-wal").exists():
            shutil.copyfile(f"{copy}-wal", Path(work) / "db-wal")
        conn = sqlite3.connect(Path(work) / "db")
        try:
            return int(conn.execute("SELECT COUNT(*) FROM sessions").fetchone()[0])
        finally:
            conn.close()


def assert_kept_aside(data_dir: Path, copy: Path, copy_bytes: str, wal: bytes) -> None:
    library, report = open_library(data_dir)
    library.close()
    assert report.damaged_copy is None  # the copy was not given a journal
    assert report.stray_journal is not None
    assert Path(f"{report.stray_journal}-wal").read_bytes() == wal  # kept, untouched
    assert not Path(f"{copy}-wal").exists() and digest(copy) == copy_bytes
    assert f"{report.stray_journal.name}-wal" in (report.message() or "")


def test_a_journal_is_not_given_to_an_older_unrelated_copy(data_dir: Path) -> None:
    # An old library, set aside as damaged long ago; a new one since, whose file then went.
    rated_library(data_dir)
    old = data_dir / "closer.sqlite3.damaged-20200102-030405"
    (data_dir / "closer.sqlite3").rename(old)
    old_bytes, old_sessions = digest(old), sessions_in(old)
    wal = leave_a_stray_journal(data_dir)

    assert_kept_aside(data_dir, old, old_bytes, wal)
    assert sessions_in(old) == old_sessions  # nothing replayed over it


def test_a_journal_of_another_page_size_is_not_given_to_a_copy(data_dir: Path) -> None:
    wal = leave_a_stray_journal(data_dir)
    copy = data_dir / f"closer.sqlite3.damaged-{now_stamp()}"  # set aside just now
    conn = sqlite3.connect(copy)
    conn.execute("PRAGMA page_size = 8192")
    conn.execute("CREATE TABLE sessions (id INTEGER PRIMARY KEY)")
    conn.commit()
    conn.close()

    assert_kept_aside(data_dir, copy, digest(copy), wal)


def test_what_is_not_a_journal_is_not_given_to_a_copy(data_dir: Path) -> None:
    rated_library(data_dir)
    copy = data_dir / f"closer.sqlite3.damaged-{now_stamp()}"
    (data_dir / "closer.sqlite3").rename(copy)
    garbage = b"\x37\x7f\x06\x82" + bytes(range(256)) * 40  # SQLite's magic, then nonsense
    Path(f"{data_dir / 'closer.sqlite3'}-wal").write_bytes(garbage)

    assert_kept_aside(data_dir, copy, digest(copy), garbage)


def test_a_journal_behind_the_copy_is_not_given_to_it(data_dir: Path) -> None:
    wal = leave_a_stray_journal(data_dir, grow=True)
    # A copy set aside just now, of page size 4096 like the journal, but further on than the
    # journal's page 1: its change counter is higher (each commit raises it outside WAL mode).
    copy = data_dir / f"closer.sqlite3.damaged-{now_stamp()}"
    conn = sqlite3.connect(copy, isolation_level=None)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("CREATE TABLE sessions (id INTEGER PRIMARY KEY)")
    for _ in range(200):
        conn.execute("INSERT INTO sessions DEFAULT VALUES")
    conn.close()

    assert_kept_aside(data_dir, copy, digest(copy), wal)


def test_its_own_journal_still_joins_a_copy_set_aside_after_a_crash(data_dir: Path) -> None:
    """The case the rule exists for, with page 1 in the journal: set_aside renamed the file and
    was cut short before its -wal."""
    wal = leave_a_stray_journal(data_dir, grow=True)
    copy = data_dir / f"closer.sqlite3.damaged-{now_stamp()}"
    (data_dir.parent / "moved-away.sqlite3").rename(copy)

    library, report = open_library(data_dir)
    library.close()
    assert report.damaged_copy == copy and report.stray_journal is None
    assert Path(f"{copy}-wal").read_bytes() == wal
    assert sessions_in(copy) == 2 + 300  # the sessions that were only in the journal
