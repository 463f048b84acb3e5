"""The interview run: the chosen questions as a conversation, hands-free (Practice > Interview run).

For each question the interviewer's cue is spoken (app/cue.py; without a speech engine the page
shows it in large type for CUE_SHOWN_S), and when it ends recording starts by itself. The answer
ends by itself: audio/end_of_turn.TurnDetector listens to the recorder's blocks on the writer
thread and this object polls its events on the GUI thread; after the silence setting
(END_OF_ANSWER_MS) following speech, or at the maximum length (twice the target, at least
MIN_MAX_S), the take is saved and the next cue follows. Space ends the answer at once, Esc ends
the run (the answer in progress is kept).

The line is hidden, as in the room; a user who is stuck climbs the hint ladder of
domain/recall.py (H, as in from-memory practice), one step per press, and the level reached is
stored with the answer's take as from-memory practice stores it. Each question starts hidden.

Each answer is an ordinary take (mode "run") with its response latency: from the end of the cue
to the detector's start of speech. It is recorded by the practice controller's Recording
(app/recording.py), the app's one recorder and one path for a take's life: reserved before any
sound exists, so a crash keeps it, and a full disk or a microphone gone handled as for any take.
The run is one session. No widgets here: ui/practice/run_view.py and debrief.py render it.
"""

from __future__ import annotations

import logging
import queue
import time
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from closer_desktop import settings as S
from closer_desktop.app import operations as ops
from closer_desktop.domain import recall

if TYPE_CHECKING:
    from closer_desktop.app.cue import CueSpeaker
    from closer_desktop.app.practice import PracticeController
    from closer_desktop.audio.end_of_turn import TurnDetector, TurnEvent
    from closer_desktop.audio.recorder import Recorder
    from closer_desktop.domain.deck import Question
    from closer_desktop.domain.practice import Take

log = logging.getLogger(__name__)

ECHO_TAIL_S = 0.3  # a start of speech this soon after recording starts is the cue's echo
MIN_MAX_S = 30.0  # an answer may always run this long
CUE_SHOWN_S = 2.5  # without a speech engine, the cue is shown this long before recording
CUE_START_TIMEOUT_S = 6.0  # a speech engine that has not started speaking by now: shown instead
POLL_MS = 20
NO_CUE = "Go ahead."  # what the interviewer says before a line the deck gives no cue for


def max_answer_s(question: Question, at_least_s: float = MIN_MAX_S) -> float:
    """The longest an answer runs before it is ended for the user: twice the target, and never
    less than `at_least_s`."""
    return max(2.0 * question.target_seconds, at_least_s)


@dataclass
class RunAnswer:
    """One answer of a run: its take (None when nothing was recorded), the latency (None when
    no speech was heard), and what ended it: "silence", "max_length", "space", "esc",
    "no_answer", or "error" (the recording ended by itself; the run ends with it)."""

    question: Question
    take: Take | None
    latency_s: float | None
    ended_by: str


@dataclass
class RunResult:
    """A whole run, for the debrief."""

    session_id: int | None
    answers: list[RunAnswer] = field(default_factory=list)
    total_s: float = 0.0  # the whole close: first cue to the last answer's end


