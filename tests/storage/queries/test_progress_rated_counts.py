"""Per question, how many takes rated each scale: whether its first and recent means are apart
(domain.progress.question_trend) is decided per scale, on a real library."""

from __future__ import annotations

from pathlib import Path

from closer_desktop.domain.progress import TREND_AFTER, question_trend
from closer_desktop.storage.library import Library
from closer_desktop.storage.queries.progress import Scope, question_progress
from tests.support.progress_library import DECK, Q, add, at, build


def test_each_scale_counts_its_own_live_ratings(tmp_path: Path) -> None:
    library = Library(tmp_path / "data")
    try:
        build(library)
        by_id = {q.question_id: q for q in question_progress(library, Scope(DECK.id))}
    finally:
        library.close()
    counts = {qid: (q.rated_professionalism, q.rated_clarity) for qid, q in by_id.items()}
    # q1: the unrated take and the trashed (5, 5) do not count; q2: (1, 2) then (2, –).
    assert counts == {Q[0]: (4, 4), Q[1]: (1, 1), Q[2]: (2, 1), Q[3]: (1, 1)}


def test_a_trend_shows_once_a_scale_has_six_ratings(tmp_path: Path) -> None:
    library = Library(tmp_path / "data")
    try:
        session = library.start_session(DECK.id)
        ratings = [(2, 3), (2, 3), (3, None), (3, 3), (4, None), (4, None)]
        for minute, (p, c) in enumerate(ratings):
            add(library, session, 0, at("2026-11-04", f"09:{minute:02d}"), p, c)
        (q,) = question_progress(library, Scope(DECK.id))
    finally:
        library.close()
    assert (q.rated_professionalism, q.rated_clarity) == (TREND_AFTER, 3)
    trend = question_trend(
        [
            (q.rated_professionalism, q.first_professionalism, q.recent_professionalism),
            (q.rated_clarity, q.first_clarity, q.recent_clarity),
        ]
    )
    # Professionalism 2.3 → 3.7; clarity (three ratings, first and recent the same) waits.
    assert trend.text() == "▲ up 1.4"
