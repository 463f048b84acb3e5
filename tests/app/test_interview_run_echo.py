"""The cue heard back through the speakers is not the answer: a start of speech within
ECHO_TAIL_S of the recording's start is ignored, and the answer's start is the next one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from pytestqt.qtbot import QtBot

from closer_desktop.app.interview_run import ECHO_TAIL_S, InterviewRun
from closer_desktop.audio.end_of_turn import SileroGate, TurnDetector, VoicingGate
from closer_desktop.ui.main_window import MainWindow
from tests.support.speech import require_espeak, speak

ANSWER_AT_S = 1.5


def listened(run: InterviewRun, samples: np.ndarray, rate: int) -> list[Any]:
    """Feed `samples` as the recorder would (20 ms blocks on its writer thread) and collect the
    events the GUI thread would poll."""
    block = int(0.02 * rate)
    for start in range(0, len(samples) - block + 1, block):
        run._listen(samples[start : start + block], rate)
    events = []
    while not run._events.empty():
        events.append(run._events.get_nowait())
    return events


def test_a_start_within_the_echo_tail_is_ignored(
    qtbot: QtBot, open_window: Any, data_dir: Path
) -> None:
    require_espeak()
    window: MainWindow = open_window(data_dir)
    run = InterviewRun(window.controller, None, window)
    cue, rate = speak("Do you have any questions for me")
    answer, _ = speak("Yes, what are the next steps?")
    echo = cue[-int(0.25 * rate) :] * 0.5  # the cue's last quarter second, heard back quieter
    silence = np.zeros(int(ANSWER_AT_S * rate) - len(echo), np.float32)
    samples = np.concatenate([echo, silence, answer, np.zeros(3 * rate, np.float32)])
    for gate in (SileroGate, VoicingGate):
        # Without the rule the echo starts the answer: the detector alone hears it.
        plain = TurnDetector(2.0, 30.0, gate())
        block = int(0.02 * rate)
        heard = []
        for start in range(0, len(samples) - block + 1, block):
            heard += plain.feed(samples[start : start + block], rate)
        assert heard[0].kind == "started" and heard[0].at_s < ECHO_TAIL_S, gate

        run._detector = TurnDetector(2.0, 30.0, gate())
        run._fed_s = run._offset_s = 0.0
        events = listened(run, samples, rate)
        started = [e for e in events if e.kind == "started"]
        assert len(started) == 1, gate
        assert ANSWER_AT_S - 0.1 <= started[0].at_s <= ANSWER_AT_S + 0.4, (gate, started)
        ended = next(e for e in events if e.kind == "ended")
        assert ended.reason == "silence"
        end_of_answer = ANSWER_AT_S + len(answer) / rate
        assert ended.speech_end_s is not None
        assert abs(ended.speech_end_s - end_of_answer) < 0.3, (gate, ended)
