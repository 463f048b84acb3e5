"""What the user typed in the deck manager is never dropped unseen: an edit that cannot be saved
(emptied, or too long) keeps the manager open on Close with the reason shown; a second Close
closes it keeping the last saved version. A new question being written is added when another
question is clicked, which is then the one selected."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from closer_desktop.domain.deck import MAX_TEXT
from closer_desktop.storage.decks import DeckStore
from closer_desktop.ui.decks.manager import DeckManagerDialog
from closer_desktop.ui.main_window import MainWindow
from tests.ui.decks.test_manager import BUILTIN, open_manager
from tests.ui.decks.test_manager_close import retype, second_question


def click_close(qtbot: QtBot, dialog: DeckManagerDialog) -> None:
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons is not None
    close = buttons.button(QDialogButtonBox.StandardButton.Close)
    qtbot.mouseClick(close, Qt.MouseButton.LeftButton)


def close_refused_then_forced(
    qtbot: QtBot, window: MainWindow, dialog: DeckManagerDialog, typed: str
) -> None:
    """Close once: the manager stays with the reason and what was typed; Close again: it goes."""
    click_close(qtbot, dialog)
    qtbot.wait(200)
    assert window.deck_dialog is dialog and dialog.isVisible()
    assert dialog.problem_label.isVisible()
    assert "last saved version" in dialog.problem_label.text()
    assert dialog.text_edit.toPlainText() == typed
    click_close(qtbot, dialog)
    qtbot.waitUntil(lambda: window.deck_dialog is None, timeout=10_000)


def test_close_with_a_too_long_text_stays_open_and_a_second_close_keeps_the_saved_version(
    qtbot: QtBot, open_window: Any, tmp_path: Path
) -> None:
    data = tmp_path / "library"
    window: MainWindow = open_window(data)
    dialog = open_manager(qtbot, window)
    before = DeckStore(data).load(BUILTIN).questions[0].text
    too_long = "x" * (MAX_TEXT + 1)
    dialog.text_edit.setFocus()
    dialog.text_edit.selectAll()
    dialog.text_edit.insertPlainText(too_long)  # typed or pasted: the save waits for a pause
    assert dialog._edit_timer.isActive()

    close_refused_then_forced(qtbot, window, dialog, too_long)
    assert DeckStore(data).load(BUILTIN).questions[0].text == before


def test_close_after_the_refusal_was_already_shown_still_stays_open(
    qtbot: QtBot, open_window: Any, tmp_path: Path
) -> None:
    """The pause in typing passed (the refusal is on screen) before Close is clicked."""
    data = tmp_path / "library"
    window: MainWindow = open_window(data)
    dialog = open_manager(qtbot, window)
    before = DeckStore(data).load(BUILTIN).questions[0].text
    dialog.text_edit.setFocus()
    dialog.text_edit.selectAll()
    qtbot.keyClick(dialog.text_edit, Qt.Key.Key_Delete)  # emptied
    qtbot.waitUntil(lambda: not dialog._edit_timer.isActive(), timeout=5_000)
    assert dialog.problem_label.isVisible()

    close_refused_then_forced(qtbot, window, dialog, "")
    assert DeckStore(data).load(BUILTIN).questions[0].text == before


def test_a_fixed_edit_closes_at_once_after_a_refused_close(
    qtbot: QtBot, open_window: Any, tmp_path: Path
) -> None:
    data = tmp_path / "library"
    window: MainWindow = open_window(data)
    dialog = open_manager(qtbot, window)
    dialog.text_edit.setFocus()
    dialog.text_edit.selectAll()
    qtbot.keyClick(dialog.text_edit, Qt.Key.Key_Delete)
    click_close(qtbot, dialog)
    qtbot.wait(100)
    assert dialog.isVisible()
    retype(qtbot, dialog, "Fixed, then closed")
    click_close(qtbot, dialog)
    qtbot.waitUntil(lambda: window.deck_dialog is None, timeout=10_000)
    assert DeckStore(data).load(BUILTIN).questions[0].text == "Fixed, then closed"


def test_clicking_another_question_while_writing_a_new_one_adds_it_and_selects_the_clicked(
    qtbot: QtBot, open_window: Any, tmp_path: Path
) -> None:
    data = tmp_path / "library"
    window: MainWindow = open_window(data)
    dialog = open_manager(qtbot, window)
    assert dialog.deck is not None
    before = len(dialog.deck)
    item = second_question(dialog)
    clicked_id = item.data(0, Qt.ItemDataRole.UserRole)
    clicked_text = item.text(0)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.text_edit, "A new line, then another one clicked.")
    assert dialog._edit_timer.isActive()  # clicked before the pause in typing
    rect = dialog.tree.visualItemRect(item)
    qtbot.mouseClick(dialog.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
    saved = DeckStore(data).load(BUILTIN)
    assert len(saved) == before + 1
    assert "A new line, then another one clicked." in [q.text for q in saved]
    current = dialog.current_question()
    assert current is not None and current.id == clicked_id
    assert dialog.text_edit.toPlainText() == clicked_text
    assert dialog.editor.title() == "Selected question"
