"""The interview run records its answers with the practice controller's Recording: one recorder in
the app and one life of a take. A run's answer keeps the practice page from starting a second
take, is filed in the run's session (not the practice session), and a microphone that cannot be
opened ends the run (the next answer would fail the same way) with its reserved take taken out
of the list again, as for any take."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot

from closer_desktop.app.interview_run import InterviewRun, RunAnswer
from closer_desktop.storage.library import Library
from closer_desktop.ui.main_window import MainWindow
from tests.app.test_recording import statuses
from tests.support.virtual_mic import VirtualMic
from tests.ui.practice.test_practice_window import wait_idle, wait_ready

TIMEOUT = 10_000


def test_an_answer_is_the_controllers_take_filed_in_the_runs_session(
    qtbot: QtBot, open_window: Any, virtual_mic: VirtualMic, data_dir: Path
) -> None:
    window: MainWindow = open_window(data_dir)
    c = window.controller
    wait_ready(qtbot, window)
    run = InterviewRun(c, None, window, cue_shown_s=0.2)
    assert run.recorder is c.recorder  # one recorder in the app
    saved: list[RunAnswer] = []
    run.answer_saved.connect(lambda _, answer: saved.append(answer))
    practice_changes: list[bool] = []
    c.recording_changed.connect(practice_changes.append)

    assert run.start()
    qtbot.waitUntil(lambda: run.recording, timeout=TIMEOUT)
    assert c.is_recording  # the practice page cannot start a take meanwhile
    c.start_recording(countdown=False)  # Space on the practice page: refused, not a 2nd take
    qtbot.wait(500)
    run.end_answer()
    qtbot.waitUntil(lambda: bool(saved), timeout=TIMEOUT)
    run.stop()
    qtbot.waitUntil(lambda: not run.active, timeout=TIMEOUT)
    wait_idle(qtbot, window)

    take = saved[0].take
    assert take is not None and saved[0].ended_by == "space"
    assert take.session_id == run.result.session_id is not None
    assert c.session_id is None  # the practice session is not the run's
    assert practice_changes == []  # the practice page's recording state never moved
    library = Library(data_dir)
    try:
        stored = library.takes_for_session(take.session_id)
    finally:
        library.close()
    assert [(t.id, t.mode) for t in stored] == [(take.id, "run")]


def test_a_microphone_that_cannot_be_opened_ends_the_run_and_drops_its_take(
    qtbot: QtBot, open_window: Any, virtual_mic: VirtualMic, data_dir: Path
) -> None:
    window: MainWindow = open_window(data_dir)
    c = window.controller
    wait_ready(qtbot, window)
    chosen = c.microphone.chosen
    assert chosen is not None
    c.microphone = replace(c.microphone, chosen=replace(chosen, index=9999))  # no such device
    messages: list[tuple[str, str]] = []
    c.message.connect(lambda level, text: messages.append((level, text)))
    run = InterviewRun(c, None, window, cue_shown_s=0.2)
    finished: list[Any] = []
    run.finished.connect(finished.append)

    assert run.start()
    qtbot.waitUntil(lambda: bool(finished), timeout=TIMEOUT)
    wait_idle(qtbot, window)
    assert not run.active and not c.is_recording
    assert [(a.take, a.ended_by) for a in finished[0].answers] == [(None, "error")]  # no 2nd try
    assert [level for level, _ in messages] == ["error"]  # said once, by Recording
    assert statuses(data_dir) == []  # the reserved take is gone again
