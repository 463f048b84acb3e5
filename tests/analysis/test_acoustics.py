"""Acoustic measures: exact on synthetic signals, and against Praat and the references on real speech."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
import soundfile

from closer_desktop.analysis.acoustics import (
    find_speech,
    measure,
)
from closer_desktop.analysis.audio_input import load_audio
from closer_desktop.domain.delivery import LONG_PAUSE_S

RATE = 16000


def tone(seconds: float, amplitude: float = 0.3, freq: float = 180.0) -> npt.NDArray[np.float32]:
    """A voiced-like signal: a fundamental with harmonics and a gentle vibrato (pitch moves)."""
    t = np.arange(round(seconds * RATE)) / RATE
    f = freq * (1 + 0.1 * np.sin(2 * np.pi * 1.5 * t))
    phase = 2 * np.pi * np.cumsum(f) / RATE
    wave: npt.NDArray[np.float64] = np.zeros_like(phase)
    for k in range(1, 6):
        wave += np.sin(k * phase) / k
    scaled: npt.NDArray[np.float32] = (amplitude * wave / np.max(np.abs(wave))).astype(np.float32)
    return scaled


def silence(seconds: float, noise: float = 0.0005) -> npt.NDArray[np.float32]:
    rng = np.random.default_rng(1)
    return (noise * rng.standard_normal(round(seconds * RATE))).astype(np.float32)


def test_pauses_are_found_where_the_silences_are() -> None:
    parts = [silence(0.5), tone(1.0), silence(0.4), tone(0.8), silence(3.0), tone(1.2)]
    parts += [silence(0.2), tone(0.5), silence(0.6)]
    result = measure(np.concatenate(parts), RATE)
    # Leading and trailing silence are not pauses; 0.2 s is too short to count.
    assert [(p.start_s, p.end_s) for p in result.pauses] == [
        pytest.approx((1.5, 1.9), abs=0.03),
        pytest.approx((2.7, 5.7), abs=0.03),
    ]
    assert result.longest_pause_s == pytest.approx(3.0, abs=0.05)
    assert result.longest_pause_s >= LONG_PAUSE_S
    # Each edge may reach into the silence by up to half a window (15 ms).
    assert result.speaking_time_s == pytest.approx(1.0 + 0.8 + 1.2 + 0.2 + 0.5, abs=0.1)
    assert result.duration_s == pytest.approx(8.2)


def test_a_click_in_a_pause_does_not_split_it() -> None:
    click = np.zeros(round(0.02 * RATE), np.float32)
    click[::20] = 0.5
    parts = [tone(1.0), silence(0.6), click, silence(0.6), tone(1.0)]
    pauses = measure(np.concatenate(parts), RATE, pitch=False).pauses
    assert len(pauses) == 1
    assert pauses[0].duration_s == pytest.approx(1.22, abs=0.03)


def test_speech_is_found_at_any_recording_level() -> None:
    for gain in (1.0, 0.01):
        parts = [silence(0.3, 0.0005 * gain), tone(1.0, 0.3 * gain), silence(1.0, 0.0005 * gain)]
        speech = find_speech(np.concatenate(parts), RATE)
        assert [(s.start_s, s.end_s) for s in speech] == [pytest.approx((0.3, 1.3), abs=0.03)]


def test_levels_peak_and_clipping() -> None:
    quiet = measure(np.concatenate([silence(0.5), tone(2.0, 0.01)]), RATE, pitch=False)
    assert quiet.peak_dbfs == pytest.approx(-40.0, abs=0.1)
    assert quiet.speech_level_dbfs is not None and quiet.speech_level_dbfs < -40.0
    assert quiet.clipped_fraction == 0.0

    t = np.arange(RATE) / RATE
    hot = np.clip(1.5 * np.sin(2 * np.pi * 200 * t), -1.0, 1.0).astype(np.float32)
    result = measure(hot, RATE, pitch=False)
    assert result.peak_dbfs == pytest.approx(0.0, abs=0.01)
    # 1.5 sin(x) >= 0.999 for |sin x| >= 0.666: 46.4 % of the time.
    expected = 1 - 2 * math.asin(0.999 / 1.5) / math.pi
    assert result.clipped_fraction == pytest.approx(expected, abs=0.02)
    sine_rms = 20 * math.log10(0.5 / math.sqrt(2))
    assert measure(0.5 * np.sin(2 * np.pi * 200 * t), RATE).speech_level_dbfs == pytest.approx(
        sine_rms, abs=0.05
    )


def test_stereo_clipping_in_one_channel_counts() -> None:
    left = tone(1.0, 0.2)
    right = left.copy()
    right[1000:1100] = 1.0
    result = measure(np.stack([left, right], axis=1), RATE, pitch=False)
    assert result.peak_dbfs == 0.0
    assert result.clipped_fraction == pytest.approx(100 / RATE)


def test_silence_has_no_speech_no_levels_and_no_pitch() -> None:
    result = measure(np.zeros(RATE * 2, np.float32), RATE)
    assert result.speech == () and result.pauses == ()
    assert result.speech_level_dbfs is None and result.peak_dbfs is None
    assert result.pitch_spread_semitones is None
    assert measure(np.zeros(10, np.float32), RATE).speech == ()  # shorter than one window


def test_pitch_spread_of_a_steady_and_a_moving_voice() -> None:
    steady = measure(np.concatenate([silence(0.2), tone(2.0, freq=150.0)]), RATE)
    assert steady.pitch_spread_semitones is not None
    t = np.arange(2 * RATE) / RATE
    # A glide over an octave: uniform in semitones, so the spread is 12 / sqrt(12) = 3.46.
    f = 110 * 2 ** (t / 2)
    glide = np.sin(2 * np.pi * np.cumsum(f) / RATE).astype(np.float32) * 0.3
    moving = measure(glide, RATE).pitch_spread_semitones
    assert moving == pytest.approx(12 / math.sqrt(12), abs=0.3)
    # The vibrato of the steady tone is +-10 %: about 1.2 semitones of spread.
    assert steady.pitch_spread_semitones == pytest.approx(1.2, abs=0.3)


# --- real speech: ../shared/data/speech/jfk.flac and its README's reference figures -------------

JFK_PAUSES = [(2.0, 3.3), (4.3, 5.4), (7.5, 8.2)]  # the README's internal pauses of >= 0.3 s
JFK_OPTIONAL_PAUSE = (10.2, 10.8)  # Praat marks it at -25 dB; the numpy detector may, in part


def test_jfk_pauses_match_the_reference(speech_dir: Path) -> None:
    data, rate = load_audio(speech_dir / "jfk.flac")
    result = measure(data, rate)
    found = [(p.start_s, p.end_s) for p in result.pauses]
    for start, end in JFK_PAUSES:
        assert any(abs(a - start) <= 0.15 and abs(b - end) <= 0.15 for a, b in found), found
    extra = [p for p in found if not any(abs(p[0] - s) <= 0.15 for s, _ in JFK_PAUSES)]
    low, high = JFK_OPTIONAL_PAUSE
    assert all(low - 0.15 <= a and b <= high + 0.15 for a, b in extra), extra
    assert result.speaking_time_s == pytest.approx(7.25, abs=0.55)


def test_jfk_levels_match_the_reference(speech_dir: Path) -> None:
    data, rate = load_audio(speech_dir / "jfk.flac")
    result = measure(data, rate, pitch=False)
    assert result.peak_dbfs == pytest.approx(-2.1, abs=0.2)
    assert result.clipped_fraction == 0.0
    # The README's -16.9 dBFS is over the whole file; over speech alone it is louder.
    assert result.speech_level_dbfs is not None
    assert -16.9 < result.speech_level_dbfs < -13.0


def test_jfk_pitch_spread_within_a_semitone_of_praat(speech_dir: Path) -> None:
    import parselmouth

    data, rate = load_audio(speech_dir / "jfk.flac")
    # Praat itself, defaults, over the whole file (stereo is averaged, as Praat's reader does).
    f0 = parselmouth.Sound(str(speech_dir / "jfk.flac")).to_pitch().selected_array["frequency"]
    praat = float(np.std(12 * np.log2(f0[f0 > 0])))
    ours = measure(data, rate).pitch_spread_semitones
    assert ours is not None
    assert abs(ours - praat) <= 1.0, (ours, praat)
    assert abs(ours - 3.3) <= 1.0  # the README's figure


def test_sixty_seconds_from_a_file_find_every_pause(tmp_path: Path) -> None:
    # (How fast: bench/analysis.py prints it; no timing is asserted here.)
    rng = np.random.default_rng(2)
    parts: list[np.ndarray] = []
    silences: list[float] = []
    while sum(len(p) for p in parts) < 60 * RATE:
        gap = float(rng.uniform(0.1, 2))
        parts += [tone(rng.uniform(1, 4), freq=rng.uniform(100, 220)), silence(gap)]
        silences.append(gap)
    path = tmp_path / "long.wav"
    soundfile.write(path, np.concatenate(parts), RATE)
    data, rate = load_audio(path)
    result = measure(data, rate)
    inner = [g for g in silences[:-1] if g >= 0.4]  # clear of MIN_PAUSE_S (0.3 s)
    assert len(result.pauses) >= len(inner)
    assert len(result.pauses) <= len([g for g in silences[:-1] if g >= 0.2])
    assert result.duration_s == pytest.approx(sum(len(p) for p in parts) / RATE)
