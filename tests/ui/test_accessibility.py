"""Accessibility: every control on every page and dialog has a name a screen reader can say and a
tooltip; the keyboard reaches the practice page's controls in reading order; the pages fit
800x600 (which at 200 % scaling is what a 1600x1200 screen gives); the level meter is text too."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialogButtonBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QScrollBar,
    QTabBar,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from closer_desktop.app.interview_run import InterviewRun, RunAnswer, RunResult
from closer_desktop.audio.levels import MeterReading
from closer_desktop.domain.deck import load_deck
from closer_desktop.domain.practice import summarize
from closer_desktop.domain.session import SessionSummary
from closer_desktop.paths import default_deck_path
from closer_desktop.storage.library import Library
from closer_desktop.ui.dialogs.settings import SettingsDialog
from closer_desktop.ui.main_window import MainWindow
from closer_desktop.ui.practice.run_view import RunView

DECK = load_deck(default_deck_path())
CONTROLS = (
    QAbstractButton,
    QComboBox,
    QLineEdit,
    QAbstractSpinBox,
    QAbstractSlider,
    QAbstractItemView,
    QTextEdit,
    QPlainTextEdit,
)


def is_internal(widget: QWidget) -> bool:
    """Parts of a composite control that the control itself names (a spin box's line edit...)."""
    if isinstance(widget, QScrollBar | QHeaderView) or widget.objectName().startswith("qt_"):
        return True  # Qt's own helpers (the menu bar's overflow button...)
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractSpinBox | QComboBox | QTabBar | QScrollBar | QLineEdit):
            return True
        if isinstance(parent, QAbstractItemView) and widget is not parent:
            return True  # editors and viewports inside lists and tables
        parent = parent.parentWidget()
    return False


def controls(root: QWidget) -> Iterator[QWidget]:
    for widget in [root, *root.findChildren(QWidget)]:
        if is_internal(widget):
            continue
        focusable = widget.focusPolicy() & Qt.FocusPolicy.TabFocus == Qt.FocusPolicy.TabFocus
        if isinstance(widget, CONTROLS) or (
            focusable and type(widget).__module__.startswith("closer_desktop")
        ):
            yield widget


def spoken_name(widget: QWidget) -> str:
    """What a screen reader announces: Qt's accessible name (set, or from text or a buddy label)."""
    interface = QAccessible.queryAccessibleInterface(widget)
    assert interface is not None and interface.isValid()
    return interface.text(QAccessible.Text.Name).strip()


def describe(widget: QWidget) -> str:
    path: list[str] = []
    node: QWidget | None = widget
    while node is not None and len(path) < 4:
        path.append(node.objectName() or type(node).__name__)
        node = node.parentWidget()
    text = getattr(widget, "text", lambda: "")()
    return f"{' < '.join(path)} {text!r}"


def problems(root: QWidget) -> list[str]:
    found = []
    for widget in controls(root):
        if not spoken_name(widget):
            found.append(f"no accessible name: {describe(widget)}")
        in_button_box = isinstance(widget.parentWidget(), QDialogButtonBox)
        if not widget.toolTip() and not in_button_box:
            found.append(f"no tooltip: {describe(widget)}")
    return found


def library_with_takes(data_dir: Path) -> None:
    library = Library(data_dir)
    session = library.start_session(DECK.id)
    for _ in range(2):
        take = library.begin_take(session, DECK.id, DECK.questions[0], 16000)
        soundfile.write(library.audio_file(take), np.zeros(16000, dtype=np.float32), 16000)
        library.finish_take(take.id, 1.0, 16000)
    library.close()


@pytest.fixture
def window(qtbot: QtBot, open_window: Any, data_dir: Path) -> MainWindow:
    library_with_takes(data_dir)
    opened: MainWindow = open_window(data_dir)
    qtbot.waitUntil(lambda: len(opened.controller.takes) == 2, timeout=10000)
    return opened


