"""Stored delivery metrics made to order, in the real JSON shape (analysis.metrics.Metrics.to_json)."""

from __future__ import annotations

from typing import Any

import pytest

from closer_desktop.analysis.acoustics import Interval
from closer_desktop.analysis.fillers import Filler
from closer_desktop.analysis.metrics import Metrics
from closer_desktop.analysis.transcribe import Word


def delivery_metrics(
    wpm: float | None = 140.0,
    fillers: int = 0,
    pause_s: float = 0.0,
    pitch: float | None = 4.0,
    speaking_s: float = 60.0,
) -> dict[str, Any]:
    """A take's metrics JSON: `wpm` words a minute over `speaking_s` of speech (None: no
    transcript, so no pace and no fillers), `fillers` "um"s, one pause of `pause_s` (if any) and
    a pitch spread of `pitch` semitones."""
    spoken = round(wpm * speaking_s / 60) if wpm is not None else 0
    step = speaking_s / max(1, spoken)  # the words spread over the whole speaking time
    words = [Word("word", i * step, (i + 1) * step) for i in range(spoken)]
    ums = [Word("um", speaking_s - 1 - i * 0.5, speaking_s - 0.8 - i * 0.5) for i in range(fillers)]
    pauses = (Interval(1.0, 1.0 + pause_s),) if pause_s else ()
    metrics = Metrics(
        duration_s=speaking_s + pause_s,
        speaking_time_s=speaking_s,
        pauses=pauses,
        speech_level_dbfs=-20.0,
        peak_dbfs=-3.0,
        clipped_fraction=0.0,
        pitch_spread_semitones=pitch,
        transcript=" ".join(w.text for w in words + ums) if wpm is not None else None,
        words=tuple(words + ums) if wpm is not None else (),
        fillers=tuple(Filler("um", w.start_s) for w in ums) if wpm is not None else (),
    )
    return metrics.to_json()


def analyse_here_without_speech(monkeypatch: pytest.MonkeyPatch) -> None:
    """The app's analyser works in this process (not its analysis process), without speech
    recognition: quick, independent of the speech extra, and open to spies on analyse_file."""
    from closer_desktop.analysis import metrics as metrics_module
    from closer_desktop.analysis import transcribe, worker
    from closer_desktop.app import take_analysis

    monkeypatch.setattr(take_analysis, "make_engine", worker.InProcessAnalysis)
    monkeypatch.setattr(worker, "background_recognizer", lambda: None)
    monkeypatch.setattr(metrics_module, "speech_unavailable", lambda: transcribe.ENABLE_HINT)
