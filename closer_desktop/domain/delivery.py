"""When a delivery figure is worth a word: the hint bands, defined once.

The analyser's hints (analysis/metrics.py), History's delivery filters and columns
(storage/queries/history.py, ui/history/), Progress's delivery charts and the report all judge
a take by these numbers, so a take flagged in the feedback panel is the one History's filter
finds and the band shaded on a chart is the one the hint names. Plain values and rules: no
numpy, no Qt, so the GUI side can import them without loading the analyser.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum
from typing import Any, Literal

PACE_WPM = (100.0, 165.0)  # PowerPoint Speaker Coach's band, pauses included
# Outside PACE_WPM but inside this, a pace is "a little" slow or fast; beyond it, "much too": about
# 15 % past either end, where a listener starts to strain (fast) or to wait (slow).
PACE_WATCH_WPM = (85.0, 190.0)
# Fillers a minute of speech: up to the first is good, up to the second worth watching, above it
# worth working on. Everyday conversation runs at about five a minute (the figure coaching
# guidance usually quotes); a practised answer should sound better than a chat, and one or two
# a minute go unnoticed.
FILLERS_PER_MINUTE = (2.0, 5.0)
# A rate over a few seconds is noise (one "um" in 10 s is 6 a minute): fillers are judged over at
# least this much speech.
FILLER_MIN_SPEECH_S = 30.0
MIN_WORDS_FOR_PACE = 5  # fewer words say too little about pace to comment on it
MONOTONE_SEMITONES = 2.0  # a pitch spread under this sounds flat
FLAT_SEMITONES = 1.0  # under this, flat (half the lively spread): worth working on
LONG_PAUSE_S = 2.5  # a silence this long can read as lost
# Twice as long, or more than one long silence in an answer: no longer a moment's thought.
VERY_LONG_PAUSE_S = 2 * LONG_PAUSE_S
QUIET_DBFS = -35.0  # speech quieter than this is hard to hear back (normal: -25 to -12 dBFS)
LOW_DBFS = -30.0  # between QUIET_DBFS and this: a little quiet, still easy to follow
CLIPPED_WARN = 1e-4  # of frames at full scale: audible crackle

# A pause's length is an end minus a start: binary floating point can leave one that is
# exactly LONG_PAUSE_S a hair short of it, and it must still count as long.
_PAUSE_SLACK_S = 1e-9

Pace = Literal["slow", "comfortable", "fast"]


class Verdict(Enum):
    """How a delivery figure sounds, in three steps; their order is their severity."""

    GOOD = "good"
    WATCH = "watch"
    WORK = "work on it"

    @property
    def severity(self) -> int:
        return _SEVERITY[self]


_SEVERITY = {Verdict.GOOD: 0, Verdict.WATCH: 1, Verdict.WORK: 2}


def words_a_minute(value: float) -> int:
    """A pace as it is shown and judged, everywhere: the stored figure (one decimal) to the whole
    number, halves up, as SQLite's ROUND does in History's filter. One rounding, so the feedback,
    History, the report and the analyser's hint never say 212 and 213 for the same take."""
    return math.floor(value + 0.5)


def judge_pace(words_per_minute: float) -> Pace:
    """Where a pace, as shown (words_a_minute), falls against PACE_WPM (both ends are
    comfortable): 165.4 is shown as 165 and is as comfortable as it reads."""
    shown = words_a_minute(words_per_minute)
    low, high = PACE_WPM
    if shown < low:
        return "slow"
    return "fast" if shown > high else "comfortable"


def pace_verdict(words_per_minute: float) -> Verdict:
    """Good inside PACE_WPM, watch up to PACE_WATCH_WPM, work on it beyond."""
    if judge_pace(words_per_minute) == "comfortable":
        return Verdict.GOOD
    low, high = PACE_WATCH_WPM
    shown = words_a_minute(words_per_minute)
    return Verdict.WATCH if low <= shown <= high else Verdict.WORK


