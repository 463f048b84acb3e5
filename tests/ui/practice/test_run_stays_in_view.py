"""An interview run in progress keeps its page: Ctrl+1, Ctrl+H, Ctrl+G and Ctrl+D say to end it
first (Esc), as they say to stop a take first. They switched pages under the hands-free run,
which then spoke its cues and recorded its answers out of sight (Ctrl+1 also cut the answer
being recorded short). Virtual microphone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from closer_desktop.ui.main_window import MainWindow
from tests.support.runs import start_run
from tests.support.virtual_mic import VirtualMic
from tests.ui.practice.test_practice_window import wait_idle, wait_ready


@pytest.mark.real_audio
@pytest.mark.parametrize("key", [Qt.Key.Key_1, Qt.Key.Key_H, Qt.Key.Key_G, Qt.Key.Key_D])
def test_page_shortcuts_wait_for_the_run_to_end(
    qtbot: QtBot, open_window: Any, virtual_mic: VirtualMic, data_dir: Path, key: Qt.Key
) -> None:
    window: MainWindow = open_window(data_dir)
    c = window.controller
    wait_ready(qtbot, window)
    run = start_run(window)
    view = window._run_view
    assert view is not None and run.active
    qtbot.keyClick(window, key, Qt.KeyboardModifier.ControlModifier)  # during the cue
    assert window.pages.currentWidget() is view and window.deck_dialog is None
    assert "Esc" in window.message_label.text()
    qtbot.waitUntil(lambda: run.recording and run.recorder.elapsed_s > 0.5, timeout=10000)
    qtbot.keyClick(window, key, Qt.KeyboardModifier.ControlModifier)  # during the answer
    qtbot.wait(200)
    assert run.recording and run.index == 0
    assert window.pages.currentWidget() is view and window.deck_dialog is None
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not run.active and not c.is_recording, timeout=10000)
    wait_idle(qtbot, window)


@pytest.mark.real_audio
@pytest.mark.parametrize("entry", ["&Next question", "Pre&vious question", "&Finish and see"])
def test_the_practice_menus_moves_wait_for_the_run_to_end(
    qtbot: QtBot, open_window: Any, virtual_mic: VirtualMic, data_dir: Path, entry: str
) -> None:
    """Practice > Next question during a run moved the practice page under it (and showed
    that page, the run going on out of sight), cutting the answer short."""
    from PySide6.QtGui import QAction

    window: MainWindow = open_window(data_dir)
    c = window.controller
    wait_ready(qtbot, window)
    c.go_to(1)
    run = start_run(window)
    view = window._run_view
    qtbot.waitUntil(lambda: run.recording and run.recorder.elapsed_s > 0.5, timeout=10000)
    action = next(a for a in window.findChildren(QAction) if a.text().startswith(entry))
    action.trigger()
    qtbot.wait(300)
    assert run.recording and run.index == 0 and c.index == 1
    assert window.pages.currentWidget() is view
    assert "Esc" in window.message_label.text()
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not run.active and not c.is_recording, timeout=10000)
    wait_idle(qtbot, window)
