"""The verdicts of the delivery bands (good / watch / work on it) and the one rounding of a pace."""

from __future__ import annotations

import pytest

from closer_desktop.domain.delivery import (
    FILLER_MIN_SPEECH_S,
    FILLERS_PER_MINUTE,
    PACE_WATCH_WPM,
    PACE_WPM,
    Delivery,
    Verdict,
    fillers_per_minute,
    fillers_verdict,
    judge_pace,
    loudness_verdict,
    pace_outside,
    pace_verdict,
    pauses_verdict,
    pitch_verdict,
    words_a_minute,
)


def test_a_pace_is_rounded_once_halves_up_as_sqlite_rounds() -> None:
    """The analyser stores one decimal; every page shows it to the whole number, halves up
    (Python's round() would make 212.5 into 212 and 213.5 into 214)."""
    assert [words_a_minute(v) for v in (212.4, 212.5, 213.5, 0.5, 99.5)] == [212, 213, 214, 1, 100]
    assert Delivery(words_per_minute=212.5).shown_words_per_minute == 213
    assert Delivery().shown_words_per_minute is None


@pytest.mark.parametrize(
    ("wpm", "judged"),
    [(99.4, "slow"), (99.5, "comfortable"), (165.4, "comfortable"), (165.5, "fast")],
)
def test_a_pace_is_judged_as_it_is_shown(wpm: float, judged: str) -> None:
    """165.4 reads "165 words a minute", inside 100–165: it is not called fast."""
    assert judge_pace(wpm) == judged
    assert pace_outside(wpm) is (judged != "comfortable")


@pytest.mark.parametrize(
    ("wpm", "verdict"),
    [
        (128, Verdict.GOOD),
        (165, Verdict.GOOD),
        (166, Verdict.WATCH),
        (170, Verdict.WATCH),
        (190, Verdict.WATCH),
        (191, Verdict.WORK),
        (258, Verdict.WORK),
        (100, Verdict.GOOD),
        (99, Verdict.WATCH),
        (85, Verdict.WATCH),
        (84, Verdict.WORK),
    ],
)
def test_pace_has_two_steps_past_each_end_of_the_band(wpm: float, verdict: Verdict) -> None:
    """258 words a minute is not the "a little fast" of 170."""
    assert PACE_WPM == (100.0, 165.0) and PACE_WATCH_WPM == (85.0, 190.0)
    assert pace_verdict(wpm) is verdict


@pytest.mark.parametrize(
    ("count", "speaking_s", "verdict"),
    [
        (0, 5.0, Verdict.GOOD),
        (1, 10.0, Verdict.GOOD),  # 6 a minute over 10 s, but judged over 30 s: 2 a minute
        (2, 60.0, Verdict.GOOD),
        (3, 60.0, Verdict.WATCH),
        (5, 60.0, Verdict.WATCH),
        (6, 60.0, Verdict.WORK),
        (6, 30.0, Verdict.WORK),  # six in 30 s: the take, which got no word at all
        (2, 10.0, Verdict.WATCH),  # 4 a minute over the 30 s floor
    ],
)
def test_fillers_a_minute_have_a_band(count: int, speaking_s: float, verdict: Verdict) -> None:
    assert FILLERS_PER_MINUTE == (2.0, 5.0) and FILLER_MIN_SPEECH_S == 30.0
    assert fillers_verdict(count, speaking_s) is verdict


def test_fillers_a_minute_are_of_speech_as_progress_charts_them() -> None:
    assert fillers_per_minute(6, 30.0) == 12.0
    assert fillers_per_minute(1, 0.0) is None


def test_pauses_pitch_and_loudness_verdicts() -> None:
    assert pauses_verdict(0, 1.2) is Verdict.GOOD
    assert pauses_verdict(1, 2.6) is Verdict.WATCH
    assert pauses_verdict(0, 2.5) is Verdict.WATCH  # stored before long_pause_count
    assert pauses_verdict(2, 2.6) is Verdict.WORK
    assert pauses_verdict(1, 5.0) is Verdict.WORK
    assert pitch_verdict(2.0) is Verdict.GOOD
    assert pitch_verdict(1.4) is Verdict.WATCH
    assert pitch_verdict(0.9) is Verdict.WORK
    assert loudness_verdict(-20.0, 0.0) is Verdict.GOOD
    assert loudness_verdict(-30.0, 0.0) is Verdict.GOOD
    assert loudness_verdict(-33.0, 0.0) is Verdict.WATCH
    assert loudness_verdict(-36.0, 0.0) is Verdict.WORK
    assert loudness_verdict(-12.0, 0.002) is Verdict.WORK  # clipping
    assert Verdict.WORK.severity > Verdict.WATCH.severity > Verdict.GOOD.severity
    assert Verdict.WORK.value == "work on it"
