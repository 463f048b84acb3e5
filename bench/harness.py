"""Shared set-up for benchmarks: a virtual microphone, the real window offscreen, small stats."""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def private_environment() -> Path:
    """Temp config/data folders and offscreen Qt, so a benchmark never touches the real home."""
    sandbox = Path(tempfile.mkdtemp(prefix="closer-bench-"))
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        os.environ[name] = str(sandbox / name.lower())
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    return sandbox


def wait_until(condition: Callable[[], bool], timeout: float, step_ms: int = 2) -> bool:
    """Spin the Qt event loop until `condition` holds (benchmarks only: tests use qtbot)."""
    from PySide6.QtCore import QCoreApplication, QEventLoop, QThread

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, step_ms)
        QThread.msleep(1)
    return condition()


def rss_mb(pid: int | str = "self") -> float:
    with open(f"/proc/{pid}/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def peak_rss_mb(pid: int | str = "self") -> float:
    """The process's resident high-water mark (VmHWM)."""
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1000
    return 0.0


def describe(values: list[float], unit: str = "ms") -> str:
    return (
        f"median {statistics.median(values):.1f} {unit}, min {min(values):.1f}, "
        f"max {max(values):.1f} (n={len(values)})"
    )
