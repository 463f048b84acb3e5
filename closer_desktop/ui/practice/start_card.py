"""What the first paint shows: the practice page's question card, before the page itself exists.

The practice page needs the practice controller and its parts (the library service, the
microphones, the recorder, the player, the take analyser) and a dozen widget modules; importing
and building all of that before the window reaches the screen made every start wait for parts
nobody can use in the first tenth of a second. So the window first shows this card: the deck's
first line, its stage and tip, the Record button (off: the microphone check has not begun) and
the takes column, laid out as the practice page lays them out, from the deck and the settings
alone. Its words are the page's own (a change there is one here too). The main window replaces it with the real page on the event-loop turn after that paint
(ui/main_window.py `finish_start_up`), or at once when anything needs the page sooner (a key).

Only QtWidgets and QtGui are used here, and nothing of Closer's but the deck and the settings:
tests/e2e/test_startup_imports.py keeps the rest out of the first paint.
"""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from closer_desktop.domain.deck import Deck, Question
from closer_desktop.ui.design import SPACE_M, SPACE_S, SPACE_XS, TYPE_DISPLAY, TYPE_QUESTION

LOOKING = "Looking for a microphone…"
MEMORY_PROMPT = "Say it from memory. Stuck? H for a hint."


def card_line(question: Question, line_hidden: bool) -> tuple[str, str]:
    """The card's big line and its accessible name: the line to say, or from memory the
    interviewer's cue (the line itself stays hidden)."""
    if not line_hidden:
        return f"“{question.text}”", f"Question: {question.text}"
    cue = question.cue or "(no cue: the interviewer waits for you)"
    return (f"Interviewer: “{cue}”" if question.cue else cue), f"Interviewer's cue: {cue}"


def stage_line(deck: Deck, question: Question) -> str:
    number = next(i for i, s in enumerate(deck.stages, 1) if s.id == question.stage_id)
    return f"Stage {number} of {len(deck.stages)} · {question.stage_title}"


def timer_text(seconds: float) -> str:
    """m:ss, as domain/practice.py format_duration writes it (not imported for one string: the
    practice rules load with the page)."""
    whole = max(0, int(seconds + 0.5))
    return f"{whole // 60}:{whole % 60:02d}"


class StartCard(QWidget):
    """The practice page's first question, its Record button and its takes column, inert.

    Laid out with the page's margins and frames (ui/practice/view.py: the question card, the
    record area), so that the page, when it takes the card's place, grows under the line rather
    than moving it."""

    def __init__(self, deck: Deck, from_memory: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        question = deck.questions[0]
        self.stage_label = QLabel(stage_line(deck, question))
        self.stage_label.setObjectName("stageLabel")
        self.stage_label.setWordWrap(True)
        self.progress_label = QLabel(f"Question 1 of {len(deck.questions)}")
        self.progress_label.setObjectName("progressLabel")
        header = QHBoxLayout()
        header.addWidget(self.stage_label, 1)
        header.addWidget(self.progress_label)

        text, name = card_line(question, from_memory)
        cue = f"Interviewer: “{question.cue}”" if question.cue and not from_memory else ""
        self.cue_label = QLabel(cue)
        self.cue_label.setObjectName("cueLabel")
        self.cue_label.setWordWrap(True)
        self.question_label = QLabel(text)
        self.question_label.setObjectName("questionLabel")
        self.question_label.setAccessibleName(name)
        self.question_label.setWordWrap(True)
        font = QFont(self.font())
        font.setPointSizeF(TYPE_QUESTION)
        self.question_label.setFont(font)
        self.hint_label = QLabel(MEMORY_PROMPT)
        self.hint_label.setObjectName("hintLabel")
        self.hint_label.setWordWrap(True)
        self.hint_label.setFont(font)
        self.hint_label.setVisible(from_memory)
        self.tip_label = QLabel(question.tip)
        self.tip_label.setObjectName("tipLabel")
        self.tip_label.setWordWrap(True)
        card = QFrame()
        card.setObjectName("questionCard")
        card_column = QVBoxLayout(card)
        card_column.setContentsMargins(SPACE_S, SPACE_S, SPACE_S, SPACE_S)
        card_column.setSpacing(SPACE_XS)
        card_column.addLayout(header)
        card_column.addWidget(self.cue_label)
        card_column.addWidget(self.question_label)
        card_column.addWidget(self.hint_label)
        card_column.addWidget(self.tip_label)

        self.record_button = QPushButton("● Record")
        self.record_button.setObjectName("recordButton")
        self.record_button.setMinimumHeight(44)
        self.record_button.setEnabled(False)
        self.record_button.setToolTip(LOOKING)
        target = QLabel(f"Target {timer_text(question.target_seconds)}")
        target.setObjectName("recordState")
        self.timer_label = QLabel("0:00")
        self.timer_label.setObjectName("timerLabel")
        timer_font = QFont(self.font())
        timer_font.setPointSizeF(TYPE_DISPLAY)
        self.timer_label.setFont(timer_font)
        readout = QVBoxLayout()
        readout.setSpacing(0)
        readout.addWidget(target)
        readout.addWidget(self.timer_label)
        self.mic_label = QLabel(LOOKING)
        self.mic_label.setObjectName("micLabel")
        self.mic_label.setWordWrap(True)
        self.mic_label.setProperty("level", "checking")
        record_area = QFrame()
        record_area.setObjectName("recordArea")
        record_row = QHBoxLayout(record_area)
        record_row.setContentsMargins(SPACE_S, SPACE_S, SPACE_S, SPACE_S)
        record_row.setSpacing(SPACE_S)
        record_row.addWidget(self.record_button)
        record_row.addLayout(readout)
        record_row.addWidget(self.mic_label, 1)

        main = QWidget()
        column = QVBoxLayout(main)
        column.setContentsMargins(SPACE_M, SPACE_S, SPACE_S, SPACE_S)  # the page's
        column.setSpacing(SPACE_S)
        column.addWidget(card)
        column.addWidget(record_area)
        column.addStretch(1)

        self.takes_title = QLabel("Your takes of this question")
        self.takes_title.setObjectName("takesTitle")
        self.takes_title.setWordWrap(True)
        take_list = QListWidget()
        take_list.setObjectName("takeList")
        side = QWidget()
        side_column = QVBoxLayout(side)
        side_column.setContentsMargins(SPACE_XS, SPACE_S, SPACE_S, SPACE_S)
        side_column.addWidget(self.takes_title)
        side_column.addWidget(take_list, 1)
        side.setMinimumWidth(200)
        main.setMinimumWidth(420)
        previous = QPushButton("◀ Previous (B)")
        previous.setEnabled(False)
        hint_key = "H hint · " if from_memory else ""
        self.keys_hint = QLabel(f"Space record · {hint_key}P play · 1–5 rate · N next · B back")
        self.keys_hint.setObjectName("keysHint")
        self.next_button = following = QPushButton("Next (N) ▶")  # the window connects it
        nav_row = QHBoxLayout()
        nav_row.setContentsMargins(SPACE_M, SPACE_XS, SPACE_S, SPACE_S)
        nav_row.addWidget(previous)
        nav_row.addStretch(1)
        nav_row.addWidget(self.keys_hint)
        nav_row.addStretch(1)
        nav_row.addWidget(following)
        left = QWidget()
        left_column = QVBoxLayout(left)
        left_column.setContentsMargins(0, 0, 0, 0)
        left_column.addWidget(main, 1)
        left_column.addLayout(nav_row)

        splitter = QSplitter()  # horizontal, as the page's
        splitter.addWidget(left)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([800, 260])
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(splitter)
