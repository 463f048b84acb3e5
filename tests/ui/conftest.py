from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from closer_desktop.audio import devices
from closer_desktop.audio.player import Player
from closer_desktop.ui.app import build_window, create_app
from closer_desktop.ui.main_window import MainWindow
from closer_desktop.ui.settings import Settings
from closer_desktop.ui.tasks import TaskRunner
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
