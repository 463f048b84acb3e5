"""Recording one take: a PortAudio input stream feeding a writer thread that streams to a WAV file.

The stream callback only copies each block into a queue. The writer thread owns the file: it
writes blocks as they arrive (with libsndfile's automatic header updates, so even a killed process
leaves a readable WAV), measures block levels for the meter, and notices a device that stops
delivering. Opening and closing the stream also happen on that thread, so the caller never waits.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import queue
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from closer_desktop.audio.devices import (
    AudioUnavailable,
    close_stream,
    load_sounddevice,
    open_stream,
)
from closer_desktop.audio.levels import SILENCE_DB, BlockLevel

log = logging.getLogger(__name__)

DEVICE_SILENT_TIMEOUT_S = 1.5  # no block for this long: the device has gone away
# Before its first block a device may take longer (a Bluetooth headset switching profile, a
# sound server waking up): this long with no block at all means it never started.
FIRST_BLOCK_TIMEOUT_S = 5.0
BLOCK_S = 0.02
SOUND_RMS = 10 ** (SILENCE_DB / 20)  # a block louder than this has sound in it
# Recording stops while this much space is still free, so that saving the take (a few database
# pages, its sidecar, its waveform) still fits on the disk; an actual "disk full" is handled too.
LOW_SPACE_BYTES = 4 * 1024 * 1024
SPACE_CHECK_S = 0.25
FALLBACK_RATES = (48000, 44100, 32000, 22050, 16000)  # tried when the device refuses its rate
DISK_FULL = "Recording stopped because the disk is full (free some space to record again)"
_SFC_SET_UPDATE_HEADER_AUTO = 0x1061  # libsndfile: rewrite the WAV header after every write
_PA_INVALID_SAMPLE_RATE = -9997
_PA_DEVICE_UNAVAILABLE = -9985


@dataclass(frozen=True)
class RecordingResult:
    """What a finished recording left on disk. `error` is set when it ended on a fault."""

    path: Path
    frames: int
    sample_rate: int
    error: str | None = None
    overflows: int = 0
    # How long the blocks were louder than the meter's "no sound" level: a take with almost
    # none of it holds no speech (a Space pressed twice by mistake; see domain/session.py).
    sounding_s: float = 0.0

    @property
    def duration_s(self) -> float:
        return self.frames / self.sample_rate if self.sample_rate else 0.0


def warm_up() -> None:
    """Import what a take's writer needs (numpy, soundfile: about 100 ms) ahead of the first
    take, on a worker: otherwise the first Space pays it before the stream opens."""
    import numpy  # noqa: F401
    import soundfile  # noqa: F401


BlockListener = Callable[[Any, int], None]  # (mono block as written, sample rate)


class _Inbox:
    """What one take's stream delivers. Each take has its own, bound into its stream's callbacks:
    a stream of an earlier take whose closing hung can never feed or end a later take."""

    def __init__(self) -> None:
        self.blocks: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self.ended = threading.Event()
        self.overflows = 0
        self.first_block_at: float | None = None  # time.perf_counter() of the first callback
        self.closed = False  # the take is over: a stream still calling back is ignored

    def callback(self, indata: Any, frames: int, time_info: Any, status: Any) -> None:
        """The audio thread's part: count an overflow, copy the block. Nothing else."""
        if self.closed:
            return
        if status.input_overflow:
            self.overflows += 1
        if self.first_block_at is None:
            self.first_block_at = time.perf_counter()
        self.blocks.put(indata.copy())


