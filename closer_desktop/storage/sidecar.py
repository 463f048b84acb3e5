"""Each take's audio file carries what restores its take: a small JSON file beside it.

`audio/2026-11/…_take-3.wav` has `audio/2026-11/…_take-3.wav.json`: the take's stable id, its
session, deck, question (id, wording and key phrases), time, length, ratings, note and flags, and
how it was said (mode, hint level, response latency; absent in older sidecars: a read take). The database stays
the source of truth; the sidecar lets a damaged database be rebuilt from the audio files, and lets
audio found without a row (a crash between copying a file and listing it) be adopted as the take it
was. Sidecars are written atomically (temp file, fsync, rename) by the library on its worker thread,
whenever the take changes; one that cannot be written only costs that ability, never the change.
"""

from __future__ import annotations

import json
import logging
import math
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from closer_desktop.domain.deck import MAX_KEY_PHRASE, MAX_KEY_PHRASES
from closer_desktop.domain.practice import MAX_HINT_LEVEL, TAKE_MODES
from closer_desktop.storage.files import write_atomically

log = logging.getLogger(__name__)

FORMAT_NAME = "closer-take"
FORMAT_VERSION = 1
SUFFIX = ".json"
AUDIO_SUFFIXES = (".wav", ".flac")
MAX_BYTES = 256 * 1024  # a sidecar holds a note of at most 1,000 characters: far less than this
MAX_SAMPLE_RATE = 1_000_000  # far above any sound card: a larger figure is damage


def sidecar_path(audio: Path) -> Path:
    return audio.with_name(audio.name + SUFFIX)


def is_audio_name(name: str) -> bool:
    """A take's audio file by its name (hidden files are temporary copies, never takes)."""
    return not name.startswith(".") and name.lower().endswith(AUDIO_SUFFIXES)


@dataclass(frozen=True)
class TakeRecord:
    """What a sidecar says about its take (all a take row needs, bar its path and ids)."""

    uid: str
    session_uid: str
    session_started_at: datetime
    deck_id: str
    question_id: str
    question_text: str
    stage: str
    recorded_at: datetime
    duration_s: float
    sample_rate: int
    professionalism: int | None
    clarity: int | None
    note: str
    starred: bool
    recovered: bool
    complete: bool
    mode: str = "read"
    hint_level: int | None = None
    key_phrases: tuple[str, ...] = ()
    response_latency_s: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT_NAME,
            "format_version": FORMAT_VERSION,
            "uid": self.uid,
            "session": {"uid": self.session_uid, "started_at": self.session_started_at.isoformat()},
            "deck": self.deck_id,
            "question_id": self.question_id,
            "question_text": self.question_text,
            "stage": self.stage,
            "recorded_at": self.recorded_at.isoformat(),
            "duration_s": round(self.duration_s, 3),
            "sample_rate": self.sample_rate,
            "professionalism": self.professionalism,
            "clarity": self.clarity,
            "note": self.note,
            "starred": self.starred,
            "recovered": self.recovered,
            "status": "complete" if self.complete else "recording",
            "mode": self.mode,
            "hint_level": self.hint_level,
            "key_phrases": list(self.key_phrases),
            "response_latency_s": (
                None if self.response_latency_s is None else round(self.response_latency_s, 3)
            ),
        }


def write(audio: Path, record: TakeRecord, durable: bool = True) -> bool:
    """Write the sidecar of `audio` atomically; False (logged) when the disk refuses."""
    data = json.dumps(record.to_json(), ensure_ascii=False, indent=1).encode("utf-8")
    try:
        write_atomically(sidecar_path(audio), data, durable)
    except OSError as exc:
        log.warning("could not write the sidecar of %s: %s", audio.name, exc)
        return False
    return True


def read(audio: Path) -> TakeRecord | None:
    """The record beside `audio`, or None when there is none or it cannot be trusted."""
    path = sidecar_path(audio)
    try:
        if path.stat().st_size > MAX_BYTES:
            return None
        raw = json.loads(path.read_bytes().decode("utf-8"))
        return _parse(raw)
    except FileNotFoundError:
        return None
    except Exception as exc:
        # Any damage (a number too large, JSON nested too deep, a field of the wrong shape)
        # means "no sidecar": the take is still adopted, from what its audio file tells.
        log.warning("ignoring the sidecar of %s: %r", audio.name, exc)
        return None


def move(source_audio: Path, target_audio: Path) -> None:
    """Move a sidecar along with its audio file (best effort: the database has the facts)."""
    try:
        os.replace(sidecar_path(source_audio), sidecar_path(target_audio))
    except FileNotFoundError:
        pass
    except OSError as exc:
        log.warning("could not move the sidecar of %s: %s", source_audio.name, exc)


def remove(audio: Path) -> None:
    try:
        sidecar_path(audio).unlink(missing_ok=True)
    except OSError as exc:
        log.warning("could not remove the sidecar of %s: %s", audio.name, exc)


def _parse(raw: Any) -> TakeRecord:
    if not isinstance(raw, dict) or raw.get("format") != FORMAT_NAME:
        raise ValueError("not a Closer take sidecar")
    version = raw.get("format_version")
    if not isinstance(version, int) or version < 1:
        raise ValueError(f"unknown sidecar version {version!r}")
    session = raw.get("session") or {}
    if not isinstance(session, dict):
        raise TypeError(f"expected a session object, found {session!r}")
    duration_s = float(raw.get("duration_s") or 0.0)
    if not math.isfinite(duration_s):
        raise ValueError(f"length {duration_s} is not one")
    sample_rate = int(raw.get("sample_rate") or 0)
    if not 0 <= sample_rate <= MAX_SAMPLE_RATE:
        raise ValueError(f"sample rate {sample_rate} is not one")
    recorded_at = _time(raw["recorded_at"])
    return TakeRecord(
        uid=_text(raw["uid"]),
        session_uid=_text(session.get("uid", "")),
        session_started_at=_time(session.get("started_at") or raw["recorded_at"]),
        deck_id=_text(raw["deck"]),
        question_id=_text(raw["question_id"]),
        question_text=_text(raw["question_text"]),
        stage=_text(raw.get("stage", "")),
        recorded_at=recorded_at,
        duration_s=max(0.0, duration_s),
        sample_rate=sample_rate,
        professionalism=_rating(raw.get("professionalism")),
        clarity=_rating(raw.get("clarity")),
        note=_text(raw.get("note", ""))[:1000],
        starred=raw.get("starred") is True,
        recovered=raw.get("recovered") is True,
        complete=raw.get("status") == "complete",
        mode=_mode(raw.get("mode")),
        hint_level=_hint_level(raw.get("hint_level")),
        key_phrases=_key_phrases(raw.get("key_phrases")),
        response_latency_s=_latency(raw.get("response_latency_s")),
    )


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, found {value!r}")
    return value


def _time(value: Any) -> datetime:
    when = datetime.fromisoformat(_text(value))
    return when if when.tzinfo is not None else when.astimezone()


# Like the ratings, the fields of how a take was said fall back to "not known" one by one when
# damaged (or written by a later Closer that knows more modes): the take keeps everything else.


def _mode(value: Any) -> str:
    return value if isinstance(value, str) and value in TAKE_MODES else "read"


def _hint_level(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_HINT_LEVEL:
        return value
    return None


def _key_phrases(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(p[:MAX_KEY_PHRASE] for p in value[:MAX_KEY_PHRASES] if isinstance(p, str))


def _latency(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) and value >= 0 else None


def _rating(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5:
        return value
    return None
