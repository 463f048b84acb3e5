"""The words of the take being played, under its waveform: the word being said is highlighted,
and a click on a word plays the take from there.

The words come from the take's stored delivery metrics (app/take_analysis.py computes them in
the background); the page passes the analyser's signals here, and this view keeps only those of
the take it shows. Words wrap; a long take scrolls (at most `MAX_LINES` are shown at once,
fewer in a small window) and follows the word being said. Holds no logic beyond presentation:
`set_position` is driven by the take player's own position updates, no timer of its own.
"""

from __future__ import annotations

import bisect
import html
import math
from typing import Any

from PySide6.QtCore import QEvent, QRect, QSize, Qt, QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QPalette,
    QResizeEvent,
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import QFrame, QSizePolicy, QTextBrowser, QTextEdit, QWidget

from closer_desktop.ui.theme import tokens_for

MAX_LINES = 4  # a longer take scrolls, following the word being said
MIN_LINES = 2  # where room is short (a small window), down to this
PAUSE_GRACE_S = 0.3  # after a word ends, it stays highlighted this long (timings are loose)
HIGHLIGHT = QColor(255, 214, 102)  # a marker pen: readable on light and dark windows alike
HIGHLIGHT_TEXT = QColor(0, 0, 0)
WAITING = "Transcript appears after analysis."
NO_WORDS = "No words were heard in this take."
TOOLTIP = (
    "What you said, recognised offline: the word being said is highlighted; "
    "click a word to play the take from there"
)


