"""kill -9 five seconds into a real take: the next start recovers it, says so once, non-modally.

The app runs in a child process recording from the virtual microphone while a steady tone plays
into it; the child is SIGKILLed once it has recorded 5 s. The real window is then opened on the
same library in this process.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from closer_desktop.storage.library import Library
from closer_desktop.transfer.export import library_to_json
from closer_desktop.ui.main_window import MainWindow
from tests.support.consistency import check_consistent
from tests.support.signals import read_mono, rms_dbfs
from tests.support.virtual_mic import RATE, VirtualMic

ROOT = Path(__file__).resolve().parents[2]
KILL_AFTER_S = 5.0

CHILD = r"""
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from closer_desktop.ui.launch import build_window, create_app
from closer_desktop.app.settings import Settings

app = create_app()
window = build_window(Path(sys.argv[1]), settings=Settings(Path(sys.argv[2])))
window.show()
c = window.controller

def poll():
    if c.recorder.is_active and c.recorder.first_block_at is not None:
        print(f"recorded {c.recorder.elapsed_s:.3f}", flush=True)
    elif c.can_record and not c.is_recording:
        c.toggle_recording()  # what Space does
    QTimer.singleShot(40, poll)

QTimer.singleShot(0, poll)
app.exec()
"""


def tone(path: Path, seconds: float) -> Path:
    t = np.arange(int(seconds * RATE)) / RATE
    soundfile.write(path, 0.25 * np.sin(2 * np.pi * 440 * t), RATE, subtype="PCM_16")
    return path


def record_then_kill(mic: VirtualMic, data_dir: Path, tmp_path: Path) -> float:
    """Run the app until it has recorded KILL_AFTER_S, SIGKILL it; returns what it had recorded."""
    signal_file = tone(tmp_path / "tone.wav", 30.0)
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(data_dir), str(tmp_path / "child.ini")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"},
    )
    assert child.stdout is not None
    player = None
    recorded = 0.0
    try:
        for line in child.stdout:
            if not line.startswith("recorded "):
                continue
            recorded = float(line.split()[1])
            if player is None:
                player = mic.play_file(signal_file, wait=False)
            if recorded >= KILL_AFTER_S:
                child.send_signal(signal.SIGKILL)
                break
        else:
            pytest.fail(f"the app ended before recording: {child.wait(10)}")
    finally:
        child.kill()
        child.wait(10)
        if player is not None:
            player.kill()
            player.wait(10)
        for stream in (child.stdout, child.stderr):
            if stream is not None:
                stream.close()
    assert child.returncode == -signal.SIGKILL
    return recorded


@pytest.mark.real_audio
def test_a_take_killed_mid_recording_is_recovered_at_the_next_start(
    qtbot: QtBot, open_window: Any, virtual_mic: VirtualMic, data_dir: Path, tmp_path: Path
) -> None:
    recorded = record_then_kill(virtual_mic, data_dir, tmp_path)
    assert recorded >= KILL_AFTER_S

    window: MainWindow = open_window(data_dir)
    c = window.controller
    qtbot.waitUntil(lambda: window.practice.take_list.count() == 1, timeout=10000)
    take = c.takes[0]
    assert take.recovered
    assert "recovered" in window.practice.take_list.item(0).text()
    # All but at most the last half second of what was recorded before the kill.
    print(f"recorded before the kill: {recorded:.3f} s, recovered: {take.duration_s:.3f} s")
    assert recorded - 0.5 <= take.duration_s <= recorded + 0.5
    samples, rate = read_mono(data_dir / take.audio_path)
    assert len(samples) / rate == pytest.approx(take.duration_s, abs=0.01)
    tail = samples[int((take.duration_s - 1.5) * rate) : int((take.duration_s - 0.1) * rate)]
    assert rms_dbfs(tail) > -20  # the tone is there right up to the end, not silence
    # Told once, without a modal dialog: the window stays usable.
    assert "Recovered 1 take" in window.message_label.text()
    assert window.message_label.isVisible()
    assert QApplication.activeModalWidget() is None
    assert c.can_record or c.microphone.checking  # and it records again
    window.close()

    library = Library(data_dir)
    (session,) = library_to_json(library)["sessions"]
    assert [t["recovered"] for t in session["takes"]] == [True]
    library.close()
    assert check_consistent(data_dir) == []

    again: MainWindow = open_window(data_dir)
    qtbot.waitUntil(lambda: again.practice.take_list.count() == 1, timeout=10000)
    assert "Recovered" not in again.message_label.text()
