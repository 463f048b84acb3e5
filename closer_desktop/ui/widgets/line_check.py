"""The line check of a take: the line as the deck writes it, marked with what was said.

Missed words are struck through, a changed word is struck through with what was said beside it,
and words said beyond the line are set apart below it, then one plain sentence
(LineMatch.summary()). The figure ("line match 86 %") is a label of its own, which the page puts
beside the delivery feedback. The widget keeps the room of the take's line (`reserve_for`), its
summary and additions whether or not a check is shown, so the page does not jump when the transcript
arrives nor from take to take of a question; it keeps no blank lines beyond those.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QRect, QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from closer_desktop.ui.design import LIGHT, SPACE_S, Palette
from closer_desktop.ui.theme import tokens_for

if TYPE_CHECKING:
    from closer_desktop.analysis.line_check import LineMatch

SUMMARY_SHARE = 0.7  # of the widget's width, the summary's at most beside the additions
SPACING = 2  # px between the title, the line and the summary
WEAK_BELOW = 0.8  # domain/scheduler.py's RECALLED_AT
RESERVED_LINES = 2  # before a take's line is known (reserve_for): one line, and the summary


class LineCheckView(QWidget):
    """Shows one take's LineMatch (or why there is none yet)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.match: LineMatch | None = None
        self._line = ""  # the line `match` was checked against, to mark again in new colours
        self.title = QLabel("Line check")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.line = QLabel()
        self.line.setObjectName("lineCheckLine")
        self.line.setWordWrap(True)
        self.line.setTextFormat(Qt.TextFormat.RichText)
        self.line.setAccessibleName("The line, as said")
        self.line.setToolTip(
            "Struck through: missed. Struck through with a word beside it: said that instead."
        )
        self.added = QLabel()
        self.added.setWordWrap(True)
        self.added.setAccessibleName("Words added to the line")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Line check summary")
        self.figure = QLabel()  # placed by the page, beside the delivery feedback
        self.figure.setObjectName("lineMatchFigure")
        self.figure.setAccessibleName("Line match")
        self.figure.setToolTip("The share of the line's meaningful words said, in order")
        self.figure.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(SPACING)
        for widget in (self.title, self.line):
            layout.addWidget(widget)
        # The summary and the additions share a line: some takes add words and some do not,
        # and a line of its own for them would come and go from take to take.
        below = QHBoxLayout()
        below.setContentsMargins(0, 0, 0, 0)
        below.setSpacing(SPACE_S)
        below.addWidget(self.summary)
        below.addWidget(self.added, 1)
        layout.addLayout(below)
        layout.addStretch(1)
        self._reserved_line = ""
        self.clear()
        self._keep_room()

    def reserve_for(self, line: str) -> None:
        """Keep the room `line` (the wording the shown take answered) takes at this width,
        before its check arrives, so the check fills the room rather than pushing the page."""
        self._reserved_line = line
        self._keep_room()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._keep_room()
            self._fit_summary()

    def sizeHint(self) -> QSize:
        # A box's hint wraps the summary at a width of Qt's guessing, a line or two taller than
        # at the width the page gives: the height the texts take at this width instead.
        hint = super().sizeHint()
        layout = self.layout()
        if layout is not None and self.width() > 0:
            hint.setHeight(max(self.minimumHeight(), layout.totalHeightForWidth(self.width())))
        return hint

    def _fit_summary(self) -> None:
        """Beside the additions, the summary keeps the width of its sentence (Qt would wrap it
        at a width of its guessing), up to SUMMARY_SHARE of the widget; alone, all of it."""
        width = 0
        if self.added.isVisibleTo(self):
            advance = self.summary.fontMetrics().horizontalAdvance(self.summary.text())
            width = min(advance + 2, int(self.width() * SUMMARY_SHARE))
        self.summary.setMinimumWidth(width)

    def _keep_room(self) -> None:
        lines = self.line.fontMetrics()
        if self._reserved_line and self.width() > 0:
            bound = QRect(0, 0, self.width(), 1 << 20)
            wrap = Qt.TextFlag.TextWordWrap
            line = lines.boundingRect(bound, int(wrap), self._reserved_line).height()
        else:
            line = lines.lineSpacing() * (RESERVED_LINES - 1)
        title = self.title.fontMetrics().height()
        summary = self.summary.fontMetrics().lineSpacing()
        self.setMinimumHeight(title + line + summary + 2 * SPACING)

    def clear(self, note: str = "") -> None:
        """No check to show: `note` says why ("Waiting for the transcript…"), or nothing."""
        self.match = None
        self.title.setText("Line check" if note else "")  # no take: no orphan heading
        self.line.clear()
        self.added.clear()
        self.added.hide()
        self.summary.setText(note)
        self.figure.clear()
        self._fit_summary()

    def show_match(self, match: LineMatch | None, line: str, note: str = "") -> None:
        """The check of a take against `line` (the wording it answered); None: `note` instead."""
        if match is None:
            self.clear(note)
            self.line.setText(html.escape(line))
            return
        self.match = match
        self.title.setText("Line check")
        if match.different:  # the alignment with another question marks every word: noise
            self.line.setText(html.escape(line))
            self.line.setAccessibleDescription(line)
            self.added.clear()
            self.added.hide()
            self.summary.setText(match.summary())
            self._fit_summary()
            self.figure.setText("Line match: another line")
            self._bold_figure(True)
            return
        self._line = line
        self.line.setText(marked_line(match, line, tokens_for(self.palette())))
        self.line.setAccessibleDescription(plain_line(match, line))
        added = [html.escape(w) for w in match.added]
        self.added.setText(("Added: " + ", ".join(f"<i>{w}</i>" for w in added)) if added else "")
        self.added.setVisible(bool(added))  # on the summary's line: nothing below moves
        self.summary.setText(match.summary())
        self._fit_summary()
        self.figure.setText(f"Line match {round(match.score * 100)} %")
        self._bold_figure(match.score < WEAK_BELOW or bool(match.key_missed))

    def changeEvent(self, event: QEvent) -> None:
        """A theme switch marks the line again in the new theme's colours."""
        super().changeEvent(event)
        match = self.match
        if event.type() == QEvent.Type.PaletteChange and match is not None and not match.different:
            self.line.setText(marked_line(match, self._line, tokens_for(self.palette())))

    def _bold_figure(self, weak: bool) -> None:
        """A weak recall (the scheduler's rule: under 0.8, or a key phrase left out) stands out."""
        font = self.figure.font()
        font.setBold(weak)
        self.figure.setFont(font)


