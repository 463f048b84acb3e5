"""Issue 19, "one value, one rounding": a per-question trend shown as a figure must never read as
a change the headline calls steady, and vice versa. A mean change of exactly 0.25 read "▲ up
0.2" while the headline calls a change of 0.2 steady."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from closer_desktop.domain.progress import (
    SAME_WITHIN,
    TREND_AFTER,
    Comparison,
    QuestionTrend,
    Trend,
    format_score,
    headline,
    question_trend,
)


@dataclass(frozen=True)
class Means:
    professionalism: float | None
    clarity: float | None


def test_a_mean_change_of_a_quarter_is_steady_as_the_headline_says() -> None:
    # professionalism up 0.2, clarity up 0.3: the mean change is 0.25, shown as 0.2
    trend = question_trend([(TREND_AFTER, 3.0, 3.2), (TREND_AFTER, 3.0, 3.3)])
    assert trend.change is not None and abs(trend.change - 0.25) < 1e-9
    assert trend.text() == "= steady"
    assert trend.trend is Trend.SAME
    assert headline([Means(3.0, None), Means(3.2, None)]).startswith("Steady since")


def test_a_shown_change_is_never_under_the_steady_line() -> None:
    for hundredths in range(-150, 151):
        change = hundredths / 100
        text = QuestionTrend(change).text()
        if text == "= steady":
            assert float(format_score(abs(change))) < SAME_WITHIN, change
        else:
            assert float(text.split()[-1]) >= SAME_WITHIN, (change, text)


def test_the_headline_and_the_trend_agree_on_every_shown_change() -> None:
    for tenths in range(-15, 16):
        first, last = 3.0, 3.0 + tenths / 10
        steady_headline = headline([Means(first, None), Means(last, None)]).startswith("Steady")
        steady_trend = question_trend([(TREND_AFTER, first, last)]).text() == "= steady"
        assert steady_headline == steady_trend, (first, last)


def test_the_session_debrief_judges_a_change_by_the_same_rule() -> None:
    then = datetime(2026, 12, 1, 9, 0)
    quarter = Comparison("q", 3.25, None, 3.0, None, then)
    assert quarter.trend is Trend.SAME  # shown as 0.2: steady, like the headline's 0.2
    assert Comparison("q", 3.3, None, 3.0, None, then).trend is Trend.BETTER
