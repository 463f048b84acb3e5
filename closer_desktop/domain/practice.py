"""Takes, ratings and the practice session: the records a rehearsal produces, and their rules."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum

from closer_desktop.domain.recall import LEVELS

RATING_MIN = 1
RATING_MAX = 5
MAX_NOTE = 1000
TAKE_MODES = ("read", "memory", "run")  # how a take was said: the line shown, hidden, or a run
MAX_HINT_LEVEL = len(LEVELS) - 1  # the hint ladder's top rung: the whole line


class RatingScale(Enum):
    """The two self-ratings every take gets."""

    PROFESSIONALISM = "professionalism"
    CLARITY = "clarity"

    @property
    def label(self) -> str:
        return self.value.capitalize()


def check_rating(value: int | None) -> int | None:
    """A rating is 1-5 or None (not rated yet)."""
    if value is None:
        return None
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not RATING_MIN <= value <= RATING_MAX
    ):
        raise ValueError(f"a rating is a whole number from {RATING_MIN} to {RATING_MAX}: {value!r}")
    return value


def check_mode(mode: str) -> str:
    if mode not in TAKE_MODES:
        raise ValueError(f"a take's mode is one of {', '.join(TAKE_MODES)}: {mode!r}")
    return mode


def check_hint_level(level: int | None) -> int | None:
    """A hint level is 0-MAX_HINT_LEVEL, or None (a take read from the screen needs none)."""
    if level is None:
        return None
    if isinstance(level, bool) or not isinstance(level, int) or not 0 <= level <= MAX_HINT_LEVEL:
        raise ValueError(f"a hint level is a whole number from 0 to {MAX_HINT_LEVEL}: {level!r}")
    return level


def check_latency(seconds: float | None) -> float | None:
    """A response latency is a finite number of seconds, 0 or more (None: not measured)."""
    if seconds is None:
        return None
    if (
        isinstance(seconds, bool)
        or not isinstance(seconds, int | float)
        or not math.isfinite(seconds)
        or seconds < 0
    ):
        raise ValueError(f"a response latency is a number of seconds, 0 or more: {seconds!r}")
    return float(seconds)


def check_note(note: str) -> str:
    if len(note) > MAX_NOTE:
        raise ValueError(f"a note holds at most {MAX_NOTE} characters ({len(note)} given)")
    return note


@dataclass
class Take:
    """One recorded attempt at a question, with its self-ratings."""

    id: int
    session_id: int
    deck_id: str
    question_id: str
    question_text: str
    stage: str
    recorded_at: datetime
    duration_s: float
    sample_rate: int
    audio_path: str  # relative to the data folder
    professionalism: int | None = None
    clarity: int | None = None
    note: str = ""
    recovered: bool = False
    starred: bool = False  # the user's model answer for this question
    uid: str = ""  # stable across libraries (backups merge by it)
    audio_missing: bool = False  # its file was not there when the take was read
    mode: str = "read"  # "read" (the line on screen), "memory" or "run" (TAKE_MODES)
    hint_level: int | None = None  # the hint ladder's rung climbed to (memory, run); None: read
    key_phrases: tuple[str, ...] = ()  # the question's key phrases when the take was recorded
    response_latency_s: float | None = None  # run takes: end of the cue to the first word

    def rating(self, scale: RatingScale) -> int | None:
        return self.professionalism if scale is RatingScale.PROFESSIONALISM else self.clarity


@dataclass
class PracticeSession:
    """A sitting: from the first take until the user stops or starts over."""

    id: int
    deck_id: str
    started_at: datetime
    ended_at: datetime | None = None
    takes: list[Take] = field(default_factory=list)


@dataclass(frozen=True)
class QuestionSummary:
    question_id: str
    question_text: str
    takes: int
    spoken_s: float
    latest_professionalism: int | None
    latest_clarity: int | None
    best_professionalism: int | None
    best_clarity: int | None


def summarize(question_ids: list[tuple[str, str]], takes: list[Take]) -> list[QuestionSummary]:
    """Per question (in deck order): takes this session, time spoken, latest and best ratings."""
    rows = []
    for qid, text in question_ids:
        mine = sorted((t for t in takes if t.question_id == qid), key=lambda t: t.recorded_at)
        rated_p = [t.professionalism for t in mine if t.professionalism is not None]
        rated_c = [t.clarity for t in mine if t.clarity is not None]
        rows.append(
            QuestionSummary(
                question_id=qid,
                question_text=text,
                takes=len(mine),
                spoken_s=sum(t.duration_s for t in mine),
                latest_professionalism=rated_p[-1] if rated_p else None,
                latest_clarity=rated_c[-1] if rated_c else None,
                best_professionalism=max(rated_p) if rated_p else None,
                best_clarity=max(rated_c) if rated_c else None,
            )
        )
    return rows


def slug(text: str, limit: int = 40) -> str:
    """A file-name-safe, readable fragment: 'What's next?' -> 'whats-next'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower().replace("'", "")).strip("-")
    return words[:limit].rstrip("-") or "take"


def format_duration(seconds: float) -> str:
    """m:ss, as shown next to takes and timers."""
    whole = max(0, int(seconds + 0.5)) if seconds >= 0 else 0
    return f"{whole // 60}:{whole % 60:02d}"
