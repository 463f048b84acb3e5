"""The time axis of the Progress charts: a tick per day, at its first dot, and labels that never
touch, drawn on the real page of a real window at 800x600 (the issue saw "06 Dec 07:0806 Dec
07:09")."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QFontMetricsF
from pytestqt.qtbot import QtBot

from closer_desktop.storage.library import Library
from closer_desktop.storage.take_metrics import save_metrics
from closer_desktop.ui.main_window import MainWindow
from closer_desktop.ui.progress.charts import LABEL_GAP, ScoreChart, day_labels
from tests.support.delivery import delivery_metrics
from tests.support.progress_library import DECK, TZ, add

TIMEOUT = 10000


def crowded_library(data_dir: Path) -> list[datetime]:
    """Sessions on ten days, three with many takes a minute apart (the crowd that overlapped),
    each analysed; returns the takes' times in order."""
    library = Library(data_dir)
    times: list[datetime] = []
    start = datetime(2026, 11, 20, 7, 8, tzinfo=TZ)
    try:
        for day in range(10):
            session = library.start_session(DECK.id)
            for minute in range(6 if day in (0, 4, 9) else 1):
                when = start + timedelta(days=day * 2, minutes=minute)
                take = add(library, session, minute % 4, when, 2 + minute % 3, 3, 20)
                save_metrics(library, take, delivery_metrics(140 + 5 * day, pitch=3.0))
                times.append(when)
    finally:
        library.close()
    return times


def open_small(qtbot: QtBot, open_window: Any, data_dir: Path) -> MainWindow:
    window: MainWindow = open_window(data_dir)
    window.resize(800, 600)
    qtbot.waitUntil(lambda: window.library.library_is_open, timeout=TIMEOUT)
    window.show_progress()
    qtbot.waitUntil(lambda: window.progress.chart is not None, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: bool(window.progress.chart.points), timeout=TIMEOUT)  # type: ignore[union-attr]
    return window


def settle(qtbot: QtBot, chart: ScoreChart) -> None:
    sizes = [chart.size()]

    def settled() -> bool:
        sizes.append(chart.size())
        return len(sizes) > 5 and len({(s.width(), s.height()) for s in sizes[-5:]}) == 1

    qtbot.waitUntil(settled, timeout=TIMEOUT)


def text_runs(chart: ScoreChart, rects: list[QRectF]) -> int:
    """How many separate runs of text pixels the drawn x-axis labels make (two labels that touch
    make one): columns of the label strip with a pixel far from the chart's background, merged
    across gaps a little narrower than LABEL_GAP (the space inside "06 Dec", 7 px at 9 pt)."""
    image = chart.grab().toImage()
    ratio = image.devicePixelRatio()
    top = min(r.top() for r in rects)
    bottom = max(r.bottom() for r in rects)
    ground = QColor(chart.chart().backgroundBrush().color())
    inked = []
    for x in range(int(image.width() / ratio)):
        scene = chart.mapFromScene(x, 0).x()  # the view shows the scene unscaled
        for y in range(int(top) + 2, int(bottom) + 4):
            pixel = QColor(image.pixel(int(scene * ratio), int(y * ratio)))
            if abs(pixel.lightness() - ground.lightness()) > 60:
                inked.append(x)
                break
    runs = 0
    last = -LABEL_GAP
    for x in inked:
        if x - last >= LABEL_GAP - 2:
            runs += 1
        last = x
    return runs


def test_day_labels_never_touch_at_800x600(qtbot: QtBot, open_window: Any, data_dir: Path) -> None:
    times = crowded_library(data_dir)
    window = open_small(qtbot, open_window, data_dir)
    chart = window.progress.chart
    assert chart is not None
    settle(qtbot, chart)
    labels = chart.days.shown()
    texts = [text for text, _ in labels]
    # Each label is a day, at the first dot of that day; no day twice.
    assert texts and len(set(texts)) == len(texts)
    for text, index in labels:
        day_dots = [i for i, t in enumerate(times) if f"{t:%d %b}" == text]
        assert index == day_dots[0]
    assert all(":" not in text for text in texts)  # days, not times of day
    rects = chart.days.label_rects()
    for first, second in itertools.pairwise(rects):
        assert first.right() + LABEL_GAP <= second.left() + 0.5
    assert len(labels) < len({t.date() for t in times})  # ten days do not fit at 800x600
    assert text_runs(chart, rects) == len(labels)  # as drawn, too
    # Wider, more days fit, still apart.
    window.resize(1280, 800)
    settle(qtbot, chart)
    wide = chart.days.label_rects()
    assert len(wide) > len(rects)
    for first, second in itertools.pairwise(wide):
        assert first.right() + LABEL_GAP <= second.left() + 0.5


def test_one_busy_day_is_one_tick() -> None:
    day = datetime(2026, 12, 6, 7, 8, tzinfo=TZ)
    times = [day + timedelta(minutes=m) for m in range(8)]
    metrics = QFontMetricsF(ScoreChart().x_axis.labelsFont())
    assert day_labels(times, 400, metrics.horizontalAdvance) == [("06 Dec", 0.0)]
    assert day_labels([], 400, metrics.horizontalAdvance) == []
    # Dots spanning a new year carry the year.
    new_year = [datetime(2026, 12, 31, 9, tzinfo=TZ), datetime(2027, 1, 2, 9, tzinfo=TZ)]
    assert [t for t, _ in day_labels(new_year, 400, metrics.horizontalAdvance)] == [
        "31 Dec 26",
        "02 Jan 27",
    ]
