"""Showing a 60-minute take's waveform when its peaks are already cached (issue 3: at most 50 ms).

Writes a 60-minute 44.1 kHz mono 16-bit WAV (as bench/peaks.py does), computes its peaks into the
library's cache once, then, offscreen, times from asking a freshly shown widget to show the take
until the waveform with its peaks has been painted:

- waveform: `WaveformView.load(path, source)`;
- take player: `TakePlayer.show_take(path, duration)` (the widget the pages use).

Both go the real way: the request runs on a TaskRunner's worker (PeakCache reads the .npz), the
result comes back through a queued signal, and the time stops at the end of the first paintEvent
that draws peaks. Medians of several runs, each with a new widget.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import time

from bench.harness import describe, private_environment

TARGET_MS = 50.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=float, default=60.0)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--width", type=int, default=1000)
    args = parser.parse_args()
    sandbox = private_environment()

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtGui import QPaintEvent
    from PySide6.QtWidgets import QWidget

    from bench.peaks import write_speech_like
    from closer_desktop.app.tasks import TaskRunner
    from closer_desktop.audio.peaks import PeakCache, cache_dir_for
    from closer_desktop.audio.player import Player
    from closer_desktop.ui.launch import create_app
    from closer_desktop.ui.widgets import take_player as take_player_module
    from closer_desktop.ui.widgets.take_player import TakePlayer
    from closer_desktop.ui.widgets.waveform import BUCKETS, READY, PeaksSource, WaveformView

    create_app()
    loop = QEventLoop()
    painted: list[float] = []

    class TimedWaveform(WaveformView):
        """Notes when a paint with peaks has finished."""

        def paintEvent(self, event: QPaintEvent) -> None:
            super().paintEvent(event)
            if self.state == READY and not painted:
                painted.append(time.perf_counter())
                loop.quit()

    data_dir = sandbox / "library"
    audio = data_dir / "audio" / "2026-11" / "long-take.wav"
    audio.parent.mkdir(parents=True)
    began = time.perf_counter()
    frames = write_speech_like(audio, args.minutes)
    print(
        f"take: {args.minutes:g} min, {frames:,} frames, {audio.stat().st_size / 1e6:.0f} MB "
        f"(written in {time.perf_counter() - began:.1f} s)"
    )
    began = time.perf_counter()
    PeakCache(cache_dir_for(data_dir)).get_or_compute(audio, BUCKETS)
    print(f"peaks computed and cached in {(time.perf_counter() - began) * 1000:.0f} ms")
    duration = frames / 44100

    runner = TaskRunner("bench-files")
    source = PeaksSource(runner, data_dir)
    setattr(take_player_module, "WaveformView", TimedWaveform)  # noqa: B010 (what TakePlayer builds)
    player = Player(lambda: None, lambda _: None)

    def timed(build: str) -> float:
        painted.clear()
        widget: QWidget
        take_player: TakePlayer | None = None
        if build == "waveform":
            view: WaveformView = TimedWaveform()
            widget = view
        else:
            take_player = TakePlayer(player, source)
            assert take_player.waveform is not None
            view, widget = take_player.waveform, take_player
        widget.resize(args.width, 110)
        widget.show()
        loop_settle = QEventLoop()
        QTimer.singleShot(50, loop_settle.quit)  # shown and painted empty first
        loop_settle.exec()
        painted.clear()
        start = time.perf_counter()
        if take_player is None:
            view.load(audio, source, duration)
        else:
            take_player.show_take(audio, duration)
        QTimer.singleShot(5000, loop.quit)  # never hang
        loop.exec()
        widget.close()
        widget.deleteLater()
        if not painted:
            raise SystemExit(f"{build}: the peaks were not painted within 5 s")
        return (painted[0] - start) * 1000

    for build in ("waveform", "take player"):
        first = timed(build)
        runs = [timed(build) for _ in range(args.runs)]
        print(f"{build + ':':13} first {first:.1f} ms; then {describe(runs)}")
        verdict = "within" if statistics.median(runs) <= TARGET_MS else "OVER"
        print(f"{'':13} target: shown from the cache in at most {TARGET_MS:.0f} ms ({verdict})")
    player.close()
    runner.shutdown()
    shutil.rmtree(sandbox, ignore_errors=True)


if __name__ == "__main__":
    main()
