"""One take at a time, from its reservation in the library to its saved row.

Recording is a small state machine with awkward edges: the take is listed in the library before
any sound exists (so nothing spoken is ever unaccounted for), a stop may arrive before the
reservation came back, an empty take is taken out of the list again, and the practice page has
work that must wait until the take in progress is saved (moving on, quitting, a digit pressed
while it is still being written). That machine lives here, apart from the practice controller
that decides when a take starts and what follows it; the recorder's callbacks, which come from
its writer thread, are bridged here onto the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from closer_desktop.app import operations as ops
from closer_desktop.app.library import LibraryService
from closer_desktop.audio.recorder import BlockListener, Recorder, RecordingResult
from closer_desktop.domain import session as rules
from closer_desktop.domain.deck import Question
from closer_desktop.domain.practice import Take
from closer_desktop.domain.text import counted

log = logging.getLogger(__name__)


class Recording(QObject):
    """Starts, stops and saves takes on the library service, one at a time.

    Signals:
        changed(bool): a take started recording (True), or it was saved, dropped or could not
            start (False).
        session_started(int): the session the take was reserved in (a new one on a session's
            first take); emitted before the recorder starts.
        saved(object): the Take, now complete in the library, before what waited on it runs.
        ended(object): the take's life is over: the saved Take, or None (it was empty, could
            not be saved, or never started); after `saved`, before what waited on it runs.
        message(str, str): (level, text) for the status area.
        set_aside(object, str): (Take, why): the take looked accidental (too short, nothing
            said) and was saved straight into the trash, for the owner to offer an undo; it is
            never `saved`. Only for takes ended by `stop(set_aside_accidental=True)` (the
            user's own stop; a take saved on the way out, at quitting say, is always kept).
            Emitted before `changed(False)`.

    Whoever starts a take names itself as its `owner` (the practice controller, the interview
    run), so each listener acts on its own takes only: there is one recorder in the app.
    """

    changed = Signal(bool)
    session_started = Signal(int)
    saved = Signal(object)
    ended = Signal(object)
    message = Signal(str, str)
    set_aside = Signal(object, str)

    # Bridges from the recorder's writer thread (queued because emitted from there).
    _recorder_started = Signal(int)
    _recorder_finished = Signal(object)

    def __init__(self, library: LibraryService, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.recorder = Recorder(self._recorder_started.emit, self._recorder_finished.emit)
        self._recording = False  # a recorder runs, or its result is being saved
        self._starting = False  # the take is being reserved; the recorder has not started
        self._stop_requested = False  # a stop came while starting: stop once it has started
        self._stopping = False
        self._take: Take | None = None  # reserved and recording; None once the recorder ended
        self._last_saved_take_id: int | None = None
        self.owner: object | None = None  # who started the take in progress (or the last one)
        self._set_aside_accidental = False  # of the take in progress: see start_take
        self._after_save: list[Callable[[], None]] = []
        self._recorder_started.connect(self._on_recorder_started)
        self._recorder_finished.connect(self._on_recorder_finished)

    @property
    def is_recording(self) -> bool:
        """From the start of the reservation until the take is saved or dropped."""
        return self._recording or self._starting

    @property
    def is_stopping(self) -> bool:
        """A stop was asked for (the take may still be being saved)."""
        return self._stopping

    @property
    def take(self) -> Take | None:
        """The take the recorder is writing; None before it started and once it has finished."""
        return self._take

    @property
    def last_saved_take_id(self) -> int | None:
        """The take the last stop saved (None while a take is finishing, or if none was kept)."""
        return self._last_saved_take_id

    def start_take(
        self,
        session_id: int | None,
        deck_id: str,
        question: Question,
        device: int | None,
        rate: int,
        *,
        options: dict[str, Any] | None = None,
        listener: BlockListener | None = None,
        owner: object | None = None,
    ) -> None:
        """Reserve a take of `question` in the library, then record it from `device` at `rate`.

        `options` are stored with the take as they are (its mode, hint level: see
        Library.begin_take). `listener(mono_block, rate)` hears each block as it is written, on
        the recorder's writer thread (see Recorder.start). `owner` is kept as `self.owner` until
        the next take starts. Ignored while a take is in progress.
        """
        if self.is_recording:
            return
        self.owner = owner
        self._set_aside_accidental = False
        self._starting = True
        self._stopping = False
        self._stop_requested = False

        def reserved(result: tuple[int, Take, Path]) -> None:
            session, take, path = result
            self.session_started.emit(session)
            self._take = take
            self._recording = True
            self._starting = False
            try:
                self.recorder.start(path, device, rate, listener=listener)
            except Exception as exc:  # never left "recording" with no recorder (no way to quit)
                self._take = None
                self._recording = False
                ops.discard_empty_take(take.id).run(self.library)
                failed(exc)
                return
            self.changed.emit(True)
            if self._stop_requested:
                self.recorder.stop()

        def failed(exc: BaseException) -> None:
            self._starting = False
            self.message.emit("error", f"The take could not be started: {exc}")
            self.changed.emit(False)
            self._run_waiting()

        reserve = ops.reserve_take(session_id, deck_id, question, rate, options)
        reserve.run(self.library, reserved, failed)

    def stop(self, set_aside_accidental: bool = False) -> None:
        """End the take; it is saved (or dropped, if empty) once the recorder has finished.
        `set_aside_accidental`: the user stopped it, so a take too short or with nothing said
        in it goes to the trash instead (see `set_aside`); a later stop does not undo that."""
        self._set_aside_accidental = self._set_aside_accidental or set_aside_accidental
        self._stopping = True
        if self._starting:
            self._stop_requested = True
        elif self._recording:
            self.recorder.stop()

    def when_saved(self, callback: Callable[[], None]) -> None:
        """Run `callback` once any take in progress is stopped and saved (now, if there is none)."""
        if self.is_recording:
            self._after_save.append(callback)
            self.stop()
        else:
            callback()

    def shutdown(self) -> None:
        """End any take at exit; its file stays for recovery if it cannot be saved by then."""
        self.recorder.stop()
        self.recorder.wait(3.0)

    @Slot(int)
    def _on_recorder_started(self, sample_rate: int) -> None:
        log.info("recording at %d Hz", sample_rate)

    @Slot(object)
    def _on_recorder_finished(self, result: RecordingResult) -> None:
        take = self._take
        self._take = None
        self._last_saved_take_id = None
        assert take is not None
        accidental = rules.accidental_take(result.duration_s, result.sounding_s)
        if result.frames == 0:
            self._discard(take, result)
        elif accidental and self._set_aside_accidental and not result.error:
            aside = ops.set_aside_take(take.id, result.duration_s, result.sample_rate)
            aside.run(
                self.library,
                lambda a: self._put_aside(a, accidental, result),
                lambda e: self._not_saved(e, result),
            )
        else:
            finish = ops.finish_take(take.id, result.duration_s, result.sample_rate)
            finish.run(
                self.library, lambda t: self._saved(t, result), lambda e: self._not_saved(e, result)
            )

    def _discard(self, take: Take, result: RecordingResult) -> None:
        """Nothing was recorded: take the reserved take out of the list again."""

        def discarded(_: object) -> None:
            self._recording = False
            self.changed.emit(False)
            self._run_waiting()

        def not_discarded(exc: BaseException) -> None:
            log.warning("the empty take %d could not be removed: %s", take.id, exc)
            discarded(None)  # it is finished at the next start: nothing was recorded

        ops.discard_empty_take(take.id).run(self.library, discarded, not_discarded)
        if result.error:
            self.message.emit("error", result.error)
        else:
            self.message.emit("info", "That was too short to keep: nothing was recorded.")

    def _put_aside(self, aside: ops.SetAside, why: str, result: RecordingResult) -> None:
        take = aside.take
        if aside.not_trashed is not None:  # saved, only not set aside: an ordinary take
            log.warning("take %d could not be set aside: %s", take.id, aside.not_trashed)
            self._saved(take, result)
            self.message.emit(
                "warning",
                "That take looked accidental, but it could not be moved to the trash "
                f"({aside.not_trashed}), so it is kept as an ordinary take.",
            )
            return
        self._recording = False
        self.set_aside.emit(take, why)  # first: what `changed` does may depend on it
        self.changed.emit(False)
        self._run_waiting()

    def _saved(self, take: Take, result: RecordingResult) -> None:
        self._recording = False
        self.changed.emit(False)
        if result.error:
            self.message.emit(
                "warning",
                f"{result.error}. The {result.duration_s:.1f} s recorded so far are kept as a take.",
            )
        if result.overflows:
            log.warning("%d input overflows in take %d", result.overflows, take.id)
            self.message.emit(
                "warning",
                f"The computer fell behind the microphone {counted(result.overflows, 'time')} during "
                "that take, so a few moments of it may be missing.",
            )
        self.saved.emit(take)
        self._last_saved_take_id = take.id  # what digits pressed meanwhile rate
        self._run_waiting(take)

    def _not_saved(self, exc: BaseException, result: RecordingResult) -> None:
        self._recording = False
        self.changed.emit(False)
        self.message.emit(
            "error",
            (f"{result.error}. " if result.error else "")
            + f"The take could not be saved in the library ({exc}). Its audio is kept in "
            f"{result.path}, and it will be recovered the next time Closer starts.",
        )
        self._run_waiting()

    def _run_waiting(self, saved: Take | None = None) -> None:
        """Run what waited on the take, now that it is saved, dropped or never started."""
        if self._recording and self._take is None:
            self._recording = False
            self.changed.emit(False)
        self.ended.emit(saved)
        callbacks, self._after_save = self._after_save, []
        for callback in callbacks:
            callback()
