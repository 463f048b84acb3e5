"""Typing never starts a take (issue 19): letters typed with no field focused go into the note
field, which then has the focus (and Space types a space there); with no take to note, a Space
right after stray typing is ignored with a hint, and records again once the typing pauses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from closer_desktop import settings as S
from closer_desktop.ui.main_window import MainWindow
from closer_desktop.ui.practice.typing_guard import TYPING_HINT
from tests.e2e.test_desktop_app import library_with_a_take
from tests.support.virtual_mic import VirtualMic
from tests.ui.practice.test_practice_window import wait_ready


def type_keys(qtbot: QtBot, window: MainWindow, text: str) -> None:
    """Each key to whatever has the focus, as a keyboard sends it."""
    for char in text:
        target = QApplication.focusWidget() or window
        if char == " ":
            qtbot.keyClick(target, Qt.Key.Key_Space)
        else:
            qtbot.keyClicks(target, char)


def test_letters_typed_outside_the_note_field_go_into_it_and_space_types_a_space(
    qtbot: QtBot, open_window: Any, data_dir: Path
) -> None:
    library_with_a_take(data_dir)
    window: MainWindow = open_window(data_dir)
    c, note = window.controller, window.practice.ratings.note
    qtbot.waitUntil(lambda: c.current_take is not None and note.isEnabled(), timeout=10000)
    window.setFocus()
    assert not note.hasFocus()
    type_keys(qtbot, window, "slow down")
    assert note.text() == "slow down"
    assert note.hasFocus()  # visibly: the field has the focus ring now
    assert not c.is_recording and not c.countdown.active


@pytest.mark.real_audio
def test_space_right_after_stray_typing_does_not_record(
    qtbot: QtBot, open_window: Any, virtual_mic: VirtualMic, data_dir: Path
) -> None:
    window: MainWindow = open_window(data_dir)  # no take yet: no note to type into
    c = window.controller
    wait_ready(qtbot, window)
    c.settings.set(S.COUNTDOWN_S, 3)  # a Space that gets through starts a countdown, not a take
    window.setFocus()
    type_keys(qtbot, window, "so ")
    assert not c.countdown.active and not c.is_recording
    assert window.message_label.text() == TYPING_HINT

    window.practice.typing.typed_at -= 5  # the typing paused: Space is "record" again
    type_keys(qtbot, window, " ")
    assert c.countdown.active
    c.toggle_recording()  # cancel it
    assert not c.countdown.active and not c.is_recording
