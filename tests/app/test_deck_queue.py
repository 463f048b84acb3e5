"""The practised deck's queue on a real library: in order at once, weakest-first once the ratings
are read on the library's thread, and in order when they cannot be read."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import soundfile
from pytestqt.qtbot import QtBot

from closer_desktop.app.deck_queue import DeckQueue, PractisedDeck
from closer_desktop.app.library import LibraryService
from closer_desktop.app.tasks import TaskRunner
from closer_desktop.domain.deck import Deck, Question, load_deck
from closer_desktop.domain.practice import RatingScale
from closer_desktop.domain.scheduler import PracticeOrder, PracticePlan
from closer_desktop.paths import default_deck_path
from closer_desktop.storage.library import Library

DECK = load_deck(default_deck_path())
FIRST, SECOND = DECK.questions[0], DECK.questions[1]
# Only the first two questions: the first rated well, the second badly.
ONLY_TWO = frozenset(q.id for q in DECK.questions[2:])
TIMEOUT = 10_000


def rated(data_dir: Path) -> None:
    library = Library(data_dir)
    session = library.start_session(DECK.id)
    for question, score in ((FIRST, 5), (SECOND, 1)):
        take = library.begin_take(session, DECK.id, question, 16000)
        soundfile.write(library.audio_file(take), np.full(8000, 0.1, np.float32), 16000)
        library.finish_take(take.id, 0.5, 16000)
        library.set_rating(take.id, RatingScale.PROFESSIONALISM, score)
        library.set_rating(take.id, RatingScale.CLARITY, score)
    library.close()


@pytest.fixture
def queue(qtbot: QtBot, tmp_path: Path) -> Iterator[DeckQueue]:
    data_dir = tmp_path / "data"
    rated(data_dir)
    library = LibraryService(data_dir)
    files = TaskRunner("files")
    with qtbot.waitSignal(library.ready, timeout=TIMEOUT):
        library.open()
    yield DeckQueue(data_dir, files, library)
    files.shutdown()
    library.close()


def ids(questions: list[Question]) -> list[str]:
    return [q.id for q in questions]


def test_in_order_arrives_at_once_without_the_questions_left_out(queue: DeckQueue) -> None:
    arrived: list[list[Question]] = []
    later = queue.order(DECK, PracticePlan(skipped=ONLY_TWO), arrived.append)
    assert not later
    assert [ids(q) for q in arrived] == [[FIRST.id, SECOND.id]]


def test_weakest_first_arrives_once_the_ratings_are_read(qtbot: QtBot, queue: DeckQueue) -> None:
    arrived: list[list[Question]] = []
    plan = PracticePlan(PracticeOrder.WEAKEST_FIRST, ONLY_TWO)
    assert queue.order(DECK, plan, arrived.append)  # later: the ratings are read first
    assert arrived == []
    qtbot.waitUntil(lambda: bool(arrived), timeout=TIMEOUT)
    assert ids(arrived[0]) == [SECOND.id, FIRST.id]  # the badly rated question first


def test_weakest_first_falls_back_to_in_order_when_the_ratings_cannot_be_read(
    qtbot: QtBot, queue: DeckQueue
) -> None:
    damaged = sqlite3.connect(queue.data_dir / "closer.sqlite3")
    damaged.execute("ALTER TABLE takes RENAME TO takes_gone")
    damaged.commit()
    damaged.close()
    arrived: list[list[Question]] = []
    plan = PracticePlan(PracticeOrder.WEAKEST_FIRST, ONLY_TWO)
    assert queue.order(DECK, plan, arrived.append)
    qtbot.waitUntil(lambda: bool(arrived), timeout=TIMEOUT)
    assert ids(arrived[0]) == [FIRST.id, SECOND.id]


def test_the_chosen_deck_and_plan_are_remembered_and_read_back(
    qtbot: QtBot, queue: DeckQueue
) -> None:
    plan = PracticePlan(PracticeOrder.SHUFFLED, ONLY_TWO)
    queue.remember(DECK, plan)
    read: list[tuple[Deck, PracticePlan]] = []
    failed: list[BaseException] = []
    queue.read_current(DECK, read.append, failed.append)
    qtbot.waitUntil(lambda: bool(read or failed), timeout=TIMEOUT)
    assert failed == []
    deck, remembered = read[0]
    assert (deck.id, remembered) == (DECK.id, plan)


def test_the_practised_deck_holds_its_queue_until_weakest_first_is_in(
    qtbot: QtBot, queue: DeckQueue
) -> None:
    """PractisedDeck: another deck is said to be another (the session ends with it); while the
    weakest-first queue is read the old queue stays and `pending` holds takes off."""
    practised = PractisedDeck(DECK, queue)
    ready: list[list[str]] = []
    practised.queue_ready.connect(lambda: ready.append(ids(practised.queue)))
    assert not practised.use(DECK, PracticePlan(skipped=ONLY_TWO))  # the same deck
    assert ready == [[FIRST.id, SECOND.id]] and not practised.pending
    other = replace(DECK, id="other")  # its takes are none: weakest-first keeps the order
    assert practised.use(other, PracticePlan(PracticeOrder.WEAKEST_FIRST, ONLY_TWO))
    assert practised.pending and ids(practised.queue) == [FIRST.id, SECOND.id]  # not yet
    qtbot.waitUntil(lambda: len(ready) == 2, timeout=TIMEOUT)
    assert not practised.pending and practised.deck is other


def test_the_practised_deck_uses_the_remembered_one_only_when_it_differs(
    qtbot: QtBot, queue: DeckQueue
) -> None:
    practised = PractisedDeck(DECK, queue)
    used: list[tuple[Deck, PracticePlan]] = []
    practised.read_remembered(lambda deck, plan: used.append((deck, plan)))
    qtbot.waitUntil(lambda: not queue.files.busy, timeout=TIMEOUT)
    qtbot.wait(50)
    assert used == []  # nothing remembered: this deck, its default plan
    plan = PracticePlan(PracticeOrder.SHUFFLED, ONLY_TWO)
    queue.remember(DECK, plan)
    practised.read_remembered(lambda deck, plan: used.append((deck, plan)))
    qtbot.waitUntil(lambda: bool(used), timeout=TIMEOUT)
    assert used[0][1] == plan
