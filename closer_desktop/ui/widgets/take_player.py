"""The take player used on every page: the take's waveform, its transcript (the word being said
highlighted), play/pause, "0:12 / 0:45", playback speed (0.75x-1.5x, pitch kept) and volume, over
a Player that its page owns.

The page loads audio into the player (off the GUI thread) and tells this widget which take it shows
(`show_take`); this widget seeks the player, sets its speed and gain, and polls its position on a
display timer while it plays. Speed and volume are remembered in the user's settings. The
transcript follows the analyser given to `use_analyser` (the page asks it for the take's metrics).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from closer_desktop import settings as S
from closer_desktop.app.settings import Settings
from closer_desktop.audio.player import SPEEDS, Player
from closer_desktop.domain.practice import format_duration
from closer_desktop.ui.widgets.steady_button import SteadyButton
from closer_desktop.ui.widgets.waveform import PeaksSource, WaveformView

if TYPE_CHECKING:
    from closer_desktop.app.take_analysis import TakeAnalyser
    from closer_desktop.ui.widgets.transcript import TranscriptView

POLL_MS = 33  # about 30 playhead updates a second
PLAY_TEXT, PAUSE_TEXT = "▶ Play (P)", "❚❚ Pause (P)"
MISSING_TEXT = "Audio file missing"


def speed_text(speed: float) -> str:
    return f"{speed:g}×"


def volume_gain(percent: int) -> float:
    """The slider's 0-100 as a gain: squared, so equal slider steps sound like equal steps."""
    return (max(0, min(100, percent)) / 100.0) ** 2


