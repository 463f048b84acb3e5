"""The Progress charts in the design's colours (both themes), and delivery readable with few
sessions: each dot carries its value, a lone session is a dot."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from PySide6.QtCharts import QScatterSeries
from PySide6.QtGui import QFontMetricsF
from pytestqt.qtbot import QtBot

from closer_desktop.domain.delivery import FILLERS_PER_MINUTE
from closer_desktop.storage.queries.progress import DeliveryPoint, TakePoint
from closer_desktop.ui.design import PALETTES
from closer_desktop.ui.progress.charts import (
    BAND_ALPHA,
    MEASURES,
    VALUES_UP_TO,
    DeliveryChart,
    ScoreChart,
)
from closer_desktop.ui.theme import dark_palette, light_palette
from tests.support.progress_library import TZ

START = datetime(2026, 11, 2, 10, tzinfo=TZ)
Config = QScatterSeries.PointConfiguration


def sessions(values: list[float]) -> list[DeliveryPoint]:
    return [
        DeliveryPoint(n, START + timedelta(days=n), 2, value, value, value)
        for n, value in enumerate(values)
    ]


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_series_colours_are_the_design_tokens(qtbot: QtBot, theme: str) -> None:
    tokens = PALETTES[theme]
    score, delivery = ScoreChart(), DeliveryChart()
    for view in (score, delivery):
        qtbot.addWidget(view)
        view.apply_palette(dark_palette() if theme == "dark" else light_palette(view.palette()))
    take = TakePoint(1, 1, "d", "q", "Q?", START, 3, 4)
    score.show_takes([take])
    assert score.dots["professionalism"].color().name() == tokens.accent
    assert score.lines["professionalism"].pen().color().name() == tokens.accent
    assert score.dots["clarity"].color().name() == tokens.watch
    assert score.chart().backgroundBrush().color().name() == tokens.surface
    assert score.y_axis.labelsBrush().color().name() == tokens.text_secondary
    delivery.show_points(sessions([150, 170]), MEASURES[0])
    assert delivery.dots.color().name() == delivery.line.pen().color().name() == tokens.good
    band = delivery.shades[0].area.color()
    assert band.name() == tokens.good and band.alpha() == BAND_ALPHA  # pace: inside is good
    delivery.show_points(sessions([2.0, 4.0]), MEASURES[2])  # pitch: under 2 is monotone
    assert delivery.shades[0].area.color().name() == tokens.work


def shaded(chart: DeliveryChart) -> list[tuple[float, float, str, int, str]]:
    """The bands shown: (low, high, colour, alpha, legend name)."""
    return [
        (
            s.lower.points()[0].y(),
            s.upper.points()[0].y(),
            s.area.color().name(),
            s.area.color().alpha(),
            s.area.name(),
        )
        for s in chart.shades
        if s.area.isVisible()
    ]


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_fillers_have_their_band_in_the_verdict_colours(qtbot: QtBot, theme: str) -> None:
    """Up to 2 fillers a minute go unnoticed (good), up to 5 are worth watching, as the take's
    feedback judges them (domain.delivery.FILLERS_PER_MINUTE); above, the plain background."""
    tokens, other = PALETTES[theme], PALETTES["light" if theme == "dark" else "dark"]
    chart = DeliveryChart()
    qtbot.addWidget(chart)
    palettes = {"dark": dark_palette(), "light": light_palette(chart.palette())}
    chart.apply_palette(palettes[theme])
    fillers = next(m for m in MEASURES if m.key == "fillers_per_minute")
    chart.show_points(sessions([1.0, 7.5]), fillers)
    unnoticed, watch = FILLERS_PER_MINUTE
    assert (unnoticed, watch) == (2.0, 5.0)
    assert shaded(chart) == [
        (0.0, 2.0, tokens.good, BAND_ALPHA, "Unnoticed (up to 2)"),
        (2.0, 5.0, tokens.watch, BAND_ALPHA, "Worth watching (2–5)"),
    ]
    top = chart.y_axis.max()
    assert top > 7.5 and chart.y_axis.min() == 0.0  # both bands and both dots in view
    chart.apply_palette(palettes["light" if theme == "dark" else "dark"])  # a theme switch
    assert [colour for _, _, colour, _, _ in shaded(chart)] == [other.good, other.watch]
    chart.show_points(sessions([150.0]), MEASURES[0])  # pace has one band: the second goes
    assert [(low, high) for low, high, *_ in shaded(chart)] == [(100.0, 165.0)]


def test_the_legend_names_the_bands_whole_at_800x600(qtbot: QtBot) -> None:
    """The chooser above the chart names the measure; the legend keeps its room for the bands,
    whose names fit the chart's width at 800x600 (three entries were elided there)."""
    chart = DeliveryChart()
    qtbot.addWidget(chart)
    chart.resize(430, 300)  # the Delivery tab's chart at 800x600
    chart.show()
    qtbot.waitExposed(chart)
    legend = chart.chart().legend()
    metrics = QFontMetricsF(legend.font())
    for measure in MEASURES:
        chart.show_points(sessions([1.0, 3.0]), measure)
        shown = [m.label() for m in legend.markers() if m.isVisible()]
        assert shown == [band.name for band in measure.bands]
        # each entry's share of the legend holds its label and its colour box
        share = legend.geometry().width() / len(shown)
        assert all(
            metrics.horizontalAdvance(label) + 2 * metrics.height() < share for label in shown
        )


def test_few_sessions_carry_their_values(qtbot: QtBot) -> None:
    chart = DeliveryChart()
    qtbot.addWidget(chart)
    chart.show_points(sessions([182.4, 149.6]), MEASURES[0])
    assert chart.dots.pointLabelsVisible()
    labels = [chart.dots.pointConfiguration(i)[Config.LabelFormat] for i in range(2)]
    assert labels == ["182", "150"]  # as the measure writes them
    assert chart.dots.markerSize() >= 10  # a lone session is a dot you can see
    chart.show_points(sessions([150.0] * (VALUES_UP_TO + 1)), MEASURES[0])
    assert not chart.dots.pointLabelsVisible()  # many: the line says it, labels would crowd
    assert chart.dots.pointsConfiguration() == {}
    chart.show_points(sessions([1.25]), MEASURES[1])
    assert chart.dots.pointConfiguration(0)[Config.LabelFormat] == "1.2"
