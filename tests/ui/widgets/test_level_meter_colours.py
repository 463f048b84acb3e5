"""The level meter's zones are the design's verdict colours of the theme in force (good, watch,
work), not fixed ones that fell under contrast on the dark window."""

from __future__ import annotations

from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from closer_desktop.audio.levels import MeterReading
from closer_desktop.ui.design import DARK, LIGHT
from closer_desktop.ui.launch import create_app
from closer_desktop.ui.theme import apply_theme
from closer_desktop.ui.widgets.level_meter import LevelMeterWidget, db_to_fraction


def test_zones_take_the_themes_tokens(qtbot: QtBot) -> None:
    app = create_app()
    loud = MeterReading(level_db=-1.0, peak_db=-1.0, hold_db=-1.0, silent=False, clipping=False)
    try:
        for theme, tokens in (("light", LIGHT), ("dark", DARK)):
            apply_theme(app, theme)
            meter = LevelMeterWidget()
            qtbot.addWidget(meter)
            meter.resize(400, 34)
            meter.set_reading(loud)
            image = meter.grab().toImage()
            for db, expected in ((-30, tokens.good), (-6, tokens.watch), (-1.5, tokens.work)):
                x = int(meter.width() * db_to_fraction(db))
                assert image.pixelColor(x, 8) == QColor(expected), (theme, db)
    finally:
        apply_theme(app, "light")
