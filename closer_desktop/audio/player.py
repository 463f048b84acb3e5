"""Playing a take: an output stream whose callback copies the next samples from a loaded array.

Starting and stopping streams happens on a small control thread, so play/pause never makes the
GUI wait on PortAudio. Positions and durations are always in seconds of the original take, at any
speed: a slower or faster copy (pitch kept, audio/stretch.py) is rendered once on a worker thread,
cached per speed, and swapped in at the same point; sample i of a copy at speed s plays the take
from about i * s, so positions convert linearly. The callback only copies and scales samples.

Other threads never change what the callback reads piece by piece: a load, a seek or a new speed's
copy is published as one tuple (a "cue") that the callback picks up at its next block, so it
never sees new samples with an old position. Positions are read from the callback's last state
plus any cue it has not picked up yet.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from closer_desktop.audio.devices import close_stream, load_sounddevice, open_stream
from closer_desktop.worker import SerialWorker

log = logging.getLogger(__name__)

SPEEDS = (0.75, 1.0, 1.25, 1.5)  # offered in the take player
MIN_SPEED, MAX_SPEED = 0.5, 2.0  # what audio/stretch.py accepts
RENDER_CACHE_BYTES = 256 * 1024 * 1024  # stretched copies kept (with their takes) for reuse

_INT16_SCALE = 1.0 / 32768.0  # int16 samples to the float range
# (serial, samples to play, the speed they render, target in frames of the take or None = stay)
_Cue = tuple[int, Any, float, "int | None"]


class AudioFileError(Exception):
    """A take's file is missing or cannot be decoded; the message is for the user."""


def read_audio(path: Path, compact: bool = False) -> tuple[Any, int]:
    """Load a take as mono float32 (slow for long takes: call from a worker).

    `compact`: a 16-bit mono file (every take Closer records) comes as int16 instead, half the
    memory (a 10-minute take at 48 kHz: 58 MB rather than 115 MB); the Player plays either.
    """
    import numpy as np
    import soundfile

    if not path.exists():
        raise AudioFileError(f"The audio file is missing: {path.name}")
    try:
        info = soundfile.info(str(path))
        as_int16 = compact and info.channels == 1 and info.subtype == "PCM_16"
        data, rate = soundfile.read(path, dtype="int16" if as_int16 else "float32", always_2d=True)
    except Exception as exc:
        raise AudioFileError(f"The audio file cannot be read ({path.name}): {exc}") from exc
    if as_int16:
        return np.ascontiguousarray(data[:, 0]), int(rate)
    mono = data.mean(axis=1) if data.shape[1] > 1 else data[:, 0]
    return np.ascontiguousarray(mono, dtype=np.float32), int(rate)


