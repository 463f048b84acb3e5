"""History's Filters button counts the filters in force on a badge in the theme's accent: after
a theme switch the badge is drawn in the new theme's colours, not the ones of the theme it was
first shown in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from closer_desktop.paths import resource_path
from closer_desktop.ui.design import DARK, LIGHT
from closer_desktop.ui.theme import BASE_STYLE_SHEET, apply_theme, complete_theme
from tests.ui.history.test_view import open_history


def badge_background(badge: Any) -> str:
    """The colour at the badge's left edge, beside its centred number."""
    image = badge.grab().toImage()
    return QColor(image.pixel(2, image.height() // 2)).name()


def test_the_filter_badge_follows_a_theme_switch(
    qtbot: QtBot, open_window: Any, data_dir: Path
) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    theme, base = app.property("closer_theme"), app.property(BASE_STYLE_SHEET)
    app.setProperty(BASE_STYLE_SHEET, resource_path("styles", "closer.qss").read_text("utf-8"))
    window = open_history(qtbot, open_window, data_dir)
    history = window.history
    try:
        apply_theme(app, "light")
        history.has_note.setChecked(True)  # one filter: the badge shows
        qtbot.waitUntil(lambda: history.filters_badge.text() == "1", timeout=5000)
        assert badge_background(history.filters_badge) == LIGHT.accent_fill
        apply_theme(app, "dark")
        app.processEvents()
        assert badge_background(history.filters_badge) == DARK.accent_fill
    finally:
        app.setProperty(BASE_STYLE_SHEET, base)
        app.setProperty("closer_theme", theme if isinstance(theme, str) else "system")
        complete_theme(app)
