"""An interview run hides the line, as the room does; a user who is stuck asks for it (H or the
hint button), one step of the hint ladder at a time, and the step reached is stored with that
answer's take, as from-memory practice stores it. The next question starts hidden again."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from closer_desktop import settings as S
from closer_desktop.app.interview_run import ECHO_TAIL_S, InterviewRun
from closer_desktop.domain import recall
from closer_desktop.storage.library import Library
from closer_desktop.ui.main_window import MainWindow
from tests.support.virtual_mic import VirtualMic
from tests.ui.practice.test_interview_run import play
from tests.ui.practice.test_practice_window import wait_ready


@pytest.mark.real_audio
def test_h_shows_the_line_step_by_step_and_the_take_keeps_the_step(
    qtbot: QtBot, open_window: Any, virtual_mic: VirtualMic, data_dir: Path, tmp_path: Path
) -> None:
    window: MainWindow = open_window(data_dir)
    c = window.controller
    wait_ready(qtbot, window)
    c.settings.set(S.END_OF_ANSWER_MS, 1500)
    run = InterviewRun(c, None, window, cue_shown_s=1.5)  # no speech engine: the cue is shown
    window.interview_run = run
    saved: list[int] = []
    run.answer_saved.connect(lambda i, _: saved.append(i))

    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    view = window._run_view
    assert view is not None and run.active
    first, second = run.questions[0], run.questions[1]
    assert view.hint_label.isHidden()  # hidden by default, as in the room
    assert first.text not in view.hint_label.text()

    qtbot.keyClick(window, Qt.Key.Key_H)  # stuck during the cue: the first words
    assert not view.hint_label.isHidden()
    assert view.hint_label.text() == recall.hint(first.text, first.key_phrases, 1)
    assert view.hint_label.text() != first.text
    qtbot.waitUntil(lambda: run.recording and run.index == 0, timeout=10000)
    time.sleep(ECHO_TAIL_S)
    speech = virtual_mic.speak(first.text, tmp_path / "first.wav")
    proc = virtual_mic.play_file(speech, wait=False)
    qtbot.mouseClick(view.hint_button, Qt.MouseButton.LeftButton)  # the button, as H: key words
    assert view.hint_label.text() == recall.hint(first.text, first.key_phrases, 2)
    qtbot.keyClick(window, Qt.Key.Key_H)  # still stuck while answering: the whole line
    qtbot.keyClick(window, Qt.Key.Key_H)  # the top of the ladder: nothing more
    assert view.hint_label.text() == first.text and not view.hint_button.isEnabled()
    assert proc is not None
    qtbot.waitUntil(lambda: proc.poll() is not None, timeout=30000)
    qtbot.waitUntil(lambda: 0 in saved, timeout=15000)

    assert run.index == 1 and view.hint_label.isHidden()  # the next question: hidden again
    assert view.state_label.text().startswith("Answer 1 kept (")  # still said under the cue
    assert view.hint_button.isEnabled()
    qtbot.waitUntil(lambda: run.recording and run.index == 1, timeout=10000)
    time.sleep(ECHO_TAIL_S)
    play(qtbot, virtual_mic, virtual_mic.speak(second.text, tmp_path / "second.wav"))
    qtbot.waitUntil(lambda: 1 in saved, timeout=15000)
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not run.active, timeout=10000)
    qtbot.waitUntil(lambda: not c.library.runner.busy, timeout=5000)

    answers = run.result.answers
    assert answers[0].take is not None and answers[1].take is not None
    assert answers[0].take.hint_level == recall.WHOLE_LINE  # the page's copy of the take
    library = Library(data_dir)
    try:
        takes = library.takes_for_session(run.result.session_id or 0)
    finally:
        library.close()
    assert [t.mode for t in takes[:2]] == ["run", "run"]
    assert [t.hint_level for t in takes[:2]] == [recall.WHOLE_LINE, recall.HIDDEN]
