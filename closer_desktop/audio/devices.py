"""Finding microphones. "No microphone" is a normal state to report, not an exception to crash on."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any, TypeVar

StreamT = TypeVar("StreamT")
RESCAN_WAIT_S = 2.0  # a rescan waits this long for streams being closed to finish closing


class AudioUnavailable(Exception):
    """Audio cannot be used at all (PortAudio missing or failing); the message is for the user."""


class AudioBusy(AudioUnavailable):
    """PortAudio cannot be restarted now: a stream is open. The devices known so far still work."""


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


# Every stream Closer opens is registered here until it is closed, so that rescan() never restarts
# PortAudio under one: Pa_Terminate frees every open stream, and the owner closing it afterwards
# would touch freed memory (or hang in abort). Opening waits while a rescan runs.
_streams = threading.Condition()
_open_streams: set[Any] = set()


def open_stream(factory: Callable[[], StreamT]) -> StreamT:
    """The stream `factory` opens (sd.InputStream(...) or the like), registered as open."""
    with _streams:
        stream = factory()
        _open_streams.add(stream)
    return stream


def close_stream(stream: Any, keep_input: bool = False) -> None:
    """Stop and close a stream from open_stream; errors are swallowed (the device may be gone).

    `keep_input`: stop() (what was captured is still delivered) rather than abort() (what is
    queued to play is dropped). A stream whose closing hangs stays registered: no rescan then.
    """
    with contextlib.suppress(Exception):
        if keep_input:
            stream.stop()
        else:
            stream.abort()
    with contextlib.suppress(Exception):
        stream.close()
    with _streams:
        _open_streams.discard(stream)
        _streams.notify_all()


def rescan(wait_s: float = RESCAN_WAIT_S) -> None:
    """Make PortAudio list devices afresh (it only looks once, when initialised).

    Only with no stream open: one being closed (playback just stopped) is waited for.
    """
    sd = load_sounddevice()
    with _streams:
        if not _streams.wait_for(lambda: not _open_streams, wait_s):
            raise AudioBusy(
                "Sound is still playing or recording: stop it, then look for microphones again."
            )
        with _import_lock:
            try:
                sd._terminate()
                sd._initialize()
            except Exception as exc:  # said, never left half-done with the mic "checking"
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
