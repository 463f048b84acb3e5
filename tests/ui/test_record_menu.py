"""Practice > Record / stop acts as Space does where the user is: in an interview run it ends
the answer (it stopped the run's take as a practice take, so a short answer went to the trash
with no 'Keep it'), and from another page it opens the practice page to record there (it
started a take out of sight, behind the summary). Virtual microphone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QAction
from pytestqt.qtbot import QtBot

from closer_desktop.storage.library import Library
from closer_desktop.ui.main_window import MainWindow
from tests.support.runs import start_run
from tests.support.virtual_mic import VirtualMic
from tests.ui.practice.test_practice_window import wait_idle, wait_ready


def record_action(window: MainWindow) -> QAction:
    return next(a for a in window.findChildren(QAction) if a.text().startswith("&Record / stop"))


@pytest.mark.real_audio
def test_record_from_the_summary_records_on_the_practice_page(
    qtbot: QtBot, open_window: Any, virtual_mic: VirtualMic, data_dir: Path
) -> None:
    window: MainWindow = open_window(data_dir)
    c = window.controller
    wait_ready(qtbot, window)
    c.finish_deck()
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.summary, timeout=5000)
    record_action(window).trigger()
    assert window.pages.currentWidget() is window.practice
    assert c.is_recording or c.countdown.active
    qtbot.waitUntil(lambda: c.recorder.is_active and c.recorder.elapsed_s > 1.0, timeout=8000)
    record_action(window).trigger()  # stops it, as Space
    wait_idle(qtbot, window)


@pytest.mark.real_audio
def test_record_stop_in_a_run_ends_the_answer_and_keeps_it(
    qtbot: QtBot, open_window: Any, virtual_mic: VirtualMic, data_dir: Path
) -> None:
    window: MainWindow = open_window(data_dir)
    c = window.controller
    wait_ready(qtbot, window)
    run = start_run(window)
    saved: list[Any] = []
    run.answer_saved.connect(lambda _, answer: saved.append(answer))
    qtbot.waitUntil(lambda: run.recording and run.recorder.elapsed_s > 0.2, timeout=10000)
    record_action(window).trigger()  # a short answer, ended by the menu as by Space
    qtbot.waitUntil(lambda: bool(saved), timeout=10000)
    run.stop()
    qtbot.waitUntil(lambda: not run.active and not c.is_recording, timeout=10000)
    wait_idle(qtbot, window)
    assert saved[0].take is not None and saved[0].ended_by == "space"
    library = Library(data_dir)
    try:
        assert library.trashed_takes() == []
    finally:
        library.close()
