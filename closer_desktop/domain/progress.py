"""Progress rules: a take's score, "needs work", streaks, moving averages, and "better" or "worse".

storage/queries/progress.py reads the figures from the database; the rules that judge them are
here, as plain functions over plain values, so the Progress view, the report, the practice
scheduler and the session summary apply the same ones.

- A take's *score* is the lower of its two ratings (a take is only as good as its weaker side);
  with one scale rated, that rating.
- A question *needs work* when the mean score of its last RECENT rated takes is under
  NEEDS_WORK_BELOW: not yet 4-5 on both scales. The weakest few are named.
- A *streak* is a run of consecutive practised days (the user's calendar days). The current run
  still counts on a day not yet practised: it ends only when a whole day passes without a take.
- Moving averages run over the last TAKE_WINDOW rated takes (consecutive takes are often of
  different questions, so it smooths over more) or the last SESSION_WINDOW sessions.

The end-of-session summary compares each question's ratings this session with the previous
session that practised the same question (storage/queries/progress.py finds both). Per scale it compares
the session's mean rating; the question's change is the mean of those differences over the scales
rated on both sides. Self-ratings are whole numbers said on the spot, so a change of less than
SAME_WITHIN either way is "same": one 4 among 3s is not yet a trend.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Protocol, TypeVar

SAME_WITHIN = 0.25
TAKE_WINDOW = 10
SESSION_WINDOW = 5
NEEDS_WORK_BELOW = 4.0
NEEDS_WORK_LIMIT = 5


def take_score(professionalism: int | None, clarity: int | None) -> int | None:
    """The lower of a take's two ratings; the one given when only one is; None for neither."""
    ratings = [r for r in (professionalism, clarity) if r is not None]
    return min(ratings) if ratings else None


def mean_score(ratings: Iterable[Sequence[int | None]]) -> float | None:
    """The mean score of takes given as (professionalism, clarity); None when none is rated."""
    scores = [s for p, c in ratings if (s := take_score(p, c)) is not None]
    return sum(scores) / len(scores) if scores else None


class Practised(Protocol):
    """What needs_work reads of a question's figures (queries.progress.QuestionProgress)."""

    @property
    def question_id(self) -> str: ...
    @property
    def last_at(self) -> datetime: ...
    @property
    def recent_score(self) -> float | None: ...
    @property
    def recent_professionalism(self) -> float | None: ...
    @property
    def recent_clarity(self) -> float | None: ...


Question = TypeVar("Question", bound=Practised)


def needs_work(
    questions: Iterable[Question],
    below: float = NEEDS_WORK_BELOW,
    limit: int = NEEDS_WORK_LIMIT,
) -> list[Question]:
    """The questions with the lowest recent scores under `below`, weakest first; ties go to the
    lower recent means, then to the one practised longest ago (it has waited longest)."""
    weak = [q for q in questions if q.recent_score is not None and q.recent_score < below]
    weak.sort(
        key=lambda q: (
            q.recent_score,
            (q.recent_professionalism or 0) + (q.recent_clarity or 0),
            q.last_at,
            q.question_id,
        )
    )
    return weak[:limit]


@dataclass(frozen=True)
class Streaks:
    """Runs of consecutive practised days: the current one (0 when broken) and the longest."""

    current: int = 0
    longest: int = 0
    last_day: date | None = None


def streaks(days: Iterable[date], today: date) -> Streaks:
    """The streaks of the practised `days` (any order, repeats allowed) as seen on `today`."""
    ordered = sorted(set(days))
    if not ordered:
        return Streaks()
    run = longest = 1
    for before, day in itertools.pairwise(ordered):
        run = run + 1 if day - before == timedelta(days=1) else 1
        longest = max(longest, run)
    last = ordered[-1]
    current = run if last >= today - timedelta(days=1) else 0
    return Streaks(current=current, longest=longest, last_day=last)


class Trend(Enum):
    BETTER = "better"
    WORSE = "worse"
    SAME = "same"

    @property
    def symbol(self) -> str:
        return {Trend.BETTER: "▲", Trend.WORSE: "▼", Trend.SAME: "="}[self]


@dataclass(frozen=True)
class Comparison:
    """One question: this session's mean ratings and those of the previous session with it."""

    question_id: str
    professionalism: float | None
    clarity: float | None
    previous_professionalism: float | None = None
    previous_clarity: float | None = None
    previous_at: datetime | None = None  # the previous session's last take of the question

    @property
    def has_previous(self) -> bool:
        return self.previous_at is not None

    @property
    def change(self) -> float | None:
        """Mean difference (now minus then) over the scales rated both times; None if none is."""
        pairs = (
            (self.professionalism, self.previous_professionalism),
            (self.clarity, self.previous_clarity),
        )
        differences = [now - then for now, then in pairs if now is not None and then is not None]
        return sum(differences) / len(differences) if differences else None

    @property
    def trend(self) -> Trend | None:
        change = self.change
        if change is None:
            return None
        if change >= SAME_WITHIN:
            return Trend.BETTER
        if change <= -SAME_WITHIN:
            return Trend.WORSE
        return Trend.SAME


def format_score(value: float | None) -> str:
    """A mean rating as shown: '4', '3.5', '3.7' (one decimal, none when whole); '–' for none."""
    if value is None:
        return "–"
    rounded = round(value, 1)
    return f"{rounded:.0f}" if rounded == int(rounded) else f"{rounded:.1f}"


def format_spoken(seconds: float) -> str:
    """Time spoken in words: '45 s', '12 min 5 s', '3 h 05 min'."""
    whole = max(0, round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    return f"{minutes} min {secs} s" if minutes else f"{secs} s"
