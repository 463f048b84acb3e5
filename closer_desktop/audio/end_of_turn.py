"""When an answer has ended, decided on the live audio (for the hands-free interview run).

A real speaker's breath in a pause can be louder than their quietest words, so loudness alone
cannot tell speech from breathing, a sniff, a chair creak or a fan. Two speech gates turn the
captured audio into speech / not speech, 32 ms at a time:

- `SileroGate`: the Silero voice activity model that faster-whisper ships (ONNX, cheap enough
  to run on every frame): trained on speech against noises; used whenever the speech extra is
  installed.
- `VoicingGate`, without it: a frame is speech when it is clearly above the room's noise floor
  (a low percentile of recent levels) and holds a pitch period for several blocks (a normalised
  autocorrelation peak between 70 and 400 Hz). It misses some hoarse or whispered speech.

`TurnDetector` turns the gate's frames into the turn's events: the answer starts at its first
stretch of speech (START_S of speech within START_WINDOW_S, so a click does not start it) and ends
once `silence_s` has passed with no speech after the last (a pause inside an answer shorter than
that keeps it going), or at `max_s`. Pure and time-injected (no clocks, no Qt), so all of it is
tested on real recordings.
"""

from __future__ import annotations

import functools
import os
from collections import deque
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

VOICING_WINDOW_S = 0.04  # two 20 ms blocks: more than two periods of a 70 Hz voice
PITCH_RANGE_HZ = (70.0, 400.0)  # above mains hum (50/60 Hz), up to a high speaking voice
VOICED_AT = 0.45  # a normalised autocorrelation peak this strong is a voice
ABOVE_FLOOR_DB = 6.0  # speech stands this far above the room's noise
FLOOR_PERCENTILE = 10  # of the last FLOOR_HISTORY_S of block levels
FLOOR_HISTORY_S = 8.0
FLOOR_LEARNT_S = 2.0  # until this much is heard, the room is taken to be at most ...
ASSUMED_FLOOR_DB = -50.0  # ... this loud (a quiet room sits near -60 dBFS)
ABSOLUTE_FLOOR_DB = -65.0  # never speech below this, however quiet the room
SUSTAIN_BLOCKS = 3  # voiced blocks in a row that make speech
START_S = 0.12  # this much speech ...
START_WINDOW_S = 0.3  # ... within this long starts the answer


@dataclass(frozen=True)
class BlockMeasure:
    """One captured block: linear peak and RMS (full scale 1.0) and voicing (0-1)."""

    peak: float
    rms: float
    voicing: float


def voicing(window: npt.NDArray[Any], rate: int) -> float:
    """How strongly `window` repeats with a period of a speaking voice (0 noise, 1 a pure tone)."""
    x = np.asarray(window, dtype=np.float64)
    x = x - x.mean()
    n = len(x)
    lo, hi = int(rate / PITCH_RANGE_HZ[1]), min(n - 1, int(rate / PITCH_RANGE_HZ[0]))
    if hi <= lo or float(np.dot(x, x)) < 1e-12:
        return 0.0
    size = 1 << (2 * n - 1).bit_length()
    spectrum = np.fft.rfft(x, size)
    ac = np.fft.irfft(spectrum * np.conj(spectrum), size)[:n]
    lags = np.arange(lo, hi + 1)
    # Each lag compares only the overlapping n - lag samples: scale up for a fair peak.
    r = ac[lo : hi + 1] / ac[0] * (n / (n - lags))
    return float(np.clip(r.max(), 0.0, 1.0))


def measure_block(
    mono: npt.NDArray[Any], previous: npt.NDArray[Any] | None, rate: int
) -> BlockMeasure:
    """Peak, RMS and voicing of one block; `previous` is the audio before it (for a window of
    VOICING_WINDOW_S), None at the start."""
    x = np.asarray(mono, dtype=np.float32)
    peak = float(np.max(np.abs(x))) if len(x) else 0.0
    rms = float(np.sqrt(np.mean(x * x))) if len(x) else 0.0
    want = int(VOICING_WINDOW_S * rate)
    window = x if previous is None else np.concatenate((previous, x))[-want:]
    return BlockMeasure(peak, rms, voicing(window, rate) if rms > 0 else 0.0)


@dataclass(frozen=True)
class TurnEvent:
    kind: str  # "started" (the first speech, at `at_s`) or "ended" (at `at_s`: when decided)
    at_s: float
    speech_end_s: float | None = None  # for "ended": where the last speech stopped
    reason: str = ""  # for "ended": "silence" or "max_length"


FRAME_S = 0.032  # what the gates decide on: Silero's 512 samples at 16 kHz
SILERO_RATE = 16000
SILERO_SPEECH_AT = 0.5


class SpeechGate(Protocol):
    def feed(self, mono: npt.NDArray[Any], rate: int) -> list[bool]:
        """Take the next captured samples; one verdict (speech?) per whole FRAME_S now complete."""


class _Resampler:
    """Streaming linear resampling to 16 kHz (plenty for voice activity, nothing for listening)."""

    def __init__(self) -> None:
        self._position = 0.0  # in input samples, relative to the start of `_tail`
        self._tail = np.zeros(0, np.float32)

    def feed(self, mono: npt.NDArray[Any], rate: int) -> npt.NDArray[np.float32]:
        x = np.concatenate((self._tail, np.asarray(mono, dtype=np.float32)))
        step = rate / SILERO_RATE
        positions = np.arange(self._position, len(x) - 1, step)
        out: npt.NDArray[np.float32] = np.interp(positions, np.arange(len(x)), x).astype(np.float32)
        consumed = int(positions[-1]) if len(positions) else 0
        if len(positions):
            self._position = float(positions[-1]) + step - consumed
        self._tail = x[consumed:]
        return out


