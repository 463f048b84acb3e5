"""The practice page's question card: the stage, the interviewer's cue as their line, the line to
say (or, from memory, the cue and a hint), and the tip.

On top of the page and apart from the record area, so a long question grows the card downwards
and nothing beside it shifts when the record button's label changes.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from closer_desktop.app.memory import MemoryCard
from closer_desktop.domain.deck import Deck, Question
from closer_desktop.ui.design import SPACE_S, SPACE_XS, TYPE_QUESTION

# Lines kept for the line and the tip before the deck is known or the card has a width; after
# that the card keeps the room of the deck's longest line and tip at its width, so the record
# area under it stays where it was from one question to the next without blank lines of its own.
QUESTION_LINES = 3
TIP_LINES = 2
MEASURED_FROM = 200  # px of width: narrower, the card is not laid out yet (the page's is 420)


class QuestionCard(QFrame):
    """Shows one question of the queue; `show` says which."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("questionCard")
        self.stage_label = QLabel()
        self.stage_label.setObjectName("stageLabel")
        self.stage_label.setWordWrap(True)
        self.progress_label = QLabel()
        self.progress_label.setObjectName("progressLabel")
        self.progress_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        header = QHBoxLayout()
        header.addWidget(self.stage_label, 1)
        header.addWidget(self.progress_label)

        self.cue_label = QLabel()  # the interviewer's line, before yours
        self.cue_label.setObjectName("cueLabel")
        self.cue_label.setWordWrap(True)
        self.cue_label.setAccessibleName("The interviewer's cue")
        self.question_label = QLabel()
        self.question_label.setObjectName("questionLabel")
        self.question_label.setWordWrap(True)
        self.question_label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        font = QFont(self.font())
        font.setPointSizeF(TYPE_QUESTION)
        self.question_label.setFont(font)
        self.question_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.hint_label = QLabel()  # from memory: the hint ladder's step (H climbs it)
        self.hint_label.setObjectName("hintLabel")
        self.hint_label.setWordWrap(True)
        self.hint_label.setAccessibleName("Hint")
        self.hint_label.setFont(font)
        self.hint_label.hide()
        self.tip_label = QLabel()
        self.tip_label.setObjectName("tipLabel")
        self.tip_label.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(SPACE_S, SPACE_S, SPACE_S, SPACE_S)
        layout.setSpacing(SPACE_XS)
        layout.addLayout(header)
        layout.addWidget(self.cue_label)
        layout.addWidget(self.question_label)
        layout.addWidget(self.hint_label)
        layout.addWidget(self.tip_label)
        # Every text the line and the tip can show in this deck (see _keep_room).
        self._deck_lines: tuple[str, ...] = ()
        self._deck_tips: tuple[str, ...] = ()
        self._deck: Deck | None = None

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._keep_room()  # a new width wraps the deck's lines anew

    def event(self, event: QEvent) -> bool:
        # The room kept depends on the font and padding the style sheet gives: measured again
        # whenever the style changes (the theme is applied after the card is built).
        if event.type() in (QEvent.Type.StyleChange, QEvent.Type.Polish, QEvent.Type.FontChange):
            self._keep_room()
        return super().event(event)

    def _keep_room(self) -> None:
        layout = self.layout()
        margins = layout.contentsMargins() if layout is not None else None
        width = self.contentsRect().width() - (margins.left() + margins.right() if margins else 0)
        known = bool(self._deck_lines) and width >= MEASURED_FROM
        for label, lines, texts in (
            (self.cue_label, 1, ()),
            (self.question_label, QUESTION_LINES, self._deck_lines if known else ()),
            (self.tip_label, TIP_LINES, self._deck_tips if known else ()),
        ):
            label.ensurePolished()
            text = label.text()
            label.setMinimumHeight(0)
            if texts:  # the tallest of the deck's texts at this width, with the label's padding
                tallest = 0
                for candidate in texts:
                    label.setText(candidate)
                    tallest = max(tallest, label.heightForWidth(width))
                label.setMinimumHeight(tallest)
            else:
                # Measured on lines of "Ág“”" (tall letters and the quotation marks, which may
                # come from a fallback font with a taller line), with the label's own padding.
                label.setText("\n".join(["Ág“”"] * lines))
                label.setMinimumHeight(label.sizeHint().height())
            label.setText(text)
            label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)

    def show_question(
        self, deck: Deck, queue: list[Question], index: int, memory: MemoryCard
    ) -> None:
        question = queue[index]
        if deck is not self._deck:
            self._deck = deck
            self._deck_lines = tuple(
                text
                for q in deck.questions
                for text in (
                    f"“{q.text}”",
                    f"Interviewer: “{q.cue}”"
                    if q.cue
                    else "(no cue: the interviewer waits for you)",
                )
            )
            self._deck_tips = tuple(q.tip for q in deck.questions)
            self._keep_room()
        stage_number = next(i for i, s in enumerate(deck.stages, 1) if s.id == question.stage_id)
        self.stage_label.setText(
            f"Stage {stage_number} of {len(deck.stages)} · {question.stage_title}"
        )
        self.progress_label.setText(f"Question {index + 1} of {len(queue)}")
        if memory.line_hidden:
            cue = question.cue or "(no cue: the interviewer waits for you)"
            self.cue_label.setText("")  # the cue is the big line now: what you answer
            self.question_label.setText(f"Interviewer: “{cue}”" if question.cue else cue)
            self.question_label.setAccessibleName(f"Interviewer's cue: {cue}")
            hint = memory.hint_text(question)
            self.hint_label.setText(hint or "Say it from memory. Stuck? H for a hint.")
            self.hint_label.show()
        else:
            self.cue_label.setText(f"Interviewer: “{question.cue}”" if question.cue else "")
            self.question_label.setText(f"“{question.text}”")
            self.question_label.setAccessibleName(f"Question: {question.text}")
            self.hint_label.hide()
        self.tip_label.setText(question.tip)
