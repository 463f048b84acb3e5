"""The library's lock: one writer at a time, named in the refusal, free again when its holder dies."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from closer_desktop.storage.lock import LOCK_NAME, LibraryLock, LibraryLocked
from closer_desktop.storage.recovery import open_library

ROOT = Path(__file__).resolve().parents[2]

HOLD = r"""
import sys, time
from pathlib import Path
from closer_desktop.storage.lock import LibraryLock
lock = LibraryLock.acquire(Path(sys.argv[1]), "closer restore")
print("held", flush=True)
time.sleep(60)
"""


def test_a_second_holder_is_refused_with_the_first_named(tmp_path: Path) -> None:
    first = LibraryLock.acquire(tmp_path / "lib", "closer restore")
    with pytest.raises(LibraryLocked) as refused:
        LibraryLock.acquire(tmp_path / "lib", "Closer")
    assert refused.value.holder is not None
    assert refused.value.holder.pid == os.getpid()
    assert f"in use by closer restore (process {os.getpid()}" in str(refused.value)
    first.release()
    LibraryLock.acquire(tmp_path / "lib", "Closer").release()  # free again


def test_a_lock_of_a_killed_process_is_free_at_once(tmp_path: Path) -> None:
    """flock dies with its holder: nothing stale to recognise or clean up after kill -9."""
    child = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(tmp_path)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "held"
        with pytest.raises(LibraryLocked) as refused:
            LibraryLock.acquire(tmp_path, "Closer")
        assert refused.value.holder is not None and refused.value.holder.pid == child.pid
        child.send_signal(signal.SIGKILL)
        child.wait(10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(10)
    with LibraryLock.acquire(tmp_path, "Closer") as lock:  # free at once: nothing stale
        assert lock.held


def test_opening_the_library_holds_its_lock_until_it_is_closed(tmp_path: Path) -> None:
    library, _ = open_library(tmp_path)
    with pytest.raises(LibraryLocked):
        open_library(tmp_path)  # a second app: no recovery under the first one's feet
    library.close()
    again, _ = open_library(tmp_path)
    again.close()


def test_recovery_needs_this_library_s_lock(tmp_path: Path) -> None:
    with LibraryLock.acquire(tmp_path / "other", "Closer") as other, pytest.raises(ValueError):
        open_library(tmp_path / "lib", other)
    with pytest.raises(ValueError):
        open_library(tmp_path / "other", other)  # released: holds nothing any more


def test_a_refused_new_folder_is_not_left_behind(tmp_path: Path) -> None:
    lock = LibraryLock.acquire(tmp_path / "new", "closer restore")
    assert (tmp_path / "new" / LOCK_NAME).is_file()
    assert oct((tmp_path / "new").stat().st_mode & 0o777) == oct(0o700)
    lock.release(remove_folder=True)
    assert not (tmp_path / "new").exists()


def test_removing_a_folder_keeps_anything_written_in_it(tmp_path: Path) -> None:
    lock = LibraryLock.acquire(tmp_path / "new", "closer restore")
    (tmp_path / "new" / "closer.sqlite3").write_bytes(b"kept")
    lock.release(remove_folder=True)
    assert (tmp_path / "new" / "closer.sqlite3").read_bytes() == b"kept"
