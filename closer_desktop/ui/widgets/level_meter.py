"""The live input level meter: a dB-scaled bar with peak hold, plus warnings for silence and clipping."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from closer_desktop.audio.levels import FLOOR_DB, MeterReading
from closer_desktop.ui.theme import tokens_for

TICKS_DB = (-60, -40, -30, -20, -12, -6, -3, 0)


def db_to_fraction(db: float) -> float:
    """Where `db` sits on the meter, 0 (floor) to 1 (full scale)."""
    return max(0.0, min(1.0, (db - FLOOR_DB) / -FLOOR_DB))


class LevelMeterWidget(QWidget):
    """Paints the latest MeterReading; the reading also goes into the accessible description."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reading: MeterReading | None = None
        self.setMinimumHeight(34)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Input level")
        self.setToolTip("Microphone level in dBFS. Aim for the green-yellow zone when you speak.")

    def sizeHint(self) -> QSize:
        return QSize(360, 34)

    def set_reading(self, reading: MeterReading | None) -> None:
        self.reading = reading
        text = "no input" if reading is None else self.describe(reading)
        self.setAccessibleDescription(text)
        self.update()

    @staticmethod
    def describe(reading: MeterReading) -> str:
        parts = [f"level {reading.level_db:.0f} dBFS", f"peak {reading.hold_db:.0f} dBFS"]
        if reading.silent:
            parts.append("silent")
        if reading.clipping:
            parts.append("clipping")
        return ", ".join(parts)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        bar = QRectF(0, 0, self.width(), self.height() - 14)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(palette.color(palette.ColorRole.AlternateBase).darker(110))
        painter.drawRoundedRect(bar, 4, 4)
        if self.reading is not None:
            level = db_to_fraction(self.reading.level_db)
            peak = db_to_fraction(self.reading.peak_db)
            tokens = tokens_for(palette)  # the design's verdict colours, of this theme
            zones = (
                (-60.0, -12.0, tokens.good),
                (-12.0, -3.0, tokens.watch),
                (-3.0, 0.0, tokens.work),
            )
            for low, high, colour in zones:
                start, end = db_to_fraction(low), min(db_to_fraction(high), peak)
                if end > start:
                    painter.setBrush(QColor(colour).lighter(135))
                    painter.drawRect(
                        QRectF(bar.width() * start, 0, bar.width() * (end - start), bar.height())
                    )
                end = min(db_to_fraction(high), level)
                if end > start:
                    painter.setBrush(QColor(colour))
                    painter.drawRect(
                        QRectF(bar.width() * start, 0, bar.width() * (end - start), bar.height())
                    )
            hold_x = bar.width() * db_to_fraction(self.reading.hold_db)
            painter.setPen(QPen(palette.color(palette.ColorRole.WindowText), 2))
            painter.drawLine(int(hold_x), 0, int(hold_x), int(bar.height()))
        painter.setPen(palette.color(palette.ColorRole.PlaceholderText))
        font = painter.font()
        font.setPointSizeF(max(6.0, font.pointSizeF() * 0.75))
        painter.setFont(font)
        free_from = -1.0  # labels that would overlap the one before are left out (narrow)
        for tick in reversed(TICKS_DB):  # right to left: 0 and the loud end are kept first
            x = (self.width() - 1) * db_to_fraction(tick)
            painter.drawLine(int(x), int(bar.height()), int(x), int(bar.height()) + 3)
            label = f"{tick}"
            width = painter.fontMetrics().horizontalAdvance(label)
            left = min(max(0.0, x - width / 2), self.width() - width)
            if free_from < 0 or left + width + 3 <= free_from:
                painter.drawText(int(left), self.height() - 1, label)
                free_from = left
        painter.end()
