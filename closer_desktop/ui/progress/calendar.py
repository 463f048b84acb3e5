"""The practice calendar: one square per day for the last eight weeks, shaded by the takes recorded.

Eight weeks, not half a year: the weeks that matter for a coming interview, at squares large
enough to hover, in a width that fits beside the chart at 800x600. Colours are the design's
(ui/design.py): practised days in the accent, strong enough against the window to be seen (3:1)
in either theme; empty days a faint square of the border colour.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QHelpEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from closer_desktop.domain.progress import format_spoken
from closer_desktop.domain.text import counted
from closer_desktop.palette import calendar_levels
from closer_desktop.storage.queries.progress import PracticeDay
from closer_desktop.ui.design import TYPE_CAPTION
from closer_desktop.ui.theme import tokens_for

CELL = 16
GAP = 3
LABELS = 26  # left margin for the weekday letters
TOP = 16  # room for month names
RIGHT = 20  # room for a month name over the last column
WEEKS = 8


def level(takes: int) -> int:
    """Shade: 0 none, 1 one or two takes, 2 up to 5, 3 up to 10, 4 more (as in the report)."""
    return 0 if takes == 0 else 1 if takes <= 2 else 2 if takes <= 5 else 3 if takes <= 10 else 4


class PracticeCalendar(QWidget):
    """Eight weeks as columns (Monday on top), ending with this week. Hovering a day tells its
    takes and time spoken."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.days: dict[date, PracticeDay] = {}
        self.today = date.today()
        self.setAccessibleName("Days practised")
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)

    def set_days(self, days: list[PracticeDay], today: date) -> None:
        self.days = {d.day: d for d in days}
        self.today = today
        practised = sum(1 for d in self.days if d >= self.first_day)
        self.setAccessibleDescription(
            f"{counted(practised, 'day')} practised in the last {self.weeks} weeks"
        )
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(LABELS + WEEKS * (CELL + GAP) + RIGHT, TOP + 7 * (CELL + GAP))

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    @property
    def weeks(self) -> int:
        return WEEKS

    @property
    def first_day(self) -> date:
        """The Monday of the first week shown."""
        monday = self.today - timedelta(days=self.today.weekday())
        return monday - timedelta(weeks=self.weeks - 1)

    def month_weeks(self) -> dict[int, str]:
        """The columns named with a month: each week holding a month's 1st (named by that
        month), and the first column too unless a name follows within two (they would touch)."""
        first = self.first_day
        names: dict[int, str] = {}
        for week in range(self.weeks):
            sunday = first + timedelta(weeks=week, days=6)
            if sunday.day <= 7:
                names[week] = f"{sunday:%b}"
        if not names.keys() & {0, 1, 2}:
            names[0] = f"{first:%b}"
        return names

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
        """Level 0 (no take) to 4: opaque mixes into the window colour (translucent shades were
        lost on a dark window)."""
        return [QColor(colour) for colour in calendar_levels(tokens_for(self.palette()))]

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
        tokens = tokens_for(self.palette())
        secondary = QColor(tokens.text_secondary)
        shades = self.colours()
        font = painter.font()
        font.setPointSizeF(TYPE_CAPTION)
        painter.setFont(font)
        painter.setPen(secondary)
        for weekday, name in ((0, "M"), (2, "W"), (4, "F")):
            painter.drawText(
                QRect(0, TOP + weekday * (CELL + GAP), LABELS - 6, CELL),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                name,
            )
        first = self.first_day
        months = self.month_weeks()
        for week in range(self.weeks):
            monday = first + timedelta(weeks=week)
            if week in months:
                painter.setPen(secondary)
                painter.drawText(LABELS + week * (CELL + GAP), TOP - 4, months[week])
            for weekday in range(7):
                day = monday + timedelta(days=weekday)
                if day > self.today:
                    break
                practised = self.days.get(day)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(shades[level(practised.takes if practised else 0)])
                painter.drawRoundedRect(self.cell(day), 2, 2)
                if day == self.today:
                    painter.setPen(QColor(tokens.text))
                    painter.setBrush(Qt.BrushStyle.NoBrush)
                    painter.drawRoundedRect(self.cell(day).adjusted(0, 0, -1, -1), 2, 2)
        painter.end()
