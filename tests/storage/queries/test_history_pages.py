"""History's pages on a real library: a take whose stored metrics are not JSON costs only its
own figures (with a warning), never the page or a filter; grouped by question, each page brings
its questions' groups (how many takes the filter finds, and their mean ratings)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from closer_desktop.domain.deck import load_deck
from closer_desktop.domain.practice import RatingScale
from closer_desktop.paths import default_deck_path
from closer_desktop.storage.library import Library
from closer_desktop.storage.queries.history import (
    DeliveryFilter,
    GroupBy,
    TakeFilter,
    count_takes,
    find_page,
)
from closer_desktop.storage.take_metrics import save_metrics
from tests.support.delivery import delivery_metrics

DECK = load_deck(default_deck_path())
TZ = timezone(timedelta(hours=1))


@pytest.fixture
def library(data_dir: Path) -> Iterator[Library]:
    """Four takes: two of question 0 (rated 2/1 and 4/unrated), one of question 2, one of 3."""
    library = Library(data_dir)
    session = library.start_session(DECK.id)
    for day, (index, p, c) in enumerate([(0, 2, 1), (0, 4, None), (2, 5, 3), (3, None, None)]):
        when = datetime(2026, 11, day + 1, 10, 0, tzinfo=TZ)
        take = library.begin_take(session, DECK.id, DECK.questions[index], 16000, when)
        library.finish_take(take.id, 1.0, 16000)
        if p:
            library.set_rating(take.id, RatingScale.PROFESSIONALISM, p)
        if c:
            library.set_rating(take.id, RatingScale.CLARITY, c)
    yield library
    library.close()


def test_metrics_that_are_not_json_blank_only_their_take(
    library: Library, caplog: pytest.LogCaptureFixture
) -> None:
    ids = [t.id for t in find_page(library, TakeFilter(), GroupBy.DATE, 0, 10).takes]
    save_metrics(library, ids[0], delivery_metrics(182, fillers=2, pause_s=3.0))
    save_metrics(library, ids[1], delivery_metrics(130))
    # What a damaged or hand-edited library may hold: a row of text that is not JSON.
    library.db.execute(
        "INSERT INTO take_metrics (take_id, analyser_version, computed_at, metrics) "
        "VALUES (?, 1, '2026-11-05T10:00:00+01:00', '{\"words_per_minute\": 1')",
        (ids[2],),
    )
    with caplog.at_level(logging.WARNING):
        page = find_page(library, TakeFilter(), GroupBy.DATE, 0, 10)
    assert [t.id for t in page.takes] == ids  # the page, whole
    assert page.unreadable == {ids[2]}
    assert ids[2] not in page.delivery and ids[2] not in page.line
    assert page.delivery[ids[0]].words_per_minute == 182
    assert page.pacing[ids[0]].long_pauses == 1 and page.pacing[ids[0]].speaking_s == 60.0
    assert f"take {ids[2]}" in caplog.text and "not JSON" in caplog.text
    for wanted, expected in (
        (DeliveryFilter.PACE_OUTSIDE, [ids[0]]),
        (DeliveryFilter.LONG_PAUSE, [ids[0]]),
        (DeliveryFilter.FILLERS, [ids[0]]),
        (DeliveryFilter.MONOTONE, []),
    ):
        take_filter = TakeFilter(delivery=wanted)
        found = find_page(library, take_filter, GroupBy.DATE, 0, 10).takes
        assert [t.id for t in found] == expected
        assert count_takes(library, take_filter) == len(expected)


def test_grouped_by_question_a_page_brings_its_groups(library: Library) -> None:
    page = find_page(library, TakeFilter(), GroupBy.QUESTION, 0, 2)
    texts = {t.question_text for t in page.takes}
    assert set(page.groups) == texts  # only the page's questions
    first = DECK.questions[0].text
    group = page.groups[first]
    assert group.takes == 2
    assert group.mean_professionalism == 3.0  # (2 + 4) / 2
    assert group.mean_clarity == 1.0  # the unrated take does not count
    take = next(t for t in page.takes if t.question_text == first and t.clarity is None)
    assert group.without(take).takes == 1
    assert group.without(take).mean_professionalism == 2.0
    # Over the filter's takes, not the page's: at most 1 for clarity leaves one take of it.
    narrowed = find_page(library, TakeFilter(max_clarity=1), GroupBy.QUESTION, 0, 10)
    assert narrowed.groups == {first: narrowed.groups[first]}
    assert narrowed.groups[first].takes == 1
    assert find_page(library, TakeFilter(), GroupBy.DATE, 0, 10).groups == {}
