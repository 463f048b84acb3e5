"""Switching theme leaves every widget as it was, and the dark theme's drawings stay visible."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from closer_desktop.domain.practice import RatingScale
from closer_desktop.paths import resource_path
from closer_desktop.ui.design import DARK, contrast_ratio
from closer_desktop.ui.launch import create_app
from closer_desktop.ui.progress.calendar import PracticeCalendar
from closer_desktop.ui.theme import BASE_STYLE_SHEET, apply_theme
from closer_desktop.ui.widgets.rating import RatingPanel
from closer_desktop.ui.widgets.waveform import WaveformView


@pytest.fixture
def app() -> Iterator[QApplication]:
    """The application with Closer's style sheet, as launch.create_app leaves it; restored after."""
    app = create_app()
    before = app.property(BASE_STYLE_SHEET), QPalette(app.palette()), app.styleSheet()
    app.setProperty(BASE_STYLE_SHEET, resource_path("styles", "closer.qss").read_text("utf-8"))
    yield app
    app.setProperty(BASE_STYLE_SHEET, before[0])
    app.setPalette(before[1])
    app.setStyleSheet(before[2])


def hex_of(colour: QColor) -> str:
    return colour.name(QColor.NameFormat.HexRgb)


def test_theme_switch_keeps_the_rating_buttons_size(app: QApplication, qtbot: QtBot) -> None:
    apply_theme(app, "light")
    panel = RatingPanel()
    qtbot.addWidget(panel)
    panel.show()
    row = panel.rows[RatingScale.PROFESSIONALISM]
    row.setEnabled(True)
    row.set_value(3)  # a checked button was the one that shrank
    app.processEvents()
    before = [button.sizeHint() for button in row.buttons]
    assert len(set((s.width(), s.height()) for s in before)) == 1
    for theme in ("dark", "light", "dark"):
        apply_theme(app, theme)
        app.processEvents()
        assert [button.sizeHint() for button in row.buttons] == before, theme


def test_dark_waveform_is_visible(app: QApplication, qtbot: QtBot) -> None:
    apply_theme(app, "dark")
    view = WaveformView()
    qtbot.addWidget(view)
    view.show()
    app.processEvents()
    base = hex_of(view.palette().color(QPalette.ColorRole.Base))
    assert base == DARK.surface
    for active in (False, True):
        view.set_active(active)
        wave, played = view.drawn_colours()
        assert contrast_ratio(hex_of(wave), base) >= 3.0
        assert contrast_ratio(hex_of(played), base) >= 3.0


def test_dark_calendar_days_are_visible(app: QApplication, qtbot: QtBot) -> None:
    apply_theme(app, "dark")
    calendar = PracticeCalendar()
    qtbot.addWidget(calendar)
    window = hex_of(calendar.palette().color(QPalette.ColorRole.Window))
    ratios = [contrast_ratio(hex_of(colour), window) for colour in calendar.colours()]
    assert ratios[0] >= 1.4  # an empty day is a visible cell, not a hole
    assert ratios[-1] >= 3.0  # the busiest day reads like a UI part
    assert ratios[1:] == sorted(ratios[1:])  # more takes, stronger colour
    assert len(set(ratios)) == len(ratios)


def test_system_theme_with_a_dark_palette_gets_the_dark_sheet(app: QApplication) -> None:
    """A dark desktop under "system" gets the dark sheet (the light one put dark text on it)."""
    from closer_desktop.ui import theme

    key = theme._SYSTEM_PALETTE
    platform = app.property(key)
    try:
        app.setProperty(key, theme.dark_palette())
        apply_theme(app, "system")
        assert app.styleSheet() == resource_path("styles", "closer-dark.qss").read_text("utf-8")
        app.setProperty(key, theme.light_palette(app.style().standardPalette()))
        apply_theme(app, "system")
        assert app.styleSheet() == app.property(BASE_STYLE_SHEET)
    finally:
        app.setProperty(key, platform)


