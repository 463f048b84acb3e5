"""One window per library: a second launch on the same data folder brings the running one forward.

The running app listens on a local socket (QLocalServer) named after the user and the data
folder; a new launch first tries to connect to it. If it answers, the new launch asks it to show
itself and exits; if nothing answers (no app, or a socket file left by a crash), the new launch
takes the name over. Another library gets another name, so two libraries can be open at once.

Start-up cost: no hashlib (QtCore hashes the folder's name), and QtNetwork is only imported when
a socket file exists (a client check) and for the server, which `listen_after` starts once the
window has been painted.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCryptographicHash, QObject, Signal
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

ACTIVATE = b"activate\n"
ACTIVATED = b"ok\n"
TIMEOUT_MS = 2000


def socket_path(data_dir: Path, folder: Path | None = None) -> Path:
    """The socket for `data_dir`: in the user's runtime folder, else the temporary folder."""
    if folder is None:
        runtime = os.environ.get("XDG_RUNTIME_DIR", "")
        folder = (
            Path(runtime) if runtime and Path(runtime).is_dir() else Path(tempfile.gettempdir())
        )
    # SHA-256 from QtCore, loaded already, rather than hashlib, whose OpenSSL binding every start
    # would load for this one digest; the same hex digest, so the names stay as they were.
    digest = QCryptographicHash.hash(
        str(data_dir.expanduser().resolve()).encode(), QCryptographicHash.Algorithm.Sha256
    )
    key = bytes(digest.toHex().data()).decode()[:16]
    user = os.getuid() if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
    return folder / f"closer-{user}-{key}.sock"


def activate_running(path: Path) -> bool:
    """Ask an app listening on `path` to show its window; True if one answered."""
    if os.name == "posix" and not path.exists():
        return False  # nothing listens: the common case costs no QtNetwork import
    from PySide6.QtNetwork import QLocalSocket

    socket = QLocalSocket()
    socket.connectToServer(str(path))
    if not socket.waitForConnected(TIMEOUT_MS):
        return False  # a stale socket file (the app crashed): the caller takes the name over
    socket.write(ACTIVATE)
    socket.flush()  # written now: waitForBytesWritten would then report nothing left to write
    reply = b""
    while len(reply) < len(ACTIVATED) and socket.waitForReadyRead(TIMEOUT_MS):
        reply += bytes(socket.readAll().data())
    answered = reply.startswith(ACTIVATED)
    socket.disconnectFromServer()
    return answered


class InstanceServer(QObject):
    """Listens for later launches on the same library and brings `window` to the front.

    Signals:
        activated(): another launch asked for this window.
    """

    activated = Signal()

    def __init__(self, path: Path, window: QWidget) -> None:
        super().__init__(window)
        self.path = path
        self.window = window
        self._server: QLocalServer | None = None

    def listen(self) -> bool:
        from PySide6.QtNetwork import QLocalServer

        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(str(self.path)):
            QLocalServer.removeServer(str(self.path))  # left by a crash: nobody answered on it
            if not server.listen(str(self.path)):
                return False
        server.newConnection.connect(self._connection)
        self._server = server
        return True

    def close(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None

    def _connection(self) -> None:
        assert self._server is not None
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(socket.deleteLater)

    def _read(self, socket: QLocalSocket) -> None:
        if bytes(socket.readAll().data()).startswith(ACTIVATE):
            self.bring_forward()
            socket.write(ACTIVATED)
            socket.flush()

    def bring_forward(self) -> None:
        from PySide6.QtCore import Qt  # not at import: this module is loaded before the first paint

        window = self.window
        if window.isMinimized():
            window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
        window.show()
        window.raise_()
        window.activateWindow()
        self.activated.emit()


def listen_after(
    path: Path, window: QWidget, after: Callable[[QWidget, Callable[[], None]], None]
) -> InstanceServer:
    """A server for `window`, listening from the moment `after` calls back (e.g. first paint)."""
    server = InstanceServer(path, window)

    def listen() -> None:
        if not server.listen():
            from closer_desktop.logs import log

            log.warning("cannot listen on %s: a second launch will open another window", path)

    after(window, listen)
    return server
