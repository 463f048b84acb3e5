"""A second Closer on a library another process is writing: say who, wait, or quit.

The library's lock (storage/lock.py) is taken before the window is built, so a second launch
never runs start-up recovery over a take the first one is recording. When the holder is a Closer
window that the single-instance socket can reach, that window is brought forward instead.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox

from closer_desktop.storage.lock import LibraryLock, LibraryLocked

POLL_MS = 500


def wait_for_library(
    data_dir: Path, locked: LibraryLocked, instance: Path | None = None
) -> LibraryLock | None:
    """Wait until the library's lock is free and return it; None when the user chose Quit, or
    when the holder turned out to be a Closer window that was brought forward."""
    from closer_desktop.ui.single_instance import activate_running

    print(f"closer: {locked}; waiting until it closes", file=sys.stderr, flush=True)
    box = QMessageBox()
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle("Closer: library in use")
    box.setText("This library is open somewhere else.")
    who = locked.holder.describe() if locked.holder else "another Closer"
    box.setInformativeText(
        f"{data_dir} is being used by {who}. Closer opens it as soon as that one is finished, "
        "so the two never change your recordings at the same time."
    )
    quit_button = box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
    box.setEscapeButton(quit_button)
    box.setAccessibleName("Library in use")
    result: list[LibraryLock] = []
    activated: list[bool] = []

    def poll() -> None:
        try:
            result.append(LibraryLock.acquire(data_dir, "Closer"))
        except LibraryLocked:
            if instance is not None and activate_running(instance):
                activated.append(True)
            else:
                return
        except OSError as exc:  # the folder went away: say so in the main window later
            print(f"closer: cannot lock {data_dir}: {exc.strerror or exc}", file=sys.stderr)
            return
        timer.stop()
        box.done(0)

    timer = QTimer(box)
    timer.setInterval(POLL_MS)
    timer.timeout.connect(poll)
    timer.start()
    box.exec()
    timer.stop()
    if activated:
        print(
            f"closer: already open on {data_dir}: that window was brought forward", file=sys.stderr
        )
    return result[0] if result else None
