"""The take player widget on its own (speed, volume, seeking, remembered settings), and on the
practice, History and Compare pages of the real window."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from closer_desktop import settings as S
from closer_desktop.app.settings import Settings
from closer_desktop.app.tasks import TaskRunner
from closer_desktop.audio.player import SPEEDS, Player
from closer_desktop.ui.main_window import MainWindow
from closer_desktop.ui.widgets.take_player import TakePlayer, volume_gain
from closer_desktop.ui.widgets.waveform import PAD, READY, PeaksSource, WaveformView
from tests.ui.history.test_view import DECK, open_history

RATE = 16000


def click_at(qtbot: QtBot, waveform: WaveformView, fraction: float) -> None:
    x = round(PAD + fraction * (waveform.width() - 2 * PAD))
    qtbot.mouseClick(waveform, Qt.MouseButton.LeftButton, pos=QPoint(x, waveform.height() // 2))


def voice_like(seconds: float) -> Any:
    t = np.arange(round(seconds * RATE)) / RATE
    tone = sum(np.sin(2 * np.pi * 140 * k * t) / k for k in range(1, 6))
    return (0.3 * tone * (0.5 + 0.5 * np.abs(np.sin(2 * np.pi * 3 * t)))).astype(np.float32)


def make(
    qtbot: QtBot, player: Player, runner: TaskRunner, data_dir: Path, settings: Settings
) -> TakePlayer:
    widget = TakePlayer(player, PeaksSource(runner, data_dir), settings)
    qtbot.addWidget(widget)
    widget.resize(640, 110)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_speed_keeps_the_position_and_plays_a_stretched_copy(
    qtbot: QtBot, player: Player, runner: TaskRunner, tmp_path: Path
) -> None:
    data_dir = tmp_path / "library"
    samples = voice_like(4.0)
    path = data_dir / "take.wav"
    path.parent.mkdir(parents=True)
    soundfile.write(str(path), samples, RATE)
    settings = Settings(tmp_path / "settings.ini")
    widget = make(qtbot, player, runner, data_dir, settings)
    widget.show_take(path, 4.0)
    player.load(samples, RATE)
    assert widget.waveform is not None
    qtbot.waitUntil(lambda: widget.waveform is not None and widget.waveform.state == READY)

    click_at(qtbot, widget.waveform, 0.5)  # a click on the waveform seeks the player
    assert player.position_s == pytest.approx(2.0, abs=0.02)
    assert widget.time_label.text() == "0:02 / 0:04"

    widget.speed_box.setCurrentIndex(SPEEDS.index(1.5))
    assert player.speed == 1.5
    assert "preparing 1.5×" in widget.time_label.text()
    qtbot.waitUntil(lambda: not player.rendering, timeout=10000)
    assert player.position_s == pytest.approx(2.0, abs=0.02)  # the same point of the take
    assert player.playing_length_s == pytest.approx(4.0 / 1.5, abs=0.001)
    assert player.duration_s == pytest.approx(4.0)
    qtbot.waitUntil(lambda: widget.time_label.text() == "0:02 / 0:04")
    assert widget.waveform.position_s == pytest.approx(2.0, abs=0.02)
    assert settings.get(S.PLAYBACK_SPEED) == 150

    widget.speed_box.setCurrentIndex(SPEEDS.index(0.75))
    qtbot.waitUntil(lambda: not player.rendering, timeout=10000)
    assert player.playing_length_s == pytest.approx(4.0 / 0.75, abs=0.001)
    assert player.position_s == pytest.approx(2.0, abs=0.02)


def test_volume_sets_the_player_gain_and_both_are_remembered(
    qtbot: QtBot, player: Player, runner: TaskRunner, tmp_path: Path
) -> None:
    settings = Settings(tmp_path / "settings.ini")
    widget = make(qtbot, player, runner, tmp_path, settings)
    assert player.gain == 1.0
    widget.volume.setValue(50)
    assert player.gain == pytest.approx(volume_gain(50)) == pytest.approx(0.25)
    assert widget.volume.toolTip() == "Volume: 50%"
    widget.speed_box.setCurrentIndex(SPEEDS.index(1.25))
    assert (settings.get(S.PLAYBACK_VOLUME), settings.get(S.PLAYBACK_SPEED)) == (50, 125)

    other = Player(lambda: None, lambda _: None)  # another page: its own player
    try:
        again = make(qtbot, other, runner, tmp_path, settings)
        assert again.volume.value() == 50 and other.gain == pytest.approx(0.25)
        assert again.speed_box.currentData() == 1.25 and other.speed == 1.25
    finally:
        other.close()


def test_practice_page_shows_the_waveform_and_seeks_by_clicking(
    qtbot: QtBot, open_window: Any, data_dir: Path
) -> None:
    from closer_desktop.storage.library import Library

    library = Library(data_dir)
    session = library.start_session(DECK.id)
    take = library.begin_take(session, DECK.id, DECK.questions[0], RATE)
    soundfile.write(library.audio_file(take), voice_like(2.0), RATE)
    library.finish_take(take.id, 2.0, RATE)
    library.close()
    window: MainWindow = open_window(data_dir)
    c = window.controller
    view = window.practice
    waveform = view.take_player.waveform
    assert waveform is not None
    qtbot.waitUntil(lambda: c.player.is_loaded and waveform.state == READY, timeout=5000)
    assert view.position_label.text() == "0:00 / 0:02"  # play/pause, its length, a position bar
    assert view.play_button.isEnabled()
    click_at(qtbot, waveform, 0.8)
    assert c.player.position_s == pytest.approx(1.6, abs=0.02)
    assert view.position_label.text() == "0:02 / 0:02"
    # Left and Right still change the question, unless the waveform has the focus.
    waveform.setFocus(Qt.FocusReason.TabFocusReason)  # the user tabs to it
    qtbot.waitUntil(waveform.hasFocus)
    qtbot.keyClick(waveform, Qt.Key.Key_Left)
    assert c.index == 0
    assert c.player.position_s == pytest.approx(0.0)
    window.practice.take_list.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_Right)
    assert c.index == 1


def test_history_plays_the_selected_take_with_its_waveform(
    qtbot: QtBot, open_window: Any, data_dir: Path
) -> None:
    window = open_history(qtbot, open_window, data_dir)
    history = window.history
    history.table.selectRow(0)
    waveform = history.take_player.waveform
    assert waveform is not None
    qtbot.waitUntil(lambda: history.player.is_loaded and waveform.state == READY, timeout=5000)
    assert waveform.duration_s == pytest.approx(0.5)
    click_at(qtbot, waveform, 0.5)
    assert history.player.position_s == pytest.approx(0.25, abs=0.01)
    qtbot.keyClick(window, Qt.Key.Key_Right)  # Right seeks 5 s: to the end of this take
    assert history.player.position_s == pytest.approx(0.5)
    assert waveform.position_s == pytest.approx(0.5)
    qtbot.keyClick(window, Qt.Key.Key_Left)
    assert history.player.position_s == pytest.approx(0.0)
    history.table.selectRow(1)  # another take: the waveform follows
    qtbot.waitUntil(lambda: waveform.path is not None and waveform.state == READY, timeout=5000)
    assert history.selected is not None
    assert waveform.path == data_dir / history.selected.audio_path


def test_compare_shows_both_waveforms_and_a_click_plays_that_side(
    qtbot: QtBot, open_window: Any, data_dir: Path
) -> None:
    window = open_history(qtbot, open_window, data_dir)
    history = window.history
    history.question.setCurrentIndex(history.question.findData(DECK.questions[0].id))
    qtbot.waitUntil(lambda: history.model.rowCount() == 2, timeout=5000)
    history.table.selectRow(0)
    qtbot.mouseClick(history.compare_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.compare, timeout=5000)
    compare = window.compare
    a, b = compare.waveforms["A"], compare.waveforms["B"]
    qtbot.waitUntil(lambda: a.state == READY and b.state == READY, timeout=5000)
    qtbot.waitUntil(lambda: compare.audio["A"] is not None and compare.audio["B"] is not None)
    assert a.path != b.path

    compare.player.seek(0.1)
    compare.take_player.refresh()
    assert a.position_s == pytest.approx(0.1, abs=0.01)
    assert b.position_s == pytest.approx(0.1, abs=0.01)  # where X would jump to
    click_at(qtbot, b, 0.6)
    assert compare.active == "B"
    assert compare.player.position_s == pytest.approx(0.3, abs=0.01)
    assert b.position_s == pytest.approx(0.3, abs=0.01)
    qtbot.keyClick(window, Qt.Key.Key_X)
    assert compare.active == "A"
    assert a.position_s == pytest.approx(0.3, abs=0.01)
    qtbot.keyClick(window, Qt.Key.Key_Left)  # Left/Right seek 5 s here too
    assert compare.player.position_s == pytest.approx(0.0)