class InterviewRun(QObject):
    """Plays the questions as a conversation and records each answer (see the module docstring).

    Signals:
        cue_started(int, object, str): index, Question, the cue's text (spoken or to show).
        cue_shown(bool): no speech engine: the page shows the cue in large type (True) until
            the answer starts (False).
        answer_started(int): recording of answer `index` has begun.
        speech_started(int, float): the detector heard the answer start (latency in seconds).
        answer_saved(int, object): answer `index`'s RunAnswer, its take saved.
        hint_changed(int, str): the hint level of the current question and what it shows of
            the line ("" while hidden).
        finished(object): the RunResult, after the last answer or Esc.
        message(str, str): (level, text) for the status area.
    """

    cue_started = Signal(int, object, str)
    cue_shown = Signal(bool)
    answer_started = Signal(int)
    speech_started = Signal(int, float)
    answer_saved = Signal(int, object)
    hint_changed = Signal(int, str)
    finished = Signal(object)
    message = Signal(str, str)

    def __init__(
        self,
        controller: PracticeController,
        speaker: CueSpeaker | None = None,
        parent: QObject | None = None,
        cue_shown_s: float = CUE_SHOWN_S,
        min_max_s: float = MIN_MAX_S,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.speaker = speaker
        self.cue_shown_s = cue_shown_s
        self.min_max_s = min_max_s  # an answer's maximum is never shorter (max_answer_s)
        self.hint_level = recall.HIDDEN  # the current question's step of the hint ladder
        self.active = False
        self.recording = False  # the recorder runs for the current answer
        self.index = 0
        self.questions: list[Question] = []
        self.result = RunResult(None)
        self._takes = controller.recording  # the app's one recorder and one life of a take
        self._takes.changed.connect(self._on_recording_changed)
        self._takes.session_started.connect(self._on_session_started)
        self._takes.ended.connect(self._on_answer_ended)
        self._events: queue.SimpleQueue[TurnEvent] = queue.SimpleQueue()
        self._detector: TurnDetector | None = None
        self._fed_s = 0.0  # audio the detectors have been given this answer (writer thread)
        self._offset_s = 0.0  # where the current detector's clock starts (writer thread)
        self._answering = False  # from the answer's start (its reservation) until it has ended
        self._cue_ended_at = 0.0
        self._started_at = 0.0
        self._latency: float | None = None
        self._ended_by = ""
        self._stop_after = False
        self._cue_token = 0  # a stale cue timer or speech signal is ignored
        self._cue_speaking = False
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._on_poll)
        self._no_answer = QTimer(self)
        self._no_answer.setSingleShot(True)
        self._no_answer.timeout.connect(lambda: self._end_answer("no_answer"))
        if speaker is not None:
            speaker.speaking.connect(self._on_speaking)
            speaker.unavailable.connect(lambda _: self._cue_fallback(self._cue_token))

    # Intents ------------------------------------------------------------------------------

    def start(self, questions: list[Question] | None = None) -> bool:
        """Begin the run from the first question (the practised queue unless `questions`)."""
        c = self.controller
        if self.active:
            return False
        if c.is_recording or not c.can_record:
            self.message.emit("warning", c.record_blocker or "Stop recording first (Space).")
            return False
        self.questions = list(questions if questions is not None else c.queue)
        if not self.questions:
            return False
        c.player.stop()
        self._warm_up_gate()
        self.active = True
        self.index = 0
        self._stop_after = False
        self.result = RunResult(None)
        self._started_at = time.perf_counter()
        c.analysis.set_recording(True)  # the catch-up waits until the run is over
        self._cue()
        return True

    def end_answer(self) -> None:
        """Space: the answer ends now."""
        if self.recording:
            self._end_answer("space")

    def climb(self) -> None:
        """H: one more step of the hint ladder for the current question (up to the whole
        line), during its cue or its answer; an answer being recorded stores the level."""
        if not self.active or self.hint_level >= recall.WHOLE_LINE:
            return
        self.hint_level += 1
        self.hint_changed.emit(self.hint_level, self.hint_text())

    def hint_text(self) -> str:
        """What the current question's hint level shows of its line ("" while hidden)."""
        question = self.questions[self.index]
        return recall.hint(question.text, question.key_phrases, self.hint_level)

    def max_answer_s(self, question: Question) -> float:
        return max_answer_s(question, self.min_max_s)

    def stop(self) -> None:
        """Esc: the run ends; the answer in progress is kept."""
        if not self.active:
            return
        self._stop_after = True
        if self._answering:  # kept; a take still being reserved stops once it has started
            self._end_answer("esc")
        else:  # during a cue: nothing recorded yet for it
            self._cue_token += 1
            if self.speaker is not None:
                self.speaker.stop()
            self._finish()

    @property
    def recorder(self) -> Recorder:
        """The recorder of the answers (the controller's): the page's level meter reads it."""
        return self._takes.recorder

    # The cue ------------------------------------------------------------------------------

    def _cue(self) -> None:
        question = self.questions[self.index]
        text = question.cue or NO_CUE
        self._cue_token += 1
        token = self._cue_token
        self._cue_speaking = False
        self.hint_level = recall.HIDDEN
        self.cue_started.emit(self.index, question, text)
        self.hint_changed.emit(self.hint_level, "")
        if self.speaker is not None and self.speaker.available is not False:
            self.speaker.say(text)
            QTimer.singleShot(int(CUE_START_TIMEOUT_S * 1000), lambda: self._cue_fallback(token))
        else:
            self._cue_fallback(token)

    def _cue_fallback(self, token: int) -> None:
        """No speech (no engine, or it never started): the cue is shown for a moment."""
        if token != self._cue_token or self._cue_speaking or not self.active:
            return
        self._cue_token += 1
        token = self._cue_token
        self.cue_shown.emit(True)
        QTimer.singleShot(int(self.cue_shown_s * 1000), lambda: self._cue_done(token))

    @Slot(bool)
    def _on_speaking(self, speaking: bool) -> None:
        if not self.active or self._answering:
            return
        if speaking:
            self._cue_speaking = True
        elif self._cue_speaking:
            self._cue_speaking = False
            self._cue_done(self._cue_token)

    def _cue_done(self, token: int) -> None:
        if token != self._cue_token or not self.active or self._stop_after:
            return
        self._cue_token += 1
        self._cue_ended_at = time.perf_counter()
        self.cue_shown.emit(False)
        self._begin_answer()

    # The answer ---------------------------------------------------------------------------

    def _begin_answer(self) -> None:
        c = self.controller
        device_rate = c.microphones.input_for_take()
        if device_rate is None or not c.can_record or c.is_recording:
            self.message.emit("warning", c.record_blocker or "No microphone.")
            self._finish()
            return
        question = self.questions[self.index]
        options: dict[str, Any] = {"mode": "run", "hint_level": self.hint_level}
        if question.key_phrases:
            options["key_phrases"] = tuple(question.key_phrases)
        self._answering = True
        self.recording = False
        self._latency = None
        self._ended_by = ""
        self._detector = self._new_detector(question)
        self._fed_s = self._offset_s = 0.0
        self._events = queue.SimpleQueue()
        take = (self.result.session_id, c.deck.id, question, *device_rate)
        c.recording.start_take(*take, options=options, listener=self._listen, owner=self)

    @Slot(int)
    def _on_session_started(self, session_id: int) -> None:
        if self._takes.owner is self:
            self.result.session_id = session_id

    @Slot(bool)
    def _on_recording_changed(self, recording: bool) -> None:
        if not recording or self._takes.owner is not self or not self._answering:
            return
        if self._ended_by:  # stopped while its take was being reserved: it is ending now
            return
        self.recording = True
        self._poll.start()
        self._no_answer.start(int(self.max_answer_s(self.questions[self.index]) * 1000))
        self.answer_started.emit(self.index)

    def _new_detector(self, question: Question) -> TurnDetector:
        from closer_desktop.audio.end_of_turn import TurnDetector, speech_gate

        silence_s = self.controller.settings.get(S.END_OF_ANSWER_MS) / 1000
        return TurnDetector(silence_s, self.max_answer_s(question), speech_gate())

    def _warm_up_gate(self) -> None:
        """Load the speech gate's model now, not at the first answer's first block."""
        from closer_desktop.audio.end_of_turn import speech_gate

        speech_gate()

    def _listen(self, block: Any, rate: int) -> None:
        """The writer thread's part: feed the detector, queue its events for the GUI thread.

        The cue played through the speakers reaches the microphone too. Recording starts only
        once the cue has ended, but its echo tail can still be heard for a moment: a start of
        speech within ECHO_TAIL_S of the recording's start is taken for that echo, and the
        detector starts afresh from there, so that echo never counts as the answer (nor sets
        the response latency).
        """
        detector = self._detector
        if detector is None or detector.ended:
            return
        self._fed_s += len(block) / rate
        for event in detector.feed(block, rate):
            at_s = event.at_s + self._offset_s
            if event.kind == "started" and at_s < ECHO_TAIL_S:
                self._detector = replace_detector(detector)
                self._offset_s = self._fed_s
                return
            speech_end = event.speech_end_s
            self._events.put(
                replace(
                    event,
                    at_s=at_s,
                    speech_end_s=None if speech_end is None else speech_end + self._offset_s,
                )
            )

    def _on_poll(self) -> None:
        while True:
            try:
                event = self._events.get_nowait()
            except queue.Empty:
                return
            if not self.recording:
                return
            if event.kind == "started":
                self._no_answer.stop()
                first_block = self.recorder.first_block_at or self._cue_ended_at
                self._latency = max(0.0, first_block + event.at_s - self._cue_ended_at)
                self.speech_started.emit(self.index, self._latency)
            elif event.kind == "ended":
                self._end_answer(event.reason)

    def _end_answer(self, reason: str) -> None:
        if not self._answering or self._ended_by:
            return
        self._ended_by = reason
        self._no_answer.stop()
        self._takes.stop()  # a stop while its take is still being reserved waits for the start

    @Slot(object)
    def _on_answer_ended(self, take: Take | None) -> None:
        """The answer's take is saved (`take`), or it was empty, not saved or never started
        (None; Recording has said why in the status area)."""
        if self._takes.owner is not self or not self._answering:
            return
        started, self.recording, self._answering = self.recording, False, False
        self._poll.stop()
        self._no_answer.stop()
        self._detector = None
        if not started:  # the take never started (no library, no microphone): no use going on
            self._finish()
            return
        question = self.questions[self.index]
        latency, ended_by = self._latency, self._ended_by or "error"
        if (
            ended_by == "error"
        ):  # it ended by itself (microphone gone, disk full): so would the next
            self._stop_after = True
        if take is not None and latency is not None:
            take.response_latency_s = latency
            ops.set_response_latency(take.id, latency).run(self.controller.library)
        if take is not None and self.hint_level > (take.hint_level or 0):  # H while answering
            take.hint_level = self.hint_level
            take_id, level = take.id, self.hint_level
            ops.Operation(
                lambda lib: lib.set_hint_level(take_id, level), ops.Change.TAKE_EDITED
            ).run(self.controller.library)
        self._answered(RunAnswer(question, take, latency, ended_by))

    def _answered(self, answer: RunAnswer) -> None:
        self.result.answers.append(answer)
        self.answer_saved.emit(self.index, answer)
        if self._stop_after or self.index + 1 >= len(self.questions):
            self._finish()
            return
        self.index += 1
        self._cue()

    def _finish(self) -> None:
        if not self.active:
            return
        self.active = False
        self._cue_token += 1
        self.cue_shown.emit(False)
        self.result.total_s = time.perf_counter() - self._started_at
        c = self.controller
        c.analysis.set_recording(False)
        c.library.notify_library_changed(ops.Change.TAKES)  # the pages list the new takes
        self.finished.emit(self.result)


def replace_detector(old: TurnDetector) -> TurnDetector:
    """A fresh detector with the same settings (and a fresh gate: its state heard the echo)."""
    from closer_desktop.audio.end_of_turn import SileroGate, TurnDetector, VoicingGate

    gate = SileroGate() if isinstance(old.gate, SileroGate) else VoicingGate()
    return TurnDetector(old.silence_s, old.max_s, gate)
