"""Delivery feedback computed in the background after each take, and stored with it.

`TakeAnalyser.analyse(take)` queues the take on its own worker thread (never the GUI's, nor the
library's: a transcript takes seconds), then hands the result to the library's thread to store
(storage/take_metrics.py) and emits `metrics_ready` on the GUI thread. Takes are analysed one at a
time, newest request first served in order. The Whisper model is loaded on first use and kept.

The worker runs at a lower CPU priority (nice +10, a per-thread setting on Linux that the
recogniser's own threads inherit, as they are started from it), and the recogniser leaves one
core free, so recording, playback and the GUI keep theirs.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from closer_desktop.ui.tasks import TaskRunner

if TYPE_CHECKING:  # imported on the worker threads that use them: start-up stays cheap
    from closer_desktop.domain.practice import Take
    from closer_desktop.storage.library import Library

log = logging.getLogger(__name__)

NICENESS = 10

RunOnLibrary = Callable[..., None]  # PracticeController.run_on_library


class TakeAnalyser(QObject):
    """Analyses takes off the GUI thread and stores the results.

    Signals:
        metrics_ready(int, object): a take's id and its metrics (the dict of
            analysis.metrics.Metrics.to_json()), stored in the library.
        analysing(int): a take's metrics are being computed (a view may say so).
        failed(int, str): a take's id and why it could not be analysed (for the log or a view).
    """

    metrics_ready = Signal(int, object)
    analysing = Signal(int)
    failed = Signal(int, str)

    def __init__(
        self, run_on_library: RunOnLibrary, data_dir: Path, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._run_on_library = run_on_library
        self._data_dir = data_dir
        self._runner = TaskRunner("analysis", self)
        self._recognizer: Any = None
        self._speech_checked = False
        self._prepared = threading.local()
        self._closing = False
        self._queued: set[int] = set()  # being analysed or waiting to be
        self._cancel = threading.Event()
        self.enabled: Callable[[], bool] = lambda: True  # the owner ties it to the setting

    @property
    def busy(self) -> bool:
        return self._runner.busy

    def request(self, take: Take) -> None:
        """`metrics_ready` for `take`: its stored metrics when the analyser that made them is
        the current one, otherwise (never analysed, or by an older analyser) analysed now."""

        def load(library: Library) -> tuple[dict[str, Any] | None, bool]:
            # On the library's thread: the analysis package (numpy and more) is imported here,
            # never on the GUI thread.
            from closer_desktop.analysis.metrics import ANALYSER_VERSION
            from closer_desktop.storage.take_metrics import metrics_by_take

            stored = metrics_by_take(library, [take.id]).get(take.id)
            return stored, stored is not None and stored.get("analyser_version") == ANALYSER_VERSION

        def loaded(result: tuple[dict[str, Any] | None, bool]) -> None:
            stored, current = result
            if stored is not None and (current or not self.enabled()):
                self.metrics_ready.emit(take.id, stored)
            elif take.id in self._queued:
                self.analysing.emit(take.id)
            elif not self.enabled():
                self.failed.emit(take.id, "delivery analysis is off (Settings, Practice tab)")
            elif not take.audio_missing:
                self.analyse(take)

        self._run_on_library(load, loaded, lambda exc: self._failed(take.id, exc))

    def analyse(self, take: Take) -> None:
        """Queue `take` for analysis; its metrics are stored, then `metrics_ready` is emitted.
        Does nothing while analysis is switched off in the settings."""
        if not self.enabled():
            self.failed.emit(take.id, "delivery analysis is off (Settings, Practice tab)")
            return
        path = self._data_dir / take.audio_path
        take_id = take.id
        self._queued.add(take_id)
        self.analysing.emit(take_id)
        self._runner.run(
            lambda: self._analyse_file(path),
            lambda metrics: self._store(take_id, metrics),
            lambda exc: self._failed(take_id, exc),
        )

    def shutdown(self) -> None:
        """Stop: queued takes are skipped and a transcript in progress stops after its current
        chunk (a second at most), which this waits for: the process must not exit while the
        recogniser's native code runs on another thread."""
        self._closing = True
        self._cancel.set()
        self._runner.shutdown(wait=True)

    # On the analysis worker ---------------------------------------------------------------

    def _analyse_file(self, path: Path) -> dict[str, Any]:
        from closer_desktop.analysis.metrics import analyse_file

        if self._closing:
            raise RuntimeError("shutting down")
        self._prepare_thread()
        return analyse_file(path, recognizer=self._get_recognizer(), cancel=self._cancel).to_json()

    def _prepare_thread(self) -> None:
        if getattr(self._prepared, "done", False):
            return
        self._prepared.done = True
        with contextlib.suppress(OSError, AttributeError):  # Linux: per thread
            tid = threading.get_native_id()
            os.setpriority(os.PRIO_PROCESS, tid, os.getpriority(os.PRIO_PROCESS, tid) + NICENESS)

    def _get_recognizer(self) -> Any:
        """The background Recognizer (loaded once per process); None when speech recognition
        is not installed (the metrics then say how to enable it)."""
        if self._recognizer is None and not self._speech_checked:
            self._speech_checked = True
            self._recognizer = _background_recognizer()
        return self._recognizer

    # On the GUI thread ----------------------------------------------------------------------

    def _store(self, take_id: int, metrics: dict[str, Any]) -> None:
        from closer_desktop.storage.take_metrics import save_metrics

        self._queued.discard(take_id)

        def stored(kept: bool) -> None:
            if kept:
                self.metrics_ready.emit(take_id, metrics)

        def not_stored(exc: BaseException) -> None:
            self._failed(take_id, exc)

        def save(library: Library) -> bool:
            return save_metrics(library, take_id, metrics)

        self._run_on_library(save, stored, not_stored)

    def _failed(self, take_id: int, exc: BaseException) -> None:
        self._queued.discard(take_id)
        if self._closing:
            return
        log.warning("take %d could not be analysed: %s", take_id, exc)
        self.failed.emit(take_id, str(exc))


_background: Any = None
_background_lock = threading.Lock()


def _background_recognizer() -> Any:
    """A Recognizer for background analysis, made on a (niced) analysis thread: the threads
    the native library starts then inherit its lower priority. It leaves one core free."""
    global _background
    with _background_lock:
        if _background is None:
            from closer_desktop.analysis.transcribe import (
                Recognizer,
                SpeechUnavailable,
                speech_unavailable,
            )

            if speech_unavailable() is None:
                try:
                    _background = Recognizer(threads=max(1, (os.cpu_count() or 1) - 1))
                except SpeechUnavailable as exc:
                    log.warning("no transcripts: %s", exc)
        return _background
