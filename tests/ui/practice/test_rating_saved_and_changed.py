"""Ratings on the practice page (issue 19): two digits show the take saved; a third changes a
rating only visibly ('Professionalism changed 3 → 5.' with Undo), and Undo puts it back in the
library; the takes list says the ratings in words."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from closer_desktop.domain.practice import RatingScale
from closer_desktop.storage.library import Library
from closer_desktop.ui.main_window import MainWindow
from tests.e2e.test_desktop_app import library_with_a_take
from tests.ui.practice.test_practice_window import press, wait_idle

P = RatingScale.PROFESSIONALISM


def stored_ratings(data_dir: Path, take_id: int) -> tuple[int | None, int | None]:
    library = Library(data_dir)
    try:
        take = library.take(take_id)
        return take.professionalism, take.clarity
    finally:
        library.close()


def test_two_digits_save_and_a_third_changes_visibly_with_undo(
    qtbot: QtBot, open_window: Any, data_dir: Path
) -> None:
    library_with_a_take(data_dir)
    window: MainWindow = open_window(data_dir)
    c, view = window.controller, window.practice
    qtbot.waitUntil(lambda: c.current_take is not None, timeout=10000)
    take = c.current_take
    assert take is not None
    item = view.take_list.item(0)
    assert item.text().splitlines()[1] == "Not rated yet"

    press(qtbot, window, Qt.Key.Key_3)
    press(qtbot, window, Qt.Key.Key_4)
    assert view.ratings.status.text().startswith("✓ Saved: professionalism 3, clarity 4")
    assert view.ratings.status.property("saved") is True
    assert c.rating_target is None  # no row highlighted: nothing waits for a digit
    assert not any(row.property("target") for row in view.ratings.rows.values())
    assert not window.toast.isVisible()  # setting a rating is not news
    first_line, ratings_line = view.take_list.item(0).text().splitlines()[:2]
    assert first_line.startswith("Take 1 · 0:01 · ")
    assert ratings_line == "Professionalism 3, clarity 4"
    assert "P 3" not in view.take_list.item(0).text()

    press(qtbot, window, Qt.Key.Key_5)  # a third digit: a change, said with an undo
    assert take.professionalism == 5
    assert window.toast.isVisible()
    assert window.message_label.text() == "Professionalism changed 3 → 5."
    assert window.toast.action_button.text() == "Undo"
    wait_idle(qtbot, window)
    assert stored_ratings(data_dir, take.id) == (5, 4)

    qtbot.mouseClick(window.toast.action_button, Qt.MouseButton.LeftButton)
    assert take.professionalism == 3
    assert view.ratings.rows[P].buttons[2].isChecked()
    assert view.ratings.status.property("saved") is True
    wait_idle(qtbot, window)
    assert stored_ratings(data_dir, take.id) == (3, 4)
