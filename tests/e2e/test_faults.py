"""Faults during a take, through the real window: a full disk, a busy microphone, a sample rate
the device refuses. Each ends in a message and a kept take (if anything was spoken), never a crash
or a hang, and the app records again afterwards."""

from __future__ import annotations

import dataclasses
import errno
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from closer_desktop.audio import recorder
from closer_desktop.storage.library import Library
from closer_desktop.storage.recovery import open_library
from closer_desktop.ui.main_window import MainWindow
from tests.support.consistency import check_consistent
from tests.support.filesystems import fill
from tests.support.virtual_mic import RATE, VirtualMic

pytestmark = pytest.mark.real_audio


@pytest.fixture(autouse=True)
def silence_afterwards(virtual_mic: VirtualMic) -> Iterator[None]:
    """A sound still playing into the microphone would end up in the next test's takes."""
    yield
    virtual_mic.stop_playing()


BYTES_PER_S = RATE * 2  # what the recorder writes: 16-bit mono at the virtual mic's rate


def wait_ready(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.controller.can_record, timeout=10000)


def wait_idle(qtbot: QtBot, window: MainWindow) -> None:
    c = window.controller
    qtbot.waitUntil(
        lambda: not c.is_recording and not c.library.runner.busy and not c.files.busy, timeout=15000
    )


def space(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_Space)


def listen(window: MainWindow) -> list[tuple[str, str]]:
    messages: list[tuple[str, str]] = []
    window.controller.message.connect(lambda level, text: messages.append((level, text)))
    return messages


def tone(path: Path, seconds: float) -> Path:
    t = np.arange(int(seconds * RATE)) / RATE
    soundfile.write(path, 0.25 * np.sin(2 * np.pi * 330 * t), RATE, subtype="PCM_16")
    return path


def record_for(qtbot: QtBot, window: MainWindow, mic: VirtualMic, sound: Path, ms: int) -> None:
    """Space, `sound` for `ms`, Space (over 0.7 s: a shorter take is set aside as accidental)."""
    c = window.controller
    space(qtbot, window)
    qtbot.waitUntil(lambda: c.recorder.first_block_at is not None, timeout=5000)
    mic.play_file(sound, wait=False)
    qtbot.wait(ms)
    space(qtbot, window)
    wait_idle(qtbot, window)


def test_a_full_disk_stops_the_take_keeps_it_and_the_app_runs_on(
    qtbot: QtBot, open_window: Any, virtual_mic: VirtualMic, tmpfs: Any, tmp_path: Path
) -> None:
    disk = tmpfs(16 * 1024 * 1024)
    data_dir = disk / "library"
    window: MainWindow = open_window(data_dir)
    c = window.controller
    wait_ready(qtbot, window)
    messages = listen(window)
    sound = tone(tmp_path / "tone.wav", 20.0)
    ballast = fill(disk, recorder.LOW_SPACE_BYTES + 3 * BYTES_PER_S)  # about 3 s of room

    space(qtbot, window)
    qtbot.waitUntil(lambda: c.recorder.first_block_at is not None, timeout=5000)
    virtual_mic.play_file(sound, wait=False)
    qtbot.waitUntil(lambda: not c.is_recording, timeout=15000)  # it stops by itself
    wait_idle(qtbot, window)
    (take,) = c.takes
    assert 1.5 < take.duration_s < 4.0
    frames = soundfile.info(str(data_dir / take.audio_path)).frames
    assert frames / take.sample_rate == pytest.approx(take.duration_s, abs=0.01)
    assert any("disk is full" in text and "kept as a take" in text for _, text in messages)
    assert window.message_label.isVisible()

    space(qtbot, window)  # still full: told again, nothing recorded, nothing hangs
    wait_idle(qtbot, window)
    assert len(c.takes) == 1
    assert "disk is full" in messages[-1][1]

    ballast.unlink()  # space again: recording works as before
    record_for(qtbot, window, virtual_mic, sound, 1200)
    assert len(c.takes) == 2
    window.close()
    assert check_consistent(data_dir) == []


