"""Issue 19, the design system "used by every page": the HTML report draws with the app's
colours (closer_desktop/palette.py, the same objects ui/design.py uses), not colours of its own,
and its calendar shades are the Progress calendar's."""

from __future__ import annotations

import re
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

from pytestqt.qtbot import QtBot

from closer_desktop import palette
from closer_desktop.reports import html
from closer_desktop.reports.html import report_html
from closer_desktop.storage.library import Library
from closer_desktop.storage.queries.progress import Scope, load_progress
from closer_desktop.ui import design
from closer_desktop.ui.progress.calendar import PracticeCalendar
from closer_desktop.ui.theme import tokens_for
from tests.support.progress_library import build

HEX = re.compile(r"#[0-9a-fA-F]{6}\b")


def test_the_app_and_the_report_share_one_palette() -> None:
    assert design.LIGHT is palette.LIGHT and design.DARK is palette.DARK
    assert design.PALETTES == palette.PALETTES


def test_every_colour_in_the_report_comes_from_the_palette(tmp_path: Path) -> None:
    library = Library(tmp_path / "data")
    build(library)
    progress = load_progress(library, Scope())
    library.close()
    text = report_html(progress, datetime(2026, 11, 5, 12, 0).astimezone())
    allowed = {
        *asdict(palette.LIGHT).values(),
        *asdict(palette.DARK).values(),
        *palette.calendar_levels(palette.LIGHT),
        *palette.calendar_levels(palette.DARK),
        html.GRID,
        html.DARK_GRID,
    }
    used = {colour.lower() for colour in HEX.findall(text)}
    assert used and used <= allowed, sorted(used - allowed)
    # the light theme's own roles: the page's text, each scale as the Progress chart draws it
    for colour in (palette.LIGHT.text, palette.LIGHT.accent, palette.LIGHT.watch):
        assert colour in used
    # a grid rule is the border role faded into the page, not a colour of the report's own
    assert palette.mix(palette.LIGHT.surface, palette.LIGHT.border, html.GRID_SHARE) == html.GRID


def test_the_reports_calendar_is_the_progress_pages(qtbot: QtBot) -> None:
    calendar = PracticeCalendar()
    qtbot.addWidget(calendar)
    shown = tuple(colour.name() for colour in calendar.colours())
    assert shown == palette.calendar_levels(tokens_for(calendar.palette()))
    assert shown == html.LEVELS or tokens_for(calendar.palette()) is palette.DARK
