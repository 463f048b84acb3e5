"""Finding microphones. "No microphone" is a normal state to report, not an exception to crash on."""

from __future__ import annotations

import contextlib
import threading
import time
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
class AudioDevice:
    """A microphone or a playback device: `channels` are its inputs or its outputs."""

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
# would touch freed memory (or hang in abort). The lock is only ever held for bookkeeping, never
# while PortAudio works (a frozen sound server can make opening or closing hang).
_streams = threading.Condition()
_open_streams: set[Any] = set()
_closing_since: dict[int, float] = {}  # id(stream) -> when its closing began
_opening = 0  # streams being opened right now
_rescanning = False
HUNG_CLOSE_S = 5.0  # a stream still closing after this long is taken for a frozen device


def open_stream(factory: Callable[[], StreamT]) -> StreamT:
    """The stream `factory` opens (sd.InputStream(...) or the like), registered as open.

    Waits while a rescan restarts PortAudio (at most RESCAN_WAIT_S, then AudioBusy)."""
    global _opening
    with _streams:
        if not _streams.wait_for(lambda: not _rescanning, RESCAN_WAIT_S):
            raise AudioBusy("The audio devices are being listed again; try again in a moment.")
        _opening += 1
    try:
        stream = factory()
    except BaseException:
        with _streams:
            _opening -= 1
            _streams.notify_all()
        raise
    with _streams:
        _opening -= 1
        _open_streams.add(stream)
        _streams.notify_all()
    return stream


def close_stream(stream: Any, keep_input: bool = False) -> None:
    """Stop and close a stream from open_stream; errors are swallowed (the device may be gone).

    `keep_input`: stop() (what was captured is still delivered) rather than abort() (what is
    queued to play is dropped). A stream whose closing hangs stays registered: no rescan then.
    """
    with _streams:
        _closing_since.setdefault(id(stream), time.monotonic())
    with contextlib.suppress(Exception):
        if keep_input:
            stream.stop()
        else:
            stream.abort()
    with contextlib.suppress(Exception):
        stream.close()
    with _streams:
        _open_streams.discard(stream)
        _closing_since.pop(id(stream), None)
        _streams.notify_all()


def rescan(wait_s: float = RESCAN_WAIT_S) -> None:
    """Make PortAudio list devices afresh (it only looks once, when initialised).

    Only with no stream open: one being closed (playback just stopped) is waited for.
    """
    global _rescanning
    sd = load_sounddevice()
    with _streams:
        if not _streams.wait_for(lambda: not _open_streams and not _opening, wait_s):
            now = time.monotonic()
            if any(now - since > HUNG_CLOSE_S for since in _closing_since.values()):
                raise AudioBusy(
                    "A sound device stopped responding and cannot be let go; restart Closer "
                    "to look for microphones again."
                )
            raise AudioBusy(
                "Sound is still playing or recording: stop it, then look for microphones again."
            )
        _rescanning = True
    try:
        with _import_lock:
            try:
                if sd._initialized > 0:  # a failed restart left it down: only start it again
                    sd._terminate()
                sd._initialize()
            except Exception as exc:  # said, never left half-done with the mic "checking"
                raise AudioUnavailable(f"The audio devices cannot be listed again: {exc}") from exc
    finally:
        with _streams:
            _rescanning = False
            _streams.notify_all()


def list_input_devices() -> list[AudioDevice]:
    """Every device that can capture, the system default first. Slow (probes ALSA): use a worker."""
    sd = load_sounddevice()
    try:
        devices: list[dict[str, Any]] = list(sd.query_devices())
        host_apis = sd.query_hostapis()
    except sd.PortAudioError as exc:
        raise AudioUnavailable(f"Audio is unavailable: {exc}") from exc
    default_index = _default_input_index(sd)
    found = [
        AudioDevice(
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


def choose_input(devices: list[AudioDevice], preferred_name: str | None) -> AudioDevice | None:
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


def list_output_devices() -> list[AudioDevice]:
    """Every device that can play (`channels` are its output channels), the
    system default first. Slow like list_input_devices: use a worker."""
    sd = load_sounddevice()
    try:
        devices: list[dict[str, Any]] = list(sd.query_devices())
        host_apis = sd.query_hostapis()
        default_index = int(sd.default.device[1])
    except sd.PortAudioError as exc:
        raise AudioUnavailable(f"Audio is unavailable: {exc}") from exc
    found = [
        AudioDevice(
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
