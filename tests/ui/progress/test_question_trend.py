"""The per-question table on the Progress page: a trend only once a question's first three and
last three takes are apart, in the design's colours, which follow a theme switch."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidgetItem
from pytestqt.qtbot import QtBot

from closer_desktop.storage.library import Library
from closer_desktop.ui.design import DARK, LIGHT
from closer_desktop.ui.main_window import MainWindow
from closer_desktop.ui.progress.view import QUESTION_COLUMNS, ProgressView
from closer_desktop.ui.theme import dark_palette
from tests.support.progress_library import DECK, Q, add, at

TIMEOUT = 10000
TREND = QUESTION_COLUMNS.index("Trend since the first 3")


def trend_cell(view: ProgressView, question_id: str) -> QTableWidgetItem:
    for row in range(view.table.rowCount()):
        item = view.table.item(row, TREND)
        if item is not None and item.data(Qt.ItemDataRole.UserRole) == question_id:
            return item
    raise AssertionError(question_id)


def test_trends_wait_for_six_takes_and_follow_the_theme(
    qtbot: QtBot, open_window: Any, data_dir: Path
) -> None:
    library = Library(data_dir)
    session = library.start_session(DECK.id)
    rising = [(2, 2), (2, 3), (3, 2), (3, 3), (4, 4), (4, 4)]  # 2.3 → 3.7, 2.3 → 3.7
    falling = [(4, 4), (4, 4), (4, 4), (3, 3), (3, 3), (2, 3)]
    for n, ((p1, c1), (p2, c2)) in enumerate(zip(rising, falling, strict=True)):
        add(library, session, 0, at("2026-11-04", f"09:{2 * n:02d}"), p1, c1)
        add(library, session, 1, at("2026-11-04", f"09:{2 * n + 1:02d}"), p2, c2)
    for n in range(4):  # four takes: the first and last three share two
        add(library, session, 2, at("2026-11-04", f"10:{n:02d}"), 3, 4)
    library.close()
    window: MainWindow = open_window(data_dir)
    qtbot.waitUntil(lambda: window.library.library_is_open, timeout=TIMEOUT)
    window.show_progress()
    view = window.progress
    qtbot.waitUntil(lambda: view.progress is not None, timeout=TIMEOUT)
    up, down, early = (trend_cell(view, q) for q in (Q[0], Q[1], Q[2]))
    assert (up.text(), down.text(), early.text()) == (
        "▲ up 1.4",
        "▼ down 1.1",  # professionalism 4 → 2.7, clarity 4 → 3: a mean of 1.15
        "2 more takes to see a trend",
    )
    assert "3.5 → 3.5" not in " ".join(
        view.table.item(r, c).text()  # type: ignore[union-attr]
        for r in range(view.table.rowCount())
        for c in range(len(QUESTION_COLUMNS))
    )
    assert "professionalism 2.3 → 3.7 (4)" in up.toolTip()
    assert up.foreground().color().name() == LIGHT.good
    assert down.foreground().color().name() == LIGHT.work
    assert early.foreground().color().name() == LIGHT.text_secondary
    # The table is as tall as its rows: the page scrolls, not the table.
    assert view.table.verticalScrollBar().maximum() == 0
    view.setPalette(dark_palette())
    up, down = trend_cell(view, Q[0]), trend_cell(view, Q[1])
    assert up.foreground().color().name() == DARK.good
    assert down.foreground().color().name() == DARK.work
