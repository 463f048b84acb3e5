"""Delivery feedback of the selected take: its figures, hints, fillers and transcript.

Shows the metrics that ui/take_analysis.py computes (the dict of Metrics.to_json()); holds no
logic beyond presentation. Filler words and transcript words are links: clicking one asks to
seek the player there. During playback `set_position` highlights the word being said.
"""

from __future__ import annotations

import bisect
import html
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPalette, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QLabel, QTextBrowser, QTextEdit, QVBoxLayout, QWidget

HINT_MARK = "⚠"
FILLER_COLOUR = "#b35c00"
HIGHLIGHT = QColor(255, 214, 102)  # the word being said


class FeedbackPanel(QWidget):
    """Signals:
    seek_requested(float): a filler or a word was clicked: play from there (seconds).
    """

    seek_requested = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.take_id: int | None = None
        self.metrics: dict[str, Any] | None = None
        self._word_starts: list[float] = []
        self._word_spans: list[tuple[int, int]] = []  # character range of each word shown
        self._highlighted = -1

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
        self.transcript = QTextBrowser()
        self.transcript.setAccessibleName("Transcript")
        self.transcript.setToolTip(
            "What you said (recognised offline): click a word to play from there; "
            "the word being said is highlighted"
        )
        self.transcript.setToolTip("What was heard; click a word to play the take from there")
        self.transcript.setOpenLinks(False)
        self.transcript.anchorClicked.connect(lambda url: self._link(url.toString()))
        self.transcript.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # Space must stay "record"
        self.transcript.setMaximumHeight(110)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.title, self.summary, self.hints, self.fillers, self.transcript):
            layout.addWidget(widget)
        self.show_take(None)

    # What to show ---------------------------------------------------------------------------

    def show_take(self, take_id: int | None) -> None:
        """A take was selected; its metrics follow through show_metrics (or show_analysing)."""
        self.take_id = take_id
        self.metrics = None
        self._set_words([])
        self.setVisible(take_id is not None)
        self.summary.setText("…")
        self.hints.clear()
        self.fillers.clear()
        self.transcript.clear()

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
            links = ", ".join(
                f'<a href="seek:{f["start_s"]}">{html.escape(f["word"])}</a> ({f["start_s"]:.1f} s)'
                for f in fillers
            )
            self.fillers.setText(f"Fillers: {len(fillers)}" + (f": {links}" if links else ""))
        else:
            self.fillers.setText("")
        self._show_transcript(metrics)

    def set_position(self, seconds: float) -> None:
        """Highlight the word being said at `seconds` of the take (during playback)."""
        index = bisect.bisect_right(self._word_starts, seconds) - 1
        words = (self.metrics or {}).get("words", [])
        if index >= 0 and seconds > words[index]["end_s"] + 0.3:
            index = -1  # in a pause: nothing is being said
        if index == self._highlighted:
            return
        self._highlighted = index
        selections: list[QTextEdit.ExtraSelection] = []
        if index >= 0:
            start, end = self._word_spans[index]
            cursor = QTextCursor(self.transcript.document())
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            selection = QTextEdit.ExtraSelection()
            selection.cursor = cursor
            fmt = QTextCharFormat()
            fmt.setBackground(HIGHLIGHT)
            selection.format = fmt
            selections.append(selection)
            caret = QTextCursor(self.transcript.document())  # no selection: it would hide ours
            caret.setPosition(start)
            self.transcript.setTextCursor(caret)
            self.transcript.ensureCursorVisible()
        self.transcript.setExtraSelections(selections)

    @property
    def highlighted_word(self) -> str | None:
        if self._highlighted < 0 or self.metrics is None:
            return None
        return str(self.metrics["words"][self._highlighted]["word"])

    # Internals --------------------------------------------------------------------------------

    def _show_transcript(self, metrics: dict[str, Any]) -> None:
        if not metrics.get("transcribed", True):
            self._set_words([])
            self.transcript.setPlainText(metrics.get("transcript_note") or "No transcript.")
            return
        words = metrics.get("words", [])
        if not words:
            self._set_words([])
            self.transcript.setPlainText("(no words heard)")
            return
        filler_starts = {round(f["start_s"], 3) for f in metrics.get("fillers", [])}
        parts: list[str] = []
        spans: list[tuple[int, int]] = []
        offset = 0
        # Words are links (click to play from there) that look like text; fillers stand out.
        plain = self.palette().color(QPalette.ColorRole.Text).name()
        self.transcript.document().setDefaultStyleSheet(
            f"a {{ text-decoration: none; color: {plain}; }} "
            f"a.filler {{ color: {FILLER_COLOUR}; font-weight: bold; }}"
        )
        for i, w in enumerate(words):
            text = str(w["word"])
            kind = ' class="filler"' if round(w["start_s"], 3) in filler_starts else ""
            parts.append(f'<a href="word:{i}"{kind}>{html.escape(text)}</a>')
            spans.append((offset, offset + len(text)))
            offset += len(text) + 1  # the space after it
        self.transcript.setHtml(" ".join(parts))
        self._set_words(words, spans)

    def _set_words(
        self, words: list[dict[str, Any]], spans: list[tuple[int, int]] | None = None
    ) -> None:
        self._word_starts = [float(w["start_s"]) for w in words]
        self._word_spans = spans or []
        self._highlighted = -1
        self.transcript.setExtraSelections([])

    def _link(self, target: str) -> None:
        kind, _, value = target.partition(":")
        if kind == "seek":
            self.seek_requested.emit(float(value))
        elif kind == "word" and self.metrics is not None:
            self.seek_requested.emit(float(self.metrics["words"][int(value)]["start_s"]))


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
