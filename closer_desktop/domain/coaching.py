"""A take's delivery as coaching: a tile per aspect and the one change to make next take.

The feedback panel (ui/widgets/feedback.py) shows these; the figures come from a take's stored
metrics (analysis.metrics.Metrics.to_json) and are judged by the bands of domain/delivery.py, so a
tile says "work on it" exactly where History flags the take. Each tile has a plain value ("128
words a minute", "2 fillers", "lively"), a verdict and a one-line tip worded by that verdict, the
good ones included: a nervous speaker needs to hear what already works. The raw figures (dBFS,
semitones, exact seconds) are `details`, for those who want them. Plain data, no Qt.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from closer_desktop.domain.delivery import (
    LONG_PAUSE_S,
    MIN_WORDS_FOR_PACE,
    MONOTONE_SEMITONES,
    PACE_WPM,
    PITCH_WORDS,
    Verdict,
    fillers_verdict,
    is_clipped,
    is_long_pause,
    judge_pace,
    loudness_verdict,
    pace_verdict,
    pauses_verdict,
    pitch_verdict,
    words_a_minute,
)
from closer_desktop.domain.text import counted


class Aspect(Enum):
    """The aspects in the order the next-take rule prefers them at equal severity: what the
    listener hears first (pace, fillers), then pauses and pitch, and loudness, the microphone's
    as much as the speaker's, last."""

    PACE = "Pace"
    FILLERS = "Fillers"
    PAUSES = "Pauses"
    PITCH = "Pitch variety"
    LOUDNESS = "Loudness"


ASPECTS = tuple(Aspect)
NOT_MEASURED = "–"  # as History shows a figure not measured
FEW_WORDS_DETAIL = "too few words to judge the pace"


@dataclass(frozen=True)
class Tile:
    """One aspect of a take: `verdict` is None when it could not be measured (then `tip` says
    why); `change` is what the next take should do about it (None when it is good)."""

    aspect: Aspect
    value: str
    verdict: Verdict | None
    tip: str
    change: str | None = None


def tiles(metrics: dict[str, Any]) -> list[Tile]:
    """The five tiles of a take, in ASPECTS order."""
    return [
        _pace(metrics),
        _fillers(metrics),
        _pauses(metrics),
        _pitch(metrics),
        _loudness(metrics),
    ]


def next_take(shown: list[Tile], metrics: dict[str, Any] | None = None) -> str:
    """One sentence naming the single most useful change: the most severe verdict wins (work on
    it before watch), and at equal severity the earlier aspect (pace, fillers, ... loudness).
    With nothing to change, keep it; with no speech heard at all, check the microphone."""
    if metrics is not None and _silent(metrics):
        return SILENT_NEXT
    to_change = [t for t in shown if t.verdict is not None and t.verdict is not Verdict.GOOD]
    if not to_change:
        return NOTHING_NEXT if all(t.verdict is None for t in shown) else KEEP_NEXT
    order = {aspect: i for i, aspect in enumerate(ASPECTS)}
    best = min(to_change, key=lambda t: (-_severity(t), order[t.aspect]))
    return f"Next take: {best.change}."


def details(metrics: dict[str, Any]) -> list[tuple[str, str]]:
    """The raw figures behind the tiles, as (label, text) rows; fillers are the panel's own row
    (they are links to their times)."""
    m = metrics
    rows = [("Length", f"{_num(m['duration_s'], 1)} s, speaking {_num(m['speaking_time_s'], 1)} s")]
    wpm = _number(m.get("words_per_minute"))
    if wpm is None or _too_few_words(m):
        # as the pace tile says it: a raw 240 next to "Not measured" would contradict it
        pace = _no_words(m) or FEW_WORDS_DETAIL
    else:
        pace = f"{words_a_minute(wpm)} words a minute, first word to last, pauses included"
        rate = _number(m.get("articulation_rate_wpm"))
        if rate is not None:
            pace += f"; {words_a_minute(rate)} a minute of speaking time"
    rows.append(("Pace", pace))
    pauses = _pause_count(m)
    if pauses:
        long = int(m.get("long_pause_count", 0) or 0)
        text = f"{counted(pauses, 'pause')}, longest {_num(m.get('longest_pause_s', 0.0), 1)} s"
        if long:
            text += f"; {long} of {LONG_PAUSE_S:g} s or more"
        rows.append(("Pauses", text))
    else:
        rows.append(("Pauses", "none"))
    level, peak = _number(m.get("speech_level_dbfs")), _number(m.get("peak_dbfs"))
    if level is None or peak is None:
        rows.append(("Loudness", "no speech heard"))
    else:
        text = f"speech {_num(level, 0)} dBFS, peak {_num(peak, 0)} dBFS (speech is usually -25 to -12)"
        clipped = _number(m.get("clipped_fraction")) or 0.0
        if clipped > 0:
            text += f"; {clipped:.2%} at full scale"
        rows.append(("Loudness", text))
    spread = _number(m.get("pitch_spread_semitones"))
    rows.append(
        (
            "Pitch",
            "too little voiced speech to measure"
            if spread is None
            else f"varies by {_num(spread, 1)} semitones (lively: {MONOTONE_SEMITONES:g} or more)",
        )
    )
    return rows


