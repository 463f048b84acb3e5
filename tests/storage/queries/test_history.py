from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from closer_desktop.domain.deck import load_deck
from closer_desktop.domain.delivery import Delivery
from closer_desktop.domain.practice import RatingScale
from closer_desktop.paths import default_deck_path
from closer_desktop.storage.library import Library
from closer_desktop.storage.queries.history import (
    DeliveryFilter,
    GroupBy,
    TakeFilter,
    count_takes,
    find_page,
    find_takes,
)
from closer_desktop.storage.take_metrics import save_metrics
from tests.support.delivery import delivery_metrics

DECK = load_deck(default_deck_path())
TZ = timezone(timedelta(hours=1))


@pytest.fixture
def library(data_dir: Path) -> Iterator[Library]:
    library = Library(data_dir)
    session = library.start_session(DECK.id)
    plan = [  # (question index, day, professionalism, clarity, note, starred)
        (0, 1, 2, 1, "rushed", False),
        (0, 3, 4, 4, "", True),
        (2, 2, 5, 2, "mumbled 50% of it", False),
        (3, 5, None, None, "", False),
        (7, 6, 3, 5, "", False),
    ]
    for index, day, p, c, note, starred in plan:
        when = datetime(2026, 11, day, 10, 0, tzinfo=TZ)
        take = library.begin_take(session, DECK.id, DECK.questions[index], 16000, when)
        library.finish_take(take.id, 1.0, 16000)
        if p:
            library.set_rating(take.id, RatingScale.PROFESSIONALISM, p)
        if c:
            library.set_rating(take.id, RatingScale.CLARITY, c)
        if note:
            library.set_note(take.id, note)
        if starred:
            library.set_starred(take.id, True)
    yield library
    library.close()


def questions(
    library: Library, take_filter: TakeFilter, group: GroupBy = GroupBy.DATE
) -> list[str]:
    return [t.question_id for t in find_takes(library, take_filter, group, 0, 100)]


def test_newest_first_and_counted(library: Library) -> None:
    everything = TakeFilter()
    assert count_takes(library, everything) == 5
    assert questions(library, everything) == [
        "business-card",
        "decision-date",
        "fit-profile",
        "next-steps",
        "fit-profile",
    ]


def test_filters(library: Library) -> None:
    assert questions(library, TakeFilter(max_clarity=2)) == ["next-steps", "fit-profile"]
    assert questions(library, TakeFilter(has_note=True)) == ["next-steps", "fit-profile"]
    assert questions(library, TakeFilter(starred_only=True)) == ["fit-profile"]
    assert questions(library, TakeFilter(question_id="fit-profile")) == ["fit-profile"] * 2
    assert questions(library, TakeFilter(stage=DECK.questions[2].stage_title)) == [
        "decision-date",
        "next-steps",
    ]
    assert questions(library, TakeFilter(since=date(2026, 11, 3), until=date(2026, 11, 5))) == [
        "decision-date",
        "fit-profile",
    ]
    assert questions(library, TakeFilter(text="RUSHED")) == ["fit-profile"]
    assert questions(library, TakeFilter(text="50%")) == ["next-steps"]  # % is literal
    assert questions(library, TakeFilter(text="business card")) == ["business-card"]


def test_group_by_question_and_pages(library: Library) -> None:
    grouped = find_takes(library, TakeFilter(), GroupBy.QUESTION, 0, 100)
    texts = [t.question_text for t in grouped]
    assert texts == sorted(texts)
    page = find_takes(library, TakeFilter(), GroupBy.DATE, 2, 2)
    assert [t.question_id for t in page] == ["fit-profile", "next-steps"]


def test_trashed_takes_are_not_listed(library: Library) -> None:
    first = find_takes(library, TakeFilter(), GroupBy.DATE, 0, 1)[0]
    library.trash_take(first.id)
    assert count_takes(library, TakeFilter()) == 4


def test_delivery_figures_come_with_each_page(library: Library) -> None:
    newest, second, third, fourth, _oldest = find_takes(library, TakeFilter(), GroupBy.DATE, 0, 9)
    save_metrics(library, newest.id, delivery_metrics(wpm=182, pause_s=0.8, pitch=4.2))
    save_metrics(library, second.id, delivery_metrics(wpm=130, fillers=3, pause_s=2.6, pitch=1.4))
    no_transcript = delivery_metrics(wpm=None, pause_s=2.5, pitch=None)
    save_metrics(library, third.id, no_transcript)
    page = find_page(library, TakeFilter(), GroupBy.DATE, 0, 9)
    assert [t.id for t in page.takes] == [
        t.id for t in find_takes(library, TakeFilter(), GroupBy.DATE, 0, 9)
    ]
    assert page.delivery == {  # the last two takes are not analysed: no entry
        newest.id: Delivery(182.0, 0, 0.8, 4.2),
        second.id: Delivery(130.0, 3, 2.6, 1.4),
        third.id: Delivery(None, None, 2.5, None),  # no transcript: pace and fillers unknown
    }
    assert Delivery.from_metrics(no_transcript) == page.delivery[third.id]  # SQL and Python agree
    assert (
        Delivery.from_metrics(delivery_metrics(wpm=130, fillers=3, pause_s=2.6, pitch=1.4))
        == (page.delivery[second.id])
    )
    later = find_page(library, TakeFilter(), GroupBy.DATE, 2, 2)  # a later page: its own figures
    assert [t.id for t in later.takes] == [third.id, fourth.id]
    assert later.delivery == {third.id: Delivery(None, None, 2.5, None)}
    by_question = find_page(library, TakeFilter(), GroupBy.QUESTION, 0, 9)
    assert [t.question_text for t in by_question.takes] == sorted(
        t.question_text for t in page.takes
    )
    assert by_question.delivery == page.delivery


