"""Practice > Interview run on the real main window and the virtual microphone: the cue, then the
answer recorded and ended by itself on the live audio (a 1 s pause inside an answer does not end
it), the next cue after each answer, Esc mid-answer keeping that answer, and the debrief."""

from __future__ import annotations

import time
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from closer_desktop import settings as S
from closer_desktop.app.interview_run import ECHO_TAIL_S, InterviewRun
from closer_desktop.storage.library import Library
from closer_desktop.ui.main_window import MainWindow
from tests.support.signals import best_alignment_ncc, read_mono
from tests.support.virtual_mic import RATE, VirtualMic
from tests.ui.practice.test_practice_window import wait_ready

SILENCE_S = 2.0
LATE_S = 0.5  # an answer ends at most this long after the silence threshold
FIRST_HALF = "Given what we have discussed, do you have any concerns"
SECOND_HALF = "about my fit for this position?"
SECOND_ANSWER = "What are the next steps in your hiring process?"


def spoken(mic: VirtualMic, text: str, path: Path) -> np.ndarray:
    return read_mono(mic.speak(text, path), RATE)[0]


def last_sound_s(samples: np.ndarray, rate: int) -> float:
    """Where the last 20 ms window louder than -40 dBFS ends."""
    window = int(0.02 * rate)
    frames = len(samples) // window
    rms = np.sqrt(np.mean(samples[: frames * window].reshape(frames, window) ** 2, axis=1))
    loud = np.nonzero(20 * np.log10(np.maximum(rms, 1e-9)) > -40)[0]
    assert len(loud), "the take holds no speech"
    return float((loud[-1] + 1) * window / rate)


def answering(run: InterviewRun, index: int) -> bool:
    return run.recording and run.index == index


def play(qtbot: QtBot, mic: VirtualMic, path: Path) -> None:
    """Play into the mic without blocking the GUI thread (the run decides while it plays)."""
    proc = mic.play_file(path, wait=False)
    assert proc is not None
    qtbot.waitUntil(lambda: proc.poll() is not None, timeout=30000)


@pytest.mark.real_audio
def test_a_run_ends_each_answer_by_itself_and_esc_keeps_the_last(
    qtbot: QtBot, open_window: Any, virtual_mic: VirtualMic, data_dir: Path, tmp_path: Path
) -> None:
    window: MainWindow = open_window(data_dir)
    c = window.controller
    wait_ready(qtbot, window)
    c.settings.set(S.END_OF_ANSWER_MS, int(SILENCE_S * 1000))
    run = InterviewRun(c, None, window, cue_shown_s=0.6)  # no speech engine: the cue is shown
    window.interview_run = run
    log: list[tuple[str, int]] = []
    run.cue_started.connect(lambda i, *_: log.append(("cue", i)))
    run.answer_saved.connect(lambda i, _: log.append(("saved", i)))

    first = tmp_path / "first.wav"  # two halves with a 1 s pause between them
    halves = [spoken(virtual_mic, FIRST_HALF, tmp_path / "a.wav")]
    halves.append(spoken(virtual_mic, SECOND_HALF, tmp_path / "b.wav"))
    soundfile.write(first, np.concatenate([halves[0], np.zeros(RATE), halves[1]]), RATE)
    second = virtual_mic.speak(SECOND_ANSWER, tmp_path / "second.wav")

    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert run.active and window.pages.currentWidget() is window._run_view
    view = window._run_view
    assert view is not None and run.questions[0].cue in view.cue_label.text()
    assert c.question.text not in view.cue_label.text()  # lines hidden

    for index, speech in enumerate((first, second)):
        qtbot.waitUntil(partial(answering, run, index), timeout=10000)
        time.sleep(ECHO_TAIL_S)  # a start within the echo tail would be ignored
        play(qtbot, virtual_mic, speech)
        qtbot.waitUntil(partial(log.__contains__, ("saved", index)), timeout=15000)
        assert log.index(("cue", index + 1)) > log.index(("saved", index))  # next cue after

    answers = run.result.answers
    for answer in answers:
        assert answer.take is not None and answer.ended_by == "silence"
        audio, rate = read_mono(data_dir / answer.take.audio_path)
        tail = answer.take.duration_s - last_sound_s(audio, rate)
        assert SILENCE_S - 0.1 <= tail <= SILENCE_S + LATE_S, tail
        assert answer.latency_s is not None and ECHO_TAIL_S <= answer.latency_s < 3.0
    audio, rate = read_mono(data_dir / answers[0].take.audio_path, RATE)  # type: ignore[union-attr]
    assert best_alignment_ncc(audio, halves[0]) > 0.7  # the first answer holds both halves
    assert best_alignment_ncc(audio, halves[1]) > 0.7

    # The third answer: Esc while speaking ends the run and keeps it.
    qtbot.waitUntil(lambda: run.recording and run.index == 2, timeout=10000)
    virtual_mic.play_file(first, wait=False)
    qtbot.wait(1500)
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not run.active, timeout=10000)
    virtual_mic.stop_playing()
    assert [a.ended_by for a in run.result.answers] == ["silence", "silence", "esc"]
    kept = run.result.answers[2].take
    assert kept is not None and 1.0 <= kept.duration_s < 3.0
    assert ("cue", 3) not in log

    # The debrief: every answer, playable and rateable; the takes are ordinary run takes.
    assert window.pages.currentWidget() is window.debrief
    debrief = window.debrief
    assert debrief.table.rowCount() == 3
    assert "The whole close took" in debrief.total_label.text()
    qtbot.keyClick(window, Qt.Key.Key_4)
    qtbot.keyClick(window, Qt.Key.Key_5)
    qtbot.waitUntil(lambda: not c.library.runner.busy, timeout=5000)
    library = Library(data_dir)
    try:
        takes = library.takes_for_session(run.result.session_id or 0)
    finally:
        library.close()
    assert [t.mode for t in takes] == ["run", "run", "run"]
    assert takes[0].response_latency_s == pytest.approx(answers[0].latency_s, abs=0.01)
    assert (takes[0].professionalism, takes[0].clarity) == (4, 5)
    assert [t.question_id for t in takes] == [q.id for q in run.questions[:3]]
