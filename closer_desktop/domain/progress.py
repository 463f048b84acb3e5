"""How a question went compared with last time: the rules behind "better", "worse" and "same".

The end-of-session summary compares each question's ratings this session with the previous
session that practised the same question (storage/queries/progress.py finds both). Per scale it compares
the session's mean rating; the question's change is the mean of those differences over the scales
rated on both sides. Self-ratings are whole numbers said on the spot, so a change of less than
SAME_WITHIN either way is "same": one 4 among 3s is not yet a trend.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

SAME_WITHIN = 0.25


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