class SileroGate:
    """Silero voice activity, streamed frame by frame with its recurrent state."""

    CONTEXT = 64

    def __init__(self) -> None:
        self._session = _silero_session()
        self._h = np.zeros((1, 1, 128), np.float32)
        self._c = np.zeros((1, 1, 128), np.float32)
        self._context = np.zeros(self.CONTEXT, np.float32)
        self._pending = np.zeros(0, np.float32)
        self._resampler = _Resampler()

    @staticmethod
    def available() -> bool:
        try:
            _silero_session()
        except Exception:  # no speech extra, or a broken one: the voicing gate instead
            return False
        return True

    def feed(self, mono: npt.NDArray[Any], rate: int) -> list[bool]:
        samples = self._resampler.feed(mono, rate) if rate != SILERO_RATE else mono
        self._pending = np.concatenate((self._pending, np.asarray(samples, np.float32)))
        size = int(FRAME_S * SILERO_RATE)
        verdicts = []
        while len(self._pending) >= size:
            frame, self._pending = self._pending[:size], self._pending[size:]
            model_input = np.concatenate((self._context, frame))[np.newaxis, :]
            out, self._h, self._c = self._session.run(
                None, {"input": model_input, "h": self._h, "c": self._c}
            )
            self._context = frame[-self.CONTEXT :]
            verdicts.append(float(np.ravel(out)[0]) >= SILERO_SPEECH_AT)
        return verdicts


@functools.lru_cache(maxsize=1)
def _silero_session() -> Any:
    """The ONNX session of the Silero model inside faster-whisper (loaded once per process)."""
    import onnxruntime
    from faster_whisper.utils import get_assets_path

    options = onnxruntime.SessionOptions()
    options.inter_op_num_threads = 1
    options.intra_op_num_threads = 1
    options.log_severity_level = 4
    path = os.path.join(get_assets_path(), "silero_vad_v6.onnx")
    return onnxruntime.InferenceSession(
        path, providers=["CPUExecutionProvider"], sess_options=options
    )


class VoicingGate:
    """Loud enough over the room and voiced for several blocks in a row (see the docstring)."""

    def __init__(self) -> None:
        self._pending = np.zeros(0, np.float32)
        self._previous: npt.NDArray[np.float32] | None = None
        self._levels: deque[float] = deque(maxlen=int(FLOOR_HISTORY_S / FRAME_S))
        self._voiced: deque[bool] = deque(maxlen=SUSTAIN_BLOCKS)
        self._heard_s = 0.0

    def feed(self, mono: npt.NDArray[Any], rate: int) -> list[bool]:
        self._pending = np.concatenate((self._pending, np.asarray(mono, np.float32)))
        size = int(FRAME_S * rate)
        verdicts = []
        while len(self._pending) >= size:
            frame, self._pending = self._pending[:size], self._pending[size:]
            block = measure_block(frame, self._previous, rate)
            self._previous = frame
            self._heard_s += FRAME_S
            level = 20.0 * float(np.log10(max(block.rms, 1e-9)))
            self._levels.append(level)
            floor = float(np.percentile(self._levels, FLOOR_PERCENTILE))
            if self._heard_s < FLOOR_LEARNT_S:  # too little heard to know the room yet
                floor = min(floor, ASSUMED_FLOOR_DB)
            loud = level >= max(floor + ABOVE_FLOOR_DB, ABSOLUTE_FLOOR_DB)
            self._voiced.append(loud and block.voicing >= VOICED_AT)
            # A vowel holds its pitch for several blocks; noise lines up with a period only
            # now and then, so one voiced block alone is not speech.
            verdicts.append(len(self._voiced) == SUSTAIN_BLOCKS and all(self._voiced))
        return verdicts


def speech_gate() -> SpeechGate:
    """The best gate this installation has."""
    return SileroGate() if SileroGate.available() else VoicingGate()


class TurnDetector:
    """Feed it the captured audio as it comes; it says when the answer started and when it
    ended (see the module docstring). Times are seconds since the first sample fed."""

    def __init__(
        self, silence_s: float = 2.0, max_s: float = 30.0, gate: SpeechGate | None = None
    ) -> None:
        self.silence_s = silence_s
        self.max_s = max_s
        self.gate = gate if gate is not None else speech_gate()
        self.started_at: float | None = None
        self.last_speech_at: float | None = None
        self.ended = False
        self._now = 0.0
        self._recent: deque[tuple[float, bool]] = deque()

    def feed(self, mono: npt.NDArray[Any], rate: int) -> list[TurnEvent]:
        events = []
        for speech in self.gate.feed(mono, rate):
            self._now += FRAME_S
            event = self._frame(self._now, speech)
            if event is not None:
                events.append(event)
        return events

    def _frame(self, end_s: float, speech: bool) -> TurnEvent | None:
        if self.ended:
            return None
        self._recent.append((end_s, speech))
        while self._recent and self._recent[0][0] <= end_s - START_WINDOW_S:
            self._recent.popleft()
        if self.started_at is None:
            if sum(1 for _, s in self._recent if s) * FRAME_S >= START_S - 1e-9:
                first = next(t for t, s in self._recent if s)
                self.started_at = first - FRAME_S
                self.last_speech_at = end_s
                return TurnEvent("started", self.started_at)
            return None
        if speech:
            self.last_speech_at = end_s
        assert self.last_speech_at is not None
        if end_s - self.last_speech_at >= self.silence_s - 1e-9:
            self.ended = True
            return TurnEvent("ended", end_s, self.last_speech_at, "silence")
        if end_s - self.started_at >= self.max_s - 1e-9:
            self.ended = True
            return TurnEvent("ended", end_s, self.last_speech_at, "max_length")
        return None
