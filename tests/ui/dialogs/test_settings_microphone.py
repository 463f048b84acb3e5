"""Settings > Audio: the chosen microphone's live level, and Test, which records 3 s through the
app's recorder and plays them back through its player (on the virtual microphone: a phrase said
into it moves the meter, is in the test recording, and reaches the speakers)."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile
from pytestqt.qtbot import QtBot

from closer_desktop.app.mic_test import IDLE, LISTENING, PLAYING, RECORDING
from closer_desktop.ui.dialogs.settings import SettingsDialog
from closer_desktop.ui.main_window import MainWindow
from tests.support.virtual_mic import PLAYBACK, VirtualMic

pytestmark = pytest.mark.real_audio
PHRASE = "Testing my microphone, one two three."


def loud_fraction(path: Path) -> float:
    samples, _ = soundfile.read(str(path), dtype="float32", always_2d=True)
    return float((np.abs(samples[:, 0]) > 0.05).mean())


def test_the_meter_moves_and_the_test_plays_back_what_was_said(
    qtbot: QtBot, open_window: Any, tmp_path: Path, disposable_mic: VirtualMic
) -> None:
    window: MainWindow = open_window(tmp_path / "library")
    controller = window.controller
    qtbot.waitUntil(lambda: controller.microphone.chosen is not None, timeout=10_000)
    dialog = SettingsDialog(controller, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.mic_test is not None, timeout=5000)
    test = dialog.mic_test
    assert test is not None
    qtbot.waitUntil(lambda: test.state == LISTENING, timeout=5000)
    speech = disposable_mic.speak(PHRASE, tmp_path / "phrase.wav")

    # The live level: the phrase said into the microphone moves the meter.
    levels: list[float] = []

    def heard() -> bool:
        reading = dialog.level_meter.reading
        levels.append(reading.peak_db if reading is not None else -100.0)
        return max(levels) > -30

    disposable_mic.play_file(speech, wait=False)
    qtbot.waitUntil(heard, timeout=10_000)
    disposable_mic.stop_playing()
    qtbot.wait(500)

    # Test: 3 s recorded while the phrase is said, then played to the speakers.
    capture = tmp_path / "speakers.wav"
    speakers = subprocess.Popen(
        ["parecord", f"--device={PLAYBACK}.monitor", "--file-format=wav", str(capture)],
        env={**os.environ, **disposable_mic.env},
    )
    states: list[str] = []
    test.state_changed.connect(states.append)
    try:
        width = dialog.test_button.width()
        dialog.test_button.click()
        qtbot.waitUntil(lambda: test.state == RECORDING, timeout=5000)
        assert not dialog.test_button.isEnabled()
        assert dialog.test_button.text() == "Recording…"
        assert dialog.test_button.width() == width, "its label changes, its place does not"
        disposable_mic.play_file(speech, wait=False)
        qtbot.waitUntil(lambda: test.state == PLAYING, timeout=10_000)
        qtbot.waitUntil(lambda: test.state == LISTENING, timeout=15_000)
    finally:
        speakers.send_signal(signal.SIGINT)
        speakers.wait(10)
    assert states == [RECORDING, PLAYING, IDLE, LISTENING]
    assert dialog.test_button.isEnabled()
    result = test.last_test
    assert result is not None and result.error is None
    assert result.duration_s == pytest.approx(3.0, abs=0.3)
    assert loud_fraction(result.path) > 0.05, "the phrase is in the test recording"
    assert loud_fraction(capture) > 0.01, "and was played back to the speakers"

    # Again: the scratch files of the first test are replaced, not refused.
    dialog.test_button.click()
    qtbot.waitUntil(lambda: test.state == PLAYING, timeout=10_000)
    qtbot.waitUntil(lambda: test.state == LISTENING, timeout=15_000)
    assert test.last_test is not None and test.last_test.error is None

    # Rescan while listening: the level's stream is let go, so the rescan looks afresh (not
    # "Sound is still playing or recording"), and the level comes back.
    notes: list[str] = []
    controller.microphones.message.connect(lambda _level, text: notes.append(text))
    dialog.rescan_button.click()
    qtbot.waitUntil(lambda: not controller.microphone.checking, timeout=15_000)
    qtbot.waitUntil(lambda: test.state == LISTENING, timeout=10_000)
    assert notes == [], "the rescan looked afresh"
    assert "found" in dialog.status.text()

    # Closing the dialog lets the microphone go and removes the scratch files.
    folder = test.test_file.parent
    dialog.reject()
    assert dialog.mic_test is None
    assert not folder.exists()
    assert not test.recorder.is_active
