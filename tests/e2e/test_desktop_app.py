"""The desktop-app layer: settings and their effect on practice (countdown, auto-advance, theme,
playback device), moving the library, window state across runs, one window per library, the
About box and the log folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QPalette
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox
from pytestqt.qtbot import QtBot

from closer_desktop import settings as S
from closer_desktop.app.settings import Settings
from closer_desktop.domain.deck import load_deck
from closer_desktop.paths import default_deck_path
from closer_desktop.storage.library import Library
from closer_desktop.ui.design import style_sheet
from closer_desktop.ui.dialogs.settings import SettingsDialog
from closer_desktop.ui.main_window import MainWindow
from closer_desktop.ui.single_instance import InstanceServer, socket_path
from closer_desktop.ui.theme import apply_theme
from tests.support.virtual_mic import VirtualMic

DECK = load_deck(default_deck_path())


def library_with_a_take(data_dir: Path) -> None:
    """A library whose first question has one unrated take (no microphone needed)."""
    library = Library(data_dir)
    session = library.start_session(DECK.id)
    take = library.begin_take(session, DECK.id, DECK.questions[0], 16000)
    soundfile.write(library.audio_file(take), np.zeros(16000, dtype=np.float32), 16000)
    library.finish_take(take.id, 1.0, 16000)
    library.close()


def wait_for_take(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.controller.current_take is not None, timeout=10000)


def test_auto_advance_moves_on_once_both_ratings_are_given(
    qtbot: QtBot, open_window: Any, data_dir: Path
) -> None:
    library_with_a_take(data_dir)
    window: MainWindow = open_window(data_dir)
    c = window.controller
    wait_for_take(qtbot, window)
    c.rate_digit(4)
    c.rate_digit(5)
    qtbot.wait(1000)
    assert c.index == 0, "off by default: the page stays"

    c.settings.set(S.AUTO_ADVANCE, True)
    c.rate_digit(3)
    assert c.index == 0  # one rating is not enough
    c.rate_digit(2)
    qtbot.waitUntil(lambda: c.index == 1, timeout=3000)


def test_the_settings_dialog_stores_every_choice_and_applies_the_theme(
    qtbot: QtBot, open_window: Any, data_dir: Path
) -> None:
    window: MainWindow = open_window(data_dir)
    c = window.controller
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    light_window = app.palette().color(QPalette.ColorRole.Window)
    c.analysis.start_process()  # as the first take would
    qtbot.waitUntil(lambda: c.analysis.process_id is not None, timeout=20000)
    dialog = SettingsDialog(c, window)
    qtbot.addWidget(dialog)
    assert [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())] == [
        "&Audio",
        "P&ractice",
        "Appearanc&e",
        "&Library",
    ]
    assert dialog.data_dir_edit.text() == str(data_dir)
    dialog.rate_combo.setCurrentIndex(dialog.rate_combo.findData(48000))
    dialog.countdown_combo.setCurrentIndex(dialog.countdown_combo.findData(3))
    dialog.target_spin.setValue(25)
    dialog.auto_advance_check.setChecked(True)
    dialog.analysis_check.setChecked(False)
    dialog.theme_combo.setCurrentIndex(dialog.theme_combo.findData("dark"))
    dialog.output_combo.addItem("Headphones", "Headphones")
    dialog.output_combo.setCurrentIndex(dialog.output_combo.findData("Headphones"))
    try:
        dialog.accept()
        get = c.settings.get
        assert get(S.SAMPLE_RATE) == 48000 and get(S.COUNTDOWN_S) == 3
        assert get(S.DEFAULT_TARGET_S) == 25 and get(S.AUTO_ADVANCE) is True
        assert get(S.ANALYSIS) is False and get(S.THEME) == "dark"
        qtbot.waitUntil(lambda: c.analysis.process_id is None, timeout=10000)  # and its model
        assert get(S.OUTPUT_DEVICE) == "Headphones" and c.player.device == "Headphones"
        dark = app.palette().color(QPalette.ColorRole.Window)
        assert dark.lightness() < 60 < light_window.lightness()
        assert app.styleSheet() == style_sheet("dark")  # the dark sheet, whole

        again = SettingsDialog(c, window)  # shows what was stored
        qtbot.addWidget(again)
        assert again.countdown_combo.currentData() == 3
        assert again.theme_combo.currentData() == "dark"
        assert again.target_spin.value() == 25
    finally:
        apply_theme(app, "system")
    assert app.palette().color(QPalette.ColorRole.Window) == light_window
    assert app.styleSheet() != style_sheet("dark")


def test_a_stored_value_outside_the_choices_reads_as_the_default(tmp_path: Path) -> None:
    settings = Settings(tmp_path / "s.ini")
    settings.set(S.COUNTDOWN_S, 7)
    settings.set(S.THEME, "purple")
    assert settings.get(S.COUNTDOWN_S) == 0 and settings.get(S.THEME) == "system"


@pytest.mark.real_audio
def test_the_countdown_runs_before_the_take_and_space_cancels_it(
    qtbot: QtBot, open_window: Any, virtual_mic: VirtualMic, data_dir: Path, tmp_path: Path
) -> None:
    window: MainWindow = open_window(data_dir)
    c = window.controller
    qtbot.waitUntil(lambda: c.can_record, timeout=10000)
    c.settings.set(S.COUNTDOWN_S, 3)
    c.countdown._timer.setInterval(100)  # the same three steps, faster
    button = window.practice.record_button

    c.toggle_recording()
    assert c.countdown.active and not c.is_recording
    assert button.text().startswith("Recording in 3")
    c.toggle_recording()  # Space during the countdown cancels it
    assert not c.countdown.active and not c.is_recording
    assert "Record" in button.text()
    qtbot.wait(500)
    assert not c.is_recording

    c.toggle_recording()
    qtbot.waitUntil(lambda: c.countdown.left == 2, timeout=2000)
    qtbot.waitUntil(lambda: c.is_recording, timeout=3000)
    qtbot.waitUntil(lambda: c.recorder.is_active, timeout=5000)
    virtual_mic.play_file(virtual_mic.speak("Thank you.", tmp_path / "t.wav"))  # an answer
    c.toggle_recording()
    qtbot.waitUntil(lambda: not c.is_recording and len(c.takes) == 1, timeout=10000)


def test_moving_the_library_copies_switches_the_setting_and_keeps_the_old_one(
    qtbot: QtBot, open_window: Any, data_dir: Path, tmp_path: Path
) -> None:
    library_with_a_take(data_dir)
    window: MainWindow = open_window(data_dir)
    c = window.controller
    wait_for_take(qtbot, window)
    before = sorted(p.relative_to(data_dir) for p in data_dir.rglob("*.wav"))
    dialog = SettingsDialog(c, window)
    qtbot.addWidget(dialog)
    target = tmp_path / "moved"

    dialog.move_to(data_dir / "inside")  # refused, with the reason shown
    assert "inside" in dialog.move_status.text() and c.library.library_busy is None

    with qtbot.waitSignal(dialog.mover.finished, timeout=10000) as moved:
        dialog.move_to(target)
        assert c.library.library_busy is not None and not c.can_record  # recording waits
    assert moved.args is not None and moved.args[0] is True
    assert c.settings.get(S.DATA_DIR) == str(target.resolve())
    assert sorted(p.relative_to(target) for p in target.rglob("*.wav")) == before
    assert sorted(p.relative_to(data_dir) for p in data_dir.rglob("*.wav")) == before
    assert "restart" in (c.record_blocker or "").lower()  # new takes would go to the old place
    assert isinstance(dialog.restart_box, QMessageBox)
    dialog.restart_box.reject()
    assert S.data_dir_from(c.settings.get(S.DATA_DIR)) == target.resolve()


def test_splitters_and_the_last_view_come_back(
    qtbot: QtBot, open_window: Any, data_dir: Path, tmp_path: Path
) -> None:
    window: MainWindow = open_window(data_dir)
    qtbot.waitUntil(lambda: window.library.library_is_open, timeout=10000)
    window.practice.splitter.setSizes([900, 380])
    sizes = window.practice.splitter.sizes()
    window.show_history()
    window.close()
    settings = Settings(tmp_path / "settings.ini")
    assert settings.get(S.LAST_VIEW) == "history"
    assert "PracticeView/0" in settings.get(S.WINDOW_STATE)

    again: MainWindow = open_window(data_dir)
    assert again.practice.splitter.sizes() == sizes
    qtbot.waitUntil(lambda: type(again.pages.currentWidget()).__name__ == "HistoryView")


def test_a_second_launch_brings_the_running_window_forward(
    qtbot: QtBot, open_window: Any, data_dir: Path, tmp_path: Path
) -> None:
    window: MainWindow = open_window(data_dir)
    path = socket_path(data_dir, folder=tmp_path)
    server = InstanceServer(path, window)
    assert server.listen()
    window.showMinimized()
    code = (
        "import sys; from pathlib import Path\n"
        "from PySide6.QtCore import QCoreApplication\n"
        "from closer_desktop.ui.single_instance import activate_running\n"
        "app = QCoreApplication([])\n"
        "sys.exit(0 if activate_running(Path(sys.argv[1])) else 3)\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    with qtbot.waitSignal(server.activated, timeout=10000):
        child = subprocess.Popen([sys.executable, "-c", code, str(path)], env=env)
    qtbot.waitUntil(lambda: child.poll() is not None, timeout=10000)
    assert child.returncode == 0
    assert not window.isMinimized()

    server.close()  # nothing listens now: a launch finds no running app
    other = subprocess.run([sys.executable, "-c", code, str(path)], env=env, timeout=30)
    assert other.returncode == 3
    assert socket_path(data_dir, tmp_path) != socket_path(tmp_path / "other", tmp_path)


def test_a_stale_socket_from_a_crash_is_taken_over(
    qtbot: QtBot, open_window: Any, data_dir: Path, tmp_path: Path
) -> None:
    from closer_desktop.ui.single_instance import activate_running

    window: MainWindow = open_window(data_dir)
    path = socket_path(data_dir, folder=tmp_path)
    import socket as sockets

    dead = sockets.socket(sockets.AF_UNIX)
    dead.bind(str(path))  # bound, never listening: what a killed app leaves behind
    dead.close()
    assert path.exists() and not activate_running(path)
    server = InstanceServer(path, window)
    assert server.listen()
    server.close()


def test_about_names_the_versions_and_the_log_folder_opens(
    qtbot: QtBot, open_window: Any, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from closer_desktop.logs import log_dir
    from closer_desktop.ui.dialogs.about import open_log_folder, show_about

    window: MainWindow = open_window(data_dir)
    box = show_about(window, data_dir)
    text = box.text()
    for part in ("Closer 0.", "Qt 6.", "PySide6", "numpy", "libsndfile", "PortAudio", "Log:"):
        assert part in text, part
    box.close()
    opened: list[QUrl] = []

    def open_url(url: QUrl) -> bool:
        opened.append(url)
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", open_url)
    assert open_log_folder(window)
    assert opened == [QUrl.fromLocalFile(str(log_dir()))] and log_dir().is_dir()
    help_menu = window.menuBar().actions()[-1].menu()
    assert isinstance(help_menu, QMenu)
    assert "Open &log folder" in [a.text() for a in help_menu.actions()]
