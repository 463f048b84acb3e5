"""The delivery hint bands and their rules: plain values, each edge on the side the hint names."""

from __future__ import annotations

import subprocess
import sys

import pytest

from closer_desktop.domain.delivery import (
    LONG_PAUSE_S,
    MONOTONE_SEMITONES,
    PACE_WPM,
    Delivery,
    is_long_pause,
    is_monotone,
    judge_pace,
    pace_outside,
)


@pytest.mark.parametrize(
    ("wpm", "judged"),
    [(99.4, "slow"), (100.0, "comfortable"), (165.0, "comfortable"), (165.5, "fast")],
)
def test_pace_band_ends_are_comfortable(wpm: float, judged: str) -> None:
    assert PACE_WPM == (100.0, 165.0)
    assert judge_pace(wpm) == judged
    assert pace_outside(wpm) is (judged != "comfortable")


def test_figures_not_measured_are_never_flagged() -> None:
    assert not pace_outside(None)
    assert not is_monotone(None)
    assert not is_long_pause(None)
    assert Delivery() == Delivery(None, None, None, None)
    nothing = Delivery()
    assert not (nothing.pace_outside or nothing.monotone or nothing.long_pause)


def test_monotone_is_strictly_under_the_threshold() -> None:
    assert is_monotone(MONOTONE_SEMITONES - 0.01)
    assert not is_monotone(MONOTONE_SEMITONES)


def test_a_pause_of_exactly_the_threshold_is_long_even_as_a_difference() -> None:
    assert is_long_pause(LONG_PAUSE_S)
    assert LONG_PAUSE_S > 4.1 - 1.6  # binary floating point: 2.4999999999999996
    assert is_long_pause(4.1 - 1.6)
    assert not is_long_pause(LONG_PAUSE_S - 0.001)


def test_delivery_from_a_metrics_dict() -> None:
    metrics = {
        "transcribed": True,
        "words_per_minute": 182,
        # a pace is read over MIN_WORDS_FOR_PACE words or more, as the feedback tile reads it
        "words": [{"word": "word", "start_s": i * 0.3, "end_s": i * 0.3 + 0.2} for i in range(6)],
        "fillers": [{"word": "um", "start_s": 1.0}, {"word": "uh", "start_s": 2.0}],
        "longest_pause_s": 2.6,
        "pitch_spread_semitones": 1.4,
    }
    delivery = Delivery.from_metrics(metrics)
    assert delivery == Delivery(182.0, 2, 2.6, 1.4)
    assert (delivery.pace_outside, delivery.monotone, delivery.long_pause) == (True, True, True)
    # Without a transcript, "no fillers" would be a guess; a stray boolean is not a number.
    untranscribed = Delivery.from_metrics(
        {**metrics, "transcribed": False, "words_per_minute": True}
    )
    assert (untranscribed.fillers, untranscribed.words_per_minute) == (None, None)


def test_the_bands_load_without_the_analyser() -> None:
    """The GUI side (History, Progress, the report) imports the bands without numpy."""
    code = (
        "import sys, closer_desktop.domain.delivery; "
        "print(any(m == 'numpy' or m.startswith('closer_desktop.analysis') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