def marked_line(match: LineMatch, line: str, colours: Palette = LIGHT) -> str:
    """The line as written in the deck, as rich text: missed words struck through, a changed
    word struck through with what was said after it (its punctuation kept outside the marks).
    Without an alignment to lay on it (a check read back from storage), the line as written.
    Colours from the theme's tokens (AA on its window)."""
    from closer_desktop.analysis.line_check import line_tokens

    tokens = line_tokens(match, line)
    if tokens is None:
        return html.escape(line)
    missed, changed = colours.work, colours.accent
    out = []
    for token in tokens:
        if token.kind in ("said", "plain"):
            out.append(html.escape(token.text))
            continue
        lead, core, trail = (html.escape(p) for p in _split_punctuation(token.text))
        struck = f'<span style="color:{missed}"><s>{core}</s></span>'
        if token.kind == "changed":
            said = html.escape(_cased_like(token.said, core))
            struck += f' <b style="color:{changed}">{said}</b>'
        out.append(lead + struck + trail)
    return " ".join(out)


def plain_line(match: LineMatch, line: str) -> str:
    """The same for a screen reader: "missed: X", "said Y for X"."""
    from closer_desktop.analysis.line_check import line_tokens

    tokens = line_tokens(match, line)
    if tokens is None:
        return line
    words = []
    for token in tokens:
        lead, core, trail = _split_punctuation(token.text)
        if token.kind == "missed":
            words.append(f"{lead}(missed: {core}){trail}")
        elif token.kind == "changed":
            words.append(f"{lead}(said {_cased_like(token.said, core)} for {core}){trail}")
        else:
            words.append(token.text)
    return " ".join(words)


def _cased_like(said: str, written: str) -> str:
    """What was said (compared in lower case) with the capital of the word it stands for, so
    "May" said as "could" reads "Could" at the start of the line; "I" is always a capital."""
    said = re.sub(r"\bi\b", "I", said)
    return said[:1].upper() + said[1:] if written[:1].isupper() else said


def _split_punctuation(word: str) -> tuple[str, str, str]:
    """A written word's leading punctuation, the word, its trailing punctuation ("looking?”")."""
    found = re.match(r"^(\W*)(.*?)(\W*)$", word)
    assert found is not None  # the pattern matches any text
    lead, core, trail = found.groups()
    return (lead, core, trail) if core else ("", word, "")