class Recorder:
    """Records one take at a time. Callbacks run on the writer thread: bridge them to the GUI."""

    def __init__(
        self,
        on_started: Callable[[int], None],
        on_finished: Callable[[RecordingResult], None],
    ) -> None:
        self._on_started = on_started
        self._on_finished = on_finished
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._inbox = _Inbox()
        self._levels: deque[BlockLevel] = deque(maxlen=500)
        self._frames = 0
        self._sounding_frames = 0
        self._sample_rate = 0
        self._listener: BlockListener | None = None

    @property
    def is_active(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @property
    def elapsed_s(self) -> float:
        return self._frames / self._sample_rate if self._sample_rate else 0.0

    @property
    def overflows(self) -> int:
        return self._inbox.overflows

    @property
    def first_block_at(self) -> float | None:
        """time.perf_counter() of the current take's first block, None before it came."""
        return self._inbox.first_block_at

    def take_levels(self) -> list[BlockLevel]:
        """Block levels measured since the last call (for the meter, polled by the GUI)."""
        out = []
        while self._levels:
            out.append(self._levels.popleft())
        return out

    def start(
        self,
        path: Path,
        device: int | None,
        sample_rate: int | None = None,
        listener: BlockListener | None = None,
    ) -> None:
        """Begin recording to `path` (a new WAV file); returns at once.

        `listener(mono_block, rate)` is called on the writer thread with each block once it is
        written (the interview run's end-of-turn detector listens so); it must be quick, and
        one that fails is dropped for the rest of the take, never the take itself.
        """
        if self.is_active:
            raise RuntimeError("already recording")
        self._stop.clear()
        self._listener = listener
        self._inbox = inbox = _Inbox()
        self._levels.clear()
        self._frames = 0
        self._sounding_frames = 0
        self._thread = threading.Thread(
            target=self._run,
            args=(inbox, path, device, sample_rate),
            name="closer-recorder",
            daemon=True,
        )
        self._thread.start()

    def stop(self) -> None:
        """Ask the recording to end; on_finished follows from the writer thread."""
        self._stop.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the writer has finished (for quitting and tests, never the GUI's normal path)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
            return not thread.is_alive()
        return True

    # Writer thread --------------------------------------------------------------------------

    def _run(self, inbox: _Inbox, path: Path, device: int | None, sample_rate: int | None) -> None:
        rate = sample_rate or 0
        try:
            warm_up()  # before the stream opens: a failing import leaves none open
            sd = load_sounddevice()
            if not rate:
                rate = int(sd.query_devices(device, "input")["default_samplerate"])
            stream, rate = self._open_stream(sd, inbox, device, rate)
        except AudioUnavailable as exc:
            self._finish(RecordingResult(path, 0, rate, error=str(exc)))
            return
        except Exception as exc:  # PortAudioError, ValueError: busy, vanished, bad rate
            self._finish(RecordingResult(path, 0, rate, error=_open_problem(exc)))
            return
        self._sample_rate = rate
        try:
            error = self._record(inbox, stream, path, rate)
        finally:
            inbox.closed = True
        self._finish(
            RecordingResult(
                path,
                self._frames,
                rate,
                error=error,
                overflows=inbox.overflows,
                sounding_s=self._sounding_frames / rate if rate else 0.0,
            )
        )

    def _open_stream(
        self, sd: Any, inbox: _Inbox, device: int | None, rate: int
    ) -> tuple[Any, int]:
        """The input stream at `rate`, or at the first common rate the device accepts instead."""

        def open_at(samplerate: int) -> Any:
            return open_stream(
                lambda: sd.InputStream(
                    device=device,
                    channels=1,
                    samplerate=samplerate,
                    dtype="float32",
                    blocksize=int(samplerate * BLOCK_S),
                    callback=inbox.callback,
                    finished_callback=inbox.ended.set,
                )
            )

        try:
            return open_at(rate), rate
        except Exception as exc:
            if not _is_bad_rate(exc):
                raise
            for fallback in FALLBACK_RATES:
                if fallback == rate:
                    continue
                with contextlib.suppress(Exception):
                    return open_at(fallback), fallback
            raise

    def _record(self, inbox: _Inbox, stream: Any, path: Path, rate: int) -> str | None:
        import numpy as np
        import soundfile

        error: str | None = None
        if _free_bytes(path.parent) < LOW_SPACE_BYTES:
            _close_stream(stream)
            return DISK_FULL
        try:
            # A new file, private from the start (0600), and never one that is already there.
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            sink = soundfile.SoundFile(path, "w", rate, 1, "PCM_16", format="WAV")
        except Exception as exc:
            _close_stream(stream)
            if _is_disk_full(exc, path.parent):
                return DISK_FULL
            return f"The recording could not be saved: {exc}"
        try:
            soundfile._snd.sf_command(
                sink._file, _SFC_SET_UPDATE_HEADER_AUTO, soundfile._ffi.NULL, 1
            )
            stream.start()
            self._on_started(rate)
            last_block = time.monotonic()
            last_space_check = last_block
            patience = FIRST_BLOCK_TIMEOUT_S
            while True:
                try:
                    block = inbox.blocks.get(timeout=0.05)
                except queue.Empty:
                    if self._stop.is_set():
                        break
                    if inbox.ended.is_set() or (time.monotonic() - last_block > patience):
                        error = (
                            "The microphone stopped delivering sound"
                            if patience == DEVICE_SILENT_TIMEOUT_S
                            else "The microphone did not start delivering sound"
                        )
                        break
                    continue
                last_block = time.monotonic()
                patience = DEVICE_SILENT_TIMEOUT_S
                self._write(sink, block, np)
                if self._stop.is_set():
                    break
                if last_block - last_space_check > SPACE_CHECK_S:
                    last_space_check = last_block
                    if _free_bytes(path.parent) < LOW_SPACE_BYTES:
                        error = DISK_FULL
                        break
        except _DiskError as exc:
            error = DISK_FULL if _is_disk_full(exc.__cause__, path.parent) else str(exc)
        except Exception as exc:
            error = f"Recording stopped: {exc}"
        finally:
            _close_stream(stream)
            try:
                while True:  # what the callback delivered before the stream closed
                    self._write(sink, inbox.blocks.get_nowait(), np)
            except queue.Empty:
                pass
            except _DiskError as exc:
                error = error or (
                    DISK_FULL if _is_disk_full(exc.__cause__, path.parent) else str(exc)
                )
            try:
                sink.close()
            except Exception as exc:
                error = error or f"The recording could not be finished: {exc}"
        return error

    def _write(self, sink: Any, block: Any, np: Any) -> None:
        try:
            sink.write(block)
        except Exception as exc:
            raise _DiskError(
                f"The recording could not be written ({exc}); the disk may be full"
            ) from exc
        self._frames += len(block)
        mono = block[:, 0]
        level = BlockLevel(
            peak=float(np.max(np.abs(mono))), rms=float(np.sqrt(np.mean(mono * mono)))
        )
        self._levels.append(level)
        if level.rms > SOUND_RMS:
            self._sounding_frames += len(block)
        if self._listener is not None:
            try:
                self._listener(mono, self._sample_rate)
            except Exception:
                log.exception("a recording's block listener failed; the take goes on without it")
                self._listener = None

    def _finish(self, result: RecordingResult) -> None:
        self._on_finished(result)


class _DiskError(Exception):
    pass


def _free_bytes(folder: Path) -> int:
    """Space the user may still write in `folder` (a huge number when it cannot be told)."""
    try:
        stats = os.statvfs(folder)
    except (OSError, AttributeError):  # no statvfs (Windows), or the folder is gone
        return 1 << 62
    return stats.f_bavail * stats.f_frsize


def _is_disk_full(exc: BaseException | None, folder: Path) -> bool:
    """A failed write came from a full disk (by its errno, its words, or the space left)."""
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    if exc is not None and "no space left" in str(exc).lower():
        return True
    return _free_bytes(folder) < max(LOW_SPACE_BYTES, 1024 * 1024)


def _is_bad_rate(exc: Exception) -> bool:
    code = exc.args[1] if len(exc.args) > 1 else None
    return code == _PA_INVALID_SAMPLE_RATE or "sample rate" in str(exc).lower()


def _open_problem(exc: Exception) -> str:
    """The user's words for a microphone that would not open."""
    code = exc.args[1] if len(exc.args) > 1 else None
    text = str(exc)
    if code == _PA_DEVICE_UNAVAILABLE or "unavailable" in text.lower() or "busy" in text.lower():
        return (
            "The microphone is busy or unavailable (another program may be using it, or it was "
            f"unplugged). Nothing was recorded. ({text})"
        )
    if _is_bad_rate(exc):
        return f"The microphone refused every common sample rate. Nothing was recorded. ({text})"
    return f"The microphone could not be opened: {text}"


def _close_stream(stream: Any) -> None:
    """Stop (keeping buffered input) and close, without hanging on a device that has vanished.

    A frozen sound server can block PortAudio's stop for seconds: the closing happens on a
    helper thread, and the writer moves on after 2 s whatever it is doing.
    """
    closer = threading.Thread(
        target=close_stream, args=(stream,), kwargs={"keep_input": True}, daemon=True
    )
    closer.start()
    closer.join(2.0)
