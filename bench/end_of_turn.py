"""The interview run's end-of-turn decision, and the line check's time.

- Through the real window on the virtual microphone: each answer is spoken into the mic, and the
  time from the start of its silence (its last audible sample leaving the speaker) to the take
  being saved is printed, and what of that is past the silence setting (the decision delay).
- The line check (analysis/line_check.check_line) of a transcript against each line of the
  default deck, and of a long rambling answer against a line.
"""

from __future__ import annotations

import argparse
import subprocess
import time
from functools import partial
from typing import Any

import numpy as np

from bench.harness import describe, private_environment, wait_until

ANSWERS = (
    "What are the next steps in your hiring process?",
    "Given what we have discussed, do you have any concerns about my fit for this position?",
    "Thank you for your time today. I really enjoyed learning more about the team.",
)


def line_check_times(repeats: int) -> tuple[list[float], list[float]]:
    from closer_desktop.analysis.line_check import check_line
    from closer_desktop.domain.deck import load_deck
    from closer_desktop.paths import default_deck_path

    deck = load_deck(default_deck_path())
    lines = [q.text for q in deck.questions]
    per_line = []
    for _ in range(repeats):
        for question in deck.questions:
            said = question.text.replace("next", "following") + " um so yeah"
            began = time.perf_counter()
            check_line(said, question.text, question.key_phrases, lines)
            per_line.append((time.perf_counter() - began) * 1000)
    rambling = " ".join(ANSWERS * 10)  # about 200 words, far off the line
    long_times = []
    for _ in range(repeats):
        began = time.perf_counter()
        check_line(rambling, lines[0], (), lines)
        long_times.append((time.perf_counter() - began) * 1000)
    return per_line, long_times


def answering(run: Any, index: int) -> bool:
    return bool(run.recording and run.index == index)


def finished(proc: subprocess.Popen[bytes]) -> bool:
    return proc.poll() is not None


def end_of_turn_delays(runs: int, silence_s: float) -> list[float]:
    sandbox = private_environment()
    from tests.support.virtual_mic import RATE, VirtualMic

    mic = VirtualMic().start()  # before sounddevice is imported
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from closer_desktop import settings as S
    from closer_desktop.app.interview_run import InterviewRun
    from closer_desktop.app.settings import Settings
    from closer_desktop.ui.launch import build_window, create_app
    from tests.support.signals import read_mono

    create_app()
    settings = Settings(sandbox / "settings.ini")
    settings.set(S.END_OF_ANSWER_MS, int(silence_s * 1000))
    window = build_window(sandbox / "library", settings=settings)
    window.show()
    c = window.controller
    assert wait_until(lambda: c.can_record, 10), c.record_blocker
    run = InterviewRun(c, None, window, cue_shown_s=0.5)
    window.interview_run = run
    saved_at: dict[int, float] = {}
    run.answer_saved.connect(lambda i, _: saved_at.setdefault(i, time.perf_counter()))
    files = []
    for n, text in enumerate(ANSWERS):
        path = mic.speak(text, sandbox / f"answer-{n}.wav")
        samples = read_mono(path, RATE)[0]
        audible = np.flatnonzero(np.abs(samples) > 10 ** (-40 / 20))
        files.append((path, (len(samples) - audible[-1]) / RATE))  # its trailing quiet
    delays = []
    try:
        QTest.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
        for index in range(min(runs, len(run.questions))):
            assert wait_until(partial(answering, run, index), 15)
            wait_until(lambda: False, 0.4)
            path, quiet_tail = files[index % len(files)]
            proc = mic.play_file(path, wait=False)
            assert proc is not None
            assert wait_until(partial(finished, proc), 30)
            silence_start = time.perf_counter() - quiet_tail
            assert wait_until(partial(saved_at.__contains__, index), 15)
            delays.append((saved_at[index] - silence_start) * 1000)
        QTest.keyClick(window, Qt.Key.Key_Escape)
        wait_until(lambda: not run.active, 10)
    finally:
        window.close()
        mic.stop()
    return delays


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--silence", type=float, default=2.0, help="the silence setting, s")
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    per_line, long_times = line_check_times(args.repeats)
    print(f"line check, a transcript against a deck line: {describe(per_line)}")
    print(f"line check, a 200-word answer against a line: {describe(long_times)}")
    delays = end_of_turn_delays(args.runs, args.silence)
    print(f"silence start to take saved (silence setting {args.silence:g} s): {describe(delays)}")
    past = [d - args.silence * 1000 for d in delays]
    print(f"  decision delay past the setting: {describe(past)}")
    print("  each run: " + ", ".join(f"{d:.0f}" for d in delays))


if __name__ == "__main__":
    main()
