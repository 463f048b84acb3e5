"""An edit still waiting for its pause in typing (0.6 s) is saved, and into the question it was
typed in: on Close or Esc (the practice page reloads the deck only once the save is on disk), on
quitting, and when another deck or question is chosen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QTreeWidgetItem
from pytestqt.qtbot import QtBot

from closer_desktop.storage.decks import DeckStore
from closer_desktop.ui.decks.manager import DeckManagerDialog
from closer_desktop.ui.main_window import MainWindow
from tests.ui.decks.test_manager import BUILTIN, open_manager


def retype(qtbot: QtBot, dialog: DeckManagerDialog, text: str) -> None:
    """Replace the shown question's text by typing, as a user does; its save then waits for a
    pause in typing."""
    dialog.text_edit.setFocus()
    dialog.text_edit.selectAll()
    qtbot.keyClicks(dialog.text_edit, text)
    assert dialog._edit_timer.isActive()


def second_question(dialog: DeckManagerDialog) -> QTreeWidgetItem:
    stage = dialog.tree.topLevelItem(0)
    item = stage.child(1) if stage is not None else None
    assert item is not None
    return item


def test_an_edit_typed_just_before_close_is_saved_and_shown(
    qtbot: QtBot, open_window: Any, tmp_path: Path
) -> None:
    data = tmp_path / "library"
    window: MainWindow = open_window(data)
    dialog = open_manager(qtbot, window)
    first = dialog.current_question()
    assert first is not None
    retype(qtbot, dialog, "Typed, then closed at once?")
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons is not None
    close = buttons.button(QDialogButtonBox.StandardButton.Close)
    qtbot.mouseClick(close, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: window.deck_dialog is None, timeout=10_000)
    assert DeckStore(data).load(BUILTIN).questions[0].text == "Typed, then closed at once?"
    qtbot.waitUntil(
        lambda: window.controller.deck.questions[0].text == "Typed, then closed at once?",
        timeout=10_000,
    )
    assert window.controller.deck.questions[0].id == first.id


def test_escape_right_after_typing_a_new_question_adds_it(
    qtbot: QtBot, open_window: Any, tmp_path: Path
) -> None:
    data = tmp_path / "library"
    window: MainWindow = open_window(data)
    dialog = open_manager(qtbot, window)
    before = len(DeckStore(data).load(BUILTIN))
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.text_edit, "A brand new closing line.")
    qtbot.keyClick(dialog.text_edit, Qt.Key.Key_Escape)

    qtbot.waitUntil(lambda: window.deck_dialog is None, timeout=10_000)
    saved = DeckStore(data).load(BUILTIN)
    assert len(saved) == before + 1
    assert "A brand new closing line." in [q.text for q in saved]


def test_quitting_with_the_manager_open_saves_the_edit_being_typed(
    qtbot: QtBot, open_window: Any, tmp_path: Path
) -> None:
    """Ctrl+Q or SIGTERM closes the main window under the manager: what was typed is written
    before the window goes (the manager's saves run on a thread that ends with the app)."""
    data = tmp_path / "library"
    window: MainWindow = open_window(data)
    dialog = open_manager(qtbot, window)
    retype(qtbot, dialog, "Typed, then the app quit?")
    window.close()
    assert not window.isVisible()
    assert DeckStore(data).load(BUILTIN).questions[0].text == "Typed, then the app quit?"


def test_choosing_another_deck_right_after_typing_saves_the_edit_in_its_own_deck(
    qtbot: QtBot, open_window: Any, tmp_path: Path
) -> None:
    """The edit waiting for its pause belongs to the deck it was typed in: choosing another deck
    saves it there first (it was written into the other deck's first question once that deck
    had loaded)."""
    data = tmp_path / "library"
    window: MainWindow = open_window(data)
    other = DeckStore(data).create("Second deck")
    other_first = other.questions[0].text
    dialog = open_manager(qtbot, window)
    dialog.refresh(select=BUILTIN)
    qtbot.waitUntil(lambda: dialog.deck_list.count() == 2 and not dialog.busy, timeout=10_000)
    assert dialog.deck is not None and dialog.deck.id == BUILTIN
    retype(qtbot, dialog, "Typed, then another deck chosen?")
    row = next(i for i, e in enumerate(dialog.entries) if e.id == other.id)
    dialog.deck_list.setCurrentRow(row)

    qtbot.waitUntil(lambda: dialog.deck is not None and dialog.deck.id == other.id)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
    qtbot.wait(700)  # past the pause in typing: nothing is left to save
    assert DeckStore(data).load(other.id).questions[0].text == other_first
    assert dialog.text_edit.toPlainText() == other_first
    assert DeckStore(data).load(BUILTIN).questions[0].text == "Typed, then another deck chosen?"


def test_choosing_another_question_right_after_typing_saves_the_edit_in_its_own_question(
    qtbot: QtBot, open_window: Any, tmp_path: Path
) -> None:
    data = tmp_path / "library"
    window: MainWindow = open_window(data)
    dialog = open_manager(qtbot, window)
    assert dialog.deck is not None
    first, second = dialog.deck.questions[0], dialog.deck.questions[1]
    retype(qtbot, dialog, "Typed, then the next question chosen?")
    dialog.tree.setCurrentItem(second_question(dialog))

    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
    saved = DeckStore(data).load(BUILTIN)
    assert saved.questions[0].text == "Typed, then the next question chosen?"
    assert saved.questions[1].text == second.text
    assert dialog.text_edit.toPlainText() == second.text
    assert first.id == saved.questions[0].id


def test_removing_a_question_right_after_typing_in_it_changes_no_other_question(
    qtbot: QtBot, open_window: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    from PySide6.QtWidgets import QMessageBox

    data = tmp_path / "library"
    window: MainWindow = open_window(data)
    dialog = open_manager(qtbot, window)
    assert dialog.deck is not None
    dialog.tree.setCurrentItem(second_question(dialog))
    before = DeckStore(data).load(BUILTIN)
    retype(qtbot, dialog, "Typed, then removed at once")
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes
    )  # answered before the pause in typing ends
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
    qtbot.wait(700)
    saved = DeckStore(data).load(BUILTIN)
    assert [q.text for q in saved] == [q.text for q in before if q.id != before.questions[1].id]


def test_a_save_that_fails_on_close_keeps_the_manager_open_with_the_reason(
    qtbot: QtBot, open_window: Any, tmp_path: Path
) -> None:
    """The deck's file cannot be written (a file stands where its folder goes): Close stays on the
    manager with the reason shown, so the edit is not lost unseen; a second Close closes."""
    data = tmp_path / "library"
    window: MainWindow = open_window(data)
    dialog = open_manager(qtbot, window)
    decks = data / "decks"
    if decks.exists():
        decks.rename(data / "decks-aside")
    decks.write_text("a file where the decks folder goes")
    retype(qtbot, dialog, "Typed where it cannot be saved")
    dialog.reject()  # Close

    qtbot.waitUntil(lambda: not dialog.busy and dialog.isEnabled(), timeout=10_000)
    qtbot.wait(100)
    assert window.deck_dialog is dialog and dialog.isVisible()
    assert dialog.problem_label.isVisible() and dialog.problem_label.text()
    assert dialog.text_edit.toPlainText() == "Typed where it cannot be saved"
    dialog.reject()
    qtbot.waitUntil(lambda: window.deck_dialog is None, timeout=10_000)