class TranscriptView(QTextBrowser):
    """A take's words as a wrapped line of text, hidden while no take is shown.

    Signals:
        seek_requested(float): a word was clicked: play from its start (seconds).
    """

    seek_requested = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.take_id: int | None = None
        self.metrics: dict[str, Any] | None = None
        self.words: list[dict[str, Any]] = []
        self._starts: list[float] = []
        self._spans: dict[int, tuple[int, int]] = {}  # word index: its characters in the text
        self._note = ""  # shown instead of words (muted)
        self._highlighted = -1
        self.max_lines: int | None = MAX_LINES  # None: every line shows (see show_every_line)
        self.setObjectName("transcriptView")
        self.setAccessibleName("Transcript")
        self.setToolTip(TOOLTIP)
        self.setOpenLinks(False)
        self.anchorClicked.connect(self._clicked)
        # Clicks work without focus; keyboard users seek on the waveform. Space stays "record".
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.viewport().setAutoFillBackground(False)  # on the window's colour, like a label
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)
        self.document().setDocumentMargin(2)
        self.document().documentLayout().documentSizeChanged.connect(
            lambda _: self.updateGeometry()
        )
        self.show_take(None)

    def show_every_line(self) -> None:
        """As tall as the whole text, never a scroll bar: for a page that scrolls itself (the
        practice page), where a box scrolling inside the scrolling page was hard to use."""
        self.max_lines = None
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.updateGeometry()

    # What to show ---------------------------------------------------------------------------

    def show_take(self, take_id: int | None) -> None:
        """Show this take's words once its metrics arrive (`show_metrics`); None hides the view.
        The same take again keeps what is shown."""
        if take_id is not None and take_id == self.take_id:
            return
        self.take_id = take_id
        self.metrics = None
        self._set_words([])
        self._note = WAITING
        self._render()
        self.setVisible(take_id is not None)

    def show_analysing(self, take_id: int) -> None:
        if take_id == self.take_id and self.metrics is None:
            self._note = WAITING
            self._render()

    def show_failed(self, take_id: int, reason: str) -> None:
        if take_id == self.take_id and self.metrics is None:
            self._note = f"No transcript: {reason}"
            self._render()

    def show_metrics(self, take_id: int, metrics: dict[str, Any]) -> None:
        """A take's metrics; ignored unless it is the one shown."""
        if take_id != self.take_id:
            return
        self.metrics = metrics
        if not metrics.get("transcribed", True):
            self._set_words([])
            # Says why, and how to enable speech recognition when it is not installed.
            self._note = metrics.get("transcript_note") or "This take was not transcribed."
        else:
            self._set_words(list(metrics.get("words") or []))
            self._note = "" if self.words else NO_WORDS
        self._render()

    def set_position(self, seconds: float) -> None:
        """Highlight the word being said at `seconds` of the take (none in a pause)."""
        index = bisect.bisect_right(self._starts, seconds) - 1
        if index >= 0 and seconds > float(self.words[index]["end_s"]) + PAUSE_GRACE_S:
            index = -1
        if index not in self._spans:
            index = -1
        if index == self._highlighted:
            return
        self._highlighted = index
        self._show_highlight()

    @property
    def highlighted_word(self) -> str | None:
        if self._highlighted < 0:
            return None
        return str(self.words[self._highlighted]["word"])

    @property
    def note(self) -> str:
        """What is shown instead of words ("" when words are shown)."""
        return self._note

    def word_rect(self, index: int) -> QRect:
        """Where word `index` is drawn, in viewport coordinates (for tests and tooltips)."""
        start, end = self._spans[index]
        cursor = QTextCursor(self.document())
        cursor.setPosition(start)
        first = self.cursorRect(cursor)
        cursor.setPosition(end)
        return first.united(self.cursorRect(cursor))

    # Internals ------------------------------------------------------------------------------

    def _set_words(self, words: list[dict[str, Any]]) -> None:
        self.words = words
        self._starts = [float(w["start_s"]) for w in words]
        self._spans = {}
        self._highlighted = -1

    def _render(self) -> None:
        """Lay the words (or the note) out again: on new metrics, and when the colours change."""
        palette = self.palette()
        text_colour = palette.color(QPalette.ColorRole.Text).name()
        muted = palette.color(QPalette.ColorRole.PlaceholderText).name()
        self.document().setDefaultStyleSheet(
            f"a {{ text-decoration: none; color: {text_colour}; }} "
            f"a.filler {{ color: {tokens_for(palette).watch}; font-weight: bold; }} "
            f".note {{ color: {muted}; font-style: italic; }}"
        )
        self.setExtraSelections([])
        if not self.words:
            self._spans = {}
            self.setHtml(f'<span class="note">{html.escape(self._note)}</span>')
            self.setToolTip(TOOLTIP if not self._note else self._note)
            return
        # A filler is stored by its first word's start; a phrase ("you know") spans as many words
        # of the transcript as it has, and all of them are marked, not only the first.
        fillers = {
            round(float(f["start_s"]), 3): max(1, len(str(f.get("word", "")).split()))
            for f in (self.metrics or {}).get("fillers", [])
        }
        marking = 0  # words of the current filler still to mark
        parts: list[str] = []
        spans: dict[int, tuple[int, int]] = {}
        offset = 0
        for i, word in enumerate(self.words):
            text = " ".join(str(word["word"]).split())  # as HTML will show it: one space
            if not text:
                continue
            marking = max(marking - 1, fillers.get(round(float(word["start_s"]), 3), 0))
            kind = ' class="filler"' if marking > 0 else ""
            parts.append(f'<a href="word:{i}"{kind}>{html.escape(text)}</a>')
            spans[i] = (offset, offset + len(text))
            offset += len(text) + 1  # and the space after it
        self.setHtml(" ".join(parts))
        self._spans = spans
        self.setToolTip(TOOLTIP)
        self.verticalScrollBar().setValue(0)
        self._show_highlight()

    def _show_highlight(self) -> None:
        selections: list[QTextEdit.ExtraSelection] = []
        if self._highlighted in self._spans:
            start, end = self._spans[self._highlighted]
            cursor = QTextCursor(self.document())
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            selection = QTextEdit.ExtraSelection()
            selection.cursor = cursor
            marker = QTextCharFormat()
            marker.setBackground(HIGHLIGHT)
            marker.setForeground(HIGHLIGHT_TEXT)
            selection.format = marker
            selections.append(selection)
            self._scroll_to(start)
        self.setExtraSelections(selections)

    def _scroll_to(self, position: int) -> None:
        """Keep the word being said in view: once it leaves the view, scroll so that its line
        comes second, under the line before it (a line at a time, as one reads)."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(position)
        rect = self.cursorRect(cursor)
        if rect.top() >= 0 and rect.bottom() <= self.viewport().height():
            return
        block = self.document().findBlock(position)
        layout = block.layout()
        line = layout.lineForTextPosition(position - block.position()).lineNumber()
        top = self._block_top(block) + layout.lineAt(line - 1).y() if line > 0 else 0.0
        margin = self.document().documentMargin()  # as at the top: whole lines, no slivers
        self.verticalScrollBar().setValue(max(0, math.floor(top - margin)))

    def _height_for(self, lines: int | None) -> int:
        """As tall as the text, up to `lines` whole lines (then it scrolls; None: all of it)."""
        document = self.document()
        height = document.size().height()
        block = document.firstBlock()  # the words are one paragraph
        layout = block.layout()
        if lines is not None and layout is not None and layout.lineCount() > lines:
            height = self._block_top(block) + layout.lineAt(lines).y() + document.documentMargin()
        return math.ceil(height + 2 * self.frameWidth())

    def _block_top(self, block: QTextBlock) -> float:
        return self.document().documentLayout().blockBoundingRect(block).top()

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self._height_for(self.max_lines))

    def minimumSizeHint(self) -> QSize:
        lines = None if self.max_lines is None else MIN_LINES
        return QSize(super().minimumSizeHint().width(), self._height_for(lines))

    def _clicked(self, url: QUrl) -> None:
        kind, _, value = url.toString().partition(":")
        if kind == "word" and value.isdigit() and int(value) < len(self.words):
            self.seek_requested.emit(float(self.words[int(value)]["start_s"]))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():  # the words wrap anew
            self.updateGeometry()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # the theme changed: recolour the words
            self._render()
