"""Practice > Say it from memory on the real main window: the line hidden, the cue as the
interviewer's line, H climbing the hint ladder, the level stored with the take (also when H is
pressed mid-take), and the line revealed once the take is in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from closer_desktop import settings as S
from closer_desktop.domain import recall
from closer_desktop.storage.library import Library
from closer_desktop.ui.main_window import MainWindow
from tests.support.virtual_mic import VirtualMic
from tests.ui.practice.test_practice_window import press, wait_idle, wait_ready


def test_the_line_is_hidden_and_h_climbs_the_ladder(
    qtbot: QtBot, open_window: Any, data_dir: Path
) -> None:
    window: MainWindow = open_window(data_dir)
    view, c = window.practice, window.controller
    question = c.question
    assert view.question_label.text() == f"“{question.text}”"
    assert not window.memory_action.isChecked()
    press(qtbot, window, Qt.Key.Key_H)  # not from memory: H does nothing
    assert view.memory.level == recall.HIDDEN

    window.memory_action.trigger()  # Ctrl+M
    assert c.settings.get(S.FROM_MEMORY) and window.memory_action.isChecked()
    assert question.text not in view.question_label.text()
    assert view.question_label.text() == f"Interviewer: “{question.cue}”"
    assert view.stage_label.text().endswith(question.stage_title)
    assert view.hint_label.isVisible() and "H for a hint" in view.hint_label.text()
    assert c.take_options()["mode"] == "memory" and c.take_options()["hint_level"] == 0

    shown = []
    for _ in range(4):  # the fourth H stays on the whole line
        press(qtbot, window, Qt.Key.Key_H)
        shown.append(view.hint_label.text() if view.hint_label.isVisible() else None)
    words = question.text.split()
    assert shown[0] == " ".join(words[:3]) + "…"
    key_words = shown[1] or ""
    assert recall.GAP in key_words and any(k.split()[0] in key_words for k in question.key_phrases)
    assert shown[2:] == [None, None]  # the whole line: the card shows the line
    assert view.question_label.text() == f"“{question.text}”"
    assert view.memory.level == recall.WHOLE_LINE and c.take_options()["hint_level"] == 3

    press(qtbot, window, Qt.Key.Key_N)  # a new question starts hidden again
    assert view.memory.level == recall.HIDDEN
    assert c.question.text not in view.question_label.text()
    window.memory_action.trigger()
    assert not c.settings.get(S.FROM_MEMORY)
    assert view.question_label.text() == f"“{c.question.text}”"
    assert "mode" not in c.take_options()


@pytest.mark.real_audio
def test_the_level_is_stored_with_the_take_and_the_line_revealed(
    qtbot: QtBot, open_window: Any, virtual_mic: VirtualMic, data_dir: Path, tmp_path: Path
) -> None:
    window: MainWindow = open_window(data_dir)
    view, c = window.practice, window.controller
    wait_ready(qtbot, window)
    window.memory_action.trigger()
    press(qtbot, window, Qt.Key.Key_H)  # stuck before starting: the first words
    speech = virtual_mic.speak(c.question.text, tmp_path / "line.wav")
    press(qtbot, window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: c.recorder.first_block_at is not None, timeout=5000)
    virtual_mic.play_file(speech)
    press(qtbot, window, Qt.Key.Key_H)  # stuck mid-take: the key words
    assert c.question.text not in view.question_label.text()
    press(qtbot, window, Qt.Key.Key_Space)
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: view.question_label.text() == f"“{c.question.text}”", timeout=5000)
    assert not view.hint_label.isVisible()  # revealed with its check
    # The line check follows the transcript, in the place kept for it.
    qtbot.waitUntil(lambda: view.line_check.figure.text().startswith("Line match"), timeout=90000)
    assert view.line_check.match is not None and view.line_check.match.score >= 0.8
    assert view.line_check.summary.text() == view.line_check.match.summary()

    qtbot.waitUntil(lambda: not c.library.runner.busy, timeout=5000)
    library = Library(data_dir)
    try:
        (take,) = library.takes_for_question(c.deck.id, c.question.id)
    finally:
        library.close()
    assert take.mode == "memory"
    assert take.hint_level == recall.KEY_WORDS
    assert take.key_phrases == tuple(c.question.key_phrases)

    # The next attempt hides the line again, at the level reached.
    press(qtbot, window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: c.is_recording and c.recorder.is_active, timeout=5000)
    assert c.question.text not in view.question_label.text()
    press(qtbot, window, Qt.Key.Key_Space)
    wait_idle(qtbot, window)


@pytest.mark.real_audio
def test_a_read_take_gets_its_line_check_too(
    qtbot: QtBot, open_window: Any, virtual_mic: VirtualMic, data_dir: Path, tmp_path: Path
) -> None:
    """Every take, every mode: a take read from the screen with a word changed and one left
    out is checked against its line once transcribed."""
    window: MainWindow = open_window(data_dir)
    view, c = window.practice, window.controller
    wait_ready(qtbot, window)
    press(qtbot, window, Qt.Key.Key_N)
    press(qtbot, window, Qt.Key.Key_N)
    line = "What are the next steps in the hiring process?"
    assert c.question.text == line
    speech = virtual_mic.speak("What are the next stages in the process?", tmp_path / "said.wav")
    press(qtbot, window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: c.recorder.first_block_at is not None, timeout=5000)
    virtual_mic.play_file(speech)
    press(qtbot, window, Qt.Key.Key_Space)
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: view.line_check.match is not None, timeout=90000)
    match = view.line_check.match
    assert match is not None and c.current_take is not None and c.current_take.mode == "read"
    assert [(ch.said, ch.expected) for ch in match.changed] == [("stages", "steps")]
    assert match.missed == ("hiring",)
    shown = view.line_check.line.text()
    assert "<s>hiring</s>" in shown and "<s>steps</s>" in shown and ">stages</b>" in shown
    assert view.line_check.figure.text() == f"Line match {round(match.score * 100)} %"
