"""Delivery feedback computed in the background after each take, and stored with it.

`TakeAnalyser.analyse(take)` queues the take on its own worker thread (never the GUI's, nor the
library's: a transcript takes seconds), then hands the result to the library's thread to store
(storage/take_metrics.py) and emits `metrics_ready` on the GUI thread. Takes are analysed one at a
time, in the order asked.

The work itself runs in the app's analysis process (analysis/process.py, `make_engine`), which
keeps the Whisper model loaded: in this process it held the interpreter lock long enough to
freeze the window, and a crash in its native code would take the app with it. That process runs
at a lower CPU priority (nice +10) and the recogniser leaves one core free, so recording,
playback and the GUI keep theirs. The worker thread here only waits for its answers.

`catch_up()` brings the whole library up to date: every take with no stored metrics, or metrics
of an older ANALYSER_VERSION, is analysed again, newest first, one at a time, each only when
nothing the user asked for is waiting. It waits while the user records (a transcript in progress
stops and is done again afterwards), stops when analysis is switched off, and says how far it is
through `catch_up_progress` (CatchUpStatus shows that in the status bar).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from closer_desktop.app import operations as ops
from closer_desktop.app.tasks import TaskRunner

if TYPE_CHECKING:  # imported on the worker threads that use them: start-up stays cheap
    from closer_desktop.analysis.process import AnalysisEngine
    from closer_desktop.domain.practice import Take

log = logging.getLogger(__name__)

CATCH_UP_DELAY_MS = 15_000  # after the library opens: start-up and a first take come first
RESUME_DELAY_MS = 2_000  # after a recording: its own analysis and a replay come first
OFF_REASON = "delivery analysis is off (Settings, Practice tab)"


def make_engine() -> AnalysisEngine:
    """Where the app's analysis runs: its own process (tests may analyse in this one)."""
    from closer_desktop.analysis.process import AnalysisProcess

    return AnalysisProcess()


