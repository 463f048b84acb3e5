"""Progress's "By heart" tab (issue 18), in the real window: an empty state until a take is said
without the line on screen, then per question the line match of those takes over time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from closer_desktop.storage.library import Library
from closer_desktop.ui.main_window import MainWindow
from closer_desktop.ui.progress.view import NOT_BY_HEART, ProgressView
from tests.support.line_library import DECISION, NEXT_STEPS, line_library


def open_by_heart(qtbot: QtBot, open_window: Any, data_dir: Path) -> ProgressView:
    window: MainWindow = open_window(data_dir)
    qtbot.waitUntil(lambda: window.library.library_is_open, timeout=10_000)
    qtbot.keyClick(window, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    view = window.progress
    qtbot.waitUntil(lambda: view.progress is not None, timeout=10_000)
    view.chart_tabs.setCurrentWidget(view.by_heart_page)
    return view


def test_by_heart_is_empty_until_a_line_is_said_from_memory(
    qtbot: QtBot, open_window: Any, data_dir: Path, tmp_path: Path
) -> None:
    (tmp_path / "settings.ini").write_text("[analysis]\nenabled=false\n", encoding="utf-8")
    line_library(data_dir)
    library = Library(data_dir)
    library.db.execute("UPDATE takes SET mode = 'read', hint_level = NULL")  # all read aloud
    library.close()
    view = open_by_heart(qtbot, open_window, data_dir)
    assert view.by_heart_stack.currentWidget() is view.by_heart_note
    assert view.by_heart_note.text() == NOT_BY_HEART


def test_by_heart_shows_each_questions_trend(
    qtbot: QtBot, open_window: Any, data_dir: Path, tmp_path: Path
) -> None:
    (tmp_path / "settings.ini").write_text("[analysis]\nenabled=false\n", encoding="utf-8")
    line_library(data_dir)
    view = open_by_heart(qtbot, open_window, data_dir)
    table = view.by_heart_table
    assert view.by_heart_stack.currentWidget() is table
    rows = {}
    for row in range(table.rowCount()):
        cells = [table.item(row, c) for c in range(table.columnCount())]
        rows[cells[0].text()] = [c.text() for c in cells[1:]]  # type: ignore[union-attr]
    assert rows == {
        NEXT_STEPS.text: ["1 of 3 takes", "50 %* · 75 %* · 100 %", "yes"],
        DECISION.text: ["0 of 1 take", "other question", "not yet"],
    }