def fillers_per_minute(count: int, speaking_time_s: float) -> float | None:
    """Fillers a minute of speech, as Progress charts them; None without speech to divide by."""
    return count * 60.0 / speaking_time_s if speaking_time_s > 0 else None


def fillers_verdict(count: int, speaking_time_s: float) -> Verdict:
    """Fillers a minute against FILLERS_PER_MINUTE, over at least FILLER_MIN_SPEECH_S of speech
    (a short answer's one "um" is not a habit). None at all is always good."""
    if count <= 0:
        return Verdict.GOOD
    rate = count * 60.0 / max(speaking_time_s, FILLER_MIN_SPEECH_S)
    good, watch = FILLERS_PER_MINUTE
    if rate <= good:
        return Verdict.GOOD
    return Verdict.WATCH if rate <= watch else Verdict.WORK


def pauses_verdict(long_pauses: int, longest_pause_s: float) -> Verdict:
    """No long pause is good; one is worth watching; more, or one of VERY_LONG_PAUSE_S, is not a
    moment's thought any more."""
    if long_pauses <= 0 and not is_long_pause(longest_pause_s):
        return Verdict.GOOD
    if long_pauses > 1 or longest_pause_s >= VERY_LONG_PAUSE_S - _PAUSE_SLACK_S:
        return Verdict.WORK
    return Verdict.WATCH


def pitch_verdict(pitch_spread_semitones: float) -> Verdict:
    """Lively from MONOTONE_SEMITONES, a little flat down to FLAT_SEMITONES, flat under it."""
    if not is_monotone(pitch_spread_semitones):
        return Verdict.GOOD
    return Verdict.WATCH if pitch_spread_semitones >= FLAT_SEMITONES else Verdict.WORK


# The one wording of a pitch spread, for every page (tile, History, Progress, report): a spread
# called "a little flat" on one page must not be "a bit flat" or "monotone" on another.
PITCH_WORDS = {Verdict.GOOD: "lively", Verdict.WATCH: "a little flat", Verdict.WORK: "flat"}
PITCH_BANDS = (
    f"under {FLAT_SEMITONES:g}, flat; {FLAT_SEMITONES:g} to {MONOTONE_SEMITONES:g}, a little flat; "
    f"{MONOTONE_SEMITONES:g} or more, lively"
)


def pitch_words(pitch_spread_semitones: float) -> str:
    """The spread in PITCH_WORDS: "lively", "a little flat" or "flat"."""
    return PITCH_WORDS[pitch_verdict(pitch_spread_semitones)]


def is_clipped(clipped_fraction: float | None) -> bool:
    """True when enough of the take is at full scale to crackle (CLIPPED_WARN)."""
    return clipped_fraction is not None and clipped_fraction >= CLIPPED_WARN


def loudness_verdict(speech_level_dbfs: float, clipped_fraction: float | None) -> Verdict:
    """Clipping or speech under QUIET_DBFS: work on it; under LOW_DBFS: watch; else good."""
    if is_clipped(clipped_fraction) or speech_level_dbfs < QUIET_DBFS:
        return Verdict.WORK
    return Verdict.WATCH if speech_level_dbfs < LOW_DBFS else Verdict.GOOD


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
        Fillers count only where there is a transcript: without one, "no fillers" is a guess.
        Pace only over MIN_WORDS_FOR_PACE words or more, as the feedback tile judges it."""
        fillers = metrics.get("fillers")
        words = metrics.get("words")
        enough_words = isinstance(words, list) and len(words) >= MIN_WORDS_FOR_PACE
        return cls(
            words_per_minute=_number(metrics.get("words_per_minute")) if enough_words else None,
            fillers=len(fillers)
            if metrics.get("transcribed") and isinstance(fillers, list)
            else None,
            longest_pause_s=_number(metrics.get("longest_pause_s")),
            pitch_spread_semitones=_number(metrics.get("pitch_spread_semitones")),
        )

    @property
    def shown_words_per_minute(self) -> int | None:
        """The pace as every page shows it (words_a_minute), None when not measured."""
        wpm = self.words_per_minute
        return None if wpm is None else words_a_minute(wpm)

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
