"""Leaving the run debrief by a shortcut (Ctrl+1, Ctrl+H, Ctrl+G) stops the answer it plays, as
its Back button does: the debrief has a player of its own, which no other page's P reaches, so
the answer went on playing over the page the user went to. Real output device (virtual one)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from closer_desktop.app.interview_run import RunAnswer, RunResult
from closer_desktop.storage.library import Library
from closer_desktop.ui.main_window import MainWindow
from tests.support.virtual_mic import VirtualMic


def long_answer(data_dir: Path, window: MainWindow) -> RunResult:
    """A run of one 20 s answer (a quiet tone): long enough to still play when the page goes."""
    deck = window.controller.deck
    question = deck.questions[0]
    library = Library(data_dir)
    try:
        session = library.start_session(deck.id)
        take = library.begin_take(session, deck.id, question, 16000, mode="run")
        tone = 0.05 * np.sin(np.arange(16000 * 20) * 2 * np.pi * 220 / 16000)
        soundfile.write(library.audio_file(take), tone.astype(np.float32), 16000)
        take = library.finish_take(take.id, 20.0, 16000)
    finally:
        library.close()
    return RunResult(session, [RunAnswer(question, take, 0.5, "silence")], 21.0)


@pytest.mark.real_audio
@pytest.mark.parametrize("key", [Qt.Key.Key_1, Qt.Key.Key_H, Qt.Key.Key_G])
def test_a_page_shortcut_stops_the_debriefs_answer(
    qtbot: QtBot, open_window: Any, virtual_mic: VirtualMic, data_dir: Path, key: Qt.Key
) -> None:
    window: MainWindow = open_window(data_dir)
    qtbot.waitUntil(lambda: window.controller.library.library_is_open, timeout=10000)
    debrief = window.debrief
    debrief.show_result(long_answer(data_dir, window))
    window.pages.setCurrentWidget(debrief)
    debrief.table.setCurrentCell(0, 0)
    qtbot.keyClick(window, Qt.Key.Key_P)
    player = debrief.playback.player
    qtbot.waitUntil(lambda: player.is_playing, timeout=5000)

    qtbot.keyClick(window, key, Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentWidget() is not debrief
    assert not player.is_playing


@pytest.mark.real_audio
def test_quitting_while_the_debrief_plays_lets_the_output_go(
    qtbot: QtBot, open_window: Any, virtual_mic: VirtualMic, data_dir: Path
) -> None:
    """The autouse stream check fails when the debrief's output stream is still open."""
    window: MainWindow = open_window(data_dir)
    qtbot.waitUntil(lambda: window.controller.library.library_is_open, timeout=10000)
    debrief = window.debrief
    debrief.show_result(long_answer(data_dir, window))
    window.pages.setCurrentWidget(debrief)
    debrief.table.setCurrentCell(0, 0)
    qtbot.keyClick(window, Qt.Key.Key_P)
    player = debrief.playback.player
    qtbot.waitUntil(lambda: player.is_playing, timeout=5000)
    window.close()
    assert not window.isVisible() and not player.is_playing