class Player:
    """Plays one loaded take at a chosen speed and volume.

    `on_finished` and `on_error` run on audio or worker threads: bridge them to the GUI thread.
    """

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
        self._renderer = SerialWorker("closer-stretch")
        self._lock = threading.Lock()  # orders the writers (GUI, renderer); never the callback
        self._source: Any = None  # the take as loaded: mono float32, or int16 (read_audio)
        self._rate = 0
        self._length = 0  # frames of the take
        self._speed = 1.0  # the speed asked for (what plays may still be an older copy)
        self._gain = 1.0
        self._serial = 0
        self._cue: _Cue = (0, None, 1.0, 0)
        self._taken = 0  # serial of the last cue the callback picked up
        self._now: tuple[Any, float, int] = (None, 1.0, 0)  # the callback's (samples, speed, index)
        self._renders: OrderedDict[tuple[int, float], tuple[Any, Any]] = OrderedDict()
        self._start_when_rendered = 0  # generation to start once the asked-for speed is ready
        self._stream: Any = None
        self._playing = False
        self._generation = 0  # tells a finished stream from the one playing now
        self._callback_stop: type[Exception] = Exception

    @property
    def is_loaded(self) -> bool:
        return self._source is not None

    @property
    def is_playing(self) -> bool:
        """Playing, or about to (waiting for the stream, or for the asked-for speed's copy)."""
        return self._playing

    @property
    def duration_s(self) -> float:
        """The take's length (at any speed: positions are in seconds of the take)."""
        return self._length / self._rate if self._rate else 0.0

    @property
    def position_s(self) -> float:
        return self._frames() / self._rate if self._rate else 0.0

    @property
    def speed(self) -> float:
        return self._speed

    @property
    def rendering(self) -> bool:
        """The asked-for speed's copy is still being prepared (the previous one plays meanwhile)."""
        return self._source is not None and self._next()[1] != self._speed

    @property
    def playing_length_s(self) -> float:
        """How long the copy being played lasts: the take's length divided by its speed."""
        data = self._next()[0]
        return len(data) / self._rate if data is not None and self._rate else 0.0

    @property
    def gain(self) -> float:
        return self._gain

    def set_gain(self, gain: float) -> None:
        """Scale the output by `gain` (0 silent, 1 as recorded); applied from the next block."""
        self._gain = max(0.0, min(1.0, float(gain)))

    def set_speed(self, speed: float) -> None:
        """Play at `speed` (pitch kept). Until its copy is rendered the previous speed plays on;
        the position stays where it is in the take."""
        if not MIN_SPEED <= speed <= MAX_SPEED:  # also rejects NaN
            raise ValueError(f"speed must be between {MIN_SPEED} and {MAX_SPEED}, not {speed}")
        self._speed = float(speed)
        self._render()

    def wait_rendered(self, timeout: float = 30.0) -> None:
        """Block until queued renders are done (tests and benchmarks only, never the GUI)."""
        self._renderer.call(lambda: None, timeout)

    def load(self, samples: Any, sample_rate: int) -> None:
        """Replace what is loaded (stops playback); keeps the speed and the volume."""
        self.stop()
        with self._lock:
            self._source = samples
            self._rate = sample_rate
            self._length = len(samples)
            copy = self._copy_for(samples, self._speed)
            if copy is None:
                self._publish(samples, 1.0, 0)
            else:
                self._publish(copy, self._speed, 0)
        self._render()

    def unload(self) -> None:
        self.stop()
        with self._lock:
            self._source = None
            self._rate = 0
            self._length = 0
            self._renders.clear()
            self._publish(None, 1.0, 0)

    def seek(self, seconds: float) -> None:
        if self._source is None:
            return
        target = max(0, min(self._length, int(seconds * self._rate)))
        with self._lock:
            data, speed, _ = self._next()
            self._publish(data, speed, target)

    def toggle(self) -> None:
        if self._playing:
            self.pause()
        else:
            self.play()

    def play(self) -> None:
        if self._source is None or self._playing:
            return
        if self._frames() + 2 >= self._length:  # at the end (within a rounding step): restart
            self.seek(0)
        self._playing = True
        self._generation += 1
        generation = self._generation
        with self._lock:
            waiting = self.rendering
            self._start_when_rendered = generation if waiting else 0
        if not waiting:
            self._control.submit(lambda: self._open_and_start(generation))

    def pause(self) -> None:
        if not self._playing:
            return
        self._playing = False
        self._generation += 1
        self._start_when_rendered = 0
        self._control.submit(self._close_stream)

    def stop(self) -> None:
        self.pause()
        if self._source is not None:
            self.seek(0)

    def close(self) -> None:
        self.pause()
        self._renderer.shutdown(wait=False)  # a long render is abandoned, not waited for
        self._control.shutdown(wait=True, timeout=3.0)
        with self._lock:
            self._renders.clear()

    # Positions and cues (any thread) ------------------------------------------------------------

    def _next(self) -> tuple[Any, float, int | None]:
        """What the callback plays from its next block: (samples, their speed, target or None)."""
        cue = self._cue
        if cue[0] != self._taken:
            return cue[1], cue[2], cue[3]
        data, speed, _ = self._now
        return data, speed, None

    def _frames(self) -> int:
        """The position in frames of the take."""
        cue = self._cue
        if cue[0] != self._taken and cue[3] is not None:
            return cue[3]
        _, speed, index = self._now
        return min(self._length, round(index * speed))

    def _publish(self, data: Any, speed: float, target: int | None) -> None:
        """Hand the callback new samples and/or a position (caller holds the lock)."""
        self._serial += 1
        self._cue = (self._serial, data, speed, target)

    # Speed ----------------------------------------------------------------------------------

    def _copy_for(self, source: Any, speed: float) -> Any:
        """The take rendered at `speed`, if at hand (the take itself at 1x), else None."""
        if speed == 1.0:
            return source
        entry = self._renders.get((id(source), speed))
        if entry is None or entry[0] is not source:
            return None
        self._renders.move_to_end((id(source), speed))
        return entry[1]

    def _render(self) -> None:
        """Switch to the asked-for speed: from the cache at once, else render it on the worker."""
        with self._lock:
            source, speed, rate = self._source, self._speed, self._rate
        if source is None or self._use_rendered(source, speed):
            return
        self._renderer.submit(lambda: self._render_job(source, rate, speed))

    def _use_rendered(self, source: Any, speed: float) -> bool:
        """Play the copy at `speed` if one is at hand, starting a play that waited for it."""
        with self._lock:
            copy = self._copy_for(source, speed)
            if copy is not None:
                self._swap(copy, speed)
        if copy is None:
            return False
        self._start_waiting()  # a play pressed while another speed was being rendered
        return True

    def _swap(self, data: Any, speed: float) -> None:
        """Play `data` from the same point of the take (caller holds the lock)."""
        now_data, now_speed, target = self._next()
        if data is not now_data or speed != now_speed:
            self._publish(data, speed, target)

    def _render_job(self, source: Any, rate: int, speed: float) -> None:
        if source is not self._source or speed != self._speed:
            return  # something else was asked for meanwhile
        if self._use_rendered(source, speed):
            return  # an earlier job made it (quick switching)
        from closer_desktop.audio.stretch import time_stretch

        try:
            samples = source
            if source.dtype.kind != "f":  # int16 from read_audio(compact=True): float for WSOLA
                import numpy as np

                samples = np.multiply(source, np.float32(_INT16_SCALE), dtype=np.float32)
            copy = time_stretch(samples, rate, speed)
        except Exception as exc:
            log.exception("time stretch at %gx failed", speed)
            with self._lock:
                self._speed = self._next()[1]  # stay at the speed that plays
            self._start_waiting()
            self._on_error(f"The take cannot be played at {speed:g}x: {exc}")
            return
        with self._lock:
            self._remember(source, speed, copy)
            if source is not self._source or speed != self._speed:
                return
            self._swap(copy, speed)
        self._start_waiting()

    def _start_waiting(self) -> None:
        """Open the stream of a play that waited for its speed (once: the GUI thread and the
        renderer may both get here for the same play)."""
        with self._lock:
            generation, self._start_when_rendered = self._start_when_rendered, 0
        if generation and generation == self._generation and self._playing:
            self._control.submit(lambda: self._open_and_start(generation))

    def _remember(self, source: Any, speed: float, copy: Any) -> None:
        """Cache a rendered copy; the least recently used go past the byte budget (lock held)."""
        self._renders[(id(source), speed)] = (source, copy)
        total = sum(s.nbytes + c.nbytes for s, c in self._renders.values())
        while total > RENDER_CACHE_BYTES and len(self._renders) > 1:
            _, (old_source, old_copy) = self._renders.popitem(last=False)
            total -= old_source.nbytes + old_copy.nbytes

    # Control thread -------------------------------------------------------------------------

    def _open_and_start(self, generation: int) -> None:
        self._close_stream()
        if generation != self._generation:
            return
        try:
            sd = load_sounddevice()
            self._callback_stop = sd.CallbackStop
            stream = open_stream(
                lambda: sd.OutputStream(
                    device=self.device,
                    channels=1,
                    samplerate=self._rate,
                    dtype="float32",
                    callback=lambda out, frames, when, status: self._callback(
                        generation, out, frames
                    ),
                    finished_callback=lambda: self._stream_finished(generation),
                )
            )
        except Exception as exc:
            self._playing = False
            self._on_error(f"The take cannot be played: {exc}")
            return
        self._stream = stream
        try:
            stream.start()
        except Exception as exc:
            self._close_stream()
            self._playing = False
            self._on_error(f"The take cannot be played: {exc}")

    def _close_stream(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None:
            close_stream(stream)

    def _stream_finished(self, generation: int) -> None:
        if generation == self._generation and self._playing:
            self._playing = False
            # Played to the end: the output device is let go now, not at the next play.
            with contextlib.suppress(RuntimeError):  # close() shut the control thread meanwhile
                self._control.submit(lambda: self._close_if_still(generation))
            self._on_finished()

    def _close_if_still(self, generation: int) -> None:
        if generation == self._generation and not self._playing:
            self._close_stream()

    # Audio thread ---------------------------------------------------------------------------

    def _callback(self, generation: int, outdata: Any, frames: int) -> None:
        if generation != self._generation:  # a stream being closed after pause or load
            outdata.fill(0)
            raise self._callback_stop
        data, speed, index = self._now
        cue = self._cue
        if cue[0] != self._taken:  # a load, seek or new speed from another thread
            target = round(index * speed) if cue[3] is None else cue[3]
            data, speed = cue[1], cue[2]
            index = round(target / speed)
            self._now = (data, speed, index)
            self._taken = cue[0]
        count = 0
        if data is not None:
            chunk = data[index : index + frames]
            count = len(chunk)
            out = outdata[:count, 0]
            out[:] = chunk
            gain = self._gain if data.dtype.kind == "f" else self._gain * _INT16_SCALE
            if gain != 1.0:
                out *= gain
        outdata[count:, 0] = 0.0
        self._now = (data, speed, index + count)
        if count < frames:
            raise self._callback_stop
