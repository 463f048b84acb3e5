"""The practice screen: the question, the record button with its meter and timer, the player, the
ratings and every take of this question. Renders PracticeController's signals; holds no logic."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from closer_desktop.app.memory import MemoryCard
from closer_desktop.app.microphones import MicrophoneStatus
from closer_desktop.app.practice import PracticeController
from closer_desktop.audio.levels import LevelMeter
from closer_desktop.domain.practice import RatingScale, Take, format_duration
from closer_desktop.domain.text import rating_pair
from closer_desktop.ui.theme import set_style_property
from closer_desktop.ui.widgets.feedback import FeedbackPanel
from closer_desktop.ui.widgets.level_meter import LevelMeterWidget
from closer_desktop.ui.widgets.line_check import LineCheckView
from closer_desktop.ui.widgets.rating import RatingPanel
from closer_desktop.ui.widgets.take_player import TakePlayer
from closer_desktop.ui.widgets.waveform import PeaksSource

if TYPE_CHECKING:
    from closer_desktop.analysis.line_check import LineMatch

POLL_MS = 30


class PracticeView(QWidget):
    """One question at a time; everything here is also reachable from the keyboard (see MainWindow)."""

    def __init__(self, controller: PracticeController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        # Before this page connects: a new question resets the hint level before it is shown.
        self.memory = MemoryCard(controller, self)
        self.meter = LevelMeter()
        self._build()
        self._connect()
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._on_poll)
        # The first paint already shows the line to say and the microphone check under way; the
        # controller repeats both when it starts (after that paint) and the library has opened.
        self._show_question(controller.index)
        self._show_microphone(controller.microphone)

    # Layout ------------------------------------------------------------------------------

    def _build(self) -> None:
        self.stage_label = QLabel()
        self.stage_label.setObjectName("stageLabel")
        self.stage_label.setWordWrap(True)
        self.progress_label = QLabel()
        self.progress_label.setObjectName("progressLabel")
        self.progress_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        header = QHBoxLayout()
        header.addWidget(self.stage_label, 1)
        header.addWidget(self.progress_label)

        self.question_label = QLabel()
        self.question_label.setObjectName("questionLabel")
        self.question_label.setWordWrap(True)
        self.question_label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
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

        self.record_button = QPushButton()
        self.record_button.setObjectName("recordButton")
        self.record_button.setMinimumHeight(44)
        self.record_button.setMinimumWidth(190)
        self.record_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.record_button.setAccessibleName("Record")
        self.timer_label = QLabel()
        self.timer_label.setObjectName("timerLabel")
        self.timer_label.setAccessibleName("Elapsed time against the target length")
        timer_font = QFont(self.font())
        timer_font.setPointSizeF(timer_font.pointSizeF() * 1.3)
        timer_font.setStyleHint(QFont.StyleHint.Monospace)
        self.timer_label.setFont(timer_font)
        record_row = QHBoxLayout()
        record_row.addWidget(self.record_button)
        record_row.addSpacing(12)
        record_row.addWidget(self.timer_label)
        record_row.addStretch(1)

        self.level_meter = LevelMeterWidget()
        self.level_text = QLabel()
        self.level_text.setObjectName("levelText")
        self.level_text.setAccessibleName("Input level as text")
        self.mic_label = QLabel()
        self.mic_label.setObjectName("micLabel")
        self.mic_label.setWordWrap(True)
        self.mic_label.setAccessibleName("Microphone status")

        c = self.controller
        self.take_player = TakePlayer(
            c.player, PeaksSource(c.files, c.data_dir), c.settings, compact=True
        )
        self.take_player.play_button.setToolTip("Play or pause the selected take (P)")
        self.play_button = self.take_player.play_button
        self.position_label = self.take_player.time_label

        self.ratings = RatingPanel()
        self.feedback = FeedbackPanel()  # delivery feedback, computed after each take
        self.line_check = LineCheckView()  # the take against the line, once transcribed
        feedback_row = QHBoxLayout()
        feedback_row.addWidget(self.feedback, 1)
        feedback_row.addWidget(self.line_check.figure, 0, Qt.AlignmentFlag.AlignTop)

        self.prev_button = QPushButton("◀ Previous (B)")
        self.prev_button.setAccessibleName("Previous question")
        self.prev_button.setToolTip("Previous question (B or Left)")
        self.next_button = QPushButton("Next (N) ▶")
        self.next_button.setAccessibleName("Next question")
        self.next_button.setToolTip("Next question (N or Right)")
        for button in (self.prev_button, self.next_button):
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.keys_hint = QLabel("Space record · P play · 1–5 rate · N next · B back")
        self.keys_hint.setObjectName("keysHint")
        self.keys_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        nav_row = QHBoxLayout()
        nav_row.addWidget(self.prev_button)
        nav_row.addWidget(self.keys_hint, 1)
        nav_row.addWidget(self.next_button)

        main = QWidget()
        main_layout = QVBoxLayout(main)
        main_layout.setContentsMargins(16, 12, 12, 12)
        main_layout.setSpacing(8)
        main_layout.addLayout(header)
        main_layout.addWidget(self.question_label)
        main_layout.addWidget(self.hint_label)
        main_layout.addWidget(self.tip_label)
        main_layout.addSpacing(4)
        main_layout.addLayout(record_row)
        main_layout.addWidget(self.level_meter)
        main_layout.addWidget(self.level_text)
        main_layout.addWidget(self.mic_label)
        main_layout.addWidget(_rule())
        main_layout.addWidget(self.take_player)
        main_layout.addWidget(self.line_check)
        main_layout.addWidget(self.ratings)
        main_layout.addLayout(feedback_row)
        main_layout.addStretch(1)

        self.takes_title = QLabel("Your takes of this question")
        self.takes_title.setObjectName("takesTitle")
        self.takes_title.setWordWrap(True)
        self.take_list = QListWidget()
        self.take_list.setObjectName("takeList")
        self.take_list.setAccessibleName("Takes of this question")
        self.take_list.setToolTip(
            "Every take of this question, from every session. Select one to play and rate it."
        )
        self.take_list.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.take_list.setWordWrap(True)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(8, 12, 12, 12)
        side_layout.addWidget(self.takes_title)
        side_layout.addWidget(self.take_list, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitters = (self.splitter,)  # all of this page's, for ui/window_state.py
        scroller = QScrollArea()  # at small sizes scroll rather than squash the controls
        scroller.setWidget(main)
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroller.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        left = QWidget()  # the navigation stays in view when the rest scrolls
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(scroller, 1)
        nav_row.setContentsMargins(16, 4, 12, 10)
        left_layout.addLayout(nav_row)
        self.splitter.addWidget(left)
        self.splitter.addWidget(side)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        side.setMinimumWidth(220)
        main.setMinimumWidth(440)
        self.splitter.setSizes([760, 300])
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.splitter)

    def _connect(self) -> None:
        c = self.controller
        c.question_changed.connect(self._show_question)
        c.takes_changed.connect(self._show_takes)
        c.current_take_changed.connect(self._show_current_take)
        c.rating_target_changed.connect(self.ratings.show_target)
        c.recording_changed.connect(self._show_recording)
        c.microphone_changed.connect(self._show_microphone)
        c.library.ready.connect(self._refresh_record_button)
        # The transcript view is left out of the first paint; made when the library is open, the
        # first take's stop does not pay for it either.
        c.library.ready.connect(lambda: QTimer.singleShot(0, self.take_player.prepare_transcript))
        c.playback_changed.connect(self._show_playback)
        c.countdown.ticked.connect(lambda _: self._refresh_record_button())
        self.record_button.clicked.connect(c.toggle_recording)
        self.take_player.play_clicked.connect(c.toggle_playback)
        self.prev_button.clicked.connect(c.previous_question)
        self.next_button.clicked.connect(c.next_question)
        self.ratings.rated.connect(c.rating.rate)
        self.ratings.targeted.connect(c.rating.set_target)
        self.ratings.note_edited.connect(c.question_takes.set_note)
        self.take_list.currentItemChanged.connect(self._take_selected)
        c.analysis.metrics_ready.connect(self.feedback.show_metrics)
        c.analysis.metrics_ready.connect(self._show_line_check)
        c.analysis.failed.connect(
            lambda take_id, _: self._line_check_note(take_id, "No line check: no transcript.")
        )
        self.memory.changed.connect(self._show_card)
        c.analysis.analysing.connect(self.feedback.show_analysing)
        c.analysis.failed.connect(self.feedback.show_failed)
        self.feedback.seek_requested.connect(self.take_player.seek)
        self.take_player.use_analyser(c.analysis)  # the transcript under the waveform

    # Rendering ------------------------------------------------------------------------------

    def _show_question(self, index: int) -> None:
        deck = self.controller.deck
        queue = self.controller.queue
        question = queue[index]
        stage_number = next(i for i, s in enumerate(deck.stages, 1) if s.id == question.stage_id)
        self.stage_label.setText(
            f"Stage {stage_number} of {len(deck.stages)} · {question.stage_title}"
        )
        self.progress_label.setText(f"Question {index + 1} of {len(queue)}")
        memory = self.memory
        if memory.line_hidden:
            cue = question.cue or "(no cue: the interviewer waits for you)"
            self.question_label.setText(f"Interviewer: “{cue}”" if question.cue else cue)
            self.question_label.setAccessibleName(f"Interviewer's cue: {cue}")
            hint = memory.hint_text(question)
            self.hint_label.setText(hint or "Say it from memory. Stuck? H for a hint.")
            self.hint_label.setAccessibleName("Hint")
            self.hint_label.show()
        else:
            self.question_label.setText(f"“{question.text}”")
            self.question_label.setAccessibleName(f"Question: {question.text}")
            self.hint_label.hide()
        self.keys_hint.setText(
            "Space record · H hint · P play · 1–5 rate · N next · B back"
            if memory.on
            else "Space record · P play · 1–5 rate · N next · B back"
        )
        self.tip_label.setText(question.tip)
        self.prev_button.setEnabled(index > 0)
        self.next_button.setText("Finish ▶" if index + 1 == len(queue) else "Next (N) ▶")
        self._show_timer(0.0)
        self._refresh_record_button()

    def _show_takes(self, takes: list[Take]) -> None:
        current = self.controller.current_take
        self.take_list.blockSignals(True)
        self.take_list.clear()
        wording = self.controller.question.text
        for number, take in enumerate(takes, start=1):
            reworded = take.question_text != wording
            item = QListWidgetItem(_describe_take(number, take, reworded))
            item.setData(Qt.ItemDataRole.UserRole, take.id)
            tip = take.note or "No note"
            if reworded:  # the question was edited since: say what this take answered
                tip = f"Answered an earlier wording: “{take.question_text}”\n{tip}"
            item.setToolTip(tip)
            self.take_list.insertItem(0, item)  # newest on top
            if current is not None and take.id == current.id:
                self.take_list.setCurrentItem(item)
        self.take_list.blockSignals(False)
        self.takes_title.setText(
            f"Your takes of this question ({len(takes)})"
            if takes
            else "No takes of this question yet"
        )
        self._refresh_record_button()

    def _show_current_take(self, take: Take | None) -> None:
        self.ratings.show_take(take)
        self.feedback.show_take(take.id if take is not None else None)
        self._line_check_take = take
        self._line_check_metrics = None
        self.line_check.clear("" if take is None else "The line check follows the transcript…")
        if take is None:
            self.take_player.show_take(None)
        else:
            self.take_player.show_take(
                self.controller.data_dir / take.audio_path,
                take.duration_s,
                take.audio_missing,
                take_id=take.id,
            )
            self.controller.analysis.request(take)  # stored, or computed in the background
        if take is not None:
            self._show_timer(take.duration_s)
            for row in range(self.take_list.count()):
                item = self.take_list.item(row)
                if item.data(Qt.ItemDataRole.UserRole) == take.id:
                    self.take_list.blockSignals(True)
                    self.take_list.setCurrentItem(item)
                    self.take_list.blockSignals(False)

    def _show_recording(self, recording: bool) -> None:
        self._refresh_record_button()
        self.take_list.setEnabled(not recording)
        if recording:
            self.meter.reset(time.monotonic())
            self._poll.start()
        else:
            self.level_meter.set_reading(None)
            self.level_text.clear()
            self._update_poll_state()

    def _show_microphone(self, status: MicrophoneStatus) -> None:
        if status.available and status.chosen is not None:
            self.mic_label.setText(f"Microphone: {status.chosen.name}")
            set_style_property(self.mic_label, "level", "ok")
        else:
            self.mic_label.setText(self.controller.record_blocker or "")
            level = "checking" if status.checking else "problem"
            set_style_property(self.mic_label, "level", level)
        self._refresh_record_button()

    def _refresh_record_button(self) -> None:
        c = self.controller
        if c.countdown.active:
            self.record_button.setText(f"Recording in {c.countdown.left}… (Space cancels)")
            self.record_button.setToolTip("The take starts when the count reaches zero")
            self.record_button.setAccessibleName(f"Cancel the countdown, {c.countdown.left}")
        elif c.is_recording:
            self.record_button.setText("■ Stop (Space)")
            self.record_button.setToolTip("Stop recording and keep the take (Space)")
            self.record_button.setAccessibleName("Stop recording")
        else:
            again = bool(c.takes)
            self.record_button.setText("● Record again (Space)" if again else "● Record (Space)")
            self.record_button.setToolTip(
                c.record_blocker or "Record a new take (Space). Earlier takes are kept."
            )
            self.record_button.setAccessibleName("Record again" if again else "Record")
        self.record_button.setEnabled(c.is_recording or c.can_record)
        set_style_property(self.record_button, "recording", c.countdown.active or c.is_recording)

    def _show_playback(self, playing: bool) -> None:
        self.take_player.refresh()  # it polls the player while it plays

    def _update_poll_state(self) -> None:
        if self.controller.is_recording and not self._poll.isActive():
            self._poll.start()
        elif not self.controller.is_recording:
            self._poll.stop()
            self.take_player.refresh()

    def _show_timer(self, seconds: float) -> None:
        target = self.controller.question.target_seconds
        self.timer_label.setText(f"{format_duration(seconds)} / target {format_duration(target)}")
        over = seconds > target * 1.5
        if self.timer_label.property("over") != over:
            set_style_property(self.timer_label, "over", over)

    def _on_poll(self) -> None:
        c = self.controller
        if c.is_recording:
            reading = self.meter.update(c.recorder.take_levels(), time.monotonic())
            self.level_meter.set_reading(reading)
            self._show_timer(c.recorder.elapsed_s)
            warning = ""
            if reading.clipping:
                warning = "⚠ Too loud: the input is clipping. Move back from the microphone."
            elif reading.silent:
                warning = "⚠ No sound for 3 seconds. Is the right microphone selected and unmuted?"
            self.level_text.setText(warning or LevelMeterWidget.describe(reading))
            set_style_property(self.level_text, "warning", bool(warning))
        if not c.is_recording:
            self._update_poll_state()

    _line_check_take: Take | None = None
    _line_check_metrics: dict[str, object] | None = None

    def _show_card(self) -> None:
        """From memory: the mode, the hint level or the reveal changed."""
        self._show_question(self.controller.index)
        take, metrics = self._line_check_take, self._line_check_metrics
        if take is not None and metrics is not None:
            self._show_line_check(take.id, metrics)

    def _show_line_check(self, take_id: int, metrics: dict[str, object]) -> None:
        """Every take, every mode: the transcript against the wording the take answered."""
        take = self._line_check_take
        if take is None or take.id != take_id:
            return
        self._line_check_metrics = dict(metrics)

        def checked(match: LineMatch | None) -> None:
            if self._line_check_take is not take:
                return  # another take is shown by now
            note = "" if match is not None else "No line check: the take has no transcript."
            self.line_check.show_match(match, take.question_text, note)
            if self.memory.line_hidden:  # an earlier take's check would give the line away
                self.line_check.line.setText("(the line shows after your take)")
                self.line_check.added.hide()

        self.memory.check_later(take, dict(metrics), checked)

    def _line_check_note(self, take_id: int, note: str) -> None:
        take = self._line_check_take
        if take is not None and take.id == take_id:
            self.line_check.clear(note)

    # User input -----------------------------------------------------------------------------

    def _take_selected(self, item: QListWidgetItem | None, _: QListWidgetItem | None) -> None:
        if item is not None:
            self.controller.question_takes.select(int(item.data(Qt.ItemDataRole.UserRole)))


def _describe_take(number: int, take: Take, reworded: bool = False) -> str:
    when = take.recorded_at.strftime("%d %b %Y, %H:%M")
    ratings = rating_pair(
        take.rating(RatingScale.PROFESSIONALISM), take.rating(RatingScale.CLARITY)
    )
    text = f"Take {number} · {format_duration(take.duration_s)} · {ratings}\n{when}"
    if take.recovered:
        text += " · recovered"
    if take.audio_missing:
        text += " · audio file missing"
    if reworded:
        text += " · earlier wording"
    if take.note:
        note = take.note if len(take.note) <= 40 else take.note[:39] + "…"
        text += f"\n“{note}”"
    return text


def _rule() -> QFrame:
    line = QFrame()
    line.setFrameShape(QFrame.Shape.HLine)
    line.setFrameShadow(QFrame.Shadow.Sunken)
    return line
