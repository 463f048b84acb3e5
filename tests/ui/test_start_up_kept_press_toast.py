"""Space at once, then another page: the kept press is dropped, and the toast no longer says
'Recording starts as soon as the microphone is ready' over the page the user went to (it stayed
for its nine seconds, promising a take that never came)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from closer_desktop.app.record_when_ready import WAITING
from tests.ui.test_start_up import open_pressing


def test_leaving_the_page_takes_back_the_waiting_message(qtbot: QtBot, tmp_path: Path) -> None:
    window, started, _ = open_pressing(
        qtbot,
        tmp_path,
        tmp_path / "library",
        [Qt.Key.Key_Space, Qt.Key.Key_H],
        Qt.KeyboardModifier.ControlModifier,
    )
    assert started == [False]
    assert not window.record_when_ready.waiting
    qtbot.waitUntil(lambda: type(window.pages.currentWidget()).__name__ == "HistoryView")
    assert not (window.toast.isVisible() and window.message_label.text() == WAITING)
    qtbot.waitUntil(lambda: not window.controller.microphone.checking, timeout=10000)
