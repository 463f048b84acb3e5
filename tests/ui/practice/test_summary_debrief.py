"""The session summary as a debrief, in the real window on a real library: time spoken, the most
improved and the weakest questions, coloured arrows that are also words, headers that say what
the columns are, "first time" said once, and "Practise the weakest two" in one click."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidgetItem
from pytestqt.qtbot import QtBot

from closer_desktop.storage.library import Library
from closer_desktop.ui.design import DARK, LIGHT
from closer_desktop.ui.main_window import MainWindow
from closer_desktop.ui.practice.summary import COLUMNS, SummaryView
from closer_desktop.ui.theme import dark_palette
from tests.support.progress_library import DECK, Q, add, at

TIMEOUT = 10000
SINCE = COLUMNS.index("Since your last session")


def finished_session(qtbot: QtBot, open_window: Any, data_dir: Path) -> tuple[MainWindow, int]:
    """Last time q0 (2, 2), q1 (5, 5), q2 (4, 4); now q0 (4, 4), q1 (3, 3), q2 (3, 2), q3
    (4, 5) for the first time, 10 s each; the summary of now shown."""
    library = Library(data_dir)
    before, now = library.start_session(DECK.id), library.start_session(DECK.id)
    for question, rating in enumerate(((2, 2), (5, 5), (4, 4))):
        add(library, before, question, at("2026-11-02", f"10:0{question}"), *rating)
    for question, rating in enumerate(((4, 4), (3, 3), (3, 2), (4, 5))):
        add(library, now, question, at("2026-11-03", f"10:0{question}"), *rating)
    library.close()
    window: MainWindow = open_window(data_dir)
    controller = window.controller
    qtbot.waitUntil(lambda: controller.library.library_is_open, timeout=TIMEOUT)
    controller.session_id = now
    controller.finish_deck()
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window._summary, timeout=TIMEOUT)
    return window, now


def item(summary: SummaryView, row: int, column: int) -> QTableWidgetItem:
    cell = summary.table.item(row, column)
    assert cell is not None
    return cell


def test_the_debrief_says_time_spoken_most_improved_and_weakest(
    qtbot: QtBot, open_window: Any, data_dir: Path
) -> None:
    window, _ = finished_session(qtbot, open_window, data_dir)
    summary = window.summary
    text = summary.totals.text()
    assert "<b>Time spoken:</b> 40 s in 4 takes, on 4 of 8 questions." in text
    assert "<b>Most improved:</b> “Based on my background and the skills and…”" in text
    assert f"<span style='color: {LIGHT.good}'>▲ up 2</span> since last time." in text
    # The weakest two by their latest take: q2 (3, 2) then q1 (3, 3).
    assert (
        "<b>Weakest:</b> “What are the next steps in the hiring…” (latest take: "
        "professionalism 3, clarity 2), then “Given what we&#x27;ve discussed during this…” "
        "(latest take: professionalism 3, clarity 3)."
    ) in text
    assert f"<span style='color: {LIGHT.good}'>▲ better on 1 question</span>" in text
    assert f"<span style='color: {LIGHT.work}'>▼ worse on 2 questions</span>" in text
    assert "First time for 1 question: your next session shows its change." in text


def test_columns_say_what_they_show_and_first_time_is_not_repeated(
    qtbot: QtBot, open_window: Any, data_dir: Path
) -> None:
    window, _ = finished_session(qtbot, open_window, data_dir)
    summary = window.summary
    headers = [summary.table.horizontalHeaderItem(c).text() for c in range(len(COLUMNS))]  # type: ignore[union-attr]
    assert headers[2:4] == ["Latest professionalism", "Latest clarity"]
    trends = [item(summary, row, SINCE).text() for row in range(len(DECK.questions))]
    assert trends[:4] == ["▲ better", "▼ worse", "▼ worse", ""]  # q3: first time, left blank
    assert "first time" not in " ".join(trends).lower()
    assert set(trends[4:]) == {""}  # not practised: blank, not a column of dashes
    assert item(summary, 5, 1).text() == "" and item(summary, 5, 0).toolTip() == (
        "Not practised this session"
    )
    # The arrows are coloured and are words too (colour is not the only sign).
    assert item(summary, 0, SINCE).foreground().color().name() == LIGHT.good
    assert item(summary, 1, SINCE).foreground().color().name() == LIGHT.work
    # Rows fit their text: none taller than its wrapped question needs (no blank bands).
    line = summary.table.fontMetrics().lineSpacing()
    for row in range(summary.table.rowCount()):
        assert summary.table.rowHeight(row) <= 4 * line + 12


def test_arrows_follow_the_dark_theme(qtbot: QtBot, open_window: Any, data_dir: Path) -> None:
    window, _ = finished_session(qtbot, open_window, data_dir)
    summary = window.summary
    summary.setPalette(dark_palette())
    assert item(summary, 0, SINCE).foreground().color().name() == DARK.good
    assert item(summary, 1, SINCE).foreground().color().name() == DARK.work
    assert f"<span style='color: {DARK.good}'>▲ up 2</span>" in summary.totals.text()


def test_practise_the_weakest_two_in_one_click(
    qtbot: QtBot, open_window: Any, data_dir: Path
) -> None:
    window, finished = finished_session(qtbot, open_window, data_dir)
    summary = window.summary
    button = summary.weakest_button
    assert button.isVisible() and button.text() == "Practise the weakest two"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    controller = window.controller
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.practice, timeout=TIMEOUT)
    assert [q.id for q in controller.queue] == [Q[1], Q[2]]  # the deck's order
    assert controller.question.id == Q[1]
    assert controller.session_id is None and controller.session_id != finished  # a new one
    assert controller.plan.skipped == frozenset(Q) - {Q[1], Q[2]}


def test_no_rated_take_offers_no_weakest(qtbot: QtBot, open_window: Any, data_dir: Path) -> None:
    library = Library(data_dir)
    session = library.start_session(DECK.id)
    add(library, session, 0, at("2026-11-03", "10:00"), None, None, 65)
    library.close()
    window: MainWindow = open_window(data_dir)
    controller = window.controller
    qtbot.waitUntil(lambda: controller.library.library_is_open, timeout=TIMEOUT)
    controller.session_id = session
    controller.finish_deck()
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window._summary, timeout=TIMEOUT)
    summary = window.summary
    assert not summary.weakest_button.isVisible()
    text = summary.totals.text()
    assert "<b>Time spoken:</b> 1 min 5 s in 1 take, on 1 of 8 questions." in text
    assert "Weakest" not in text and "Most improved" not in text
