"""The Progress headline, the per-question trend and the session debrief's picks, on plain values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pytest

from closer_desktop.domain.practice import QuestionSummary
from closer_desktop.domain.progress import (
    TREND_AFTER,
    Comparison,
    Trend,
    headline,
    most_improved,
    question_trend,
    weakest_of_session,
)


@dataclass(frozen=True)
class Means:
    professionalism: float | None
    clarity: float | None


NEXT_STEPS = "What are the next steps in the hiring process?"


def test_no_rated_session_asks_for_ratings() -> None:
    assert headline([]) == "Rate your takes (two digits after each) to see how you are doing."
    assert headline([Means(None, None), Means(None, None)]).startswith("Rate your takes")


def test_one_session_gives_its_means_and_says_a_trend_comes_next() -> None:
    assert headline([Means(3.25, 3.0)], NEXT_STEPS) == (
        "First session: professionalism 3.2, clarity 3 on average; the next one shows a trend; "
        "weakest: “What are the next steps in the hiring…”"
    )
    # A session without ratings does not count as the first.
    assert headline([Means(None, None), Means(4.0, None)]) == (
        "First session: professionalism 4 on average; the next one shows a trend."
    )


def test_the_bigger_change_comes_first_and_names_the_weakest() -> None:
    sessions = [Means(3.0, 2.4), Means(2.0, 2.0), Means(3.3, 3.0)]
    assert headline(sessions, NEXT_STEPS) == (
        "Clarity up 0.6 and professionalism up 0.3 since your first session; "
        "weakest: “What are the next steps in the hiring…”"
    )
    assert headline([Means(4.0, 3.0), Means(3.0, 3.1)]) == (
        "Professionalism down 1 since your first session."
    )


def test_a_quoted_question_ends_the_sentence_without_a_second_stop() -> None:
    assert headline([Means(3.0, 3.0), Means(3.5, 3.0)], "When will you decide?") == (
        "Professionalism up 0.5 since your first session; weakest: “When will you decide?”"
    )


def test_a_change_under_a_quarter_point_is_steady() -> None:
    assert headline([Means(3.5, 3.2), Means(3.6, 3.0)]) == (
        "Steady since your first session: professionalism 3.6, clarity 3 lately."
    )


def test_the_change_is_that_of_the_means_as_shown() -> None:
    # 3.04 and 3.26 show as 3 and 3.3: up 0.3 (not 0.22, which would be steady).
    assert headline([Means(3.04, None), Means(3.26, None)]) == (
        "Professionalism up 0.3 since your first session."
    )


def test_scales_rated_in_one_session_each_cannot_show_a_trend() -> None:
    assert headline([Means(3.0, None), Means(None, 4.0)]) == (
        "Rate both scales in your next sessions to see a trend."
    )


def test_a_question_shows_no_trend_before_its_first_and_recent_takes_are_apart() -> None:
    # Four takes: the first three and the last three share two ("3.5 → 3.5").
    early = question_trend([(4, 3.5, 3.5), (4, 3.5, 3.5)])
    assert early.change is None and early.trend is None
    assert early.more_takes == TREND_AFTER - 4 == 2
    assert early.text() == "2 more takes to see a trend"
    assert question_trend([(5, 3.0, 3.0), (0, None, None)]).text() == "1 more take to see a trend"
    assert question_trend([]).text() == f"{TREND_AFTER} more takes to see a trend"


@pytest.mark.parametrize(
    ("scales", "text", "trend"),
    [
        ([(6, 2.67, 3.33), (6, 2.0, 3.0)], "▲ up 0.8", Trend.BETTER),  # (0.6 + 1.0) / 2
        ([(7, 4.0, 3.0), (2, 4.0, 4.0)], "▼ down 1", Trend.WORSE),  # clarity not ready yet
        ([(6, 3.0, 3.1), (6, 3.0, 3.0)], "= steady", Trend.SAME),
    ],
)
def test_a_questions_trend_once_ready(
    scales: list[tuple[int, float | None, float | None]], text: str, trend: Trend
) -> None:
    result = question_trend(scales)
    assert result.text() == text and result.trend is trend


def compared(question: str, then: float, now: float) -> Comparison:
    return Comparison(question, now, now, then, then, datetime(2026, 11, 2, 10))


def test_the_most_improved_question_is_the_biggest_gain() -> None:
    comparisons = [
        compared("a", 3, 3.5),
        compared("b", 2, 4),
        compared("c", 4, 2),
        compared("d", 1, 3),  # as much as b, later in the queue
    ]
    best = most_improved(comparisons)
    assert best is not None and best.question_id == "b"
    assert most_improved([compared("a", 3, 3.1), compared("c", 4, 2)]) is None
    assert most_improved([Comparison("new", 4, 4)]) is None  # no previous session


def summary(qid: str, takes: int, p: int | None, c: int | None) -> QuestionSummary:
    return QuestionSummary(qid, qid, takes, 10.0 * takes, p, c, p, c)


def test_the_weakest_of_a_session_score_their_latest_take() -> None:
    questions = [
        summary("a", 2, 4, 4),
        summary("b", 1, 2, 5),  # score 2, sum 7
        summary("c", 0, None, None),  # not practised
        summary("d", 1, None, None),  # not rated
        summary("e", 3, 3, 2),  # score 2, sum 5: weaker than b
        summary("f", 1, 3, 3),
    ]
    assert weakest_of_session(questions) == ["e", "b"]
    assert weakest_of_session(questions, 1) == ["e"]
    assert weakest_of_session([summary("c", 0, None, None)]) == []