def whole(value: float, digits: int = 0) -> str:
    """A figure to `digits` places, never "-0" (a peak of -0.3 dBFS reads "0 dBFS")."""
    return _num(value, digits)


# What the tiles say -------------------------------------------------------------------------------

_LOW, _HIGH = PACE_WPM
_CLOSER = "move closer to the microphone, or raise its input level"
_NO_LONG_SILENCE = "know your next point before you stop, so that no silence runs long"

# (aspect, case) -> (tip, the change for the next take). Every sentence a tile can say is here,
# so the panel can reserve room for the longest and never change height with a take.
_SAY: dict[tuple[Aspect, str], tuple[str, str | None]] = {
    (Aspect.PACE, "good"): ("Good pace: easy to follow.", None),
    (Aspect.PACE, "fast watch"): (
        "A little fast: pause between points.",
        "slow down a little, with a breath between points",
    ),
    (Aspect.PACE, "fast work"): (
        "Much too fast: hard to follow.",
        f"slow right down, to under {_HIGH:g} words a minute: one point, then a breath",
    ),
    (Aspect.PACE, "slow watch"): (
        "A little slow: keep the sentences moving.",
        "pick up the pace a little: say each sentence in one go",
    ),
    (Aspect.PACE, "slow work"): (
        "Much too slow: say whole phrases.",
        f"keep the words moving, to over {_LOW:g} words a minute: whole phrases, not words",
    ),
    (Aspect.PACE, "few words"): ("Too few words to judge the pace.", None),
    (Aspect.FILLERS, "none"): ("Good: not one filler.", None),
    (Aspect.FILLERS, "good"): ("Good: too few to notice.", None),
    (Aspect.FILLERS, "watch"): (
        "Some fillers: pause silently instead.",
        "where an “um” comes, pause silently instead",
    ),
    (Aspect.FILLERS, "work"): (
        "Many fillers: a silent pause sounds surer.",
        "cut the fillers: when you need a moment, pause silently instead of saying “um”",
    ),
    (Aspect.PAUSES, "good"): ("Good: no silence ran long.", None),
    (Aspect.PAUSES, "watch"): ("One pause ran long: it can read as lost.", _NO_LONG_SILENCE),
    (Aspect.PAUSES, "work"): ("Long silences: they read as lost.", _NO_LONG_SILENCE),
    (Aspect.PITCH, "good"): ("Good: a lively, engaged voice.", None),
    (Aspect.PITCH, "watch"): (
        "A little flat: stress the key words.",
        "stress the key word of each sentence",
    ),
    (Aspect.PITCH, "work"): (
        "Flat: let your voice rise and fall.",
        "let your voice rise and fall, stressing the key word of each sentence",
    ),
    (Aspect.PITCH, "unvoiced"): ("Too little voiced speech.", None),
    (Aspect.LOUDNESS, "good"): ("Good: clear and easy to hear.", None),
    (Aspect.LOUDNESS, "clipped"): (
        "Too loud: it crackles.",
        "move back a little from the microphone, or lower its input level",
    ),
    (Aspect.LOUDNESS, "watch"): ("A little quiet: move closer.", _CLOSER),
    (Aspect.LOUDNESS, "work"): ("Too quiet to hear well.", _CLOSER),
    (Aspect.LOUDNESS, "silent"): ("Check the microphone.", None),
}
_NO_TRANSCRIPT = "Needs speech recognition."
_NO_WORDS = "No words heard."
_NO_SPEECH = "No speech heard."

SILENT_NEXT = "Next take: no speech was heard, so check the microphone (Settings > Audio)."
NOTHING_NEXT = "Next take: say the line aloud, as you would in the room."
KEEP_NEXT = "Next take: keep this delivery, and say it once more to make it stick."

TIPS = (*(tip for tip, _ in _SAY.values()), _NO_TRANSCRIPT, _NO_WORDS, _NO_SPEECH)
NEXT_TAKES = (
    SILENT_NEXT,
    NOTHING_NEXT,
    KEEP_NEXT,
    *(f"Next take: {change}." for _, change in _SAY.values() if change is not None),
)
# The longest values a tile shows (pace and counts are numbers: these have the most digits that
# are likely), for the panel to reserve their room.
VALUES = (
    "888 words a minute",
    "88 fillers",
    "88 pauses",
    "no fillers",
    PITCH_WORDS[Verdict.WATCH],
    "a little quiet",
    "no speech heard",
    NOT_MEASURED,
)


