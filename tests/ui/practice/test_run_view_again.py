"""A second interview run starts clean: its first cue does not say the previous run's last
answer was kept (the page, reused for every run, carried that line over). Virtual microphone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from closer_desktop.ui.main_window import MainWindow
from tests.support.runs import start_run
from tests.support.virtual_mic import VirtualMic
from tests.ui.practice.test_practice_window import wait_ready


@pytest.mark.real_audio
def test_the_next_runs_first_cue_says_nothing_of_the_last_runs_answers(
    qtbot: QtBot, open_window: Any, virtual_mic: VirtualMic, data_dir: Path
) -> None:
    window: MainWindow = open_window(data_dir)
    c = window.controller
    wait_ready(qtbot, window)
    run = start_run(window)
    view = window._run_view
    assert view is not None and run.active
    qtbot.waitUntil(lambda: run.recording and run.recorder.elapsed_s > 0.5, timeout=10000)
    qtbot.keyClick(window, Qt.Key.Key_Escape)  # the run ends, its answer kept
    qtbot.waitUntil(lambda: not run.active, timeout=10000)
    assert view.state_label.text().startswith("Answer 1 kept (")
    qtbot.waitUntil(lambda: not c.is_recording and not c.library.runner.busy, timeout=10000)

    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)  # run again
    assert run.active and window.pages.currentWidget() is view
    assert "kept" not in view.state_label.text()
    assert "question 1 of" in view.progress_label.text()
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not run.active and not c.is_recording, timeout=10000)
