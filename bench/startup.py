"""Start-up: process start to main window shown, as a ratio to a bare PySide6 QMainWindow.

Both are started the same way (a fresh `python -c` process, offscreen Qt) and timed from just
before the process is spawned to the moment the child reports that its main window has been
painted for the first time (what a user sees). Prints the medians and the ratio, and beside them
two reference windows: the practice page's kinds of widgets, styled the same, with none of
Closer's code (FLOOR), which shows how much of the figure is Qt's own; and only the question card
of the real deck with the menus (CARD). The target (issue 17) is Closer at most 1.25x its FLOOR
of the same run. Closer's first paint shows its frame (menus, banner, status bar) and the
practice page's question card, Record button and takes column; the rest of the page (player,
ratings, feedback) and the controller come on the turns after it, so the figure is the time to
the first line to say, not to the first take (see ui/launch.py build_window).

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
from closer_desktop.paths import resource_path

# Every child installs the same filter on its window: on the first paint, report and quit.
FIRST_PAINT_FILTER = """
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and not getattr(self, "seen", False):
            self.seen = True
            QTimer.singleShot(0, lambda: (print("shown", flush=True), QApplication.quit()))
        return False
first_paint = FirstPaint()
"""
REPORT_FIRST_PAINT = FIRST_PAINT_FILTER + "window.installEventFilter(first_paint)\n"

# The application, the main window and five menus of six actions with shortcuts, as both
# reference windows below make them.
WINDOW_WITH_MENUS = """
app = QApplication([sys.argv[0], "-style", "fusion"])
window = QMainWindow()
window.resize(1100, 760)
for name in ("&File", "&Practice", "&View", "&Edit", "&Help"):
    menu = window.menuBar().addMenu(name)
    for i in range(6):
        action = QAction(f"Item {i}", window)
        action.setShortcut(QKeySequence(f"Ctrl+{i}"))
        menu.addAction(action)
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

# The practice page's kinds of widgets (menus, labels, buttons, combo box, slider, list, splitter,
# scroll area, status bar) with Closer's style sheet and Fusion, and none of Closer's code: what
# any window showing that page pays for Qt itself (its Python enums, the font database, the
# style sheet, painting text). Closer's figure minus this one is what Closer's own code costs.
FLOOR = (
    """
import sys
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QApplication, QComboBox, QFrame, QHBoxLayout, QLabel, QLineEdit, QListWidget, QMainWindow,
    QPushButton, QScrollArea, QSlider, QSplitter, QStackedWidget, QVBoxLayout, QWidget,
)
"""
    + WINDOW_WITH_MENUS
    + """

def row(*widgets):
    layout = QHBoxLayout()
    for widget in widgets:
        layout.addWidget(widget)
    return layout

page = QWidget()
column = QVBoxLayout(page)
column.addLayout(row(QLabel("Stage 1 of 4 · Gauge your fit"), QLabel("Question 1 of 12")))
question = QLabel("“Is there anything about my background that concerns you?”")
question.setWordWrap(True)
font = QFont(question.font())
font.setPointSizeF(font.pointSizeF() * 1.6)
question.setFont(font)
column.addWidget(question)
tip = QLabel("Ask it near the end: you can still answer a doubt before they decide.")
tip.setWordWrap(True)
column.addWidget(tip)
record = QPushButton("Looking for a microphone…")
record.setMinimumHeight(44)
column.addLayout(row(record, QLabel("0:00 / 0:30")))
column.addWidget(QLabel("Looking for a microphone…"))
speed = QComboBox()
speed.addItems(["0.75x", "1x", "1.25x", "1.5x"])
column.addLayout(
    row(QPushButton("Play"), QLabel("0:00 / 0:00"), speed, QSlider(Qt.Orientation.Horizontal))
)
for scale in ("Professionalism", "Clarity"):
    column.addLayout(row(QLabel(scale), *(QPushButton(str(n)) for n in range(1, 6))))
column.addWidget(QLineEdit())
column.addWidget(QLabel("Delivery feedback appears after a take."))
column.addStretch(1)
scroll = QScrollArea()
scroll.setWidget(page)
scroll.setWidgetResizable(True)
scroll.setFrameShape(QFrame.Shape.NoFrame)
left = QWidget()
left_column = QVBoxLayout(left)
left_column.addWidget(scroll, 1)
left_column.addLayout(row(QPushButton("◀ Previous (B)"), QLabel("Space record"), QPushButton("Next")))
side = QWidget()
side_column = QVBoxLayout(side)
side_column.addWidget(QLabel("No takes of this question yet"))
side_column.addWidget(QListWidget(), 1)
splitter = QSplitter(Qt.Orientation.Horizontal)
splitter.addWidget(left)
splitter.addWidget(side)
pages = QStackedWidget()
pages.addWidget(splitter)
window.setCentralWidget(pages)
window.statusBar().addPermanentWidget(QLabel(""))
with open(sys.argv[1], encoding="utf-8") as style:
    app.setStyleSheet(style.read())
"""
    + REPORT_FIRST_PAINT
    + """
window.show()
app.exec()
"""
)