def every_page(qtbot: QtBot, window: MainWindow) -> Iterator[tuple[str, QWidget]]:
    yield "practice", window
    window.show_history()
    qtbot.waitUntil(lambda: window.history.table.model().rowCount() > 0, timeout=10000)
    yield "history", window.history
    window.show_compare(list(window.controller.takes))
    yield "compare", window.compare
    window.show_progress()
    yield "progress", window.progress
    window.summary.show_summary(
        SessionSummary(summarize([(q.id, q.text) for q in DECK.questions], []))
    )
    yield "summary", window.summary
    takes = list(window.controller.takes)
    answers = [RunAnswer(DECK.questions[0], take, 0.8, "silence") for take in takes]
    window.debrief.show_result(RunResult(None, answers, 30.0))
    window.pages.setCurrentWidget(window.debrief)
    yield "debrief", window.debrief
    run_view = RunView(InterviewRun(window.controller, None, window))
    window.pages.addWidget(run_view)
    window.pages.setCurrentWidget(run_view)
    yield "interview run", run_view
    settings = SettingsDialog(window.controller, window)
    qtbot.addWidget(settings)
    yield "settings", settings
    window.show_practice()
    window.open_decks()
    qtbot.waitUntil(lambda: window.deck_dialog is not None, timeout=5000)
    assert window.deck_dialog is not None
    qtbot.waitUntil(
        lambda: window.deck_dialog is not None and window.deck_dialog.deck is not None,
        timeout=10000,
    )
    yield "decks", window.deck_dialog


def test_every_control_on_every_page_and_dialog_has_a_name_and_a_tooltip(
    qtbot: QtBot, window: MainWindow
) -> None:
    found = []
    for page, root in every_page(qtbot, window):
        found += [f"{page}: {p}" for p in problems(root)]
    assert not found, "\n".join(found)


def focus_chain(root: QWidget) -> list[QWidget]:
    """The widgets Tab visits, in order, starting from `root` (disabled ones included)."""
    chain: list[QWidget] = []
    widget = root.nextInFocusChain()
    while widget is not None and widget is not root and widget not in chain:
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus == Qt.FocusPolicy.TabFocus:
            chain.append(widget)
        widget = widget.nextInFocusChain()
    return chain


def test_tab_visits_the_practice_page_in_reading_order(qtbot: QtBot, window: MainWindow) -> None:
    view = window.practice
    chain = focus_chain(window)
    assert view.take_player.waveform is not None
    expected: list[QWidget] = [
        view.record_button,
        view.take_player.waveform,  # the review card: the waveform across, then its player
        view.take_player.play_button,
        view.ratings.note,
        view.prev_button,
        view.next_button,
        view.take_list,
    ]
    positions = [chain.index(w) for w in expected]  # each is reachable by Tab
    assert positions == sorted(positions), [spoken_name(w) for w in chain]

    # And by the keyboard alone: Tab from the play button walks on and comes round again.
    view.take_player.play_button.setFocus()
    visited = []
    for _ in range(len(chain) + 2):
        widget = QApplication.focusWidget()
        assert widget is not None
        visited.append(widget)
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
    assert (
        view.next_button in visited and view.take_list in visited and view.ratings.note in visited
    )


def test_every_page_and_dialog_fits_800_by_600(qtbot: QtBot, window: MainWindow) -> None:
    """800x600 logical pixels: also what a 1600x1200 screen gives at 200 % (QT_SCALE_FACTOR=2)."""
    too_big = []
    for page, root in every_page(qtbot, window):
        if root is window or root.parentWidget() is window.pages:
            window.resize(800, 600)
            qtbot.wait(20)
            size = window.size()
        else:
            root.resize(800, 600)
            size = root.size()
        if size.width() > 800 or size.height() > 600:
            too_big.append(f"{page}: {size.width()}x{size.height()}")
    assert not too_big, too_big
    window.show_practice()
    window.resize(800, 600)
    qtbot.wait(20)
    for button in (window.practice.next_button, window.practice.prev_button):
        corner = button.mapTo(window, button.rect().bottomRight())
        assert window.rect().contains(corner), "the navigation stays in view"


def test_the_level_meter_is_also_text(window: MainWindow) -> None:
    view = window.practice
    reading = MeterReading(level_db=-18.4, peak_db=-9.0, hold_db=-6.2, silent=False, clipping=False)
    view.level_meter.set_reading(reading)
    interface = QAccessible.queryAccessibleInterface(view.level_meter)
    assert interface is not None
    assert interface.text(QAccessible.Text.Name) == "Input level"
    assert interface.text(QAccessible.Text.Description) == "level -18 dBFS, peak -6 dBFS"
    assert spoken_name(view.level_text) == "Input level as text"
    view.level_meter.set_reading(None)
    assert view.level_meter.accessibleDescription() == "no input"
