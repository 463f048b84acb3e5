"""Background work with results delivered on the GUI thread (Anki's taskman, in small).

`TaskRunner.run(fn, on_done)` runs `fn` on the runner's worker thread and calls `on_done(result)`
on the GUI thread. A runner has one worker, so tasks run in order: the library uses its own runner,
making it the only thread that touches the database.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal, Slot

from closer_desktop.worker import SerialWorker

log = logging.getLogger(__name__)
T = TypeVar("T")


class TaskRunner(QObject):
    """Runs callables in order on one worker thread.

    Signals:
        failed(str): a task raised and had no on_error; the text is for the user.
    """

    failed = Signal(str)
    _finished = Signal(object)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._worker = SerialWorker(f"closer-{name}")
        self._finished.connect(self._deliver)
        self._pending = 0
        self._lock = threading.Lock()

    @property
    def busy(self) -> bool:
        """Tasks are queued or running, or their results are not delivered yet."""
        return self._pending > 0

    def run(
        self,
        fn: Callable[[], T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        if self._worker.closed:
            log.warning("task dropped: the %s worker has shut down", self._worker.name)
            return
        with self._lock:
            self._pending += 1

        def job() -> None:
            try:
                outcome: tuple[bool, Any] = (True, fn())
            except BaseException as exc:
                outcome = (False, exc)
            try:
                self._finished.emit((*outcome, on_done, on_error))
            except RuntimeError:  # the window (and this runner) closed while the task ran
                log.debug("result of a %s task dropped at shutdown", self._worker.name)

        self._worker.submit(job)

    def call(self, fn: Callable[[], T]) -> T:
        """Run `fn` on the worker and wait for it: only for shutdown and the CLI, never the GUI."""
        result: T = self._worker.call(fn)
        return result

    def shutdown(self, wait: bool = True) -> None:
        """Stop after the queued tasks; with `wait`, block until they are done."""
        self._worker.shutdown(wait=wait)

    @Slot(object)
    def _deliver(self, payload: tuple[bool, Any, Any, Any]) -> None:
        ok, value, on_done, on_error = payload
        with self._lock:
            self._pending -= 1
        if not ok:
            if on_error is not None:
                on_error(value)
            else:
                log.error("background task failed", exc_info=value)
                self.failed.emit(str(value))
            return
        if on_done is not None:
            on_done(value)
