"""The Progress page's charts (QtCharts): ratings over time, per take or per session; and delivery
(pace, fillers, pitch variety) per session, against the analyser's hint bands.

Takes (or sessions) are evenly spaced along the x axis in time order, labelled with their days
(one tick per day, at its first dot, as many as fit without touching): a session's takes, minutes
apart, would otherwise pile up into one vertical line, and what the chart answers is whether the
ratings rise with practice. With few dots each carries its value, so a short trend reads at once.

Colours are the design's (ui/design.py, through ui.theme.tokens_for): professionalism in the
accent, clarity in the "watch" colour, delivery in the "good" one, a delivery band as a wash of
its verdict's colour (good, watch, work on it), both themes.

QtCharts is large: this module is imported only when the first chart is drawn, never at start-up
(the Progress page imports it lazily).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCharts import (
    QAbstractAxis,
    QAreaSeries,
    QCategoryAxis,
    QChart,
    QChartView,
    QLineSeries,
    QScatterSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QCursor, QFont, QFontMetricsF, QPainter, QPalette, QPen
from PySide6.QtWidgets import QToolTip, QWidget

from closer_desktop.domain.delivery import (
    FILLERS_PER_MINUTE,
    FLAT_SEMITONES,
    MONOTONE_SEMITONES,
    PACE_WPM,
    PITCH_WORDS,
    Verdict,
    words_a_minute,
)
from closer_desktop.domain.progress import format_score
from closer_desktop.domain.text import counted, shorten
from closer_desktop.storage.queries.progress import DeliveryPoint, SessionPoint, TakePoint
from closer_desktop.ui.design import Palette
from closer_desktop.ui.theme import tokens_for

SCALES = ("professionalism", "clarity")
LABEL_GAP = 12  # px between two day labels at least
VALUES_UP_TO = 12  # dots carry their value up to this many
Point = TakePoint | SessionPoint


def scale_colours(tokens: Palette) -> dict[str, QColor]:
    """Each rating scale's colour in a theme: two roles that differ in hue and pass AA."""
    return {"professionalism": QColor(tokens.accent), "clarity": QColor(tokens.watch)}


def _set_up(view: QChartView, chart: QChart, name: str) -> None:
    """What every Progress chart shares, so the ratings and delivery charts look alike."""
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setAccessibleName(name)
    view.setMinimumHeight(220)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)


class _DayAxis:
    """The x axis of a chart whose dots sit at x = 0, 1, 2…: a tick per day, relaid whenever
    the plot area changes size (how many labels fit depends on it)."""

    def __init__(self, chart: QChart, axis: QCategoryAxis) -> None:
        self.chart, self.axis = chart, axis
        self.times: list[datetime] = []
        chart.plotAreaChanged.connect(lambda _: self.relabel())

    def show(self, times: Sequence[datetime]) -> None:
        self.times = list(times)
        self.relabel()

    def relabel(self) -> None:
        width = self.chart.plotArea().width()
        metrics = QFontMetricsF(self.axis.labelsFont())
        wanted = day_labels(self.times, width, metrics.horizontalAdvance)
        if wanted != [(label, axis_value) for label, axis_value in self.shown()]:
            label_dates(self.axis, len(self.times), wanted)

    def shown(self) -> list[tuple[str, float]]:
        return [(label, self.axis.endValue(label)) for label in self.axis.categoriesLabels()]

    def label_rects(self) -> list[QRectF]:
        """Where each shown label's text is centred, in chart coordinates (for the tests)."""
        area = self.chart.plotArea()
        metrics = QFontMetricsF(self.axis.labelsFont())
        count = max(len(self.times), 1)
        rects = []
        for label, value in self.shown():
            x = area.left() + (value + 0.5) / count * area.width()
            width = metrics.horizontalAdvance(label)
            rects.append(QRectF(x - width / 2, area.bottom(), width, metrics.height()))
        return rects


