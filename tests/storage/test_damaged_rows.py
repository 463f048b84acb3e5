"""A row with values no Closer writes, already in a library: every reader skips it (and says so),
none goes blank or fails. (Restores now refuse such rows; a library may hold one from before.)"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from closer_desktop.storage.library import Library, unsound_takes
from closer_desktop.storage.queries.history import GroupBy, TakeFilter, count_takes, find_page
from closer_desktop.storage.queries.progress import load_progress
from tests.transfer.test_backup import build_library

LIVE_TAKES = 3  # build_library: five takes, one trashed, one recovered (live), one started only


@pytest.fixture
def damaged(tmp_path: Path) -> Path:
    """A library whose first two live takes hold 'yesterday-ish' and 'long'."""
    data_dir = tmp_path / "library"
    build_library(data_dir)
    conn = sqlite3.connect(data_dir / "closer.sqlite3")
    ids = [
        row[0]
        for row in conn.execute(
            "SELECT id FROM takes WHERE status = 'complete' AND trashed_at IS NULL ORDER BY id"
        )
    ]
    conn.execute("UPDATE takes SET recorded_at = 'yesterday-ish' WHERE id = ?", (ids[0],))
    conn.execute("UPDATE takes SET duration_s = 'long' WHERE id = ?", (ids[1],))
    conn.commit()
    conn.close()
    return data_dir


def live_count(data_dir: Path) -> int:
    conn = sqlite3.connect(data_dir / "closer.sqlite3")
    count = conn.execute(
        "SELECT COUNT(*) FROM takes WHERE status = 'complete' AND trashed_at IS NULL"
    ).fetchone()[0]
    conn.close()
    return int(count)


def test_history_shows_the_sound_takes(damaged: Path) -> None:
    total = live_count(damaged)
    library = Library(damaged)
    try:
        page = find_page(library, TakeFilter(), GroupBy.DATE, 0, 50)
        assert len(page.takes) == total - 2 > 0
        assert count_takes(library, TakeFilter()) == total - 2
        assert unsound_takes(library) == 2
        assert len([t for s in library.sessions() for t in s.takes]) == total - 2
    finally:
        library.close()


def test_progress_counts_the_sound_takes(damaged: Path) -> None:
    total = live_count(damaged)
    library = Library(damaged)
    try:
        progress = load_progress(library)
        assert progress.totals.takes == total - 2
        assert sum(day.takes for day in progress.days) == total - 2
    finally:
        library.close()


def test_a_damaged_session_time_is_skipped(damaged: Path) -> None:
    conn = sqlite3.connect(damaged / "closer.sqlite3")
    conn.execute("UPDATE sessions SET started_at = 'soon' WHERE id = 3")
    conn.commit()
    conn.close()
    library = Library(damaged)
    try:
        assert [s.id for s in library.sessions()] == [1, 2]
    finally:
        library.close()


def closer(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "closer_desktop", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_export_and_report_leave_damaged_takes_out_and_say_so(
    damaged: Path, tmp_path: Path
) -> None:
    total = live_count(damaged)
    warning = f"closer: warning: 2 takes in {damaged} left out: their stored values are damaged\n"

    exported = closer("export", "--data-dir", str(damaged))
    assert exported.returncode == 0, exported.stderr
    assert exported.stderr == warning
    data = json.loads(exported.stdout)
    assert sum(len(s["takes"]) for s in data["sessions"]) == total - 2

    report = tmp_path / "report.html"
    done = closer("report", "--data-dir", str(damaged), "--output", str(report))
    assert done.returncode == 0, done.stderr
    assert done.stderr.startswith(warning)
    assert f"report of {total - 2} take" in done.stderr
    assert report.stat().st_size > 0
