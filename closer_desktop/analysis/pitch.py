"""Pitch variation of a voice, in semitones, that holds on real voices (Praat's tracker, adapted).

A fixed 75-600 Hz search lets Praat's autocorrelation tracker jump octaves on a low or hoarse
voice: frames at five times the voice's pitch made a speaker with a cold read as wildly varied
and no real voice as monotone. So, as De Looze and Hirst do, the range is adapted to the speaker
in two passes:

1. A wide first pass (50-700 Hz) over the speech finds where the voice lives: the densest pitch
   (the mode of the voiced frames' log-pitch, smoothed over two semitones). The mode, not the
   quartiles De Looze and Hirst use, because on a hoarse voice more than a quarter of the frames
   can be octave errors, which move a quartile but not the densest cluster.
2. A second pass searches only from 10 semitones below that pitch to 14 above (an intonation
   range with room for emphasis and a question's rise), where an octave error has nowhere to go.

The spread is the standard deviation of the voiced frames in semitones after a five-frame
running median within each voiced run: intonation moves smoothly, while a tracker error is a
frame or two off the contour. A monotone reading then measures well under 2 semitones and lively
speech 2.5 to 5.

The audio is tracked in blocks (BLOCK_S), so a long take needs little memory.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from closer_desktop.analysis.acoustics import Interval

FIRST_PASS_HZ = (50.0, 700.0)
BELOW_MODE_ST = 10.0
ABOVE_MODE_ST = 14.0
LOWEST_FLOOR_HZ = 40.0
MODE_BANDWIDTH_ST = 2.0
SMOOTHING_FRAMES = 5
STEP_S = 0.015
BLOCK_S = 60.0
MIN_VOICED_S = 0.5  # less voiced speech than this gives no spread


def pitch_spread(
    mono: npt.NDArray[np.float32], rate: int, speech: Sequence[Interval]
) -> tuple[float | None, float]:
    """Spread in semitones of the pitch of voiced frames inside `speech`, and the voiced time it
    is over; (None, voiced time) when there is too little voiced speech to say."""
    if not speech:
        return None, 0.0
    first = _voiced_runs(mono, rate, speech, *FIRST_PASS_HZ)
    frames = np.concatenate(first) if first else np.empty(0)
    if len(frames) * STEP_S < MIN_VOICED_S:
        return None, len(frames) * STEP_S
    mode = speaker_pitch_hz(frames)
    floor = max(LOWEST_FLOOR_HZ, mode * 2 ** (-BELOW_MODE_ST / 12))
    ceiling = mode * 2 ** (ABOVE_MODE_ST / 12)
    runs = _voiced_runs(mono, rate, speech, floor, ceiling)
    smoothed = [_running_median(12.0 * np.log2(run / mode)) for run in runs]
    semitones = np.concatenate(smoothed) if smoothed else np.empty(0)
    voiced_s = len(semitones) * STEP_S
    if voiced_s < MIN_VOICED_S:
        return None, voiced_s
    return float(np.std(semitones)), voiced_s


def speaker_pitch_hz(f0: npt.NDArray[np.float64]) -> float:
    """The densest pitch of voiced frames (Hz): a kernel density of log-pitch, two semitones
    wide, on a half-semitone grid."""
    log_pitch = 12.0 * np.log2(f0)
    grid = np.arange(log_pitch.min(), log_pitch.max() + 0.5, 0.5)
    density = np.zeros(len(grid))
    for start in range(0, len(log_pitch), 4096):  # bounded memory for long takes
        part = log_pitch[start : start + 4096]
        density += np.exp(-0.5 * ((grid[:, None] - part[None, :]) / MODE_BANDWIDTH_ST) ** 2).sum(1)
    return float(2 ** (grid[int(np.argmax(density))] / 12.0))


def _voiced_runs(
    mono: npt.NDArray[np.float32],
    rate: int,
    speech: Sequence[Interval],
    floor: float,
    ceiling: float,
) -> list[npt.NDArray[np.float64]]:
    """Runs of consecutive voiced frames (Hz) inside `speech`, tracked block by block."""
    import parselmouth  # Praat: GPL-3.0, tens of MB; only loaded when pitch is asked for

    runs: list[npt.NDArray[np.float64]] = []
    block = int(BLOCK_S * rate)
    margin = int(0.1 * rate)  # context at block edges for the tracker's windows
    for start in range(0, len(mono), block):
        lo, hi = max(0, start - margin), min(len(mono), start + block + margin)
        block_start, block_end = start / rate, min(len(mono), start + block) / rate
        inside_block = [s for s in speech if s.end_s > block_start and s.start_s < block_end]
        if not inside_block:
            continue
        sound = parselmouth.Sound(mono[lo:hi].astype(np.float64), sampling_frequency=rate)
        track = sound.to_pitch_ac(time_step=STEP_S, pitch_floor=floor, pitch_ceiling=ceiling)
        f0 = np.asarray(track.selected_array["frequency"], dtype=np.float64)
        times = np.asarray(track.xs(), dtype=np.float64) + lo / rate
        keep = (times >= block_start) & (times < block_end)
        inside = np.zeros(len(times), dtype=bool)
        for s in inside_block:
            inside |= (times >= s.start_s) & (times <= s.end_s)
        voiced = (f0 > 0) & inside & keep
        edges = np.flatnonzero(np.diff(np.concatenate(([0], voiced.astype(np.int8), [0]))))
        runs += [f0[a:b] for a, b in zip(edges[::2], edges[1::2], strict=True)]
    return runs


def _running_median(values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """A SMOOTHING_FRAMES running median (shorter at the edges and in short runs)."""
    if len(values) < 3:
        return values
    width = min(SMOOTHING_FRAMES, len(values) if len(values) % 2 else len(values) - 1)
    half = width // 2
    padded = np.pad(values, half, mode="edge")
    windows = np.lib.stride_tricks.sliding_window_view(padded, width)
    return np.median(windows, axis=1)
