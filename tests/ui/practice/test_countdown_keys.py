"""While a take is counted down the review card is dimmed and disabled, as while it records: a
digit does not rate the take shown there, and P does not play it (it played on into the
countdown, the speakers heard by the microphone as the take began). Space still cancels."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from closer_desktop import settings as S
from closer_desktop.domain.deck import load_deck
from closer_desktop.paths import default_deck_path
from closer_desktop.storage.library import Library
from closer_desktop.ui.main_window import MainWindow
from tests.support.runs import tone_take
from tests.support.virtual_mic import VirtualMic
from tests.ui.practice.test_practice_window import press, wait_idle, wait_ready


@pytest.mark.real_audio
def test_digits_and_p_wait_while_a_take_is_counted_down(
    qtbot: QtBot, open_window: Any, virtual_mic: VirtualMic, data_dir: Path
) -> None:
    deck = load_deck(default_deck_path())
    take_id = tone_take(data_dir, deck, deck.questions[0], 5.0, "read").id
    window: MainWindow = open_window(data_dir)
    c = window.controller
    wait_ready(qtbot, window)
    qtbot.waitUntil(lambda: c.current_take is not None, timeout=5000)
    assert c.current_take is not None and c.current_take.id == take_id
    wait_idle(qtbot, window)
    c.settings.set(S.COUNTDOWN_S, 5)

    press(qtbot, window, Qt.Key.Key_Space)
    assert c.countdown.active and window.practice.review.dimmed
    press(qtbot, window, Qt.Key.Key_4)
    press(qtbot, window, Qt.Key.Key_P)
    qtbot.wait(300)
    assert c.current_take.professionalism is None
    assert not c.player.is_playing
    press(qtbot, window, Qt.Key.Key_Space)  # cancels the countdown
    assert not c.countdown.active and not c.is_recording
    wait_idle(qtbot, window)
    library = Library(data_dir)
    try:
        assert library.take(take_id).professionalism is None
    finally:
        library.close()
