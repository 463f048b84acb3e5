"""Settings > Audio's microphone check restarts the recorder as soon as it hears it has stopped
(live level -> test, the level's 30 s restart). The recorder's writer thread says it finished a
moment before the thread itself ends; on a busy machine the GUI can hear it in between, and the
restart must not find the recorder "already recording"."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from closer_desktop.app.mic_test import LISTENING, PLAYING, RECORDING, MicTest
from closer_desktop.audio import devices
from closer_desktop.audio.recorder import RecordingResult
from tests.support.virtual_mic import VirtualMic

pytestmark = pytest.mark.real_audio


def test_a_test_asked_for_while_listening_starts_though_the_writer_thread_lingers(
    qtbot: QtBot, virtual_mic: VirtualMic
) -> None:
    mic = devices.choose_input(devices.list_input_devices(), None)  # the virtual one
    assert mic is not None
    check = MicTest()
    lingering = threading.Event()

    def linger(_result: RecordingResult) -> None:
        """On the writer thread, after the result is on its way to the GUI: a busy machine."""
        lingering.set()
        time.sleep(0.5)

    # Connected after MicTest's own (queued) slot, so the GUI already has the result to handle.
    check._recorder_finished.connect(linger, Qt.ConnectionType.DirectConnection)
    states: list[str] = []
    check.state_changed.connect(states.append)
    try:
        check.listen((mic.index, int(mic.default_samplerate)))
        qtbot.waitUntil(lambda: check.state == LISTENING, timeout=5000)
        check.test()  # the level's stream stops; the test's recording starts on its finish
        qtbot.waitUntil(lingering.is_set, timeout=5000)
        qtbot.waitUntil(lambda: check.state == RECORDING, timeout=5000)
        qtbot.waitUntil(lambda: check.state in (PLAYING, LISTENING), timeout=10_000)
        assert check.last_test is not None and check.last_test.error is None
    finally:
        check.shutdown()
    assert states[:2] == [LISTENING, RECORDING]
