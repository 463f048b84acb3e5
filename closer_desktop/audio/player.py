"""Playing a take: an output stream whose callback copies the next samples from a loaded array.

Starting and stopping streams happens on a small control thread, so play/pause never makes the
GUI wait on PortAudio. The position is a plain integer the GUI polls; seeking just moves it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from closer_desktop.audio.devices import load_sounddevice
from closer_desktop.worker import SerialWorker


class AudioFileError(Exception):
    """A take's file is missing or cannot be decoded; the message is for the user."""


def read_audio(path: Path) -> tuple[Any, int]:
    """Load a take as mono float32 (slow for long takes: call from a worker)."""
    import numpy as np
    import soundfile

    if not path.exists():
        raise AudioFileError(f"The audio file is missing: {path.name}")
    try:
        data, rate = soundfile.read(path, dtype="float32", always_2d=True)
    except Exception as exc:
        raise AudioFileError(f"The audio file cannot be read ({path.name}): {exc}") from exc
    mono = data.mean(axis=1) if data.shape[1] > 1 else data[:, 0]
    return np.ascontiguousarray(mono, dtype=np.float32), int(rate)


class Player:
    """Plays one loaded take. `on_finished` and `on_error` run on audio threads: bridge them."""

    def __init__(
        self,
        on_finished: Callable[[], None],
        on_error: Callable[[str], None],
        device: int | str | None = None,
    ) -> None:
        self._on_finished = on_finished
        self._on_error = on_error
        self.device = device
        self._control = SerialWorker("closer-player")
        self._lock = threading.Lock()
        self._data: Any = None
        self._rate = 0
        self._pos = 0
        self._stream: Any = None
        self._playing = False
        self._generation = 0  # tells a finished stream from the one playing now
        self._callback_stop: type[Exception] = Exception
        self._seek_to: int | None = None

    @property
    def is_loaded(self) -> bool:
        return self._data is not None

    @property
    def is_playing(self) -> bool:
        return self._playing

    @property
    def duration_s(self) -> float:
        return len(self._data) / self._rate if self._data is not None and self._rate else 0.0

    @property
    def position_s(self) -> float:
        return self._pos / self._rate if self._rate else 0.0

    def load(self, samples: Any, sample_rate: int) -> None:
        """Replace what is loaded (stops playback)."""
        self.stop()
        with self._lock:
            self._data = samples
            self._rate = sample_rate
            self._pos = 0

    def unload(self) -> None:
        self.stop()
        with self._lock:
            self._data = None
            self._rate = 0
            self._pos = 0

    def seek(self, seconds: float) -> None:
        if self._data is None:
            return
        target = max(0, min(len(self._data), int(seconds * self._rate)))
        if self._playing:
            self._seek_to = target  # the audio callback owns the position while playing
        self._pos = target

    def toggle(self) -> None:
        if self._playing:
            self.pause()
        else:
            self.play()

    def play(self) -> None:
        if self._data is None or self._playing:
            return
        if self._pos >= len(self._data):
            self._pos = 0
        self._playing = True
        self._generation += 1
        generation = self._generation
        self._control.submit(lambda: self._open_and_start(generation))

    def pause(self) -> None:
        if not self._playing:
            return
        self._playing = False
        self._generation += 1
        self._control.submit(self._close_stream)

    def stop(self) -> None:
        self.pause()
        self._pos = 0

    def close(self) -> None:
        self.pause()
        self._control.shutdown(wait=True, timeout=3.0)

    # Control thread -------------------------------------------------------------------------

    def _open_and_start(self, generation: int) -> None:
        self._close_stream()
        if generation != self._generation:
            return
        try:
            sd = load_sounddevice()
            self._callback_stop = sd.CallbackStop
            stream = sd.OutputStream(
                device=self.device,
                channels=1,
                samplerate=self._rate,
                dtype="float32",
                callback=lambda out, frames, when, status: self._callback(generation, out, frames),
                finished_callback=lambda: self._stream_finished(generation),
            )
            stream.start()
        except Exception as exc:
            self._playing = False
            self._on_error(f"The take cannot be played: {exc}")
            return
        self._stream = stream

    def _close_stream(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None:
            try:
                stream.abort()
                stream.close()
            except Exception:
                pass

    def _stream_finished(self, generation: int) -> None:
        if generation == self._generation and self._playing:
            self._playing = False
            self._on_finished()

    # Audio thread ---------------------------------------------------------------------------

    def _callback(self, generation: int, outdata: Any, frames: int) -> None:
        if generation != self._generation:  # a stream being closed after pause or load
            outdata.fill(0)
            raise self._callback_stop
        seek, self._seek_to = self._seek_to, None
        data = self._data
        pos = self._pos if seek is None else seek
        chunk = data[pos : pos + frames] if data is not None else data
        count = 0 if chunk is None else len(chunk)
        outdata[:count, 0] = chunk
        outdata[count:, 0] = 0.0
        self._pos = pos + count
        if count < frames:
            raise self._callback_stop
