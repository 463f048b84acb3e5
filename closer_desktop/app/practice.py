"""The practice loop's coordination: which question, which take, when a take may start, what
follows a rating, and the session.

Widgets call the intent methods (toggle_recording, rate_digit, next_question, ...) and render the
signals. Library work goes through app/library.py as named operations (app/operations.py). The
parts: microphones (app/microphones.py), the deck and its queue (app/deck_queue.py), the shown
question's takes (app/question_takes.py), the take in progress (app/recording.py), playing and
rating the shown take (app/playback.py, app/rating.py), the digit keys and auto-advance
(app/rating_keys.py, app/auto_advance.py), takes set aside as accidental (app/set_aside.py); the
rules are domain/session.py's. This controller decides when each acts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from closer_desktop import settings as S
from closer_desktop.app import operations as ops
from closer_desktop.app.auto_advance import AutoAdvance
from closer_desktop.app.countdown import Countdown
from closer_desktop.app.deck_queue import DeckQueue, PractisedDeck
from closer_desktop.app.library import LibraryService
from closer_desktop.app.microphones import Microphones, MicrophoneStatus
from closer_desktop.app.playback import Playback
from closer_desktop.app.question_takes import QuestionTakes
from closer_desktop.app.rating import Rating
from closer_desktop.app.rating_keys import RatingKeys
from closer_desktop.app.recording import Recording
from closer_desktop.app.set_aside import SetAsideTakes
from closer_desktop.app.settings import Settings
from closer_desktop.app.take_analysis import TakeAnalyser
from closer_desktop.app.tasks import TaskRunner
from closer_desktop.domain import session as rules
from closer_desktop.domain.deck import Deck, Question
from closer_desktop.domain.practice import RatingScale, Take
from closer_desktop.domain.scheduler import PracticePlan


class PracticeController(QObject):
    """Runs one practice session over a deck, with its parts `recording`, `playback` and `rating`
    (their own `recorder` and `player` are reachable here too, for the meter and the take player).

    Signals:
        question_changed(int): the index of the question now shown.
        takes_changed(list): every take of the current question, oldest first.
        current_take_changed(object): the Take that play and rate act on, or None.
        rating_target_changed(object): the RatingScale the next digit sets, or None.
        recording_changed(bool): recording started (True) or its take was saved (False).
        microphone_changed(object): a MicrophoneStatus; also when the library's state changes
            whether recording is possible.
        playback_changed(bool): playing or not.
        message(str, str): (level, text) for the status area; level is info, warning or error.
        notice(str, str, object): (level, text, (action label, callback)): a message the user
            may act on, e.g. undo a take set aside or a rating changed by a digit.
        summary_ready(object): a SessionSummary at the end of the deck.
        deck_changed(object): another Deck (or the same with a new plan) is now practised.
    """

    question_changed = Signal(int)
    takes_changed = Signal(list)
    current_take_changed = Signal(object)
    rating_target_changed = Signal(object)
    recording_changed = Signal(bool)
    microphone_changed = Signal(object)
    playback_changed = Signal(bool)
    message = Signal(str, str)
    notice = Signal(str, str, object)
    summary_ready = Signal(object)
    deck_changed = Signal(object)

    def __init__(
        self,
        deck: Deck,
        library: LibraryService,
        settings: Settings,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.library = library
        self.data_dir = library.data_dir
        self.settings = settings
        self.index = 0
        self.session_id: int | None = None
        self.auto_advance = AutoAdvance(self)  # Settings > Practice: on after both ratings
        # What begin_take stores with each take besides its question (app/memory.py sets it).
        self.take_options: Callable[[], dict[str, Any]] = dict

        library.ready.connect(self._on_library_opened)
        library.failed.connect(self._on_library_failed)
        library.busy_changed.connect(lambda _: self.microphone_changed.emit(self.microphone))
        library.changed.connect(self._on_library_changed)
        self.microphones = Microphones(settings, self)
        self.microphones.changed.connect(self.microphone_changed)
        self.files = TaskRunner("files", self)
        self.files.failed.connect(lambda text: self.message.emit("error", text))
        self.decks = DeckQueue(self.data_dir, self.files, library)
        self.practised = PractisedDeck(deck, self.decks, self)  # the deck, its plan and queue
        self.practised.queue_ready.connect(self._queue_ready)
        self.keeping_place = False  # while a reloaded deck's queue is shown: stay on the page
        # Delivery feedback of each saved take, on its own thread; see analysis.metrics_ready.
        self.analysis = TakeAnalyser(library, self.data_dir, self)
        self.analysis.enabled = lambda: self.settings.get(S.ANALYSIS)
        self.recording_changed.connect(self.analysis.set_recording)  # catch-up waits for takes

        self._shut_down = False
        self._started = False
        self.recording = Recording(library, self)  # the take in progress, until it is saved
        self.recording.changed.connect(self._recording_changed)
        self.recording.session_started.connect(self._session_started)
        self.recording.saved.connect(self._take_saved)
        self.recorder = self.recording.recorder  # the level meter and the timer read it
        output = settings.get(S.OUTPUT_DEVICE) or None
        self.playback = Playback(self.files, self.data_dir, output, self)  # the shown take's
        self.playback.can_play = lambda: (
            not self.is_recording and not self.countdown.active and not self.microphone.checking
        )
        self.playback.changed.connect(self.playback_changed)
        self.player = self.playback.player  # the take player widget drives it
        # The shown take's rating target and ratings; an Undo finds the take as listed now.
        self.rating = Rating(
            library, self, lambda i: next((t for t in self.takes if t.id == i), None)
        )
        self.rating.target_changed.connect(self.rating_target_changed)
        self.rating.rated.connect(self._rated)
        self.rating.notice.connect(self.notice)  # 'Professionalism changed 3 → 5.', Undo
        self.rating.undone.connect(self._undone)
        self.countdown = Countdown(self)  # Settings > Practice: seconds before a take starts
        # The shown question's takes, and the one played and rated (app/question_takes.py).
        self.question_takes = QuestionTakes(library, lambda: (self.deck.id, self.question.id), self)
        self.question_takes.changed.connect(self.takes_changed)
        self.question_takes.current_changed.connect(self._show_take)
        self.set_aside = SetAsideTakes(self)  # accidental takes: "Keep it" (app/set_aside.py)
        self.rating_keys = RatingKeys(self)  # digits: when they rate, and auto-advance after
        for part in (library, self.microphones, self.practised, self.recording, self.playback):
            part.message.connect(self.message)  # one status area

    # Start-up ------------------------------------------------------------------------------

    def start(self) -> None:
        """Open the library and look for microphones, both in the background."""
        if self._shut_down or self._started:
            return  # closed before its first paint, or already started
        self._started = True
        self.library.open()
        self.refresh_microphones()
        self.question_changed.emit(self.index)

    def _on_library_opened(self) -> None:
        self.reload_deck(keep_place=False)  # a remembered plan starts at its first question
        self.question_takes.reload(select_latest=True)
        self.analysis.warm_up()  # while the user reads the question, not at the first take
        self.analysis.schedule_catch_up()  # takes analysed by an older analyser, or not at all

    def _on_library_failed(self) -> None:
        self.reload_deck(keep_place=False)
        self.microphone_changed.emit(self.microphone)

    def _on_library_changed(self, change: ops.Change) -> None:
        """Takes were added or removed elsewhere: reload this question's takes."""
        if not change & ops.Change.TAKES:
            return
        self.analysis.schedule_catch_up()  # restored takes may carry older metrics
        if self.is_recording:
            return  # the take being saved reloads nothing; the next question change will
        current = self.current_take
        self.question_takes.reload(select_latest=True, select_id=current.id if current else None)

    # Microphone ----------------------------------------------------------------------------

    @property
    def microphone(self) -> MicrophoneStatus:
        return self.microphones.status

    @microphone.setter
    def microphone(self, status: MicrophoneStatus) -> None:
        self.microphones.status = status

    def refresh_microphones(self, rescan: bool = False) -> None:
        """Look for microphones in the background; `rescan` also finds newly plugged-in ones."""
        if self.is_recording:
            return  # rescanning restarts PortAudio, which would end the take
        if rescan:
            self.playback.stop()
        self.microphones.refresh(rescan)

    def choose_microphone(self, name: str) -> None:
        """Remember the user's microphone (by name) and switch to it."""
        self.microphones.choose(name)

    @property
    def can_record(self) -> bool:
        lib = self.library
        return self.microphone.available and lib.library_is_open and lib.library_busy is None

    @property
    def record_blocker(self) -> str | None:
        """Why recording is off right now, in words for the user (None when it is on)."""
        lib, mic = self.library, self.microphone
        return rules.record_blocker(
            lib.library_error or lib.library_busy,
            mic.checking,
            mic.problem,
            lib.library_is_open,
            self.practised.pending,
        )

    # Decks, practice order and questions ----------------------------------------------------

    @property
    def question(self) -> Question:
        return self.queue[self.index]

    @property
    def deck(self) -> Deck:
        return self.practised.deck

    @property
    def plan(self) -> PracticePlan:
        return self.practised.plan

    @property
    def queue(self) -> list[Question]:
        return self.practised.queue

    def use_deck(self, deck: Deck, plan: PracticePlan | None = None) -> None:
        """Practise `deck` (or the same deck with a new plan) from its first chosen question."""
        if self.is_recording:
            self.recording.when_saved(lambda: self.use_deck(deck, plan))
        elif self.practised.use(deck, plan):
            self.session_id = None  # a session belongs to one deck

    def choose_deck(self, deck: Deck, plan: PracticePlan) -> None:
        """The user picked a deck or changed its plan: remember both, then practise it."""
        self.decks.remember(deck, plan)
        self.use_deck(deck, plan)

    def reload_deck(self, keep_place: bool = True) -> None:
        """Pick up the deck and plan remembered in the library (the deck manager saved them),
        staying on the question shown if it is still practised: closing the deck manager takes
        the user back where they were, not to question 1 (see `keeping_place`). At start-up
        (`keep_place` False) the plan starts at its first question: the question the first
        paint showed is only the deck's first, which weakest first may have put anywhere."""
        in_queue = rules.in_queue(self.index, len(self.queue))
        self.practised.reload(self.use_deck, self.question.id if keep_place and in_queue else None)

    def _queue_ready(self) -> None:
        start, self.keeping_place = self.practised.start_of_queue()
        try:
            self.deck_changed.emit(self.deck)
            self.index = -1  # so that go_to always refreshes
            self.go_to(start)
        finally:
            self.keeping_place = False

    def go_to(self, index: int) -> None:
        if not rules.in_queue(index, len(self.queue)):
            return
        if self.is_recording:
            if self.recording.owner is self:  # Space then N: a stray take is set aside too
                self.recording.stop(set_aside_accidental=True)
            self.recording.when_saved(lambda: self.go_to(index))
            return
        self.countdown.cancel()
        self.playback.stop()
        self.index = index
        self.question_changed.emit(index)
        self.question_takes.new_question()

    def next_question(self) -> None:
        following = rules.next_index(self.index, len(self.queue))
        if following is None:
            self.finish_deck()
        else:
            self.go_to(following)

    def previous_question(self) -> None:
        self.go_to(self.index - 1)

    # Recording -----------------------------------------------------------------------------

    @property
    def is_recording(self) -> bool:
        """From the key press that starts a take until it is saved (app/recording.py)."""
        return self.recording.is_recording

    def toggle_recording(self) -> None:
        if self.countdown.active:
            self.countdown.cancel()
        elif self.is_recording:
            self.stop_recording()
        else:
            self.start_recording()

    def start_recording(self, countdown: bool = True) -> None:
        """Start a take, after the countdown chosen in Settings unless `countdown` is False."""
        if self.is_recording:
            return
        blocker = self.record_blocker
        if blocker:
            self.message.emit("warning", blocker)
            return
        seconds = self.settings.get(S.COUNTDOWN_S)
        if countdown and seconds > 0:
            self.playback.stop()
            self.countdown.start(seconds, lambda: self.start_recording(countdown=False))
            return
        device_rate = self.microphones.input_for_take()
        assert device_rate is not None  # no blocker: a microphone is chosen
        self.playback.stop()
        self.rating.set_target(None)
        options = self.take_options()  # mode, hint level: see app/memory.py
        take = (self.session_id, self.deck.id, self.question, *device_rate)
        self.recording.start_take(*take, options=options, owner=self)

    def stop_recording(self) -> None:
        """The user's stop (Space, the Stop button): a take that looks accidental is set aside."""
        self.recording.stop(set_aside_accidental=True)

    def when_saved(self, callback: Callable[[], None]) -> None:
        """Run `callback` once any take in progress is saved (now, if there is none)."""
        self.recording.when_saved(callback)

    def _recording_changed(self, recording: bool) -> None:
        if self.recording.owner is self:  # an interview run's answers are the run's to show
            self.recording_changed.emit(recording)

    def _session_started(self, session_id: int) -> None:
        if self.recording.owner is self:
            self.session_id = session_id

    def _take_saved(self, take: Take) -> None:
        self.analysis.analyse(take)  # every take, the run's answers too
        if self.recording.owner is self:
            self.question_takes.add(take)

    # Takes, playback and rating ----------------------------------------------------------------

    @property
    def takes(self) -> list[Take]:
        """Every take of the shown question, oldest first (app/question_takes.py)."""
        return self.question_takes.takes

    @property
    def current_take(self) -> Take | None:
        """The take that play and rate act on."""
        return self.question_takes.current

    def _show_take(self, take: Take | None) -> None:
        self.playback.show(take)
        self.current_take_changed.emit(take)
        self.rating.show(take)

    @property
    def rating_target(self) -> RatingScale | None:
        """The scale the next digit rates (app/rating.py)."""
        return self.rating.target

    def toggle_playback(self) -> None:
        """Play or pause the shown take (not while recording, counting down or scanning: can_play)."""
        self.playback.toggle()

    def rate_digit(self, value: int) -> None:
        """A digit key (app/rating_keys.py): not during a countdown, as while recording."""
        self.rating_keys.digit(value)

    def leave_practice(self) -> None:
        """The user went to another page or dialog: a countdown or a pending move to the next
        question (auto-advance) would otherwise act on a page they no longer see."""
        if self.countdown.active:
            self.countdown.cancel()
        self.auto_advance.cancel()

    def _undone(self, take: Take) -> None:
        self.question_takes.edited()  # a take no longer shown: its line in the list

    def _rated(self, take: Take) -> None:
        self.current_take_changed.emit(take)
        self.question_takes.edited()

    # End of the deck -----------------------------------------------------------------------------

    def finish_deck(self) -> None:
        """Show how the session went (after any take in progress is saved)."""
        if self.is_recording:
            if self.recording.owner is self:  # Space then Finish: a stray take, as in go_to
                self.recording.stop(set_aside_accidental=True)
            self.when_saved(self.finish_deck)
            return
        self.playback.stop()
        queue = list(self.queue)
        if self.session_id is None or not self.library.library_is_open:
            self.summary_ready.emit(rules.summarize_session(queue, []))
        else:
            ops.session_summary(self.session_id, queue).run(self.library, self.summary_ready.emit)

    def practise_again(self) -> None:
        """A new session from the first question; earlier takes stay listed with each question."""
        self.session_id = None
        self.go_to(0)

    # Shut-down ---------------------------------------------------------------------------------

    def shutdown(self) -> None:
        """Release audio and close the library (waits for queued writes: only at exit). Once."""
        if self._shut_down:
            return
        self._shut_down = True
        self.analysis.shutdown()
        self.playback.close()
        self.recording.shutdown()
        self.files.shutdown()
        self.microphones.shutdown()
        self.library.close()
