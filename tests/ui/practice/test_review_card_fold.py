"""The review card says what happened and what to do next without scrolling (issue 19): at
1280x800, after a take with feedback, the "Next take" sentence is in view; the line check keeps
no blank lines under itself, and the question card no room beyond the deck's longest line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from closer_desktop.ui.main_window import MainWindow
from tests.e2e.test_desktop_app import library_with_a_take, wait_for_take
from tests.support.line_library import said_metrics
from tests.ui.practice.test_practice_layout import styled


def in_viewport(widget: QWidget, window: MainWindow) -> bool:
    viewport = window.practice.scroller.viewport()
    shown = QRect(QPoint(0, 0), viewport.size())
    where = QRect(widget.mapTo(viewport, QPoint(0, 0)), widget.size())
    return widget.isVisible() and shown.contains(where)


def shown_with_feedback(qtbot: QtBot, open_window: Any, data_dir: Path) -> MainWindow:
    library_with_a_take(data_dir)
    window: MainWindow = styled(open_window(data_dir))
    wait_for_take(qtbot, window)
    c, view = window.controller, window.practice
    take = c.current_take
    assert take is not None
    # The app's own analysis of the (silent) take first, so that its "Analysing…" cannot
    # follow the feedback given here; then the feedback of the line said.
    feedback = view.feedback
    qtbot.waitUntil(
        lambda: feedback.metrics is not None or "could not" in feedback.summary.text(),
        timeout=30000,
    )
    c.analysis.metrics_ready.emit(take.id, said_metrics(take.question_text))
    qtbot.waitUntil(lambda: view.line_check.match is not None, timeout=5000)
    QApplication.processEvents()
    return window


def test_the_next_take_sentence_is_in_view_at_1280x800(
    qtbot: QtBot, open_window: Any, data_dir: Path
) -> None:
    window = shown_with_feedback(qtbot, open_window, data_dir)
    view = window.practice
    assert window.size().width() == 1280 and window.size().height() == 800
    assert view.scroller.verticalScrollBar().value() == 0  # as the page opens: no scrolling
    sentence = view.feedback.summary
    assert sentence.text().startswith("Next take"), sentence.text()
    assert in_viewport(sentence, window)
    assert view.review.side_by_side


def test_the_line_check_keeps_no_blank_lines_under_itself(
    qtbot: QtBot, open_window: Any, data_dir: Path
) -> None:
    window = shown_with_feedback(qtbot, open_window, data_dir)
    check = window.practice.line_check
    used = check.summary.geometry().bottom()
    blank = check.height() - used
    assert blank < check.summary.fontMetrics().lineSpacing() // 2, blank


def test_the_line_check_keeps_its_height_from_waiting_to_checked(
    qtbot: QtBot, open_window: Any, data_dir: Path
) -> None:
    """Reserved for the take's own line: the check fills the room, nothing under it moves."""
    library_with_a_take(data_dir)
    window: MainWindow = styled(open_window(data_dir))
    wait_for_take(qtbot, window)
    c, view = window.controller, window.practice
    take = c.current_take
    assert take is not None
    feedback = view.feedback
    qtbot.waitUntil(  # the app's own analysis of the silent take is over
        lambda: feedback.metrics is not None or "could not" in feedback.summary.text(),
        timeout=30000,
    )
    view.line_check.clear("The line check follows the transcript…")  # as a take is shown
    QApplication.processEvents()
    waiting = view.line_check.height(), view.ratings.mapTo(window, QPoint(0, 0))
    c.analysis.metrics_ready.emit(take.id, said_metrics(take.question_text))
    qtbot.waitUntil(lambda: view.line_check.match is not None, timeout=5000)
    QApplication.processEvents()
    assert (view.line_check.height(), view.ratings.mapTo(window, QPoint(0, 0))) == waiting


def test_the_question_card_keeps_no_room_beyond_the_longest_line(
    qtbot: QtBot, open_window: Any, data_dir: Path
) -> None:
    window: MainWindow = styled(open_window(data_dir))
    qtbot.waitUntil(lambda: window.controller.library.library_is_open, timeout=10000)
    qtbot.wait(100)  # the start-up's last layout done
    card = window.practice.card
    label = card.question_label
    width = label.width()
    tallest = 0
    shown = label.text()
    for question in window.controller.deck.questions:
        label.setText(f"“{question.text}”")
        tallest = max(tallest, label.heightForWidth(width))
    label.setText(shown)
    assert label.height() == tallest  # no third line kept when the deck's lines take two
