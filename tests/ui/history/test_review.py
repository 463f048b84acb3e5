"""History as a review page (issue 19), in the real window on a real library: a delete updates
the count and really selects the next take (clicks and keys act on it), the Delete key deletes
on the table only, the filters sit in a pop-over behind a button that counts them, and grouped
by question each question heads its takes with their count and mean ratings."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from closer_desktop.domain.practice import RatingScale
from closer_desktop.storage.library import Library
from closer_desktop.storage.take_metrics import save_metrics
from closer_desktop.ui.history.view import GROUP_ROLE, NOTE_COLUMN, WPM_COLUMN, HistoryView
from closer_desktop.ui.main_window import MainWindow
from tests.support.delivery import delivery_metrics
from tests.ui.history.test_view import DECK, build, open_history


def selected_rows(history: HistoryView) -> list[int]:
    return [index.row() for index in history.table.selectionModel().selectedRows()]


def test_a_delete_counts_at_once_and_really_selects_the_next_take(
    qtbot: QtBot, open_window: Any, data_dir: Path
) -> None:
    window = open_history(qtbot, open_window, data_dir)
    history, model = window.history, window.history.model
    assert history.count_label.text() == "5 takes"
    history.table.selectRow(1)
    qtbot.waitUntil(lambda: history.selected is not None)
    deleted, following = model.takes[1], model.takes[2]
    history.table.setFocus()
    qtbot.keyClick(history.table, Qt.Key.Key_Delete)  # the Delete key deletes the take
    qtbot.waitUntil(lambda: model.rowCount() == 4, timeout=5000)
    assert deleted.id not in {t.id for t in model.takes}
    assert history.count_label.text() == "4 takes"  # at once, not at the next reload
    # The take that moved up into the row is selected for real: shown, current and selected.
    assert history.selected is not None and history.selected.id == following.id
    assert selected_rows(history) == [1]
    assert history.table.currentIndex().row() == 1
    assert following.question_text in history.detail_title.text()
    assert history.delete_button.isEnabled()
    qtbot.keyClick(history.table, Qt.Key.Key_Down)  # keys act on it: the next take
    assert history.selected is not None and history.selected.id == model.takes[2].id
    # The last row deleted: the one above it is selected.
    history.table.selectRow(3)
    last, above = model.takes[3], model.takes[2]
    qtbot.keyClick(history.table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: model.rowCount() == 3, timeout=5000)
    assert history.count_label.text() == "3 takes"
    assert history.selected is not None and history.selected.id == above.id
    assert selected_rows(history) == [2] and last.id in history.deleted
    # Ctrl+Z brings the last one back, and the count with it.
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: history.count_label.text() == "4 takes", timeout=5000)


def test_delete_in_the_search_field_is_a_text_key(
    qtbot: QtBot, open_window: Any, data_dir: Path
) -> None:
    window = open_history(qtbot, open_window, data_dir)
    history = window.history
    history.table.selectRow(0)
    qtbot.waitUntil(lambda: history.selected is not None)
    history.search.setFocus()
    qtbot.keyClicks(history.search, "ab")
    history.search.setCursorPosition(0)
    qtbot.keyClick(history.search, Qt.Key.Key_Delete)
    assert history.search.text() == "b"
    qtbot.wait(300)  # the search settles (and finds nothing): no take was trashed meanwhile
    assert history.deleted == []
    library = Library(data_dir)
    assert len(library.trashed_takes()) == 0
    library.close()


def test_the_filters_are_in_a_pop_over_whose_button_counts_them(
    qtbot: QtBot, open_window: Any, data_dir: Path
) -> None:
    window = open_history(qtbot, open_window, data_dir)
    history, model = window.history, window.history.model
    # The page shows the search, the grouping, the Filters button and the count: no more.
    for hidden in (history.deck, history.stage, history.question, history.max_c, history.has_note):
        assert not hidden.isVisible()
    assert history.search.isVisible() and history.filters_button.isVisible()
    assert not history.filters_badge.isVisible()
    assert history.filters_button.accessibleName() == "Filters, none in use"
    qtbot.mouseClick(history.filters_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(history.filters_popup.isVisible)
    assert history.max_c.isVisible() and history.has_note.isVisible()
    history.max_c.setCurrentIndex(history.max_c.findData(2))  # clarity at most 2
    history.has_note.setChecked(True)
    qtbot.waitUntil(lambda: model.rowCount() == 2, timeout=5000)
    assert history.filters_badge.text() == "2" and history.filters_badge.isVisible()
    assert history.filters_button.accessibleName() == "Filters, 2 in use"
    history.filters_popup.hide()
    assert history.filters_badge.isVisible()  # still says filters narrow the list
    history.open_filters()
    qtbot.mouseClick(history.clear_filters_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: model.rowCount() == 5, timeout=5000)
    assert not history.filters_badge.isVisible()
    assert history.max_c.currentData() is None and not history.has_note.isChecked()
    # The pop-over fits on the screen, under its button.
    popup = history.filters_popup
    screen = history.screen().availableGeometry()
    assert screen.contains(popup.frameGeometry())


def test_by_question_each_question_heads_its_takes(
    qtbot: QtBot, open_window: Any, data_dir: Path
) -> None:
    window = open_history(qtbot, open_window, data_dir)  # question 0 twice, 2, 4 and 6 once
    history, model = window.history, window.history.model
    history.group.setCurrentIndex(history.group.findText("By question"))
    qtbot.waitUntil(lambda: model.rowCount() == 9, timeout=5000)
    headings = [r for r in range(model.rowCount()) if model.is_heading(r)]
    assert len(headings) == 4
    assert history.table.isColumnHidden(1)  # the headings name the questions
    twice = DECK.questions[0].text
    heading = next(r for r in headings if model.index(r, 0).data() == twice)
    # The build rates question 0's takes clarity 2 and 4, professionalism never.
    assert model.index(heading, 0).data(GROUP_ROLE) == "2 takes · clarity 3"
    assert not model.flags(model.index(heading, 0)) & Qt.ItemFlag.ItemIsSelectable
    assert history.table.columnSpan(heading, 0) == model.columnCount()
    # No ditto marks: each take shows its question.
    texts = [model.index(r, 1).data() for r in range(model.rowCount()) if model.take_at(r)]
    assert "″" not in "".join(texts) and texts.count(twice) == 2
    # A re-rating moves the heading's mean at once.
    history.table.selectRow(heading + 2)  # question 0's older take, clarity 2
    qtbot.waitUntil(lambda: history.selected is model.take_at(heading + 2))
    clarity = history.ratings.rows[RatingScale.CLARITY].buttons[4]
    qtbot.mouseClick(clarity, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: model.index(heading, 0).data(GROUP_ROLE) == "2 takes · clarity 4.5", timeout=5000
    )
    qtbot.mouseClick(
        history.ratings.rows[RatingScale.CLARITY].buttons[1], Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(
        lambda: model.index(heading, 0).data(GROUP_ROLE) == "2 takes · clarity 3", timeout=5000
    )
    # The arrow keys go from take to take, past the headings.
    history.table.setFocus()
    history.table.selectRow(heading + 2)  # question 0's second take
    qtbot.keyClick(history.table, Qt.Key.Key_Down)
    assert history.table.currentIndex().row() == heading + 4  # past the next heading
    assert history.selected is model.take_at(heading + 4)
    # A click on a heading selects nothing.
    history.table.selectRow(heading + 1)
    rect = history.table.visualRect(model.index(heading, 0))
    qtbot.mouseClick(history.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert history.selected is model.take_at(heading + 1)
    # Deleting one of two: the count and the mean follow; the only take: its heading goes.
    qtbot.keyClick(history.table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: model.rowCount() == 8, timeout=5000)
    assert model.index(heading, 0).data(GROUP_ROLE) == "1 take · clarity 2"  # the 4 went
    assert history.selected is model.take_at(heading + 1)
    qtbot.keyClick(history.table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: model.rowCount() == 6, timeout=5000)
    assert twice not in [model.index(r, 0).data() for r in range(model.rowCount())]
    assert history.count_label.text() == "3 takes"
    assert history.selected is not None and history.selected is model.take_at(
        history.table.currentIndex().row()
    )


def test_a_take_whose_metrics_are_not_json_leaves_the_page_whole(
    qtbot: QtBot, open_window: Any, data_dir: Path, tmp_path: Path
) -> None:
    (tmp_path / "settings.ini").write_text("[analysis]\nenabled=false\n", encoding="utf-8")
    build(data_dir)
    library = Library(data_dir)
    newest = sorted(library.takes_for_session(1), key=lambda t: t.recorded_at, reverse=True)
    save_metrics(library, newest[0].id, delivery_metrics(182))
    library.close()
    with sqlite3.connect(data_dir / "closer.sqlite3") as db:  # a row damaged outside Closer
        db.execute(
            "INSERT INTO take_metrics (take_id, analyser_version, computed_at, metrics) "
            "VALUES (?, 1, '2026-11-25T10:00:00-05:00', 'not JSON {')",
            (newest[1].id,),
        )
    db.close()
    window: MainWindow = open_window(data_dir)
    qtbot.waitUntil(lambda: window.library.library_is_open, timeout=5000)
    qtbot.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    model = window.history.model
    qtbot.waitUntil(lambda: model.rowCount() == 5, timeout=5000)
    assert model.index(0, WPM_COLUMN).data() == "182"
    assert model.index(1, WPM_COLUMN).data() is None
    tip = model.index(1, WPM_COLUMN).data(Qt.ItemDataRole.ToolTipRole)
    assert tip == "The stored figures of this take could not be read"
    assert QApplication.activeWindow() is window


def wholly_shown(widget: QWidget, top: QWidget) -> bool:
    """No ancestor up to `top` cuts `widget` off."""
    rect = QRect(widget.mapTo(top, QPoint(0, 0)), widget.size())
    node = widget.parentWidget()
    while node is not None and node is not top:
        if not QRect(node.mapTo(top, QPoint(0, 0)), node.size()).contains(rect):
            return False
        node = node.parentWidget()
    return top.rect().contains(rect)


def test_at_800_by_600_the_take_and_its_ratings_are_whole(
    qtbot: QtBot, open_window: Any, data_dir: Path
) -> None:
    window = open_history(qtbot, open_window, data_dir)
    window.resize(800, 600)
    history = window.history
    history.table.selectRow(0)
    qtbot.waitUntil(lambda: history.selected is not None)
    qtbot.wait(300)  # the layout settles at the new size
    buttons = [b for row in history.ratings.rows.values() for b in row.buttons]
    for widget in [*buttons, history.delete_button, history.play_button, history.filters_button]:
        assert widget.isVisible() and wholly_shown(widget, window), widget.accessibleName()
        # Not squeezed either (the wrapped title once left the ratings half their height).
        assert widget.height() >= widget.minimumSizeHint().height(), widget.accessibleName()
    assert history.ratings.height() >= history.ratings.minimumSizeHint().height()
    assert history.table.height() >= 3 * history.table.verticalHeader().defaultSectionSize()
    # The note and star columns give way; every figure keeps its column.
    assert history.table.isColumnHidden(NOTE_COLUMN) and history.table.isColumnHidden(5)
    assert not history.table.isColumnHidden(WPM_COLUMN)
    assert history.model.index(0, 0).data() == "24 Nov, 18:00"  # no weekday or year: room
    # The take's question on one line, elided; whole in the tooltip and the table's tooltip.
    question = history.model.takes[0].question_text
    qtbot.waitUntil(lambda: "…" in history.detail_title.text())
    assert history.detail_title.toolTip() == question
    window.resize(1280, 800)
    qtbot.waitUntil(lambda: not history.table.isColumnHidden(NOTE_COLUMN))
    assert history.model.index(0, 0).data() == "Tue 24 Nov 2026, 18:00"
