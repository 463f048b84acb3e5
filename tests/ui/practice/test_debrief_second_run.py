"""The debrief of a second run plays and rates that run's answers: its first answer is the one
selected, not the previous run's still held from before (the table's current cell stayed (0, 0),
so nothing said the selection changed and a digit rated the earlier run's first answer)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot

from closer_desktop.app.interview_run import RunAnswer, RunResult
from closer_desktop.ui.main_window import MainWindow
from tests.support.runs import tone_take
from tests.ui.practice.test_debrief_rating import stored
from tests.ui.practice.test_practice_window import wait_idle


def one_answer_run(data_dir: Path, window: MainWindow) -> RunResult:
    deck = window.controller.deck
    question = deck.questions[0]
    take = tone_take(data_dir, deck, question, 1.0, "run")
    return RunResult(take.session_id, [RunAnswer(question, take, 0.5, "silence")], 2.0)


def test_a_digit_in_the_next_runs_debrief_rates_that_runs_answer(
    qtbot: QtBot, open_window: Any, data_dir: Path
) -> None:
    window: MainWindow = open_window(data_dir)
    qtbot.waitUntil(lambda: window.controller.library.library_is_open, timeout=10000)
    debrief = window.debrief
    first = one_answer_run(data_dir, window)
    debrief.show_result(first)
    second = one_answer_run(data_dir, window)
    debrief.show_result(second)
    old, new = first.answers[0].take, second.answers[0].take
    assert old is not None and new is not None
    assert debrief.current is new and debrief.rating.take is new
    debrief.rate_digit(4)
    wait_idle(qtbot, window)
    assert stored(data_dir, new.id) == (4, None)
    assert stored(data_dir, old.id) == (None, None)
