"""Delivery feedback of the selected take, as coaching: the next take's one change, a tile per
aspect (pace, fillers, pauses, pitch variety, loudness) and the raw figures behind "Details".

Shows the metrics that app/take_analysis.py computes (the dict of Metrics.to_json()); what the
tiles and the sentence say is domain/coaching.py's, judged by domain/delivery.py's bands, so this
holds no logic beyond presentation. Filler words in the details are links: clicking one asks to
seek the player there. The transcript is the take player's (ui/widgets/transcript.py).

The panel keeps its height from take to take: each text has the room of the longest it can be at
the panel's width, so the page does not jump when a take's feedback arrives. Only opening the
details adds height, and the tiles reflow into fewer columns on a narrow page.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGridLayout,
    QLabel,
    QLayout,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from closer_desktop.domain import coaching
from closer_desktop.domain.coaching import Aspect, Tile
from closer_desktop.domain.delivery import Verdict, fillers_per_minute
from closer_desktop.domain.text import counted
from closer_desktop.ui.design import SPACE_S, SPACE_XS, TYPE_BODY, TYPE_CAPTION, TYPE_HEADING

TILE_MIN_WIDTH = 136  # narrower, and "128 words a minute" breaks into three lines
COLUMNS = (5, 3, 2, 1)  # the tiles' rows: never four and a lone fifth
VERDICT_TEXT = {Verdict.GOOD: "✓ Good", Verdict.WATCH: "● Watch", Verdict.WORK: "▲ Work on it"}
NOT_MEASURED_TEXT = "Not measured"
WAITING = "…"


class FeedbackTile(QFrame):
    """One aspect: its name, plain value, verdict (in words and colour) and tip."""

    def __init__(self, aspect: Aspect, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.aspect = aspect
        self.setObjectName("feedbackTile")
        self.name = _label("tileName", aspect.value, TYPE_CAPTION)
        self.value = _label("tileValue", "", TYPE_HEADING, bold=True)
        self.verdict = _label("tileVerdict", "", TYPE_BODY, bold=True)
        self.tip = _label("tileTip", "", TYPE_BODY)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(SPACE_S, SPACE_XS, SPACE_S, SPACE_S)
        layout.setSpacing(2)
        for label in (self.name, self.value, self.verdict, self.tip):
            layout.addWidget(label)
        layout.addStretch(1)
        self.show_tile(None)

    def show_tile(self, tile: Tile | None) -> None:
        """A tile's texts; None while there is none yet."""
        if tile is None:
            value, verdict, tip, key = WAITING, "", "", ""
        else:
            value, tip = tile.value, tile.tip
            verdict = NOT_MEASURED_TEXT if tile.verdict is None else VERDICT_TEXT[tile.verdict]
            key = "none" if tile.verdict is None else tile.verdict.name.lower()
        self.value.setText(value)
        self.verdict.setText(verdict)
        self.tip.setText(tip)
        if self.property("verdict") != key:
            self.setProperty("verdict", key)
            self.verdict.setProperty("verdict", key)
            for widget in (self, self.verdict):  # a dynamic property takes a re-polish
                widget.style().unpolish(widget)
                widget.style().polish(widget)
        said = f"{value}, {verdict.lstrip('✓●▲ ').lower()}. {tip}" if tile else "waiting"
        self.setAccessibleName(f"{self.aspect.value}: {said}")

    def reserve(self, width: int) -> None:
        """Room for the longest value and tip any take can have, at this tile width."""
        inner = max(1, width - 2 * SPACE_S)
        _reserve(self.value, coaching.VALUES, inner)
        _reserve(self.verdict, (*VERDICT_TEXT.values(), NOT_MEASURED_TEXT), inner)
        _reserve(self.tip, coaching.TIPS, inner)


