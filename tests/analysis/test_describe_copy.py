"""`closer analyze`'s text (metrics.describe): a peak just under full scale reads "0.0 dBFS",
never "-0.0", and a pace reads as every page shows it."""

from __future__ import annotations

from closer_desktop.analysis.metrics import Metrics, describe
from closer_desktop.analysis.transcribe import Word


def test_a_peak_at_full_scale_is_never_minus_zero() -> None:
    words = tuple(Word("word", i * 0.3138, i * 0.3138 + 0.2) for i in range(9))
    words += (Word("word", 2.7, 2.824),)  # 212.46 words a minute, stored as 212.5
    metrics = Metrics(
        duration_s=3.0,
        speaking_time_s=2.8,
        pauses=(),
        speech_level_dbfs=-20.0,
        peak_dbfs=-0.04,
        clipped_fraction=0.0,
        pitch_spread_semitones=4.0,
        transcript=" ".join(w.text for w in words),
        words=words,
    )
    text = describe(metrics, "take.wav")
    assert "peak 0.0 dBFS" in text and "-0.0" not in text
    assert "pace: 213 words a minute" in text
    assert "hint: 213 words a minute, pauses included: much too fast" in text
