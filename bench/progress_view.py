"""Progress with 10,000 takes: Ctrl+G to the page drawn with its charts (target at most 500 ms).

Each run starts on the practice page, presses Ctrl+G, waits for the figures to arrive from the
library's thread (every aggregate is SQL), and then draws the whole page once (`grab` paints it
synchronously, charts and all). The first run also builds the page and imports QtCharts; it is
reported on its own. Also printed: the SQL alone, on the benchmark's own connection.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from bench.harness import describe, private_environment, wait_until
from bench.make_library import make_library

RUNS = 7
TARGET_MS = 500


def main() -> None:
    sandbox = private_environment()
    data_dir = sandbox / "library"
    make_library(data_dir, takes=10000)
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from closer_desktop.app.settings import Settings
    from closer_desktop.ui.launch import build_window, create_app

    create_app()
    window = build_window(data_dir, settings=Settings(sandbox / "settings.ini"))
    window.resize(1280, 800)
    window.show()
    assert wait_until(lambda: window.library.library_is_open, 10)
    wait_until(lambda: False, 1.0)  # let start-up work (deck, first takes) settle
    arrived: list[object] = []
    times = []
    for run in range(RUNS):
        window.show_practice()
        wait_until(lambda: False, 0.1)
        seen = len(arrived)
        began = time.perf_counter()
        QTest.keyClick(window, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
        if run == 0:
            window.progress.loaded.connect(arrived.append)
        assert wait_until(lambda seen=seen: len(arrived) > seen, 10)  # type: ignore[misc]
        window.progress.grab()
        times.append((time.perf_counter() - began) * 1000)
    view = window.progress
    assert view.chart is not None and view.chart.dots["professionalism"].count() > 0
    progress = view.progress
    assert progress is not None
    warm = times[1:]
    print(
        f"Progress view with {progress.totals.takes:,} takes "
        f"({len(progress.takes)} dots, {len(progress.sessions)} sessions): "
        f"first open {times[0]:.1f} ms; then {describe(warm)} "
        f"(target at most {TARGET_MS} ms: {'met' if max(times) <= TARGET_MS else 'NOT met'})"
    )
    print(f"  of which SQL alone: {_sql_ms(data_dir, window.controller.deck.id)}")
    window.close()


def _sql_ms(data_dir: Path, deck_id: str) -> str:
    from closer_desktop.storage.library import Library
    from closer_desktop.storage.queries.progress import Scope, load_progress

    library = Library(data_dir)
    try:
        runs = []
        for _ in range(5):
            began = time.perf_counter()
            load_progress(library, Scope(deck_id))
            runs.append((time.perf_counter() - began) * 1000)
    finally:
        library.close()
    return f"median {statistics.median(runs):.1f} ms"


if __name__ == "__main__":
    main()