class FeedbackPanel(QWidget):
    """Signals:
    seek_requested(float): a filler was clicked: play from there (seconds).
    """

    seek_requested = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.take_id: int | None = None
        self.metrics: dict[str, Any] | None = None
        self.shown: list[Tile] = []

        self.title = QLabel("Delivery feedback")
        self.title.setObjectName("feedbackTitle")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        # The next take's one change; before that, "Analysing…" or why there is no feedback.
        self.summary = _label("nextTake", "", TYPE_HEADING, bold=True)
        self.summary.setAccessibleName("Next take")

        self.tiles = {aspect: FeedbackTile(aspect) for aspect in coaching.ASPECTS}
        self._grid_host = _TileGrid(self._reflow)
        self._grid = QGridLayout(self._grid_host)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(SPACE_XS)
        # The host's minimum is _TileGrid's own, not the five columns' the layout would impose.
        self._grid.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self._columns = 0

        self.details_button = QToolButton()
        self.details_button.setObjectName("detailsToggle")
        self.details_button.setText("Details")
        self.details_button.setCheckable(True)
        self.details_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.details_button.setArrowType(Qt.ArrowType.RightArrow)
        self.details_button.setAutoRaise(True)
        self.details_button.setToolTip("The measured figures: seconds, decibels, semitones")
        self.details_button.toggled.connect(self._toggle_details)
        self.details = QWidget()
        form = QFormLayout(self.details)
        form.setContentsMargins(SPACE_S, 0, 0, 0)
        form.setHorizontalSpacing(SPACE_S)
        form.setVerticalSpacing(2)
        self.detail_rows: dict[str, QLabel] = {}
        for name in ("Length", "Pace", "Fillers", "Pauses", "Loudness", "Pitch"):
            row = QLabel()
            row.setWordWrap(True)
            row.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            row.setAccessibleName(f"{name} figures")
            form.addRow(_label("tileName", name, TYPE_BODY), row)
            self.detail_rows[name] = row
        self.fillers = self.detail_rows["Fillers"]
        self.fillers.setToolTip("Filler words at their times: click one to play from there")
        self.fillers.setTextFormat(Qt.TextFormat.RichText)
        self.fillers.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.fillers.linkActivated.connect(self._link)
        self.details.setVisible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(SPACE_XS)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addWidget(self._grid_host)
        layout.addWidget(self.details_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.details)
        self._place_tiles(len(self.tiles))
        self.show_take(None)

    # What to show ---------------------------------------------------------------------------

    def show_take(self, take_id: int | None) -> None:
        """A take was selected; its metrics follow through show_metrics (or show_analysing)."""
        self.take_id = take_id
        self.metrics = None
        self.shown = []
        self.setVisible(take_id is not None)
        self._show_tiles(None)
        self.summary.setText(WAITING)

    def show_analysing(self, take_id: int) -> None:
        if take_id != self.take_id:
            return
        self.summary.setText("Analysing the take: pace, fillers, pauses, pitch and loudness…")

    def show_failed(self, take_id: int, reason: str) -> None:
        if take_id == self.take_id:
            self.summary.setText(f"This take could not be analysed: {reason}")

    def show_metrics(self, take_id: int, metrics: dict[str, Any]) -> None:
        """Metrics of a take; ignored unless it is the one shown."""
        if take_id != self.take_id:
            return
        self.metrics = metrics
        self.shown = coaching.tiles(metrics)
        self._show_tiles(self.shown)
        self.summary.setText(coaching.next_take(self.shown, metrics))
        self._show_details(metrics)

    def clear(self) -> None:
        """Nothing shown (the same as show_take(None))."""
        self.show_take(None)

    # Internals --------------------------------------------------------------------------------

    def _show_tiles(self, shown: list[Tile] | None) -> None:
        by_aspect = {t.aspect: t for t in shown or []}
        for aspect, tile in self.tiles.items():
            tile.show_tile(by_aspect.get(aspect))

    def _show_details(self, m: dict[str, Any]) -> None:
        for name, text in coaching.details(m):
            self.detail_rows[name].setText(text)
        fillers = m.get("fillers", [])
        if not m.get("transcribed", True):
            self.fillers.setText("not measured: needs speech recognition")
            return
        links = ", ".join(
            f'<a href="seek:{f["start_s"]}">{html.escape(f["word"])}</a> '
            f"({coaching.whole(f['start_s'], 1)}&nbsp;s)"  # a time and its unit on one line
            for f in fillers
        )
        rate = fillers_per_minute(len(fillers), float(m.get("speaking_time_s", 0.0)))
        per_minute = f" ({coaching.whole(rate, 1)} a minute of speech)" if rate and fillers else ""
        self.fillers.setText(
            html.escape(counted(len(fillers), "filler") + per_minute)
            + (f": {links}" if links else "")
        )

    def _toggle_details(self, shown: bool) -> None:
        self.details.setVisible(shown)
        self.details_button.setArrowType(
            Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow
        )

    def _place_tiles(self, columns: int) -> None:
        if columns == self._columns:
            return
        self._columns = columns
        for tile in self.tiles.values():
            self._grid.removeWidget(tile)
        for column in range(len(self.tiles)):
            self._grid.setColumnStretch(column, 1 if column < columns else 0)
        for i, tile in enumerate(self.tiles.values()):
            self._grid.addWidget(tile, i // columns, i % columns)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        _reserve(self.summary, coaching.NEXT_TAKES, max(1, self.width()))

    def _reflow(self, width: int) -> None:
        """As many columns as fit (five, or fewer on a narrow page), each tile's room reserved."""
        spacing = self._grid.horizontalSpacing()
        count = len(self.tiles)
        fit = (width + spacing) // (TILE_MIN_WIDTH + spacing)
        columns = next((c for c in COLUMNS if c <= min(fit, count)), 1)
        self._place_tiles(columns)
        tile_width = (width - spacing * (columns - 1)) // columns
        for tile in self.tiles.values():
            tile.reserve(tile_width)

    def _link(self, target: str) -> None:
        kind, _, value = target.partition(":")
        if kind == "seek":
            self.seek_requested.emit(float(value))


class _TileGrid(QWidget):
    """The tiles' host: as narrow as one tile (the tiles then reflow into one column), where a
    plain widget would ask for all five side by side and never be given less."""

    def __init__(self, reflow: Callable[[int], None]) -> None:
        super().__init__()
        self._reflow = reflow

    def minimumSizeHint(self) -> QSize:
        layout = self.layout()
        height = layout.minimumSize().height() if layout is not None else 0
        return QSize(TILE_MIN_WIDTH, height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._reflow(event.size().width())


def _label(name: str, text: str, points: int, *, bold: bool = False) -> QLabel:
    """A wrapping label in a size of the type scale; colours come from the style sheet."""
    label = QLabel(text)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    font = QFont(label.font())
    font.setPointSize(points)
    font.setBold(bold)
    label.setFont(font)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
    return label


_reserved: dict[tuple[tuple[str, ...], int, str], int] = {}  # heights measured, by font and width


def _reserve(label: QLabel, texts: tuple[str, ...], width: int) -> None:
    """Fix `label`'s height to that of the tallest of `texts` at `width`: what it shows can then
    change without the panel's height changing, and is never cut."""
    key = (texts, width, label.font().key())
    height = _reserved.get(key)
    if height is None:
        probe = QLabel()
        probe.setFont(label.font())
        probe.setWordWrap(True)
        height = 0
        for text in texts:
            probe.setText(text)
            height = max(height, probe.heightForWidth(width))
        _reserved[key] = height
    if label.height() != height or label.minimumHeight() != height:
        label.setFixedHeight(height)
