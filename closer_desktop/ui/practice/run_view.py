"""The interview run's page: the interviewer's cue in large type, which answer is being recorded,
the level meter, and the keys (Space ends the answer, H a hint, Esc ends the run). Renders
app/interview_run.py's signals; holds no logic. The line is not shown, as in the room there is
none, until the user asks for a hint: its first words, its key words, then the whole line."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from closer_desktop.app.interview_run import InterviewRun, RunAnswer
from closer_desktop.audio.levels import LevelMeter
from closer_desktop.domain import recall
from closer_desktop.domain.deck import Question
from closer_desktop.domain.practice import format_duration
from closer_desktop.ui.design import TYPE_QUESTION
from closer_desktop.ui.widgets.level_meter import LevelMeterWidget

POLL_MS = 30
# What the hint button offers next, by the level shown now (domain/recall.py's ladder).
NEXT_HINT = {
    recall.HIDDEN: "Stuck? Show the first words (H)",
    recall.FIRST_WORDS: "Show the key words (H)",
    recall.KEY_WORDS: "Show the whole line (H)",
    recall.WHOLE_LINE: "The whole line is shown",
}


class RunView(QWidget):
    """One cue and one answer at a time."""

    def __init__(self, run: InterviewRun, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.run = run
        self.meter = LevelMeter()
        self.progress_label = QLabel()
        self.progress_label.setObjectName("progressLabel")
        self.progress_label.setWordWrap(True)
        self.speaker_label = QLabel("The interviewer")
        self.speaker_label.setObjectName("stageLabel")
        self.cue_label = QLabel()
        self.cue_label.setObjectName("runCueLabel")
        self.cue_label.setWordWrap(True)
        self.cue_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.cue_label.setAccessibleName("The interviewer's cue")
        self.cue_label.setMinimumHeight(120)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 2.2)
        self.cue_label.setFont(font)
        self.state_label = QLabel()
        self.state_label.setObjectName("runStateLabel")
        self.state_label.setWordWrap(True)
        self.state_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.state_label.setAccessibleName("What the run is doing")
        self.hint_label = QLabel()  # the line, only as far as the user asked (H)
        self.hint_label.setObjectName("hintLabel")
        self.hint_label.setWordWrap(True)
        self.hint_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint_label.setAccessibleName("Hint")
        hint_font = QFont(self.font())
        hint_font.setPointSizeF(TYPE_QUESTION)  # the size the practice page gives a line
        self.hint_label.setFont(hint_font)
        self.hint_label.hide()
        self.hint_button = QPushButton(NEXT_HINT[recall.HIDDEN])
        self.hint_button.setAccessibleName("Hint")
        self.hint_button.setToolTip(
            "Show a little more of the line (H); the hint is kept with the take"
        )
        self.hint_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Space stays the run's key
        self.hint_button.clicked.connect(run.climb)
        self.level_meter = LevelMeterWidget()
        self.keys_hint = QLabel(
            "Space ends the answer now · H hint · Esc ends the run (the answer is kept)"
        )
        self.keys_hint.setObjectName("keysHint")
        self.keys_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(self.progress_label)
        layout.addStretch(1)
        layout.addWidget(self.speaker_label, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.cue_label)
        layout.addWidget(self.hint_label)
        layout.addWidget(self.hint_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addSpacing(12)
        layout.addWidget(self.state_label)
        layout.addWidget(self.level_meter)
        layout.addStretch(2)
        layout.addWidget(self.keys_hint)
        self._kept = ""  # the last answer's "kept" line, said again under the next cue
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._on_poll)
        run.cue_started.connect(self._show_cue)
        run.cue_shown.connect(self._show_cue_shown)
        run.answer_started.connect(self._show_answer_started)
        run.speech_started.connect(self._show_speech)
        run.answer_saved.connect(self._show_saved)
        run.hint_changed.connect(self._show_hint)
        run.finished.connect(lambda _: self._poll.stop())

    def _show_cue(self, index: int, question: Question, text: str) -> None:
        self.progress_label.setText(
            f"Interview run · question {index + 1} of {len(self.run.questions)} · "
            f"{question.stage_title}"
        )
        self.cue_label.setText(f"“{text}”")
        if index == 0:  # a new run: the last run's "kept" line is not this one's
            self._kept = ""
        self._say_during_cue("The interviewer speaks… your answer is recorded when they stop.")
        self.level_meter.set_reading(None)

    def _show_hint(self, level: int, text: str) -> None:
        self.hint_label.setText(text)
        self.hint_label.setVisible(level > recall.HIDDEN)
        self.hint_button.setText(NEXT_HINT[level])
        self.hint_button.setEnabled(level < recall.WHOLE_LINE)

    def _show_cue_shown(self, shown: bool) -> None:
        if shown:
            self._say_during_cue("No speech engine: read the cue. Recording starts in a moment.")

    def _say_during_cue(self, text: str) -> None:
        # The next cue follows a saved answer at once: its "kept" line stays in view until the
        # next answer starts, or the user would never see it.
        self.state_label.setText(f"{self._kept} {text}" if self._kept else text)

    def _show_answer_started(self, index: int) -> None:
        silence = self.run.controller.settings
        from closer_desktop import settings as S

        seconds = silence.get(S.END_OF_ANSWER_MS) / 1000
        self._kept = ""
        self.state_label.setText(
            f"● Recording your answer. It ends after {seconds:g} s of silence (or Space)."
        )
        self.meter.reset(time.monotonic())
        self._poll.start()

    def _show_speech(self, index: int, latency_s: float) -> None:
        self.state_label.setText(f"● Recording your answer · first word after {latency_s:.1f} s")

    def _show_saved(self, index: int, answer: RunAnswer) -> None:
        self._poll.stop()
        self.level_meter.set_reading(None)
        length = format_duration(answer.take.duration_s) if answer.take else "nothing recorded"
        self._kept = f"Answer {index + 1} kept ({length})."
        self.state_label.setText(self._kept)

    def _on_poll(self) -> None:
        reading = self.meter.update(self.run.recorder.take_levels(), time.monotonic())
        self.level_meter.set_reading(reading)
