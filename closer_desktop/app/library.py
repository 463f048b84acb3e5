"""The library service: the one door to the database, for every page.

It opens the library on its own worker thread (repairing what a crash or damage left, under the
launch lock), then runs every library job on that same thread, so one thread owns the database.
Pages, actions and take analysis get it from the main window; they no longer reach the library
through the practice controller. Named jobs live in app/operations.py.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, Signal

from closer_desktop.app.operations import Change
from closer_desktop.app.tasks import TaskRunner

if TYPE_CHECKING:  # the library (sqlite3 and friends) is imported on its worker thread
    from closer_desktop.storage.library import Library
    from closer_desktop.storage.lock import LibraryLock

T = TypeVar("T")


class LibraryService(QObject):
    """Opens the library and runs jobs on its thread; says when it is ready, changed or busy.

    Signals:
        ready(): the database is open and takes can be saved.
        failed(): it could not be opened; `library_error` says why, in words for the user.
        changed(object): a Change: what an operation (or a restore) altered, so that listeners
            refresh what it touched.
        busy_changed(object): a long job holds recording off (its reason, a str) or ended (None).
        message(str, str): (level, text) for the status area.
    """

    ready = Signal()
    failed = Signal()
    changed = Signal(object)
    busy_changed = Signal(object)
    message = Signal(str, str)

    def __init__(
        self, data_dir: Path, parent: QObject | None = None, *, lock: LibraryLock | None = None
    ) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.lock = lock  # taken at launch; None: opening the library takes it
        self.runner = TaskRunner("library", self)
        self.runner.failed.connect(lambda text: self.message.emit("error", text))
        self.library_error: str | None = None
        self.library_busy: str | None = None  # a backup, restore or move runs: why recording waits
        self._library: Library | None = None
        self._open = False

    def open(self) -> None:
        """Open the library in the background; `ready` or `failed` follows."""
        self.runner.run(self._open_library, self._opened, self._not_opened)

    def _open_library(self) -> str | None:
        """On the worker: open, repairing what a crash or damage left (storage/recovery.py)."""
        from closer_desktop.storage.recovery import open_library

        self._library, report = open_library(self.data_dir, self.lock)
        return report.message()

    def _opened(self, repaired: str | None) -> None:
        self._open = True
        self.ready.emit()
        if repaired:  # told once: what was repaired is in order from now on
            self.message.emit("info", repaired)

    def _not_opened(self, exc: BaseException) -> None:
        self.library_error = f"Your library cannot be opened ({exc})"
        self.message.emit("error", self.library_error + ". Recording is off; nothing was changed.")
        self.failed.emit()

    @property
    def library_is_open(self) -> bool:
        return self._open

    def run(
        self,
        fn: Callable[[Library], T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Run `fn(library)` on the library's thread; `on_done(result)` on the GUI thread."""

        def task() -> T:
            if self._library is None:
                raise RuntimeError("the library is not open")
            return fn(self._library)

        self.runner.run(task, on_done, on_error)

    def set_library_busy(self, reason: str | None) -> None:
        """Hold recording off while a long library job (backup, restore) runs; None ends that.

        A take started meanwhile would wait behind the job on the library's thread.
        """
        self.library_busy = reason
        self.busy_changed.emit(reason)

    def notify_library_changed(self, change: Change | None = None) -> None:
        """Something altered the library (by default: takes added or removed behind the views'
        backs, as a restore or emptying the trash does): tell the listeners what."""
        self.changed.emit(Change.TAKES if change is None else change)

    def close(self) -> None:
        """Close the library after the queued jobs (waits: only at exit)."""
        if self._library is not None:
            library = self._library
            self.runner.call(library.close)
        self.runner.shutdown()
