"""Progress rules on plain values: a take's score, "needs work" and streaks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest

from closer_desktop.domain.progress import (
    NEEDS_WORK_BELOW,
    NEEDS_WORK_LIMIT,
    Streaks,
    mean_score,
    needs_work,
    streaks,
    take_score,
)
from closer_desktop.domain.scheduler import RatedTake


@pytest.mark.parametrize(
    ("professionalism", "clarity", "score"),
    [(4, 2, 2), (2, 4, 2), (5, None, 5), (None, 3, 3), (None, None, None)],
)
def test_a_takes_score_is_its_weaker_rating(
    professionalism: int | None, clarity: int | None, score: int | None
) -> None:
    assert take_score(professionalism, clarity) == score
    # The practice scheduler scores a take read from the page by the same rule.
    assert RatedTake(datetime(2026, 11, 1), professionalism, clarity).score == score


def test_mean_score_skips_unrated_takes() -> None:
    assert mean_score([(1, 2), (2, None), (None, None)]) == 1.5
    assert mean_score([]) is None
    assert mean_score([(None, None)]) is None


@dataclass(frozen=True)
class Question:
    question_id: str
    recent_score: float | None
    recent_professionalism: float | None = None
    recent_clarity: float | None = None
    last_at: datetime = datetime(2026, 11, 1, 10, 0)


def test_needs_work_weakest_first_under_the_threshold() -> None:
    early, late = datetime(2026, 10, 1), datetime(2026, 11, 1)
    questions = [
        Question("fine", NEEDS_WORK_BELOW),  # exactly 4: fine
        Question("never rated", None),
        Question("weak", 1.5),
        Question("tied, higher means", 3.0, 4.0, 3.0),
        Question("tied, lower means", 3.0, 3.0, 3.0, late),
        Question("tied, same means, waited longer", 3.0, 3.0, 3.0, early),
    ]
    assert [q.question_id for q in needs_work(questions)] == [
        "weak",
        "tied, same means, waited longer",
        "tied, lower means",
        "tied, higher means",
    ]
    assert needs_work(questions, limit=1) == [questions[2]]
    assert needs_work(questions, below=1.5) == []
    many = [Question(f"q{i}", 2.0) for i in range(NEEDS_WORK_LIMIT + 3)]
    assert len(needs_work(many)) == NEEDS_WORK_LIMIT


def days(*iso: str) -> list[date]:
    return [date.fromisoformat(d) for d in iso]


def test_streaks_of_practised_days() -> None:
    practised = days("2026-10-30", "2026-11-02", "2026-11-03", "2026-11-03", "2026-11-04")
    assert streaks(practised, date(2026, 11, 4)) == Streaks(3, 3, date(2026, 11, 4))
    # Today not practised yet: the run still stands; a whole day missed ends it.
    assert streaks(practised, date(2026, 11, 5)).current == 3
    assert streaks(practised, date(2026, 11, 6)) == Streaks(0, 3, date(2026, 11, 4))
    assert streaks(reversed(practised), date(2026, 11, 4)).current == 3  # any order
    assert streaks([], date(2026, 11, 4)) == Streaks()


def test_the_longest_run_may_be_an_old_one() -> None:
    long_ago = [date(2026, 1, 1) + timedelta(days=i) for i in range(10)]
    assert streaks([*long_ago, date(2026, 11, 3)], date(2026, 11, 3)) == Streaks(
        1, 10, date(2026, 11, 3)
    )
    # Across a month's end and a leap day, consecutive dates are still one run.
    assert streaks(days("2028-02-28", "2028-02-29", "2028-03-01"), date(2028, 3, 1)).current == 3
