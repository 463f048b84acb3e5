"""Compare two takes of one question: hear A, switch to B at the same point, and back.

Defaults to your first and your latest take; one click picks your best-rated. Both takes are
loaded into memory and both waveforms are drawn on one time axis, one above the other, so a
take twice as long looks twice as long. Switching (X) moves to where the other take says the
same word (domain/compare.py aligns the two transcripts), or without transcripts to the same time
after its speech began; the other waveform's dashed playhead shows where that is. Clicking a
waveform plays that side from there. Beside the transcripts, a table of what changed from A to B
(length, pace, fillers, long pauses, line match, ratings), better in green, worse in red.
"""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import QEvent, QPointF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from closer_desktop.app.practice import PracticeController
from closer_desktop.audio.player import Player, read_audio
from closer_desktop.domain.compare import Delta, TimedWord, deltas, same_point, timed_words
from closer_desktop.domain.practice import Take, format_duration
from closer_desktop.ui.design import SPACE_M, SPACE_S, SPACE_XS
from closer_desktop.ui.theme import tokens_for
from closer_desktop.ui.widgets.take_player import TakePlayer
from closer_desktop.ui.widgets.transcript import TranscriptView
from closer_desktop.ui.widgets.waveform import PeaksSource, WaveformView

SIDES = ("A", "B")


def best_rated(takes: list[Take]) -> Take | None:
    """The take with the highest combined rating (latest wins a tie); None if none is rated."""
    rated = [t for t in takes if t.professionalism or t.clarity]
    if not rated:
        return None
    return max(rated, key=lambda t: ((t.professionalism or 0) + (t.clarity or 0), t.recorded_at))


