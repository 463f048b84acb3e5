"""Soak: 200 scripted takes through the real window on the virtual microphone, each one recorded
(speech playing into the mic), rated with two digits, replayed to the end, then the next question;
at the end of the deck the summary, then practise again. Prints resident memory growth after a
warm-up (target at most 30 MB), the app's and its analysis process's apart, the open file count
along the way (target: steady), and the longest GUI event-loop stall (a 10 ms timer's lateness;
target at most 100 ms).

    .venv/bin/python -m bench.soak [--takes 200] [--seconds 0.6]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import time
from collections.abc import Callable

from bench.harness import private_environment, rss_mb, wait_until
from bench.long_take import StallWatch

WARM_UP_TAKES = 10


class PhaseStallWatch(StallWatch):
    """A StallWatch that also remembers in which step of which take each long stall came."""

    def __init__(self) -> None:
        super().__init__()
        self.phase = "start"
        self.long: list[tuple[float, str]] = []

    def _tick(self) -> None:
        late = (time.perf_counter() - self._last) * 1000 - 10
        if late > 50:
            self.long.append((late, self.phase))
        super()._tick()


def open_files() -> int:
    return len(os.listdir("/proc/self/fd"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--takes", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=0.6, help="length of each take")
    args = parser.parse_args()
    sandbox = private_environment()

    from tests.support.virtual_mic import VirtualMic

    mic = VirtualMic().start()  # before sounddevice is imported
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from closer_desktop.app.settings import Settings
    from closer_desktop.ui.launch import build_window, create_app, freeze_start_up_objects

    app = create_app()
    window = build_window(sandbox / "library", settings=Settings(sandbox / "settings.ini"))
    freeze_start_up_objects(window)  # as run_gui does
    window.show()
    c = window.controller
    assert wait_until(lambda: c.can_record, 15), c.record_blocker
    speech = mic.speak("Thank you for your time today.", sandbox / "speech.wav")

    def key(k: Qt.Key) -> None:
        QTest.keyClick(window.focusWidget() or window, k)

    def idle() -> bool:
        return not c.is_recording and not c.library.runner.busy and not c.files.busy

    def saved_after(before: int) -> Callable[[], bool]:
        return lambda: idle() and len(c.takes) == before + 1

    watch = PhaseStallWatch()
    players: list[subprocess.Popen[bytes]] = []
    samples: list[tuple[int, float, int, float]] = []  # (takes, RSS MB, open files, analysis MB)
    began = time.monotonic()
    watch.start()
    for n in range(1, args.takes + 1):
        if window.pages.currentWidget() is not window.practice:
            c.practise_again()  # the summary was shown: a new session from the first question
        assert wait_until(idle, 10)  # the question's earlier takes are listed
        before = len(c.takes)
        watch.phase = f"take {n}: record"
        key(Qt.Key.Key_Space)
        assert wait_until(lambda: c.recorder.first_block_at is not None and c.recorder.is_active, 5)
        player = mic.play_file(speech, wait=False)
        assert player is not None
        players.append(player)
        wait_until(lambda: False, args.seconds)
        watch.phase = f"take {n}: stop and save"
        key(Qt.Key.Key_Space)
        assert wait_until(saved_after(before), 10), f"take {n} not saved"
        watch.phase = f"take {n}: rate and play"
        key(getattr(Qt.Key, f"Key_{1 + n % 5}"))
        key(getattr(Qt.Key, f"Key_{1 + (n + 2) % 5}"))
        assert wait_until(lambda: c.player.is_loaded, 5)
        key(Qt.Key.Key_P)
        assert wait_until(lambda: c.player.is_playing, 5), f"take {n} did not play"
        assert wait_until(lambda: not c.player.is_playing, args.seconds + 5)
        watch.phase = f"take {n}: next question"
        key(Qt.Key.Key_N)  # after the last question: the summary
        assert wait_until(idle, 10)
        for done in [p for p in players if p.poll() is not None]:
            players.remove(done)
            if done.stderr is not None:  # the harness's pipe, not the app's file
                done.stderr.close()
        if n % 10 == 0 or n == WARM_UP_TAKES:
            assert wait_until(idle, 10)
            pid = c.analysis.process_id
            samples.append((n, rss_mb(), open_files(), rss_mb(pid) if pid else 0.0))
    watch.stop()
    elapsed = time.monotonic() - began
    assert wait_until(idle, 10)
    for player in players:
        player.wait(10)

    warm = [s for s in samples if s[0] >= WARM_UP_TAKES]
    start_mb, end_mb = warm[0][1], warm[-1][1]
    files = [s[2] for s in warm]
    analysis_start, analysis_end = warm[0][3], warm[-1][3]
    print(f"takes: {args.takes} of {args.seconds:.1f} s, rated and replayed, in {elapsed:.0f} s")
    print(
        f"resident memory: {start_mb:.1f} MB after {WARM_UP_TAKES} takes, {end_mb:.1f} MB after "
        f"{warm[-1][0]}, peak {max(s[1] for s in warm):.1f} MB; growth {end_mb - start_mb:+.1f} MB "
        "(target at most 30 MB)"
    )
    print(
        f"analysis process: {analysis_start:.1f} MB after {WARM_UP_TAKES} takes, "
        f"{analysis_end:.1f} MB at the end, peak {max(s[3] for s in warm):.1f} MB; growth "
        f"{analysis_end - analysis_start:+.1f} MB"
    )
    print(
        f"open files: {files[0]} after {WARM_UP_TAKES} takes, {files[-1]} at the end "
        f"(min {min(files)}, max {max(files)}, median {statistics.median(files):.0f}; "
        "target: steady)"
    )
    print(
        f"longest GUI event-loop stall: {watch.longest_ms:.1f} ms over {watch.samples} ticks "
        "(target at most 100 ms)"
    )
    worst = sorted(watch.long, reverse=True)[:5]
    print(
        "stalls over 50 ms: "
        + (", ".join(f"{ms:.0f} ms ({where})" for ms, where in worst) or "none")
    )
    print(
        "every 10 takes, app MB/open files/analysis MB: "
        + ", ".join(f"{n}:{mb:.0f}/{fd}/{child:.0f}" for n, mb, fd, child in samples)
    )
    window.close()
    app.processEvents()
    mic.stop()


if __name__ == "__main__":
    main()
