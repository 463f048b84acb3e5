"""Rating the shown take (app/rating.py) on a real library: the target follows the shown take and
moves professionalism, clarity, professionalism with each digit; a click makes a scale the target;
a rating is shown at once and written on the library's thread; without a take digits rate nothing."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile
from pytestqt.qtbot import QtBot

from closer_desktop.app.library import LibraryService
from closer_desktop.app.rating import Rating
from closer_desktop.domain.deck import load_deck
from closer_desktop.domain.practice import RatingScale, Take
from closer_desktop.paths import default_deck_path
from closer_desktop.storage.library import Library

DECK = load_deck(default_deck_path())
P, C = RatingScale.PROFESSIONALISM, RatingScale.CLARITY
TIMEOUT = 10_000


def recorded_take(data_dir: Path) -> Take:
    library = Library(data_dir)
    try:
        session = library.start_session(DECK.id)
        take = library.begin_take(session, DECK.id, DECK.questions[0], 16000)
        soundfile.write(library.audio_file(take), np.full(8000, 0.1, np.float32), 16000)
        return library.finish_take(take.id, 0.5, 16000)
    finally:
        library.close()


def stored(data_dir: Path, take_id: int) -> Take:
    library = Library(data_dir)
    try:
        return library.take(take_id)
    finally:
        library.close()


@pytest.fixture
def library(library_service: LibraryService) -> LibraryService:
    return library_service  # tests/support/fixtures.py


def test_digits_rate_professionalism_then_clarity_and_are_written(
    qtbot: QtBot, library: LibraryService
) -> None:
    take = recorded_take(library.data_dir)
    rating = Rating(library)
    targets: list[RatingScale | None] = []
    rated: list[Take] = []
    rating.target_changed.connect(targets.append)
    rating.rated.connect(rated.append)
    rating.show(take)
    assert rating.target is P and targets == [P]
    assert rating.rate_next(4) is P
    assert take.professionalism == 4 and rated == [take]  # shown at once, before it is written
    assert rating.rate_next(2) is C
    assert (take.professionalism, take.clarity) == (4, 2)
    assert targets == [P, C, None]  # both set: saved, no scale waits for a digit
    qtbot.waitUntil(lambda: not library.runner.busy, timeout=TIMEOUT)
    saved = stored(library.data_dir, take.id)
    assert (saved.professionalism, saved.clarity) == (4, 2)


def test_a_click_on_a_scale_makes_it_the_target(library: LibraryService) -> None:
    take = recorded_take(library.data_dir)
    rating = Rating(library)
    rating.show(take)
    rating.set_target(C)
    assert rating.rate_next(5) is C and take.clarity == 5 and take.professionalism is None
    assert rating.target is P


def test_a_take_starting_holds_the_target_off_and_a_new_take_starts_it_again(
    library: LibraryService,
) -> None:
    take = recorded_take(library.data_dir)
    rating = Rating(library)
    rating.show(take)
    rating.rate_next(3)
    rating.set_target(None)  # a take is starting
    assert rating.target is None
    rating.show(take)  # the saved take is shown: the scale it still lacks
    assert rating.target is C


def test_without_a_take_digits_rate_nothing(qtbot: QtBot, library: LibraryService) -> None:
    rating = Rating(library)
    rated: list[Take] = []
    rating.rated.connect(rated.append)
    rating.show(None)
    rating.set_target(C)  # a click on a disabled scale
    assert rating.target is None
    assert rating.rate_next(4) is None
    rating.rate(P, 4)
    assert rated == [] and not library.runner.busy


def test_a_third_digit_rates_again_from_professionalism_and_says_what_it_changed(
    qtbot: QtBot, library: LibraryService
) -> None:
    take = recorded_take(library.data_dir)
    rating = Rating(library)
    changes: list[str] = []
    rating.notice.connect(lambda _level, text, _undo: changes.append(text))
    rating.show(take)
    rating.rate_next(3)
    rating.rate_next(4)
    assert changes == [] and rating.target is None  # set, not changed: saved quietly
    assert rating.rate_next(5) is P  # a third digit: professionalism again, visibly
    assert changes == ["Professionalism changed 3 → 5."]
    assert rating.target is C
    rating.rate_next(4)  # clarity the same as before: nothing to say
    assert changes == ["Professionalism changed 3 → 5."] and rating.target is None
    qtbot.waitUntil(lambda: not library.runner.busy, timeout=TIMEOUT)
    saved = stored(library.data_dir, take.id)
    assert (saved.professionalism, saved.clarity) == (5, 4)
    rating.show(saved)  # a rated take shown again: saved, nothing targeted
    assert rating.target is None