class CompareView(QWidget):
    """Two takes side by side; Play plays the active side, X switches sides in place.

    Signals:
        message(str, str): (level, text) for the window's message area.
        closed(): the user is done comparing.
    """

    message = Signal(str, str)
    closed = Signal()
    _done = Signal()
    _error = Signal(str)

    def __init__(self, controller: PracticeController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.takes: list[Take] = []
        self.chosen: dict[str, Take | None] = {"A": None, "B": None}
        self.audio: dict[str, tuple[Any, int] | None] = {"A": None, "B": None}
        self.active = "A"
        self.player = Player(self._done.emit, self._error.emit)
        self._done.connect(self._refresh)
        self._error.connect(self._playback_failed)
        self.peaks = PeaksSource(controller.files, controller.data_dir)
        self.take_player = TakePlayer(
            self.player, None, controller.settings, waveform=False, transcript=False
        )
        self.take_player.play_clicked.connect(self.toggle_playback)
        self.take_player.position_changed.connect(self._show_positions)

        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setObjectName("compareTitle")
        self.metrics: dict[int, dict[str, Any]] = {}  # by take id, as the analyser gives them
        self.onsets: dict[str, float] = {"A": 0.0, "B": 0.0}  # where each side's speech begins
        waves = QGridLayout()
        waves.setHorizontalSpacing(SPACE_S)
        waves.setVerticalSpacing(SPACE_XS)
        texts = QVBoxLayout()
        texts.setSpacing(SPACE_XS)
        self.pickers: dict[str, QComboBox] = {}
        self.panels: dict[str, QLabel] = {}
        self.waveforms: dict[str, WaveformView] = {}
        self.transcripts: dict[str, TranscriptView] = {}
        self.headings: dict[str, QLabel] = {}
        for row, side in enumerate(SIDES):
            picker = QComboBox()
            picker.setAccessibleName(f"Take {side}")
            picker.setToolTip(f"Choose take {side}")
            picker.currentIndexChanged.connect(lambda _, s=side: self._picked(s))
            waveform = WaveformView()
            waveform.setAccessibleName(f"Waveform of take {side}")
            waveform.setToolTip(f"Click or drag to play take {side} from there")
            waveform.seek_requested.connect(lambda seconds, s=side: self._seek_side(s, seconds))
            transcript = TranscriptView()
            transcript.setAccessibleName(f"Transcript of take {side}")
            transcript.seek_requested.connect(lambda seconds, s=side: self._seek_side(s, seconds))
            analysis = controller.analysis
            analysis.metrics_ready.connect(transcript.show_metrics)
            analysis.analysing.connect(transcript.show_analysing)
            analysis.failed.connect(transcript.show_failed)
            panel = QLabel()  # the take's length, ratings and note, under its picker
            panel.setWordWrap(True)
            panel.setObjectName("compareDetails")
            panel.setAccessibleName(f"Take {side} details")
            heading = QLabel()
            side_box = QVBoxLayout()
            side_box.setSpacing(2)
            side_box.addWidget(heading)
            side_box.addWidget(picker)
            side_box.addWidget(panel)
            side_box.addStretch(1)
            waves.addLayout(side_box, row, 0)
            waves.addWidget(waveform, row, 1)
            transcript_heading = QLabel(f"<b>{side}</b>")
            texts.addWidget(transcript_heading)
            texts.addWidget(transcript)
            self.pickers[side], self.panels[side] = picker, panel
            self.waveforms[side], self.headings[side] = waveform, heading
            self.transcripts[side] = transcript
        self.axis = TimeAxis()
        waves.addWidget(self.axis, len(SIDES), 1)
        waves.setColumnStretch(1, 1)
        waves.setColumnMinimumWidth(0, 220)
        controller.analysis.metrics_ready.connect(self._metrics_arrived)
        self.changes = QGridLayout()  # the table of what changed, A → B
        self.changes.setHorizontalSpacing(SPACE_S)
        self.changes.setVerticalSpacing(2)
        changes_box = QFrame()
        changes_box.setObjectName("compareChanges")
        changes_box.setAccessibleName("What changed from A to B")
        changes_box.setLayout(self.changes)
        changes_box.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Maximum)
        self.change_labels: list[tuple[QLabel, QLabel, QLabel, QLabel]] = []
        below = QHBoxLayout()
        below.setSpacing(SPACE_M)
        below.addLayout(texts, 1)
        below.addWidget(changes_box, 0, Qt.AlignmentFlag.AlignTop)
        self.play_button = self.take_player.play_button
        self.play_button.setAccessibleName("Play or pause the active take")
        self.play_button.setToolTip("Play or pause the active take (P)")
        self.switch_button = QPushButton("⇄ Switch A/B (X)")
        self.switch_button.setAccessibleName("Switch between take A and take B")
        self.switch_button.setToolTip("Switch to the other take at the same word (X)")
        self.best_button = QPushButton("★ Best-rated as B")
        self.best_button.setAccessibleName("Compare with your best-rated take")
        self.best_button.setToolTip("Put your best-rated take of this question on side B")
        self.back_button = QPushButton("◀ Back to History")
        self.back_button.setAccessibleName("Back to History")
        self.back_button.setToolTip("Back to History")
        self.position = self.take_player.time_label
        buttons = QHBoxLayout()
        for button in (self.switch_button, self.best_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(SPACE_M, SPACE_S, SPACE_M, SPACE_S)
        layout.setSpacing(SPACE_S)
        layout.addWidget(self.title)
        layout.addLayout(waves)
        layout.addWidget(self.take_player)
        layout.addLayout(buttons)
        layout.addLayout(below)
        layout.addStretch(1)
        self.switch_button.clicked.connect(self.switch)
        self.best_button.clicked.connect(self.choose_best)
        self.back_button.clicked.connect(self._close)

    def compare(self, takes: list[Take]) -> None:
        """Compare takes of one question (oldest first): A = the first, B = the latest."""
        self.player.unload()
        self.takes = takes
        self.title.setText(
            f"<b>Compare takes</b> of “{escape(takes[0].question_text)}”" if takes else ""
        )
        for side, default in zip(SIDES, (0, len(takes) - 1), strict=True):
            picker = self.pickers[side]
            picker.blockSignals(True)
            picker.clear()
            for number, take in enumerate(takes, start=1):
                picker.addItem(f"Take {number} · {take.recorded_at:%d %b %Y %H:%M}", take.id)
            picker.setCurrentIndex(default)
            picker.blockSignals(False)
            self._picked(side)
        self.active = "A"
        self._refresh()

    def choose_best(self) -> None:
        best = best_rated(self.takes)
        if best is None:
            self.message.emit("info", "None of these takes is rated yet.")
            return
        self.pickers["B"].setCurrentIndex(self.pickers["B"].findData(best.id))

    def _picked(self, side: str) -> None:
        take_id = self.pickers[side].currentData()
        take = next((t for t in self.takes if t.id == take_id), None)
        self.chosen[side] = take
        self.audio[side] = None
        if side == self.active:
            self.player.unload()
        self.transcripts[side].show_take(take.id if take is not None else None)
        self.onsets[side] = 0.0
        if take is None:
            self.waveforms[side].clear()
            return
        path = self.controller.data_dir / take.audio_path
        self.waveforms[side].load(path, self.peaks, take.duration_s)
        self._share_time_axis()
        self.controller.analysis.request(take)  # its transcript: stored, or computed now

        def loaded(result: tuple[tuple[Any, int], float]) -> None:
            if self.chosen[side] is take:
                self.audio[side], self.onsets[side] = result
                if side == self.active and not self.player.is_loaded:
                    self.player.load(*result[0])
                self._refresh()

        self.controller.files.run(
            lambda: _audio_and_onset(path),
            loaded,
            lambda e: self.message.emit("error", str(e)),
        )
        self._refresh()

    def _share_time_axis(self) -> None:
        """Both waveforms on the longer take's seconds: the shorter one ends early."""
        span = max(
            (take.duration_s for take in self.chosen.values() if take is not None), default=0.0
        )
        for waveform in self.waveforms.values():
            waveform.set_span(span)
        self.axis.set_span(span)

    def _metrics_arrived(self, take_id: int, metrics: dict[str, Any]) -> None:
        if any(take is not None and take.id == take_id for take in self.chosen.values()):
            self.metrics[take_id] = metrics
            self._show_changes()

    def words(self, side: str) -> list[TimedWord]:
        """The side's transcript words with their times (none until its metrics arrive)."""
        take = self.chosen[side]
        stored = self.metrics.get(take.id, {}) if take is not None else {}
        words = stored.get("words")
        return timed_words(words) if isinstance(words, list) else []

    def matching_position(self, side: str, position: float) -> float:
        """Where the other side says what `side` says at `position` (clamped to that take)."""
        other = "B" if side == "A" else "A"
        point = same_point(
            self.words(side), self.words(other), position, self.onsets[side], self.onsets[other]
        )
        take = self.chosen[other]
        duration = self.waveforms[other].duration_s or (take.duration_s if take else 0.0)
        return max(0.0, min(duration, point))

    def toggle_playback(self) -> None:
        if self.player.is_loaded:
            self.player.toggle()
            self._refresh()

    def seek_by(self, seconds: float) -> None:
        self.take_player.seek_by(seconds)

    def switch(self) -> None:
        """Jump to where the other take says the same word (or, without transcripts, to the
        same time after its speech began), keeping play/pause."""
        other = "B" if self.active == "A" else "A"
        audio = self.audio[other]
        if audio is None:
            return
        target = self.matching_position(self.active, self.player.position_s)
        playing = self.player.is_playing
        self.player.load(*audio)
        self.player.seek(min(target, self.player.duration_s))
        self.active = other
        if playing:
            self.player.play()
        self._refresh()

    def _seek_side(self, side: str, seconds: float) -> None:
        """A click on a waveform: that side plays (or will) from there."""
        if side != self.active:
            if self.audio[side] is None:
                return
            self.switch()
        self.take_player.seek(seconds)

    def _show_positions(self, position: float) -> None:
        """The active waveform follows the player; the other shows where X would jump to."""
        duration = self.player.duration_s
        for side, waveform in self.waveforms.items():
            waveform.set_active(side == self.active)
            if side == self.active:
                waveform.set_duration(duration)
                waveform.set_position(position)
            else:
                waveform.set_position(self.matching_position(self.active, position))
            loaded = side == self.active and self.player.is_loaded
            self.transcripts[side].set_position(position if loaded else -1.0)

    def _playback_failed(self, text: str) -> None:
        self._refresh()
        self.message.emit("error", text)

    def _refresh(self) -> None:
        for side in SIDES:
            take = self.chosen[side]
            self.panels[side].setText(
                ""
                if take is None
                else f"{format_duration(take.duration_s)}"
                f"{' · ★ model answer' if take.starred else ''}"
                + (f"<br><i>{escape(take.note)}</i>" if take.note else "")
            )
            self.panels[side].setProperty("active", side == self.active)
            self.headings[side].setText(
                f"<b>{side}</b>" + ("  ▶ playing (X switches)" if side == self.active else "")
            )
        self._share_time_axis()
        self._show_changes()
        self.take_player.refresh()

    def _show_changes(self) -> None:
        """The table of what changed from A to B: better in the good colour, worse in the work
        colour (ui/design.py tokens, for this page's theme)."""
        a, b = self.chosen["A"], self.chosen["B"]
        rows: list[Delta] = []
        if a is not None and b is not None:
            rows = deltas(a, b, self.metrics.get(a.id), self.metrics.get(b.id))
        while len(self.change_labels) < len(rows) + 1:
            line = len(self.change_labels)
            labels = (QLabel(), QLabel(), QLabel(), QLabel())
            for column, label in enumerate(labels):
                if column:
                    label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.changes.addWidget(label, line, column)
            self.change_labels.append(labels)
        tokens = tokens_for(self.palette())
        colours = {"better": tokens.good, "worse": tokens.work}
        words = {"better": "better", "worse": "worse", "same": "same", "": ""}
        header = self.change_labels[0]
        for label, text in zip(
            header, ("<b>What changed</b>", "<b>A</b>", "<b>B</b>", ""), strict=True
        ):
            label.setText(text if rows else "")
        for line, labels in enumerate(self.change_labels[1:]):
            if line >= len(rows):
                for label in labels:
                    label.setText("")
                continue
            delta = rows[line]
            colour = colours.get(delta.change)
            shown = f"<span style='color:{colour}'>{delta.b}</span>" if colour else delta.b
            verdict = words[delta.change]
            if colour:
                verdict = f"<span style='color:{colour}'>{verdict}</span>"
            texts = (delta.label, delta.a, f"→ {shown}", verdict)
            for label, text in zip(labels, texts, strict=True):
                label.setText(text)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:  # a theme switch: the colours follow
            self._show_changes()
        super().changeEvent(event)

    def _close(self) -> None:
        self.player.pause()
        self.closed.emit()

    def shutdown(self) -> None:
        self.player.close()


def _audio_and_onset(path: Any) -> tuple[tuple[Any, int], float]:
    """A take's audio (as the Player takes it) and where its speech begins, in seconds: the
    start of the first stretch of speech the analyser's detector finds (0 if none). On a
    worker: it reads the whole file."""
    import numpy as np

    from closer_desktop.analysis.acoustics import find_speech

    samples, rate = read_audio(path, compact=True)
    mono = samples.astype(np.float32) / 32768.0 if samples.dtype == np.int16 else samples
    speech = find_speech(mono, rate, band=True)
    return (samples, rate), (speech[0].start_s if speech else 0.0)


class TimeAxis(QWidget):
    """Seconds under Compare's waveforms: ticks on the shared time axis, labelled."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.span_s = 0.0
        self.setAccessibleName("Time axis, in seconds")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_span(self, seconds: float) -> None:
        if seconds != self.span_s:
            self.span_s = seconds
            self.update()

    def sizeHint(self) -> QSize:
        return QSize(400, self.fontMetrics().height() + SPACE_XS)

    def ticks(self) -> list[float]:
        """Seconds to label: a step of 1, 2, 5, 10, 15, 30 or 60 s, about 8 ticks at most."""
        if self.span_s <= 0:
            return []
        step = next((s for s in (1, 2, 5, 10, 15, 30, 60) if self.span_s / s <= 8), 120)
        count = int(self.span_s // step)
        return [float(i * step) for i in range(count + 1)]

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        tokens = tokens_for(self.palette())
        painter.setPen(QColor(tokens.text_secondary))
        pad = 3.0  # the waveform's inner margin (ui/widgets/waveform.PAD)
        width = max(1.0, self.width() - 2 * pad)
        metrics = painter.fontMetrics()
        for seconds in self.ticks():
            x = pad + seconds / self.span_s * width
            painter.drawLine(QPointF(x, 0), QPointF(x, SPACE_XS - 2))
            text = f"{seconds:g} s"
            half = metrics.horizontalAdvance(text) / 2
            left = min(max(0.0, x - half), self.width() - 2 * half)
            painter.drawText(QPointF(left, SPACE_XS + metrics.ascent()), text)
        painter.end()
