"""Metrics: the JSON contract, hints at their thresholds, and the path without speech recognition."""

from __future__ import annotations

import json

import numpy as np
import pytest

from closer_desktop.analysis import metrics as metrics_module
from closer_desktop.analysis.acoustics import Interval
from closer_desktop.analysis.fillers import Filler
from closer_desktop.analysis.metrics import ANALYSER_VERSION, Metrics, analyse, describe
from closer_desktop.analysis.transcribe import ENABLE_HINT, Word

REQUIRED_KEYS = {
    "duration_s",
    "speaking_time_s",
    "pauses",
    "longest_pause_s",
    "speech_level_dbfs",
    "peak_dbfs",
    "clipped_fraction",
    "pitch_spread_semitones",
    "words_per_minute",
    "transcript",
    "words",
    "fillers",
}


def sample(**changes: object) -> Metrics:
    base: dict[str, object] = {
        "duration_s": 12.0,
        "speaking_time_s": 6.0,
        "pauses": (Interval(2.0, 3.0), Interval(5.0, 8.0)),
        "speech_level_dbfs": -18.0,
        "peak_dbfs": -3.0,
        "clipped_fraction": 0.0,
        "pitch_spread_semitones": 3.1,
        "transcript": "Um, I, I think so.",
        "words": (
            Word("Um,", 0.5, 0.7),
            Word("I,", 1.0, 1.1),
            Word("I", 1.2, 1.3),
            Word("think", 1.4, 1.6),
            Word("so.", 1.7, 1.9),
        ),
        "fillers": (Filler("um", 0.5), Filler("I, I", 1.0)),
    }
    base.update(changes)
    return Metrics(**base)  # type: ignore[arg-type]


def test_json_has_the_contracted_keys_and_round_trips() -> None:
    data = sample().to_json()
    assert set(data) >= REQUIRED_KEYS
    assert data["analyser_version"] == ANALYSER_VERSION
    assert data["pauses"] == [{"start_s": 2.0, "end_s": 3.0}, {"start_s": 5.0, "end_s": 8.0}]
    assert data["longest_pause_s"] == 3.0 and data["long_pause_count"] == 1
    assert data["words"][0] == {"word": "Um,", "start_s": 0.5, "end_s": 0.7}
    assert data["fillers"] == [{"word": "um", "start_s": 0.5}, {"word": "I, I", "start_s": 1.0}]
    # Four words said ("um" is not one), from 0.5 s to 1.9 s: 171 a minute; over 6 s of
    # speaking (pauses left out, the articulation rate): 40.
    assert data["words_per_minute"] == 171.4
    assert data["articulation_rate_wpm"] == 40.0
    assert Metrics.from_json(json.loads(json.dumps(data))) == sample()


def test_hints_at_their_thresholds() -> None:
    # Four words are too few to judge a pace by.
    assert {h.kind for h in sample().hints()} == {"long_pause"}
    ten = tuple(Word("word", i * 0.3, i * 0.3 + 0.2) for i in range(10))  # 207 a minute
    spaced = tuple(Word("word", i * 0.8, i * 0.8 + 0.2) for i in range(10))
    slow = sample(words=spaced, speaking_time_s=2.0)  # 10 words in 7.4 s: 81 a minute
    assert {h.kind for h in slow.hints()} == {"long_pause", "too_slow"}
    loud_and_flat = sample(
        clipped_fraction=0.01,
        pitch_spread_semitones=1.5,
        pauses=(),
        speaking_time_s=3.0,
        words=ten,
    )
    assert {h.kind for h in loud_and_flat.hints()} == {"clipping", "monotone", "too_fast"}
    assert [h.kind for h in sample(speech_level_dbfs=-45.0, pauses=()).hints()] == ["too_quiet"]
    # No transcript: no pace hint, whatever the timing.
    assert sample(transcript=None, words=ten, pauses=()).hints() == []


def test_pausing_more_slows_the_pace() -> None:
    """Pace is judged over the elapsed time, pauses included: the same words said as fast,
    with a pause between points, clear the "fast" hint (it never did over speaking time)."""
    fast = tuple(Word("word", i * 0.3, i * 0.3 + 0.25) for i in range(12))  # 3.55 s: 203
    paused = fast[:6] + tuple(Word(w.text, w.start_s + 1.5, w.end_s + 1.5) for w in fast[6:])
    rushed, calmer = sample(words=fast, pauses=()), sample(words=paused, pauses=())
    assert "too_fast" in {h.kind for h in rushed.hints()}
    assert calmer.words_per_minute is not None and calmer.words_per_minute < 165
    assert "too_fast" not in {h.kind for h in calmer.hints()}
    assert rushed.articulation_rate_wpm == calmer.articulation_rate_wpm  # the words, unchanged


def test_describe_reads_as_plain_text() -> None:
    text = describe(sample(), "take.wav")
    assert text.splitlines()[0] == "take.wav: 12.0 s, speaking 6.0 s"
    assert "pauses: 2 of 0.3 s or more, longest 3.0 s, 1 of 2.5 s or more" in text
    assert "fillers: 2: um (0.5 s), I, I (1.0 s)" in text
    assert "transcript: Um, I, I think so." in text
    no_speech = describe(sample(transcript=None, transcript_note=ENABLE_HINT), "x.wav")
    assert f"transcript: {ENABLE_HINT}" in no_speech and "closer-desktop[speech]" in no_speech


def test_without_speech_recognition_the_acoustics_still_come(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(metrics_module, "speech_unavailable", lambda: ENABLE_HINT)
    rate = 16000
    t = np.arange(rate) / rate
    tone = (0.3 * np.sin(2 * np.pi * 200 * t)).astype(np.float32)
    result = analyse(np.concatenate([tone, np.zeros(rate // 2, np.float32), tone]), rate)
    assert result.transcript is None and result.transcript_note == ENABLE_HINT
    assert len(result.pauses) == 1 and result.speech_level_dbfs is not None
    data = result.to_json()
    assert data["transcribed"] is False and data["transcript"] == ""
    assert data["words_per_minute"] is None and data["words"] == [] and data["fillers"] == []
    assert Metrics.from_json(data).transcript is None
