from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from closer_desktop.domain.practice import (
    Take,
    check_rating,
    format_duration,
    slug,
    summarize,
)

T0 = datetime(2026, 11, 28, 9, 0, tzinfo=timezone(timedelta(hours=1)))


def make_take(take_id: int, question_id: str, minutes: int, p: int | None, c: int | None) -> Take:
    return Take(
        id=take_id,
        session_id=1,
        deck_id="d",
        question_id=question_id,
        question_text=question_id.upper(),
        stage="s",
        recorded_at=T0 + timedelta(minutes=minutes),
        duration_s=10.0,
        sample_rate=48000,
        audio_path=f"audio/{take_id}.wav",
        professionalism=p,
        clarity=c,
    )


def test_summary_counts_takes_and_reports_latest_and_best() -> None:
    takes = [
        make_take(1, "a", 0, 2, 3),
        make_take(2, "a", 5, 4, 2),
        make_take(3, "a", 9, None, None),
        make_take(4, "b", 1, 5, 5),
    ]
    rows = summarize([("a", "A"), ("b", "B"), ("c", "C")], takes)
    a, b, c = rows
    assert (a.takes, a.spoken_s) == (3, 30.0)
    assert (a.latest_professionalism, a.best_professionalism) == (4, 4)
    assert (a.latest_clarity, a.best_clarity) == (2, 3)
    assert (b.takes, b.latest_clarity) == (1, 5)
    assert (c.takes, c.latest_professionalism, c.spoken_s) == (0, None, 0.0)


@pytest.mark.parametrize("bad", [0, 6, -1, True, 2.5, "3"])
def test_ratings_are_whole_numbers_from_one_to_five(bad: object) -> None:
    with pytest.raises(ValueError):
        check_rating(bad)  # type: ignore[arg-type]


def test_rating_accepts_none_and_range() -> None:
    assert check_rating(None) is None
    assert [check_rating(v) for v in range(1, 6)] == [1, 2, 3, 4, 5]


def test_slug_and_duration_formatting() -> None:
    assert slug("What's next? Décision — date!") == "whats-next-decision-date"
    assert slug("???") == "take"
    assert format_duration(0) == "0:00"
    assert format_duration(59.6) == "1:00"
    assert format_duration(125) == "2:05"
