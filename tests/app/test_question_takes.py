"""The shown question's takes (app/question_takes.py) on a real library: read when a question is
shown, the latest current; a list that arrives after the user moved on is dropped; a saved take
joins at once; a reload keeps the selected take; a note is shown at once and written."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile
from pytestqt.qtbot import QtBot

from closer_desktop.app.library import LibraryService
from closer_desktop.app.question_takes import QuestionTakes
from closer_desktop.domain.deck import load_deck
from closer_desktop.domain.practice import Take
from closer_desktop.paths import default_deck_path
from closer_desktop.storage.library import Library

DECK = load_deck(default_deck_path())
FIRST, SECOND = DECK.questions[0], DECK.questions[1]
TIMEOUT = 10_000


def recorded(data_dir: Path, *questions: str) -> list[Take]:
    library = Library(data_dir)
    try:
        session = library.start_session(DECK.id)
        takes = []
        for qid in questions:
            question = next(q for q in DECK.questions if q.id == qid)
            take = library.begin_take(session, DECK.id, question, 16000)
            soundfile.write(library.audio_file(take), np.full(8000, 0.1, np.float32), 16000)
            takes.append(library.finish_take(take.id, 0.5, 16000))
        return takes
    finally:
        library.close()


@pytest.fixture
def library(library_service: LibraryService) -> LibraryService:
    return library_service  # tests/support/fixtures.py


def ids(takes: list[Take]) -> list[int]:
    return [t.id for t in takes]


def test_a_question_shows_its_takes_with_the_latest_current(
    qtbot: QtBot, library: LibraryService
) -> None:
    first, second, other = recorded(library.data_dir, FIRST.id, FIRST.id, SECOND.id)
    shown = [FIRST.id]
    takes = QuestionTakes(library, lambda: (DECK.id, shown[0]))
    lists: list[list[int]] = []
    takes.changed.connect(lambda listed: lists.append(ids(listed)))
    takes.new_question()
    assert lists == [[]] and takes.current is None  # emptied at once
    qtbot.waitUntil(lambda: len(lists) == 2, timeout=TIMEOUT)
    assert lists[1] == [first.id, second.id]
    assert takes.current is not None and takes.current.id == second.id

    takes.select(first.id)
    takes.reload(select_latest=True, select_id=first.id)  # added elsewhere: the choice stays
    qtbot.waitUntil(lambda: len(lists) == 3, timeout=TIMEOUT)
    assert takes.current is not None and takes.current.id == first.id

    takes.add(other)  # a take of another question: not this list
    assert len(lists) == 3
    shown[0] = SECOND.id
    takes.add(other)
    assert lists[-1] == [first.id, second.id, other.id] and takes.current is other


def test_a_list_for_a_question_left_meanwhile_is_dropped(
    qtbot: QtBot, library: LibraryService
) -> None:
    recorded(library.data_dir, FIRST.id)
    shown = [FIRST.id]
    takes = QuestionTakes(library, lambda: (DECK.id, shown[0]))
    takes.new_question()
    shown[0] = SECOND.id  # the user moved on before the list came
    qtbot.waitUntil(lambda: not library.runner.busy, timeout=TIMEOUT)
    qtbot.wait(50)
    assert takes.takes == [] and takes.current is None


def test_a_note_is_shown_at_once_and_written(qtbot: QtBot, library: LibraryService) -> None:
    (take,) = recorded(library.data_dir, FIRST.id)
    takes = QuestionTakes(library, lambda: (DECK.id, FIRST.id))
    takes.new_question()
    qtbot.waitUntil(lambda: bool(takes.takes), timeout=TIMEOUT)
    takes.set_note(take.id, "slower")
    assert takes.takes[0].note == "slower"
    qtbot.waitUntil(lambda: not library.runner.busy, timeout=TIMEOUT)
    check = Library(library.data_dir)
    try:
        assert check.take(take.id).note == "slower"
    finally:
        check.close()
