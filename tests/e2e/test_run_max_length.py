"""An interview run's answer that never falls silent ends at its maximum length (twice the
question's target, never under the run's floor), and the next cue follows; on the virtual
microphone, with the detector deciding on the live audio."""

from __future__ import annotations

import time
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from pytestqt.qtbot import QtBot

from closer_desktop import settings as S
from closer_desktop.app.interview_run import ECHO_TAIL_S, MIN_MAX_S, InterviewRun, max_answer_s
from closer_desktop.domain.deck import Question
from closer_desktop.ui.main_window import MainWindow
from tests.support.signals import read_mono
from tests.support.virtual_mic import VirtualMic
from tests.ui.practice.test_interview_run import answering
from tests.ui.practice.test_practice_window import wait_ready

TARGET_S = 4.0  # a short line's target (the deck allows 1 s and up): its maximum is 8 s
LATE_S = 0.5  # the answer ends at most this long after its maximum
LONG_ANSWER = (
    "Thank you, I have really enjoyed this conversation, and before we finish I would like to "
    "ask about the team, the way the work is planned from week to week, how decisions are "
    "made when priorities collide, what success would look like after the first three months, "
    "and finally what the next steps in your hiring process are and when you expect to decide."
)


def first_sound_s(samples: np.ndarray, rate: int) -> float:
    """Where the first 20 ms window louder than -40 dBFS starts."""
    window = int(0.02 * rate)
    frames = len(samples) // window
    rms = np.sqrt(np.mean(samples[: frames * window].reshape(frames, window) ** 2, axis=1))
    loud = np.nonzero(20 * np.log10(np.maximum(rms, 1e-9)) > -40)[0]
    assert len(loud), "the take holds no speech"
    return float(loud[0] * window / rate)


def test_the_maximum_is_twice_the_target_and_at_least_30_s() -> None:
    question = Question("q", "What are the next steps?", "", 5.0, "s", "Next steps")
    assert max_answer_s(question) == MIN_MAX_S == 30.0
    assert max_answer_s(replace(question, target_seconds=20.0)) == 40.0


@pytest.mark.real_audio
def test_an_answer_that_never_falls_silent_ends_at_the_maximum(
    qtbot: QtBot, open_window: Any, virtual_mic: VirtualMic, data_dir: Path, tmp_path: Path
) -> None:
    window: MainWindow = open_window(data_dir)
    c = window.controller
    wait_ready(qtbot, window)
    c.settings.set(S.END_OF_ANSWER_MS, 2000)
    # The run's floor down to nothing, so twice a short target is the maximum a test can wait.
    run = InterviewRun(c, None, window, cue_shown_s=0.6, min_max_s=0.0)
    window.interview_run = run
    log: list[tuple[str, int]] = []
    run.cue_started.connect(lambda i, *_: log.append(("cue", i)))
    run.answer_saved.connect(lambda i, _: log.append(("saved", i)))
    questions = [replace(q, target_seconds=TARGET_S) for q in c.queue[:2]]
    maximum = run.max_answer_s(questions[0])
    assert maximum == 2 * TARGET_S
    speech = virtual_mic.speak(LONG_ANSWER, tmp_path / "long.wav")
    assert read_mono(speech)[0].size / read_mono(speech)[1] > maximum + 4  # outlasts it

    assert run.start(questions)
    qtbot.waitUntil(partial(answering, run, 0), timeout=10000)
    time.sleep(ECHO_TAIL_S)  # a start within the echo tail would be ignored
    proc = virtual_mic.play_file(speech, wait=False)
    assert proc is not None
    qtbot.waitUntil(partial(log.__contains__, ("saved", 0)), timeout=int(maximum * 1000) + 10000)
    still_speaking = proc.poll() is None
    virtual_mic.stop_playing()
    assert still_speaking  # ended while the answer went on: not by a silence
    assert ("cue", 1) in log and log.index(("cue", 1)) > log.index(("saved", 0))  # next cue

    answer = run.result.answers[0]
    assert answer.ended_by == "max_length" and answer.take is not None
    audio, rate = read_mono(data_dir / answer.take.audio_path)
    spoken_for = answer.take.duration_s - first_sound_s(audio, rate)
    assert maximum - 0.1 <= spoken_for <= maximum + LATE_S, spoken_for
    run.stop()
    qtbot.waitUntil(lambda: not run.active, timeout=10000)
