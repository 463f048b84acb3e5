"""The debrief says when an answer of the run was helped (H showed part of the line): its line
match is then not a line said from memory alone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import soundfile
from pytestqt.qtbot import QtBot

from closer_desktop.app.interview_run import RunAnswer, RunResult
from closer_desktop.domain import recall
from closer_desktop.storage.library import Library
from closer_desktop.ui.main_window import MainWindow
from tests.support.line_library import said_metrics


def test_a_helped_answer_says_which_hint_it_had(
    qtbot: QtBot, open_window: Any, data_dir: Path
) -> None:
    window: MainWindow = open_window(data_dir)
    c = window.controller
    qtbot.waitUntil(lambda: c.library.library_is_open, timeout=10000)
    deck = c.deck
    library = Library(data_dir)
    try:
        session = library.start_session(deck.id)
        found = []
        for question, level in zip(
            deck.questions[:2], (recall.KEY_WORDS, recall.HIDDEN), strict=True
        ):
            take = library.begin_take(
                session, deck.id, question, 16000, mode="run", hint_level=level
            )
            soundfile.write(library.audio_file(take), np.full(8000, 0.1, np.float32), 16000)
            found.append(
                RunAnswer(question, library.finish_take(take.id, 0.5, 16000), 0.5, "silence")
            )
    finally:
        library.close()
    debrief = window.debrief
    debrief.show_result(RunResult(session, found, 3.0))
    for answer in found:
        assert answer.take is not None
        c.analysis.metrics_ready.emit(answer.take.id, said_metrics(answer.question.text))

    def cell(row: int) -> str:
        item = debrief.table.item(row, 3)
        return "" if item is None else item.text()

    qtbot.waitUntil(lambda: "%" in cell(0) and "%" in cell(1), timeout=5000)
    assert cell(0) == "100 % · hint: key words"
    assert cell(1) == "100 %"  # said from memory alone
