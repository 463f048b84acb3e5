"""Settings > Library > Move…: copy the library to a new folder, verify it, then switch to it.

The copy runs on the library's own thread (so no take is written half-way through it) with
recording held off, through transfer/relocate.py. Only a verified copy changes the setting; the
app keeps using the old folder until it restarts (Restart now, or the next start), and the old
folder is never deleted.

Signals:
    finished(bool, str): (moved, message for the user).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QProcess, Signal

from closer_desktop import settings as S
from closer_desktop.app import operations as ops
from closer_desktop.app.practice import PracticeController

if TYPE_CHECKING:
    from closer_desktop.transfer.relocate import CopyReport

MOVING = "Your library is being copied to its new folder; recording waits until it is done."
MOVED = "Your library was moved: restart Closer to record into its new folder."


class LibraryMove(QObject):
    finished = Signal(bool, str)

    def __init__(self, controller: PracticeController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controller = controller  # recording must be off, and the move must not start one
        self.library = controller.library
        self.running = False

    def start(self, target: Path) -> str | None:
        """Begin moving to `target`; returns why not (None when the copy has started)."""
        from closer_desktop.transfer.relocate import RelocateError, check_target

        c = self.controller
        if c.is_recording:
            return "Stop recording first, then move the library."
        if self.running:
            return "The library is being moved already."
        try:
            check_target(c.data_dir, target)
        except RelocateError as exc:
            return str(exc)
        self.running = True
        self.library.set_library_busy(MOVING)
        if self.library.library_is_open:  # on its thread: no take is written meanwhile
            ops.copy_library(c.data_dir, target).run(self.library, self._copied, self._failed)
        else:
            from closer_desktop.transfer.relocate import copy_library

            c.files.run(lambda: copy_library(c.data_dir, target), self._copied, self._failed)
        return None

    def _copied(self, report: CopyReport) -> None:
        self.running = False
        c = self.controller
        c.settings.set(S.DATA_DIR, str(report.target))
        self.library.set_library_busy(MOVED)  # takes recorded now would land in the old folder
        self.finished.emit(True, report.describe())

    def _failed(self, exc: BaseException) -> None:
        self.running = False
        self.library.set_library_busy(None)
        self.finished.emit(False, f"The library was not moved: {exc} Nothing was changed.")


def restart_command() -> tuple[str, list[str]]:
    """How to start this same Closer again, without --data-dir: on the folder Settings names."""
    if getattr(sys, "frozen", False):
        return sys.executable, []
    return sys.executable, ["-m", "closer_desktop"]


def restart(window: QObject) -> bool:
    """Start a new Closer, then close `window` (it saves any take first, as Quit does)."""
    program, arguments = restart_command()
    started = bool(QProcess.startDetached(program, arguments))
    if started and hasattr(window, "close"):
        window.close()
    return started
