"""The deck manager's shape and flow: a toolbar over decks | questions | editor; "Add question"
opens an empty editor with the cursor in it; closing goes back to the page it was opened from."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QSplitter, QToolButton, QWidget
from pytestqt.qtbot import QtBot

from closer_desktop.storage.decks import DeckStore
from closer_desktop.ui.decks.manager import DeckManagerDialog
from closer_desktop.ui.main_window import MainWindow
from tests.ui.decks.test_manager import BUILTIN, open_manager, question_texts, settle


def left(widget: QWidget, dialog: DeckManagerDialog) -> QPoint:
    return widget.mapTo(dialog, QPoint(0, 0))


def test_a_toolbar_over_decks_questions_and_the_editor(
    qtbot: QtBot, open_window: Any, tmp_path: Path
) -> None:
    dialog = open_manager(qtbot, open_window(tmp_path / "library"))
    splitter = dialog.findChild(QSplitter, "deckColumns")
    assert splitter is not None
    columns = [splitter.widget(i) for i in range(splitter.count())]
    assert columns[0] is not None and columns[1] is not None
    assert columns[0].isAncestorOf(dialog.deck_list)
    assert columns[1].isAncestorOf(dialog.tree)
    assert columns[2] is dialog.editor
    xs = [left(w, dialog).x() for w in (dialog.deck_list, dialog.tree, dialog.editor)]
    assert xs == sorted(xs), "decks, then questions, then the editor, left to right"
    # Every deck and question action is one row above the columns, not between the lists.
    top = left(splitter, dialog).y()
    actions = [
        dialog.new_button,
        dialog.rename_button,
        dialog.duplicate_button,
        dialog.delete_button,
        dialog.import_button,
        dialog.export_button,
        dialog.add_button,
        dialog.remove_button,
        dialog.up_button,
        dialog.down_button,
    ]
    rows = {left(b, dialog).y() for b in actions}
    assert len(rows) == 1 and rows.pop() < top
    assert all(isinstance(b, QToolButton) and b.isVisible() for b in actions)


def test_add_question_opens_an_empty_editor_with_the_cursor_in_it(
    qtbot: QtBot, open_window: Any, tmp_path: Path
) -> None:
    data = tmp_path / "library"
    dialog = open_manager(qtbot, open_window(data))
    before = question_texts(dialog.tree)
    first = dialog.current_question()
    assert first is not None
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.text_edit.toPlainText() == ""
    assert dialog.tip_edit.toPlainText() == "" and dialog.cue_edit.text() == ""
    assert dialog.editor.isEnabled() and dialog.editor.title() == "New question"
    assert QApplication.focusWidget() is dialog.text_edit
    assert question_texts(dialog.tree) == before, "nothing is added before it is written"

    # Typed, with a pause (the editor saves after 600 ms): added after the selected question,
    # and the typing goes on where it was.
    qtbot.keyClicks(dialog.text_edit, "May I ask what")
    qtbot.wait(900)
    settle(qtbot, dialog)
    qtbot.keyClicks(dialog.text_edit, " comes next?")
    dialog.commit_question()
    settle(qtbot, dialog)
    texts = question_texts(dialog.tree)
    assert texts == [*before[:1], "May I ask what comes next?", *before[1:]]
    assert dialog.text_edit.textCursor().position() == len("May I ask what comes next?")
    assert dialog.editor.title() == "Selected question"
    saved = DeckStore(data).load(BUILTIN)
    assert saved.questions[1].text == "May I ask what comes next?"
    assert saved.questions[1].stage_id == first.stage_id

    # Add, then leave the editor empty for another question: nothing is added.
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    stage = dialog.tree.topLevelItem(0)
    first_item = stage.child(0) if stage is not None else None
    assert first_item is not None
    dialog.tree.setCurrentItem(first_item)
    settle(qtbot, dialog)
    assert question_texts(dialog.tree) == texts
    assert dialog.text_edit.toPlainText() == before[0]
    assert not dialog.problem_label.isVisible()


def test_closing_goes_back_to_the_page_and_question_it_was_opened_from(
    qtbot: QtBot, open_window: Any, tmp_path: Path
) -> None:
    window: MainWindow = open_window(tmp_path / "library")
    qtbot.waitUntil(lambda: window.library.library_is_open, timeout=10_000)
    window.controller.go_to(2)
    shown = window.controller.question.id
    window.show_progress()
    dialog = open_manager(qtbot, window)
    dialog.text_edit.setPlainText("A reworded first line?")  # the deck changes
    dialog.commit_question()
    settle(qtbot, dialog)
    dialog.reject()  # Close
    qtbot.waitUntil(lambda: window.controller.deck.questions[0].text == "A reworded first line?")
    qtbot.wait(100)
    assert window.pages.currentWidget() is window.progress
    assert window.controller.question.id == shown and window.controller.index == 2
    window.show_practice()
    assert window.practice.isVisible()
    assert window.controller.question.id == shown

    # "Practise this deck" still starts it from its first question, on the practice page.
    window.show_progress()
    window.activateWindow()  # the closed dialog had the keyboard (no window manager here)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    dialog = open_manager(qtbot, window)
    qtbot.mouseClick(dialog.practise_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.controller.index == 0, timeout=10_000)
    assert window.pages.currentWidget() is window.practice