class ScoreChart(QChartView):
    """Professionalism and clarity over time: a dot per take (or session mean), and a line for
    each scale's moving average. Hovering a dot names it; clicking a take's dot opens it.

    Signals:
        take_clicked(object): the TakePoint whose dot was clicked.
    """

    take_clicked = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        chart = QChart()
        super().__init__(chart, parent)
        _set_up(self, chart, "Ratings over time")
        self.points: Sequence[Point] = []
        self.times: list[datetime] = []
        self.dots = {scale: QScatterSeries() for scale in SCALES}
        self.lines = {scale: QLineSeries() for scale in SCALES}
        self.x_axis = QCategoryAxis()  # the points' places, labelled with their days
        self.x_axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        self.days = _DayAxis(chart, self.x_axis)
        self.y_axis = QValueAxis()
        self.y_axis.setRange(0.5, 5.5)
        self.y_axis.setTickType(QValueAxis.TickType.TicksDynamic)
        self.y_axis.setTickAnchor(1)
        self.y_axis.setTickInterval(1)
        self.y_axis.setLabelFormat("%d")
        chart.addAxis(self.x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(self.y_axis, Qt.AlignmentFlag.AlignLeft)
        for series in (*self.lines.values(), *self.dots.values()):
            chart.addSeries(series)
            series.attachAxis(self.x_axis)
            series.attachAxis(self.y_axis)
        for scale, dots in self.dots.items():
            dots.setMarkerSize(9.0)
            dots.hovered.connect(lambda point, state, s=scale: self._hovered(s, point, state))
            dots.clicked.connect(lambda point, s=scale: self._clicked(s, point))
        for line in self.lines.values():  # the caption explains the lines; the legend, colours
            for marker in chart.legend().markers(line):
                marker.setVisible(False)
        self.dots["clarity"].setMarkerShape(QScatterSeries.MarkerShape.MarkerShapeRectangle)
        self.dots["clarity"].setMarkerSize(8.0)
        self.apply_palette(self.palette())

    # Data ----------------------------------------------------------------------------------

    def show_takes(self, takes: Sequence[TakePoint]) -> None:
        """A dot per rated take; lines: the moving averages."""
        self.points = takes
        self._fill(
            [t.recorded_at for t in takes],
            ([t.professionalism for t in takes], [t.clarity for t in takes]),
            ([t.moving_professionalism for t in takes], [t.moving_clarity for t in takes]),
        )

    def show_sessions(self, sessions: Sequence[SessionPoint]) -> None:
        """A dot per session (its mean ratings); lines: the moving averages of those."""
        self.points = sessions
        self._fill(
            [s.started_at for s in sessions],
            ([s.professionalism for s in sessions], [s.clarity for s in sessions]),
            ([s.moving_professionalism for s in sessions], [s.moving_clarity for s in sessions]),
        )

    def _fill(
        self,
        times: list[datetime],
        values: tuple[Sequence[float | None], Sequence[float | None]],
        moving: tuple[Sequence[float | None], Sequence[float | None]],
    ) -> None:
        self.times = times
        for scale, dots, line in zip(SCALES, values, moving, strict=True):
            label = scale.capitalize()
            self.dots[scale].setName(label)
            self.dots[scale].replace(_points(dots))
            self.lines[scale].setName(f"{label} (average)")
            self.lines[scale].replace(_points(line))
        self.days.show(times)

    # Hover and click -------------------------------------------------------------------------

    def point_index(self, scale: str, point: QPointF) -> int | None:
        """The index (in `points`) of the dot of `scale` at `point` (dots sit at x = 0, 1, 2…)."""
        index = round(point.x())
        if not 0 <= index < len(self.points) or self.value(scale, index) is None:
            return None
        return index

    def value(self, scale: str, index: int) -> float | None:
        rating: float | None = getattr(self.points[index], scale)
        return rating

    def tooltip(self, index: int) -> str:
        point = self.points[index]
        if isinstance(point, TakePoint):
            return (
                f"“{shorten(point.question_text, 70)}”\n"
                f"{point.recorded_at:%a %d %b %Y, %H:%M} · professionalism "
                f"{format_score(point.professionalism)} · clarity {format_score(point.clarity)}\n"
                "Click to open this take in History"
            )
        takes = counted(point.takes, "take")
        return (
            f"Session of {point.started_at:%a %d %b %Y, %H:%M} ({takes})\n"
            f"Mean professionalism {format_score(point.professionalism)} · "
            f"clarity {format_score(point.clarity)}"
        )

    def _hovered(self, scale: str, point: QPointF, state: bool) -> None:
        index = self.point_index(scale, point) if state else None
        if index is None:
            QToolTip.hideText()
            return
        QToolTip.showText(QCursor.pos(), self.tooltip(index), self)

    def _clicked(self, scale: str, point: QPointF) -> None:
        index = self.point_index(scale, point)
        if index is not None and isinstance(self.points[index], TakePoint):
            self.take_clicked.emit(self.points[index])

    def position_of(self, scale: str, index: int) -> QPointF:
        """Where the dot of point `index` on `scale` is drawn, in viewport coordinates."""
        value = self.value(scale, index) or 0.0
        scene = self.chart().mapToPosition(QPointF(index, value), self.dots[scale])
        return QPointF(self.mapFromScene(scene))

    # Look ------------------------------------------------------------------------------------

    def apply_palette(self, palette: QPalette) -> None:
        """Follow a light or dark palette: background, text, grid and series colours."""
        tokens = tokens_for(palette)
        _style_chart(self, (self.x_axis, self.y_axis), tokens)
        for scale, colour in scale_colours(tokens).items():
            fill = QColor(colour)
            fill.setAlpha(200)
            self.dots[scale].setColor(fill)
            self.dots[scale].setBorderColor(QColor(tokens.surface))
            self.lines[scale].setPen(QPen(colour, 2.5))
        self.setBackgroundBrush(QBrush(QColor(tokens.window)))

    @property
    def dark(self) -> bool:
        return self.chart().theme() == QChart.ChartTheme.ChartThemeDark


@dataclass(frozen=True)
class Band:
    """A shaded stretch of a delivery chart (domain/delivery.py's bands), in the colour of the
    verdict a figure there gets: good, watch, or work on it."""

    low: float
    high: float
    verdict: Verdict
    name: str  # the legend's


@dataclass(frozen=True)
class Measure:
    """A delivery figure charted per session, and the analyser's bands for it (if any)."""

    key: str  # the DeliveryPoint attribute
    title: str
    unit: str
    form: str  # how a value reads, e.g. "{:.0f}"
    bands: tuple[Band, ...] = ()
    label_format: str = "%.1f"

    def shown(self, value: float) -> str:
        """How a value reads: `form`, but a pace rounded as every page rounds one
        (delivery.words_a_minute, halves up), so a session of one take reads its take's pace."""
        if self.key == "words_per_minute":
            return str(words_a_minute(value))
        return self.form.format(value)


_LOW, _HIGH = PACE_WPM
_UNNOTICED, _WATCH = FILLERS_PER_MINUTE
MEASURES = (
    Measure(
        "words_per_minute",
        "Pace",
        "words a minute",
        "{:.0f}",
        (Band(_LOW, _HIGH, Verdict.GOOD, f"Comfortable pace ({_LOW:g}–{_HIGH:g})"),),
        "%d",
    ),
    Measure(
        "fillers_per_minute",
        "Fillers",
        "fillers a minute",
        "{:.1f}",
        # Above the watch band is "work on it", left plain: the dots there stand out by height.
        (
            Band(0.0, _UNNOTICED, Verdict.GOOD, f"Unnoticed (up to {_UNNOTICED:g})"),
            Band(_UNNOTICED, _WATCH, Verdict.WATCH, f"Worth watching ({_UNNOTICED:g}–{_WATCH:g})"),
        ),
    ),
    Measure(
        "pitch_spread_semitones",
        "Pitch variety",
        "semitones",
        "{:.1f}",
        # As the take's feedback judges pitch (delivery.pitch_verdict): flat, then a little flat.
        (
            Band(
                0.0,
                FLAT_SEMITONES,
                Verdict.WORK,
                f"{PITCH_WORDS[Verdict.WORK].capitalize()} (under {FLAT_SEMITONES:g})",
            ),
            Band(
                FLAT_SEMITONES,
                MONOTONE_SEMITONES,
                Verdict.WATCH,
                f"{PITCH_WORDS[Verdict.WATCH].capitalize()}"
                f" ({FLAT_SEMITONES:g}–{MONOTONE_SEMITONES:g})",
            ),
        ),
    ),
)
BAND_ALPHA = 45  # the bands are a wash behind the dots, in their verdict's colour


def band_colour(tokens: Palette, verdict: Verdict) -> QColor:
    """A band's wash: its verdict's colour (the design's good, watch or work) at BAND_ALPHA."""
    role = {Verdict.GOOD: tokens.good, Verdict.WATCH: tokens.watch, Verdict.WORK: tokens.work}
    colour = QColor(role[verdict])
    colour.setAlpha(BAND_ALPHA)
    return colour


class Shade:
    """One band drawn on a chart: an area between two horizontal lines."""

    def __init__(self) -> None:
        self.lower, self.upper = QLineSeries(), QLineSeries()
        self.area = QAreaSeries(self.upper, self.lower)
        self.area.setBorderColor(Qt.GlobalColor.transparent)

    def show(self, band: Band | None, right: float, tokens: Palette) -> None:
        """Across the chart (x from -0.5 to `right`) in `band`'s colour; hidden for None."""
        self.area.setVisible(band is not None)
        if band is None:
            return
        self.lower.replace([QPointF(-0.5, band.low), QPointF(right, band.low)])
        self.upper.replace([QPointF(-0.5, band.high), QPointF(right, band.high)])
        self.area.setName(band.name)
        self.area.setColor(band_colour(tokens, band.verdict))
        self.area.setBorderColor(Qt.GlobalColor.transparent)


class DeliveryChart(QChartView):
    """One delivery measure over time: a dot per session (evenly spaced, like ScoreChart's), joined
    by a line, over the analyser's bands for that measure (shaded). Hovering a dot names it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        chart = QChart()
        super().__init__(chart, parent)
        _set_up(self, chart, "Delivery over time")
        self.points: Sequence[DeliveryPoint] = []
        self.measure = MEASURES[0]
        self.tokens = tokens_for(self.palette())  # the theme's, once apply_palette is called
        # One shade per band of the measure with the most; a measure with fewer hides the rest.
        self.shades = [Shade() for _ in range(max(len(m.bands) for m in MEASURES))]
        self.line = QLineSeries()
        self.dots = QScatterSeries()
        self.dots.setMarkerSize(11.0)  # a session alone is a dot, not a missing line
        self.x_axis = QCategoryAxis()
        self.x_axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        self.days = _DayAxis(chart, self.x_axis)
        self.y_axis = QValueAxis()
        chart.addAxis(self.x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(self.y_axis, Qt.AlignmentFlag.AlignLeft)
        for series in (*(shade.area for shade in self.shades), self.line, self.dots):
            chart.addSeries(series)
            series.attachAxis(self.x_axis)
            series.attachAxis(self.y_axis)
        # The legend names the bands only: the measure chooser above the chart names the dots, and
        # at 800x600 three entries were elided ("Worth watchin…", "Fillers (fillers a …").
        for marker in (*chart.legend().markers(self.line), *chart.legend().markers(self.dots)):
            marker.setVisible(False)
        self.dots.hovered.connect(self._hovered)
        self.apply_palette(self.palette())

    def show_points(self, points: Sequence[DeliveryPoint], measure: Measure) -> None:
        """A dot per session with a value of `measure`; its bands, across the whole chart."""
        self.points, self.measure = points, measure
        values = [getattr(p, measure.key) for p in points]
        shown = _points(values)
        self.dots.setName(f"{measure.title} ({measure.unit})")
        self.dots.replace(shown)
        self.line.replace(shown)
        show_values(self.dots, [measure.shown(v) for v in values if v is not None])
        self.days.show([p.started_at for p in points])
        present = [v for v in values if v is not None]
        right = max(len(points), 1) - 0.5
        for index, shade in enumerate(self.shades):
            band = measure.bands[index] if index < len(measure.bands) else None
            shade.show(band, right, self.tokens)
            if band is not None:
                present += [band.low, band.high]
        top = max(present, default=1.0)
        bottom = min(present, default=0.0)
        margin = max((top - bottom) * 0.1, 0.5)
        self.y_axis.setRange(max(0.0, bottom - margin) if bottom > 10 else 0.0, top + margin)
        self.y_axis.setLabelFormat(measure.label_format)
        self.y_axis.applyNiceNumbers()

    def value(self, index: int) -> float | None:
        figure: float | None = getattr(self.points[index], self.measure.key)
        return figure

    def tooltip(self, index: int) -> str:
        point = self.points[index]
        value = self.value(index)
        figure = "not measured" if value is None else self.measure.shown(value)
        takes = counted(point.takes, "analysed take")
        return (
            f"Session of {point.started_at:%a %d %b %Y, %H:%M} ({takes})\n"
            f"{self.measure.title}: {figure} {self.measure.unit}"
        )

    def _hovered(self, point: QPointF, state: bool) -> None:
        index = round(point.x())
        if not state or not 0 <= index < len(self.points):
            QToolTip.hideText()
            return
        QToolTip.showText(QCursor.pos(), self.tooltip(index), self)

    def apply_palette(self, palette: QPalette) -> None:
        """Follow a light or dark palette, as ScoreChart does."""
        tokens = self.tokens = tokens_for(palette)
        _style_chart(self, (self.x_axis, self.y_axis), tokens)
        colour = QColor(tokens.good)
        self.line.setPen(QPen(colour, 2.0))
        self.dots.setColor(colour)
        self.dots.setBorderColor(QColor(tokens.surface))
        self.dots.setPointLabelsColor(QColor(tokens.text))
        for shade, band in zip(self.shades, self.measure.bands, strict=False):
            shade.area.setColor(band_colour(tokens, band.verdict))
            shade.area.setBorderColor(Qt.GlobalColor.transparent)
        self.setBackgroundBrush(QBrush(QColor(tokens.window)))


def show_values(dots: QScatterSeries, values: Sequence[str]) -> None:
    """Each dot's value beside it (as its measure writes it) while there are few: two or three
    sessions read as figures, not as a slope to guess."""
    dots.clearPointsConfiguration()
    few = 0 < len(values) <= VALUES_UP_TO
    dots.setPointLabelsVisible(few)
    dots.setPointLabelsClipping(False)
    if few:
        for index, value in enumerate(values):
            dots.setPointConfiguration(index, QScatterSeries.PointConfiguration.LabelFormat, value)


def day_labels(
    times: Sequence[datetime], width: float, advance: Callable[[str], float]
) -> list[tuple[str, float]]:
    """The day ticks under dots at x = 0, 1, 2… of a plot `width` px wide: each day's label at
    its first dot, left to right, skipping one that would come within LABEL_GAP px of the last
    shown (`advance` measures a label's width). Days are written "06 Dec", with the year when
    the dots span more than one."""
    if not times:
        return []
    form = "%d %b" if times[0].year == times[-1].year else "%d %b %y"
    step = width / len(times)
    labels: list[tuple[str, float]] = []
    right = float("-inf")
    seen: set[str] = set()
    for index, when in enumerate(times):
        text = f"{when:{form}}"
        if text in seen:  # a day's later dots
            continue
        seen.add(text)
        half = advance(text) / 2
        centre = (index + 0.5) * step
        if centre - half < right + LABEL_GAP:
            continue
        labels.append((text, float(index)))
        right = centre + half
    return labels


def label_dates(axis: QCategoryAxis, count: int, labels: Sequence[tuple[str, float]]) -> None:
    """Put `labels` (text, x) on the category axis of `count` dots (a category's label is unique:
    day_labels gives each day once)."""
    for label in axis.categoriesLabels():
        axis.remove(label)
    axis.setStartValue(-0.5)
    axis.setRange(-0.5, max(count, 1) - 0.5)
    for text, value in labels:
        axis.append(text, value)


def _style_chart(view: QChartView, axes: Sequence[QAbstractAxis], tokens: Palette) -> None:
    """The look both charts share, from the design tokens: background, axis text, grid, legend."""
    chart = view.chart()
    dark = QColor(tokens.window).lightness() < 128
    chart.setTheme(QChart.ChartTheme.ChartThemeDark if dark else QChart.ChartTheme.ChartThemeLight)
    chart.setBackgroundBrush(QBrush(QColor(tokens.surface)))
    chart.setBackgroundRoundness(0)
    text = QColor(tokens.text)
    grid = QColor(tokens.border)
    grid.setAlpha(90)
    for axis in axes:
        axis.setLabelsBrush(QBrush(QColor(tokens.text_secondary)))
        axis.setGridLinePen(QPen(grid, 1))
        axis.setLinePen(QPen(QColor(tokens.border), 1))
    chart.legend().setLabelColor(text)
    chart.legend().setFont(QFont(view.font()))


def _points(values: Sequence[float | None]) -> list[QPointF]:
    return [QPointF(x, v) for x, v in enumerate(values) if v is not None]
