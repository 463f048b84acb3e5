"""Time stretching for slow/fast review: right length, same pitch, same loudness, clean splices."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from closer_desktop.audio.player import read_audio
from closer_desktop.audio.stretch import time_stretch

RATE = 44100
SPEEDS = (0.75, 1.25, 1.5)
FRAME = round(0.035 * RATE)  # one analysis frame: the length tolerance the contract allows

Signal = npt.NDArray[np.float32]


def tone(freqs: tuple[float, ...], amps: tuple[float, ...], seconds: float = 2.0) -> Signal:
    t = np.arange(round(seconds * RATE)) / RATE
    wave = sum(
        a * np.sin(2 * np.pi * f * t + 0.3 * i)
        for i, (f, a) in enumerate(zip(freqs, amps, strict=True))
    )
    return np.asarray(wave, dtype=np.float32)


def spectrum(x: Signal) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Power spectrum of the middle of `x` (edges cut), zero-padded for a fine frequency grid."""
    middle = x[RATE // 10 : -RATE // 10].astype(np.float64)
    n = 8 * middle.size
    power = np.abs(np.fft.rfft(middle * np.hanning(middle.size), n)) ** 2
    freqs = np.asarray(np.fft.rfftfreq(n, 1 / RATE), dtype=np.float64)
    return freqs, np.asarray(power, dtype=np.float64)


def rms(x: Signal) -> float:
    return float(np.sqrt(np.mean(np.square(x, dtype=np.float64))))


@pytest.mark.parametrize("speed", SPEEDS)
def test_length_follows_speed(speed: float) -> None:
    x = tone((220.0,), (0.5,), seconds=3.0)
    y = time_stretch(x, RATE, speed)
    assert y.dtype == np.float32
    assert y.ndim == 1
    assert abs(len(y) - len(x) / speed) <= FRAME
    assert len(y) == round(len(x) / speed)  # exact, so positions map linearly


@pytest.mark.parametrize("speed", SPEEDS)
@pytest.mark.parametrize(
    ("freqs", "amps"),
    [((220.0,), (0.5,)), ((220.0, 660.0), (0.4, 0.2))],
    ids=["sine", "two-harmonics"],
)
def test_pitch_loudness_and_splices(
    speed: float, freqs: tuple[float, ...], amps: tuple[float, ...]
) -> None:
    x = tone(freqs, amps)
    y = time_stretch(x, RATE, speed)
    assert np.all(np.isfinite(y))

    f, power = spectrum(y)
    assert f[np.argmax(power)] == pytest.approx(220.0, rel=0.02)  # the dominant pitch is kept
    if len(freqs) > 1:
        upper = f > 440.0
        assert f[upper][np.argmax(power[upper])] == pytest.approx(660.0, rel=0.02)

    assert rms(y) == pytest.approx(rms(x), rel=0.2)

    # Splices land in phase: almost no energy away from the input's partials. Overlap-adding
    # frames without the similarity search leaves -28 to -35 dB here; WSOLA stays near -50 dB.
    near_partial = np.zeros(f.size, dtype=bool)
    for freq in freqs:
        near_partial |= np.abs(f - freq) < 10.0
    leak_db = 10 * np.log10(power[~near_partial].sum() / power.sum())
    assert leak_db < -40.0


def test_silence_stays_silent() -> None:
    y = time_stretch(np.zeros(RATE, dtype=np.float32), RATE, 0.75)
    assert len(y) == round(RATE / 0.75)
    assert np.all(np.isfinite(y))
    assert not np.any(y)


def test_speed_one_is_an_unchanged_copy() -> None:
    x = tone((220.0,), (0.5,), seconds=0.5)
    y = time_stretch(x, RATE, 1.0)
    assert y is not x
    np.testing.assert_array_equal(y, x)


def test_short_and_empty_takes() -> None:
    assert time_stretch(np.zeros(0, dtype=np.float32), RATE, 1.5).size == 0
    blip = tone((220.0,), (0.5,), seconds=0.01)  # shorter than one frame
    y = time_stretch(blip, RATE, 0.75)
    assert len(y) == round(len(blip) / 0.75)
    assert np.all(np.isfinite(y))


@pytest.mark.parametrize("speed", [0.49, 2.01, 0.0, -1.0, float("nan"), float("inf")])
def test_rejects_speeds_outside_the_range(speed: float) -> None:
    with pytest.raises(ValueError, match="speed"):
        time_stretch(np.zeros(100, dtype=np.float32), RATE, speed)


def test_rejects_non_mono_input() -> None:
    with pytest.raises(ValueError, match="mono"):
        time_stretch(np.zeros((100, 2), dtype=np.float32), RATE, 1.25)


def mean_spectrum(x: Signal) -> npt.NDArray[np.float64]:
    """Average magnitude spectrum over 2048-sample Hann frames: the take's spectral envelope."""
    frames = np.lib.stride_tricks.sliding_window_view(x, 2048)[::512].astype(np.float64)
    mags = np.abs(np.fft.rfft(frames * np.hanning(2048), axis=1))
    return np.asarray(mags.mean(axis=0), dtype=np.float64)


def envelope(x: Signal, rate: int, centres_s: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """RMS over 50 ms around each of `centres_s` (seconds)."""
    half = int(0.025 * rate)
    starts = np.clip((centres_s * rate).astype(int) - half, 0, len(x) - 2 * half)
    windows = np.lib.stride_tricks.sliding_window_view(x, 2 * half)[starts].astype(np.float64)
    return np.asarray(np.sqrt(np.mean(windows**2, axis=1)), dtype=np.float64)


@pytest.mark.parametrize("speed", [0.75, 1.5])
def test_real_speech(speech_dir: Path, speed: float) -> None:
    x, rate = read_audio(speech_dir / "jfk.flac")
    y = time_stretch(x, rate, speed)

    assert abs(len(y) - len(x) / speed) <= round(0.035 * rate)
    assert np.all(np.isfinite(y))
    assert rms(y) == pytest.approx(rms(x), rel=0.2)

    # Same voice: the spectral envelope is kept.
    similarity = np.corrcoef(mean_spectrum(x), mean_spectrum(y))[0, 1]
    assert similarity > 0.9

    # Same timing, scaled: words and pauses sit at original time / speed, which is what lets the
    # player map positions linearly between the original and the stretched copy.
    centres = np.arange(0.1, len(x) / rate - 0.1, 0.05)
    timing = np.corrcoef(envelope(x, rate, centres), envelope(y, rate, centres / speed))[0, 1]
    assert timing > 0.9
