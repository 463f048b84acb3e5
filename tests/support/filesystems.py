"""Real small and read-only file systems for the tests: a tmpfs mounted for one test.

Mounting needs root (or CAP_SYS_ADMIN); where it is not allowed, `mount_tmpfs` raises
`FilesystemUnavailable` and the tests that need it skip (their injected-fault twins still run).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path


class FilesystemUnavailable(RuntimeError):
    """A tmpfs cannot be mounted here."""


def mount_tmpfs(where: Path, size_bytes: int) -> Path:
    where.mkdir(parents=True, exist_ok=True)
    if shutil.which("mount") is None or os.geteuid() != 0:
        raise FilesystemUnavailable("mounting a tmpfs needs root and mount(8)")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_bytes},mode=0700", "tmpfs", str(where)],
        capture_output=True,
        text=True,
        timeout=10,
    )
    if done.returncode != 0:
        raise FilesystemUnavailable(f"mount failed: {done.stderr.strip()}")
    return where


def remount(where: Path, read_only: bool) -> None:
    subprocess.run(
        ["mount", "-o", f"remount,{'ro' if read_only else 'rw'}", str(where)],
        check=True,
        capture_output=True,
        timeout=10,
    )


def unmount(where: Path) -> None:
    subprocess.run(["umount", "-l", str(where)], capture_output=True, timeout=10)


def free_bytes(where: Path) -> int:
    stats = os.statvfs(where)
    return stats.f_bavail * stats.f_frsize


def fill(where: Path, leave_bytes: int) -> Path:
    """Write a ballast file until only about `leave_bytes` stay free; returns the ballast."""
    ballast = where / "ballast"
    with ballast.open("ab", buffering=0) as handle:
        chunk = b"\0" * 65536
        while (free := free_bytes(where)) > leave_bytes:
            handle.write(chunk[: min(len(chunk), free - leave_bytes)])
    return ballast
