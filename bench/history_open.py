"""History with 10,000 takes: time from Ctrl+H to the first page of rows shown (target ≤ 300 ms)."""

from __future__ import annotations

import statistics
import time

from bench.harness import private_environment, wait_until
from bench.make_library import make_library


def main() -> None:
    sandbox = private_environment()
    data_dir = sandbox / "library"
    make_library(data_dir, takes=10000)
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from closer_desktop.ui.app import build_window, create_app
    from closer_desktop.ui.settings import Settings

    create_app()
    window = build_window(data_dir, settings=Settings(sandbox / "settings.ini"))
    window.show()
    assert wait_until(lambda: window.controller.library_is_open, 10)
    times = []
    for _ in range(5):
        window.show_practice()
        began = time.perf_counter()
        QTest.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
        assert wait_until(lambda: window.history.model.rowCount() > 0, 10)
        times.append((time.perf_counter() - began) * 1000)
    print(
        f"History open with {window.history.model.total} takes: median "
        f"{statistics.median(times):.1f} ms, max {max(times):.1f} (target at most 300 ms)"
    )
    window.close()


if __name__ == "__main__":
    main()
