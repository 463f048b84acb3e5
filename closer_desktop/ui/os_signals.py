"""SIGTERM and SIGINT close the window as Ctrl+Q does: a take being recorded is saved first.

A desktop session that logs out sends SIGTERM; Ctrl+C in the terminal that started Closer sends
SIGINT. Without a handler the first kills the process mid-take (the take is recovered at the next
start, but the window's state and a note being typed are lost) and the second raises
KeyboardInterrupt somewhere in a slot. Python runs a signal handler only between bytecodes, and
while Qt's event loop waits in C++ there are none: so the signal's wake-up byte goes down a pipe
that a QSocketNotifier watches (as qutebrowser does), which calls into Python at once.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
from types import FrameType

from PySide6.QtCore import QSocketNotifier, QTimer
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)

_kept: list[QSocketNotifier] = []  # the notifier must live as long as the handlers


def close_on_signals(window: QWidget) -> None:
    """From now on SIGTERM and SIGINT close `window` (its closeEvent saves what is open)."""

    def handler(signum: int, frame: FrameType | None) -> None:
        log.info("signal %d: closing as on Ctrl+Q", signum)
        QTimer.singleShot(0, window.close)

    if os.name == "posix":
        read_fd, write_fd = os.pipe()
        os.set_blocking(read_fd, False)
        os.set_blocking(write_fd, False)
        signal.set_wakeup_fd(write_fd, warn_on_full_buffer=False)
        notifier = QSocketNotifier(read_fd, QSocketNotifier.Type.Read, window)

        def drain() -> None:  # being called is the point: Python runs the handler meanwhile
            with contextlib.suppress(OSError):
                os.read(read_fd, 512)

        notifier.activated.connect(drain)
        _kept.append(notifier)
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, handler)
