"""Compare's rules alone: where the other take says the same word, and the table of changes."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from closer_desktop.domain.compare import TimedWord, deltas, same_point, timed_words
from closer_desktop.domain.practice import Take
from tests.support.delivery import delivery_metrics

A_TEXT = "based on my background and the skills and experience we discussed how well"
B_TEXT = "based on my background and skills and experience that we discussed how well"


def spoken(text: str, start: float, step: float) -> list[TimedWord]:
    return [
        TimedWord(word, start + i * step, start + i * step + step * 0.8)
        for i, word in enumerate(text.split())
    ]


def test_the_same_word_not_the_same_share_of_the_take() -> None:
    a = spoken(A_TEXT, 0.5, 0.5)  # "discussed" is A's 11th word: 5.5 s
    b = spoken(B_TEXT, 6.0, 0.4)  # 6 s of silence first; "discussed" is B's 11th: 10.0 s
    assert a[10].text == b[10].text == "discussed"
    assert same_point(a, b, 5.6, 0.5, 6.0) == pytest.approx(10.1)
    # The jump by proportion (A 7.2 s, B 11.2 s) landed on B's "and", not "discussed".
    by_share = 5.6 / 7.2 * 11.2
    assert next(w.text for w in reversed(b) if w.start_s <= by_share) == "and"
    # Inside a word, no further into B's word than it lasts.
    assert same_point(a, b, 5.5 + 0.39, 0.5, 6.0) == pytest.approx(10.0 + 0.32)
    # A word B left out ("the"): from the aligned word before it, the time since it.
    the = a[5]
    assert the.text == "the"
    assert same_point(a, b, the.start_s + 0.1, 0.5, 6.0) == pytest.approx(b[4].start_s + 0.6)
    # Before the first word: as long before B's first word.
    assert same_point(a, b, 0.2, 0.5, 6.0) == pytest.approx(5.7)
    # Punctuation and capitals as the recogniser writes them still align.
    shouted = [replace(w, text=w.text.capitalize() + ",") for w in b]
    assert same_point(a, shouted, 5.6, 0.5, 6.0) == pytest.approx(10.1)


def test_without_transcripts_the_same_time_after_the_speech_began() -> None:
    assert same_point([], [], 2.5, 0.5, 6.5) == pytest.approx(8.5)
    assert same_point(spoken(A_TEXT, 0.5, 0.5), [], 2.5, 0.5, 6.5) == pytest.approx(8.5)
    assert same_point([], [], 0.1, 0.5, 0.2) == 0.0  # never before the take's start


def test_damaged_stored_words_are_left_out() -> None:
    stored: list[dict[str, Any]] = [
        {"word": "hi", "start_s": 1, "end_s": 1.5},
        {"word": "x"},
        {"start_s": "?"},
    ]
    assert timed_words(stored) == [TimedWord("hi", 1.0, 1.5)]


def take(duration: float, professionalism: int | None, clarity: int | None) -> Take:
    return Take(
        id=1,
        session_id=1,
        deck_id="d",
        question_id="q",
        question_text="Q?",
        stage="s",
        recorded_at=datetime(2026, 12, 1, tzinfo=UTC),
        duration_s=duration,
        sample_rate=16000,
        audio_path="a.wav",
        professionalism=professionalism,
        clarity=clarity,
    )


def test_the_table_of_changes_in_plain_words() -> None:
    fast = delivery_metrics(258, fillers=1, pause_s=3.0, speaking_s=30.0)
    calm = delivery_metrics(178, fillers=0, speaking_s=30.0) | {"line_match": {"score": 0.9}}
    fast["line_match"] = {"score": 0.7}
    rows = {d.label: d for d in deltas(take(34.0, 2, 3), take(31.0, 4, 3), fast, calm)}
    assert list(rows) == [
        "Length",
        "Pace, words a minute",
        "Filler words",
        "Long pauses",
        "Line match",
        "Professionalism",
        "Clarity",
    ]
    assert (rows["Length"].a, rows["Length"].b, rows["Length"].change) == ("0:34", "0:31", "")
    pace = rows["Pace, words a minute"]
    assert (pace.a, pace.b, pace.change) == ("258", "178", "better")  # much too fast → a little
    assert (rows["Filler words"].a, rows["Filler words"].b) == ("1", "0")
    assert rows["Filler words"].change == "better"
    assert (rows["Long pauses"].a, rows["Long pauses"].b, rows["Long pauses"].change) == (
        "1",
        "0",
        "better",
    )
    assert (rows["Line match"].a, rows["Line match"].b) == ("70 %", "90 %")
    assert rows["Professionalism"].change == "better" and rows["Clarity"].change == "same"
    # Not analysed yet: dashes, and nothing judged.
    bare = {d.label: d for d in deltas(take(34.0, None, 3), take(31.0, 4, 3), None, calm)}
    assert (bare["Pace, words a minute"].a, bare["Pace, words a minute"].change) == ("–", "")
    assert bare["Professionalism"].change == ""
