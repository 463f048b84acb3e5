"""A long take (default 10 minutes) through the real window on the virtual microphone.

Prints input overflows, the longest GUI event-loop stall (a 10 ms timer's lateness), and resident
memory growth during the take (targets: 0 overflows, at most 50 ms, at most 20 MB). Speech is
played into the microphone throughout, so the meter, timer and writer all work as in real use.
"""

from __future__ import annotations

import argparse
import subprocess
import time

from bench.harness import private_environment, rss_mb, wait_until


class StallWatch:
    """Measures how late a 10 ms timer fires: the longest wait the GUI thread imposed."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.longest_ms = 0.0
        self.samples = 0
        self._last = time.perf_counter()
        self._timer = QTimer()
        self._timer.setInterval(10)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest_ms = max(self.longest_ms, (now - self._last) * 1000 - 10)
        self.samples += 1
        self._last = now


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=float, default=10.0)
    args = parser.parse_args()
    sandbox = private_environment()

    from tests.support.virtual_mic import VirtualMic

    mic = VirtualMic().start()
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtTest import QTest

    from closer_desktop.app.settings import Settings
    from closer_desktop.ui.launch import build_window, create_app, freeze_start_up_objects

    app = create_app()
    window = build_window(sandbox / "library", settings=Settings(sandbox / "settings.ini"))
    freeze_start_up_objects(window)  # as run_gui does
    window.show()
    c = window.controller
    assert wait_until(lambda: c.can_record, 10), c.record_blocker
    speech = mic.speak(
        "Thank you for your time today. I really enjoyed learning more about the role and the "
        "team. What are the next steps in the hiring process?",
        sandbox / "speech.wav",
    )
    watch = StallWatch()
    players: list[subprocess.Popen[bytes]] = []
    memory: dict[str, float] = {}
    duration_s = args.minutes * 60
    began = 0.0

    def feed() -> None:
        if not players or players[-1].poll() is not None:
            player = mic.play_file(speech, wait=False)
            assert player is not None
            players.append(player)
        if time.monotonic() - began < duration_s:
            memory["peak"] = max(memory.get("peak", 0.0), rss_mb())
            QTimer.singleShot(200, feed)
        else:
            memory["end"] = rss_mb()
            QTest.keyClick(window, Qt.Key.Key_Space)
            QTimer.singleShot(2000, finish)

    def finish() -> None:
        watch.stop()
        app.quit()

    def begin() -> None:
        nonlocal began
        QTest.keyClick(window, Qt.Key.Key_Space)
        began = time.monotonic()
        QTimer.singleShot(3000, lambda: memory.setdefault("start", rss_mb()))  # after warm-up
        watch.start()
        feed()

    QTimer.singleShot(500, begin)
    app.exec()
    assert c.current_take is not None
    print(f"take length: {c.current_take.duration_s:.1f} s (asked for {duration_s:.0f} s)")
    print(f"input overflows: {c.recorder.overflows} (target 0)")
    print(
        f"longest GUI event-loop stall: {watch.longest_ms:.1f} ms over {watch.samples} ticks (target at most 50 ms)"
    )
    print(
        f"resident memory: {memory['start']:.1f} MB after warm-up, {memory['end']:.1f} MB at the end, "
        f"peak {memory['peak']:.1f} MB; growth {memory['end'] - memory['start']:+.1f} MB (target at most 20 MB)"
    )
    for player in players:
        player.wait(10)
    window.close()
    mic.stop()


if __name__ == "__main__":
    main()
