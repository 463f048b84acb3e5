"""The microphone choice is remembered; File > Export writes the library; the CLI entry points."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from closer_desktop import settings as S
from closer_desktop.ui.dialogs.settings import SettingsDialog
from closer_desktop.ui.main_window import MainWindow
from tests.support.virtual_mic import VirtualMic


@pytest.mark.real_audio
def test_settings_dialog_lists_inputs_and_remembers_the_choice(
    qtbot: QtBot, open_window: Any, virtual_mic: VirtualMic, data_dir: Path
) -> None:
    window: MainWindow = open_window(data_dir)
    c = window.controller
    qtbot.waitUntil(lambda: c.microphone.available, timeout=10000)
    dialog = SettingsDialog(c, window)
    qtbot.addWidget(dialog)
    names = [dialog.device_combo.itemData(i) for i in range(dialog.device_combo.count())]
    assert "pulse" in names and "default" in names
    assert dialog.device_combo.currentData() == "default"  # the system default first
    dialog.device_combo.setCurrentIndex(names.index("pulse"))
    dialog.accept()
    assert c.microphone.chosen is not None and c.microphone.chosen.name == "pulse"
    assert c.settings.get(S.INPUT_DEVICE) == "pulse"
    assert "pulse" in window.practice.mic_label.text()

    c.refresh_microphones(rescan=True)  # a later scan (or the next start) keeps the choice
    qtbot.waitUntil(lambda: not c.microphone.checking, timeout=10000)
    assert c.microphone.chosen is not None and c.microphone.chosen.name == "pulse"


@pytest.mark.real_audio
def test_rescan_while_a_take_plays_elsewhere_keeps_the_microphone(
    qtbot: QtBot, open_window: Any, virtual_mic: VirtualMic, data_dir: Path, tmp_path: Path
) -> None:
    """PortAudio cannot be restarted under a playing stream (History's player, say): the rescan
    says so and keeps the microphones it knew; recording stays possible."""
    import numpy as np
    import soundfile

    from closer_desktop.audio.player import Player, read_audio

    window: MainWindow = open_window(data_dir)
    c = window.controller
    qtbot.waitUntil(lambda: c.can_record, timeout=10000)
    path = tmp_path / "long.wav"
    soundfile.write(path, np.full(44100 * 8, 0.1, dtype=np.float32), 44100)
    elsewhere = Player(lambda: None, lambda _: None)  # as History's or Compare's player
    elsewhere.load(*read_audio(path))
    elsewhere.play()
    qtbot.waitUntil(lambda: elsewhere.position_s > 0.1, timeout=5000)
    try:
        c.refresh_microphones(rescan=True)
        qtbot.waitUntil(lambda: not c.microphone.checking, timeout=10000)
        assert c.microphone.available and c.can_record
        assert "still playing" in window.message_label.text()
        assert elsewhere.is_playing
    finally:
        elsewhere.close()


def test_file_export_writes_the_library(
    qtbot: QtBot, open_window: Any, data_dir: Path, tmp_path: Path
) -> None:
    window: MainWindow = open_window(data_dir)
    qtbot.waitUntil(lambda: window.controller.record_blocker != "Opening your library…")
    target = tmp_path / "exports" / "closer.json"
    window.export_to(target)
    # The file is written on the library's thread; the message follows on the GUI thread.
    qtbot.waitUntil(lambda: "exported" in window.message_label.text(), timeout=5000)
    assert json.loads(target.read_text())["sessions"] == []


def test_module_and_console_script_run(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "closer_desktop", "--version"], capture_output=True, text=True
    )
    assert done.returncode == 0 and done.stdout.startswith("closer ")
    script = Path(sys.executable).with_name("closer")
    assert script.exists(), "the `closer` console script is installed"
    done = subprocess.run(
        [str(script), "export", "--data-dir", str(tmp_path / "none")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2 and "no library" in done.stderr
