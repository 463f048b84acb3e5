"""Progress's delivery trends on a real library holding a take whose stored metrics are not
JSON: that take is left out, the chart is not lost (json_extract raised 'malformed JSON')."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from closer_desktop.domain.deck import load_deck
from closer_desktop.paths import default_deck_path
from closer_desktop.storage.library import Library
from closer_desktop.storage.queries.progress import Scope, delivery_points
from closer_desktop.storage.take_metrics import save_metrics
from tests.support.delivery import delivery_metrics

DECK = load_deck(default_deck_path())


def test_delivery_points_leave_out_metrics_that_are_not_json(data_dir: Path) -> None:
    library = Library(data_dir)
    session = library.start_session(DECK.id)
    ids = []
    for minute in range(2):
        when = datetime(2026, 11, 5, 10, minute, tzinfo=timezone(timedelta(hours=1)))
        take = library.begin_take(session, DECK.id, DECK.questions[minute], 16000, when)
        library.finish_take(take.id, 1.0, 16000)
        ids.append(take.id)
    save_metrics(library, ids[0], delivery_metrics(150))
    library.db.execute(
        "INSERT INTO take_metrics (take_id, analyser_version, computed_at, metrics) "
        "VALUES (?, 1, '2026-11-05T10:02:00+01:00', '{\"words_per_minute\": ')",
        (ids[1],),
    )
    (point,) = delivery_points(library, Scope(DECK.id))
    assert point.takes == 1 and point.words_per_minute == pytest.approx(150, abs=1)
    library.close()
