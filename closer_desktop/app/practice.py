"""The practice loop's logic: which question, which take, recording, playback and rating.

Widgets call the intent methods (toggle_recording, rate_digit, next_question, ...) and render the
signals. Library work runs on the library runner (one thread owns the database), audio files are
read on a file runner, and recorder/player callbacks are bridged here onto the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from closer_desktop import settings as S
from closer_desktop.app.countdown import Countdown
from closer_desktop.app.settings import Settings
from closer_desktop.app.take_analysis import TakeAnalyser
from closer_desktop.app.tasks import TaskRunner
from closer_desktop.audio.devices import (
    AudioUnavailable,
    InputDevice,
    choose_input,
    list_input_devices,
)
from closer_desktop.audio.player import Player, read_audio
from closer_desktop.audio.recorder import Recorder, RecordingResult, warm_up
from closer_desktop.domain.deck import Deck, DeckError, Question
from closer_desktop.domain.practice import QuestionSummary, RatingScale, Take, summarize
from closer_desktop.domain.scheduler import (
    PracticeOrder,
    PracticePlan,
    RatedTake,
    practice_queue,
    weakest_first,
)

if TYPE_CHECKING:  # the library (sqlite3 and friends) is imported on its worker thread
    from closer_desktop.domain.progress import Comparison
    from closer_desktop.storage.library import Library
    from closer_desktop.storage.lock import LibraryLock

log = logging.getLogger(__name__)
T = TypeVar("T")

AUTO_ADVANCE_MS = 800
NO_MICROPHONE = (
    "No microphone was found. Connect one, then pick it in Settings (Ctrl+,). "
    "Everything else works: you can browse questions and replay earlier takes."
)


@dataclass(frozen=True)
class MicrophoneStatus:
    """What the last device scan found; `problem` says why recording is off, if it is."""

    checking: bool = False
    devices: tuple[InputDevice, ...] = ()
    chosen: InputDevice | None = None
    problem: str | None = None

    @property
    def available(self) -> bool:
        return not self.checking and self.chosen is not None and self.problem is None


@dataclass(frozen=True)
class SessionSummary:
    questions: list[QuestionSummary] = field(default_factory=list)
    # By question id: this session's ratings against the previous session with that question.
    comparisons: dict[str, Comparison] = field(default_factory=dict)

    @property
    def total_takes(self) -> int:
        return sum(q.takes for q in self.questions)

    @property
    def spoken_s(self) -> float:
        return sum(q.spoken_s for q in self.questions)


class PracticeController(QObject):
    """Runs one practice session over a deck.

    Signals:
        question_changed(int): the index of the question now shown.
        takes_changed(list): every take of the current question, oldest first.
        current_take_changed(object): the Take that play and rate act on, or None.
        rating_target_changed(object): the RatingScale the next digit sets, or None.
        recording_changed(bool): recording started (True) or its take was saved (False).
        microphone_changed(object): a MicrophoneStatus.
        playback_changed(bool): playing or not.
        message(str, str): (level, text) for the status area; level is info, warning or error.
        summary_ready(object): a SessionSummary at the end of the deck.
        deck_changed(object): another Deck (or the same with a new plan) is now practised.
        library_ready(): the database is open and takes can be saved.
        library_changed(): takes were added or removed behind the views' backs (a restore from
            a backup, emptying the trash); lists of takes should be loaded again.
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
    library_ready = Signal()
    deck_changed = Signal(object)
    library_changed = Signal()

    # Bridges from audio threads to the GUI thread (queued because emitted from other threads).
    _recorder_started = Signal(int)
    _recorder_finished = Signal(object)
    _player_finished = Signal()
    _player_error = Signal(str)

    def __init__(
        self,
        deck: Deck,
        data_dir: Path,
        settings: Settings,
        parent: QObject | None = None,
        *,
        lock: LibraryLock | None = None,
    ) -> None:
        super().__init__(parent)
        self.lock = lock  # the library's, taken at launch; None: opening the library takes it
        self.deck = deck
        self.plan = PracticePlan()
        self.queue: list[Question] = list(deck.questions)
        self.data_dir = data_dir
        self.settings = settings
        self.index = 0
        self.session_id: int | None = None
        self.takes: list[Take] = []
        self.current_take: Take | None = None
        self.rating_target: RatingScale | None = None
        self.microphone = MicrophoneStatus(checking=True)
        self.library_error: str | None = None
        self.library_busy: str | None = None  # a backup or restore runs: why recording waits
        self._library: Library | None = None
        self._library_ok = False
        self._recording = False
        self._starting = False
        self._stop_requested = False
        self._stopping = False
        self._pending_take: Take | None = None
        self._last_saved_take_id: int | None = None  # the take the last stop saved
        self._play_when_loaded = False
        self._loaded_take_id: int | None = None
        self._after_save: list[Callable[[], None]] = []
        self._queue_pending = False  # a weakest-first queue is being read from the library
        self._advance: Callable[[], None] | None = None  # auto-advance, once its timer fires
        self._advance_timer = QTimer(self)
        self._advance_timer.setSingleShot(True)
        self._advance_timer.timeout.connect(self._advance_now)

        self.db = TaskRunner("library", self)
        self.files = TaskRunner("files", self)
        self.devices = TaskRunner("devices", self)
        for runner in (self.db, self.files, self.devices):
            runner.failed.connect(lambda text: self.message.emit("error", text))
        # Delivery feedback of each saved take, on its own thread; see analysis.metrics_ready.
        self.analysis = TakeAnalyser(self.run_on_library, data_dir, self)
        self.analysis.enabled = lambda: self.settings.get(S.ANALYSIS)
        self.recording_changed.connect(self.analysis.set_recording)  # catch-up waits for takes

        self._shut_down = False
        self._started = False
        self.recorder = Recorder(self._recorder_started.emit, self._recorder_finished.emit)
        self.player = Player(self._player_finished.emit, self._player_error.emit)
        self.player.device = settings.get(S.OUTPUT_DEVICE) or None  # by name; None: the default
        self.countdown = Countdown(self)  # Settings > Practice: seconds before a take starts
        self._recorder_started.connect(self._on_recorder_started)
        self._recorder_finished.connect(self._on_recorder_finished)
        self._player_finished.connect(lambda: self.playback_changed.emit(False))
        self._player_error.connect(self._on_player_error)

    # Start-up ------------------------------------------------------------------------------

    def start(self) -> None:
        """Open the library and look for microphones, both in the background."""
        if self._shut_down or self._started:
            return  # closed before its first paint, or already started
        self._started = True
        self.db.run(self._open_library, self._on_library_opened, self._on_library_failed)
        self.refresh_microphones()
        self.question_changed.emit(self.index)

    def _open_library(self) -> str | None:
        """Open the library, repairing what a crash or damage left (storage/recovery.py)."""
        from closer_desktop.storage.recovery import open_library

        self._library, report = open_library(self.data_dir, self.lock)
        return report.message()

    def _on_library_opened(self, repaired: str | None) -> None:
        self._library_ok = True
        self.library_ready.emit()
        self._load_current_deck()
        self._reload_takes(select_latest=True)
        self.analysis.warm_up()  # while the user reads the question, not at the first take
        self.analysis.schedule_catch_up()  # takes analysed by an older analyser, or not at all
        if repaired:  # told once: what was repaired is in order from now on
            self.message.emit("info", repaired)

    def _on_library_failed(self, exc: BaseException) -> None:
        self._load_current_deck()
        self.library_error = f"Your library cannot be opened ({exc})"
        self.message.emit("error", self.library_error + ". Recording is off; nothing was changed.")
        self.microphone_changed.emit(self.microphone)

    def run_on_library(
        self,
        fn: Callable[[Library], T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Run `fn(library)` on the library's thread; `on_done(result)` on the GUI thread."""
        self._with_library(fn, on_done, on_error)

    @property
    def library_is_open(self) -> bool:
        return self._library_ok

    def set_library_busy(self, reason: str | None) -> None:
        """Hold recording off while a long library job (backup, restore) runs; None ends that.

        A take started meanwhile would wait behind the job on the library's thread.
        """
        self.library_busy = reason
        self.microphone_changed.emit(self.microphone)  # the views show why recording is off

    def notify_library_changed(self) -> None:
        """Takes were added or removed elsewhere: reload this question's takes, tell the views."""
        self.library_changed.emit()
        self.analysis.schedule_catch_up()  # restored takes may carry older metrics
        if self.is_recording:
            return  # the take being saved reloads nothing; the next question change will
        self._reload_takes(
            select_latest=True, select_id=self.current_take.id if self.current_take else None
        )

    def _with_library(
        self,
        fn: Callable[[Library], T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        def task() -> T:
            if self._library is None:
                raise RuntimeError("the library is not open")
            return fn(self._library)

        self.db.run(task, on_done, on_error)

    # Microphone ----------------------------------------------------------------------------

    def refresh_microphones(self, rescan: bool = False) -> None:
        """Look for microphones in the background; `rescan` also finds newly plugged-in ones."""
        if self.is_recording:
            return  # rescanning restarts PortAudio, which would end the take
        if rescan:
            self.player.stop()
            self.playback_changed.emit(False)
        preferred = self.settings.get(S.INPUT_DEVICE)
        self.microphone = MicrophoneStatus(checking=True)
        self.microphone_changed.emit(self.microphone)
        self.devices.run(lambda: self._scan(preferred, rescan), self._scanned)

    @staticmethod
    def _scan(preferred: str, rescan: bool) -> tuple[MicrophoneStatus, str | None]:
        """What the scan found, and a note when a rescan could not look afresh."""
        from closer_desktop.audio.devices import AudioBusy

        note = None
        try:
            if rescan:
                from closer_desktop.audio.devices import rescan as restart_portaudio

                try:
                    restart_portaudio()
                except AudioBusy as exc:  # a take plays elsewhere: the devices known so far
                    note = str(exc)
            devices = list_input_devices()
        except AudioUnavailable as exc:
            return MicrophoneStatus(problem=str(exc)), note
        chosen = choose_input(devices, preferred)
        if chosen is None:
            return MicrophoneStatus(problem=NO_MICROPHONE), note
        warm_up()  # the first take then starts as fast as the next ones
        return MicrophoneStatus(devices=tuple(devices), chosen=chosen), note

    def _scanned(self, found: tuple[MicrophoneStatus, str | None]) -> None:
        status, note = found
        self._set_microphone(status)
        if note:
            self.message.emit("warning", note)

    def _set_microphone(self, status: MicrophoneStatus) -> None:
        self.microphone = status
        self.microphone_changed.emit(status)

    def choose_microphone(self, name: str) -> None:
        """Remember the user's microphone (by name) and switch to it."""
        self.settings.set(S.INPUT_DEVICE, name)
        chosen = choose_input(list(self.microphone.devices), name)
        if chosen is not None:
            self.microphone = MicrophoneStatus(devices=self.microphone.devices, chosen=chosen)
            self.microphone_changed.emit(self.microphone)

    @property
    def can_record(self) -> bool:
        return self.microphone.available and self._library_ok and self.library_busy is None

    @property
    def record_blocker(self) -> str | None:
        """Why recording is off right now, in words for the user (None when it is on)."""
        if self.library_error:
            return self.library_error
        if self.library_busy:
            return self.library_busy
        if self.microphone.checking:
            return "Looking for a microphone…"
        if self.microphone.problem:
            return self.microphone.problem
        if not self._library_ok:
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
            self._after_save.append(lambda: self.use_deck(deck, plan))
            self.stop_recording()
            return
        changed_deck = deck.id != self.deck.id
        self.deck = deck
        self.plan = plan or PracticePlan()
        if changed_deck:
            self.session_id = None
        chosen = self.plan.chosen(deck.questions) or list(deck.questions)
        if self.plan.order is PracticeOrder.WEAKEST_FIRST and self._library_ok:
            deck_id = deck.id

            def arrived(history: dict[str, list[RatedTake]]) -> None:
                if self.deck.id == deck_id:
                    self._queue_pending = False
                    self._set_queue(weakest_first(chosen, history, datetime.now().astimezone()))

            def not_arrived(exc: BaseException) -> None:
                log.warning("the ratings for weakest-first could not be read: %s", exc)
                if self.deck.id == deck_id:
                    self._queue_pending = False
                    self._set_queue(practice_queue(chosen, PracticeOrder.IN_ORDER))

            # Until it arrives the page still shows the old deck's question: no take may be
            # filed under the new deck with it.
            self._queue_pending = True
            self._with_library(lambda lib: lib.rated_history(deck_id), arrived, not_arrived)
            return
        self._queue_pending = False
        self._set_queue(practice_queue(chosen, self.plan.order))

    def choose_deck(self, deck: Deck, plan: PracticePlan) -> None:
        """The user picked a deck or changed its plan: remember both, then practise it."""

        def remember() -> None:
            from closer_desktop.storage.decks import DeckStore

            store = DeckStore(self.data_dir)
            store.set_current_deck(deck.id)
            store.save_plan(deck.id, plan)

        self.files.run(remember)
        self.use_deck(deck, plan)

    def reload_deck(self) -> None:
        """Pick up what the deck manager saved: the current deck's wording and plan."""
        self._load_current_deck()

    def _load_current_deck(self) -> None:
        """Switch to the deck and plan remembered in the library (read in the background)."""

        def read() -> tuple[Deck, PracticePlan]:
            from closer_desktop.storage.decks import DeckStore

            store = DeckStore(self.data_dir)
            try:
                deck = store.load(store.current_deck_id() or self.deck.id)
            except DeckError:
                deck = self.deck  # that deck was deleted or cannot be read: keep this one
            return deck, store.plan(deck.id)

        def arrived(result: tuple[Deck, PracticePlan]) -> None:
            deck, plan = result
            if (deck, plan) != (self.deck, self.plan):
                self.use_deck(deck, plan)

        def failed(exc: BaseException) -> None:
            self.message.emit("warning", f"Your decks cannot be read ({exc}).")

        self.files.run(read, arrived, failed)

    def _set_queue(self, queue: list[Question]) -> None:
        self.queue = queue
        self.deck_changed.emit(self.deck)
        self.index = -1  # so that go_to(0) always refreshes
        self.go_to(0)

    def go_to(self, index: int) -> None:
        if not 0 <= index < len(self.queue):
            return
        if self.is_recording:
            self._after_save.append(lambda: self.go_to(index))
            self.stop_recording()
            return
        self.countdown.cancel()
        self.player.stop()
        self.playback_changed.emit(False)
        self.index = index
        self.takes = []
        self._set_current_take(None)
        self.question_changed.emit(index)
        self.takes_changed.emit([])
        self._reload_takes(select_latest=True)

    def next_question(self) -> None:
        if self.index + 1 < len(self.queue):
            self.go_to(self.index + 1)
        else:
            self.finish_deck()

    def previous_question(self) -> None:
        self.go_to(self.index - 1)

    def _reload_takes(self, select_latest: bool, select_id: int | None = None) -> None:
        if not self._library_ok:
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

        self._with_library(lambda lib: lib.takes_for_question(self.deck.id, question_id), loaded)

    # Recording -----------------------------------------------------------------------------

    @property
    def is_recording(self) -> bool:
        return self._recording or self._starting

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
            self.player.stop()
            self.playback_changed.emit(False)
            self.countdown.start(seconds, lambda: self.start_recording(countdown=False))
            return
        device = self.microphone.chosen
        assert device is not None
        rate = self.settings.get(S.SAMPLE_RATE) or device.default_samplerate
        self._starting = True
        self._stopping = False
        self._stop_requested = False
        self.player.stop()
        self.playback_changed.emit(False)
        self.rating_target = None
        self.rating_target_changed.emit(None)
        question = self.question
        session_id = self.session_id

        def reserve(lib: Library) -> tuple[int, Take, Path]:
            sid = session_id if session_id is not None else lib.start_session(self.deck.id)
            take = lib.begin_take(sid, self.deck.id, question, rate)
            return sid, take, lib.audio_file(take)

        def reserved(result: tuple[int, Take, Path]) -> None:
            self.session_id, take, path = result
            self._pending_take = take
            self._recording = True
            self._starting = False
            try:
                self.recorder.start(path, device.index, rate)
            except Exception as exc:  # never left "recording" with no recorder (no way to quit)
                self._pending_take = None
                self._recording = False
                self._with_library(lambda lib: lib.discard_empty_take(take.id))
                failed(exc)
                return
            self.recording_changed.emit(True)
            if self._stop_requested:
                self.recorder.stop()

        def failed(exc: BaseException) -> None:
            self._starting = False
            self.message.emit("error", f"The take could not be started: {exc}")
            self.recording_changed.emit(False)
            self._after_saved(None)

        self._with_library(reserve, reserved, failed)

    def stop_recording(self) -> None:
        self._stopping = True
        if self._starting:
            self._stop_requested = True
        elif self._recording:
            self.recorder.stop()

    @Slot(int)
    def _on_recorder_started(self, sample_rate: int) -> None:
        log.info("recording at %d Hz", sample_rate)

    @Slot(object)
    def _on_recorder_finished(self, result: RecordingResult) -> None:
        take = self._pending_take
        self._pending_take = None
        self._last_saved_take_id = None
        assert take is not None
        if result.frames == 0:

            def discarded(_: object) -> None:
                self._recording = False
                self.recording_changed.emit(False)
                self._after_saved(None)

            def not_discarded(exc: BaseException) -> None:
                log.warning("the empty take %d could not be removed: %s", take.id, exc)
                discarded(None)  # it is finished at the next start: nothing was recorded

            self._with_library(
                lambda lib: lib.discard_empty_take(take.id), discarded, not_discarded
            )
            if result.error:
                self.message.emit("error", result.error)
            else:
                self.message.emit("info", "That was too short to keep: nothing was recorded.")
            return

        def saved(new_take: Take) -> None:
            self._recording = False
            self.recording_changed.emit(False)
            self.analysis.analyse(new_take)
            if result.error:
                self.message.emit(
                    "warning",
                    f"{result.error}. The {result.duration_s:.1f} s recorded so far are kept "
                    "as a take.",
                )
            if result.overflows:
                log.warning("%d input overflows in take %d", result.overflows, new_take.id)
                self.message.emit(
                    "warning",
                    f"The computer fell behind the microphone {result.overflows} time(s) during "
                    "that take, so a few moments of it may be missing.",
                )
            if new_take.question_id == self.question.id:
                self.takes = [*self.takes, new_take]
                self.takes_changed.emit(self.takes)
                self._set_current_take(new_take)
            self._last_saved_take_id = new_take.id  # what digits pressed meanwhile rate
            self._after_saved(None)

        def not_saved(exc: BaseException) -> None:
            self._recording = False
            self.recording_changed.emit(False)
            self.message.emit(
                "error",
                (f"{result.error}. " if result.error else "")
                + f"The take could not be saved in the library ({exc}). Its audio is kept in "
                f"{result.path}, and it will be recovered the next time Closer starts.",
            )
            self._after_saved(None)

        self._with_library(
            lambda lib: lib.finish_take(take.id, result.duration_s, result.sample_rate),
            saved,
            not_saved,
        )

    def _after_saved(self, _: object) -> None:
        if self._recording and self._pending_take is None:
            self._recording = False
            self.recording_changed.emit(False)
        callbacks, self._after_save = self._after_save, []
        for callback in callbacks:
            callback()

    def when_saved(self, callback: Callable[[], None]) -> None:
        """Run `callback` once any take in progress is saved (now, if there is none)."""
        if self.is_recording:
            self._after_save.append(callback)
            self.stop_recording()
        else:
            callback()

    # Takes, playback and rating ----------------------------------------------------------------

    def select_take(self, take_id: int) -> None:
        take = next((t for t in self.takes if t.id == take_id), None)
        if take is not None and take is not self.current_take:
            self._set_current_take(take)

    def _set_current_take(self, take: Take | None) -> None:
        previous = self.current_take
        self.current_take = take
        self.rating_target = RatingScale.PROFESSIONALISM if take is not None else None
        if previous is None or take is None or previous.id != take.id:
            self._play_when_loaded = False
            self.player.unload()
            self._loaded_take_id = None
            self.playback_changed.emit(False)
            if take is not None:
                self._load_audio(take)
        self.current_take_changed.emit(take)
        self.rating_target_changed.emit(self.rating_target)

    def _load_audio(self, take: Take) -> None:
        path = self.data_dir / take.audio_path

        def loaded(result: tuple[Any, int]) -> None:
            if self.current_take is None or self.current_take.id != take.id:
                return
            samples, rate = result
            self.player.load(samples, rate)
            self._loaded_take_id = take.id
            if self._play_when_loaded:
                self._play_when_loaded = False
                self.toggle_playback()

        def failed(exc: BaseException) -> None:
            self._play_when_loaded = False
            self.message.emit("error", str(exc))

        self.files.run(lambda: read_audio(path, compact=True), loaded, failed)

    def toggle_playback(self) -> None:
        if self.is_recording or self.microphone.checking:
            return  # while devices are scanned, PortAudio may be restarting
        if self.current_take is None:
            self.message.emit("info", "Record a take first (Space), then play it back with P.")
            return
        if self._loaded_take_id != self.current_take.id:
            # Still reading the file: play as soon as it is in (a second P cancels that).
            self._play_when_loaded = not self._play_when_loaded
            return
        self.player.toggle()
        self.playback_changed.emit(self.player.is_playing)

    def seek(self, seconds: float) -> None:
        self.player.seek(seconds)

    @Slot(str)
    def _on_player_error(self, text: str) -> None:
        self.playback_changed.emit(False)
        self.message.emit("error", text)

    def set_rating_target(self, scale: RatingScale) -> None:
        if self.current_take is None:
            return
        self.rating_target = scale
        self.rating_target_changed.emit(scale)

    def rate_digit(self, value: int) -> None:
        """A digit key: rate the target scale, then move the target (professionalism, clarity)."""
        if self.is_recording:
            if self._stopping:  # rate the take being stopped and saved, once it is in

                def rate_saved_take() -> None:
                    saved = self._last_saved_take_id
                    if self.current_take is not None and self.current_take.id == saved:
                        self.rate_digit(value)

                self._after_save.append(rate_saved_take)
            return
        if self.current_take is None:
            return
        scale = self.rating_target or RatingScale.PROFESSIONALISM
        self.rate(scale, value)
        following = (
            RatingScale.CLARITY
            if scale is RatingScale.PROFESSIONALISM
            else RatingScale.PROFESSIONALISM
        )
        self.set_rating_target(following)
        take = self.current_take
        if scale is RatingScale.CLARITY and take and self.settings.get(S.AUTO_ADVANCE):
            self._advance_after_rating(take)

    def _advance_after_rating(self, take: Take) -> None:
        """Settings > Practice > auto-advance: once both scales are rated, the next question
        follows after a moment (long enough to see the rating land)."""
        if take.professionalism is None or take.clarity is None:
            return

        def advance() -> None:
            if self.current_take is take and not self.is_recording and not self.countdown.active:
                self.next_question()

        self._advance_timer.start(AUTO_ADVANCE_MS)
        self._advance = advance

    def _advance_now(self) -> None:
        advance, self._advance = self._advance, None
        if advance is not None:
            advance()

    def leave_practice(self) -> None:
        """The user went to another page or dialog: a countdown or a pending move to the next
        question (auto-advance) would otherwise act on a page they no longer see."""
        if self.countdown.active:
            self.countdown.cancel()
        self._advance_timer.stop()
        self._advance = None

    def rate(self, scale: RatingScale, value: int) -> None:
        take = self.current_take
        if take is None:
            return
        if scale is RatingScale.PROFESSIONALISM:
            take.professionalism = value
        else:
            take.clarity = value
        self.current_take_changed.emit(take)
        self.takes_changed.emit(self.takes)
        take_id = take.id
        self._with_library(lambda lib: lib.set_rating(take_id, scale, value))

    def set_note(self, take_id: int, note: str) -> None:
        """Save the note of the take `take_id` (not necessarily the one shown by now)."""
        for take in self.takes:
            if take.id == take_id:
                take.note = note
                self.takes_changed.emit(self.takes)
        self._with_library(lambda lib: lib.set_note(take_id, note))

    def export_library(self, path: Path) -> None:
        """Write the JSON export from the library's own thread; the outcome comes as a message."""
        from closer_desktop.transfer.export import export_json

        self._with_library(
            lambda lib: export_json(lib, path),
            lambda _: self.message.emit("info", f"Library exported to {path}"),
            lambda exc: self.message.emit("error", f"The export failed: {exc}"),
        )

    # End of the deck -----------------------------------------------------------------------------

    def finish_deck(self) -> None:
        """Show how the session went (after any take in progress is saved)."""
        if self.is_recording:
            self.when_saved(self.finish_deck)
            return
        self.player.stop()
        self.playback_changed.emit(False)
        session_id = self.session_id
        questions = [(q.id, q.text) for q in self.queue]
        if session_id is None or not self._library_ok:
            self.summary_ready.emit(SessionSummary(summarize(questions, [])))
            return

        def summary(lib: Library) -> SessionSummary:
            from closer_desktop.storage.queries.progress import compare_with_previous

            takes = lib.takes_for_session(session_id)
            return SessionSummary(
                summarize(questions, takes), compare_with_previous(lib, session_id)
            )

        self._with_library(summary, self.summary_ready.emit)

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
        self.player.close()
        self.recorder.stop()
        self.recorder.wait(3.0)
        for runner in (self.files, self.devices):
            runner.shutdown()
        if self._library is not None:
            library = self._library
            self.db.call(library.close)
        self.db.shutdown()
