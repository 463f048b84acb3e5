"""An accidental take that cannot be moved into the trash (here the data folder's trash/ is a
file, so no folder can be made there) is saved all the same, as an ordinary take: the page says
so and lists it at once, never "could not be saved". Recorded on the virtual microphone."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from closer_desktop.storage.library import TRASH_DIR, Library
from closer_desktop.ui.main_window import MainWindow
from tests.support.virtual_mic import VirtualMic
from tests.ui.practice.test_practice_window import press, wait_idle, wait_ready


@pytest.mark.real_audio
def test_a_stray_take_the_trash_refuses_is_kept_listed_and_said_so(
    qtbot: QtBot, open_window: Any, virtual_mic: VirtualMic, data_dir: Path
) -> None:
    window: MainWindow = open_window(data_dir)
    c = window.controller
    wait_ready(qtbot, window)
    trash = data_dir / TRASH_DIR
    if trash.is_dir():
        shutil.rmtree(trash)  # empty: nothing was ever trashed in this library
    trash.write_text("not a folder")

    press(qtbot, window, Qt.Key.Key_Space)  # Space twice in quick succession: a stray take
    qtbot.waitUntil(lambda: c.recorder.first_block_at is not None, timeout=5000)
    press(qtbot, window, Qt.Key.Key_Space)
    wait_idle(qtbot, window)

    text = window.message_label.text()
    assert "kept as an ordinary take" in text and "could not be saved" not in text
    assert window.toast.action_button.text() != "Keep it"  # nothing to bring back
    library = Library(data_dir)
    try:
        live = library.takes_for_question(c.deck.id, c.question.id)
        assert len(live) == 1 and library.trashed_takes() == []
    finally:
        library.close()
    assert [t.id for t in c.takes] == [live[0].id]  # listed now, not after a reload
    assert window.practice.take_list.count() == 1
    assert c.current_take is not None and c.current_take.id == live[0].id
