"""Libraries whose takes were said in each mode and analysed, with the line check stored the way
the app stores it (app/operations.save_metrics), for the readers of the line check."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import numpy as np
import soundfile

from closer_desktop.app import operations as ops
from closer_desktop.domain.deck import Question, load_deck
from closer_desktop.domain.practice import Take
from closer_desktop.paths import default_deck_path
from closer_desktop.storage.library import Library
from tests.support.delivery import delivery_metrics

DECK = load_deck(default_deck_path())
NEXT_STEPS = next(q for q in DECK.questions if q.id == "next-steps")  # keys: next steps, ...
DECISION = next(q for q in DECK.questions if q.id == "decision-date")
START = datetime(2026, 3, 2, 9, 0, tzinfo=timezone(timedelta(hours=1)))


def said_metrics(transcript: str | None) -> dict[str, Any]:
    """Metrics in the real JSON shape whose transcript is `transcript` (None: not transcribed)."""
    metrics = delivery_metrics(wpm=None if transcript is None else 140.0)
    if transcript is not None:
        metrics["transcript"] = transcript
        metrics["words"] = [
            {"word": w, "start_s": i * 0.3, "end_s": i * 0.3 + 0.25}
            for i, w in enumerate(transcript.split())
        ]
    return metrics


def record(
    library: Library,
    session: int,
    question: Question,
    transcript: str | None,
    minutes: int,
    mode: str = "read",
    rating: int | None = None,
) -> Take:
    """A finished take of `question` `minutes` after START, said in `mode`, analysed (its
    metrics and line check stored as the app does) unless `transcript` is ...; `rating` sets
    both ratings."""
    from closer_desktop.domain.practice import RatingScale

    take = library.begin_take(
        session,
        DECK.id,
        question,
        16000,
        START + timedelta(minutes=minutes),
        mode=mode,
        hint_level=None if mode == "read" else 0,
        key_phrases=question.key_phrases,
    )
    soundfile.write(library.audio_file(take), np.full(8000, 0.01, np.float32), 16000)
    take = library.finish_take(take.id, 0.5, 16000)
    if rating is not None:
        for scale in RatingScale:
            library.set_rating(take.id, scale, rating)
    analyse(library, take, transcript)
    return library.take(take.id)


def analyse(library: Library, take: Take, transcript: str | None) -> bool:
    """Store `transcript`'s metrics for `take` through the app's operation (on this thread)."""
    return ops.save_metrics(take.id, said_metrics(transcript), take.uid).work(library)


def line_library(data_dir: Path) -> dict[str, int]:
    """Takes by name: a read take said word for word, memory takes from weak to perfect, a run
    take that said another line of the deck, a memory take without a transcript."""
    library = Library(data_dir)
    session = library.start_session(DECK.id, START)
    ids = {
        "read": record(
            library, session, NEXT_STEPS, "What are the next steps in the hiring process?", 0
        ),
        "weak": record(library, session, NEXT_STEPS, "What are the next steps?", 1, "memory"),
        "keyless": record(
            library,
            session,
            NEXT_STEPS,
            "What are the next stages in the hiring process?",
            2,
            "memory",
        ),
        "perfect": record(
            library,
            session,
            NEXT_STEPS,
            "What are the next steps in the hiring process?",
            3,
            "memory",
        ),
        "other": record(
            library, session, DECISION, "What are the next steps in the hiring process?", 4, "run"
        ),
        "untranscribed": record(library, session, DECISION, None, 5, "memory"),
    }
    library.close()
    return {name: take.id for name, take in ids.items()}