# The question card of the real deck (read by Closer's loader, settings opened as Closer does),
# the menus and the style, and nothing else: no take area, no takes list, no microphone or
# library code, and none of the `Qt` namespace (building its Python enums is slow). About what
# Closer's first paint shows (ui/practice/start_card.py: the card, the Record button, the takes
# column), without Closer's command line, log, lock and single-instance check.
CARD = (
    """
import sys
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QApplication, QHBoxLayout, QLabel, QMainWindow, QPushButton, QVBoxLayout, QWidget,
)
from closer_desktop.domain.deck import load_deck
from closer_desktop.paths import default_deck_path
from closer_desktop.app.settings import Settings
deck = load_deck(default_deck_path())
settings = Settings()
question = deck.questions[0]
"""
    + WINDOW_WITH_MENUS
    + """
page = QWidget()
column = QVBoxLayout(page)
header = QHBoxLayout()
header.addWidget(QLabel(f"Stage 1 of {len(deck.stages)} · {question.stage_title}"), 1)
header.addWidget(QLabel(f"Question 1 of {len(deck.questions)}"))
column.addLayout(header)
text = QLabel(f"“{question.text}”")
text.setWordWrap(True)
font = QFont(text.font())
font.setPointSizeF(font.pointSizeF() * 1.6)
text.setFont(font)
column.addWidget(text)
tip = QLabel(question.tip)
tip.setWordWrap(True)
column.addWidget(tip)
record_row = QHBoxLayout()
record = QPushButton("Looking for a microphone…")
record.setMinimumHeight(44)
record_row.addWidget(record)
record_row.addWidget(QLabel("0:00 / 0:30"))
record_row.addStretch(1)
column.addLayout(record_row)
column.addWidget(QLabel("Looking for a microphone…"))
column.addStretch(1)
window.setCentralWidget(page)
with open(sys.argv[1], encoding="utf-8") as style:
    app.setStyleSheet(style.read())
"""
    + REPORT_FIRST_PAINT
    + """
window.show()
app.exec()
"""
)

# Closer as `closer --data-dir DIR` starts it (the README's run command): the command line, the
# log file, the single-instance check, the deck, the settings, the lock and the window, whose
# first paint shows its frame and question card (the practice page and its controller follow on
# the turns after it). Only the report of the first paint is added, to the window build_window
# returns.
CLOSER = (
    """
import sys
"""
    + FIRST_PAINT_FILTER
    + """
import closer_desktop.ui.launch as ui_app
build_window = ui_app.build_window
def reporting_build_window(*args, **kwargs):
    window = build_window(*args, **kwargs)
    window.installEventFilter(first_paint)
    return window
ui_app.build_window = reporting_build_window
from closer_desktop.cli import main
main(["--data-dir", sys.argv[1]])
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
    style = str(resource_path("styles", "closer.qss"))
    time_child(BARE)  # warm the page cache for all of them
    time_child(CARD, style)
    time_child(FLOOR, style)
    time_child(CLOSER, str(data_dir))
    bare, card, floor, closer = [], [], [], []
    for _ in range(args.runs):  # interleaved, so machine noise hits all alike
        bare.append(time_child(BARE))
        card.append(time_child(CARD, style))
        floor.append(time_child(FLOOR, style))
        closer.append(time_child(CLOSER, str(data_dir)))
    ratio = statistics.median(closer) / statistics.median(bare)
    floor_ratio = statistics.median(floor) / statistics.median(bare)
    card_ratio = statistics.median(card) / statistics.median(bare)
    print(f"bare PySide6 QMainWindow: {describe(bare)}")
    print(f"question card only:       {describe(card)} ({card_ratio:.2f}x)")
    print(f"same widgets, no Closer:  {describe(floor)}")
    print(f"Closer main window:       {describe(closer)}")
    print(
        f"start-up ratio: {ratio:.2f}x the bare window; the same widgets without Closer's "
        f"code: {floor_ratio:.2f}x, so Closer's own code costs "
        f"{statistics.median(closer) - statistics.median(floor):.0f} ms"
    )
    print(
        f"Closer against FLOOR: {statistics.median(closer) / statistics.median(floor):.2f}x "
        "(target at most 1.25x)"
    )


if __name__ == "__main__":
    main()
