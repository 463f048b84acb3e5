"""Delivery metrics of one take: what `closer analyze` prints and what is stored with a take.

`analyse_file` (or `analyse` on samples) runs the acoustic measures and, when speech recognition
is installed, the transcript, and returns a `Metrics`. `Metrics.to_json()` is the stable JSON
form (field names are a contract: later versions only add fields); `Metrics.hints()` the
plain-language feedback. Stored results carry ANALYSER_VERSION: bump it whenever a change here
would change a figure, so stored metrics are recomputed. No Qt here: call from a worker thread.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from closer_desktop.analysis.acoustics import (
    MIN_PAUSE_S,
    Interval,
    measure_decoded,
)
from closer_desktop.analysis.audio_input import Decoded, decode_array, read_mono, resample
from closer_desktop.analysis.fillers import Filler, find_fillers, is_hesitation
from closer_desktop.analysis.transcribe import (
    SAMPLE_RATE,
    Recognizer,
    SpeechUnavailable,
    Word,
    shared_recognizer,
    speech_unavailable,
)
from closer_desktop.domain.coaching import whole
from closer_desktop.domain.delivery import (
    CLIPPED_WARN,
    LONG_PAUSE_S,
    MIN_WORDS_FOR_PACE,
    MONOTONE_SEMITONES,
    PACE_WPM,
    QUIET_DBFS,
    Verdict,
    judge_pace,
    pace_verdict,
    words_a_minute,
)

# Raised whenever a figure for the same audio would change, so stored results are recomputed.
# 2: the encoder reads short windows and made-up closing segments are dropped (transcribe.py).
# 3: pace over the talk's elapsed time; pitch in a range adapted to the speaker (pitch.py); words
# sharing one instant decoded again; every spelling of a hesitation; stutters (fillers.py);
# hesitations timed on the stretch of speech they were said in (fillers.place_hesitations);
# pauses judged by the level above the speech band's floor (acoustics.SPEECH_ABOVE_HZ) under a
# loud end no single burst sets; a doubtful hesitation with no sound between two words dropped as
# a short word misheard (fillers.without_misheard_hesitations).
# 4: chunks of up to 28 s cut at the longest pauses, meeting mid-pause; a decoding that skipped
# speech decoded again in parts; a closing phrase repeated with no audio dropped (transcribe.py).
ANALYSER_VERSION = 4


@dataclass(frozen=True)
class Hint:
    kind: str  # "long_pause", "too_quiet", "clipping", "monotone", "too_slow", "too_fast"
    message: str


@dataclass(frozen=True)
class Metrics:
    duration_s: float
    speaking_time_s: float
    pauses: tuple[Interval, ...]
    speech_level_dbfs: float | None
    peak_dbfs: float | None
    clipped_fraction: float
    pitch_spread_semitones: float | None
    transcript: str | None  # None: not transcribed (see transcript_note)
    words: tuple[Word, ...] = ()
    fillers: tuple[Filler, ...] = ()
    transcript_note: str | None = None  # why there is no transcript, and how to get one
    analyser_version: int = ANALYSER_VERSION

    @property
    def longest_pause_s(self) -> float:
        return max((p.duration_s for p in self.pauses), default=0.0)

    @property
    def long_pauses(self) -> tuple[Interval, ...]:
        return tuple(p for p in self.pauses if p.duration_s >= LONG_PAUSE_S - 1e-9)

    @property
    def spoken_word_count(self) -> int:
        """Words said, hesitations ("um") left out."""
        return sum(1 for w in self.words if not is_hesitation(w.text))

    @property
    def talk_span_s(self) -> float:
        """From the first word's start to the last word's end: the time pace is judged over."""
        if not self.words:
            return 0.0
        return max(0.0, max(w.end_s for w in self.words) - min(w.start_s for w in self.words))

    @property
    def words_per_minute(self) -> float | None:
        """Pace: words said over the elapsed time from the first word to the last, pauses
        included (what the band of 100-165 words a minute is for; pausing more slows it)."""
        if self.transcript is None or self.talk_span_s <= 0:
            return None
        return self.spoken_word_count / self.talk_span_s * 60.0

    @property
    def articulation_rate_wpm(self) -> float | None:
        """Words over speaking time, pauses left out: how fast the words themselves come. Shown
        for information only; it has no band (fluent speech is often 160-220)."""
        if self.transcript is None or self.speaking_time_s <= 0:
            return None
        return self.spoken_word_count / self.speaking_time_s * 60.0

    def hints(self) -> list[Hint]:
        hints: list[Hint] = []
        if self.long_pauses:
            n = len(self.long_pauses)
            hints.append(
                Hint(
                    "long_pause",
                    f"{n} pause{'s' if n > 1 else ''} of {LONG_PAUSE_S:g} s or more "
                    f"(longest {self.longest_pause_s:.1f} s): a long silence can read as lost.",
                )
            )
        if self.speech_level_dbfs is not None and self.speech_level_dbfs < QUIET_DBFS:
            hints.append(
                Hint(
                    "too_quiet",
                    f"Too quiet ({self.speech_level_dbfs:.0f} dBFS): move closer to the "
                    "microphone or raise its input level.",
                )
            )
        if self.clipped_fraction >= CLIPPED_WARN:
            hints.append(
                Hint(
                    "clipping",
                    f"Clipping ({self.clipped_fraction:.2%} of the take at full scale): lower the "
                    "input level or move back a little.",
                )
            )
        spread = self.pitch_spread_semitones
        if spread is not None and spread < MONOTONE_SEMITONES:
            hints.append(
                Hint(
                    "monotone",
                    f"Sounds monotone: your pitch varies by {spread:.1f} semitones "
                    f"(lively speech: {MONOTONE_SEMITONES:g} or more).",
                )
            )
        # The figure as stored (one decimal), judged and shown as every page shows it.
        wpm = _round(self.words_per_minute, 1)
        if wpm is not None and self.spoken_word_count >= MIN_WORDS_FOR_PACE:
            low, high = PACE_WPM
            pace = judge_pace(wpm)
            how = "a little" if pace_verdict(wpm) is Verdict.WATCH else "much too"
            if pace == "slow":
                hints.append(
                    Hint(
                        "too_slow",
                        f"{words_a_minute(wpm)} words a minute, pauses included: {how} slow "
                        f"({low:g}-{high:g}).",
                    )
                )
            elif pace == "fast":
                hints.append(
                    Hint(
                        "too_fast",
                        f"{words_a_minute(wpm)} words a minute, pauses included: {how} fast "
                        f"({low:g}-{high:g}): a pause between points slows it.",
                    )
                )
        return hints

    def to_json(self) -> dict[str, Any]:
        wpm = self.words_per_minute
        return {
            "analyser_version": self.analyser_version,
            "duration_s": round(self.duration_s, 3),
            "speaking_time_s": round(self.speaking_time_s, 3),
            "pauses": [{"start_s": p.start_s, "end_s": p.end_s} for p in self.pauses],
            "pause_count": len(self.pauses),
            "longest_pause_s": round(self.longest_pause_s, 3),
            "long_pause_count": len(self.long_pauses),
            "speech_level_dbfs": self.speech_level_dbfs,
            "peak_dbfs": self.peak_dbfs,
            "clipped_fraction": round(self.clipped_fraction, 6),
            "pitch_spread_semitones": _round(self.pitch_spread_semitones, 2),
            "words_per_minute": _round(wpm, 1),
            "articulation_rate_wpm": _round(self.articulation_rate_wpm, 1),
            "transcribed": self.transcript is not None,
            "transcript": self.transcript or "",
            "transcript_note": self.transcript_note,
            "words": [{"word": w.text, "start_s": w.start_s, "end_s": w.end_s} for w in self.words],
            "fillers": [{"word": f.word, "start_s": f.start_s} for f in self.fillers],
            "hints": [{"kind": h.kind, "message": h.message} for h in self.hints()],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Metrics:
        """The inverse of to_json (for metrics stored with a take)."""
        return cls(
            duration_s=float(data["duration_s"]),
            speaking_time_s=float(data["speaking_time_s"]),
            pauses=tuple(Interval(p["start_s"], p["end_s"]) for p in data["pauses"]),
            speech_level_dbfs=data["speech_level_dbfs"],
            peak_dbfs=data["peak_dbfs"],
            clipped_fraction=float(data["clipped_fraction"]),
            pitch_spread_semitones=data["pitch_spread_semitones"],
            transcript=data["transcript"] if data.get("transcribed", True) else None,
            words=tuple(Word(w["word"], w["start_s"], w["end_s"]) for w in data["words"]),
            fillers=tuple(Filler(f["word"], f["start_s"]) for f in data["fillers"]),
            transcript_note=data.get("transcript_note"),
            analyser_version=int(data.get("analyser_version", 0)),
        )


def analyse_file(
    path: Path,
    *,
    transcribe: bool = True,
    recognizer: Recognizer | None = None,
    cancel: threading.Event | None = None,
) -> Metrics:
    """Analyse an audio file (raises AnalysisInputError when it cannot be read or is empty).
    It is read a block at a time into its mono mix: a long file never has all its channels in
    memory."""
    audio = read_mono(path)
    return _analyse(audio, transcribe=transcribe, recognizer=recognizer, cancel=cancel)


def analyse(
    data: npt.NDArray[np.floating[Any]],
    rate: int,
    *,
    transcribe: bool = True,
    recognizer: Recognizer | None = None,
    cancel: threading.Event | None = None,
) -> Metrics:
    """Analyse samples, (frames,) or (frames, channels), full scale 1.0.

    With `transcribe`, the transcript comes from `recognizer` or the process's shared one; when
    speech recognition is not installed the metrics say so in `transcript_note`. Setting
    `cancel` from another thread stops the transcript early (transcribe.Cancelled).
    """
    audio = decode_array(data, rate)
    return _analyse(audio, transcribe=transcribe, recognizer=recognizer, cancel=cancel)


def _analyse(
    decoded: Decoded,
    *,
    transcribe: bool,
    recognizer: Recognizer | None,
    cancel: threading.Event | None,
) -> Metrics:
    acoustics = measure_decoded(decoded)
    transcript: str | None = None
    words: tuple[Word, ...] = ()
    fillers: tuple[Filler, ...] = ()
    note: str | None = None
    if transcribe:
        note = speech_unavailable() if recognizer is None else None
    else:
        note = "Not transcribed."
    if transcribe and note is None:
        try:
            engine = recognizer or shared_recognizer()
            if acoustics.speech:
                audio = resample(decoded.mono, decoded.rate, SAMPLE_RATE)
                result = engine.transcribe(
                    audio, acoustics.speech, cancel, between_pauses=acoustics.heard
                )
                transcript, words = result.text, result.words
            else:
                transcript = ""
            fillers = tuple(find_fillers(words))
        except SpeechUnavailable as exc:
            note = str(exc)
    return Metrics(
        duration_s=acoustics.duration_s,
        speaking_time_s=acoustics.speaking_time_s,
        pauses=acoustics.pauses,
        speech_level_dbfs=acoustics.speech_level_dbfs,
        peak_dbfs=acoustics.peak_dbfs,
        clipped_fraction=acoustics.clipped_fraction,
        pitch_spread_semitones=acoustics.pitch_spread_semitones,
        transcript=transcript,
        words=words,
        fillers=fillers,
        transcript_note=note,
    )


def describe(metrics: Metrics, name: str) -> str:
    """The metrics as a few lines of plain text (what `closer analyze FILE` prints)."""
    m = metrics

    def db(value: float | None) -> str:
        return "silence" if value is None else f"{whole(value, 1)} dBFS"  # never "-0.0"

    lines = [f"{name}: {m.duration_s:.1f} s, speaking {m.speaking_time_s:.1f} s"]
    if m.pauses:
        flagged = f", {len(m.long_pauses)} of {LONG_PAUSE_S:g} s or more" if m.long_pauses else ""
        lines.append(
            f"pauses: {len(m.pauses)} of {MIN_PAUSE_S:g} s or more, longest "
            f"{m.longest_pause_s:.1f} s{flagged}"
        )
    else:
        lines.append(f"pauses: none of {MIN_PAUSE_S:g} s or more")
    lines.append(
        f"loudness: speech {db(m.speech_level_dbfs)}, peak {db(m.peak_dbfs)}, "
        f"clipped {m.clipped_fraction:.2%}"
    )
    spread = m.pitch_spread_semitones
    lines.append(
        "pitch: too little voiced speech to measure"
        if spread is None
        else f"pitch: varies by {spread:.1f} semitones"
    )
    if m.transcript is None:
        lines.append(f"transcript: {m.transcript_note or 'none'}")
    else:
        wpm = _round(m.words_per_minute, 1)  # as stored, and rounded as every page shows it
        lines.append(
            f"pace: {words_a_minute(wpm)} words a minute, first word to last, pauses included"
            if wpm
            else "pace: -"
        )
        rate = _round(m.articulation_rate_wpm, 1)
        if rate:
            lines.append(
                f"articulation rate: {words_a_minute(rate)} words a minute of speaking time"
            )
        said = ", ".join(f"{f.word} ({f.start_s:.1f} s)" for f in m.fillers)
        lines.append(f"fillers: {len(m.fillers)}" + (f": {said}" if said else ""))
        lines.append(f"transcript: {m.transcript or '(no words heard)'}")
    for hint in m.hints():
        lines.append(f"hint: {hint.message}")
    return "\n".join(lines)


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)
