"""The debrief names each answer by its question's own words, elided when the line is long (the
whole line in the tooltip), in the table's rows and beside the Play button: a close of several
questions is read by what was asked, not by "Answer 1", "Answer 2"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import soundfile
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidget
from pytestqt.qtbot import QtBot

from closer_desktop.app.interview_run import RunAnswer, RunResult
from closer_desktop.domain.deck import Question
from closer_desktop.storage.library import Library
from closer_desktop.ui.main_window import MainWindow
from tests.support.line_library import said_metrics

LONG = 70  # debrief.SELECTED_QUESTION_CHARS


def run_of(data_dir: Path, questions: list[Question], deck_id: str) -> RunResult:
    """A run with one short recorded answer to each of `questions`."""
    library = Library(data_dir)
    try:
        session = library.start_session(deck_id)
        found = []
        for question in questions:
            take = library.begin_take(session, deck_id, question, 16000, mode="run")
            soundfile.write(library.audio_file(take), np.full(8000, 0.1, np.float32), 16000)
            found.append(
                RunAnswer(question, library.finish_take(take.id, 0.5, 16000), 0.5, "silence")
            )
    finally:
        library.close()
    return RunResult(session, found, 3.0)


def cell(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    return "" if item is None else item.text()


def test_rows_and_the_selected_answer_show_the_question_text(
    qtbot: QtBot, open_window: Any, data_dir: Path
) -> None:
    window: MainWindow = open_window(data_dir)
    qtbot.waitUntil(lambda: window.controller.library.library_is_open, timeout=10000)
    deck = window.controller.deck
    short = next(q for q in deck.questions if len(q.text) <= LONG)
    result = run_of(data_dir, [deck.questions[0], short], deck.id)
    lines = [a.question.text for a in result.answers]
    assert len(lines[0]) > LONG  # the default deck's first line is long
    debrief = window.debrief
    window.resize(800, 600)
    window.pages.setCurrentWidget(debrief)
    debrief.show_result(result)
    said = ("What are the next steps in the hiring process?", "What are the steps then?")
    for answer, transcript in zip(result.answers, said, strict=True):  # long cells, as in use
        assert answer.take is not None
        window.controller.analysis.metrics_ready.emit(answer.take.id, said_metrics(transcript))
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: all("…" not in cell(debrief.table, r, 3) for r in (0, 1)), timeout=5000)
    qtbot.wait(50)

    table = debrief.table
    line_height = table.fontMetrics().lineSpacing()
    for row, line in enumerate(lines):
        item = table.item(row, 0)
        assert item is not None and item.text() == line and item.toolTip() == line
        assert item.data(Qt.ItemDataRole.AccessibleTextRole) == line
        assert table.rowHeight(row) < 2 * line_height  # one line a row, however long the line
    assert table.textElideMode() == Qt.TextElideMode.ElideRight and not table.wordWrap()
    assert table.fontMetrics().horizontalAdvance(lines[0]) > table.columnWidth(0)  # elided
    # ... but not to a word or two: the question keeps 40 % of the table at 800x600 (the
    # figures' columns fitting their contents left it a third, or a tenth with long notes).
    assert table.columnWidth(0) >= 0.4 * table.viewport().width() - 1
    for column in range(1, table.columnCount()):  # a cell elided is whole in its tooltip
        item = table.item(1, column)
        assert item is not None and item.toolTip() == item.text()

    label = debrief.selected_label.text()  # the selected answer: its question, not its number
    assert "Answer" not in label
    assert label.startswith("“Based on my background") and label.endswith("…”")
    assert debrief.selected_label.toolTip() == lines[0]
    debrief.table.setCurrentCell(1, 0)
    assert debrief.selected_label.text() == f"“{lines[1]}”"
