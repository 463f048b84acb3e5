"""With no input device at all the app opens, says so plainly and disables recording.

Runs the real app in a child process whose PortAudio sees no sound server, so this holds
whatever virtual microphone the rest of the session has started.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

CHILD = r"""
import json, sys
from pathlib import Path
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from closer_desktop.ui.launch import build_window, create_app
from closer_desktop.app.settings import Settings

app = create_app()
window = build_window(Path(sys.argv[1]), settings=Settings(Path(sys.argv[2])))
window.show()
messages = []
window.controller.message.connect(lambda level, text: messages.append(text))
report = {}

def check():
    c = window.controller
    if c.microphone.checking or not c.library.library_is_open:
        QTimer.singleShot(50, check)
        return
    QTest.keyClick(window, Qt.Key.Key_Space)  # try to record anyway
    QTest.keyClick(window, Qt.Key.Key_N)      # and everything else still works
    report.update(
        record_enabled=window.practice.record_button.isEnabled(),
        mic_label=window.practice.mic_label.text(),
        recording=c.is_recording,
        messages=messages,
        index=c.index,
        question=window.practice.question_label.text(),
    )
    window.close()
    app.quit()

QTimer.singleShot(0, check)
app.exec()
print(json.dumps(report))
"""


def test_app_opens_without_a_microphone(tmp_path: Path) -> None:
    env = dict(os.environ)
    env["PULSE_SERVER"] = f"unix:{tmp_path}/no-server-here"
    env["QT_QPA_PLATFORM"] = "offscreen"
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(tmp_path / "lib"), str(tmp_path / "s.ini")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["record_enabled"] is False
    assert "No microphone was found" in report["mic_label"]
    assert report["recording"] is False
    assert any("No microphone was found" in m for m in report["messages"])
    assert report["index"] == 1
    assert "next steps" not in report["question"]  # moved to question 2 of the fit stage
    assert "concerns" in report["question"]
