"""SIGTERM (logout, `kill`) and SIGINT (Ctrl+C in a terminal) close Closer as Ctrl+Q does.

The real app runs in a child process, started as `closer --data-dir DIR` starts it, recording
from the virtual microphone; once it has recorded a second and a half it gets the signal. It must
exit cleanly and leave the take saved whole: finished, not one the next start has to recover.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from closer_desktop.storage.export import library_to_json
from closer_desktop.storage.library import Library
from tests.support.consistency import check_consistent
from tests.support.virtual_mic import VirtualMic

ROOT = Path(__file__).resolve().parents[2]
SIGNAL_AFTER_S = 1.5

CHILD = r"""
import sys
from PySide6.QtCore import QTimer
import closer_desktop.ui.app as ui_app

build_window = ui_app.build_window

def recording_build_window(*args, **kwargs):
    window = build_window(*args, **kwargs)
    c = window.controller

    def poll():
        if c.recorder.is_active and c.recorder.first_block_at is not None:
            print(f"recorded {c.recorder.elapsed_s:.3f}", flush=True)
        elif c.can_record and not c.is_recording and not c.takes:
            c.toggle_recording()  # what Space does
        QTimer.singleShot(40, poll)

    QTimer.singleShot(0, poll)
    return window

ui_app.build_window = recording_build_window
from closer_desktop.cli import main
code = main(["--data-dir", sys.argv[1]])
print(f"exit {code}", flush=True)
sys.exit(code)
"""


@pytest.mark.real_audio
@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_mid_take_saves_the_take_and_quits(
    virtual_mic: VirtualMic, data_dir: Path, number: int
) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(data_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"},
    )
    assert child.stdout is not None and child.stderr is not None
    recorded = 0.0
    try:
        for line in child.stdout:
            if line.startswith("recorded "):
                recorded = float(line.split()[1])
                if recorded >= SIGNAL_AFTER_S:
                    child.send_signal(number)
                    break
        else:
            pytest.fail(f"the app ended before recording: {child.wait(10)}")
        rest, errors = child.communicate(timeout=20)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(10)
    assert child.returncode == 0, errors
    assert "exit 0" in rest
    assert "Traceback" not in errors

    library = Library(data_dir)
    (session,) = library_to_json(library)["sessions"]
    library.close()
    (take,) = session["takes"]
    assert take["recovered"] is False  # saved by the app, not found by a recovery
    assert recorded <= take["duration_s"] <= recorded + 1.0  # all of it, and the rest until stop
    assert check_consistent(data_dir) == []
