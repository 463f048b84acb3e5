"""Space then Finish on the last question: the stray take is set aside as Space then N does on
any other question, not counted in the summary that follows. Real virtual microphone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from closer_desktop.storage.library import Library
from closer_desktop.ui.main_window import MainWindow
from tests.support.virtual_mic import VirtualMic
from tests.ui.practice.test_practice_window import press, wait_idle, wait_ready


@pytest.mark.real_audio
def test_space_then_finish_sets_the_stray_take_aside(
    qtbot: QtBot, open_window: Any, virtual_mic: VirtualMic, data_dir: Path
) -> None:
    window: MainWindow = open_window(data_dir)
    c = window.controller
    wait_ready(qtbot, window)
    last = len(c.queue) - 1
    c.go_to(last)
    summaries: list[Any] = []
    c.summary_ready.connect(summaries.append)
    press(qtbot, window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: c.recorder.first_block_at is not None, timeout=5000)
    press(qtbot, window, Qt.Key.Key_N)  # on the last question: Finish
    qtbot.waitUntil(lambda: bool(summaries), timeout=8000)
    wait_idle(qtbot, window)
    assert summaries[0].total_takes == 0
    library = Library(data_dir)
    try:
        assert library.takes_for_question(c.deck.id, c.queue[last].id) == []
        assert len(library.trashed_takes()) == 1  # set aside, not deleted
    finally:
        library.close()
    assert window.toast.action_button.text() == "Keep it"
