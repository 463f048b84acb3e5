"""Space at once, then Settings before the microphone is found: the kept press must not start a
take behind the open dialog (nothing on screen says a take is running, and Space goes to the
dialog). It is dropped as leaving the page drops it, waiting message and all. Real virtual
microphone: with none, start-up would drop the press anyway."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from closer_desktop.app.record_when_ready import WAITING
from tests.support.virtual_mic import VirtualMic
from tests.ui.test_start_up import open_pressing


@pytest.mark.real_audio
def test_a_kept_press_does_not_start_a_take_behind_settings(
    qtbot: QtBot, virtual_mic: VirtualMic, tmp_path: Path
) -> None:
    window, started, messages = open_pressing(
        qtbot, tmp_path, tmp_path / "library", [Qt.Key.Key_Space]
    )
    assert started == [False] and messages[0] == WAITING
    c = window.controller
    assert window.record_when_ready.waiting
    window.open_settings()
    dialog = QApplication.activeModalWidget()
    assert dialog is not None

    qtbot.waitUntil(lambda: not window.record_when_ready.waiting, timeout=10000)
    assert c.record_blocker is None  # a microphone: the press would have become a take
    qtbot.wait(300)  # the recorder's thread would start by now
    assert not c.is_recording and c.recorder.first_block_at is None
    assert not (window.toast.isVisible() and window.message_label.text() == WAITING)
    dialog.close()
