"""Issue 19: the debrief's one-click button says what it practises. With one rated question it
read "Practise the weakest" (and its tooltip "the two questions"); with two, "the weakest two";
either way its label is whole at 800x600."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from closer_desktop.domain.practice import QuestionSummary
from closer_desktop.domain.session import SessionSummary
from closer_desktop.ui.practice.summary import SummaryView


def rated(question_id: str, professionalism: int, clarity: int) -> QuestionSummary:
    return QuestionSummary(
        question_id, f"Question {question_id}?", 1, 20.0, professionalism, clarity, 3, 3
    )


def shown(qtbot: QtBot, questions: list[QuestionSummary]) -> SummaryView:
    view = SummaryView()
    qtbot.addWidget(view)
    view.resize(800, 600)
    view.show()
    view.show_summary(SessionSummary(questions))
    qtbot.wait(10)
    return view


def test_two_rated_questions_say_the_weakest_two(qtbot: QtBot) -> None:
    view = shown(qtbot, [rated("a", 4, 4), rated("b", 2, 3), rated("c", 3, 3)])
    button = view.weakest_button
    assert view.weakest == ["b", "c"]
    assert button.text() == "Practise the weakest two" == button.accessibleName()
    assert "two questions" in button.toolTip()
    assert button.width() >= button.sizeHint().width()  # the label is whole at 800 wide


def test_one_rated_question_says_one_not_two(qtbot: QtBot) -> None:
    unrated = QuestionSummary("u", "Unrated?", 1, 5.0, None, None, None, None)
    view = shown(qtbot, [rated("a", 4, 4), unrated])
    button = view.weakest_button
    assert view.weakest == ["a"]
    assert button.text() == "Practise the weakest one" == button.accessibleName()
    assert "two" not in button.toolTip() and "one question" in button.toolTip()
    assert button.width() >= button.sizeHint().width()
