"""A take of a few words has no pace: the feedback tile says "Not measured", so History shows no
pace for it either, flags none and its "pace outside" filter does not find it (a two-word take
over a second reads 240 words a minute, which says nothing about the speaker's pace)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from closer_desktop.domain import coaching
from closer_desktop.domain.coaching import Aspect
from closer_desktop.domain.deck import load_deck
from closer_desktop.domain.delivery import MIN_WORDS_FOR_PACE, Delivery
from closer_desktop.paths import default_deck_path
from closer_desktop.storage.library import Library
from closer_desktop.storage.queries.history import (
    DeliveryFilter,
    GroupBy,
    TakeFilter,
    find_page,
    find_takes,
)
from closer_desktop.storage.queries.progress import Scope, delivery_points
from closer_desktop.storage.take_metrics import save_metrics
from tests.support.delivery import delivery_metrics

DECK = load_deck(default_deck_path())


@pytest.fixture
def library(data_dir: Path) -> Iterator[Library]:
    library = Library(data_dir)
    session = library.start_session(DECK.id)
    when = datetime(2026, 11, 2, 10, 0, tzinfo=timezone(timedelta(hours=1)))
    take = library.begin_take(session, DECK.id, DECK.questions[0], 16000, when)
    library.finish_take(take.id, 2.0, 16000)
    yield library
    library.close()


@pytest.mark.parametrize(
    ("wpm", "speaking_s", "paced"),
    [
        (240.0, 1.0, False),  # 4 words in a second: too few to say anything about pace
        (240.0, 1.25, True),  # 5 words: judged, and far too fast
        (60.0, 4.0, False),  # 4 slow words
    ],
)
def test_a_take_of_a_few_words_has_no_pace_anywhere(
    library: Library, wpm: float, speaking_s: float, paced: bool
) -> None:
    take = find_takes(library, TakeFilter(), GroupBy.DATE, 0, 1)[0]
    metrics = delivery_metrics(wpm=wpm, speaking_s=speaking_s)
    assert (len(metrics["words"]) >= MIN_WORDS_FOR_PACE) is paced
    save_metrics(library, take.id, metrics)

    tile = next(t for t in coaching.tiles(metrics) if t.aspect is Aspect.PACE)
    assert (tile.verdict is not None) is paced
    hinted = any(h["kind"] in ("too_slow", "too_fast") for h in metrics["hints"])
    assert hinted is paced

    page = find_page(library, TakeFilter(), GroupBy.DATE, 0, 9)
    assert (page.delivery[take.id].words_per_minute is not None) is paced
    # A take's figures just analysed (metrics_arrived) read as the stored ones do.
    assert Delivery.from_metrics(metrics) == page.delivery[take.id]
    outside = find_takes(
        library, TakeFilter(delivery=DeliveryFilter.PACE_OUTSIDE), GroupBy.DATE, 0, 9
    )
    assert [t.id for t in outside] == ([take.id] if paced else [])
    # Progress's pace chart leaves it out too (the session has no pace to plot).
    [point] = delivery_points(library, Scope(DECK.id))
    assert (point.words_per_minute is not None) is paced
