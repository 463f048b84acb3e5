"""Privacy: the whole practice loop opens no network connection, and keeps its files private.

Python-level network sockets (AF_INET, AF_INET6), name lookups and connections are made to fail
and recorded; the process's own TCP/UDP sockets are also read from /proc afterwards, which would
show a socket opened from C too. (PulseAudio talks over a unix socket: that is not network.)
The app's analysis process, which transcribes the takes, is checked the same way from /proc.
"""

from __future__ import annotations

import errno
import os
import socket
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from closer_desktop.ui.main_window import MainWindow
from tests.support.virtual_mic import RATE, VirtualMic

pytestmark = pytest.mark.real_audio


@pytest.fixture(autouse=True)
def silence_afterwards(virtual_mic: VirtualMic) -> Iterator[None]:
    """A sound still playing into the microphone would end up in the next test's takes."""
    yield
    virtual_mic.stop_playing()


def inet_socket_inodes(pid: int | str = "self") -> set[str]:
    """Inodes of TCP/UDP (v4 and v6) sockets this process (or process `pid`) holds open."""
    mine: set[str] = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:["):
            mine.add(target[8:-1])
    inet: set[str] = set()
    for table in ("tcp", "tcp6", "udp", "udp6", "raw", "raw6"):
        try:
            lines = Path(f"/proc/net/{table}").read_text().splitlines()[1:]
        except OSError:
            continue
        inet.update(line.split()[9] for line in lines if len(line.split()) > 9)
    return mine & inet


def forbid_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    attempts: list[str] = []
    real_socket = socket.socket

    class GuardedSocket(real_socket):  # type: ignore[misc, valid-type]
        def __init__(
            self, family: int = -1, type: int = -1, proto: int = -1, fileno: int | None = None
        ) -> None:
            kind = socket.AF_INET if family == -1 else family
            if fileno is None and kind in (socket.AF_INET, socket.AF_INET6):
                attempts.append(f"socket({socket.AddressFamily(kind).name})")
                raise OSError(errno.EACCES, "the network is off in this test")
            super().__init__(family, type, proto, fileno)

    def refuse(name: str) -> Any:
        def refused(*args: Any, **kwargs: Any) -> Any:
            attempts.append(f"{name}{args[:1]}")
            raise OSError(errno.EACCES, "the network is off in this test")

        return refused

    monkeypatch.setattr(socket, "socket", GuardedSocket)
    for name in ("create_connection", "getaddrinfo", "gethostbyname", "create_server"):
        monkeypatch.setattr(socket, name, refuse(name))
    return attempts


def test_the_practice_loop_opens_no_network_connection_and_keeps_files_private(
    qtbot: QtBot,
    open_window: Any,
    virtual_mic: VirtualMic,
    data_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = inet_socket_inodes()
    attempts = forbid_network(monkeypatch)
    t = np.arange(RATE * 5) / RATE
    sound = tmp_path / "tone.wav"
    soundfile.write(sound, 0.2 * np.sin(2 * np.pi * 220 * t), RATE, subtype="PCM_16")

    window: MainWindow = open_window(data_dir)
    c = window.controller
    qtbot.waitUntil(lambda: c.can_record, timeout=10000)

    def key(k: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        qtbot.keyClick(window.focusWidget() or window, k, modifier)

    def idle() -> bool:
        return not c.is_recording and not c.library.runner.busy and not c.files.busy

    analysed: list[int] = []
    c.analysis.metrics_ready.connect(lambda take_id, _: analysed.append(take_id))
    for _ in range(2):  # record, rate, replay, on two questions
        key(Qt.Key.Key_Space)
        qtbot.waitUntil(lambda: c.recorder.first_block_at is not None, timeout=5000)
        virtual_mic.play_file(sound, wait=False)
        qtbot.wait(1000)  # well over 0.7 s: a shorter take would be set aside as accidental
        key(Qt.Key.Key_Space)
        qtbot.waitUntil(idle, timeout=10000)
        key(Qt.Key.Key_4)
        key(Qt.Key.Key_3)
        key(Qt.Key.Key_P)
        qtbot.waitUntil(lambda: c.player.is_playing, timeout=5000)
        qtbot.waitUntil(lambda: not c.player.is_playing, timeout=5000)
        assert c.current_take is not None
        c.question_takes.set_note(c.current_take.id, "warmer")
        key(Qt.Key.Key_N)
    key(Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)  # History: select and play
    history = window.history
    qtbot.waitUntil(lambda: history.model.rowCount() == 2, timeout=5000)
    history.table.selectRow(0)
    qtbot.waitUntil(lambda: history.player.is_loaded, timeout=5000)
    history.toggle_playback()
    qtbot.waitUntil(lambda: not history.player.is_playing, timeout=5000)
    window.export_to(tmp_path / "export.json")
    key(Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    c.finish_deck()
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.summary, timeout=5000)
    qtbot.waitUntil(idle, timeout=10000)
    qtbot.waitUntil(lambda: (tmp_path / "export.json").exists(), timeout=5000)

    qtbot.waitUntil(lambda: len(analysed) >= 2, timeout=60000)  # transcribed in its process

    assert attempts == []
    assert inet_socket_inodes() <= before
    analysis = c.analysis.process_id
    assert analysis is not None and inet_socket_inodes(analysis) == set()

    files = list(data_dir.rglob("*"))  # recordings, sidecars, waveform cache, database
    assert any(p.suffix == ".wav" for p in files) and any(p.suffix == ".json" for p in files)
    for path in [data_dir, *files]:
        mode = stat.S_IMODE(path.lstat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), (path, oct(mode))


def test_the_guards_would_see_a_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    import urllib.request

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # before the guard
    try:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        assert inet_socket_inodes(), "an open TCP socket shows in /proc"
    finally:
        listener.close()
    attempts = forbid_network(monkeypatch)
    with pytest.raises(OSError):
        urllib.request.urlopen("http://127.0.0.1:9/", timeout=1)
    with pytest.raises(OSError):
        socket.socket()
    assert len(attempts) == 2
