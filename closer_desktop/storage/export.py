"""Data ownership: the whole library as JSON (field names are a contract; later versions add only)."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from closer_desktop import __version__
from closer_desktop.domain.practice import Take
from closer_desktop.storage.library import Library

EXPORT_FORMAT_VERSION = 1


def take_to_json(take: Take) -> dict[str, Any]:
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
    }


def library_to_json(library: Library) -> dict[str, Any]:
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
                "takes": [take_to_json(t) for t in session.takes],
            }
            for session in library.sessions()
        ],
    }


def export_json(library: Library, output: Path | None) -> str:
    """Serialise the library; write it atomically to `output` when given, and return the text."""
    text = json.dumps(library_to_json(library), indent=2, ensure_ascii=False) + "\n"
    if output is not None:
        write_atomically(output, text.encode("utf-8"))
    return text


def write_atomically(path: Path, data: bytes) -> None:
    """Temp file in the same folder, fsync, rename: a crash leaves the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
