"""The practice screen: the question card on top, the record area under it, then the review card
of the take shown (player, transcript, line check, ratings, feedback), and every take of this
question beside them. Renders PracticeController's signals; holds no logic.

Its structure is fixed: the parts are widgets of their own (question_card, record_area,
review_card) that keep their size when their words change, so nothing moves while the user
records, counts down or stops; the page scrolls as one, nothing inside it scrolls."""

from __future__ import annotations

import time
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from closer_desktop.app.memory import MemoryCard
from closer_desktop.app.microphones import MicrophoneStatus
from closer_desktop.app.practice import PracticeController
from closer_desktop.audio.levels import LevelMeter
from closer_desktop.domain.practice import Take, format_duration
from closer_desktop.domain.text import ratings_in_words
from closer_desktop.ui.design import SPACE_M, SPACE_S, SPACE_XS
from closer_desktop.ui.practice.question_card import QuestionCard
from closer_desktop.ui.practice.record_area import RecordArea
from closer_desktop.ui.practice.review_card import ReviewCard
from closer_desktop.ui.practice.typing_guard import TypingGuard
from closer_desktop.ui.widgets.feedback import FeedbackPanel
from closer_desktop.ui.widgets.line_check import LineCheckView
from closer_desktop.ui.widgets.rating import RatingPanel
from closer_desktop.ui.widgets.steady_button import SteadyButton
from closer_desktop.ui.widgets.take_player import TakePlayer
from closer_desktop.ui.widgets.waveform import PeaksSource
from closer_desktop.ui.widgets.wrapped_items import WrappedItems

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
        c = controller
        self.typing = TypingGuard(  # a letter typed outside the note field goes into it
            self,
            self.ratings.note,
            lambda: not c.is_recording and not c.countdown.active,
            lambda text: c.message.emit("info", text),
        )
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._on_poll)
        # The first paint already shows the line to say and the microphone check under way; the
        # controller repeats both when it starts (after that paint) and the library has opened.
        self._show_question(controller.index)
        self._show_microphone(controller.microphone)

    # Layout ------------------------------------------------------------------------------

    def _build(self) -> None:
        self.card = QuestionCard()  # on top: stage, cue, the line, the tip
        self.stage_label = self.card.stage_label
        self.progress_label = self.card.progress_label
        self.question_label = self.card.question_label
        self.hint_label = self.card.hint_label
        self.tip_label = self.card.tip_label

        self.record_area = RecordArea()  # one button that keeps its size, timer and meter
        area = self.record_area
        self.record_button = area.button
        self.timer_label = area.timer_label
        self.level_meter = area.level_meter
        self.level_text = area.level_text
        self.mic_label = area.mic_label

        c = self.controller
        self.take_player = TakePlayer(
            c.player, PeaksSource(c.files, c.data_dir), c.settings, transcript_scrolls=False
        )
        self.take_player.play_button.setToolTip("Play or pause the selected take (P)")
        self.play_button = self.take_player.play_button
        self.position_label = self.take_player.time_label
        self.ratings = RatingPanel()
        self.feedback = FeedbackPanel()  # delivery feedback, computed after each take
        self.line_check = LineCheckView()  # the take against the line, once transcribed
        self.review = ReviewCard(
            self.take_player, self.line_check, self.line_check.figure, self.ratings, self.feedback
        )

        self.prev_button = QPushButton("◀ Previous (B)")
        self.prev_button.setAccessibleName("Previous question")
        self.prev_button.setToolTip("Previous question (B or Left)")
        self.next_button = SteadyButton(("Next (N) ▶", "Finish ▶"))
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
        main_layout.setContentsMargins(SPACE_M, SPACE_S, SPACE_S, SPACE_S)
        main_layout.setSpacing(SPACE_S)
        main_layout.addWidget(self.card)
        main_layout.addWidget(self.record_area)
        main_layout.addWidget(self.review)
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
        WrappedItems(self.take_list)  # a narrow list wraps each take's lines, whole
        self.take_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(SPACE_XS, SPACE_S, SPACE_S, SPACE_S)
        side_layout.addWidget(self.takes_title)
        side_layout.addWidget(self.take_list, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitters = (self.splitter,)  # all of this page's, for ui/window_state.py
        self.scroller = scroller = QScrollArea()  # small windows scroll rather than squash
        scroller.setWidget(main)
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Always there: a page that outgrows the window once a take's review fills in would
        # otherwise gain the bar then and narrow every card under the user's eyes.
        scroller.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        scroller.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        left = QWidget()  # the navigation stays in view when the rest scrolls
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(scroller, 1)
        nav_row.setContentsMargins(SPACE_M, SPACE_XS, SPACE_S, SPACE_S)
        left_layout.addLayout(nav_row)
        self.splitter.addWidget(left)
        self.splitter.addWidget(side)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        side.setMinimumWidth(200)
        main.setMinimumWidth(420)
        self.splitter.setSizes([800, 260])
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
        c, memory = self.controller, self.memory
        queue = c.queue
        self.card.show_question(c.deck, queue, index, memory)
        self.keys_hint.setText(
            "Space record · H hint · P play · 1–5 rate · N next · B back"
            if memory.on
            else "Space record · P play · 1–5 rate · N next · B back"
        )
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
        self._show_caption()
        self._refresh_record_button()

    def _show_current_take(self, take: Take | None) -> None:
        self.ratings.show_take(take)
        self._show_caption()
        self.feedback.show_take(take.id if take is not None else None)
        self._line_check_take = take
        self._line_check_metrics = None
        self.line_check.clear("" if take is None else "The line check follows the transcript…")
        self.line_check.reserve_for("" if take is None else take.question_text)
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
            self.record_area.show_reading(None)
            self._update_poll_state()
            if self.controller.current_take is not None:  # the stray take set aside: its own
                self._show_timer(self.controller.current_take.duration_s)

    def _show_microphone(self, status: MicrophoneStatus) -> None:
        if status.available and status.chosen is not None:
            self.record_area.show_microphone(f"Microphone: {status.chosen.name}", "ok")
        else:
            level = "checking" if status.checking else "problem"
            self.record_area.show_microphone(self.controller.record_blocker or "", level)
        self._refresh_record_button()

    def _refresh_record_button(self) -> None:
        c, area = self.controller, self.record_area
        if c.countdown.active:
            area.show_countdown(c.countdown.left)
        elif c.is_recording:
            area.show_recording()
        else:
            area.show_idle(bool(c.takes), c.can_record, c.record_blocker)
        self.review.set_recording(c.countdown.active or c.is_recording)

    def _show_caption(self) -> None:
        """Which take the review card shows, or what to do when there is none."""
        take, takes = self.controller.current_take, self.controller.takes
        if take is None:
            self.review.show_caption("None yet: press Space, say the line, press Space again.")
        else:
            number = next((i for i, t in enumerate(takes, 1) if t.id == take.id), len(takes))
            when = take.recorded_at.strftime("%d %b, %H:%M")
            self.review.show_caption(f"Take {number} of {len(takes)} · {when}")

    def _show_playback(self, playing: bool) -> None:
        self.take_player.refresh()  # it polls the player while it plays

    def _update_poll_state(self) -> None:
        if self.controller.is_recording and not self._poll.isActive():
            self._poll.start()
        elif not self.controller.is_recording:
            self._poll.stop()
            self.take_player.refresh()

    def _show_timer(self, seconds: float) -> None:
        self.record_area.show_timer(seconds, self.controller.question.target_seconds)

    def _on_poll(self) -> None:
        c = self.controller
        if c.is_recording:
            reading = self.meter.update(c.recorder.take_levels(), time.monotonic())
            self.record_area.show_reading(reading)
            self._show_timer(c.recorder.elapsed_s)
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

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.typing.watch(self.window())  # the keys no field took reach the window

    def _take_selected(self, item: QListWidgetItem | None, _: QListWidgetItem | None) -> None:
        if item is not None:
            self.controller.question_takes.select(int(item.data(Qt.ItemDataRole.UserRole)))


def _describe_take(number: int, take: Take, reworded: bool = False) -> str:
    """'Take 2 · 0:12 · 06 Dec 2026, 10:50' over 'Professionalism 3, clarity 4' (and any marks
    and the note): words, not 'P 3 · C 4'."""
    this_year = take.recorded_at.year == datetime.now().year
    when = take.recorded_at.strftime("%d %b, %H:%M" if this_year else "%d %b %Y, %H:%M")
    ratings = ratings_in_words(take.professionalism, take.clarity)
    text = f"Take {number} · {format_duration(take.duration_s)} · {when}\n{ratings.capitalize()}"
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
