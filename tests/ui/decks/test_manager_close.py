"""Closing the deck manager keeps what was just typed: an edit still waiting for its pause in
typing is saved, and the practice page reloads the deck only once that save is on disk."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from closer_desktop.storage.decks import DeckStore
from closer_desktop.ui.main_window import MainWindow
from tests.ui.decks.test_manager import BUILTIN, open_manager


def test_an_edit_typed_just_before_close_is_saved_and_shown(
    qtbot: QtBot, open_window: Any, tmp_path: Path
) -> None:
    data = tmp_path / "library"
    window: MainWindow = open_window(data)
    dialog = open_manager(qtbot, window)
    first = dialog.current_question()
    assert first is not None
    dialog.text_edit.setFocus()
    dialog.text_edit.selectAll()
    qtbot.keyClicks(dialog.text_edit, "Typed, then closed at once?")
    assert dialog._edit_timer.isActive()  # the save still waits for a pause in typing
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
    dialog.text_edit.setFocus()
    dialog.text_edit.selectAll()
    qtbot.keyClicks(dialog.text_edit, "Typed, then the app quit?")
    window.close()
    assert not window.isVisible()
    assert DeckStore(data).load(BUILTIN).questions[0].text == "Typed, then the app quit?"
