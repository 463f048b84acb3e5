from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from closer_desktop.domain.deck import load_deck
from closer_desktop.domain.practice import RatingScale
from closer_desktop.paths import default_deck_path
from closer_desktop.storage.history import GroupBy, TakeFilter, count_takes, find_takes
from closer_desktop.storage.library import Library

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
