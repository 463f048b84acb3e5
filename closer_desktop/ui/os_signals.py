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

HANDLED = (signal.SIGTERM, signal.SIGINT)
_installed: list[tuple[QSocketNotifier, int, int]] = []  # the notifier and its pipe, kept alive


def close_on_signals(window: QWidget) -> None:
    """From now on SIGTERM and SIGINT close `window` (its closeEvent saves what is open).

    Only the first signal is handled so: a second one (a save or a backup that will not end)
    kills the app as it would have before, as does any signal once the event loop has ended.
    """

    def handler(signum: int, frame: FrameType | None) -> None:
        log.info("signal %d: closing as on Ctrl+Q (another one ends Closer at once)", signum)
        for number in HANDLED:
            signal.signal(number, signal.SIG_DFL)
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
        _installed.append((notifier, read_fd, write_fd))
    for number in HANDLED:
        signal.signal(number, handler)


def restore_default_signals() -> None:
    """After the event loop: signals act as by default again (nothing would handle them)."""
    for number in HANDLED:
        signal.signal(number, signal.SIG_DFL)
    if _installed:
        signal.set_wakeup_fd(-1)
    while _installed:
        notifier, read_fd, write_fd = _installed.pop()
        notifier.setEnabled(False)
        for fd in (read_fd, write_fd):
            with contextlib.suppress(OSError):
                os.close(fd)
