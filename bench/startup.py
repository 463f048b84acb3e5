"""Start-up: process start to main window shown, as a ratio to a bare PySide6 QMainWindow.

Both are started the same way (a fresh `python -c` process, offscreen Qt) and timed from just
before the process is spawned to the moment the child reports that its main window has been
painted for the first time (what a user sees). Prints the medians and the ratio (target: at most
1.5x).

The package's bytecode is compiled first: a normal Python writes `.pyc` files on the first run, so
every later start uses them; this machine sets PYTHONDONTWRITEBYTECODE, which would otherwise make
every run compile Closer's sources again (about 25 ms) while the standard library and PySide6
start from their compiled files.
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import closer_desktop
from bench.harness import describe, private_environment

# Both children install the same filter: on the window's first paint, report and quit.
REPORT_FIRST_PAINT = """
from PySide6.QtCore import QEvent, QObject, QTimer
class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and not getattr(self, "seen", False):
            self.seen = True
            QTimer.singleShot(0, lambda: (print("shown", flush=True), app.quit()))
        return False
first_paint = FirstPaint()
window.installEventFilter(first_paint)
"""

BARE = (
    """
import sys
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1100, 760)
"""
    + REPORT_FIRST_PAINT
    + """
window.show()
app.exec()
"""
)

CLOSER = (
    """
import sys
from pathlib import Path
from closer_desktop.domain.deck import load_deck
from closer_desktop.paths import default_deck_path
from closer_desktop.ui.app import build_window, create_app
app = create_app()
window = build_window(Path(sys.argv[1]), load_deck(default_deck_path()))
"""
    + REPORT_FIRST_PAINT
    + """
window.show()
app.exec()
"""
)


def time_child(code: str, *args: str) -> float:
    began = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", code, *args], stdout=subprocess.PIPE, text=True, env=os.environ
    )
    assert child.stdout is not None
    line = child.stdout.readline()
    elapsed = time.perf_counter() - began
    child.wait(30)
    if line.strip() != "shown":
        raise SystemExit(f"the child did not show its window (exit {child.returncode})")
    return elapsed * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    compileall.compile_dir(
        Path(closer_desktop.__file__).parent, quiet=1
    )  # as a normal first run would leave it
    sandbox = private_environment()
    data_dir = sandbox / "library"
    time_child(BARE)  # warm the page cache for both
    time_child(CLOSER, str(data_dir))
    bare, closer = [], []
    for _ in range(args.runs):  # interleaved, so machine noise hits both alike
        bare.append(time_child(BARE))
        closer.append(time_child(CLOSER, str(data_dir)))
    ratio = statistics.median(closer) / statistics.median(bare)
    print(f"bare PySide6 QMainWindow: {describe(bare)}")
    print(f"Closer main window:       {describe(closer)}")
    print(f"start-up ratio: {ratio:.2f}x (target at most 1.5x)")


if __name__ == "__main__":
    main()
