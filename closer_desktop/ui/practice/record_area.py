"""The practice page's record area: one button, a large timer against the target, and one slot
that holds the microphone line at rest and the level meter while recording.

Every part keeps its size whatever it says (the button is as wide as its widest label, the timer
as wide as its widest reading, the slot as tall as the meter), so starting, counting down and
stopping a take move nothing on the page. While recording the area turns red and a dot pulses.
"""

from __future__ import annotations

from PySide6.QtCore import QEasingCurve, QPropertyAnimation, Qt
from PySide6.QtGui import QFont, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsOpacityEffect,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from closer_desktop.audio.levels import MeterReading
from closer_desktop.domain.practice import format_duration
from closer_desktop.ui.design import SPACE_S, SPACE_XS, TYPE_DISPLAY
from closer_desktop.ui.theme import set_style_property
from closer_desktop.ui.widgets.level_meter import LevelMeterWidget
from closer_desktop.ui.widgets.steady_button import SteadyButton

RECORD_TEXT = "● Record"  # Space: in the tooltip and the keys line under the page
AGAIN_TEXT = "● Record again"
STOP_TEXT = "■ Stop"
COUNTDOWN_TEXT = "Recording in {}…"
PULSE_MS = 900


class RecordArea(QFrame):
    """The record button, the timer and the meter slot; the page says what state to show."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recordArea")
        self.setProperty("recording", False)
        self.button = SteadyButton((RECORD_TEXT, AGAIN_TEXT, STOP_TEXT, COUNTDOWN_TEXT.format(5)))
        self.button.setObjectName("recordButton")
        self.button.setMinimumHeight(44)
        self.button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.button.setAccessibleName("Record")

        self.timer_label = QLabel()
        self.timer_label.setObjectName("timerLabel")
        self.timer_label.setAccessibleName("Elapsed time against the target length")
        font = QFont(self.font())
        font.setPointSizeF(TYPE_DISPLAY)
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setFeature(QFont.Tag("tnum"), 1)  # figures of one width: the reading does not wobble
        self.timer_label.setFont(font)
        widest = self.timer_label.fontMetrics().horizontalAdvance("00:00")
        self.timer_label.setMinimumWidth(widest + SPACE_XS)
        # Above the timer: a pulsing dot while recording, and the state with the target.
        self.dot_label = QLabel()
        self.dot_label.setObjectName("recordDot")
        self.dot_label.setMinimumWidth(self.dot_label.fontMetrics().horizontalAdvance("● "))
        self.state_label = QLabel()
        self.state_label.setObjectName("recordState")
        self._state = ""
        bold = QFont(self.state_label.font())
        bold.setBold(True)  # as the style sheet draws it while recording
        widest = QFontMetrics(bold).horizontalAdvance("Space cancels")
        self.state_label.setMinimumWidth(widest)  # a new state moves nothing beside it
        self.target_label = QLabel()  # "/ 0:12" on the timer's baseline
        self.target_label.setObjectName("targetLabel")
        self.target_label.setToolTip("The target length of this answer")
        drop = self.timer_label.fontMetrics().descent() - self.target_label.fontMetrics().descent()
        self.target_label.setContentsMargins(0, 0, 0, max(0, drop))
        self.target_label.setMinimumWidth(
            self.target_label.fontMetrics().horizontalAdvance("/ 00:00")
        )
        self._pulse = QGraphicsOpacityEffect(self.dot_label)
        self._pulse.setOpacity(1.0)
        self.dot_label.setGraphicsEffect(self._pulse)
        self._pulsing = QPropertyAnimation(self._pulse, b"opacity", self)
        self._pulsing.setDuration(PULSE_MS)
        self._pulsing.setStartValue(1.0)
        self._pulsing.setKeyValueAt(0.5, 0.2)
        self._pulsing.setEndValue(1.0)
        self._pulsing.setEasingCurve(QEasingCurve.Type.InOutSine)
        self._pulsing.setLoopCount(-1)

        readout = QVBoxLayout()
        readout.setSpacing(0)
        state_row = QHBoxLayout()
        state_row.setSpacing(0)
        state_row.addWidget(self.dot_label)
        state_row.addWidget(self.state_label, 1)
        readout.addLayout(state_row)
        times = QHBoxLayout()
        times.setSpacing(SPACE_XS)
        times.addWidget(self.timer_label)
        times.addWidget(self.target_label, 0, Qt.AlignmentFlag.AlignBottom)
        readout.addLayout(times)

        # The slot: the microphone line at rest, the meter while recording; as tall as the
        # taller of the two always, so showing the meter moves nothing.
        self.mic_label = QLabel()
        self.mic_label.setObjectName("micLabel")
        self.mic_label.setWordWrap(True)
        self.mic_label.setAccessibleName("Microphone status")
        self.level_meter = LevelMeterWidget()
        self.level_text = QLabel()
        self.level_text.setObjectName("levelText")
        self.level_text.setAccessibleName("Input level as text")
        meter_page = QWidget()
        meter_layout = QVBoxLayout(meter_page)
        meter_layout.setContentsMargins(0, 0, 0, 0)
        meter_layout.setSpacing(2)
        meter_layout.addWidget(self.level_meter)
        meter_layout.addWidget(self.level_text)
        self.slot = QStackedWidget()
        self.slot.addWidget(self.mic_label)
        self.slot.addWidget(meter_page)
        self.slot.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.mic_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

        # One row: a short window has little height to spare above the review card.
        layout = QHBoxLayout(self)
        layout.setContentsMargins(SPACE_S, SPACE_S, SPACE_S, SPACE_S)
        layout.setSpacing(SPACE_S)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addLayout(readout)
        layout.addWidget(self.slot, 1, Qt.AlignmentFlag.AlignVCenter)
        self._meter_height = meter_page.sizeHint().height()
        self.slot.setFixedHeight(self._meter_height)
        self.slot.setMinimumWidth(160)

    # What the page shows -------------------------------------------------------------------

    def show_idle(self, again: bool, enabled: bool, blocker: str | None) -> None:
        self.button.setText(AGAIN_TEXT if again else RECORD_TEXT)
        self.button.setToolTip(blocker or "Record a new take (Space). Earlier takes are kept.")
        self.button.setAccessibleDescription("Space")
        self.button.setAccessibleName("Record again" if again else "Record")
        self._show_state("")
        self._set_recording(False, enabled)

    def show_countdown(self, left: int) -> None:
        self.button.setText(COUNTDOWN_TEXT.format(left))
        self.button.setToolTip("The take starts when the count reaches zero; Space cancels it")
        self.button.setAccessibleName(f"Cancel the countdown, {left}")
        self._show_state("Space cancels")
        self._set_recording(True, True)

    def show_recording(self) -> None:
        self.button.setText(STOP_TEXT)
        self.button.setToolTip("Stop recording and keep the take (Space)")
        self.button.setAccessibleName("Stop recording")
        self._show_state("Recording")
        self._set_recording(True, True)

    def _set_recording(self, recording: bool, enabled: bool) -> None:
        self.button.setEnabled(enabled)
        if self.property("recording") != recording:
            for widget in (self, self.button, self.state_label):
                set_style_property(widget, "recording", recording)
        pulse = recording and self._state == "Recording"
        self.dot_label.setText("●" if pulse else "")
        if pulse and self._pulsing.state() != QPropertyAnimation.State.Running:
            self._pulsing.start()
        elif not pulse:
            self._pulsing.stop()
            self._pulse.setOpacity(1.0)
        self.slot.setCurrentIndex(1 if recording and pulse else 0)

    def _show_state(self, state: str) -> None:
        self._state = state
        self.state_label.setText(state)

    def show_timer(self, seconds: float, target_s: float) -> None:
        self.timer_label.setText(format_duration(seconds))
        self.target_label.setText(f"/ {format_duration(target_s)}")
        over = seconds > target_s * 1.5
        if self.timer_label.property("over") != over:
            set_style_property(self.timer_label, "over", over)

    def show_reading(self, reading: MeterReading | None) -> None:
        self.level_meter.set_reading(reading)
        if reading is None:
            self.level_text.clear()
            set_style_property(self.level_text, "warning", False)
            return
        warning = ""
        if reading.clipping:
            warning = "⚠ Too loud: the input is clipping. Move back from the microphone."
        elif reading.silent:
            warning = "⚠ No sound for 3 seconds. Is the right microphone selected and unmuted?"
        self.level_text.setText(warning or "Aim for the green-yellow zone.")
        self.level_text.setToolTip(LevelMeterWidget.describe(reading))
        if self.level_text.property("warning") != bool(warning):
            set_style_property(self.level_text, "warning", bool(warning))

    def show_microphone(self, text: str, level: str) -> None:
        """`level`: ok (the line is quiet), checking or problem (said in the work colour)."""
        self.mic_label.setText(text)
        set_style_property(self.mic_label, "level", level)
        self._fit_slot()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._fit_slot()

    def _fit_slot(self) -> None:
        """The meter's height, or the microphone line's when it wraps to more at this width: a
        narrow window cut "No microphone was found. Connect one, …" after its third line. Only
        a problem with the microphone says that much, and no take is recorded then."""
        width = self.slot.width()
        needed = self.mic_label.heightForWidth(width) if width > 0 else 0
        self.slot.setFixedHeight(max(self._meter_height, needed))
