"""Delivery feedback of the selected take: its figures, hints and fillers.

Shows the metrics that app/take_analysis.py computes (the dict of Metrics.to_json()); holds no
logic beyond presentation. Filler words are links: clicking one asks to seek the player there.
The transcript, with the word being said, is the take player's (ui/widgets/transcript.py), right
under the waveform: it is not repeated here.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

HINT_MARK = "⚠"


class FeedbackPanel(QWidget):
    """Signals:
    seek_requested(float): a filler was clicked: play from there (seconds).
    """

    seek_requested = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.take_id: int | None = None
        self.metrics: dict[str, Any] | None = None

        self.title = QLabel("Delivery feedback")
        self.title.setObjectName("feedbackTitle")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Delivery figures")
        self.hints = QLabel()
        self.hints.setWordWrap(True)
        self.hints.setAccessibleName("Delivery hints")
        self.fillers = QLabel()
        self.fillers.setWordWrap(True)
        self.fillers.setAccessibleName("Filler words")
        self.fillers.setToolTip("Filler words at their times: click one to play from there")
        self.fillers.setTextFormat(Qt.TextFormat.RichText)
        self.fillers.linkActivated.connect(self._link)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.title, self.summary, self.hints, self.fillers):
            layout.addWidget(widget)
        self.show_take(None)

    # What to show ---------------------------------------------------------------------------

    def show_take(self, take_id: int | None) -> None:
        """A take was selected; its metrics follow through show_metrics (or show_analysing)."""
        self.take_id = take_id
        self.metrics = None
        self.setVisible(take_id is not None)
        self.summary.setText("…")
        self.hints.clear()
        self.fillers.clear()

    def show_analysing(self, take_id: int) -> None:
        if take_id != self.take_id:
            return
        self.summary.setText("Analysing the take: pauses, loudness, pitch, pace and fillers…")

    def show_failed(self, take_id: int, reason: str) -> None:
        if take_id == self.take_id:
            self.summary.setText(f"This take could not be analysed: {reason}")

    def show_metrics(self, take_id: int, metrics: dict[str, Any]) -> None:
        """Metrics of a take; ignored unless it is the one shown."""
        if take_id != self.take_id:
            return
        self.metrics = metrics
        self.summary.setText(_summary(metrics))
        hints = [h["message"] for h in metrics.get("hints", [])]
        self.hints.setText("\n".join(f"{HINT_MARK} {h}" for h in hints))
        self.hints.setVisible(bool(hints))
        fillers = metrics.get("fillers", [])
        if metrics.get("transcribed", True):
            import html  # here: building its table of entities would slow start-up

            links = ", ".join(
                f'<a href="seek:{f["start_s"]}">{html.escape(f["word"])}</a> ({f["start_s"]:.1f} s)'
                for f in fillers
            )
            self.fillers.setText(f"Fillers: {len(fillers)}" + (f": {links}" if links else ""))
        else:
            self.fillers.setText("")  # the player's transcript says why, and how to get one

    # Internals --------------------------------------------------------------------------------

    def _link(self, target: str) -> None:
        kind, _, value = target.partition(":")
        if kind == "seek":
            self.seek_requested.emit(float(value))


def _summary(m: dict[str, Any]) -> str:
    parts = [f"{m['duration_s']:.1f} s, speaking {m['speaking_time_s']:.1f} s"]
    pauses = m.get("pauses", [])
    if pauses:
        parts.append(f"{len(pauses)} pauses, longest {m['longest_pause_s']:.1f} s")
    else:
        parts.append("no pauses")
    level, peak = m.get("speech_level_dbfs"), m.get("peak_dbfs")
    if level is not None and peak is not None:
        parts.append(f"speech {level:.0f} dBFS, peak {peak:.0f} dBFS")
    spread = m.get("pitch_spread_semitones")
    if spread is not None:
        parts.append(f"pitch varies {spread:.1f} semitones")
    wpm = m.get("words_per_minute")
    if wpm is not None:
        parts.append(f"{wpm:.0f} words a minute")
    return " · ".join(parts)
