"""Signal-processing helpers for checking recordings against what was played."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import soundfile


def read_mono(path: Path, rate: int | None = None) -> tuple[np.ndarray, int]:
    """A file as mono float64, resampled with sox to `rate` when given."""
    if rate is not None and soundfile.info(str(path)).samplerate != rate:
        resampled = path.with_name(f"{path.stem}-{rate}.wav")
        subprocess.run(["sox", str(path), "-r", str(rate), "-c", "1", str(resampled)], check=True)
        path = resampled
    data, actual = soundfile.read(str(path), dtype="float64", always_2d=True)
    return data.mean(axis=1), int(actual)


def best_alignment_ncc(recording: np.ndarray, reference: np.ndarray) -> float:
    """Normalised cross-correlation of `reference` with `recording` at the best lag (1.0 = identical)."""
    n = len(recording) + len(reference)
    size = 1 << (n - 1).bit_length()
    spectrum = np.fft.rfft(recording, size) * np.conj(np.fft.rfft(reference, size))
    xcorr = np.fft.irfft(spectrum, size)
    lag = int(np.argmax(xcorr[: len(recording)]))
    segment = recording[lag : lag + len(reference)]
    ref = reference[: len(segment)]
    denominator = np.sqrt(np.sum(segment**2) * np.sum(ref**2))
    return float(np.dot(segment, ref) / denominator) if denominator else 0.0


def rms_dbfs(samples: np.ndarray) -> float:
    rms = float(np.sqrt(np.mean(samples**2))) if len(samples) else 0.0
    return 20 * np.log10(rms) if rms > 0 else -120.0