def test_a_disk_that_fills_up_at_once_keeps_the_audio_for_the_next_start(
    qtbot: QtBot,
    open_window: Any,
    virtual_mic: VirtualMic,
    tmpfs: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No room kept in reserve: the write itself fails (ENOSPC), and so does saving the take."""
    monkeypatch.setattr(recorder, "LOW_SPACE_BYTES", 0)
    disk = tmpfs(16 * 1024 * 1024)
    data_dir = disk / "library"
    window: MainWindow = open_window(data_dir)
    c = window.controller
    wait_ready(qtbot, window)
    messages = listen(window)
    sound = tone(tmp_path / "tone.wav", 20.0)
    ballast = fill(disk, 2 * BYTES_PER_S)

    space(qtbot, window)
    qtbot.waitUntil(lambda: c.recorder.first_block_at is not None, timeout=5000)
    virtual_mic.play_file(sound, wait=False)
    qtbot.waitUntil(lambda: not c.is_recording, timeout=15000)
    wait_idle(qtbot, window)
    (level, text) = messages[-1]
    assert level == "error" and "disk is full" in text
    assert "recovered the next time Closer starts" in text
    window.close()

    ballast.unlink()
    library, report = open_library(data_dir)
    takes = report.recovered or library.takes_for_question(c.deck.id, c.deck.questions[0].id)
    library.close()
    (take,) = takes
    assert take.duration_s > 1.0
    assert check_consistent(data_dir) == []


def test_a_write_failing_with_enospc_is_a_full_disk(
    qtbot: QtBot,
    open_window: Any,
    virtual_mic: VirtualMic,
    data_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The same promise where no small file system can be mounted: ENOSPC from the file layer."""
    real_write = soundfile.SoundFile.write
    written = {"blocks": 0}

    def write(self: soundfile.SoundFile, data: Any) -> None:
        written["blocks"] += 1
        if written["blocks"] > 50:  # about a second in
            raise OSError(errno.ENOSPC, "No space left on device")
        real_write(self, data)

    window: MainWindow = open_window(data_dir)
    c = window.controller
    wait_ready(qtbot, window)
    messages = listen(window)
    sound = tone(tmp_path / "tone.wav", 10.0)
    monkeypatch.setattr(soundfile.SoundFile, "write", write)
    space(qtbot, window)
    qtbot.waitUntil(lambda: c.recorder.first_block_at is not None, timeout=5000)
    virtual_mic.play_file(sound, wait=False)
    qtbot.waitUntil(lambda: not c.is_recording, timeout=10000)
    wait_idle(qtbot, window)
    (take,) = c.takes
    assert take.duration_s == pytest.approx(50 * recorder.BLOCK_S, abs=0.05)
    assert any("disk is full" in text and "kept as a take" in text for _, text in messages)

    monkeypatch.setattr(soundfile.SoundFile, "write", real_write)
    record_for(qtbot, window, virtual_mic, sound, 1200)
    assert len(c.takes) == 2


def test_a_busy_microphone_gives_a_message_and_no_hang(
    qtbot: QtBot,
    open_window: Any,
    virtual_mic: VirtualMic,
    data_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A device another program holds exclusively (PortAudio's "Device unavailable"): faked,
    since PulseAudio shares its sources."""
    import sounddevice

    window: MainWindow = open_window(data_dir)
    c = window.controller
    wait_ready(qtbot, window)
    messages = listen(window)
    real_stream = sounddevice.InputStream

    def busy(*args: Any, **kwargs: Any) -> Any:
        raise sounddevice.PortAudioError("Error opening InputStream: Device unavailable", -9985)

    monkeypatch.setattr(sounddevice, "InputStream", busy)
    space(qtbot, window)
    wait_idle(qtbot, window)
    assert c.takes == []
    assert "busy or unavailable" in messages[-1][1]
    assert window.message_label.isVisible()
    library = Library(data_dir)  # the reserved take is gone again, with no file left behind
    assert library.db.execute("SELECT COUNT(*) FROM takes").fetchone()[0] == 0
    library.close()

    monkeypatch.setattr(sounddevice, "InputStream", real_stream)
    record_for(qtbot, window, virtual_mic, tone(tmp_path / "t.wav", 5.0), 1200)
    assert len(c.takes) == 1
    assert check_consistent(data_dir) == []


def test_a_sample_rate_the_device_refuses_falls_back_to_one_it_takes(
    qtbot: QtBot, open_window: Any, virtual_mic: VirtualMic, data_dir: Path, tmp_path: Path
) -> None:
    window: MainWindow = open_window(data_dir)
    c = window.controller
    wait_ready(qtbot, window)
    chosen = c.microphone.chosen
    assert chosen is not None
    odd = dataclasses.replace(chosen, default_samplerate=10_000_000)  # PortAudio: invalid rate
    c.microphone = dataclasses.replace(c.microphone, chosen=odd)
    record_for(qtbot, window, virtual_mic, tone(tmp_path / "t.wav", 5.0), 1200)
    (take,) = c.takes
    assert take.sample_rate == recorder.FALLBACK_RATES[0]
    assert soundfile.info(str(data_dir / take.audio_path)).samplerate == take.sample_rate
    assert take.duration_s > 0.5
