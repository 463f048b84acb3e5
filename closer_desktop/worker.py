"""A thread that runs submitted callables one after another (lighter than concurrent.futures).

Used under the Qt task runner (app/tasks.py) and by the player for stream control. No Qt here.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from queue import SimpleQueue
from typing import Any

log = logging.getLogger(__name__)


class SerialWorker:
    """Runs jobs in submission order on one daemon thread, started on first use."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._jobs: SimpleQueue[Callable[[], Any] | None] = SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._closed = False

    @property
    def closed(self) -> bool:
        return self._closed

    def submit(self, job: Callable[[], Any]) -> None:
        with self._lock:
            if self._closed:
                raise RuntimeError(f"worker {self.name} is shut down")
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
                self._thread.start()
        self._jobs.put(job)

    def call(self, job: Callable[[], Any], timeout: float | None = None) -> Any:
        """Run `job` on the worker and wait for its result (shutdown and tests only)."""
        done = threading.Event()
        outcome: list[Any] = []

        def wrapped() -> None:
            try:
                outcome.append((True, job()))
            except BaseException as exc:
                outcome.append((False, exc))
            finally:
                done.set()

        self.submit(wrapped)
        if not done.wait(timeout):
            raise TimeoutError(f"worker {self.name} did not finish in time")
        ok, value = outcome[0]
        if not ok:
            raise value
        return value

    def shutdown(self, wait: bool = True, timeout: float | None = 10.0) -> None:
        """Finish the queued jobs, then stop the thread."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            thread = self._thread
        self._jobs.put(None)
        if wait and thread is not None:
            thread.join(timeout)

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            try:
                job()
            except BaseException:  # one failing job must not stop the ones queued after it
                log.exception("job failed on worker %s", self.name)
