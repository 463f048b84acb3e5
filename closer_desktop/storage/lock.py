"""One writer per library: an exclusive OS lock on a file in the data folder.

Whatever changes a library holds its lock for its whole life: the app (taken before start-up
recovery, which would otherwise take another process's take in progress for one a crash left),
`closer restore`, `closer deck import`, and a library move (on the new folder while it is filled).
Commands that only read (`export`, `report`, `backup`) never need it.

The lock is `flock` on `closer.lock`, as Anki holds its collection: the kernel drops it when
its holder dies, however it dies, so a lock left by a dead process is never in the way and there
is nothing to clean up. The file itself says who holds it (process, program, since when), for the
message a second writer shows; it is rewritten by each new holder and never trusted for the lock
itself.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from closer_desktop.paths import ensure_private_dir
from closer_desktop.storage.files import data_folder_warning

LOCK_NAME = "closer.lock"


@dataclass(frozen=True)
class LockHolder:
    """Who holds a library's lock, as its lock file says (for messages only)."""

    pid: int
    program: str  # what it is doing: "Closer", "closer restore", ...
    since: str  # local time, "2026-12-06 08:12"
    host: str

    def describe(self) -> str:
        where = "" if self.host == _host() else f" on {self.host}"
        return f"{self.program} (process {self.pid}{where}, since {self.since})"


class LibraryLocked(Exception):
    """Another process holds the library's lock; the message names it and the library."""

    def __init__(self, data_dir: Path, holder: LockHolder | None) -> None:
        self.data_dir = data_dir
        self.holder = holder
        who = holder.describe() if holder else "another Closer"
        super().__init__(f"the library {data_dir} is in use by {who}")


class LibraryLock:
    """The exclusive lock on one library, held until `release()` (or the process ends).

    `acquire` raises LibraryLocked when another process (or another LibraryLock in this one)
    holds it. A data folder that cannot hold a lock file (read-only) gets a lock that holds
    nothing: no one can write there, so no one can race for it (`held` is False then).
    """

    def __init__(self, data_dir: Path, fd: int | None) -> None:
        self.data_dir = data_dir
        self._fd = fd
        self._released = False
        # Why the folder was not private when the lock was taken (files.data_folder_warning),
        # said by the library's opening: the folder is made private here, before that runs.
        self.folder_warning: str | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    @property
    def released(self) -> bool:
        return self._released

    @classmethod
    def acquire(cls, data_dir: Path, program: str, *, create: bool = True) -> LibraryLock:
        """Take the lock of the library in `data_dir` for `program` (named in others' messages).

        `create` makes the data folder (private) when it is missing; without it a missing folder
        is FileNotFoundError. A folder someone else owns that anyone may write in is refused
        (UnsafeFolderError, an OSError) before anything is made in it.
        """
        folder_warning = data_folder_warning(data_dir)
        if create:
            ensure_private_dir(data_dir)
        path = data_dir / LOCK_NAME
        while True:
            try:
                fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
            except OSError as exc:
                if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM) and data_dir.is_dir():
                    return cls(data_dir, None)  # nothing can be written here by anyone like us
                raise
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                raise LibraryLocked(data_dir, _holder_soon(data_dir)) from None
            except BaseException:
                os.close(fd)
                raise
            # The file may have been replaced between open and flock (a holder that cleaned up
            # a folder it had made): a lock on an unlinked file locks nothing, so try again.
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(path, follow_symlinks=False))
            except FileNotFoundError:
                same = False
            if same:
                lock = cls(data_dir, fd)
                lock.folder_warning = folder_warning
                lock._write_holder(program)
                return lock
            os.close(fd)

    def _write_holder(self, program: str) -> None:
        assert self._fd is not None
        holder = {
            "pid": os.getpid(),
            "program": program,
            "since": datetime.now().strftime("%Y-%m-%d %H:%M"),
            "host": _host(),
        }
        data = (json.dumps(holder) + "\n").encode()
        with contextlib.suppress(OSError):  # a full disk: the lock holds, only the label is lost
            os.ftruncate(self._fd, 0)
            os.pwrite(self._fd, data, 0)

    def release(self, *, remove_file: bool = False, remove_folder: bool = False) -> None:
        """Give the lock up. For a holder that wrote nothing (a refused restore): `remove_file`
        takes the lock file away again, `remove_folder` the folder too if it is then empty.
        (Safe for anyone waiting: a lock on a file that is no longer there is taken again.)"""
        self._released = True
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            if remove_file or remove_folder:
                with contextlib.suppress(OSError):
                    (self.data_dir / LOCK_NAME).unlink()
                    if remove_folder:
                        self.data_dir.rmdir()  # only if empty: never anything else
        finally:
            os.close(fd)  # unlocks

    def __enter__(self) -> LibraryLock:
        return self

    def __exit__(self, *_: object) -> None:
        self.release()


def read_holder(data_dir: Path) -> LockHolder | None:
    """Who the lock file says holds the lock (None when it says nothing readable)."""
    try:
        with open(data_dir / LOCK_NAME, "rb") as handle:
            raw = json.loads(handle.read(4096).decode("utf-8", "replace"))
        return LockHolder(
            pid=int(raw["pid"]),
            program=str(raw["program"])[:80],
            since=str(raw["since"])[:40],
            host=str(raw["host"])[:80],
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _host() -> str:
    """This machine's name, as `socket.gethostname` gives it, without loading the socket module
    into every start of the app (the lock is flock, so POSIX, where os.uname is there)."""
    return os.uname().nodename


def _holder_soon(data_dir: Path) -> LockHolder | None:
    """The holder, allowing a holder that has just taken the lock a moment to say who it is."""
    for _ in range(20):
        holder = read_holder(data_dir)
        if holder is not None:
            return holder
        time.sleep(0.01)
    return None


__all__ = ["LOCK_NAME", "LibraryLock", "LibraryLocked", "LockHolder", "read_holder"]
