"""Reading any audio file for analysis (WAV, FLAC, OGG, ... through libsndfile), and resampling.

Errors the user can act on (missing, empty, not audio) come out as `AnalysisInputError` with a
one-line message naming the file. No Qt here.
"""

from __future__ import annotations

import math
import stat
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float32]


class AnalysisInputError(Exception):
    """The file cannot be analysed: missing, unreadable, not audio, or holding no samples."""


def load_audio(path: Path) -> tuple[FloatArray, int]:
    """The file's samples as float32 (frames, channels), full scale 1.0, and its sample rate."""
    import soundfile

    check_regular_file(path)
    try:
        data, rate = soundfile.read(path, dtype="float32", always_2d=True)
    except soundfile.LibsndfileError as exc:
        raise AnalysisInputError(f"{path} is not an audio file Closer can read ({exc})") from exc
    except (OSError, RuntimeError, ValueError, TypeError) as exc:
        raise AnalysisInputError(f"{path} cannot be read: {exc}") from exc
    if data.shape[0] == 0 or data.shape[1] == 0:
        raise AnalysisInputError(f"{path} holds no audio (zero samples)")
    if not np.isfinite(data).all():
        data = np.nan_to_num(data, nan=0.0, posinf=1.0, neginf=-1.0)
    return data, int(rate)


def check_regular_file(path: Path) -> None:
    """Refuse anything but a regular file before opening it: a FIFO would block the reader
    for ever and a device (/dev/zero) never ends."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise AnalysisInputError(f"{path} does not exist") from None
    except OSError as exc:
        raise AnalysisInputError(f"{path} cannot be read: {exc.strerror or exc}") from exc
    if stat.S_ISDIR(mode):
        raise AnalysisInputError(f"{path} is a folder, not an audio file")
    if not stat.S_ISREG(mode):
        kind = "a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a device or socket"
        raise AnalysisInputError(f"{path} is {kind}, not an audio file")


def to_mono(data: npt.NDArray[Any]) -> FloatArray:
    """The mean of the channels, as one contiguous float32 array."""
    if data.ndim == 1:
        return np.ascontiguousarray(data, dtype=np.float32)
    if data.shape[1] == 1:
        return np.ascontiguousarray(data[:, 0], dtype=np.float32)
    total = np.zeros(data.shape[0], dtype=np.float32)
    for c in range(data.shape[1]):
        total += data[:, c]
    return total / np.float32(data.shape[1])


def resample(mono: FloatArray, rate: int, target: int) -> FloatArray:
    """`mono` at `target` Hz, band-limited through the FFT (exact ratio, any pair of rates).

    The signal is zero-padded to a length whose FFT is fast and whose resampled length is whole,
    so a 60 s take at 48 kHz takes a few tens of milliseconds.
    """
    if rate == target or len(mono) == 0:
        return np.ascontiguousarray(mono, dtype=np.float32)
    g = math.gcd(rate, target)
    up, down = target // g, rate // g
    padded = down * _smooth_at_least(-(-len(mono) // down))
    out_len = padded // down * up
    spectrum = np.fft.rfft(mono.astype(np.float64), padded)
    bins = out_len // 2 + 1
    if bins <= len(spectrum):
        spectrum = spectrum[:bins]
    else:
        spectrum = np.concatenate((spectrum, np.zeros(bins - len(spectrum), spectrum.dtype)))
    result = np.fft.irfft(spectrum, out_len) * (out_len / padded)
    keep = round(len(mono) * up / down)
    return result[:keep].astype(np.float32)


def _smooth_at_least(n: int) -> int:
    """The smallest number >= n whose prime factors are all 2, 3, 5 or 7 (fast FFT sizes)."""
    best = 1 << max(0, (n - 1).bit_length())
    p7 = 1
    while p7 < best:
        p5 = p7
        while p5 < best:
            p3 = p5
            while p3 < best:
                candidate = p3 << max(0, (-(-n // p3) - 1).bit_length())
                best = min(best, candidate)
                p3 *= 3
            p5 *= 5
        p7 *= 7
    return best
