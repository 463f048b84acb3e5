"""Compare two takes of one question: hear A, switch to B at the same point, and back.

Defaults to your first and your latest take; one click picks your best-rated. Both takes are
loaded into memory, and switching moves the playhead to the same fraction of the other take.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer, Signal
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

from closer_desktop.audio.player import Player, read_audio
from closer_desktop.domain.practice import Take, format_duration
from closer_desktop.ui.practice_controller import PracticeController

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
        self._error.connect(lambda text: self.message.emit("error", text))
        self._poll = QTimer(self)
        self._poll.setInterval(50)
        self._poll.timeout.connect(self._refresh)

        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setObjectName("compareTitle")
        grid = QGridLayout()
        self.pickers: dict[str, QComboBox] = {}
        self.panels: dict[str, QLabel] = {}
        for column, side in enumerate(SIDES):
            picker = QComboBox()
            picker.setAccessibleName(f"Take {side}")
            picker.setToolTip(f"Choose take {side}")
            picker.currentIndexChanged.connect(lambda _, s=side: self._picked(s))
            panel = QLabel()
            panel.setFrameShape(QFrame.Shape.StyledPanel)
            panel.setWordWrap(True)
            panel.setMinimumHeight(90)
            panel.setAccessibleName(f"Take {side} details")
            grid.addWidget(QLabel(f"<b>{side}</b>"), 0, column)
            grid.addWidget(picker, 1, column)
            grid.addWidget(panel, 2, column)
            self.pickers[side], self.panels[side] = picker, panel
        self.play_button = QPushButton("▶ Play (P)")
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
        self.position = QLabel()
        self.position.setAccessibleName("Playback position")
        buttons = QHBoxLayout()
        for button in (self.play_button, self.switch_button, self.best_button):
            buttons.addWidget(button)
        buttons.addWidget(self.position, 1)
        buttons.addWidget(self.back_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(self.title)
        layout.addLayout(grid)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.play_button.clicked.connect(self.toggle_playback)
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
        if take is None:
            return
        path = self.controller.data_dir / take.audio_path

        def loaded(result: tuple[Any, int]) -> None:
            if self.chosen[side] is take:
                self.audio[side] = result
                if side == self.active and not self.player.is_loaded:
                    self.player.load(*result)
                self._refresh()

        self.controller.files.run(
            lambda: read_audio(path), loaded, lambda e: self.message.emit("error", str(e))
        )
        self._refresh()

    def toggle_playback(self) -> None:
        if self.player.is_loaded:
            self.player.toggle()
            self._poll.start()
            self._refresh()

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

    def _refresh(self) -> None:
        for side in SIDES:
            take = self.chosen[side]
            marker = "▶ now playing" if side == self.active else ""
            self.panels[side].setText(
                ""
                if take is None
                else f"{format_duration(take.duration_s)} · professionalism "
                f"{take.professionalism or '–'} · clarity {take.clarity or '–'}"
                f"{' · ★ model answer' if take.starred else ''}<br>{take.note}<br><i>{marker}</i>"
            )
            self.panels[side].setProperty("active", side == self.active)
        self.play_button.setText("❚❚ Pause (P)" if self.player.is_playing else "▶ Play (P)")
        self.position.setText(
            f"{self.active}: {format_duration(self.player.position_s)} / "
            f"{format_duration(self.player.duration_s)}"
        )
        if not self.player.is_playing:
            self._poll.stop()

    def _close(self) -> None:
        self.player.pause()
        self.closed.emit()

    def shutdown(self) -> None:
        self.player.close()
