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

from closer_desktop.domain.scheduler import RECENT
from closer_desktop.domain.text import counted, shorten

SAME_WITHIN = 0.25
TAKE_WINDOW = 10
SESSION_WINDOW = 5
NEEDS_WORK_BELOW = 4.0
NEEDS_WORK_LIMIT = 5
# A question's first and recent means (the first and last RECENT ratings, scheduler.RECENT) say
# something only once they are apart: before that they share takes ("3.5 → 3.5").
TREND_AFTER = 2 * RECENT


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
        return None if change is None else trend_of(change)


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


# The Progress headline and the per-question trend -----------------------------------------------


class SessionMeans(Protocol):
    """What the headline reads of a session (queries.progress.SessionPoint)."""

    @property
    def professionalism(self) -> float | None: ...
    @property
    def clarity(self) -> float | None: ...


def _first_and_last(values: Sequence[float | None]) -> tuple[float, float] | None:
    """A scale's first and last session means, when two different sessions rated it."""
    rated = [(i, v) for i, v in enumerate(values) if v is not None]
    if len(rated) < 2:
        return None
    return rated[0][1], rated[-1][1]


def headline(sessions: Sequence[SessionMeans], weakest: str | None = None) -> str:
    """One sentence saying how the ratings moved, for the top of the Progress page.

    The first session's mean against the latest's, per scale, as shown (one decimal): a change
    under SAME_WITHIN is steady. `weakest` is the text of the question that needs work most
    (None: none does, or one question is shown).
    """
    rated = [s for s in sessions if s.professionalism is not None or s.clarity is not None]
    tail = f"; weakest: “{shorten(weakest, 40)}”" if weakest else ""
    if not rated:
        return "Rate your takes (two digits after each) to see how you are doing."
    if len(rated) == 1:
        only = rated[0]
        means = ", ".join(
            f"{name} {format_score(value)}"
            for name, value in (
                ("professionalism", only.professionalism),
                ("clarity", only.clarity),
            )
            if value is not None
        )
        return _sentence(f"First session: {means} on average; the next one shows a trend{tail}")
    changes: list[tuple[str, float]] = []
    latest: list[str] = []
    for name, values in (
        ("professionalism", [s.professionalism for s in rated]),
        ("clarity", [s.clarity for s in rated]),
    ):
        ends = _first_and_last(values)
        if ends is None:
            continue
        first, last = (round(v, 1) for v in ends)
        latest.append(f"{name} {format_score(last)}")
        if trend_of(last - first) is not Trend.SAME:
            changes.append((name, last - first))
    if not latest:  # each scale rated in one session only
        return _sentence(f"Rate both scales in your next sessions to see a trend{tail}")
    if not changes:
        return _sentence(f"Steady since your first session: {', '.join(latest)} lately{tail}")
    changes.sort(key=lambda change: -abs(change[1]))
    moves = " and ".join(
        f"{name} {'up' if delta > 0 else 'down'} {format_score(abs(delta))}"
        for name, delta in changes
    )
    return _sentence(f"{moves[0].upper()}{moves[1:]} since your first session{tail}")


def _sentence(text: str) -> str:
    """A full stop, unless a quoted question already ends the sentence ('…decision?”')."""
    return text if text.endswith(("?”", "!”", ".”", "…”")) else f"{text}."


@dataclass(frozen=True)
class QuestionTrend:
    """A question's move from its first to its recent takes, or how many takes until one shows."""

    change: float | None  # mean over the scales with TREND_AFTER ratings; None: not yet
    more_takes: int = 0  # rated takes still needed before `change` means something

    @property
    def trend(self) -> Trend | None:
        return None if self.change is None else trend_of(self.change)

    def text(self) -> str:
        """'▲ up 0.7', '▼ down 0.3', '= steady', '2 more takes to see a trend'."""
        if self.change is None:
            return f"{counted(self.more_takes, 'more take')} to see a trend"
        trend = trend_of(self.change)
        if trend is Trend.SAME:
            return "= steady"
        word = "up" if trend is Trend.BETTER else "down"
        return f"{trend.symbol} {word} {format_score(abs(self.change))}"


def trend_of(change: float) -> Trend:
    """The one rule for every trend: a change judged on its figure as shown (format_score's
    rounding), so a change shown as 0.2 is steady wherever it appears and a shown "up" is never
    under SAME_WITHIN (a mean change of exactly 0.25 once read "▲ up 0.2")."""
    shown = round(change, 1)
    if shown >= SAME_WITHIN:
        return Trend.BETTER
    if shown <= -SAME_WITHIN:
        return Trend.WORSE
    return Trend.SAME


def question_trend(
    scales: Sequence[tuple[int, float | None, float | None]],
) -> QuestionTrend:
    """From each scale's (ratings, first mean, recent mean): the mean change over the scales
    rated TREND_AFTER times or more (their first and recent takes are then different takes)."""
    ready = [
        round(recent, 1) - round(first, 1)
        for count, first, recent in scales
        if count >= TREND_AFTER and first is not None and recent is not None
    ]
    if ready:
        return QuestionTrend(sum(ready) / len(ready))
    most = max((count for count, _, _ in scales), default=0)
    return QuestionTrend(None, TREND_AFTER - most)


# The session debrief --------------------------------------------------------------------------


class LatestRated(Protocol):
    """What the debrief reads of a question's session (domain.practice.QuestionSummary)."""

    @property
    def question_id(self) -> str: ...
    @property
    def takes(self) -> int: ...
    @property
    def latest_professionalism(self) -> int | None: ...
    @property
    def latest_clarity(self) -> int | None: ...


def most_improved(comparisons: Iterable[Comparison]) -> Comparison | None:
    """The question that gained most on its previous session (a better trend only); of equal
    gains, the first in `comparisons` (the queue's order)."""
    best: Comparison | None = None
    for comparison in comparisons:
        if comparison.trend is not Trend.BETTER:
            continue
        if best is None or (comparison.change or 0) > (best.change or 0):
            best = comparison
    return best


def weakest_of_session(questions: Sequence[LatestRated], count: int = 2) -> list[str]:
    """The ids of the `count` questions of a session whose latest take scored lowest (its
    weaker rating, as shown in the summary); ties go to the lower sum, then the queue's order.
    Questions not practised or not rated are left out: there is nothing to say about them."""
    scored = [
        (score, (q.latest_professionalism or 0) + (q.latest_clarity or 0), index, q.question_id)
        for index, q in enumerate(questions)
        if q.takes and (score := take_score(q.latest_professionalism, q.latest_clarity)) is not None
    ]
    scored.sort()
    return [question_id for *_, question_id in scored[:count]]
