"""The private folders a restore unpacks an archive into, beside the library, and the removal of
those that a restore killed mid-way left behind (which opening the library does, in recovery.py).

Here, in storage, because both sides need the names: transfer/restore.py makes and locks the
folders, storage/recovery.py cleans up after one that died, and storage imports nothing above it.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import re
import shutil
import stat
from pathlib import Path

log = logging.getLogger(__name__)

WORKSPACE_PREFIX = ".closer-restore-"  # + pid-random: a folder in use, locked by its restore
UNPACKING_PREFIX = ".closer-unpacking-"  # + pid-random: one being made, not yet locked
WORKSPACE_LOCK = "lock"  # the file in it that its restore holds an flock on
_WORKSPACE = re.compile(r"\.closer-(?:restore|unpacking)-([0-9]+)-[0-9a-f]{12}")


def remove_abandoned_workspaces(data_dir: Path) -> list[Path]:
    """Remove the temporary folders that restores killed mid-way left in `data_dir` or beside it.

    Only folders named as restores name them, owned by this user, and provably abandoned:
    their lock is free (its holder died), or, if it never got one, the process in their name is
    gone. Returns what was removed.
    """
    removed: list[Path] = []
    candidates: list[Path] = []
    for folder in {data_dir, data_dir.parent}:
        with contextlib.suppress(OSError):
            candidates += [folder / n for n in os.listdir(folder) if _WORKSPACE.fullmatch(n)]
    for path in sorted(candidates):
        try:
            st = path.lstat()
            if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid():
                continue
            if _abandoned(path):
                shutil.rmtree(path)
                removed.append(path)
                log.info("removed %s, left by a restore that did not finish", path)
        except OSError as exc:
            log.warning("could not look at or remove %s: %s", path, exc)
    return removed


def _abandoned(path: Path) -> bool:
    try:
        fd = os.open(path / WORKSPACE_LOCK, os.O_RDWR | os.O_NOFOLLOW)
    except FileNotFoundError:
        match = _WORKSPACE.fullmatch(path.name)
        return match is not None and not _alive(int(match.group(1)))
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False  # a restore is using it
    finally:
        os.close(fd)  # also gives the lock back
    return True


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process: alive
    return True