class TakePlayer(QWidget):
    """Waveform (optional) and transcript above a row of play/pause, time, speed and volume.

    Signals:
        play_clicked(): the play button was pressed. The page decides what playing means (the
            practice page may first have to read the file) and calls `refresh` afterwards.
        position_changed(float): the position just shown, in seconds of the take.
    """

    play_clicked = Signal()
    position_changed = Signal(float)

    def __init__(
        self,
        player: Player,
        peaks: PeaksSource | None,
        settings: Settings | None = None,
        parent: QWidget | None = None,
        *,
        waveform: bool = True,
        compact: bool = False,
        transcript: bool = True,
        transcript_scrolls: bool = True,
    ) -> None:
        """`waveform=False` leaves the waveform to the page (Compare shows two); `compact` puts
        a lower waveform in the row, between the play button and the time, and the transcript
        under the row. `transcript=False` leaves the transcript to the page too;
        `transcript_scrolls=False` shows all of it (on a page that scrolls itself)."""
        super().__init__(parent)
        self.player = player
        self.peaks = peaks
        self.settings = settings
        self._duration_hint = 0.0
        self._missing = False
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self.refresh)

        self.waveform = WaveformView() if waveform else None
        # The transcript view is made when first needed (a take is shown): it is hidden until
        # then, and a rich-text view is costly to build at start-up.
        self._wants_transcript = transcript
        self._transcript_scrolls = transcript_scrolls
        self._transcript: TranscriptView | None = None
        self._analyser: TakeAnalyser | None = None
        self.play_button = SteadyButton((PLAY_TEXT, PAUSE_TEXT))  # Pause moves nothing
        self.play_button.setObjectName("playButton")
        self.play_button.setAccessibleName("Play or pause the take")
        self.play_button.setToolTip("Play or pause the take (P)")
        self.time_label = QLabel("0:00 / 0:00")
        self.time_label.setObjectName("playerTime")
        self.time_label.setAccessibleName("Playback position and take length")
        self.time_label.setMinimumWidth(
            self.time_label.fontMetrics().horizontalAdvance("00:00 / 00:00")
        )
        self.speed_box = QComboBox()
        self.speed_box.setAccessibleName("Playback speed")
        self.speed_box.setToolTip("Playback speed (the pitch of your voice is kept)")
        for speed in SPEEDS:
            self.speed_box.addItem(speed_text(speed), speed)
        self.speed_box.setCurrentIndex(SPEEDS.index(1.0))
        self.volume = QSlider(Qt.Orientation.Horizontal)
        self.volume.setRange(0, 100)
        self.volume.setValue(100)
        self.volume.setAccessibleName("Volume")
        self.volume.setMaximumWidth(110)
        self.volume.setMinimumWidth(60)
        self.volume.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        for widget in (self.play_button, self.speed_box, self.volume):
            widget.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # Space stays "record"
        speed_label = QLabel("Speed")
        speed_label.setBuddy(self.speed_box)
        volume_label = QLabel("Vol." if compact else "Volume")
        volume_label.setBuddy(self.volume)

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.play_button)
        if compact and self.waveform is not None:
            self.waveform.setFixedHeight(40)
            row.addWidget(self.waveform, 1)
            row.addWidget(self.time_label)
        else:
            row.addWidget(self.time_label)
            row.addStretch(1)
            row.addWidget(speed_label)
        row.addWidget(self.speed_box)
        row.addSpacing(4 if compact else 8)
        row.addWidget(volume_label)
        row.addWidget(self.volume)
        if compact:
            self.volume.setMaximumWidth(70)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        if self.waveform is not None:
            if not compact:
                layout.addWidget(self.waveform)
            self.waveform.seek_requested.connect(self.seek)
        transcript_on_top = self.waveform is not None and not compact  # right under the waveform
        self._layout = layout
        self._transcript_index = layout.count() + (0 if transcript_on_top else 1)
        layout.addLayout(row)

        self.play_button.clicked.connect(self.play_clicked)
        self.speed_box.currentIndexChanged.connect(self._speed_chosen)
        self.volume.valueChanged.connect(self._volume_chosen)
        self._load_settings()
        self._volume_chosen(self.volume.value())

    # The page's side ----------------------------------------------------------------------------

    def show_take(
        self,
        path: Path | None,
        duration_s: float = 0.0,
        missing: bool = False,
        take_id: int | None = None,
    ) -> None:
        """Show this take (its waveform from the peak cache); None shows no take.

        `missing`: the take's audio file is not there; the player says so instead of a time.
        `take_id`: whose transcript to show, from the analyser's metrics (see `use_analyser`);
        without it no transcript is shown. Showing the same file again (e.g. after a rating
        changed) keeps what is shown.
        """
        self._duration_hint = duration_s
        self._missing = missing and path is not None
        if self.waveform is not None:
            if path is None or self.peaks is None or self._missing:
                self.waveform.clear()
            else:
                self.waveform.load(path, self.peaks, duration_s)
        shown = take_id if path is not None else None
        if shown is not None and self.transcript is not None:
            self.transcript.show_take(shown)
        elif self._transcript is not None:
            self._transcript.show_take(None)
        self.play_button.setEnabled(path is not None and not self._missing)
        self.refresh()

    def use_analyser(self, analyser: TakeAnalyser) -> None:
        """Show the transcript of the take shown from `analyser`'s results. The page still asks
        the analyser for them (`analyser.request(take)`) when it shows a take."""
        self._analyser = analyser
        if self._transcript is not None:
            self._follow(analyser, self._transcript)

    @property
    def transcript(self) -> TranscriptView | None:
        """The transcript under the waveform (made on first use); None when the page shows it."""
        if self._transcript is None and self._wants_transcript:
            from closer_desktop.ui.widgets.transcript import TranscriptView

            view = TranscriptView()
            if not self._transcript_scrolls:
                view.show_every_line()
            view.seek_requested.connect(self.seek)
            self._layout.insertWidget(self._transcript_index, view)
            if self._analyser is not None:
                self._follow(self._analyser, view)
            self._transcript = view
        return self._transcript

    def prepare_transcript(self) -> None:
        """Make the transcript view now (it is made on first use otherwise): a page calls this
        once the window is up, so neither the first paint nor the first take pays for it."""
        _ = self.transcript

    @staticmethod
    def _follow(analyser: TakeAnalyser, view: TranscriptView) -> None:
        analyser.metrics_ready.connect(view.show_metrics)
        analyser.analysing.connect(view.show_analysing)
        analyser.failed.connect(view.show_failed)

    def refresh(self) -> None:
        """Show the player's state; keeps polling while it plays or prepares a speed."""
        player = self.player
        loaded = player.is_loaded
        duration = player.duration_s if loaded else self._duration_hint
        position = player.position_s if loaded else 0.0
        self.play_button.setText(PAUSE_TEXT if player.is_playing else PLAY_TEXT)
        text = f"{format_duration(position)} / {format_duration(duration)}"
        if self._missing and not loaded:
            text = MISSING_TEXT
        if loaded and player.rendering:
            text += f" · preparing {speed_text(player.speed)}…"
        self.time_label.setText(text)
        if self.speed_box.currentData() != player.speed and player.speed in SPEEDS:
            self.speed_box.blockSignals(True)  # the player fell back (a render failed)
            self.speed_box.setCurrentIndex(SPEEDS.index(player.speed))
            self.speed_box.blockSignals(False)
        if self.waveform is not None:
            self.waveform.set_duration(duration)
            self.waveform.set_position(position)
        if self._transcript is not None:
            self._transcript.set_position(position if loaded else -1.0)
        self.position_changed.emit(position)
        busy = player.is_playing or (loaded and player.rendering)
        if busy and not self._poll.isActive():
            self._poll.start()
        elif not busy:
            self._poll.stop()

    def seek(self, seconds: float) -> None:
        """Move the player (a click or drag on the waveform, or a key) and show it at once."""
        if self.player.is_loaded:
            self.player.seek(seconds)
            self.refresh()

    def seek_by(self, seconds: float) -> None:
        if self.player.is_loaded:
            self.seek(self.player.position_s + seconds)

    # Speed and volume ---------------------------------------------------------------------------

    def _speed_chosen(self, index: int) -> None:
        speed = float(self.speed_box.itemData(index))
        self.player.set_speed(speed)
        if self.settings is not None:
            self.settings.set(S.PLAYBACK_SPEED, round(speed * 100))
        self.refresh()

    def _volume_chosen(self, percent: int) -> None:
        self.player.set_gain(volume_gain(percent))
        self.volume.setToolTip(f"Volume: {percent}%")
        self.volume.setAccessibleDescription(f"{percent}%")
        if self.settings is not None and self.settings.get(S.PLAYBACK_VOLUME) != percent:
            self.settings.set(S.PLAYBACK_VOLUME, percent)

    def _load_settings(self) -> None:
        """Take up what was chosen on another page (each page's player is separate)."""
        if self.settings is None:
            return
        speed = self.settings.get(S.PLAYBACK_SPEED) / 100
        index = min(range(len(SPEEDS)), key=lambda i: abs(SPEEDS[i] - speed))
        if index != self.speed_box.currentIndex():
            self.speed_box.setCurrentIndex(index)  # sets the player's speed too
        volume = max(0, min(100, self.settings.get(S.PLAYBACK_VOLUME)))
        if volume != self.volume.value():
            self.volume.setValue(volume)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._load_settings()
        self.refresh()
