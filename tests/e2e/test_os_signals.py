"""SIGTERM (logout, `kill`) and SIGINT (Ctrl+C in a terminal) close Closer as Ctrl+Q does.

The real app runs in a child process, started as `closer --data-dir DIR` starts it. Mid-take it
must exit cleanly and leave the take saved whole (finished, not one the next start recovers);
idle, with no Python code of ours running, it must still notice the signal at once.
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from closer_desktop.storage.library import Library
from closer_desktop.transfer.export import library_to_json
from closer_desktop.ui.os_signals import close_on_signals, restore_default_signals
from tests.support.consistency import check_consistent
from tests.support.virtual_mic import VirtualMic

ROOT = Path(__file__).resolve().parents[2]
SIGNAL_AFTER_S = 1.5

# argv: data folder, "record" (start a take and report its length) or "idle" (say "ready" once
# recording is possible, then run no Python code of ours at all).
CHILD = r"""
import sys
from PySide6.QtCore import QTimer
import closer_desktop.ui.launch as ui_app

build_window = ui_app.build_window
mode = sys.argv[2]

def reporting_build_window(*args, **kwargs):
    window = build_window(*args, **kwargs)
    c = window.controller

    def poll():
        if mode == "idle" and c.can_record:
            print("ready", flush=True)
            return  # from here on the event loop waits in C++ only
        if c.recorder.is_active and c.recorder.first_block_at is not None:
            print(f"recorded {c.recorder.elapsed_s:.3f}", flush=True)
        elif mode == "record" and c.can_record and not c.is_recording and not c.takes:
            c.toggle_recording()  # what Space does
        QTimer.singleShot(40, poll)

    QTimer.singleShot(0, poll)
    return window

ui_app.build_window = reporting_build_window
from closer_desktop.cli import main
code = main(["--data-dir", sys.argv[1]])
print(f"exit {code}", flush=True)
sys.exit(code)
"""


class Child:
    """The app in a child process; its output lines read on a thread, so no wait is endless."""

    def __init__(self, data_dir: Path, mode: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(data_dir), mode],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"},
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.errors: list[str] = []
        assert self.process.stdout is not None and self.process.stderr is not None
        for stream, sink in (
            (self.process.stdout, self.lines.put),
            (self.process.stderr, self.errors.append),
        ):
            threading.Thread(target=self._read, args=(stream, sink), daemon=True).start()

    @staticmethod
    def _read(stream: IO[str], sink: Callable[[str], None]) -> None:
        for line in stream:
            sink(line)

    def wait_for(self, test: Callable[[str], bool], timeout: float) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.1)
            except queue.Empty:
                if self.process.poll() is not None:
                    break
                continue
            if test(line):
                return line
        pytest.fail(f"the app did not get there (exit {self.process.poll()}): {self.errors}")

    def finish(self, timeout: float) -> int:
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            pytest.fail(f"the app did not quit within {timeout} s of the signal")
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait(10)


ChildFactory = Callable[[Path, str], Child]


@pytest.fixture
def child_factory() -> Iterator[ChildFactory]:
    children: list[Child] = []

    def make(data_dir: Path, mode: str) -> Child:
        children.append(Child(data_dir, mode))
        return children[-1]

    yield make
    for child in children:
        if child.process.poll() is None:
            child.process.kill()
            child.process.wait(10)


@pytest.mark.real_audio
@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_mid_take_saves_the_take_and_quits(
    virtual_mic: VirtualMic, data_dir: Path, child_factory: ChildFactory, number: int
) -> None:
    child = child_factory(data_dir, "record")
    line = child.wait_for(
        lambda text: text.startswith("recorded ") and float(text.split()[1]) >= SIGNAL_AFTER_S,
        timeout=30,
    )
    recorded = float(line.split()[1])
    child.process.send_signal(number)
    assert child.finish(20) == 0, child.errors
    assert not any("Traceback" in text for text in child.errors), child.errors

    library = Library(data_dir)
    (session,) = library_to_json(library)["sessions"]
    library.close()
    (take,) = session["takes"]
    assert take["recovered"] is False  # saved by the app, not found by a recovery
    assert recorded <= take["duration_s"] <= recorded + 1.0  # all of it, and the rest until stop
    assert check_consistent(data_dir) == []


@pytest.mark.real_audio
def test_an_idle_app_notices_a_signal_at_once(
    virtual_mic: VirtualMic, data_dir: Path, child_factory: ChildFactory
) -> None:
    """With no Python code running, only the wake-up pipe lets the handler run."""
    child = child_factory(data_dir, "idle")
    child.wait_for(lambda text: text.startswith("ready"), timeout=30)
    time.sleep(3.0)  # settled: start-up timers have fired, nothing of ours runs now
    began = time.monotonic()
    child.process.send_signal(signal.SIGTERM)
    assert child.finish(10) == 0, child.errors
    print(f"quit {time.monotonic() - began:.2f} s after SIGTERM")


def test_only_the_first_signal_is_handled(qtbot: QtBot) -> None:
    """A second signal (a save that never ends) acts as by default again: it ends the app."""
    before = {number: signal.getsignal(number) for number in (signal.SIGTERM, signal.SIGINT)}
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    try:
        close_on_signals(widget)
        assert signal.getsignal(signal.SIGTERM) not in (signal.SIG_DFL, before[signal.SIGTERM])
        os.kill(os.getpid(), signal.SIGTERM)
        qtbot.waitUntil(lambda: not widget.isVisible(), timeout=5000)
        assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
        assert signal.getsignal(signal.SIGINT) is signal.SIG_DFL
    finally:
        restore_default_signals()
        for number, handler in before.items():
            signal.signal(number, handler)
