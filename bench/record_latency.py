"""Record latency on the virtual microphone, through the real window and keyboard.

- key press (Space) to the first captured block reaching the app (target: at most 150 ms);
- Space to stop, to the take being loaded in the player and playable, for a 60 s take
  (target: at most 200 ms).
"""

from __future__ import annotations

import argparse
import subprocess
import time

from bench.harness import describe, private_environment, wait_until


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--long-seconds", type=float, default=60.0)
    args = parser.parse_args()
    sandbox = private_environment()

    from tests.support.virtual_mic import VirtualMic

    mic = VirtualMic().start()  # before sounddevice is imported
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from closer_desktop.app.settings import Settings
    from closer_desktop.ui.launch import build_window, create_app

    app = create_app()
    window = build_window(sandbox / "library", settings=Settings(sandbox / "settings.ini"))
    window.show()
    c = window.controller
    assert wait_until(lambda: c.can_record, 10), c.record_blocker

    def idle() -> bool:
        return not c.is_recording and not c.library.runner.busy and not c.files.busy

    starts = []
    for _ in range(args.runs):
        pressed = time.perf_counter()
        QTest.keyClick(window, Qt.Key.Key_Space)

        def captured(since: float = pressed) -> bool:
            first = c.recorder.first_block_at
            return first is not None and first > since

        assert wait_until(captured, 5)
        assert c.recorder.first_block_at is not None
        starts.append((c.recorder.first_block_at - pressed) * 1000)
        wait_until(lambda: False, 0.3)
        QTest.keyClick(window, Qt.Key.Key_Space)
        assert wait_until(idle, 10)
    block_ms = 20.0
    print(f"Space to first captured block: {describe(starts)}")
    print("  each run: " + ", ".join(f"{ms:.0f}" for ms in starts))
    print(f"  (the block's first frame was captured about {block_ms:.0f} ms before it arrived)")

    speech = mic.speak(
        "Based on my research and what we have discussed, I would really like to work for you.",
        sandbox / "speech.wav",
    )
    pressed = time.perf_counter()
    QTest.keyClick(window, Qt.Key.Key_Space)
    assert wait_until(lambda: (c.recorder.first_block_at or 0) > pressed, 5)
    players: list[subprocess.Popen[bytes]] = []
    ends = time.monotonic() + args.long_seconds
    while time.monotonic() < ends:
        if not players or players[-1].poll() is not None:
            player = mic.play_file(speech, wait=False)
            assert player is not None
            players.append(player)
        wait_until(lambda: False, 0.2)
    before = {t.id for t in c.takes}
    stopped = time.perf_counter()
    QTest.keyClick(window, Qt.Key.Key_Space)

    def playable() -> bool:
        take = c.current_take
        return take is not None and take.id not in before and c.player.is_loaded

    assert wait_until(playable, 10)
    ready = time.perf_counter()
    assert c.current_take is not None
    print(
        f"Stop to playable for a {c.current_take.duration_s:.1f} s take: "
        f"{(ready - stopped) * 1000:.1f} ms (target at most 200 ms)"
    )
    for player in players:
        player.wait(5)
    window.close()
    app.processEvents()
    mic.stop()


if __name__ == "__main__":
    main()
