"""One writer per library, with real processes: restores racing each other, a restore or deck
import beside the app, and a second app launched beside the first (issue: two writers lost audio).
"""

from __future__ import annotations

import os
import queue
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from closer_desktop.storage.library import Library
from closer_desktop.storage.lock import LibraryLock, read_holder
from closer_desktop.transfer.backup import create_backup
from tests.transfer.test_backup import DECK, START, add_take

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}


def closer(*args: str) -> list[str]:
    return [sys.executable, "-m", "closer_desktop", *args]


def files_in(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "closer.lock"
    }


@pytest.fixture(scope="module")
def big_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A backup of 150 takes: restoring it takes long enough for two restores to overlap."""
    folder = tmp_path_factory.mktemp("source")
    library = Library(folder / "library")
    session = library.start_session(DECK.id, START)
    for n in range(150):
        add_take(library, session, n % len(DECK.questions), START, seed=n, seconds=0.5)
    library.close()
    archive = folder / "big.zip"
    create_backup(folder / "library", archive)
    return archive


def assert_every_take_whole(data_dir: Path, takes: int) -> None:
    conn = sqlite3.connect(data_dir / "closer.sqlite3")
    rows = conn.execute("SELECT audio_path FROM takes").fetchall()
    conn.close()
    assert len(rows) == takes
    for (audio_path,) in rows:
        audio = data_dir / audio_path
        assert audio.is_file() and audio.stat().st_size > 0, audio_path
        assert audio.with_name(audio.name + ".json").is_file(), f"{audio_path}: no sidecar"


def test_two_restores_at_once_lose_nothing(big_archive: Path, tmp_path: Path) -> None:
    """Started 0-0.3 s apart: one restores, the other is refused or finds nothing to add;
    either way every listed take keeps its audio and its sidecar."""
    for attempt, gap in enumerate((0.0, 0.1, 0.3)):
        target = tmp_path / f"library-{attempt}"
        first = subprocess.Popen(
            closer("--data-dir", str(target), "restore", str(big_archive)),
            env=ENV,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(gap)
        second = subprocess.Popen(
            closer("--data-dir", str(target), "restore", str(big_archive)),
            env=ENV,
            stderr=subprocess.PIPE,
            text=True,
        )
        outcomes = []
        for process in (first, second):
            _, err = process.communicate(timeout=120)
            assert "Traceback" not in err, err
            outcomes.append((process.returncode, err))
        assert sorted(code for code, _ in outcomes)[0] == 0, outcomes
        for code, err in outcomes:
            assert code == 0 or (code == 2 and "in use by closer restore (process" in err), err
        assert_every_take_whole(target, 150)
        again = subprocess.run(
            closer("--data-dir", str(target), "restore", str(big_archive)),
            env=ENV,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert again.returncode == 0 and "restored 0 takes" in again.stderr, again.stderr


def test_a_restore_or_deck_import_beside_a_writer_writes_nothing(
    big_archive: Path, tmp_path: Path
) -> None:
    library = tmp_path / "library"
    Library(library).close()
    before = files_in(library)
    deck = tmp_path / "deck.toml"
    deck.write_text(
        'format = 1\nname = "Mine"\n[[questions]]\nstage = "Questions"\ntext = "Any questions?"\n'
    )
    with LibraryLock.acquire(library, "Closer"):
        for args in (("restore", str(big_archive)), ("deck", "import", str(deck))):
            done = subprocess.run(
                closer("--data-dir", str(library), *args),
                env=ENV,
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert done.returncode == 2, done.stderr
            lines = done.stderr.strip().splitlines()
            assert len(lines) == 1 and f"in use by Closer (process {os.getpid()}" in lines[0]
            assert files_in(library) == before


# The app in a child process, as `closer --data-dir DIR` starts it; it says "open" once its
# library is open.
APP = r"""
import sys
from PySide6.QtCore import QTimer
import closer_desktop.ui.launch as ui_app

build_window = ui_app.build_window

def reporting_build_window(*args, **kwargs):
    window = build_window(*args, **kwargs)
    window.library.ready.connect(lambda: print("open", flush=True))
    return window

ui_app.build_window = reporting_build_window
from closer_desktop.cli import main
code = main(["--data-dir", sys.argv[1]])
print(f"exit {code}", flush=True)
sys.exit(code)
"""


class App:
    def __init__(self, data_dir: Path, runtime: Path) -> None:
        runtime.mkdir(mode=0o700, exist_ok=True)
        self.process = subprocess.Popen(
            [sys.executable, "-c", APP, str(data_dir)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**ENV, "XDG_RUNTIME_DIR": str(runtime)},  # a socket the other cannot see
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.errors: queue.Queue[str] = queue.Queue()
        assert self.process.stdout is not None and self.process.stderr is not None
        for stream, sink in ((self.process.stdout, self.lines), (self.process.stderr, self.errors)):
            threading.Thread(
                target=lambda s=stream, q=sink: [q.put(x) for x in s], daemon=True
            ).start()

    @staticmethod
    def wait_line(lines: queue.Queue[str], text: str, timeout: float) -> str | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=0.1)
            except queue.Empty:
                continue
            if text in line:
                return line
        return None


@pytest.fixture
def apps() -> Iterator[list[App]]:
    started: list[App] = []
    yield started
    for app in started:
        if app.process.poll() is None:
            app.process.kill()
            app.process.wait(10)


def test_a_second_app_waits_instead_of_repairing_the_first_one_s_take(
    tmp_path: Path, apps: list[App]
) -> None:
    """Launched beside a running Closer whose socket it cannot reach, the second app must not
    run start-up recovery: it would take the first one's take in progress (listed, no audio
    yet) for one a crash left, and delete it."""
    data_dir = tmp_path / "library"
    apps.append(App(data_dir, tmp_path / "run-a"))
    first = apps[0]
    assert first.wait_line(first.lines, "open", 30), "the first app did not open its library"
    holder = read_holder(data_dir)
    assert holder is not None and holder.pid == first.process.pid
    # The first app's take in progress: listed before its first sample reaches the file.
    library = Library(data_dir)
    session = library.start_session(DECK.id, START)
    take = library.begin_take(session, DECK.id, DECK.questions[0], 16000)
    audio = library.audio_file(take)
    audio.touch()
    library.close()

    apps.append(App(data_dir, tmp_path / "run-b"))
    second = apps[1]
    said = second.wait_line(second.errors, "in use by", 30)
    assert said and f"in use by Closer (process {first.process.pid}" in said
    assert second.wait_line(second.lines, "open", 2) is None  # it waits ...
    conn = sqlite3.connect(data_dir / "closer.sqlite3")
    status = conn.execute("SELECT status FROM takes WHERE id = ?", (take.id,)).fetchone()
    conn.close()
    assert status == ("recording",) and audio.exists()  # ... and touched nothing

    first.process.send_signal(signal.SIGTERM)
    assert first.process.wait(30) == 0
    assert second.wait_line(second.lines, "open", 30), "the second app never opened the library"
    holder = read_holder(data_dir)
    assert holder is not None and holder.pid == second.process.pid
    second.process.send_signal(signal.SIGTERM)
    assert second.process.wait(30) == 0
