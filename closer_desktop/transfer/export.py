"""Data ownership: the whole library as JSON (field names are a contract; later versions add only)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from closer_desktop import __version__
from closer_desktop.domain.practice import Take
from closer_desktop.storage.files import check_output_path, write_atomically
from closer_desktop.storage.library import Library
from closer_desktop.storage.take_metrics import metrics_by_take

EXPORT_FORMAT_VERSION = 1


def take_to_json(take: Take, metrics: dict[str, Any] | None = None) -> dict[str, Any]:
    """A take as exported; `metrics` is its stored delivery feedback (null until analysed)."""
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
        "metrics": metrics,
    }


def library_to_json(library: Library) -> dict[str, Any]:
    metrics = metrics_by_take(library)
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
                "takes": [take_to_json(t, metrics.get(t.id)) for t in session.takes],
            }
            for session in library.sessions()
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