class TakeAnalyser(QObject):
    """Analyses takes off the GUI thread and stores the results.

    Signals:
        metrics_ready(int, object): a take's id and its metrics (the dict of
            analysis.metrics.Metrics.to_json()), stored in the library.
        analysing(int): a take's metrics are being computed (a view may say so).
        failed(int, str): a take's id and why it could not be analysed (for the log or a view).
        catch_up_progress(int, int): the catch-up is at take n of total; (0, 0) when it is over.
    """

    metrics_ready = Signal(int, object)
    analysing = Signal(int)
    failed = Signal(int, str)
    catch_up_progress = Signal(int, int)

    def __init__(
        self, library: ops.LibraryRunner, data_dir: Path, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._library = library  # the LibraryService: stored figures are read and kept there
        self._data_dir = data_dir
        self._runner = TaskRunner("analysis", self)
        self._engine: AnalysisEngine | None = None  # made on the worker thread, on first use
        self._engine_lock = threading.Lock()  # shutdown() sees any engine the worker made
        self._closing = False
        self._queued: set[int] = set()  # being analysed or waiting to be
        self._cancel = threading.Event()
        self.enabled: Callable[[], bool] = lambda: True  # the owner ties it to the setting
        self.recording = False  # the owner says so (set_recording): the catch-up waits
        self._catch_up: list[int] | None = None  # take ids still to bring up to date; None: idle
        self._catch_up_take: int | None = None  # the one being looked up or analysed now
        self._catch_up_cancel = threading.Event()  # stops its transcript (a recording started)
        self._catch_up_done = 0
        self._catch_up_total = 0
        self._catch_up_off = False  # stopped because analysis was switched off
        self._warmed = False  # warm_up has run (or is running)
        self._process_asked = False  # start_process has run since the last release

    @property
    def busy(self) -> bool:
        return self._runner.busy

    @property
    def process_id(self) -> int | None:
        """The analysis process's id while it runs (benchmarks watch its memory)."""
        return getattr(self._engine, "pid", None)

    @property
    def catching_up(self) -> bool:
        return self._catch_up is not None

    def request(self, take: Take) -> None:
        """`metrics_ready` for `take`: its stored metrics when the analyser that made them is
        the current one, otherwise (never analysed, or by an older analyser) analysed now."""

        def loaded(result: tuple[dict[str, Any] | None, bool]) -> None:
            stored, current = result
            if stored is not None and (current or not self.enabled()):
                self.metrics_ready.emit(take.id, stored)
            elif take.id in self._queued:
                self.analysing.emit(take.id)
            elif not self.enabled():
                self.failed.emit(take.id, OFF_REASON)
            elif not take.audio_missing:
                self.analyse(take)

        ops.stored_metrics(take.id).run(
            self._library, loaded, lambda exc: self._failed(take.id, exc)
        )

    def analyse(self, take: Take) -> None:
        """Queue `take` for analysis; its metrics are stored, then `metrics_ready` is emitted.
        Does nothing while analysis is switched off in the settings."""
        if not self.enabled():
            self.failed.emit(take.id, OFF_REASON)
            return
        if self._catch_up_off:  # switched on again since the catch-up stopped: resume it
            self._catch_up_off = False
            self.schedule_catch_up()
        path = self._data_dir / take.audio_path
        take_id = take.id
        self._queued.add(take_id)
        self.analysing.emit(take_id)
        self._runner.run(
            lambda: self._analyse_file(path, audio_s=take.duration_s),
            lambda metrics: self._store(take_id, take.uid, metrics),
            lambda exc: self._failed(take_id, exc),
        )

    def shutdown(self) -> None:
        """Stop: queued takes are skipped and the analysis process ends (a transcript in
        progress with it); the worker thread, then only waiting for it, is joined."""
        self._closing = True
        self._cancel.set()
        self._catch_up_cancel.set()
        with self._engine_lock:  # from here on the worker makes none (see _get_engine)
            engine = self._engine
        if engine is not None:
            engine.close()
        self._runner.shutdown(wait=True)

    def release(self) -> None:
        """Analysis was switched off: the analysis process ends (and frees its model, ~240 MB)
        once the work in hand is done; the next analysis, or recording, starts it again."""
        with self._engine_lock:
            engine = self._engine
        self._process_asked = False
        if engine is not None and not self._closing:
            self._runner.run(engine.stop, None, lambda exc: log.warning("analysis stop: %s", exc))

    def warm_up(self) -> None:
        """Import the metrics code (numpy) on the worker thread soon: the library's lookups use
        it, and the import holds the interpreter lock long enough to be felt, which the user
        should meet while reading the question (called when the library opens), not on the
        first take. Never during a take; nothing when analysis is off. The analysis process
        starts later, with the first recording (`start_process`)."""
        QTimer.singleShot(0, self, self._warm_up_now)

    def _warm_up_now(self) -> None:
        if self._closing or not self.enabled() or self._warmed:
            return
        if self.recording:  # not during a take: it would compete with the recorder's thread
            QTimer.singleShot(RESUME_DELAY_MS, self, self._warm_up_now)
            return
        self._warmed = True

        def prepare() -> None:
            import closer_desktop.analysis.metrics  # noqa: F401  (the library's lookups use it)

        self._runner.run(prepare, None, lambda exc: log.warning("analysis warm-up: %s", exc))

    def start_process(self) -> None:
        """Start the analysis process, and have it load the speech model, unless it runs:
        called when a recording starts, so the model is ready when the take ends. (In a
        process of its own, the load stalls neither the window nor the recorder.) A user who
        only browses their history never starts it. Nothing when analysis is off."""
        if self._closing or not self.enabled() or self._process_asked:
            return
        self._process_asked = True

        def start() -> None:
            if not self._closing and self.enabled():
                self._get_engine().warm_up()

        self._runner.run(start, None, lambda exc: log.warning("analysis process: %s", exc))

    # Catching up with a new analyser ------------------------------------------------------

    def schedule_catch_up(self, delay_ms: int | None = None) -> None:
        """`catch_up` once the app has settled (CATCH_UP_DELAY_MS after now, by default)."""
        delay = CATCH_UP_DELAY_MS if delay_ms is None else delay_ms
        QTimer.singleShot(delay, self, self.catch_up)

    def catch_up(self) -> None:
        """Analyse again, in the background, every take whose stored metrics are missing or
        from an older analyser: newest first, one at a time. Does nothing while analysis is
        switched off, or while a catch-up already runs."""
        if self._closing or self._catch_up is not None:
            return
        if not self.enabled():
            self._catch_up_off = True
            return
        self._catch_up_off = False
        self._catch_up = []  # running, while the list is read

        def found(take_ids: list[int]) -> None:
            self._catch_up = take_ids
            self._catch_up_done, self._catch_up_total = 0, len(take_ids)
            if take_ids:
                log.info("%d takes to analyse with the current analyser", len(take_ids))
            self._catch_up_next()

        def not_found(exc: BaseException) -> None:
            log.warning("no catch-up of delivery feedback: %s", exc)
            self._catch_up = None

        ops.takes_needing_metrics().run(self._library, found, not_found)

    def set_recording(self, recording: bool) -> None:
        """The user started or stopped recording: the catch-up must not compete with a take,
        so its transcript in progress stops (it is done again later) and it waits."""
        self.recording = recording
        if recording:
            self._catch_up_cancel.set()
            self.start_process()  # loads the model while the user speaks
        else:
            QTimer.singleShot(RESUME_DELAY_MS, self, self._catch_up_next)
        if self._catch_up is not None and self._catch_up_total:  # the status bar says it waits
            self.catch_up_progress.emit(self._catch_up_done + 1, self._catch_up_total)

    def _catch_up_next(self) -> None:
        """Start on the next take of the catch-up, unless something comes first: a take in
        progress, a recording, or takes the user asked for (this runs again after each)."""
        take_ids = self._catch_up
        if take_ids is None or self._catch_up_take is not None or self._closing:
            return
        if not self.enabled():
            self._catch_up_off = True
            self._end_catch_up()
            return
        if self.recording or self._queued:
            return
        if not take_ids:
            self._end_catch_up()
            return
        take_id = take_ids.pop(0)
        self._catch_up_take = take_id
        self.catch_up_progress.emit(self._catch_up_done + 1, self._catch_up_total)

        def looked(take: Take | None) -> None:
            if take is None or self._catch_up is None:
                self._finished(take_id)
            elif self.recording or self._queued or not self.enabled():
                self._catch_up.insert(0, take_id)  # later: see _catch_up_next
                self._catch_up_take = None
                self._catch_up_next()
            else:
                self._analyse_for_catch_up(take)

        ops.take_to_catch_up(take_id).run(
            self._library, looked, lambda exc: self._failed(take_id, exc)
        )

    def _analyse_for_catch_up(self, take: Take) -> None:
        path = self._data_dir / take.audio_path
        take_id = take.id
        cancel = self._catch_up_cancel = threading.Event()
        self._queued.add(take_id)
        self.analysing.emit(take_id)

        def stopped(exc: BaseException) -> None:
            if cancel.is_set() and not self._closing and self._catch_up is not None:
                self._queued.discard(take_id)  # for a recording: again once it is over
                self._catch_up.insert(0, take_id)
                self._catch_up_take = None
                log.info("analysis of take %d waits for the recording", take_id)
                self._catch_up_next()  # at once if the recording is already over
            else:
                self._failed(take_id, exc)

        self._runner.run(
            lambda: self._analyse_file(path, cancel, take.duration_s),
            lambda metrics: self._store(take_id, take.uid, metrics),
            stopped,
        )

    def _finished(self, take_id: int) -> None:
        """A take's analysis is over (stored, failed or not needed): the catch-up moves on."""
        if take_id == self._catch_up_take:
            self._catch_up_take = None
            self._catch_up_done += 1
        self._catch_up_next()

    def _end_catch_up(self) -> None:
        if self._catch_up_done:
            log.info("%d takes analysed with the current analyser", self._catch_up_done)
        self._catch_up = None
        self.catch_up_progress.emit(0, 0)

    # On the analysis worker ---------------------------------------------------------------

    def _analyse_file(
        self, path: Path, cancel: threading.Event | None = None, audio_s: float = 0.0
    ) -> dict[str, Any]:
        if self._closing:
            raise RuntimeError("shutting down")
        return self._get_engine().analyse(path, cancel or self._cancel, audio_s)

    def _get_engine(self) -> AnalysisEngine:
        with self._engine_lock:
            if self._closing:
                raise RuntimeError("shutting down")
            if self._engine is None:
                self._engine = make_engine()
            return self._engine

    # On the GUI thread ----------------------------------------------------------------------

    def _store(self, take_id: int, uid: str, metrics: dict[str, Any]) -> None:
        self._queued.discard(take_id)

        def stored(kept: bool) -> None:
            if kept:
                self.metrics_ready.emit(take_id, metrics)
            self._finished(take_id)

        def not_stored(exc: BaseException) -> None:
            self._failed(take_id, exc)

        ops.save_metrics(take_id, metrics, uid).run(self._library, stored, not_stored)

    def _failed(self, take_id: int, exc: BaseException) -> None:
        self._queued.discard(take_id)
        if self._closing:
            return
        log.warning("take %d could not be analysed: %s", take_id, exc)
        self.failed.emit(take_id, str(exc))
        self._finished(take_id)
