"""The deck manager through its real widgets: create, edit, reorder, tick, order, practise."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot

from closer_desktop.domain.scheduler import PracticeOrder
from closer_desktop.storage.decks import DeckStore
from closer_desktop.ui.decks.manager import DeckManagerDialog, QuestionTree
from closer_desktop.ui.main_window import MainWindow

BUILTIN = "closing-an-interview"


def open_manager(qtbot: QtBot, window: MainWindow) -> DeckManagerDialog:
    qtbot.waitUntil(lambda: window.library.library_is_open, timeout=10_000)
    qtbot.keyClick(window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.deck_dialog is not None and window.deck_dialog.isVisible())
    dialog = window.deck_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.deck is not None and dialog.tree.topLevelItemCount() > 0)
    return dialog


def settle(qtbot: QtBot, dialog: DeckManagerDialog) -> None:
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)


def question_texts(tree: QuestionTree) -> list[str]:
    texts = []
    for s in range(tree.topLevelItemCount()):
        stage = tree.topLevelItem(s)
        assert stage is not None
        children = [stage.child(c) for c in range(stage.childCount())]
        texts += [child.text(0) for child in children if child is not None]
    return texts


def test_a_new_deck_edited_and_practised(
    qtbot: QtBot, open_window: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "library"
    window = open_window(data)
    dialog = open_manager(qtbot, window)
    assert dialog.deck_list.count() == 1
    assert "(built-in)" in dialog.deck_list.item(0).text()

    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Acme — final round ✨", True))
    qtbot.mouseClick(dialog.new_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.deck_list.count() == 2)
    qtbot.waitUntil(lambda: dialog.deck is not None and dialog.deck.name.startswith("Acme"))

    # Edit the starter question's text, stage and target in the form.
    dialog.text_edit.setPlainText("Merci ! What would my first 90 days look like? 🙂")
    dialog.target_spin.setValue(14)
    dialog.commit_question()
    settle(qtbot, dialog)
    # Add a second line and move it above the first with the keyboard.
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    dialog.text_edit.setPlainText("תודה רבה — thank you for your time.")
    dialog.commit_question()
    dialog.tree.setFocus()
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, dialog)
    assert question_texts(dialog.tree) == [
        "תודה רבה — thank you for your time.",
        "Merci ! What would my first 90 days look like? 🙂",
    ]
    assert dialog.deck is not None
    saved = DeckStore(data).load(dialog.deck.id)
    assert [q.text for q in saved] == question_texts(dialog.tree)
    assert saved.questions[1].target_seconds == 14

    qtbot.mouseClick(dialog.practise_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.controller.deck.id == saved.id, timeout=10_000)
    assert [q.text for q in window.controller.queue] == [q.text for q in saved]
    assert saved.questions[0].text in window.practice.question_label.text()
    assert "Acme" in window.windowTitle()
    # Remembered: a new window on the same library practises the same deck.
    qtbot.waitUntil(lambda: DeckStore(data).current_deck_id() == saved.id, timeout=10_000)


def test_unticking_a_stage_and_weakest_first_shape_the_session(
    qtbot: QtBot, open_window: Any, tmp_path: Path
) -> None:
    data = tmp_path / "library"
    window = open_window(data)
    dialog = open_manager(qtbot, window)
    first_stage = dialog.tree.topLevelItem(0)
    assert first_stage is not None
    first_stage.setCheckState(0, Qt.CheckState.Unchecked)  # the whole "fit" stage
    assert "6 of 8" in dialog.selection_label.text()
    dialog.order_combo.setCurrentIndex(list(PracticeOrder).index(PracticeOrder.WEAKEST_FIRST))
    settle(qtbot, dialog)
    plan = DeckStore(data).plan(BUILTIN)
    assert plan.order is PracticeOrder.WEAKEST_FIRST
    assert plan.skipped == {"fit-profile", "fit-concerns"}
    qtbot.mouseClick(dialog.practise_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(window.controller.queue) == 6, timeout=10_000)
    assert "fit-profile" not in {q.id for q in window.controller.queue}
    assert window.practice.progress_label.text() == "Question 1 of 6"


def test_nothing_ticked_means_nothing_to_practise(
    qtbot: QtBot, open_window: Any, tmp_path: Path
) -> None:
    window = open_window(tmp_path / "library")
    dialog = open_manager(qtbot, window)
    for s in range(dialog.tree.topLevelItemCount()):
        stage = dialog.tree.topLevelItem(s)
        assert stage is not None
        stage.setCheckState(0, Qt.CheckState.Unchecked)
    assert not dialog.practise_button.isEnabled()
    assert "at least one" in dialog.selection_label.text()


def test_editing_the_built_in_deck_keeps_old_takes_wording_and_reset_restores_it(
    qtbot: QtBot, open_window: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "library"
    window = open_window(data)
    dialog = open_manager(qtbot, window)
    original = dialog.text_edit.toPlainText()
    dialog.text_edit.setPlainText("How well do I fit what you need?")
    dialog.commit_question()
    settle(qtbot, dialog)
    assert DeckStore(data).entries()[0].edited
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    dialog.refresh(select=BUILTIN)
    qtbot.waitUntil(
        lambda: dialog.delete_button.text() == "Reset…" and dialog.delete_button.isEnabled()
    )
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    settle(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.text_edit.toPlainText() == original, timeout=10_000)
    assert not DeckStore(data).entries()[0].edited
    assert len(list((data / "trash" / "decks").glob("*.toml"))) == 1


def test_over_long_text_is_refused_with_a_message_not_cut(
    qtbot: QtBot, open_window: Any, tmp_path: Path
) -> None:
    data = tmp_path / "library"
    window = open_window(data)
    dialog = open_manager(qtbot, window)
    dialog.text_edit.setPlainText("word " * 150)
    dialog.commit_question()
    assert dialog.problem_label.isVisible()
    assert "at most 500" in dialog.problem_label.text()
    dialog.text_edit.setPlainText("A short line.")
    dialog.cue_edit.setText("Any questions? " * 40)  # pasted: kept whole in the field
    dialog.commit_question()
    assert len(dialog.cue_edit.text()) == len("Any questions? " * 40)
    assert "interviewer cue" in dialog.problem_label.text()
    settle(qtbot, dialog)
    assert not (data / "decks").exists() or not DeckStore(data).entries()[0].edited


def test_a_take_keeps_the_wording_it_answered_after_the_question_is_edited(
    qtbot: QtBot, open_window: Any, tmp_path: Path
) -> None:
    from dataclasses import replace

    import numpy as np
    import soundfile

    from closer_desktop.storage.library import Library

    data = tmp_path / "library"
    store = DeckStore(data)
    deck = store.load(BUILTIN)
    library = Library(data)
    take = library.begin_take(library.start_session(deck.id), deck.id, deck.questions[0], 16000)
    soundfile.write(library.audio_file(take), np.zeros(8000, dtype=np.float32), 16000)
    library.finish_take(take.id, 0.5, 16000)
    library.close()
    reworded = replace(deck.questions[0], text="How well do I fit what you need?")
    store.save(deck.with_questions([reworded, *deck.questions[1:]]))

    window = open_window(data)
    qtbot.waitUntil(lambda: window.controller.question.text == reworded.text, timeout=10_000)
    qtbot.waitUntil(lambda: window.practice.take_list.count() == 1, timeout=10_000)
    item = window.practice.take_list.item(0)
    assert "earlier wording" in item.text()
    assert deck.questions[0].text in item.toolTip()
    assert window.controller.takes[0].question_text == deck.questions[0].text


def test_import_and_export_from_the_dialog(
    qtbot: QtBot, open_window: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QFileDialog

    data = tmp_path / "library"
    window = open_window(data)
    dialog = open_manager(qtbot, window)
    exported = tmp_path / "out" / "my deck"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(exported), ""))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    # Written on a worker; the dialog says so a moment later, on the GUI thread.
    qtbot.waitUntil(lambda: "Exported" in dialog.problem_label.text(), timeout=10_000)
    assert Path(f"{exported}.toml").exists()

    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (f"{exported}.toml", ""))
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.deck_list.count() == 2, timeout=10_000)
    assert dialog.deck_list.item(1).text() == "Closing an interview (2)"

    broken = tmp_path / "broken.toml"
    broken.write_text('version = 1\nname = "x" y\n', encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(broken), ""))
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "broken.toml" in dialog.problem_label.text(), timeout=10_000)
    assert "line 2" in dialog.problem_label.text()
    assert dialog.deck_list.count() == 2


def test_dragging_a_question_into_another_stage_saves_the_new_order(
    qtbot: QtBot, open_window: Any, tmp_path: Path
) -> None:
    data = tmp_path / "library"
    window = open_window(data)
    dialog = open_manager(qtbot, window)
    tree = dialog.tree
    first_stage, second_stage = tree.topLevelItem(0), tree.topLevelItem(1)
    assert first_stage is not None and second_stage is not None
    moved = first_stage.takeChild(0)  # what a drop does to the tree, then Qt's dropEvent returns
    assert moved is not None
    second_stage.insertChild(1, moved)
    tree.reordered.emit()
    settle(qtbot, dialog)
    saved = DeckStore(data).load(BUILTIN)
    assert [q.id for q in saved.stages[1].questions] == [
        "next-steps",
        "fit-profile",
        "decision-date",
    ]
    assert saved.stages[1].questions[1].stage_title == saved.stages[1].title
    assert [q.id for q in saved.stages[0].questions] == ["fit-concerns"]


def test_a_question_of_a_later_stage_shows_its_stage_and_key_phrases_and_keeps_them(
    qtbot: QtBot, open_window: Any, tmp_path: Path
) -> None:
    """Selecting a question shows its own stage (the combo stayed on the first one, so any edit
    moved the question there) and its key phrases, which the editor edits."""
    data = tmp_path / "library"
    window = open_window(data)
    dialog = open_manager(qtbot, window)
    second_stage = dialog.tree.topLevelItem(1)
    assert second_stage is not None
    item = second_stage.child(0)
    assert item is not None
    dialog.tree.setCurrentItem(item)
    before = DeckStore(data).load(BUILTIN) if (data / "decks").exists() else dialog.deck
    assert before is not None
    question = before.stages[1].questions[0]
    assert dialog.stage_combo.currentText() == before.stages[1].title
    assert dialog.key_edit.text() == ", ".join(question.key_phrases) != ""

    dialog.tip_edit.setPlainText("Ask it once they have said what they liked.")
    dialog.key_edit.setText("next steps, timeline, next steps")  # a repeat is kept once
    dialog.commit_question()
    settle(qtbot, dialog)
    saved = DeckStore(data).load(BUILTIN)
    edited = saved.stages[1].questions[0]
    assert edited.id == question.id  # still in its own stage, in its place
    assert edited.key_phrases == ("next steps", "timeline")
    assert edited.tip == "Ask it once they have said what they liked."

    dialog.key_edit.setText(", ".join(f"phrase {n}" for n in range(9)))
    dialog.commit_question()
    assert "at most 8" in dialog.problem_label.text()
    settle(qtbot, dialog)
    assert DeckStore(data).load(BUILTIN).stages[1].questions[0].key_phrases == edited.key_phrases
