"""The practice calendar's description for a screen reader counts its days in good English."""

from __future__ import annotations

from datetime import date, timedelta

from pytestqt.qtbot import QtBot

from closer_desktop.storage.queries.progress import PracticeDay
from closer_desktop.ui.progress.calendar import PracticeCalendar

TODAY = date(2026, 12, 6)


def test_one_day_practised_is_one_day(qtbot: QtBot) -> None:
    calendar = PracticeCalendar()
    qtbot.addWidget(calendar)
    calendar.set_days([PracticeDay(TODAY, 2, 30.0)], TODAY)
    assert calendar.accessibleDescription() == (
        f"1 day practised in the last {calendar.weeks} weeks"
    )
    calendar.set_days([PracticeDay(TODAY - timedelta(days=n), 1, 9.0) for n in (0, 3)], TODAY)
    assert calendar.accessibleDescription().startswith("2 days practised")