def test_rich_text_colours_follow_the_theme(app: QApplication, qtbot: QtBot) -> None:
    """The line check and the transcript's fillers are rich text, out of the style sheet's reach:
    they take the theme's tokens (AA on that window) and change with a theme switch."""
    from closer_desktop.analysis.line_check import check_line
    from closer_desktop.ui.design import LIGHT
    from closer_desktop.ui.widgets.line_check import LineCheckView
    from closer_desktop.ui.widgets.transcript import TranscriptView
    from tests.ui.widgets.test_feedback import METRICS

    line = "What are the next steps in your hiring process?"
    apply_theme(app, "dark")
    check = LineCheckView()
    qtbot.addWidget(check)
    check.show_match(check_line("So what are the next stages in your process", line), line)
    assert f"color:{DARK.work}" in check.line.text()
    assert f"color:{DARK.accent}" in check.line.text()
    transcript = TranscriptView()
    qtbot.addWidget(transcript)
    transcript.show_take(1)
    words = [
        {"word": "um", "start_s": 0.0, "end_s": 0.3},
        {"word": "yes", "start_s": 0.4, "end_s": 0.7},
    ]
    fillers = [{"word": "um", "start_s": 0.0, "end_s": 0.3}]
    transcript.show_metrics(
        1, {**METRICS, "words": words, "fillers": fillers, "transcript": "um yes"}
    )
    assert DARK.watch in transcript.document().defaultStyleSheet()
    apply_theme(app, "light")
    app.processEvents()
    assert f"color:{LIGHT.work}" in check.line.text()
    assert LIGHT.watch in transcript.document().defaultStyleSheet()


@pytest.mark.parametrize("kind", ["line edit", "list"])
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_a_field_is_outlined(app: QApplication, qtbot: QtBot, theme: str, kind: str) -> None:
    """A field's outline is a UI part (3:1 against the window): Fusion's vanished in dark."""
    from PySide6.QtWidgets import QLineEdit, QListWidget, QVBoxLayout, QWidget

    apply_theme(app, theme)
    host = QWidget()
    qtbot.addWidget(host)
    field = QLineEdit("text") if kind == "line edit" else QListWidget()
    field.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # unfocused: a focus ring is no outline
    QVBoxLayout(host).addWidget(field)
    host.show()
    qtbot.waitExposed(host)
    image = host.grab().toImage()
    window = hex_of(host.palette().color(QPalette.ColorRole.Window))
    middle = field.geometry().center().y()
    edge = max(
        contrast_ratio(hex_of(image.pixelColor(x, middle)), window)
        for x in range(field.geometry().left(), field.geometry().left() + 3)
    )
    assert edge >= 3.0


def test_the_empty_waveform_line_stops_short_of_its_words(app: QApplication, qtbot: QtBot) -> None:
    """'No take' was drawn on the centre line, struck through; the line now leaves it a gap."""
    from closer_desktop.ui.widgets.waveform import EMPTY, PLACEHOLDERS

    apply_theme(app, "dark")
    view = WaveformView()
    qtbot.addWidget(view)
    view.resize(400, 40)
    view.show()
    qtbot.waitExposed(view)
    assert view.state == EMPTY
    image = view.grab().toImage()
    base = view.palette().color(QPalette.ColorRole.Base)
    half = view.fontMetrics().horizontalAdvance(PLACEHOLDERS[EMPTY]) / 2
    rows = range(view.height() // 2 - 2, view.height() // 2 + 2)  # the (antialiased) centre line

    def column_is_empty(x: int) -> bool:
        return all(image.pixelColor(x, y) == base for y in rows)

    centre = image.width() // 2
    assert column_is_empty(int(centre - half - 3))  # the gap before the words
    assert column_is_empty(int(centre + half + 3))  # and after them
    assert not column_is_empty(20)  # the line is there
