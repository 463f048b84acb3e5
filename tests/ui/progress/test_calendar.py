"""The practice calendar: eight weeks, in the design's colours, readable in both themes and
whole beside the chart at 800x600."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QFontMetrics
from pytestqt.qtbot import QtBot

from closer_desktop.storage.library import Library
from closer_desktop.storage.queries.progress import PracticeDay
from closer_desktop.ui.design import PALETTES, TYPE_CAPTION, contrast_ratio
from closer_desktop.ui.main_window import MainWindow
from closer_desktop.ui.progress.calendar import WEEKS, PracticeCalendar, level
from closer_desktop.ui.theme import dark_palette, light_palette
from tests.support.progress_library import DECK, add, at

TIMEOUT = 10000
TODAY = date(2026, 12, 6)  # a Sunday


def calendar_in(theme: str, qtbot: QtBot) -> PracticeCalendar:
    calendar = PracticeCalendar()
    qtbot.addWidget(calendar)
    palette = dark_palette() if theme == "dark" else light_palette(calendar.palette())
    calendar.setPalette(palette)
    calendar.resize(calendar.sizeHint())
    days = [
        PracticeDay(TODAY - timedelta(days=n), takes, 60.0)
        for n, takes in ((0, 1), (2, 4), (9, 8), (20, 12))
    ]
    calendar.set_days(days, TODAY)
    return calendar


def test_eight_weeks_ending_this_week(qtbot: QtBot) -> None:
    calendar = calendar_in("light", qtbot)
    assert calendar.weeks == WEEKS == 8
    assert calendar.first_day == date(2026, 10, 12)  # the Monday seven weeks before this one
    assert calendar.day_at(calendar.cell(TODAY).center()) == TODAY
    assert calendar.day_at(calendar.cell(calendar.first_day).center()) == calendar.first_day
    # Wider, it stays eight weeks (half a year of empty squares hid the days that mattered).
    calendar.resize(900, calendar.height())
    assert calendar.weeks == 8
    assert calendar.accessibleDescription() == "4 days practised in the last 8 weeks"
    # Each month is named at the week holding its 1st (Sun 1 Nov, Tue 1 Dec); the first column
    # is not, November's name follows too closely.
    assert calendar.month_weeks() == {2: "Nov", 7: "Dec"}
    font = calendar.font()
    font.setPointSizeF(TYPE_CAPTION)  # as painted
    metrics = QFontMetrics(font)
    for week, name in calendar.month_weeks().items():  # "Dec" over the last column is whole
        left = calendar.cell(calendar.first_day + timedelta(weeks=week)).left()
        assert left + metrics.horizontalAdvance(name) <= calendar.sizeHint().width()
    calendar.set_days([], date(2026, 11, 25))  # from Mon 5 Oct; 1 Nov in the fourth column
    assert calendar.month_weeks() == {0: "Oct", 3: "Nov"}


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_practised_days_stand_out_in_either_theme(qtbot: QtBot, theme: str) -> None:
    calendar = calendar_in(theme, qtbot)
    tokens = PALETTES[theme]
    empty, *shades = [c.name() for c in calendar.colours()]
    # A practised day is a graphic that carries information: 3:1 against the window (WCAG 1.4.11),
    # and each level stronger than the one before; an empty day is seen but quiet.
    ratios = [contrast_ratio(shade, tokens.window) for shade in shades]
    assert all(r >= 3.0 for r in ratios), ratios
    assert ratios == sorted(ratios)
    assert 1.3 <= contrast_ratio(empty, tokens.window) < ratios[0]
    assert shades[-1] == tokens.accent
    # As drawn: each day's square in its level's colour.
    image = calendar.grab().toImage()
    ratio = image.devicePixelRatio()
    for day, takes in ((TODAY, 1), (TODAY - timedelta(days=2), 4), (TODAY - timedelta(days=1), 0)):
        centre = calendar.cell(day).center()
        pixel = QColor(image.pixel(QPoint(int(centre.x() * ratio), int(centre.y() * ratio))))
        assert pixel.name() == calendar.colours()[level(takes)].name()


def test_the_calendar_is_whole_beside_the_chart_at_800x600(
    qtbot: QtBot, open_window: Any, data_dir: Path
) -> None:
    library = Library(data_dir)
    add(library, library.start_session(DECK.id), 0, at("2026-11-04", "09:00"), 3, 2)
    library.close()
    window: MainWindow = open_window(data_dir)
    window.resize(800, 600)
    qtbot.waitUntil(lambda: window.library.library_is_open, timeout=TIMEOUT)
    window.show_progress()
    view = window.progress
    qtbot.waitUntil(lambda: view.progress is not None, timeout=TIMEOUT)
    qtbot.wait(100)
    calendar = view.calendar
    assert calendar.isVisible() and calendar.size() == calendar.sizeHint()
    # Its whole width shows in the page (only the page scrolls, and only up and down).
    viewport = view.content.viewport()
    left = calendar.mapTo(viewport, QPoint(0, 0)).x()
    assert left >= 0 and left + calendar.width() <= viewport.width()
    assert calendar.mapTo(window, QPoint(calendar.width(), 0)).x() <= 800
