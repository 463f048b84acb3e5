"""A third digit in the run debrief changes a rating as on the practice page (issue 19): visibly,
'Professionalism changed 3 → 5.' with Undo (app/rating.py says it for both pages); it used to
overwrite silently. Undo puts the rating back in the library and in the table, also when another
answer is selected by then."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from closer_desktop.app.interview_run import RunResult
from closer_desktop.domain.practice import RatingScale, Take
from closer_desktop.domain.text import ratings_in_words
from closer_desktop.ui.main_window import MainWindow
from tests.ui.practice.test_debrief_rating import answers, stored
from tests.ui.practice.test_practice_window import wait_idle

P = RatingScale.PROFESSIONALISM


def rerated(
    qtbot: QtBot, window: MainWindow, data_dir: Path, old: int = 3
) -> tuple[RunResult, Take]:
    """The debrief of a run whose first answer was rated `old`, 4, then 5 by a third digit."""
    qtbot.waitUntil(lambda: window.controller.library.library_is_open, timeout=10000)
    result = answers(data_dir, window)
    debrief = window.debrief
    debrief.show_result(result)
    first = result.answers[0].take
    assert first is not None
    debrief.rate_digit(old)
    debrief.rate_digit(4)
    assert not window.toast.isVisible()  # setting a rating is not news
    debrief.rate_digit(5)  # a third digit: a change, said with an undo
    return result, first


def cell(window: MainWindow, row: int) -> str:
    item = window.debrief.table.item(row, 5)
    assert item is not None
    return item.text()


def test_a_third_digit_in_the_debrief_says_the_change_with_undo(
    qtbot: QtBot, open_window: Any, data_dir: Path
) -> None:
    window: MainWindow = open_window(data_dir)
    _, first = rerated(qtbot, window, data_dir)
    assert first.professionalism == 5
    assert window.toast.isVisible()
    assert window.message_label.text() == "Professionalism changed 3 → 5."
    assert window.toast.action_button.text() == "Undo"
    assert cell(window, 0) == ratings_in_words(5, 4)
    wait_idle(qtbot, window)
    assert stored(data_dir, first.id) == (5, 4)

    qtbot.mouseClick(window.toast.action_button, Qt.MouseButton.LeftButton)
    assert first.professionalism == 3
    assert window.debrief.ratings.rows[P].buttons[2].isChecked()
    assert cell(window, 0) == ratings_in_words(3, 4)
    wait_idle(qtbot, window)
    assert stored(data_dir, first.id) == (3, 4)


def test_undo_after_selecting_another_answer_puts_back_the_first(
    qtbot: QtBot, open_window: Any, data_dir: Path
) -> None:
    window: MainWindow = open_window(data_dir)
    result, first = rerated(qtbot, window, data_dir, old=2)
    assert window.message_label.text() == "Professionalism changed 2 → 5."
    window.debrief.table.setCurrentCell(1, 0)  # the second answer is rated from now on
    second = result.answers[1].take
    assert second is not None and window.debrief.rating.take is second

    qtbot.mouseClick(window.toast.action_button, Qt.MouseButton.LeftButton)
    assert first.professionalism == 2
    assert cell(window, 0) == ratings_in_words(2, 4)
    assert window.debrief.rating.take is second  # the selection stays
    assert second.professionalism == 3  # untouched (answers() rated it 3)
    wait_idle(qtbot, window)
    assert stored(data_dir, first.id) == (2, 4)
    assert stored(data_dir, second.id) == (3, None)
