"""The Progress charts as widgets: the ratings and the delivery chart share one look."""

from __future__ import annotations

from PySide6.QtCharts import QChart
from PySide6.QtGui import QPainter
from pytestqt.qtbot import QtBot

from closer_desktop.ui.progress.charts import DeliveryChart, ScoreChart


def test_both_charts_are_set_up_alike(qtbot: QtBot) -> None:
    views = (ScoreChart(), DeliveryChart())
    for view in views:
        qtbot.addWidget(view)
        chart = view.chart()
        assert view.renderHints() & QPainter.RenderHint.Antialiasing
        assert view.minimumHeight() == 220
        assert chart.animationOptions() == QChart.AnimationOption.NoAnimation
        assert chart.margins().left() == chart.margins().bottom() == 4
    assert [v.accessibleName() for v in views] == ["Ratings over time", "Delivery over time"]
