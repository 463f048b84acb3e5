"""Compare two takes of one question: hear A, switch to B at the same point, and back.

Defaults to your first and your latest take; one click picks your best-rated. Both takes are
loaded into memory and both waveforms are shown; switching moves the playhead to the same
fraction of the other take (the other waveform's dashed playhead shows where that is). Clicking
a waveform plays that side from there. Under each waveform, that take's transcript: the active
side's follows the word being said, and clicking a word plays that side from there.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from closer_desktop.app.practice import PracticeController
from closer_desktop.audio.player import Player, read_audio
from closer_desktop.domain.practice import Take, format_duration
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
        grid = QGridLayout()
        self.pickers: dict[str, QComboBox] = {}
        self.panels: dict[str, QLabel] = {}
        self.waveforms: dict[str, WaveformView] = {}
        self.transcripts: dict[str, TranscriptView] = {}
        self.headings: dict[str, QLabel] = {}
        for column, side in enumerate(SIDES):
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
            panel = QLabel()
            panel.setFrameShape(QFrame.Shape.StyledPanel)
            panel.setWordWrap(True)
            panel.setMinimumHeight(56)
            panel.setAccessibleName(f"Take {side} details")
            heading = QLabel()
            grid.addWidget(heading, 0, column)
            grid.addWidget(picker, 1, column)
            grid.addWidget(waveform, 2, column)
            grid.addWidget(transcript, 3, column, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(panel, 4, column)
            self.pickers[side], self.panels[side] = picker, panel
            self.waveforms[side], self.headings[side] = waveform, heading
            self.transcripts[side] = transcript
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        self.play_button = self.take_player.play_button
        self.play_button.setAccessibleName("Play or pause the active take")
        self.play_button.setToolTip("Play or pause the active take (P)")
        self.switch_button = QPushButton("⇄ Switch A/B (X)")
        self.switch_button.setAccessibleName("Switch between take A and take B")
        self.switch_button.setToolTip("Switch to the other take at the same point (X)")
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
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(self.title)
        layout.addLayout(grid)
        layout.addWidget(self.take_player)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.switch_button.clicked.connect(self.switch)
        self.best_button.clicked.connect(self.choose_best)
        self.back_button.clicked.connect(self._close)

    def compare(self, takes: list[Take]) -> None:
        """Compare takes of one question (oldest first): A = the first, B = the latest."""
        self.player.unload()
        self.takes = takes
        self.title.setText(f"<b>Compare takes</b> of “{takes[0].question_text}”" if takes else "")
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
        if take is None:
            self.waveforms[side].clear()
            return
        path = self.controller.data_dir / take.audio_path
        self.waveforms[side].load(path, self.peaks, take.duration_s)
        self.controller.analysis.request(take)  # its transcript: stored, or computed now

        def loaded(result: tuple[Any, int]) -> None:
            if self.chosen[side] is take:
                self.audio[side] = result
                if side == self.active and not self.player.is_loaded:
                    self.player.load(*result)
                self._refresh()

        self.controller.files.run(
            lambda: read_audio(path, compact=True),
            loaded,
            lambda e: self.message.emit("error", str(e)),
        )
        self._refresh()

    def toggle_playback(self) -> None:
        if self.player.is_loaded:
            self.player.toggle()
            self._refresh()

    def seek_by(self, seconds: float) -> None:
        self.take_player.seek_by(seconds)

    def switch(self) -> None:
        """Jump to the other take at the same fraction of its length, keeping play/pause."""
        other = "B" if self.active == "A" else "A"
        audio = self.audio[other]
        if audio is None:
            return
        fraction = self.player.position_s / self.player.duration_s if self.player.duration_s else 0
        playing = self.player.is_playing
        self.player.load(*audio)
        self.player.seek(fraction * self.player.duration_s)
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
        fraction = position / duration if duration else 0.0
        for side, waveform in self.waveforms.items():
            waveform.set_active(side == self.active)
            if side == self.active:
                waveform.set_duration(duration)
                waveform.set_position(position)
            else:
                waveform.set_position(fraction * waveform.duration_s)
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
                else f"{format_duration(take.duration_s)} · professionalism "
                f"{take.professionalism or '–'} · clarity {take.clarity or '–'}"
                f"{' · ★ model answer' if take.starred else ''}<br>{take.note}"
            )
            self.panels[side].setProperty("active", side == self.active)
            self.headings[side].setText(
                f"<b>{side}</b>" + ("  ▶ active (X switches)" if side == self.active else "")
            )
        self.take_player.refresh()

    def _close(self) -> None:
        self.player.pause()
        self.closed.emit()

    def shutdown(self) -> None:
        self.player.close()
