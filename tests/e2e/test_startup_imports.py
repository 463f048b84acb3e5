"""What the app has loaded when its window is first painted, as `closer --data-dir DIR` starts it.

The first paint shows the window's frame and the question card (ui/practice/start_card.py);
everything else is loaded after it: the practice controller and its parts, the practice page
and its widgets, the library's menu entries (MainWindow.finish_start_up, on the turn after the
paint), the library, numpy and the analysis code (on their workers), the single-instance server
and the OS signal handling. A module-level import added somewhere on the window's path would
slip such a module back into every start; this test names it. So it does for two of PySide's
Python types that are slow to create and that the first paint does without: the `Qt` namespace
of enums and QStyle (Closer's proxy style). The app runs in a process of its own, which lists
`sys.modules` and those types from inside its first paint event and quits.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# The README's run path (cli.main with --data-dir), with only a look at sys.modules added at the
# first paint of the window that build_window returns.
APP = r"""
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
import closer_desktop.ui.launch as ui_app

PYTHON_TYPES_NOT_MADE = sys.argv[2].split(",")

class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and not getattr(self, "seen", False):
            self.seen = True
            print("MODULES " + " ".join(sorted(sys.modules)), flush=True)
            import PySide6.QtCore, PySide6.QtWidgets
            made = [f"QtCore.{n}" for n in PYTHON_TYPES_NOT_MADE if n in vars(PySide6.QtCore)]
            made += [f"QtWidgets.{n}" for n in PYTHON_TYPES_NOT_MADE if n in vars(PySide6.QtWidgets)]
            print("TYPES " + " ".join(made), flush=True)
            QTimer.singleShot(0, QApplication.quit)
        return False

first_paint = FirstPaint()
build_window = ui_app.build_window

def reporting_build_window(*args, **kwargs):
    window = build_window(*args, **kwargs)
    window.installEventFilter(first_paint)
    return window

ui_app.build_window = reporting_build_window
from closer_desktop.cli import main
sys.exit(main(["--data-dir", sys.argv[1]]))
"""

# Not needed to show the practice page: the database and its data (opened on the library's
# worker), numpy and the measures (the analysis process, the level meter's first block), the
# progress rules (ranking takes), whole-library files, the single-instance server (QtNetwork),
# and what the standard library would load for a digest (hashlib), a host name (socket), a
# temporary name (secrets) or argparse's messages (locale).
NOT_BEFORE_FIRST_PAINT = (
    "numpy",
    "sqlite3",
    "soundfile",
    "closer_desktop.analysis",
    "closer_desktop.storage.database",
    "closer_desktop.storage.library",
    "closer_desktop.transfer",
    "closer_desktop.reports",
    "closer_desktop.domain.progress",
    "PySide6.QtNetwork",
    "PySide6.QtMultimedia",
    "hashlib",
    "socket",
    "secrets",
    "locale",
    # The practice controller, its parts and the practice page: built after the first paint.
    "closer_desktop.app.practice",
    "closer_desktop.app.library",
    "closer_desktop.app.operations",
    "closer_desktop.app.tasks",
    "closer_desktop.app.microphones",
    "closer_desktop.app.recording",
    "closer_desktop.app.playback",
    "closer_desktop.app.take_analysis",
    "closer_desktop.app.memory",
    "closer_desktop.app.record_when_ready",
    "closer_desktop.audio",
    "closer_desktop.domain.session",
    "closer_desktop.domain.scheduler",
    "closer_desktop.ui.practice.view",
    "closer_desktop.ui.actions",
    "closer_desktop.ui.widgets.take_player",
    "closer_desktop.ui.widgets.waveform",
    "closer_desktop.ui.widgets.feedback",
    "closer_desktop.ui.widgets.rating",
    "closer_desktop.ui.closer_style",
)

# PySide's Python types that the first paint does without (`vars(PySide6.QtCore)` and
# `vars(PySide6.QtWidgets)` hold a type once it has been made).
PYTHON_TYPES_NOT_MADE = ("Qt", "QStyle")


def at_first_paint(tmp_path: Path) -> tuple[set[str], set[str]]:
    """The modules loaded, and which of PYTHON_TYPES_NOT_MADE exist, at the first paint."""
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_RUNTIME_DIR": str(runtime),  # no other app's socket: the common start
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
    }
    done = subprocess.run(
        [sys.executable, "-c", APP, str(tmp_path / "library"), ",".join(PYTHON_TYPES_NOT_MADE)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stdout.splitlines() if line.startswith("MODULES ")]
    types = [line for line in done.stdout.splitlines() if line.startswith("TYPES")]
    assert len(lines) == 1 and len(types) == 1, (done.stdout, done.stderr)
    return set(lines[0].split()[1:]), set(types[0].split()[1:])


def test_the_first_paint_loads_nothing_the_page_does_not_need(tmp_path: Path) -> None:
    loaded, _ = at_first_paint(tmp_path)
    assert "closer_desktop.ui.main_window" in loaded  # the hook saw the real window
    early = sorted(
        name
        for name in loaded
        if any(name == kept or name.startswith(kept + ".") for kept in NOT_BEFORE_FIRST_PAINT)
    )
    assert early == [], f"loaded before the first paint: {early}"


def test_the_first_paint_makes_neither_qt_enums_nor_qstyle(tmp_path: Path) -> None:
    """`from PySide6.QtCore import Qt` at the top of a module on the first paint's path (or a
    QStyle subclass there) would make every start wait for hundreds of Python enum members."""
    _, made = at_first_paint(tmp_path)
    assert made == set(), f"made before the first paint: {sorted(made)}"
