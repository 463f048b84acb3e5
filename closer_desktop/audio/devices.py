"""Finding microphones. "No microphone" is a normal state to report, not an exception to crash on."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from types import ModuleType
from typing import Any


class AudioUnavailable(Exception):
    """Audio cannot be used at all (PortAudio missing or failing); the message is for the user."""


@dataclass(frozen=True)
class InputDevice:
    index: int
    name: str
    host_api: str
    channels: int
    default_samplerate: int
    is_default: bool

    @property
    def label(self) -> str:
        suffix = " (system default)" if self.is_default else ""
        return f"{self.name}{suffix}"


_import_lock = threading.Lock()


def load_sounddevice() -> ModuleType:
    """Import sounddevice, turning a missing PortAudio into a message a user can act on."""
    with _import_lock:
        try:
            import sounddevice as sd
        except OSError as exc:  # "PortAudio library not found"
            raise AudioUnavailable(
                "Audio is unavailable: the PortAudio library is not installed "
                "(on Debian or Ubuntu: sudo apt install libportaudio2)."
            ) from exc
        except Exception as exc:  # PortAudio found but failing to start (Pa_Initialize)
            raise AudioUnavailable(
                f"Audio is unavailable: PortAudio cannot start ({exc})."
            ) from exc
        module: ModuleType = sd
        return module


def rescan() -> None:
    """Make PortAudio list devices afresh (it only looks once, when initialised)."""
    sd = load_sounddevice()
    with _import_lock:
        try:
            sd._terminate()
            sd._initialize()
        except Exception as exc:  # said, never left half-done with the microphone "checking"
            raise AudioUnavailable(f"The audio devices cannot be listed again: {exc}") from exc


def list_input_devices() -> list[InputDevice]:
    """Every device that can capture, the system default first. Slow (probes ALSA): use a worker."""
    sd = load_sounddevice()
    try:
        devices: list[dict[str, Any]] = list(sd.query_devices())
        host_apis = sd.query_hostapis()
    except sd.PortAudioError as exc:
        raise AudioUnavailable(f"Audio is unavailable: {exc}") from exc
    default_index = _default_input_index(sd)
    found = [
        InputDevice(
            index=index,
            name=str(info["name"]),
            host_api=str(host_apis[info["hostapi"]]["name"]),
            channels=int(info["max_input_channels"]),
            default_samplerate=int(info["default_samplerate"]),
            is_default=index == default_index,
        )
        for index, info in enumerate(devices)
        if int(info["max_input_channels"]) > 0
    ]
    found.sort(key=lambda d: not d.is_default)
    return found


def choose_input(devices: list[InputDevice], preferred_name: str | None) -> InputDevice | None:
    """The device the user chose (by name: indexes change between runs), else the default."""
    if preferred_name:
        for device in devices:
            if device.name == preferred_name:
                return device
    for device in devices:
        if device.is_default:
            return device
    return devices[0] if devices else None


def _default_input_index(sd: ModuleType) -> int | None:
    try:
        index = int(sd.default.device[0])
        if index >= 0:
            return index
        info = sd.query_devices(kind="input")
        return int(info["index"])
    except Exception:  # PortAudioError "Error querying device -1": there is no default input
        return None


def list_output_devices() -> list[InputDevice]:
    """Every device that can play (described like inputs: `channels` are output channels), the
    system default first. Slow like list_input_devices: use a worker."""
    sd = load_sounddevice()
    try:
        devices: list[dict[str, Any]] = list(sd.query_devices())
        host_apis = sd.query_hostapis()
        default_index = int(sd.default.device[1])
    except sd.PortAudioError as exc:
        raise AudioUnavailable(f"Audio is unavailable: {exc}") from exc
    found = [
        InputDevice(
            index=index,
            name=str(info["name"]),
            host_api=str(host_apis[info["hostapi"]]["name"]),
            channels=int(info["max_output_channels"]),
            default_samplerate=int(info["default_samplerate"]),
            is_default=index == default_index,
        )
        for index, info in enumerate(devices)
        if int(info["max_output_channels"]) > 0
    ]
    found.sort(key=lambda d: not d.is_default)
    return found
