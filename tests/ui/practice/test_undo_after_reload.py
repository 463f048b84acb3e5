"""Undo of a changed rating after the take list was read again (issue: Undo went to the stale
copy): emptying the trash reloads the practice page's takes, so the copy the toast was made on is
no longer the one shown. Undo must put the old rating back in the library and on the page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import soundfile
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from closer_desktop.app import operations as ops
from closer_desktop.domain.practice import RatingScale
from closer_desktop.storage.library import Library
from closer_desktop.ui.main_window import MainWindow
from tests.e2e.test_desktop_app import DECK, library_with_a_take
from tests.ui.practice.test_practice_window import press, wait_idle
from tests.ui.practice.test_rating_saved_and_changed import stored_ratings

P = RatingScale.PROFESSIONALISM


def trashed_take(data_dir: Path) -> int:
    """A take of another question, in the trash: emptying it reloads every take list."""
    library = Library(data_dir)
    try:
        session = library.start_session(DECK.id)
        take = library.begin_take(session, DECK.id, DECK.questions[1], 16000)
        soundfile.write(library.audio_file(take), np.zeros(16000, dtype=np.float32), 16000)
        library.finish_take(take.id, 1.0, 16000)
        library.trash_take(take.id)
        return take.id
    finally:
        library.close()


def test_undo_after_the_list_is_read_again_changes_the_library_and_the_shown_take(
    qtbot: QtBot, open_window: Any, data_dir: Path
) -> None:
    library_with_a_take(data_dir)
    trashed = trashed_take(data_dir)
    window: MainWindow = open_window(data_dir)
    c, view = window.controller, window.practice
    qtbot.waitUntil(lambda: c.current_take is not None, timeout=10000)
    first = c.current_take
    assert first is not None
    for key in (Qt.Key.Key_3, Qt.Key.Key_4, Qt.Key.Key_5):  # 3, 4, then 3 → 5 with Undo
        press(qtbot, window, key)
    assert window.message_label.text() == "Professionalism changed 3 → 5."
    wait_idle(qtbot, window)

    ops.empty_trash((trashed,)).run(c.library)  # as Library > Empty trash does
    qtbot.waitUntil(lambda: c.current_take is not first, timeout=10000)
    shown = c.current_take
    assert shown is not None and shown.id == first.id and shown.professionalism == 5

    qtbot.mouseClick(window.toast.action_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert stored_ratings(data_dir, first.id) == (3, 4)
    assert shown.professionalism == 3  # the page shows what the library holds
    assert view.ratings.rows[P].buttons[2].isChecked()
    assert view.take_list.item(0).text().splitlines()[1] == "Professionalism 3, clarity 4"
