"""'Keep it' clicked while the next take records: once that take is saved both are listed (the
kept take came back into the library but not into the list, which the saved take then replaced:
'Your takes of this question (1)' until the question changed). Virtual microphone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from closer_desktop.ui.main_window import MainWindow
from tests.support.virtual_mic import VirtualMic
from tests.ui.practice.test_practice_window import press, wait_idle, wait_ready


@pytest.mark.real_audio
def test_a_take_kept_during_the_next_take_is_listed_with_it(
    qtbot: QtBot, open_window: Any, virtual_mic: VirtualMic, data_dir: Path, tmp_path: Path
) -> None:
    window: MainWindow = open_window(data_dir)
    c = window.controller
    wait_ready(qtbot, window)
    press(qtbot, window, Qt.Key.Key_Space)  # a stray pair of presses: set aside
    qtbot.waitUntil(lambda: c.recorder.first_block_at is not None, timeout=5000)
    press(qtbot, window, Qt.Key.Key_Space)
    wait_idle(qtbot, window)
    assert c.takes == [] and window.toast.action_button.text() == "Keep it"

    speech = virtual_mic.speak("Thank you for your time today.", tmp_path / "t.wav")
    press(qtbot, window, Qt.Key.Key_Space)  # the real take
    qtbot.waitUntil(lambda: c.recorder.is_active and c.recorder.elapsed_s > 0.1, timeout=5000)
    qtbot.mouseClick(window.toast.action_button, Qt.MouseButton.LeftButton)  # Keep it, now
    virtual_mic.play_file(speech)
    qtbot.wait(300)
    press(qtbot, window, Qt.Key.Key_Space)
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: len(c.takes) == 2, timeout=5000)
    assert window.practice.take_list.count() == 2
    assert c.current_take is not None and c.current_take.id == max(t.id for t in c.takes)
