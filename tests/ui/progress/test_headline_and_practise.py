"""The Progress page's headline and its needs-work rows, each with a Practise button that opens
the practice page on that question, on real libraries in the real window."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from closer_desktop.app.practise_only import practise_only
from closer_desktop.domain.practice import RatingScale
from closer_desktop.domain.scheduler import PracticePlan
from closer_desktop.storage.decks import DeckStore
from closer_desktop.storage.library import Library
from closer_desktop.ui.main_window import MainWindow
from closer_desktop.ui.progress.view import ProgressView
from tests.support.progress_library import DECK, Q, add, at, build_in

TIMEOUT = 10000


def open_progress(
    qtbot: QtBot, open_window: Any, data_dir: Path
) -> tuple[MainWindow, ProgressView]:
    window: MainWindow = open_window(data_dir)
    qtbot.waitUntil(lambda: window.library.library_is_open, timeout=TIMEOUT)
    window.show_progress()
    view = window.progress
    qtbot.waitUntil(lambda: view.progress is not None, timeout=TIMEOUT)
    return window, view


def test_the_headline_says_how_it_went_and_what_is_weakest(
    qtbot: QtBot, open_window: Any, data_dir: Path
) -> None:
    build_in(data_dir)
    _window, view = open_progress(qtbot, open_window, data_dir)
    # Sessions in time order: D (3, 3) … C (5 and 2: 3.5; 4): clarity up 1, professionalism 0.5.
    assert view.headline.text() == (
        "Clarity up 1 and professionalism up 0.5 since your first session; "
        "weakest: “What are the next steps in the hiring…”"
    )
    assert view.headline.isVisible()
    assert view.headline.y() < view.totals.y() < view.pages.y()  # first, above the figures
    # One question alone: its own sessions (A: 2.5 and 1.5; C: 5 and 4), no weakest named.
    view.question.setCurrentIndex(view.question.findData(Q[0]))
    qtbot.waitUntil(lambda: view.progress is not None and view.progress.scope.question_id == Q[0])
    assert view.headline.text() == (
        "Professionalism up 2.5 and clarity up 2.5 since your first session."
    )
    # A question never practised says so (not "rate your takes").
    view.question.setCurrentIndex(view.question.findData(Q[6]))
    qtbot.waitUntil(lambda: view.progress is not None and view.progress.scope.question_id == Q[6])
    assert view.headline.text() == (
        "No takes of this question yet: practise it (Ctrl+1) and how it goes shows here."
    )


def test_one_session_and_no_ratings_are_said_so(
    qtbot: QtBot, open_window: Any, data_dir: Path
) -> None:
    library = Library(data_dir)
    session = library.start_session(DECK.id)
    add(library, session, 0, at("2026-11-04", "09:00"), None, None)
    library.close()
    _window, view = open_progress(qtbot, open_window, data_dir)
    assert view.headline.text().startswith("Rate your takes")
    library = Library(data_dir)
    add(library, session, 1, at("2026-11-04", "09:05"), 4, 3)
    library.close()
    view.reload()
    qtbot.waitUntil(lambda: "First session" in view.headline.text(), timeout=TIMEOUT)
    assert view.headline.text() == (
        "First session: professionalism 4, clarity 3 on average; the next one shows a trend; "
        "weakest: “Given what we've discussed during this…”"
    )


def test_each_question_that_needs_work_has_a_practise_button(
    qtbot: QtBot, open_window: Any, data_dir: Path
) -> None:
    build_in(data_dir)
    window, view = open_progress(qtbot, open_window, data_dir)
    buttons = view.needs_buttons
    assert [b.property("question_id") for b in buttons] == [Q[2], Q[3], Q[0]]
    qtbot.waitUntil(lambda: all(b.isVisible() for b in buttons))  # shown with the page
    assert all(b.text() == "Practise" and b.isEnabled() for b in buttons)
    assert "What are the next steps" in buttons[0].accessibleName()
    assert view.practise_button.text() == "Practise all 3"
    qtbot.mouseClick(buttons[1], Qt.MouseButton.LeftButton)
    controller = window.controller
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.practice, timeout=TIMEOUT)
    assert [q.id for q in controller.queue] == [Q[3]]
    assert controller.question.id == Q[3] and controller.index == 0
    assert window.practice.isVisible()
    assert "Practising this question, this time only" in window.message_label.text()
    qtbot.wait(50)  # the deck's remembered choice is untouched
    assert DeckStore(data_dir).plan(DECK.id) == PracticePlan()


def test_a_question_since_removed_from_the_deck_cannot_be_practised(
    qtbot: QtBot, open_window: Any, data_dir: Path
) -> None:
    retired = replace(DECK.questions[0], id="retired", text="A line since removed from the deck")
    library = Library(data_dir)
    session = library.start_session(DECK.id)
    take = library.begin_take(session, DECK.id, retired, 16000, at("2026-11-04", "09:00"))
    library.finish_take(take.id, 10.0, 16000)
    library.set_rating(take.id, RatingScale.PROFESSIONALISM, 1)
    add(library, session, 0, at("2026-11-04", "09:05"), 2, 2)
    library.close()
    window, view = open_progress(qtbot, open_window, data_dir)
    retired_button, current = view.needs_buttons
    assert retired_button.property("question_id") == "retired"
    assert not retired_button.isEnabled()
    assert retired_button.toolTip() == "No longer in this deck"
    assert current.isEnabled()
    assert not view.practise_button.isVisible()  # one to practise: its own button says it
    assert not practise_only(window.controller, ["retired"])  # the entry point refuses it too
    assert window.pages.currentWidget() is view
