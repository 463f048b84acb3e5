"""Fixtures shared by the GUI, app and end-to-end tests (tests/conftest.py registers them)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from closer_desktop.analysis.transcribe import Recognizer, shared_recognizer, speech_unavailable
from closer_desktop.app.library import LibraryService
from closer_desktop.app.settings import Settings
from closer_desktop.app.tasks import TaskRunner
from closer_desktop.audio import devices
from closer_desktop.audio.player import Player
from closer_desktop.ui.launch import build_window, create_app
from closer_desktop.ui.main_window import MainWindow
from tests.support import real_speech
from tests.support.virtual_mic import VirtualMic


@pytest.fixture
def open_window(qtbot: QtBot, tmp_path: Path) -> Iterator[type[MainWindow]]:
    """A factory: open_window(data_dir) shows the real main window on that library."""
    windows: list[MainWindow] = []
    create_app()

    def factory(data_dir: Path) -> MainWindow:
        window = build_window(data_dir, settings=Settings(tmp_path / "settings.ini"))
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()  # window shortcuts need the active window
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
        windows.append(window)
        return window

    yield factory  # type: ignore[misc]
    for window in windows:
        if window.isVisible():
            window.close()


@pytest.fixture
def library_service(qtbot: QtBot, tmp_path: Path) -> Iterator[LibraryService]:
    """An opened library service on a new library in tmp_path/data (closed afterwards)."""
    service = LibraryService(tmp_path / "data")
    with qtbot.waitSignal(service.ready, timeout=10_000):
        service.open()
    yield service
    service.close()


@pytest.fixture
def disposable_mic(virtual_mic: VirtualMic) -> Iterator[VirtualMic]:
    """A second virtual mic that a test may kill; the session's mic is back afterwards."""
    mic = VirtualMic().start()
    devices.rescan()
    try:
        yield mic
    finally:
        mic.stop()
        devices.rescan()


@pytest.fixture
def runner() -> Iterator[TaskRunner]:
    """A worker for the file jobs a page would hand to its controller's (peaks, audio)."""
    tasks = TaskRunner("test-files")
    yield tasks
    tasks.shutdown()


@pytest.fixture
def player() -> Iterator[Player]:
    """A real Player (PortAudio output) for widgets tested without a window."""
    audio = Player(lambda: None, lambda _: None)
    yield audio
    audio.close()


@pytest.fixture(scope="session")
def recognizer() -> Recognizer:
    """The process's shared recognizer (loaded once: ~1 s). Required under CI=true, where
    packaging/dev.sh installs the speech extra; skipped elsewhere when it is not installed."""
    missing = speech_unavailable()
    if missing:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"speech recognition is required under CI: {missing}")
        pytest.skip(missing)
    return shared_recognizer()


@pytest.fixture(scope="session")
def real_clips() -> list[real_speech.Clip]:
    """The real recordings of ../shared/data/speech/real/ (never copied into the project).
    Skipped with the reason when that folder is absent; under CI=true, where it is laid beside
    the clone, its absence fails."""
    if not real_speech.available():
        reason = f"the real speech clips are not here ({real_speech.REAL_DIR})"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return real_speech.clips()
