"""Settings: which microphone to record from (remembered by name)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from closer_desktop.ui.practice_controller import MicrophoneStatus, PracticeController


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
        self.rescan_button.clicked.connect(lambda: controller.refresh_microphones(rescan=True))
        form = QFormLayout()
        form.addRow("Microphone:", self.device_combo)
        form.addRow("", self.rescan_button)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        controller.microphone_changed.connect(self._show_devices)
        self._show_devices(controller.microphone)

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
            self.status.setText(f"{len(status.devices)} input device(s) found.")

    def accept(self) -> None:
        name = self.device_combo.currentData()
        if name:
            self.controller.choose_microphone(str(name))
        super().accept()
