"""The interviewer's cue: spoken for real through speech-dispatcher, or plainly unavailable."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import wave
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from pytestqt.qtbot import QtBot

from closer_desktop import settings as S
from closer_desktop.app import cue as cue_speaker
from closer_desktop.ui.main_window import MainWindow
from tests.support.virtual_mic import PLAYBACK, VirtualMic


@pytest.fixture
def private_speech_daemon(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """speech-dispatcher is started on demand per runtime folder: give it a fresh one (so it
    speaks to this test's sound server) and stop it afterwards."""
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    yield runtime
    for pid_file in runtime.glob("speech-dispatcher/pid/*.pid"):
        with contextlib.suppress(ValueError, ProcessLookupError):
            os.kill(int(pid_file.read_text().strip()), signal.SIGTERM)


@pytest.mark.real_audio
def test_the_cue_is_spoken_before_the_question(
    qtbot: QtBot,
    open_window: Any,
    tmp_path: Path,
    disposable_mic: VirtualMic,
    private_speech_daemon: Path,
) -> None:
    window: MainWindow = open_window(tmp_path / "library")
    capture = tmp_path / "speakers.wav"
    # Record what reaches the speakers (the monitor of the default sink) while the cue plays.
    recorder = subprocess.Popen(
        ["parecord", f"--device={PLAYBACK}.monitor", "--file-format=wav", str(capture)],
        env={**os.environ, **disposable_mic.env},
    )
    try:
        spoken: list[bool] = []
        window.cue_action.trigger()  # Practice > Speak the interviewer's cue
        assert window.cue_action.isChecked()
        assert window.controller.settings.get(S.SPEAK_CUES)
        speaker = window.cue_speaker
        assert speaker is not None
        speaker.speaking.connect(spoken.append)
        problems: list[str] = []
        speaker.unavailable.connect(problems.append)
        qtbot.waitUntil(lambda: spoken[-2:] == [True, False] or bool(problems), timeout=30_000)
        assert not problems, f"the test command installs speech-dispatcher: {problems}"
        assert speaker.available
    finally:
        recorder.send_signal(signal.SIGINT)
        recorder.wait(10)
    with wave.open(str(capture)) as wav:
        frames = wav.readframes(wav.getnframes())
        width = wav.getsampwidth()
    assert width == 2
    samples = np.frombuffer(frames, dtype=np.int16).astype(np.float64) / 32768
    loud = np.abs(samples) > 0.05
    assert loud.mean() > 0.01, "nothing audible reached the speakers"
    # The next question's cue is spoken too, and recording silences a cue at once.
    window.controller.next_question()
    qtbot.waitUntil(lambda: spoken[-1] is True, timeout=30_000)
    qtbot.waitUntil(lambda: window.controller.can_record, timeout=10_000)
    window.controller.toggle_recording()  # a real take starts: the cue falls silent at once
    qtbot.waitUntil(lambda: spoken[-1] is False, timeout=10_000)
    assert window.controller.is_recording
    window.controller.toggle_recording()
    qtbot.waitUntil(lambda: not window.controller.is_recording, timeout=10_000)


def test_without_a_speech_engine_the_option_says_so_and_stays_off(
    qtbot: QtBot, open_window: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cue_speaker, "PREFERRED_ENGINES", ("no-such-engine",))
    window: MainWindow = open_window(tmp_path / "library")
    window.cue_action.trigger()
    qtbot.waitUntil(lambda: not window.cue_action.isEnabled(), timeout=10_000)
    assert not window.cue_action.isChecked()
    assert "no speech engine" in window.cue_action.text()
    assert "speech-dispatcher" in window.message_label.text()
    assert not window.controller.settings.get(S.SPEAK_CUES)
