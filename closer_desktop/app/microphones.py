"""Finding microphones: the device scan (and rescan), the user's choice, and what to tell them.

Scans run on their own worker thread, since PortAudio can take a moment (and a rescan restarts
it). The practice controller asks for scans and reads `status`; the settings dialog shows it.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from closer_desktop import settings as S
from closer_desktop.app.settings import Settings
from closer_desktop.app.tasks import TaskRunner
from closer_desktop.audio.devices import (
    AudioDevice,
    AudioUnavailable,
    choose_input,
    list_input_devices,
)
from closer_desktop.audio.recorder import warm_up

NO_MICROPHONE = (
    "No microphone was found. Connect one, then pick it in Settings (Ctrl+,). "
    "Everything else works: you can browse questions and replay earlier takes."
)


@dataclass(frozen=True)
class MicrophoneStatus:
    """What the last device scan found; `problem` says why recording is off, if it is."""

    checking: bool = False
    devices: tuple[AudioDevice, ...] = ()
    chosen: AudioDevice | None = None
    problem: str | None = None

    @property
    def available(self) -> bool:
        return not self.checking and self.chosen is not None and self.problem is None


class Microphones(QObject):
    """The input devices found and the one takes are recorded from.

    Signals:
        changed(object): a MicrophoneStatus (checking while a scan runs).
        message(str, str): (level, text), e.g. a rescan that could not look afresh.
    """

    changed = Signal(object)
    message = Signal(str, str)

    def __init__(self, settings: Settings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.status = MicrophoneStatus(checking=True)
        self.runner = TaskRunner("devices", self)
        self.runner.failed.connect(lambda text: self.message.emit("error", text))

    def refresh(self, rescan: bool = False) -> None:
        """Look for microphones in the background; `rescan` also finds newly plugged-in ones."""
        preferred = self.settings.get(S.INPUT_DEVICE)
        self.set_status(MicrophoneStatus(checking=True))
        self.runner.run(lambda: scan(preferred, rescan), self._scanned)

    def _scanned(self, found: tuple[MicrophoneStatus, str | None]) -> None:
        status, note = found
        self.set_status(status)
        if note:
            self.message.emit("warning", note)

    def set_status(self, status: MicrophoneStatus) -> None:
        self.status = status
        self.changed.emit(status)

    def choose(self, name: str) -> None:
        """Remember the user's microphone (by name) and switch to it."""
        self.settings.set(S.INPUT_DEVICE, name)
        chosen = choose_input(list(self.status.devices), name)
        if chosen is not None:
            self.set_status(MicrophoneStatus(devices=self.status.devices, chosen=chosen))

    def input_for_take(self) -> tuple[int, int] | None:
        """The chosen microphone's device index and the rate to record at (the Settings one, or
        the device's own); None without a microphone."""
        device = self.status.chosen
        if device is None:
            return None
        return device.index, self.settings.get(S.SAMPLE_RATE) or device.default_samplerate

    def shutdown(self) -> None:
        self.runner.shutdown()


def scan(preferred: str, rescan: bool) -> tuple[MicrophoneStatus, str | None]:
    """What the scan found, and a note when a rescan could not look afresh."""
    from closer_desktop.audio.devices import AudioBusy

    note = None
    try:
        if rescan:
            from closer_desktop.audio.devices import rescan as restart_portaudio

            try:
                restart_portaudio()
            except AudioBusy as exc:  # a take plays elsewhere: the devices known so far
                note = str(exc)
        devices = list_input_devices()
    except AudioUnavailable as exc:
        return MicrophoneStatus(problem=str(exc)), note
    chosen = choose_input(devices, preferred)
    if chosen is None:
        return MicrophoneStatus(problem=NO_MICROPHONE), note
    warm_up()  # the first take then starts as fast as the next ones
    return MicrophoneStatus(devices=tuple(devices), chosen=chosen), note
