"""`closer --self-check` where the display cannot be reached: Qt aborts a process that cannot
open its display (SIGABRT), so the GUI is probed in a child; the check says "no display", checks
Qt offscreen instead, and passes (issue 16 §4)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def unused_display() -> str:
    """An X display number with no server (no socket, no lock file)."""
    number = 99
    while any(Path(p).exists() for p in (f"/tmp/.X11-unix/X{number}", f"/tmp/.X{number}-lock")):
        number += 1
    return f":{number}"


def test_an_unreachable_display_is_reported_and_the_check_goes_on(tmp_path: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY", "XAUTHORITY")
    }
    display = unused_display()
    env["DISPLAY"] = display
    done = subprocess.run(
        [sys.executable, "-m", "closer_desktop", "--self-check", "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr  # was -6: SIGABRT inside Qt
    (gui,) = [line for line in done.stdout.splitlines() if line.strip().startswith("GUI:")]
    assert "no display" in gui and display in gui
    assert gui.rstrip().endswith("offscreen: platform offscreen, icon rendered")
    assert done.stdout.rstrip().endswith("self-check passed")
    assert "Data folder:" in done.stdout  # the rest of the report still came


def test_the_probe_itself_reports_the_platform(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-m", "closer_desktop", "gui-probe"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "platform offscreen, icon rendered\n"
