"""Settings, on four tabs: Audio (microphone, playback device, sample rate), Practice (countdown,
default target length, auto-advance, delivery analysis), Appearance (theme) and Library (where it
lives, and moving it). Each value is declared once in closer_desktop/settings.py; OK stores them."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from closer_desktop import settings as S
from closer_desktop.app.mic_test import IDLE, LISTENING, PLAYING, RECORDING, MicTest
from closer_desktop.app.microphones import MicrophoneStatus
from closer_desktop.app.practice import PracticeController
from closer_desktop.audio.devices import AudioDevice
from closer_desktop.audio.levels import LevelMeter
from closer_desktop.domain.text import counted
from closer_desktop.ui.widgets.level_meter import LevelMeterWidget

RATES = ((0, "The microphone's own rate (recommended)"), (44100, "44 100 Hz"), (48000, "48 000 Hz"))
COUNTDOWNS = ((0, "Off: start at once"), (3, "3 seconds"), (5, "5 seconds"))
TEST_LABEL = "Test: record 3 s and play back"
TEST_LABELS = {RECORDING: "Recording…", PLAYING: "Playing back…"}
THEMES = (("system", "Follow the system"), ("light", "Light"), ("dark", "Dark"))


class SettingsDialog(QDialog):
    """Lists input devices from the controller's last scan; Rescan looks again in the background."""

    def __init__(self, controller: PracticeController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setWindowTitle("Settings")
        self.device_combo = QComboBox()
        self.device_combo.setAccessibleName("Microphone")
        self.device_combo.setToolTip("The microphone Closer records from")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.rescan_button = QPushButton("Rescan")
        self.rescan_button.setAccessibleName("Look for microphones again")
        self.rescan_button.setToolTip("Look for microphones again (after plugging one in)")
        self.rescan_button.clicked.connect(self.rescan)
        self.level_meter = LevelMeterWidget()
        self.level_meter.setAccessibleName("Microphone level")
        self.level_meter.setToolTip("The chosen microphone's level, live: speak to see it move")
        self.test_button = QPushButton(TEST_LABEL)
        self.test_button.setAccessibleName("Test the microphone")
        self.test_button.setToolTip(
            "Record 3 seconds from the chosen microphone and play them back, as a take would sound"
        )
        self.test_button.clicked.connect(self.test_microphone)
        metrics = self.test_button.fontMetrics()  # its labels change: its width does not
        widest = max(metrics.horizontalAdvance(t) for t in (*TEST_LABELS.values(), TEST_LABEL))
        self.test_button.setMinimumWidth(widest + 2 * metrics.averageCharWidth() + 8)
        self.test_status = QLabel()
        self.test_status.setWordWrap(True)
        self.mic_test: MicTest | None = None  # made when the dialog is shown
        self._meter = LevelMeter()
        self._meter_timer = QTimer(self)
        self._meter_timer.setInterval(50)
        self._meter_timer.timeout.connect(self._show_level)
        self.device_combo.currentIndexChanged.connect(lambda _: self._listen())
        buttons_row = QHBoxLayout()
        buttons_row.addWidget(self.rescan_button)
        buttons_row.addWidget(self.test_button)
        buttons_row.addStretch(1)
        form = QFormLayout()
        form.addRow("&Microphone:", self.device_combo)
        form.addRow("", buttons_row)
        form.addRow("Level:", self.level_meter)
        form.addRow("", self.test_status)
        self._build_controls()
        form.addRow("&Playback:", self.output_combo)
        form.addRow("Sample &rate:", self.rate_combo)
        audio = QWidget()
        audio_layout = QVBoxLayout(audio)
        audio_layout.addLayout(form)
        audio_layout.addWidget(self.status)
        audio_layout.addStretch(1)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Settings pages")
        self.tabs.setToolTip("Ctrl+Tab moves to the next page")
        self.tabs.addTab(audio, "&Audio")
        self.tabs.addTab(self._practice_page(), "P&ractice")
        self.tabs.addTab(self._appearance_page(), "Appearanc&e")
        self.tabs.addTab(self._library_page(), "&Library")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        for button in buttons.buttons():
            button.setToolTip(
                "Keep these settings"
                if buttons.buttonRole(button) == buttons.ButtonRole.AcceptRole
                else "Close without changing anything"
            )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)
        self.tabs.currentChanged.connect(lambda _: self._listen())
        self.rate_combo.currentIndexChanged.connect(lambda _: self._listen())
        controller.microphone_changed.connect(self._show_devices)
        self._show_devices(controller.microphone)
        self._show_values()
        self._scan_outputs()

    def _show_devices(self, status: MicrophoneStatus) -> None:
        self.device_combo.clear()
        for device in status.devices:
            self.device_combo.addItem(device.label, device.name)
        if status.chosen is not None:
            self.device_combo.setCurrentIndex(self.device_combo.findData(status.chosen.name))
        self.device_combo.setEnabled(bool(status.devices))
        if status.checking:
            self.status.setText("Looking for microphones…")
        elif status.problem:
            self.status.setText(status.problem)
        else:
            self.status.setText(f"{counted(len(status.devices), 'microphone')} found.")

    # The microphone's level and test ----------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._listen()

    def done(self, result: int) -> None:
        if self.mic_test is not None:
            self._meter_timer.stop()
            self.mic_test.shutdown()  # the device and the scratch files go with the dialog
            self.mic_test = None
        super().done(result)

    def _chosen_input(self) -> tuple[int, int] | None:
        """The device index and rate of the microphone chosen in the dialog (not yet saved)."""
        name = self.device_combo.currentData()
        device = next((d for d in self.controller.microphone.devices if d.name == name), None)
        if device is None:
            return None
        return device.index, int(self.rate_combo.currentData() or device.default_samplerate)

    def rescan(self) -> None:
        """Look for microphones again: the level's stream is let go first (PortAudio lists
        devices afresh only with no stream open); it comes back with the new list."""
        if self.mic_test is not None:
            self.mic_test.stop()
        self.controller.refresh_microphones(rescan=True)

    def _listen(self) -> None:
        """The live level while the Audio tab is shown (not while a take is recorded, nor while
        the microphones are looked for)."""
        on_audio = self.isVisible() and self.tabs.currentIndex() == 0
        busy = self.controller.is_recording or self.controller.microphone.checking
        if not on_audio or busy:
            if self.mic_test is not None:
                self.mic_test.stop()
                self._meter_timer.stop()
                self.level_meter.set_reading(None)
            self.test_button.setEnabled(on_audio and not busy)
            return
        if self.mic_test is None:
            self.mic_test = MicTest(self.controller.settings.get(S.OUTPUT_DEVICE) or None, self)
            self.mic_test.message.connect(self.test_status.setText)
            self.mic_test.state_changed.connect(self._test_state)
        self._meter.reset(time.monotonic())
        self.mic_test.listen(self._chosen_input())
        self._meter_timer.start()

    def test_microphone(self) -> None:
        """Record 3 s from the chosen microphone, then play them back."""
        self._listen()
        if self.mic_test is not None:
            self.mic_test.test()

    def _test_state(self, state: str) -> None:
        self.test_button.setEnabled(state in (IDLE, LISTENING))
        self.test_button.setText(TEST_LABELS.get(state, TEST_LABEL))

    def _show_level(self) -> None:
        if self.mic_test is None:
            return
        if self.mic_test.state == PLAYING:
            self.level_meter.set_reading(None)
            return
        self.level_meter.set_reading(self._meter.update(self.mic_test.levels(), time.monotonic()))

    def accept(self) -> None:
        name = self.device_combo.currentData()
        if name:
            self.controller.choose_microphone(str(name))
        self._store()
        super().accept()

    # The other settings -----------------------------------------------------------------------

    def _build_controls(self) -> None:
        self.output_combo = QComboBox()
        self.output_combo.setAccessibleName("Playback device")
        self.output_combo.setToolTip("Where takes are played: the system default, or a device")
        self.output_combo.addItem("System default", "")
        self.rate_combo = _choices(
            RATES,
            "Sample rate",
            "The rate takes are recorded at. The microphone's own rate avoids resampling; a rate "
            "the device cannot do stops the take with a message.",
        )
        self.countdown_combo = _choices(
            COUNTDOWNS,
            "Countdown before recording",
            "Time to breathe before the take starts. Space during the countdown cancels it.",
        )
        self.target_spin = QSpinBox()
        self.target_spin.setRange(3, 120)
        self.target_spin.setSuffix(" s")
        self.target_spin.setAccessibleName("Default target length")
        self.target_spin.setToolTip("The target length a new question starts with, in seconds")
        self.auto_advance_check = QCheckBox("&Next question once both ratings are given")
        self.auto_advance_check.setAccessibleName("Auto-advance after rating")
        self.auto_advance_check.setToolTip(
            "After the second digit (clarity), move on to the next question by itself"
        )
        self.memory_check = QCheckBox("Say each line from &memory (H for a hint)")
        self.memory_check.setAccessibleName("From memory")
        self.memory_check.setToolTip(
            "Hide the line: the card shows the stage and the interviewer's cue (Ctrl+M)"
        )
        self.silence_spin = QDoubleSpinBox()
        self.silence_spin.setRange(1.0, 5.0)
        self.silence_spin.setSingleStep(0.25)
        self.silence_spin.setDecimals(2)
        self.silence_spin.setSuffix(" s")
        self.silence_spin.setAccessibleName("Silence that ends an answer")
        self.silence_spin.setToolTip(
            "Interview run: an answer ends after this much silence following speech"
        )
        self.analysis_check = QCheckBox("Measure each take's &delivery")
        self.analysis_check.setAccessibleName("Delivery analysis")
        self.analysis_check.setToolTip(
            "Pace, pauses, loudness, pitch and filler words, measured on this computer"
        )
        self.theme_combo = _choices(
            THEMES, "Theme", "Light or dark colours, or whatever the system uses (applies at once)"
        )
        self.data_dir_edit = QLineEdit(str(self.controller.data_dir))
        self.data_dir_edit.setReadOnly(True)
        self.data_dir_edit.setAccessibleName("Library folder")
        self.data_dir_edit.setToolTip("Where your recordings and ratings are kept")
        self.move_button = QPushButton("&Move library…")
        self.move_button.setAccessibleName("Move the library to another folder")
        self.move_button.setToolTip(
            "Copy the library to a new or empty folder, check the copy, then use it. "
            "The old folder is kept until you delete it yourself."
        )
        self.move_button.clicked.connect(self.choose_new_folder)
        self.move_status = QLabel()
        self.move_status.setWordWrap(True)

    def _practice_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        form.addRow("&Countdown:", self.countdown_combo)
        form.addRow("Default &target length:", self.target_spin)
        form.addRow("", self.auto_advance_check)
        form.addRow("", self.analysis_check)
        form.addRow("", self.memory_check)
        form.addRow("&End an answer after silence of:", self.silence_spin)
        return page

    def _appearance_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        form.addRow("&Theme:", self.theme_combo)
        return page

    def _library_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        row = QHBoxLayout()
        row.addWidget(self.data_dir_edit, 1)
        row.addWidget(self.move_button)
        label = QLabel("Library &folder:")
        label.setBuddy(self.data_dir_edit)
        layout.addWidget(label)
        layout.addLayout(row)
        layout.addWidget(self.move_status)
        layout.addStretch(1)
        return page

    def _show_values(self) -> None:
        get = self.controller.settings.get
        _select(self.rate_combo, get(S.SAMPLE_RATE))
        _select(self.countdown_combo, get(S.COUNTDOWN_S))
        _select(self.theme_combo, get(S.THEME))
        self.target_spin.setValue(get(S.DEFAULT_TARGET_S))
        self.auto_advance_check.setChecked(get(S.AUTO_ADVANCE))
        self.analysis_check.setChecked(get(S.ANALYSIS))
        self.memory_check.setChecked(get(S.FROM_MEMORY))
        self.silence_spin.setValue(get(S.END_OF_ANSWER_MS) / 1000)
        chosen = get(S.DATA_DIR)
        if chosen and Path(chosen).expanduser().resolve() != self.controller.data_dir.resolve():
            self.move_status.setText(f"From the next start, Closer opens the library in {chosen}.")

    def _scan_outputs(self) -> None:
        from closer_desktop.audio.devices import list_output_devices

        runner = self.controller.microphones.runner  # the thread that may touch PortAudio
        runner.run(list_output_devices, self._show_outputs, lambda _: None)

    def _show_outputs(self, devices: list[AudioDevice]) -> None:
        chosen = self.controller.settings.get(S.OUTPUT_DEVICE)
        for device in devices:
            if self.output_combo.findData(device.name) < 0:
                self.output_combo.addItem(device.label, device.name)
        if chosen and self.output_combo.findData(chosen) < 0:
            self.output_combo.addItem(f"{chosen} (not connected)", chosen)
        _select(self.output_combo, chosen)

    def _store(self) -> None:
        c = self.controller
        c.settings.set(S.SAMPLE_RATE, int(self.rate_combo.currentData()))
        c.settings.set(S.COUNTDOWN_S, int(self.countdown_combo.currentData()))
        c.settings.set(S.DEFAULT_TARGET_S, self.target_spin.value())
        c.settings.set(S.AUTO_ADVANCE, self.auto_advance_check.isChecked())
        c.settings.set(S.FROM_MEMORY, self.memory_check.isChecked())
        c.settings.set(S.END_OF_ANSWER_MS, round(self.silence_spin.value() * 4) * 250)
        analysis = self.analysis_check.isChecked()
        if analysis != c.settings.get(S.ANALYSIS):
            c.settings.set(S.ANALYSIS, analysis)
            if not analysis:
                c.analysis.release()  # its process and model go (the next take starts it)
        output = str(self.output_combo.currentData() or "")
        c.settings.set(S.OUTPUT_DEVICE, output)
        c.player.device = output or None  # the next play uses it
        theme = str(self.theme_combo.currentData())
        if theme != c.settings.get(S.THEME):
            c.settings.set(S.THEME, theme)
            app = QApplication.instance()
            if isinstance(app, QApplication):
                from closer_desktop.ui.theme import apply_theme

                apply_theme(app, theme)

    # Moving the library -------------------------------------------------------------------------

    def choose_new_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, "Move the library to (a new or empty folder)", str(Path.home())
        )
        if folder:
            self.move_to(Path(folder))

    def move_to(self, target: Path) -> None:
        from closer_desktop.app.library_move import LibraryMove

        if not hasattr(self, "mover"):
            self.mover = LibraryMove(self.controller, self)
            self.mover.finished.connect(self._moved)
        problem = self.mover.start(target)
        if problem:
            self.move_status.setText(problem)
            return
        self.move_button.setEnabled(False)
        self.move_status.setText(f"Copying the library to {target} and checking the copy…")

    def _moved(self, moved: bool, message: str) -> None:
        self.move_button.setEnabled(True)
        self.move_status.setText(message)
        if moved:
            self.data_dir_edit.setText(self.controller.settings.get(S.DATA_DIR))
            self.offer_restart(message)

    def offer_restart(self, message: str) -> None:
        box = QMessageBox(self)
        box.setWindowTitle("Library moved")
        box.setText(message + "\n\nRestart Closer now to use the new folder?")
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.finished.connect(
            lambda result: self._restart() if result == QMessageBox.StandardButton.Yes else None
        )
        self.restart_box = box
        box.open()

    def _restart(self) -> None:
        from closer_desktop.app.library_move import restart

        self.accept()
        window = self.parent()
        if window is not None:
            restart(window)


def _choices(items: tuple[tuple[object, str], ...], name: str, tip: str) -> QComboBox:
    combo = QComboBox()
    for value, text in items:
        combo.addItem(text, value)
    combo.setAccessibleName(name)
    combo.setToolTip(tip)
    return combo


def _select(combo: QComboBox, value: object) -> None:
    index = combo.findData(value)
    if index >= 0:
        combo.setCurrentIndex(index)
