"""Data ownership: the whole library as JSON (field names are a contract; later versions add only)."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from closer_desktop import __version__
from closer_desktop.analysis.line_check import LineMatch, check_transcript
from closer_desktop.domain.practice import Take
from closer_desktop.storage.files import check_output_path, write_atomically
from closer_desktop.storage.library import Library
from closer_desktop.storage.take_metrics import LINE_MATCH, metrics_by_take

EXPORT_FORMAT_VERSION = 1

log = logging.getLogger(__name__)


def take_to_json(
    take: Take, metrics: dict[str, Any] | None = None, other_lines: Sequence[str] = ()
) -> dict[str, Any]:
    """A take as exported; `metrics` is its stored delivery feedback (null until analysed).

    How it was said (`mode`, `hint_level`, `response_latency_s`) and its `line_match`: the line
    check stored with its metrics, or, for metrics stored before there was one, computed here
    from their transcript against the wording the take answered; null without a transcript.
    """
    metrics = None if metrics is None else dict(metrics)
    stored = None if metrics is None else metrics.pop(LINE_MATCH, _ABSENT)
    return {
        "id": take.id,
        "question_id": take.question_id,
        "question_text": take.question_text,
        "stage": take.stage,
        "recorded_at": take.recorded_at.isoformat(),
        "duration_s": round(take.duration_s, 3),
        "sample_rate": take.sample_rate,
        "audio_path": take.audio_path,
        "professionalism": take.professionalism,
        "clarity": take.clarity,
        "note": take.note,
        "recovered": take.recovered,
        "starred": take.starred,
        "mode": take.mode,
        "hint_level": take.hint_level,
        "response_latency_s": (
            None if take.response_latency_s is None else round(take.response_latency_s, 3)
        ),
        "line_match": _line_match(take, metrics, stored, other_lines),
        "metrics": metrics,
    }


_ABSENT = object()


def _line_match(
    take: Take, metrics: dict[str, Any] | None, stored: object, other_lines: Sequence[str]
) -> dict[str, Any] | None:
    """The stored check when it has the export's shape (a restored library may hold anything),
    otherwise the check made now from the transcript."""
    if metrics is None:
        return None
    if stored is None or isinstance(stored, dict):
        try:
            return None if stored is None else LineMatch.from_json(stored).to_json()
        except (KeyError, TypeError, ValueError):
            log.warning("take %s: its stored line check is damaged; checked again", take.id)
    match = check_transcript(metrics, take.question_text, take.key_phrases, other_lines)
    return None if match is None else match.to_json()


def library_to_json(library: Library) -> dict[str, Any]:
    metrics = metrics_by_take(library)
    sessions = library.sessions()
    lines: dict[str, dict[str, str]] = {}  # by deck, each question's latest wording
    for session in sessions:
        for take in session.takes:
            lines.setdefault(take.deck_id, {})[take.question_id] = take.question_text

    def others(take: Take) -> list[str]:
        deck = lines.get(take.deck_id, {})
        return [text for qid, text in deck.items() if qid != take.question_id]

    return {
        "format": "closer-export",
        "format_version": EXPORT_FORMAT_VERSION,
        "closer_version": __version__,
        "sessions": [
            {
                "id": session.id,
                "started_at": session.started_at.isoformat(),
                "ended_at": session.ended_at.isoformat() if session.ended_at else None,
                "deck": session.deck_id,
                "takes": [take_to_json(t, metrics.get(t.id), others(t)) for t in session.takes],
            }
            for session in sessions
        ],
    }


def export_json(library: Library, output: Path | None) -> str:
    """Serialise the library; write it atomically to `output` when given, and return the text.

    An `output` that is a named pipe, a device or a link raises OutputPathError (an OSError)
    before anything is written: the rename would replace it with a regular file.
    """
    if output is not None:
        check_output_path(output)
    text = json.dumps(library_to_json(library), indent=2, ensure_ascii=False) + "\n"
    if output is not None:
        write_atomically(output, text.encode("utf-8"))
    return text
