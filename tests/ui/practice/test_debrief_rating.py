"""The debrief rates the selected answer with the practice page's Rating (app/rating.py): digits
go professionalism then clarity and are written to the library; a half-rated answer starts at
clarity; a click on a scale makes it the digits' target, as on the practice page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import soundfile
from pytestqt.qtbot import QtBot

from closer_desktop.app.interview_run import RunAnswer, RunResult
from closer_desktop.domain.practice import RatingScale, Take
from closer_desktop.domain.text import ratings_in_words
from closer_desktop.storage.library import Library
from closer_desktop.ui.main_window import MainWindow
from tests.ui.practice.test_practice_window import wait_idle

P, C = RatingScale.PROFESSIONALISM, RatingScale.CLARITY


def answers(data_dir: Path, window: MainWindow) -> RunResult:
    """Two run takes: the first unrated, the second with professionalism only."""
    deck = window.controller.deck
    library = Library(data_dir)
    try:
        session = library.start_session(deck.id)
        takes: list[Take] = []
        for question in deck.questions[:2]:
            take = library.begin_take(session, deck.id, question, 16000, mode="run")
            soundfile.write(library.audio_file(take), np.full(8000, 0.1, np.float32), 16000)
            takes.append(library.finish_take(take.id, 0.5, 16000))
        library.set_rating(takes[1].id, P, 3)
        takes[1] = library.take(takes[1].id)
    finally:
        library.close()
    found = [RunAnswer(q, t, 0.5, "silence") for q, t in zip(deck.questions, takes, strict=False)]
    return RunResult(session, found, 3.0)


def stored(data_dir: Path, take_id: int) -> tuple[int | None, int | None]:
    library = Library(data_dir)
    try:
        take = library.take(take_id)
        return take.professionalism, take.clarity
    finally:
        library.close()


def test_digits_and_clicks_rate_the_selected_answer_as_on_the_practice_page(
    qtbot: QtBot, open_window: Any, data_dir: Path
) -> None:
    window: MainWindow = open_window(data_dir)
    qtbot.waitUntil(lambda: window.controller.library.library_is_open, timeout=10000)
    result = answers(data_dir, window)
    debrief = window.debrief
    debrief.show_result(result)
    first, second = (a.take for a in result.answers)
    assert first is not None and second is not None
    assert debrief.rating.target is P
    debrief.rate_digit(4)
    assert debrief.rating.target is C
    debrief.rate_digit(5)
    cell = debrief.table.item(0, 5)
    assert (
        cell is not None and ratings_in_words(4, 5) == cell.text() == "professionalism 4, clarity 5"
    )  # shown at once

    debrief.table.setCurrentCell(1, 0)  # half rated: its clarity is next
    assert debrief.rating.target is C
    debrief.ratings.targeted.emit(P)  # a click on professionalism
    assert debrief.rating.target is P
    debrief.rate_digit(2)
    wait_idle(qtbot, window)
    assert stored(data_dir, first.id) == (4, 5)
    assert stored(data_dir, second.id) == (2, None)
