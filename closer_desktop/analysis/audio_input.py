"""Reading any audio file for analysis (WAV, FLAC, OGG, ... through libsndfile), and resampling.

Errors the user can act on (missing, empty, not audio) come out as `AnalysisInputError` with a
one-line message naming the file. No Qt here.

A file is analysed as its mono mix (`read_mono`), read BLOCK_S seconds at a time: an hour-long
file needs its mix in memory (4 bytes a frame) and one block, never all of its channels at once.
"""

from __future__ import annotations

import math
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float32]

BLOCK_S = 60.0  # a long file is read, measured and resampled this many seconds at a time
RESAMPLE_MARGIN_S = 1.0  # audio either side of a block resampled with it (FFT edge effects)


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


@dataclass(frozen=True)
class Decoded:
    """A take reduced to what its analysis needs: the mono mix, and the figures of its channels
    that the mix would hide (one channel at full scale, the loudest sample)."""

    mono: FloatArray
    rate: int
    peak: float  # the largest magnitude of any sample of any channel
    clipped_frames: int  # frames with some channel at CLIP_LEVEL or beyond


def decode_array(channels: npt.NDArray[np.floating[Any]], rate: int) -> Decoded:
    """Samples already in memory, (frames, channels) or (frames,), as a Decoded."""
    data = np.asarray(channels, dtype=np.float32)
    if data.ndim == 1:
        data = data[:, np.newaxis]
    peak, clipped = _peak_and_clipped(data)
    return Decoded(to_mono(data), rate, peak, clipped)


def read_mono(path: Path, block_s: float = BLOCK_S) -> Decoded:
    """The file's mono mix and channel figures, read `block_s` seconds at a time: the same
    numbers as `decode_array(*load_audio(path))` without holding every channel of it."""
    import soundfile

    check_regular_file(path)
    try:
        with soundfile.SoundFile(path) as audio:
            rate = int(audio.samplerate)
            block = max(1, round(block_s * rate))
            expected = int(audio.frames)
            try:  # allocated once: joining blocks at the end would hold the mix twice
                mono = np.empty(expected if 0 <= expected < 2**62 else 0, dtype=np.float32)
            except MemoryError:
                hours = expected / rate / 3600
                raise AnalysisInputError(
                    f"{path} is too long to analyse ({hours:,.1f} hours of audio)"
                ) from None
            beyond: list[FloatArray] = []  # frames past the header's count (a FLAC cut short)
            filled, peak, clipped = 0, 0.0, 0
            while len(data := audio.read(block, dtype="float32", always_2d=True)):
                if not np.isfinite(data).all():
                    data = np.nan_to_num(data, nan=0.0, posinf=1.0, neginf=-1.0)
                block_peak, block_clipped = _peak_and_clipped(data)
                peak, clipped = max(peak, block_peak), clipped + block_clipped
                part = to_mono(data)
                room = max(0, len(mono) - filled)
                mono[filled : filled + min(room, len(part))] = part[:room]
                if len(part) > room:
                    beyond.append(part[room:])
                filled += len(part)
    except soundfile.LibsndfileError as exc:
        raise AnalysisInputError(f"{path} is not an audio file Closer can read ({exc})") from exc
    except (OSError, RuntimeError, ValueError, TypeError) as exc:
        raise AnalysisInputError(f"{path} cannot be read: {exc}") from exc
    if filled == 0:
        raise AnalysisInputError(f"{path} holds no audio (zero samples)")
    mono = np.concatenate((mono, *beyond)) if beyond else mono[:filled]
    return Decoded(mono, rate, peak, clipped)


def _peak_and_clipped(data: FloatArray) -> tuple[float, int]:
    """The largest magnitude in (frames, channels), and how many frames have a clipped channel."""
    from closer_desktop.audio.levels import CLIP_LEVEL

    peak = 0.0
    clipped = np.zeros(len(data), dtype=np.bool_)
    for c in range(data.shape[1]):
        magnitude = np.abs(data[:, c])
        peak = max(peak, float(magnitude.max(initial=0.0)))
        clipped |= magnitude >= CLIP_LEVEL
    return peak, int(np.count_nonzero(clipped))


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


def resample(mono: FloatArray, rate: int, target: int, block_s: float = BLOCK_S) -> FloatArray:
    """`mono` at `target` Hz, band-limited through the FFT (exact ratio, any pair of rates).

    The signal is zero-padded to a length whose FFT is fast and whose resampled length is whole,
    so a 60 s take at 48 kHz takes a few tens of milliseconds. Longer signals are resampled
    `block_s` seconds at a time.
    """
    if rate == target or len(mono) == 0:
        return np.ascontiguousarray(mono, dtype=np.float32)
    g = math.gcd(rate, target)
    up, down = target // g, rate // g
    block = down * max(1, round(block_s * rate / down))
    if len(mono) > block:
        margin = down * max(1, math.ceil(RESAMPLE_MARGIN_S * rate / down))
        return _resample_blocks(mono, up, down, block, margin)
    return _resample_whole(mono, up, down)


def _resample_whole(mono: FloatArray, up: int, down: int) -> FloatArray:
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


def _resample_blocks(mono: FloatArray, up: int, down: int, block: int, margin: int) -> FloatArray:
    """`resample` of a long signal a block at a time, each with RESAMPLE_MARGIN_S of its
    neighbours on either side so that the FFT's wrap-around falls outside what is kept: memory
    for one block rather than the whole signal in complex float64. Blocks and margins are
    whole multiples of `down`, so every kept output sample is at the same time as in one piece.
    """
    total = round(len(mono) * up / down)
    out = np.empty(total, dtype=np.float32)
    for start in range(0, len(mono), block):
        lo = max(0, start - margin)
        part = _resample_whole(mono[lo : min(len(mono), start + block + margin)], up, down)
        first, last = start // down * up, min(total, (start + block) // down * up)
        skip = (start - lo) // down * up
        out[first:last] = part[skip : skip + last - first]
    return out


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
