"""Practice > Play / pause acts as P does where the user is: on History it does not start the
practice page's take out of sight (two takes could then play at once, and no key on History
stopped the hidden one). Real output device (the virtual one)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from pytestqt.qtbot import QtBot

from closer_desktop.domain.deck import load_deck
from closer_desktop.paths import default_deck_path
from closer_desktop.ui.main_window import MainWindow
from tests.support.runs import tone_take
from tests.support.virtual_mic import VirtualMic
from tests.ui.practice.test_practice_window import wait_idle, wait_ready


@pytest.mark.real_audio
def test_play_from_the_menu_on_history_leaves_the_practice_take_alone(
    qtbot: QtBot, open_window: Any, virtual_mic: VirtualMic, data_dir: Path
) -> None:
    deck = load_deck(default_deck_path())
    tone_take(data_dir, deck, deck.questions[0], 5.0, "read")
    window: MainWindow = open_window(data_dir)
    c = window.controller
    wait_ready(qtbot, window)
    qtbot.waitUntil(lambda: c.current_take is not None, timeout=5000)
    wait_idle(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentWidget() is window.history
    play = next(a for a in window.findChildren(QAction) if a.text().startswith("&Play / pause"))
    play.trigger()
    qtbot.wait(500)  # the practice take's audio is read in the background before it plays
    assert not c.player.is_playing
