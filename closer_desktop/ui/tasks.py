"""Background work with results delivered on the GUI thread (Anki's taskman, in small).

`TaskRunner.run(fn, on_done)` runs `fn` on the runner's worker thread and calls `on_done(result)`
on the GUI thread. A runner has one worker, so tasks run in order: the library uses its own runner,
making it the only thread that touches the database.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal, Slot

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
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"closer-{name}")
        self._finished.connect(self._deliver)
        self._pending = 0
        self._lock = threading.Lock()

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def run(
        self,
        fn: Callable[[], T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        with self._lock:
            self._pending += 1
        future = self._executor.submit(fn)
        future.add_done_callback(lambda f: self._finished.emit((f, on_done, on_error)))

    def call(self, fn: Callable[[], T]) -> T:
        """Run `fn` on the worker and wait for it: only for shutdown and the CLI, never the GUI."""
        return self._executor.submit(fn).result()

    def shutdown(self) -> None:
        self._executor.shutdown(wait=True)

    @Slot(object)
    def _deliver(self, payload: tuple[Future[Any], Any, Any]) -> None:
        future, on_done, on_error = payload
        with self._lock:
            self._pending -= 1
        exc = future.exception()
        if exc is not None:
            if on_error is not None:
                on_error(exc)
            else:
                log.error("background task failed", exc_info=exc)
                self.failed.emit(str(exc))
            return
        if on_done is not None:
            on_done(future.result())
