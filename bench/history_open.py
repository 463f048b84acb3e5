"""History with 10,000 takes: time from Ctrl+H to the first page of rows shown (target ≤ 300 ms),
then with a delivery filter (fillers found: SQL over every take's stored metrics JSON), then
scrolling: the longest event-loop stall while paging down through 3,000 rows ("without stalls":
at most 50 ms, the same bar as the recording benchmark).

    python -m bench.history_open [--metrics SHARE]

SHARE (default 0.9) of the takes get stored delivery metrics of realistic size (a transcript with
word timings: a few kB of JSON each); 0 gives the library as it was before delivery analysis.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import time
from pathlib import Path
from typing import Any

from bench.harness import private_environment, wait_until
from bench.make_library import make_library

WORDS_PER_SECOND = 2.4
FILLER_WORDS = ("um", "uh", "like", "you know")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--metrics", type=float, default=0.9, metavar="SHARE")
    args = parser.parse_args()
    sandbox = private_environment()
    data_dir = sandbox / "library"
    make_library(data_dir, takes=10000)
    analysed = add_metrics(data_dir, args.metrics)
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from closer_desktop.app.settings import Settings
    from closer_desktop.ui.launch import build_window, create_app

    create_app()
    window = build_window(data_dir, settings=Settings(sandbox / "settings.ini"))
    window.show()
    assert wait_until(lambda: window.library.library_is_open, 10)
    times = []
    for _ in range(5):
        window.show_practice()
        began = time.perf_counter()
        QTest.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
        assert wait_until(lambda: window.history.model.rowCount() > 0, 10)
        times.append((time.perf_counter() - began) * 1000)
    print(
        f"History open with {window.history.model.total} takes ({analysed} analysed): median "
        f"{statistics.median(times):.1f} ms, max {max(times):.1f} (target at most 300 ms)"
    )
    if analysed:
        print(f"delivery filter (fillers found): {filtered_open(window):.1f} ms to the first rows")
    print(f"scrolling: longest stall {scroll_stall(window):.1f} ms (target at most 50 ms)")
    window.close()


def filtered_open(window: Any) -> float:
    """Median time from choosing "Fillers found" (and back) to the first matching rows shown."""
    from closer_desktop.storage.queries.history import DeliveryFilter

    history = window.history
    combo = history.delivery
    fillers = next(i for i in range(combo.count()) if combo.itemData(i) is DeliveryFilter.FILLERS)
    times = []
    for _ in range(5):
        for index in (fillers, 0):
            began = time.perf_counter()
            combo.setCurrentIndex(index)
            assert wait_until(lambda: history.model.rowCount() > 0, 10)
            if index:
                times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def add_metrics(data_dir: Path, share: float, seed: int = 1) -> int:
    """Store metrics JSON, shaped as analysis.metrics.Metrics.to_json(), for `share` of the
    takes, in one transaction (as make_library does); returns how many."""
    from closer_desktop.paths import DATABASE_NAME

    rng = random.Random(seed)
    conn = sqlite3.connect(data_dir / DATABASE_NAME)
    takes = conn.execute("SELECT id, duration_s FROM takes WHERE status = 'complete'").fetchall()
    chosen = [(take_id, duration) for take_id, duration in takes if rng.random() < share]
    with conn:
        conn.executemany(
            "INSERT INTO take_metrics (take_id, analyser_version, computed_at, metrics) "
            "VALUES (?, 1, '2026-01-01T00:00:00+00:00', ?)",
            [(take_id, json.dumps(_metrics(rng, duration))) for take_id, duration in chosen],
        )
    conn.close()
    return len(chosen)


def _metrics(rng: random.Random, duration_s: float) -> dict[str, Any]:
    speaking = duration_s * rng.uniform(0.6, 0.9)
    count = max(1, int(speaking * WORDS_PER_SECOND * rng.uniform(0.7, 1.3)))
    step = duration_s / count
    texts = [rng.choice(("thank", "you", "team", "role", "next")) for _ in range(count)]
    words = [
        {
            "word": text,
            "start_s": i * step,
            "end_s": i * step + step * 0.8,
        }
        for i, text in enumerate(texts)
    ]
    fillers = [
        {"word": rng.choice(FILLER_WORDS), "start_s": rng.uniform(0, duration_s)}
        for _ in range(rng.choice((0, 0, 1, 2, 4)))
    ]
    pauses = [
        {"start_s": start, "end_s": start + rng.uniform(0.3, 3.5)}
        for start in sorted(rng.uniform(0, duration_s) for _ in range(rng.randint(0, 4)))
    ]
    longest = max((p["end_s"] - p["start_s"] for p in pauses), default=0.0)
    return {
        "analyser_version": 1,
        "duration_s": duration_s,
        "speaking_time_s": round(speaking, 3),
        "pauses": pauses,
        "pause_count": len(pauses),
        "longest_pause_s": round(longest, 3),
        "long_pause_count": sum(p["end_s"] - p["start_s"] >= 2.5 for p in pauses),
        "speech_level_dbfs": -20.0,
        "peak_dbfs": -3.0,
        "clipped_fraction": 0.0,
        "pitch_spread_semitones": round(rng.uniform(1.0, 7.0), 2),
        "words_per_minute": round(count / speaking * 60, 1),
        "transcribed": True,
        "transcript": " ".join(texts),
        "transcript_note": None,
        "words": words,
        "fillers": fillers,
        "hints": [],
    }


def scroll_stall(window: Any) -> float:
    """Page down through 3,000 rows as a user holding Page Down would (the model fetches more
    rows lazily as the end comes into view); return the longest gap between heartbeats."""
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    table = window.history.table
    clock = QElapsedTimer()
    clock.start()
    last = [clock.elapsed()]
    gaps: list[int] = []

    def beat() -> None:
        now = clock.elapsed()
        gaps.append(now - last[0])
        last[0] = now

    heartbeat = QTimer()
    heartbeat.setInterval(5)
    heartbeat.timeout.connect(beat)
    heartbeat.start()
    bar = table.verticalScrollBar()
    while window.history.model.rowCount() < 3000:
        bar.setValue(bar.maximum())
        deadline = time.perf_counter() + 0.05
        while time.perf_counter() < deadline:
            QApplication.processEvents()
            time.sleep(0.002)
    heartbeat.stop()
    return float(max(gaps)) if gaps else 0.0


if __name__ == "__main__":
    main()
