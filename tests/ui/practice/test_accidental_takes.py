"""Accidental takes (issue 19): a take under 0.7 s, or with nothing said in it, is set aside
into the library's trash with a "Keep it" toast, never listed, counted or made the question's
take; keeping it brings it back. Recorded for real on the virtual microphone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from closer_desktop.storage.library import TRASH_DIR, Library
from closer_desktop.storage.queries.progress import load_progress
from closer_desktop.ui.main_window import MainWindow
from tests.support.virtual_mic import VirtualMic
from tests.ui.practice.test_practice_window import press, record_phrase, wait_idle, wait_ready


def stored(data_dir: Path, window: MainWindow) -> tuple[list[int], list[int]]:
    """(the live takes of the first question, the trashed takes), by id."""
    c = window.controller
    library = Library(data_dir)
    try:
        live = library.takes_for_question(c.deck.id, c.deck.questions[0].id)
        return [t.id for t in live], [t.id for t in library.trashed_takes()]
    finally:
        library.close()


@pytest.mark.real_audio
def test_a_short_take_is_set_aside_with_keep_it_and_the_question_keeps_its_take(
    qtbot: QtBot, open_window: Any, virtual_mic: VirtualMic, data_dir: Path, tmp_path: Path
) -> None:
    window: MainWindow = open_window(data_dir)
    c = window.controller
    wait_ready(qtbot, window)
    record_phrase(qtbot, window, virtual_mic, virtual_mic.speak("Thank you.", tmp_path / "t.wav"))
    (real,) = c.takes
    press(qtbot, window, Qt.Key.Key_4)
    press(qtbot, window, Qt.Key.Key_3)

    # Space twice in quick succession, as when typing a note with the field not focused.
    press(qtbot, window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: c.recorder.first_block_at is not None, timeout=5000)
    press(qtbot, window, Qt.Key.Key_Space)
    wait_idle(qtbot, window)

    assert c.takes == [real] and c.current_take is real  # still the question's take
    assert window.practice.take_list.count() == 1
    assert "set aside" in window.message_label.text()
    assert window.toast.isVisible() and window.toast.action_button.text() == "Keep it"
    live, trashed = stored(data_dir, window)
    assert live == [real.id] and len(trashed) == 1  # in the trash: nothing deleted
    library = Library(data_dir)
    (aside,) = library.trashed_takes()
    library.close()
    assert aside.duration_s < 0.7
    assert (data_dir / TRASH_DIR / aside.audio_path).is_file()
    assert c.rating_target is None  # the shown take is rated: digits would not rate the stray

    qtbot.mouseClick(window.toast.action_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(c.takes) == 2, timeout=5000)
    wait_idle(qtbot, window)
    assert c.current_take is not None and c.current_take.id == aside.id
    assert stored(data_dir, window) == ([real.id, aside.id], [])
    assert (data_dir / aside.audio_path).is_file()


@pytest.mark.real_audio
def test_a_take_with_nothing_said_is_set_aside_and_not_counted_in_the_summary(
    qtbot: QtBot, open_window: Any, virtual_mic: VirtualMic, data_dir: Path
) -> None:
    window: MainWindow = open_window(data_dir)
    c = window.controller
    wait_ready(qtbot, window)
    press(qtbot, window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: c.recorder.is_active and c.recorder.elapsed_s > 1.2, timeout=8000)
    press(qtbot, window, Qt.Key.Key_Space)  # 1.2 s of a silent room
    wait_idle(qtbot, window)
    assert c.takes == [] and c.current_take is None
    assert window.message_label.text() == "Nothing was heard in that take, so it was set aside."
    live, trashed = stored(data_dir, window)
    assert live == [] and len(trashed) == 1
    library = Library(data_dir)
    try:
        progress = load_progress(library)
    finally:
        library.close()
    assert progress.empty and progress.totals.days == 0  # Progress does not count it either
    summaries: list[Any] = []
    c.summary_ready.connect(summaries.append)
    c.finish_deck()
    qtbot.waitUntil(lambda: bool(summaries), timeout=5000)
    assert summaries[0].total_takes == 0


@pytest.mark.real_audio
def test_from_memory_a_take_set_aside_does_not_give_the_line_away(
    qtbot: QtBot, open_window: Any, virtual_mic: VirtualMic, data_dir: Path
) -> None:
    window: MainWindow = open_window(data_dir)
    c, view = window.controller, window.practice
    wait_ready(qtbot, window)
    window.memory_action.trigger()
    press(qtbot, window, Qt.Key.Key_H)  # the first words
    level = view.memory.level
    assert c.question.text not in view.question_label.text()
    press(qtbot, window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: c.recorder.first_block_at is not None, timeout=5000)
    press(qtbot, window, Qt.Key.Key_Space)
    wait_idle(qtbot, window)
    assert "set aside" in window.message_label.text()
    assert c.question.text not in view.question_label.text()  # still hidden
    assert view.memory.line_hidden and view.memory.level == level


@pytest.mark.real_audio
def test_space_then_next_sets_the_stray_take_aside_too(
    qtbot: QtBot, open_window: Any, virtual_mic: VirtualMic, data_dir: Path
) -> None:
    window: MainWindow = open_window(data_dir)
    c = window.controller
    wait_ready(qtbot, window)
    press(qtbot, window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: c.recorder.first_block_at is not None, timeout=5000)
    press(qtbot, window, Qt.Key.Key_N)  # moving on ends the take: a stray one all the same
    qtbot.waitUntil(lambda: c.index == 1, timeout=5000)
    wait_idle(qtbot, window)
    assert stored(data_dir, window)[0] == []  # question 1 has no take to count
    assert window.toast.action_button.text() == "Keep it"
