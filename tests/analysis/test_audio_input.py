"""Reading audio for analysis: any format libsndfile reads, clear errors, exact resampling."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile

from closer_desktop.analysis.audio_input import (
    AnalysisInputError,
    load_audio,
    resample,
    to_mono,
)


@pytest.mark.parametrize(("fmt", "subtype"), [("WAV", "PCM_16"), ("FLAC", "PCM_24"), ("OGG", None)])
def test_formats_rates_and_channels(tmp_path: Path, fmt: str, subtype: str | None) -> None:
    rate = 22050
    t = np.arange(rate) / rate
    stereo = np.stack([0.5 * np.sin(2 * np.pi * 220 * t), 0.25 * np.sin(2 * np.pi * 220 * t)], 1)
    path = tmp_path / f"take.{fmt.lower()}"
    soundfile.write(path, stereo, rate, format=fmt, subtype=subtype)
    data, got_rate = load_audio(path)
    assert got_rate == rate and data.shape == (rate, 2) and data.dtype == np.float32
    mono = to_mono(data)
    assert float(np.max(np.abs(mono))) == pytest.approx(0.375, abs=0.02)


def test_problems_are_one_clear_line(tmp_path: Path) -> None:
    with pytest.raises(AnalysisInputError, match="does not exist"):
        load_audio(tmp_path / "missing.wav")
    with pytest.raises(AnalysisInputError, match="is a folder"):
        load_audio(tmp_path)
    text = tmp_path / "notes.wav"
    text.write_text("not audio at all")
    with pytest.raises(AnalysisInputError, match="not an audio file"):
        load_audio(text)
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    with pytest.raises(AnalysisInputError, match="not an audio file"):
        load_audio(empty)
    silent = tmp_path / "zero-samples.wav"
    soundfile.write(silent, np.zeros(0, np.float32), 16000)
    with pytest.raises(AnalysisInputError, match="holds no audio"):
        load_audio(silent)


@pytest.mark.parametrize(("rate", "target"), [(44100, 16000), (48000, 16000), (8000, 16000)])
def test_resample_keeps_a_tone_and_the_length(rate: int, target: int) -> None:
    seconds = 1.37
    t = np.arange(round(seconds * rate)) / rate
    tone = np.sin(2 * np.pi * 440 * t).astype(np.float32)
    out = resample(tone, rate, target)
    assert len(out) == round(seconds * target)
    expected = np.sin(2 * np.pi * 440 * np.arange(len(out)) / target)
    middle = slice(target // 10, -target // 10)  # the FFT method wraps at the very ends
    assert np.max(np.abs(out[middle] - expected[middle])) < 1e-3


def test_resample_removes_what_the_new_rate_cannot_hold() -> None:
    rate = 48000
    t = np.arange(rate) / rate
    high = np.sin(2 * np.pi * 12000 * t).astype(np.float32)  # above 16 kHz's 8 kHz limit
    assert np.max(np.abs(resample(high, rate, 16000))) < 1e-3
    same = np.ones(5, np.float32)
    assert np.array_equal(resample(same, 16000, 16000), same)