def _tile(aspect: Aspect, value: str, verdict: Verdict | None, case: str) -> Tile:
    tip, change = _SAY[aspect, case]
    return Tile(aspect, value, verdict, tip, change)


def _pace(m: dict[str, Any]) -> Tile:
    reason = _no_words(m)
    if reason is not None:
        return Tile(Aspect.PACE, NOT_MEASURED, None, reason)
    wpm = _number(m.get("words_per_minute"))
    if wpm is None or _too_few_words(m):
        return _tile(Aspect.PACE, NOT_MEASURED, None, "few words")
    value = f"{words_a_minute(wpm)} words a minute"
    verdict = pace_verdict(wpm)
    if verdict is Verdict.GOOD:
        return _tile(Aspect.PACE, value, verdict, "good")
    direction = "fast" if judge_pace(wpm) == "fast" else "slow"
    return _tile(Aspect.PACE, value, verdict, f"{direction} {verdict.name.lower()}")


def _fillers(m: dict[str, Any]) -> Tile:
    reason = _no_words(m)
    if reason is not None:
        return Tile(Aspect.FILLERS, NOT_MEASURED, None, reason)
    count = len(m.get("fillers", []))
    if count == 0:
        return _tile(Aspect.FILLERS, "no fillers", Verdict.GOOD, "none")
    verdict = fillers_verdict(count, float(m.get("speaking_time_s", 0.0)))
    return _tile(Aspect.FILLERS, counted(count, "filler"), verdict, verdict.name.lower())


def _pauses(m: dict[str, Any]) -> Tile:
    if _silent(m):
        return Tile(Aspect.PAUSES, NOT_MEASURED, None, _NO_SPEECH)
    count = _pause_count(m)
    value = "no pauses" if count == 0 else counted(count, "pause")
    longest = float(m.get("longest_pause_s", 0.0) or 0.0)
    long = int(m.get("long_pause_count", 0) or 0)
    if not long and is_long_pause(longest):  # metrics stored before the count was
        long = 1
    verdict = pauses_verdict(long, longest)
    return _tile(Aspect.PAUSES, value, verdict, verdict.name.lower())


def _pitch(m: dict[str, Any]) -> Tile:
    spread = _number(m.get("pitch_spread_semitones"))
    if spread is None:
        return _tile(Aspect.PITCH, NOT_MEASURED, None, "unvoiced")
    verdict = pitch_verdict(spread)
    return _tile(Aspect.PITCH, PITCH_WORDS[verdict], verdict, verdict.name.lower())


def _loudness(m: dict[str, Any]) -> Tile:
    level = _number(m.get("speech_level_dbfs"))
    if level is None:
        return _tile(Aspect.LOUDNESS, "no speech heard", None, "silent")
    clipped = _number(m.get("clipped_fraction"))
    verdict = loudness_verdict(level, clipped)
    if is_clipped(clipped):
        return _tile(Aspect.LOUDNESS, "distorted", verdict, "clipped")
    value = {Verdict.GOOD: "clear", Verdict.WATCH: "a little quiet", Verdict.WORK: "quiet"}
    return _tile(Aspect.LOUDNESS, value[verdict], verdict, verdict.name.lower())


# Helpers ----------------------------------------------------------------------------------------


def _no_words(m: dict[str, Any]) -> str | None:
    """Why pace and fillers cannot be judged, or None when they can."""
    if not m.get("transcribed", True):
        return _NO_TRANSCRIPT
    if _silent(m) or not m.get("words"):
        return _NO_WORDS
    return None


def _too_few_words(m: dict[str, Any]) -> bool:
    """Under MIN_WORDS_FOR_PACE words: the tile and Details both leave the pace unjudged."""
    return len(m.get("words", [])) < MIN_WORDS_FOR_PACE


def _silent(m: dict[str, Any]) -> bool:
    """No speech at all in the take (an accidental or muted recording)."""
    return not (_number(m.get("speaking_time_s")) or 0.0) > 0


def _pause_count(m: dict[str, Any]) -> int:
    count = m.get("pause_count")
    return int(count) if isinstance(count, int) else len(m.get("pauses", []))


def _severity(tile: Tile) -> int:
    return -1 if tile.verdict is None else tile.verdict.severity


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _num(value: float, digits: int) -> str:
    text = f"{value:.{digits}f}"
    # Python keeps the sign of a negative number rounded to zero: "-0", "-0.0".
    return text[1:] if text.startswith("-") and float(text) == 0 else text
