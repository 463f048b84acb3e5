"""The log: a size-rotated file in the per-user log folder, with Qt's own messages routed into it.

`closer.log` grows to MAX_BYTES, then becomes `closer.log.1` (and `.1` becomes `.2`, up to
BACKUPS); Help > Open log folder shows the folder. The rotation is done here, on a plain
FileHandler, rather than with `logging.handlers`, which would import sockets and pickling into
every start for nothing.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from pathlib import Path

from closer_desktop import APP_NAME

LOG_NAME = "closer.log"
MAX_BYTES = 1_000_000
BACKUPS = 3
FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"

log = logging.getLogger("closer_desktop")
qt_log = logging.getLogger("closer_desktop.qt")


def log_dir() -> Path:
    """The per-user log folder (e.g. ~/.local/state/Closer/log on Linux)."""
    import platformdirs

    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


class RotatingFile(logging.FileHandler):
    """A FileHandler that starts a new file past `max_bytes`, keeping `backups` old ones."""

    def __init__(self, path: Path, max_bytes: int = MAX_BYTES, backups: int = BACKUPS) -> None:
        super().__init__(path, encoding="utf-8", delay=True)
        self.max_bytes = max_bytes
        self.backups = backups

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self.stream is not None and self.stream.tell() >= self.max_bytes:
                self.rotate()
        except (OSError, ValueError):
            pass  # a log that cannot rotate keeps writing where it is
        super().emit(record)

    def rotate(self) -> None:
        if self.stream is not None:
            self.stream.close()
            self.stream = None  # reopened on the next record
        base = Path(self.baseFilename)
        for number in range(self.backups - 1, 0, -1):
            older = base.with_name(f"{base.name}.{number}")
            if older.exists():
                os.replace(older, base.with_name(f"{base.name}.{number + 1}"))
        if base.exists():
            os.replace(base, base.with_name(f"{base.name}.1"))


_installed: RotatingFile | None = None
_previous_qt_handler: object = None


def setup_logging(folder: Path | None = None, level: int = logging.INFO) -> Path | None:
    """Log Closer's records and Qt's messages to the rotating file; returns its path.

    Safe to call more than once (the second call does nothing). When the folder cannot be made,
    logging stays on standard error and None is returned: a log is never a reason not to start.
    """
    global _installed
    if _installed is not None:
        return Path(_installed.baseFilename)
    folder = folder or log_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        handler = RotatingFile(folder / LOG_NAME)
        if handler.stream is None and (folder / LOG_NAME).exists():
            size = (folder / LOG_NAME).stat().st_size
            if size >= MAX_BYTES:
                handler.rotate()
    except OSError as exc:
        print(f"closer: cannot write the log in {folder}: {exc}", file=sys.stderr)
        return None
    handler.setFormatter(logging.Formatter(FORMAT))
    log.addHandler(handler)
    log.setLevel(level)
    _installed = handler
    install_qt_message_handler()
    return Path(handler.baseFilename)


def stop_logging() -> None:
    """Detach the file (tests; the app keeps it until exit)."""
    global _installed, _previous_qt_handler
    if _installed is None:
        return
    log.removeHandler(_installed)
    _installed.close()
    _installed = None
    with contextlib.suppress(ImportError):
        from PySide6.QtCore import qInstallMessageHandler

        qInstallMessageHandler(_previous_qt_handler)  # type: ignore[arg-type]
        _previous_qt_handler = None


def install_qt_message_handler() -> None:
    """Send qDebug/qWarning/... to the log (and warnings and worse to standard error too)."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    levels = {
        QtMsgType.QtDebugMsg: logging.DEBUG,
        QtMsgType.QtInfoMsg: logging.INFO,
        QtMsgType.QtWarningMsg: logging.WARNING,
        QtMsgType.QtCriticalMsg: logging.ERROR,
        QtMsgType.QtFatalMsg: logging.CRITICAL,
    }

    def handler(kind: QtMsgType, context: object, message: str) -> None:
        level = levels.get(kind, logging.WARNING)
        category = getattr(context, "category", None) or "qt"
        qt_log.log(level, "[%s] %s", category, message)
        if level >= logging.WARNING:
            print(f"Qt: {message}", file=sys.stderr)

    global _previous_qt_handler
    _previous_qt_handler = qInstallMessageHandler(handler)
