"""The practice calendar: one square per day for the last weeks, shaded by the takes recorded."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QHelpEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from closer_desktop.domain.progress import format_spoken
from closer_desktop.domain.text import counted
from closer_desktop.storage.queries.progress import PracticeDay

CELL = 12
GAP = 2
LABELS = 26  # left margin for the weekday letters
TOP = 14  # room for month names
MAX_WEEKS = 26
MIN_WEEKS = 8


def level(takes: int) -> int:
    """Shade: 0 none, 1 one or two takes, 2 up to 5, 3 up to 10, 4 more (as in the report)."""
    return 0 if takes == 0 else 1 if takes <= 2 else 2 if takes <= 5 else 3 if takes <= 10 else 4


class PracticeCalendar(QWidget):
    """Weeks as columns (Monday on top), as many as fit (8 to 26), ending with this week.

    Colours come from the palette (its highlight, at four strengths), so it reads in light and
    dark themes. Hovering a day tells its takes and time spoken.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.days: dict[date, PracticeDay] = {}
        self.today = date.today()
        self.setAccessibleName("Days practised")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)

    def set_days(self, days: list[PracticeDay], today: date) -> None:
        self.days = {d.day: d for d in days}
        self.today = today
        practised = sum(1 for d in self.days if d >= self.first_day)
        self.setAccessibleDescription(f"{practised} days practised in the last {self.weeks} weeks")
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(LABELS + MAX_WEEKS * (CELL + GAP), TOP + 7 * (CELL + GAP))

    def minimumSizeHint(self) -> QSize:
        return QSize(LABELS + MIN_WEEKS * (CELL + GAP), TOP + 7 * (CELL + GAP))

    @property
    def weeks(self) -> int:
        fit = (self.width() - LABELS) // (CELL + GAP)
        return max(MIN_WEEKS, min(MAX_WEEKS, fit))

    @property
    def first_day(self) -> date:
        """The Monday of the first week shown."""
        monday = self.today - timedelta(days=self.today.weekday())
        return monday - timedelta(weeks=self.weeks - 1)

    def cell(self, day: date) -> QRect:
        offset = (day - self.first_day).days
        week, weekday = divmod(offset, 7)
        return QRect(LABELS + week * (CELL + GAP), TOP + weekday * (CELL + GAP), CELL, CELL)

    def day_at(self, pos: QPoint) -> date | None:
        if pos.x() < LABELS or pos.y() < TOP:
            return None
        week = (pos.x() - LABELS) // (CELL + GAP)
        weekday = (pos.y() - TOP) // (CELL + GAP)
        if not (0 <= week < self.weeks and 0 <= weekday < 7):
            return None
        day = self.first_day + timedelta(weeks=week, days=weekday)
        return day if day <= self.today and self.cell(day).contains(pos) else None

    def describe(self, day: date) -> str:
        practised = self.days.get(day)
        if practised is None:
            return f"{day:%a %d %b %Y}: no practice"
        return (
            f"{day:%a %d %b %Y}: {counted(practised.takes, 'take')}, "
            f"{format_spoken(practised.spoken_s)} spoken"
        )

    def colours(self) -> list[QColor]:
        """Opaque mixes into the window colour: translucent shades were lost on a dark window."""
        palette = self.palette()
        ground = palette.color(QPalette.ColorRole.Window)
        empty = _mix(ground, palette.color(QPalette.ColorRole.Mid), 0.4)
        accent = palette.color(QPalette.ColorRole.Highlight)
        return [empty, *(_mix(ground, accent, share) for share in (0.4, 0.6, 0.8, 1.0))]

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            day = self.day_at(event.pos())
            if day is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), self.describe(day), self)
            return True
        return super().event(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        shades = self.colours()
        font = painter.font()
        font.setPointSizeF(max(6.0, font.pointSizeF() * 0.8))
        painter.setFont(font)
        painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
        for weekday, name in ((0, "M"), (2, "W"), (4, "F")):
            painter.drawText(
                QRect(0, TOP + weekday * (CELL + GAP), LABELS - 6, CELL),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                name,
            )
        first = self.first_day
        for week in range(self.weeks):
            monday = first + timedelta(weeks=week)
            if monday.day <= 7:  # the first week of a month carries its name
                painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
                painter.drawText(LABELS + week * (CELL + GAP), TOP - 3, f"{monday:%b}")
            for weekday in range(7):
                day = monday + timedelta(days=weekday)
                if day > self.today:
                    break
                practised = self.days.get(day)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(shades[level(practised.takes if practised else 0)])
                painter.drawRoundedRect(self.cell(day), 2, 2)
                if day == self.today:
                    painter.setPen(palette.color(QPalette.ColorRole.Text))
                    painter.setBrush(Qt.BrushStyle.NoBrush)
                    painter.drawRoundedRect(self.cell(day).adjusted(0, 0, -1, -1), 2, 2)
        painter.end()


def _mix(ground: QColor, colour: QColor, share: float) -> QColor:
    """`share` of `colour` over `ground`, as an opaque colour."""
    return QColor(
        round(ground.red() + (colour.red() - ground.red()) * share),
        round(ground.green() + (colour.green() - ground.green()) * share),
        round(ground.blue() + (colour.blue() - ground.blue()) * share),
    )
