"""The practice loop's coordination: which question, which take, when a take may start, what
follows a rating, and the session.

Widgets call the intent methods (toggle_recording, rate_digit, next_question, ...) and render the
signals. Library work goes through the library service (app/library.py, one thread owns the
database) as named operations (app/operations.py); the microphones are app/microphones.py's, the
deck and its queue app/deck_queue.py's, the session's rules domain/session.py's. A take in
progress is app/recording.py's, playing the shown take app/playback.py's, and its rating target
app/rating.py's; this controller decides when each acts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from closer_desktop import settings as S
from closer_desktop.app import operations as ops
from closer_desktop.app.countdown import Countdown
from closer_desktop.app.deck_queue import DeckQueue
from closer_desktop.app.library import LibraryService
from closer_desktop.app.microphones import Microphones, MicrophoneStatus
from closer_desktop.app.playback import Playback
from closer_desktop.app.rating import Rating
from closer_desktop.app.recording import Recording
from closer_desktop.app.settings import Settings
from closer_desktop.app.take_analysis import TakeAnalyser
from closer_desktop.app.tasks import TaskRunner
from closer_desktop.domain import session as rules
from closer_desktop.domain.deck import Deck, Question
from closer_desktop.domain.practice import RatingScale, Take
from closer_desktop.domain.scheduler import PracticePlan
from closer_desktop.domain.session import SessionSummary

AUTO_ADVANCE_MS = 800


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
        self.deck = deck
        self.plan = PracticePlan()
        self.queue: list[Question] = list(deck.questions)
        self.data_dir = library.data_dir
        self.settings = settings
        self.index = 0
        self.session_id: int | None = None
        self.takes: list[Take] = []
        self.current_take: Take | None = None
        self._queue_pending = False  # a weakest-first queue is being read from the library
        self._advance_from: Take | None = None  # the take rated: auto-advance once the timer fires
        self._advance_timer = QTimer(self)
        self._advance_timer.setSingleShot(True)
        self._advance_timer.timeout.connect(self._advance_now)
        # What begin_take stores with each take besides its question (app/memory.py sets it).
        self.take_options: Callable[[], dict[str, Any]] = dict

        library.message.connect(self.message)
        library.ready.connect(self._on_library_opened)
        library.failed.connect(self._on_library_failed)
        library.busy_changed.connect(lambda _: self.microphone_changed.emit(self.microphone))
        library.changed.connect(self._on_library_changed)
        self.microphones = Microphones(settings, self)
        self.microphones.changed.connect(self.microphone_changed)
        self.microphones.message.connect(self.message)
        self.files = TaskRunner("files", self)
        self.files.failed.connect(lambda text: self.message.emit("error", text))
        self.decks = DeckQueue(self.data_dir, self.files, library)
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
        self.recording.message.connect(self.message)
        self.recorder = self.recording.recorder  # the level meter and the timer read it
        output = settings.get(S.OUTPUT_DEVICE) or None
        self.playback = Playback(self.files, self.data_dir, output, self)  # the shown take's
        self.playback.can_play = lambda: not self.is_recording and not self.microphone.checking
        self.playback.changed.connect(self.playback_changed)
        self.playback.message.connect(self.message)
        self.player = self.playback.player  # the take player widget drives it
        self.rating = Rating(library, self)  # the shown take's rating target and ratings
        self.rating.target_changed.connect(self.rating_target_changed)
        self.rating.rated.connect(self._rated)
        self.countdown = Countdown(self)  # Settings > Practice: seconds before a take starts

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
        self._load_current_deck()
        self._reload_takes(select_latest=True)
        self.analysis.warm_up()  # while the user reads the question, not at the first take
        self.analysis.schedule_catch_up()  # takes analysed by an older analyser, or not at all

    def _on_library_failed(self) -> None:
        self._load_current_deck()
        self.microphone_changed.emit(self.microphone)

    def _on_library_changed(self, change: ops.Change) -> None:
        """Takes were added or removed elsewhere: reload this question's takes."""
        if not change & ops.Change.TAKES:
            return
        self.analysis.schedule_catch_up()  # restored takes may carry older metrics
        if self.is_recording:
            return  # the take being saved reloads nothing; the next question change will
        self._reload_takes(
            select_latest=True, select_id=self.current_take.id if self.current_take else None
        )

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
        lib = self.library
        if lib.library_error or lib.library_busy:
            return lib.library_error or lib.library_busy
        if self.microphone.checking:
            return "Looking for a microphone…"
        if self.microphone.problem:
            return self.microphone.problem
        if not lib.library_is_open:
            return "Opening your library…"
        if self._queue_pending:
            return "Putting the weakest questions first…"
        return None

    # Questions -----------------------------------------------------------------------------

    @property
    def question(self) -> Question:
        return self.queue[self.index]

    # Decks and practice order -------------------------------------------------------------------

    def use_deck(self, deck: Deck, plan: PracticePlan | None = None) -> None:
        """Practise `deck` (or the same deck with a new plan) from its first chosen question.

        The session ends here: a session belongs to one deck. Weakest-first reads the ratings in
        the background, so the queue arrives a moment later.
        """
        if self.is_recording:
            self.recording.when_saved(lambda: self.use_deck(deck, plan))
            return
        changed_deck = deck.id != self.deck.id
        self.deck = deck
        self.plan = plan or PracticePlan()
        if changed_deck:
            self.session_id = None
        deck_id = deck.id

        def arrived(queue: list[Question]) -> None:
            if self.deck.id == deck_id:
                self._queue_pending = False
                self._set_queue(queue)

        # Until a weakest-first queue arrives the page still shows the old deck's question: no
        # take may be filed under the new deck with it.
        self._queue_pending = self.decks.order(deck, self.plan, arrived)

    def choose_deck(self, deck: Deck, plan: PracticePlan) -> None:
        """The user picked a deck or changed its plan: remember both, then practise it."""
        self.decks.remember(deck, plan)
        self.use_deck(deck, plan)

    def reload_deck(self) -> None:
        """Pick up what the deck manager saved: the current deck's wording and plan."""
        self._load_current_deck()

    def _load_current_deck(self) -> None:
        """Switch to the deck and plan remembered in the library (read in the background)."""

        def arrived(result: tuple[Deck, PracticePlan]) -> None:
            if result != (self.deck, self.plan):
                self.use_deck(*result)

        def failed(exc: BaseException) -> None:
            self.message.emit("warning", f"Your decks cannot be read ({exc}).")

        self.decks.read_current(self.deck, arrived, failed)

    def _set_queue(self, queue: list[Question]) -> None:
        self.queue = queue
        self.deck_changed.emit(self.deck)
        self.index = -1  # so that go_to(0) always refreshes
        self.go_to(0)

    def go_to(self, index: int) -> None:
        if not rules.in_queue(index, len(self.queue)):
            return
        if self.is_recording:
            self.recording.when_saved(lambda: self.go_to(index))
            return
        self.countdown.cancel()
        self.playback.stop()
        self.index = index
        self.takes = []
        self._set_current_take(None)
        self.question_changed.emit(index)
        self.takes_changed.emit([])
        self._reload_takes(select_latest=True)

    def next_question(self) -> None:
        following = rules.next_index(self.index, len(self.queue))
        if following is None:
            self.finish_deck()
        else:
            self.go_to(following)

    def previous_question(self) -> None:
        self.go_to(self.index - 1)

    def _reload_takes(self, select_latest: bool, select_id: int | None = None) -> None:
        if not self.library.library_is_open:
            return
        question_id = self.question.id

        def loaded(takes: list[Take]) -> None:
            if question_id != self.question.id:
                return  # the user moved on meanwhile
            self.takes = takes
            self.takes_changed.emit(takes)
            wanted = next((t for t in takes if t.id == select_id), None)
            if wanted is None and select_latest and takes:
                wanted = takes[-1]
            if wanted is not None:
                self._set_current_take(wanted)
            elif not takes and self.current_take is not None:
                self._set_current_take(None)  # its take is gone (deleted elsewhere)

        ops.takes_for_question(self.deck.id, question_id).run(self.library, loaded)

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
        device = self.microphone.chosen
        assert device is not None
        rate = self.settings.get(S.SAMPLE_RATE) or device.default_samplerate
        self.playback.stop()
        self.rating.set_target(None)
        options = self.take_options()  # mode, hint level: see app/memory.py
        self.recording.start_take(
            self.session_id,
            self.deck.id,
            self.question,
            device.index,
            rate,
            options=options,
            owner=self,
        )

    def stop_recording(self) -> None:
        self.recording.stop()

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
        if self.recording.owner is self and take.question_id == self.question.id:
            self.takes = [*self.takes, take]
            self.takes_changed.emit(self.takes)
            self._set_current_take(take)

    # Takes, playback and rating ----------------------------------------------------------------

    def select_take(self, take_id: int) -> None:
        take = next((t for t in self.takes if t.id == take_id), None)
        if take is not None and take is not self.current_take:
            self._set_current_take(take)

    def _set_current_take(self, take: Take | None) -> None:
        self.current_take = take
        self.playback.show(take)
        self.current_take_changed.emit(take)
        self.rating.show(take)

    @property
    def rating_target(self) -> RatingScale | None:
        """The scale the next digit rates (app/rating.py)."""
        return self.rating.target

    def toggle_playback(self) -> None:
        """Play or pause the shown take; not while recording, nor while devices are scanned
        (PortAudio may be restarting)."""
        self.playback.toggle()

    def rate_digit(self, value: int) -> None:
        """A digit key: rate the target scale, then move the target (professionalism, clarity)."""
        if self.is_recording:
            if self.recording.is_stopping:  # rate the take being stopped and saved, once it is in

                def rate_saved_take() -> None:
                    saved = self.recording.last_saved_take_id
                    if self.current_take is not None and self.current_take.id == saved:
                        self.rate_digit(value)

                self.recording.when_saved(rate_saved_take)
            return
        scale = self.rating.rate_next(value)
        take = self.current_take
        if scale and take and rules.auto_advances(scale, take, self.settings.get(S.AUTO_ADVANCE)):
            # Settings > Practice > auto-advance: the next question follows after a moment (long
            # enough to see the rating land).
            self._advance_from = take
            self._advance_timer.start(AUTO_ADVANCE_MS)

    def _advance_now(self) -> None:
        take, self._advance_from = self._advance_from, None
        if take is None or take is not self.current_take:
            return  # left the page, or another take is shown by now
        if not self.is_recording and not self.countdown.active:
            self.next_question()

    def leave_practice(self) -> None:
        """The user went to another page or dialog: a countdown or a pending move to the next
        question (auto-advance) would otherwise act on a page they no longer see."""
        if self.countdown.active:
            self.countdown.cancel()
        self._advance_timer.stop()
        self._advance_from = None

    def _rated(self, take: Take) -> None:
        self.current_take_changed.emit(take)
        self.takes_changed.emit(self.takes)

    def set_note(self, take_id: int, note: str) -> None:
        """Save the note of the take `take_id` (not necessarily the one shown by now)."""
        for take in self.takes:
            if take.id == take_id:
                take.note = note
                self.takes_changed.emit(self.takes)
        ops.set_note(take_id, note).run(self.library)

    # End of the deck -----------------------------------------------------------------------------

    def finish_deck(self) -> None:
        """Show how the session went (after any take in progress is saved)."""
        if self.is_recording:
            self.when_saved(self.finish_deck)
            return
        self.playback.stop()
        queue = list(self.queue)
        if self.session_id is None or not self.library.library_is_open:
            self.summary_ready.emit(rules.summarize_session(queue, []))
            return

        def arrived(found: tuple[list[Take], dict[str, Any]]) -> None:
            summary: SessionSummary = rules.summarize_session(queue, *found)
            self.summary_ready.emit(summary)

        ops.session_takes(self.session_id).run(self.library, arrived)

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
