"""Two takes of one question side by side: where B says what A says now, and what changed.

Switching from A to B at "the same point" means the same words, not the same share of the take:
two takes rarely start speaking at the same moment (one after 6 s of silence puts A's
"discussed" on B's "and" when jumping by proportion), nor speak at the same pace. With both
transcripts, the words are aligned (difflib, on words as said); without, the same time after
each take's speech onset. Plain values, no Qt: the page calls these and tests check them alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any, Literal

from closer_desktop.domain.delivery import (
    Delivery,
    fillers_verdict,
    pace_verdict,
    pauses_verdict,
    words_a_minute,
)
from closer_desktop.domain.practice import Take, format_duration


@dataclass(frozen=True)
class TimedWord:
    text: str
    start_s: float
    end_s: float


def timed_words(stored: Sequence[dict[str, Any]]) -> list[TimedWord]:
    """A transcript's words as stored with a take's metrics ({"word", "start_s", "end_s"});
    a damaged entry is left out."""
    words = []
    for item in stored:
        try:
            words.append(TimedWord(str(item["word"]), float(item["start_s"]), float(item["end_s"])))
        except (KeyError, TypeError, ValueError):
            continue
    return words


def _said(text: str) -> str:
    return re.sub(r"[^\w']+", "", text.lower())


def same_point(
    words_from: Sequence[TimedWord],
    words_to: Sequence[TimedWord],
    position_s: float,
    onset_from: float,
    onset_to: float,
) -> float:
    """Where the other take says what this one says at `position_s` (seconds, not clamped).

    The word being said (the last one begun) is looked up in the other transcript; if it has
    no counterpart, the nearest aligned word before it (or after it) anchors the jump and the
    time since (or until) it carries over. Without both transcripts, or before any word: the
    same time after each take's speech onset.
    """
    if words_from and words_to:
        matcher = SequenceMatcher(
            None, [_said(w.text) for w in words_from], [_said(w.text) for w in words_to], False
        )
        pairs: dict[int, int] = {}
        for block in matcher.get_matching_blocks():
            for k in range(block.size):
                pairs[block.a + k] = block.b + k
        said = [i for i, w in enumerate(words_from) if w.start_s <= position_s]
        if said and pairs:
            current = said[-1]
            before = [i for i in pairs if i <= current]
            if before:
                anchor = max(before)
                source, target = words_from[anchor], words_to[pairs[anchor]]
                offset = position_s - source.start_s
                if anchor == current:  # inside the same word: as far into B's word
                    offset = min(offset, max(0.0, target.end_s - target.start_s))
                return target.start_s + offset
            anchor = min(pairs)
            source, target = words_from[anchor], words_to[pairs[anchor]]
            return max(0.0, target.start_s - (source.start_s - position_s))
    return max(0.0, onset_to + (position_s - onset_from))


Change = Literal["better", "worse", "same", ""]  # "": not judged (length) or not measured


@dataclass(frozen=True)
class Delta:
    """One row of Compare's table: what, A's value, B's value, and whether B is better."""

    label: str
    a: str
    b: str
    change: Change


def _judge(a: float | None, b: float | None, higher_is_better: bool) -> Change:
    if a is None or b is None:
        return ""
    if a == b:
        return "same"
    return "better" if (b > a) == higher_is_better else "worse"


def deltas(
    a: Take, b: Take, metrics_a: dict[str, Any] | None, metrics_b: dict[str, Any] | None
) -> list[Delta]:
    """Length, pace, fillers, long pauses, line match and ratings, A then B, in plain words."""
    rows = [Delta("Length", format_duration(a.duration_s), format_duration(b.duration_s), "")]
    da = Delivery.from_metrics(metrics_a) if metrics_a is not None else None
    db = Delivery.from_metrics(metrics_b) if metrics_b is not None else None
    wpm_a = da.words_per_minute if da else None
    wpm_b = db.words_per_minute if db else None
    severity_a = pace_verdict(wpm_a).severity if wpm_a is not None else None
    severity_b = pace_verdict(wpm_b).severity if wpm_b is not None else None
    rows.append(
        Delta(
            "Pace, words a minute",
            _shown(None if wpm_a is None else words_a_minute(wpm_a)),
            _shown(None if wpm_b is None else words_a_minute(wpm_b)),
            _judge(severity_a, severity_b, higher_is_better=False),
        )
    )
    fillers_a, fillers_b = (da.fillers if da else None), (db.fillers if db else None)
    speech_a, speech_b = _speaking(metrics_a), _speaking(metrics_b)
    change = _judge(fillers_a, fillers_b, higher_is_better=False)
    if fillers_a is not None and fillers_b is not None and speech_a and speech_b:
        # Per minute of speech when the lengths differ: 2 in 60 s is better than 1 in 10 s.
        rate_a, rate_b = fillers_a / speech_a, fillers_b / speech_b
        severity = (
            fillers_verdict(fillers_a, speech_a).severity,
            fillers_verdict(fillers_b, speech_b).severity,
        )
        change = _judge(*severity, higher_is_better=False)
        if change == "same":
            change = _judge(rate_a, rate_b, higher_is_better=False)
    rows.append(Delta("Filler words", _shown(fillers_a), _shown(fillers_b), change))
    long_a, long_b = _long_pauses(metrics_a), _long_pauses(metrics_b)
    pause_a = da.longest_pause_s if da else None
    pause_b = db.longest_pause_s if db else None
    judged: Change = ""
    if long_a is not None and long_b is not None and pause_a is not None and pause_b is not None:
        judged = _judge(
            pauses_verdict(long_a, pause_a).severity,
            pauses_verdict(long_b, pause_b).severity,
            higher_is_better=False,
        )
        if judged == "same":
            judged = _judge(long_a, long_b, higher_is_better=False)
    rows.append(Delta("Long pauses", _shown(long_a), _shown(long_b), judged))
    line_a, line_b = _line_match(metrics_a), _line_match(metrics_b)
    rows.append(
        Delta(
            "Line match",
            _percent(line_a),
            _percent(line_b),
            _judge(
                None if line_a is None else round(line_a * 100),
                None if line_b is None else round(line_b * 100),
                higher_is_better=True,
            ),
        )
    )
    for label, value_a, value_b in (
        ("Professionalism", a.professionalism, b.professionalism),
        ("Clarity", a.clarity, b.clarity),
    ):
        rows.append(Delta(label, _shown(value_a), _shown(value_b), _judge(value_a, value_b, True)))
    return rows


def _shown(value: int | None) -> str:
    return "–" if value is None else str(value)


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{round(value * 100)} %"


def _speaking(metrics: dict[str, Any] | None) -> float | None:
    value = _number((metrics or {}).get("speaking_time_s"))
    return value if value is not None and value > 0 else None


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _long_pauses(metrics: dict[str, Any] | None) -> int | None:
    value = (metrics or {}).get("long_pause_count")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _line_match(metrics: dict[str, Any] | None) -> float | None:
    """The line check's score stored with the metrics (storage/take_metrics.py, LINE_MATCH)."""
    check = (metrics or {}).get("line_match")
    score = _number(check.get("score")) if isinstance(check, dict) else None
    return score if score is not None and 0 <= score <= 1 else None
