"""The line check widget: the line with missed words struck through, changed words with what
was said, additions set apart, the summary sentence and the figure; its height reserved."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from closer_desktop.analysis.line_check import check_line
from closer_desktop.ui.widgets.line_check import LineCheckView, plain_line

LINE = "What are the next steps in your hiring process?"


def test_missed_changed_and_added_words_are_marked(qtbot: QtBot) -> None:
    view = LineCheckView()
    qtbot.addWidget(view)
    match = check_line("So what are the next stages in your process", LINE)
    view.show_match(match, LINE)
    shown = view.line.text()
    assert "<s>hiring</s>" in shown  # missed: struck through
    assert "<s>steps</s>" in shown and ">stages</b>" in shown  # changed: what was said beside
    assert "stages" not in view.added.text()  # a change is not an addition
    assert "<i>so</i>" in view.added.text()  # added: set apart, below the line
    assert view.summary.text() == match.summary()
    assert view.figure.text() == f"Line match {round(match.score * 100)} %"
    assert view.figure.font().bold()  # under 0.8: weak
    assert "(said stages for steps)" in plain_line(match, LINE)
    assert "(missed: hiring)" in view.line.accessibleDescription()


def test_a_whole_line_is_plain_and_a_different_question_is_named(qtbot: QtBot) -> None:
    view = LineCheckView()
    qtbot.addWidget(view)
    view.show_match(check_line(LINE, LINE), LINE)
    assert "<s>" not in view.line.text() and view.added.text() == ""
    assert view.summary.text() == "All of the line, in order."
    assert view.figure.text() == "Line match 100 %" and not view.figure.font().bold()
    view.show_match(check_line("Where do you see yourself in five years time", LINE), LINE)
    assert view.summary.text() == "That was a different question entirely."
    assert view.line.text() == LINE  # the line as written, nothing struck
    assert "<s>" not in view.line.text() and view.added.text() == ""
    assert view.figure.text() == "Line match: another line"


def test_no_layout_jump_when_the_check_arrives(qtbot: QtBot) -> None:
    """In a page as wide as the practice page's, what is under the check stays where it was."""
    page = QWidget()
    layout = QVBoxLayout(page)
    view = LineCheckView()
    below = QLabel("ratings")
    layout.addWidget(view)
    layout.addWidget(below)
    layout.addStretch(1)
    qtbot.addWidget(page)
    page.resize(600, 400)
    page.show()
    qtbot.waitExposed(page)
    view.reserve_for(LINE)  # as the page does when it shows a take
    view.clear("Waiting for the transcript…")
    qtbot.wait(20)
    before = below.y()
    view.show_match(check_line("So what are the next stages in your process", LINE), LINE)
    qtbot.wait(20)
    assert below.y() == before
    view.clear()
    qtbot.wait(20)
    assert below.y() == before
