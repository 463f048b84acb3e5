"""Leaving the run debrief by a shortcut (Ctrl+1, Ctrl+H, Ctrl+G) stops the answer it plays, as
its Back button does: the debrief has a player of its own, which no other page's P reaches, so
the answer went on playing over the page the user went to. Real output device (virtual one)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from closer_desktop.app.interview_run import RunAnswer, RunResult
from closer_desktop.audio.player import Player
from closer_desktop.ui.main_window import MainWindow
from tests.support.runs import tone_take
from tests.support.virtual_mic import VirtualMic


def playing_debrief(qtbot: QtBot, window: MainWindow, data_dir: Path) -> Player:
    """The debrief of a run of one 20 s answer, shown and playing it; returns its player."""
    qtbot.waitUntil(lambda: window.controller.library.library_is_open, timeout=10000)
    deck = window.controller.deck
    question = deck.questions[0]
    take = tone_take(data_dir, deck, question, 20.0, "run")  # still playing when the page goes
    debrief = window.debrief
    answer = RunAnswer(question, take, 0.5, "silence")
    debrief.show_result(RunResult(take.session_id, [answer], 21.0))
    window.pages.setCurrentWidget(debrief)
    debrief.table.setCurrentCell(0, 0)
    qtbot.keyClick(window, Qt.Key.Key_P)
    player = debrief.playback.player
    qtbot.waitUntil(lambda: player.is_playing, timeout=5000)
    return player


@pytest.mark.real_audio
@pytest.mark.parametrize("key", [Qt.Key.Key_1, Qt.Key.Key_H, Qt.Key.Key_G])
def test_a_page_shortcut_stops_the_debriefs_answer(
    qtbot: QtBot, open_window: Any, virtual_mic: VirtualMic, data_dir: Path, key: Qt.Key
) -> None:
    window: MainWindow = open_window(data_dir)
    player = playing_debrief(qtbot, window, data_dir)
    qtbot.keyClick(window, key, Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentWidget() is not window.debrief
    assert not player.is_playing


@pytest.mark.real_audio
def test_quitting_while_the_debrief_plays_lets_the_output_go(
    qtbot: QtBot, open_window: Any, virtual_mic: VirtualMic, data_dir: Path
) -> None:
    """The autouse stream check fails when the debrief's output stream is still open."""
    window: MainWindow = open_window(data_dir)
    player = playing_debrief(qtbot, window, data_dir)
    window.close()
    assert not window.isVisible() and not player.is_playing
