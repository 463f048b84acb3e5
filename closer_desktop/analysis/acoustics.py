"""Acoustic measures of a take with numpy: where the speech is, pauses, loudness, clipping, pitch.

Speech is found with a plain energy detector (no model to load, quick on a long file): the RMS level of
30 ms windows every 10 ms, a threshold relative to the take's own loud and quiet parts, so it
works at any recording level, and short gaps bridged. Pauses are found the same way in the sound
above SPEECH_ABOVE_HZ, under a loud end no single burst sets (`_loud_end`): a microphone picks up
rumble, hum, handling and the puffs of breath on its capsule below that frequency, often louder
than a hoarse voice, so the whole-band level called a pause full of breathing speech, and one
thump or cough raised the threshold over every quiet word of the take. The stretches given to
the recogniser and the pitch tracker stay whole-band: a cut inside a hoarse word loses the word.
Pitch comes from Praat's autocorrelation tracker, in a range adapted to the speaker
(analysis/pitch.py), restricted to the speech found here.
No Qt here: call from a worker thread.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from closer_desktop.analysis.audio_input import BLOCK_S, Decoded, decode_array
from closer_desktop.analysis.pitch import pitch_spread

FloatArray = npt.NDArray[np.float32]

WINDOW_S = 0.030  # an energy window: a few pitch periods, shorter than the shortest syllable
# Below the fundamental of all but the lowest voices (whose harmonics carry them): rumble,
# mains hum, handling and the puffs of breath on the microphone's capsule.
SPEECH_ABOVE_HZ = 80.0
HIGH_PASS_S = 0.1  # the high-pass filter's length: short, so blocks filter like the whole
FILTER_PIECE = 1 << 18  # samples high-passed at once (5.5 s at 48 kHz)
HOP_S = 0.010
LOUD_PERCENTILE = 98  # the recogniser's stretches: the loud end is near the take's maximum
RELATIVE_DB = 25.0  # speech is louder than this below the loud end (Praat's -25 dB) ...
NOISE_MARGIN_DB = 6.0  # ... and than this above its quiet end (the room's noise floor) ...
MAX_NOISE_DB = 12.0  # ... which is taken to be at least this far below the loud end
ABSOLUTE_FLOOR_DBFS = -70.0  # quieter than this is never speech, however quiet the take
FLICKER_S = 0.015  # a one-hop gap is a level hovering at the threshold: closed first
MIN_BURST_S = 0.08  # shorter sounds alone are clicks or breaths, not speech (Praat drops < 0.1 s)
BRIDGE_S = 0.10  # gaps shorter than this inside speech are not silence (stop consonants)
MIN_PAUSE_S = 0.3  # a pause worth counting (Praat's usual minimum silent interval)


@dataclass(frozen=True)
class Interval:
    start_s: float
    end_s: float

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


@dataclass(frozen=True)
class Acoustics:
    """Everything measured without recognising words. Levels in dBFS are None for silence."""

    duration_s: float
    speech: tuple[Interval, ...]  # the stretches of sound, gaps shorter than MIN_PAUSE_S inside
    pauses: tuple[Interval, ...]  # silences in the speech band of MIN_PAUSE_S or more
    speech_level_dbfs: float | None  # RMS over the speech
    peak_dbfs: float | None  # the loudest sample of any channel
    clipped_fraction: float  # of frames with any channel at full scale
    pitch_spread_semitones: float | None  # standard deviation over voiced speech
    voiced_s: float  # how much voiced speech the pitch spread is over
    heard: tuple[Interval, ...] = ()  # the stretches of speech between the pauses

    @property
    def speaking_time_s(self) -> float:
        return sum(s.duration_s for s in self.speech)

    @property
    def longest_pause_s(self) -> float:
        return max((p.duration_s for p in self.pauses), default=0.0)


def measure(channels: npt.NDArray[np.floating[Any]], rate: int, *, pitch: bool = True) -> Acoustics:
    """Measure a take given as a (frames, channels) or (frames,) float array at `rate` Hz."""
    return measure_decoded(decode_array(channels, rate), pitch=pitch)


def measure_decoded(audio: Decoded, *, pitch: bool = True) -> Acoustics:
    """Measure a take's mono mix (audio_input.read_mono reads a long file a block at a time;
    the levels are measured a block at a time too)."""
    mono, rate = audio.mono, audio.rate
    duration = len(mono) / rate
    speech = find_speech(mono, rate)
    # Pauses are what a listener hears: silence in the speech band, breathing and rumble in it.
    # The speech the recogniser and the pitch tracker are given errs towards sound instead: a
    # cut inside a hoarse word (quieter in the band than a breath below it) loses the word.
    heard = find_speech(mono, rate, band=True)
    pauses = tuple(
        Interval(a.end_s, b.start_s)
        for a, b in itertools.pairwise(heard)
        if b.start_s - a.end_s >= MIN_PAUSE_S - 1e-9
    )
    spoken = _merge_short_gaps(speech)
    level = _rms_dbfs(mono, rate, spoken)
    clipped = audio.clipped_frames / len(mono) if len(mono) else 0.0
    spread: float | None = None
    voiced = 0.0
    if pitch and spoken:
        spread, voiced = pitch_spread(mono, rate, spoken)  # analysis/pitch.py
    return Acoustics(
        duration_s=duration,
        speech=spoken,
        pauses=pauses,
        speech_level_dbfs=level,
        peak_dbfs=_to_dbfs(audio.peak),
        clipped_fraction=clipped,
        pitch_spread_semitones=spread,
        voiced_s=voiced,
        heard=_merge_short_gaps(heard),
    )


def frame_levels_db(
    mono: FloatArray, rate: int, *, above_hz: float = 0.0
) -> npt.NDArray[np.float64]:
    """RMS level in dBFS of WINDOW_S windows every HOP_S (window i starts at i * hop); with
    `above_hz`, of the sound above that frequency only (`_high_pass`)."""
    win = max(1, round(WINDOW_S * rate))
    hop = max(1, round(HOP_S * rate))
    if len(mono) < win:
        return np.empty(0)
    count = (len(mono) - win) // hop + 1
    levels = np.empty(count)
    per_block = max(1, round(BLOCK_S * rate) // hop)  # float64 sums of one block, not the take
    for first in range(0, count, per_block):
        n = min(per_block, count - first)
        lo, hi = first * hop, (first + n - 1) * hop + win
        part = _high_pass(mono, lo, hi, rate, above_hz) if above_hz > 0 else mono[lo:hi]
        squares = np.concatenate(([0.0], np.cumsum(np.square(part, dtype=np.float64))))
        starts = np.arange(n) * hop
        energy = (squares[starts + win] - squares[starts]) / win
        levels[first : first + n] = 10.0 * np.log10(np.maximum(energy, 1e-14))
    return levels


def _high_pass(mono: FloatArray, lo: int, hi: int, rate: int, above_hz: float) -> FloatArray:
    """mono[lo:hi] less what is below `above_hz`: the take minus its low-passed self, through a
    windowed-sinc filter HIGH_PASS_S long (a Blackman window: over 70 dB down past a
    transition about 5.5 / HIGH_PASS_S Hz wide). Its response is that short, so a block filtered
    with that much of the take around it is what filtering the whole take gives; it is
    filtered FILTER_PIECE samples at a time, so the FFTs stay a few MB at any rate."""
    half = max(1, round(HIGH_PASS_S * rate / 2))
    n = np.arange(-half, half + 1)
    low = np.sinc(2.0 * above_hz / rate * n) * np.blackman(len(n))
    low /= low.sum()
    size = 1 << (FILTER_PIECE + 2 * half).bit_length()
    response = np.fft.rfft(low, size)
    out = np.empty(hi - lo, dtype=np.float32)
    for start in range(lo, hi, FILTER_PIECE):
        end = min(hi, start + FILTER_PIECE)
        a, b = max(0, start - half), min(len(mono), end + half)
        part = mono[a:b].astype(np.float64)
        smooth = np.fft.irfft(np.fft.rfft(part, size) * response, size)[half : half + len(part)]
        out[start - lo : end - lo] = (part - smooth)[start - a : end - a]
    return out


def find_speech(mono: FloatArray, rate: int, *, band: bool = False) -> tuple[Interval, ...]:
    """The stretches of sound (with `band`, of speech: its level above SPEECH_ABOVE_HZ), as split
    by every silence of BRIDGE_S or more."""
    levels = frame_levels_db(mono, rate, above_hz=SPEECH_ABOVE_HZ if band else 0.0)
    if levels.size == 0:
        return ()
    # Pauses: a loud end no single burst sets. The recogniser's stretches keep the higher
    # threshold of the 98th percentile, which its decoding was measured with (bench.accuracy).
    loud = _loud_end(levels) if band else float(np.percentile(levels, LOUD_PERCENTILE))
    # The noise floor, unless the take hardly pauses at all: then the quiet end is speech too.
    quiet = min(float(np.percentile(levels, 5)) + NOISE_MARGIN_DB, loud - MAX_NOISE_DB)
    threshold = max(loud - RELATIVE_DB, quiet, ABSOLUTE_FLOOR_DBFS)
    runs = _runs(levels > threshold)
    # A window stands for the HOP_S around its centre, so the speech covers whole hops.
    centre = WINDOW_S / 2
    intervals = [
        (max(0.0, a * HOP_S + centre - HOP_S / 2), b * HOP_S + centre + HOP_S / 2) for a, b in runs
    ]
    intervals = _bridge(intervals, FLICKER_S)
    intervals = [(a, b) for a, b in intervals if b - a >= MIN_BURST_S - 1e-9]
    intervals = _bridge(intervals, BRIDGE_S)
    duration = len(mono) / rate
    return tuple(Interval(round(a, 3), round(min(b, duration), 3)) for a, b in intervals)


def _loud_end(levels: npt.NDArray[np.float64]) -> float:
    """The take's loud end: the median of the loudest window of each second that has sound in
    it (louder than the quiet end), the level a voice's stressed syllables reach. A cough, a
    bang or a thump on the microphone fills a second or two: it moves that median by at most
    a second's worth, where it took over the take's 98th percentile of windows and raised the
    threshold over every quiet word."""
    per_s = round(1.0 / HOP_S)
    padded = np.concatenate((levels, np.full(-len(levels) % per_s, -np.inf)))
    tops = padded.reshape(-1, per_s).max(axis=1)
    sounding = tops[tops > float(np.percentile(levels, 5)) + NOISE_MARGIN_DB]
    return float(np.median(sounding)) if len(sounding) else float(levels.max())


def _bridge(intervals: list[tuple[float, float]], gap: float) -> list[tuple[float, float]]:
    bridged: list[tuple[float, float]] = []
    for start, end in intervals:
        if bridged and start - bridged[-1][1] < gap - 1e-9:
            bridged[-1] = (bridged[-1][0], end)
        else:
            bridged.append((start, end))
    return bridged


def _merge_short_gaps(speech: tuple[Interval, ...]) -> tuple[Interval, ...]:
    merged: list[Interval] = []
    for s in speech:
        if merged and s.start_s - merged[-1].end_s < MIN_PAUSE_S - 1e-9:
            merged[-1] = Interval(merged[-1].start_s, s.end_s)
        else:
            merged.append(s)
    return tuple(merged)


def _runs(mask: npt.NDArray[np.bool_]) -> list[tuple[int, int]]:
    """(first, last) indices of each run of True."""
    padded = np.concatenate(([False], mask, [False])).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return [(int(a), int(b) - 1) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def _rms_dbfs(mono: FloatArray, rate: int, speech: tuple[Interval, ...]) -> float | None:
    total = 0.0
    count = 0
    block = max(1, round(BLOCK_S * rate))
    for s in speech:
        lo, hi = int(s.start_s * rate), min(len(mono), math.ceil(s.end_s * rate))
        for start in range(lo, hi, block):  # a long stretch in blocks: bounded float64 copies
            part = mono[start : min(hi, start + block)]
            total += float(np.sum(np.square(part, dtype=np.float64)))
            count += len(part)
    if count == 0:
        return None
    return _to_dbfs(math.sqrt(total / count))


def _to_dbfs(amplitude: float) -> float | None:
    if amplitude <= 0.0:
        return None
    return round(20.0 * math.log10(amplitude), 2)