def test_delivery_filters_in_sql(library: Library) -> None:
    newest, second, third, fourth, oldest = find_takes(library, TakeFilter(), GroupBy.DATE, 0, 9)
    save_metrics(library, newest.id, delivery_metrics(wpm=182, pause_s=0.8, pitch=4.2))
    save_metrics(library, second.id, delivery_metrics(wpm=130, fillers=3, pause_s=2.6, pitch=1.4))
    save_metrics(library, third.id, delivery_metrics(wpm=None, pause_s=2.5, pitch=None))
    save_metrics(library, fourth.id, delivery_metrics(wpm=95, pause_s=2.4, pitch=2.0))

    def found(delivery: DeliveryFilter, **others: object) -> list[int]:
        take_filter = TakeFilter(delivery=delivery, **others)  # type: ignore[arg-type]
        ids = [t.id for t in find_takes(library, take_filter, GroupBy.DATE, 0, 9)]
        assert count_takes(library, take_filter) == len(ids)  # counting agrees with paging
        return ids

    assert found(DeliveryFilter.ANY) == [t.id for t in (newest, second, third, fourth, oldest)]
    assert found(DeliveryFilter.NOT_ANALYSED) == [oldest.id]
    assert found(DeliveryFilter.FILLERS) == [second.id]  # 0 fillers, or no transcript: not listed
    assert found(DeliveryFilter.PACE_OUTSIDE) == [newest.id, fourth.id]  # 182 and 95; 130 is fine
    assert found(DeliveryFilter.MONOTONE) == [second.id]  # 1.4 st; exactly 2.0 is not monotone
    assert found(DeliveryFilter.LONG_PAUSE) == [second.id, third.id]  # 2.6 and exactly 2.5 s
    # Combined with the other filters (second has no note, fourth has one).
    assert found(DeliveryFilter.PACE_OUTSIDE, has_note=True) == [fourth.id]
    assert found(DeliveryFilter.LONG_PAUSE, since=date(2026, 11, 3)) == [second.id, third.id]
    library.trash_take(second.id)  # the trash is never listed, metrics or not
    assert found(DeliveryFilter.FILLERS) == []


@pytest.mark.parametrize(
    ("figures", "flags"),
    [
        (dict(wpm=99, pause_s=2.49, pitch=1.99), ("pace", "monotone")),
        (dict(wpm=100, pause_s=2.5, pitch=2.0), ("long_pause",)),  # each band's edge is fine
        (dict(wpm=165, pause_s=0.0, pitch=4.0), ()),
        (dict(wpm=166, pause_s=3.0, pitch=None), ("pace", "long_pause")),
        # A pace is judged as it is shown, to the whole number: 165.4 reads 165, in the band.
        (dict(wpm=165.4, speaking_s=300.0), ()),
        (dict(wpm=165.5, speaking_s=120.0), ("pace",)),
        (dict(wpm=99.5, speaking_s=120.0), ()),
    ],
)
def test_the_analysers_hints_and_historys_filters_flag_the_same_takes(
    library: Library, figures: dict[str, float | None], flags: tuple[str, ...]
) -> None:
    """One definition of the bands (domain.delivery): the hint the analyser gives a take, the
    flag History's row shows and History's filter in SQL all agree, at the edges too."""
    take = find_takes(library, TakeFilter(), GroupBy.DATE, 0, 1)[0]
    metrics = delivery_metrics(**figures)  # type: ignore[arg-type]
    save_metrics(library, take.id, metrics)
    hints = {h["kind"] for h in metrics["hints"]}
    delivery = Delivery.from_metrics(metrics)
    by_filter = {
        "pace": DeliveryFilter.PACE_OUTSIDE,
        "monotone": DeliveryFilter.MONOTONE,
        "long_pause": DeliveryFilter.LONG_PAUSE,
    }
    filtered = {
        flag
        for flag, delivery_filter in by_filter.items()
        if take.id
        in [
            t.id
            for t in find_takes(library, TakeFilter(delivery=delivery_filter), GroupBy.DATE, 0, 9)
        ]
    }
    hinted = {"pace" if kind in ("too_slow", "too_fast") else kind for kind in hints}
    flagged = {
        flag
        for flag, on in (
            ("pace", delivery.pace_outside),
            ("monotone", delivery.monotone),
            ("long_pause", delivery.long_pause),
        )
        if on
    }
    assert filtered == hinted == flagged == set(flags)
