"""A take's whole waveform: min/max peaks mirrored around the middle, the part already played in
the accent colour and a playhead; click or drag to seek.

Peaks come through the disk cache (audio/peaks.py) on a worker thread (`PeaksSource`): the GUI
thread never reads an audio file. They are fetched once per take at a fixed resolution (`BUCKETS`)
and reduced to the widget's width when first painted at that size, so resizing computes nothing
but a polygon. numpy is only touched once peaks have arrived (the worker has imported it by then),
so this module costs nothing at start-up.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import Property, QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from closer_desktop.domain.practice import format_duration
from closer_desktop.ui.design import LIGHT

if TYPE_CHECKING:
    from closer_desktop.app.tasks import TaskRunner
    from closer_desktop.audio.peaks import Peaks

BUCKETS = 2000  # peaks fetched per take: finer than any screen, one small cache file
MAX_GAIN = 8.0  # a quiet take is drawn up to 8x taller so its shape shows; silence stays flat
KEY_STEP_S = 5.0
# Focus Qt hands on by itself: to the first widget of an activated window, or to the next one
# when the focused widget goes (the start-up card's record button, replaced by the page).
HANDED_OUT = (Qt.FocusReason.ActiveWindowFocusReason, Qt.FocusReason.OtherFocusReason)
USER_FOCUS = (  # focus the user asked for
    Qt.FocusReason.MouseFocusReason,
    Qt.FocusReason.TabFocusReason,
    Qt.FocusReason.BacktabFocusReason,
    Qt.FocusReason.ShortcutFocusReason,
)
PAD = 3.0  # inner margin around the drawing, in pixels
ACCENT = LIGHT.accent  # until the style sheet sets qproperty-playedColor

EMPTY, LOADING, READY, FAILED = "empty", "loading", "ready", "failed"
PLACEHOLDERS = {LOADING: "Loading waveform…", FAILED: "No waveform", EMPTY: "No take"}


class PeaksSource:
    """Fetches a take's peaks through its library's peak cache, on a TaskRunner's thread."""

    def __init__(self, runner: TaskRunner, data_dir: Path) -> None:
        self.runner = runner
        self.data_dir = data_dir

    def request(
        self,
        path: Path,
        on_done: Callable[[Peaks], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        data_dir = self.data_dir

        def work() -> Peaks:
            from closer_desktop.audio.peaks import PeakCache, cache_dir_for

            return PeakCache(cache_dir_for(data_dir)).get_or_compute(path, BUCKETS)

        self.runner.run(work, on_done, on_error)


class WaveformView(QWidget):
    """Paints one take's peaks, what has been played, and the playhead.

    Colours can be set from a style sheet: `qproperty-playedColor`, `qproperty-waveColor`,
    `qproperty-playheadColor` (an unset colour follows the palette).

    Signals:
        seek_requested(float): seconds into the take the user clicked, dragged or keyed to
            (emitted on press and on every move of a drag, and for Left/Right/Home/End).
    """

    seek_requested = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.peaks: Peaks | None = None
        self.path: Path | None = None
        self.state = EMPTY
        self._duration = 0.0
        self._span = 0.0  # seconds the full width stands for; 0: the take's own length
        self._position = 0.0
        self._request = 0
        self._dragging = False
        self._active = True
        self._shape: tuple[tuple[float, float, float, float], QPolygonF] | None = None
        self._played = QColor(ACCENT)
        self._wave = QColor()
        self._playhead = QColor()
        self._spoken = ""
        self.setMinimumHeight(40)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self._chosen = False  # the user gave it the focus (Tab, a click) and has not moved on
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAccessibleName("Waveform and playback position")
        self.setToolTip("Click or drag to move through the take (Left/Right: 5 s)")
        self._describe()

    def sizeHint(self) -> QSize:
        return QSize(400, 64)

    def minimumSizeHint(self) -> QSize:
        return QSize(120, 40)

    # What is shown ----------------------------------------------------------------------------

    @property
    def duration_s(self) -> float:
        return self._duration

    @property
    def position_s(self) -> float:
        return self._position

    def load(self, path: Path, source: PeaksSource, duration_s: float = 0.0) -> None:
        """Show `path`'s waveform: "loading" at once, the peaks when the worker has them."""
        if path == self.path and self.state in (LOADING, READY):
            if self.state == LOADING and duration_s:
                self.set_duration(duration_s)
            return
        self._request += 1
        request = self._request
        self.path = path
        self.peaks = None
        self._shape = None
        self.state = LOADING
        self._duration = max(0.0, duration_s)
        self._position = 0.0
        self._describe()
        self.update()

        def done(peaks: Peaks) -> None:
            if shiboken6.isValid(self) and request == self._request:
                self.set_peaks(peaks)

        def failed(exc: BaseException) -> None:
            if shiboken6.isValid(self) and request == self._request:
                self.state = FAILED
                self.setToolTip(f"No waveform: {exc}")
                self._describe()
                self.update()

        source.request(path, done, failed)

    def set_peaks(self, peaks: Peaks) -> None:
        self.peaks = peaks
        self.state = READY
        self._shape = None
        if peaks.duration_s > 0:
            self._duration = peaks.duration_s
        self.setToolTip("Click or drag to move through the take (Left/Right: 5 s)")
        self._describe()
        self.update()

    def clear(self) -> None:
        """Show no take."""
        self._request += 1
        self.path = None
        self.peaks = None
        self._shape = None
        self.state = EMPTY
        self._duration = 0.0
        self._position = 0.0
        self._describe()
        self.update()

    def set_duration(self, seconds: float) -> None:
        """The take's length (used until the peaks, which know it exactly, arrive)."""
        if self.state != READY and seconds != self._duration:
            self._duration = max(0.0, seconds)
            self._describe()
            self.update()

    def set_span(self, seconds: float) -> None:
        """Draw on a time axis of `seconds` (at least the take's length) rather than the take's
        own: Compare draws two takes to one scale, the shorter one not stretched."""
        if seconds != self._span:
            self._span = max(0.0, seconds)
            self._shape = None
            self.update()

    @property
    def span_s(self) -> float:
        """The seconds the full width stands for."""
        return max(self._span, self._duration)

    def set_position(self, seconds: float) -> None:
        seconds = max(0.0, min(self._duration, seconds))
        if seconds == self._position:
            return
        moved = round(self._x_for(seconds)) != round(self._x_for(self._position))
        self._position = seconds
        self._describe()
        if moved:
            self.update()

    def set_active(self, active: bool) -> None:
        """An inactive waveform (the other side in Compare) is drawn without the accent."""
        if active != self._active:
            self._active = active
            self.update()

    def seconds_at(self, x: float) -> float:
        """The point of the take under x (widget coordinates), clamped to the take."""
        left, width = PAD, max(1.0, self.width() - 2 * PAD)
        return min(self._duration, max(0.0, min(1.0, (x - left) / width)) * self.span_s)

    def _x_for(self, seconds: float) -> float:
        width = max(1.0, self.width() - 2 * PAD)
        span = self.span_s
        return PAD + (seconds / span * width if span > 0 else 0.0)

    def _describe(self) -> None:
        if self.state == EMPTY:
            text = "No take"
        elif self.state == FAILED:
            text = "No waveform for this take"
        else:
            text = f"{format_duration(self._position)} of {format_duration(self._duration)}"
            if self.state == LOADING:
                text += ", waveform loading"
        if text != self._spoken:  # only when the words change, not on every poll
            self._spoken = text
            self.setAccessibleDescription(text)

    # Colours (style sheet properties) ---------------------------------------------------------

    def _get_played(self) -> QColor:
        return self._played

    def _set_played(self, colour: QColor) -> None:
        self._played = QColor(colour)
        self.update()

    def _get_wave(self) -> QColor:
        return self._wave

    def _set_wave(self, colour: QColor) -> None:
        self._wave = QColor(colour)
        self.update()

    def _get_playhead(self) -> QColor:
        return self._playhead

    def _set_playhead(self, colour: QColor) -> None:
        self._playhead = QColor(colour)
        self.update()

    playedColor = Property(QColor, _get_played, _set_played)
    waveColor = Property(QColor, _get_wave, _set_wave)
    playheadColor = Property(QColor, _get_playhead, _set_playhead)

    # Painting ---------------------------------------------------------------------------------

    def drawn_colours(self) -> tuple[QColor, QColor]:
        """(unplayed, played) as painted now.

        Paused, the played part is halfway between the wave and the accent: the palette's Dark,
        used before, was all but the dark theme's background.
        """
        wave = self._wave if self._wave.isValid() else self.palette().color(QPalette.ColorRole.Mid)
        if self._active:
            return wave, QColor(self._played)
        a, b = wave, self._played
        half = QColor(
            (a.red() + b.red()) // 2, (a.green() + b.green()) // 2, (a.blue() + b.blue()) // 2
        )
        return wave, half

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        role = QPalette.ColorRole
        full = QRectF(self.rect())
        area = full.adjusted(PAD, PAD, -PAD, -PAD)
        mid = area.center().y()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(palette.color(role.Base))
        painter.drawRoundedRect(full.adjusted(0.5, 0.5, -0.5, -0.5), 5, 5)
        wave, played = self.drawn_colours()
        head_x = self._x_for(self._position)

        if self.state == READY and self.peaks is not None:
            shape = self._shape_for(area)
            painter.setBrush(wave)
            painter.drawPolygon(shape)
            if head_x > area.left():
                painter.save()
                painter.setClipRect(
                    QRectF(area.left(), full.top(), head_x - area.left(), full.height())
                )
                painter.setBrush(played)
                painter.drawPolygon(shape)
                painter.restore()
        else:
            # The line stops short of the words ("No take"): struck through, they were hard to read.
            text = PLACEHOLDERS.get(self.state, "")
            half = painter.fontMetrics().horizontalAdvance(text) / 2 + 6 if text else 0.0
            gap = (area.center().x() - half, area.center().x() + half)
            for pen, right in ((QPen(wave, 1), area.right()), (QPen(played, 2), head_x)):
                if pen.widthF() > 1 and (self.state == EMPTY or head_x <= area.left()):
                    continue  # nothing played to show
                painter.setPen(pen)
                for start, end in ((area.left(), min(right, gap[0])), (gap[1], right)):
                    if end > start:
                        painter.drawLine(QPointF(start, mid), QPointF(end, mid))
            painter.setPen(palette.color(role.PlaceholderText))
            painter.drawText(area, Qt.AlignmentFlag.AlignCenter, text)

        if self.state != EMPTY and self._duration > 0:
            head = self._playhead if self._playhead.isValid() else palette.color(role.WindowText)
            pen = QPen(head, 2)
            if not self._active:
                pen.setStyle(Qt.PenStyle.DashLine)
                pen.setWidthF(1.0)
            painter.setPen(pen)
            painter.drawLine(QPointF(head_x, full.top() + 1), QPointF(head_x, full.bottom() - 1))
        if self.hasFocus():
            painter.setPen(QPen(palette.color(role.Highlight), 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(full.adjusted(1, 1, -1, -1), 5, 5)
        painter.end()  # now, not when Python frees the wrapper (a frame kept alive would delay it)

    def _shape_for(self, area: QRectF) -> QPolygonF:
        """The waveform as one filled polygon for this size: one column per pixel, cached."""
        if self._duration < self.span_s:  # on a longer time axis: only the take's part of it
            area = QRectF(
                area.left(), area.top(), area.width() * self._duration / self.span_s, area.height()
            )
        key = (area.left(), area.top(), area.width(), area.height())
        if self._shape is not None and self._shape[0] == key:
            return self._shape[1]
        import numpy as np

        peaks = self.peaks
        assert peaks is not None
        columns = max(1, int(area.width()))
        buckets = peaks.buckets
        if columns <= buckets:  # each column takes the extremes of its buckets
            edges = (np.arange(columns, dtype=np.int64) * buckets) // columns
            top = np.maximum.reduceat(peaks.maxs, edges)
            bottom = np.minimum.reduceat(peaks.mins, edges)
        else:  # a wide widget over a short take: columns repeat buckets
            picks = (np.arange(columns, dtype=np.int64) * buckets) // columns
            top, bottom = peaks.maxs[picks], peaks.mins[picks]
        loudest = float(max(np.max(peaks.maxs), -np.min(peaks.mins))) if buckets else 0.0
        gain = min(MAX_GAIN, 1.0 / loudest) if loudest > 0 else 1.0
        half = area.height() / 2
        mid = area.center().y()
        # At least a hairline where the take is silent, so its whole length reads as one shape.
        upper = np.minimum(mid - top * (gain * half), mid - 0.5)
        lower = np.maximum(mid - bottom * (gain * half), mid + 0.5)
        xs = (area.left() + 0.5 + np.arange(columns)).tolist()
        points = [QPointF(x, y) for x, y in zip(xs, upper.tolist(), strict=True)]
        points += [QPointF(x, y) for x, y in zip(reversed(xs), lower[::-1].tolist(), strict=True)]
        shape = QPolygonF(points)
        self._shape = (key, shape)
        return shape

    # Input ------------------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._duration > 0:
            self._dragging = True
            self._seek_to(self.seconds_at(event.position().x()))
            event.accept()
        else:
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._dragging:
            self._seek_to(self.seconds_at(event.position().x()))
            event.accept()
        else:
            super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._dragging and event.button() == Qt.MouseButton.LeftButton:
            self._dragging = False
            event.accept()
        else:
            super().mouseReleaseEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        """The focus only when the user gives it: a focused waveform keeps Left and Right, so
        focus Qt handed on to it (it comes early in the practice page's chain) made those keys
        seek instead of change question."""
        super().focusInEvent(event)
        if event.reason() in USER_FOCUS:
            self._chosen = True
        elif event.reason() in HANDED_OUT and not self._chosen:
            self.window().setFocus(Qt.FocusReason.OtherFocusReason)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if event.reason() in USER_FOCUS:  # the user moved on: Qt's next hand-out is not theirs
            self._chosen = False

    def event(self, event: QEvent) -> bool:
        # A focused waveform keeps its keys, as a focused slider would (the window's Left and
        # Right shortcuts mean "question" on the practice page).
        overriding = event.type() == QEvent.Type.ShortcutOverride
        if overriding and isinstance(event, QKeyEvent) and self._step_for(event) is not None:
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        target = self._step_for(event)
        if target is None:
            super().keyPressEvent(event)
            return
        self._seek_to(target)
        event.accept()

    def _step_for(self, event: QKeyEvent) -> float | None:
        if self._duration <= 0 or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return None
        key = event.key()
        if key == Qt.Key.Key_Left:
            return max(0.0, self._position - KEY_STEP_S)
        if key == Qt.Key.Key_Right:
            return min(self._duration, self._position + KEY_STEP_S)
        if key == Qt.Key.Key_Home:
            return 0.0
        if key == Qt.Key.Key_End:
            return self._duration
        return None

    def _seek_to(self, seconds: float) -> None:
        self.set_position(seconds)
        self.seek_requested.emit(seconds)
