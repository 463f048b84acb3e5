"""When a delivery figure is worth a word: the hint bands, defined once.

The analyser's hints (analysis/metrics.py), History's delivery filters and columns
(storage/queries/history.py, ui/history/), Progress's delivery charts and the report all judge
a take by these numbers, so a take flagged in the feedback panel is the one History's filter
finds and the band shaded on a chart is the one the hint names. Plain values and rules: no
numpy, no Qt, so the GUI side can import them without loading the analyser.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

PACE_WPM = (100.0, 165.0)  # PowerPoint Speaker Coach's band, pauses included
MIN_WORDS_FOR_PACE = 5  # fewer words say too little about pace to comment on it
MONOTONE_SEMITONES = 2.0  # a pitch spread under this sounds flat
LONG_PAUSE_S = 2.5  # a silence this long can read as lost
QUIET_DBFS = -35.0  # speech quieter than this is hard to hear back (normal: -25 to -12 dBFS)
CLIPPED_WARN = 1e-4  # of frames at full scale: audible crackle

# A pause's length is an end minus a start: binary floating point can leave one that is
# exactly LONG_PAUSE_S a hair short of it, and it must still count as long.
_PAUSE_SLACK_S = 1e-9

Pace = Literal["slow", "comfortable", "fast"]


def judge_pace(words_per_minute: float) -> Pace:
    """Where a pace falls against PACE_WPM (both ends are comfortable)."""
    low, high = PACE_WPM
    if words_per_minute < low:
        return "slow"
    return "fast" if words_per_minute > high else "comfortable"


def pace_outside(words_per_minute: float | None) -> bool:
    """True for a pace outside the band; a pace not measured (None) is never flagged."""
    return words_per_minute is not None and judge_pace(words_per_minute) != "comfortable"


def is_monotone(pitch_spread_semitones: float | None) -> bool:
    """True for a pitch spread under MONOTONE_SEMITONES; exactly the threshold is lively."""
    return pitch_spread_semitones is not None and pitch_spread_semitones < MONOTONE_SEMITONES


def is_long_pause(seconds: float | None) -> bool:
    """True for a pause of LONG_PAUSE_S or more."""
    return seconds is not None and seconds >= LONG_PAUSE_S - _PAUSE_SLACK_S


@dataclass(frozen=True)
class Delivery:
    """A take's headline delivery figures, from its stored metrics; None where not measured
    (no transcript: no pace or fillers; no voiced speech: no pitch)."""

    words_per_minute: float | None = None
    fillers: int | None = None
    longest_pause_s: float | None = None
    pitch_spread_semitones: float | None = None

    @classmethod
    def from_metrics(cls, metrics: dict[str, Any]) -> Delivery:
        """The figures History reads in SQL, from a metrics dict just computed (Metrics.to_json).
        Fillers count only where there is a transcript: without one, "no fillers" is a guess."""
        fillers = metrics.get("fillers")
        return cls(
            words_per_minute=_number(metrics.get("words_per_minute")),
            fillers=len(fillers)
            if metrics.get("transcribed") and isinstance(fillers, list)
            else None,
            longest_pause_s=_number(metrics.get("longest_pause_s")),
            pitch_spread_semitones=_number(metrics.get("pitch_spread_semitones")),
        )

    @property
    def pace_outside(self) -> bool:
        return pace_outside(self.words_per_minute)

    @property
    def monotone(self) -> bool:
        return is_monotone(self.pitch_spread_semitones)

    @property
    def long_pause(self) -> bool:
        return is_long_pause(self.longest_pause_s)


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
