"""Pitch-preserving time stretching, so a take can be reviewed at 0.75x-1.5x speed.

The audio callback may only copy samples, so a worker renders a stretched copy once with
`time_stretch` and the player plays that. The method is WSOLA (waveform-similarity overlap-add):
it cuts the take into short Hann-windowed frames and re-spaces them, nudging each frame by up to
±10 ms so its waveform lines up with the previous one. It copies real waveform instead of
resynthesising phases, so speech stays crisp (a phase vocoder smears consonants and sounds
"phasey"), and it is cheap enough for numpy.

Timeline mapping: output sample `i` plays the input from about `i * speed` (never more than the
±10 ms search window away), and the output has exactly `round(len(samples) / speed)` samples, so
positions convert linearly between the original and the stretched copy.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from numpy.lib.stride_tricks import sliding_window_view

MIN_SPEED = 0.5
MAX_SPEED = 2.0
FRAME_S = 0.035  # 3-4 pitch periods of a low voice: enough to match, short enough not to smear
TOLERANCE_S = 0.010  # search ±10 ms: one full pitch period of a voice down to 100 Hz
COARSE_RATE = 11025  # search a decimated copy first: voice periodicity lives below ~5 kHz
_EPS = 1e-12  # keeps the normalised correlation finite in silence

FloatArray = npt.NDArray[np.float32]


def time_stretch(samples: FloatArray, sample_rate: int, speed: float) -> FloatArray:
    """Render `samples` (mono float32) played `speed` times faster at the same pitch.

    Returns a new float32 array of exactly `round(len(samples) / speed)` samples; speed 1.0 returns
    an unchanged copy. Takes 0.1-0.25 s per minute of 44.1 kHz audio on one core: call from a worker.
    """
    if not MIN_SPEED <= speed <= MAX_SPEED:  # also rejects NaN
        raise ValueError(f"speed must be between {MIN_SPEED} and {MAX_SPEED}, not {speed}")
    if sample_rate <= 0:
        raise ValueError(f"sample_rate must be positive, not {sample_rate}")
    x = np.asarray(samples, dtype=np.float32)
    if x.ndim != 1:
        raise ValueError(f"time_stretch takes mono samples (1-D), not shape {x.shape}")
    if speed == 1.0 or x.size == 0:
        return x.copy()

    hop = max(2, round(FRAME_S * sample_rate / 2))  # synthesis hop; frames overlap by 50%
    frame = 2 * hop
    tol = max(1, round(TOLERANCE_S * sample_rate))
    out_len = round(x.size / speed)
    n_frames = math.ceil(out_len / hop) + 1

    # Frame k is centred at output sample k*hop and (before its search nudge) at input sample
    # k*hop*speed. The input is padded so every search window has room on both sides, and the
    # output starts half a frame early (trimmed at the end) so windows sum to one everywhere kept.
    front = hop + tol
    nominal = tol + np.round(np.arange(n_frames) * (hop * speed)).astype(np.int64)
    padded_len = max(int(nominal[-1]) + tol + frame + hop + 1, front + x.size)
    xp = np.zeros(padded_len, dtype=np.float32)
    xp[front : front + x.size] = x

    positions = _choose_frames(xp, nominal, frame, hop, tol, sample_rate)
    return _overlap_add(xp, positions, frame, hop, out_len)


def _choose_frames(
    xp: FloatArray,
    nominal: npt.NDArray[np.int64],
    frame: int,
    hop: int,
    tol: int,
    sample_rate: int,
) -> npt.NDArray[np.int64]:
    """Pick each frame's start in `xp`: within ±tol of nominal, most like the natural continuation.

    The natural continuation is what would follow the previous chosen frame one hop later; the
    frame whose waveform best matches it (normalised cross-correlation) splices in without a
    phase jump. The search runs on a decimated copy, then is refined at the full rate.
    """
    step = max(1, sample_rate // COARSE_RATE)
    coarse = xp[: xp.size // step * step].reshape(-1, step).mean(axis=1)
    coarse_len = frame // step
    coarse_energy = _window_energy(coarse, coarse_len)
    fine_energy = _window_energy(xp, frame)

    positions = np.empty(nominal.size, dtype=np.int64)
    prev = int(nominal[0])
    positions[0] = prev
    for k in range(1, nominal.size):
        lo = int(nominal[k]) - tol
        hi = int(nominal[k]) + tol
        target = prev + hop

        # Coarse search over every lag (in steps of `step` samples).
        t0 = target // step
        template = coarse[t0 : t0 + coarse_len]
        c_lo = -(-lo // step)
        c_hi = max(c_lo, hi // step)
        region = coarse[c_lo : c_hi + coarse_len]
        scores = np.correlate(region, template, "valid")
        scores /= np.sqrt(coarse_energy[c_lo : c_hi + 1] + _EPS)
        best = (c_lo + int(np.argmax(scores))) * step

        # Fine search around the coarse winner, at the full sample rate.
        f_lo = max(lo, min(hi, best - step))
        f_hi = max(f_lo, min(hi, best + step))
        fine = np.correlate(xp[f_lo : f_hi + frame], xp[target : target + frame], "valid")
        fine /= np.sqrt(fine_energy[f_lo : f_hi + 1] + _EPS)
        best = f_lo + int(np.argmax(fine))
        positions[k] = best
        prev = best
    return positions


def _window_energy(signal: FloatArray, length: int) -> FloatArray:
    """Sum of squares of every `length`-sample window of `signal` (index = window start)."""
    squares = np.concatenate(([0.0], np.cumsum(np.square(signal, dtype=np.float64))))
    energy: FloatArray = np.maximum(squares[length:] - squares[:-length], 0.0).astype(np.float32)
    return energy


def _overlap_add(
    xp: FloatArray, positions: npt.NDArray[np.int64], frame: int, hop: int, out_len: int
) -> FloatArray:
    """Window the chosen frames and add them one hop apart (periodic Hann at 50% sums to one).

    Even frames tile the output end to end, and so do odd frames one hop later, so the whole
    overlap-add is two reshapes instead of a loop.
    """
    window = (0.5 - 0.5 * np.cos(2.0 * np.pi * np.arange(frame) / frame)).astype(np.float32)
    frames = sliding_window_view(xp, frame)[positions] * window
    out = np.zeros((positions.size + 1) * hop, dtype=np.float32)
    even = frames[0::2].reshape(-1)
    odd = frames[1::2].reshape(-1)
    out[: even.size] += even
    out[hop : hop + odd.size] += odd
    return np.ascontiguousarray(out[hop : hop + out_len])
