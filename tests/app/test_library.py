"""The library service on a real data folder: opening (and repairing) it on its own thread, the
jobs run there with their results on the GUI thread, and its ready, failed, busy and changed."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import soundfile
from pytestqt.qtbot import QtBot

from closer_desktop.app.library import LibraryService
from closer_desktop.app.operations import Change
from closer_desktop.domain.deck import load_deck
from closer_desktop.paths import default_deck_path
from closer_desktop.storage.library import Library
from closer_desktop.storage.lock import LOCK_NAME, LibraryLock

DECK = load_deck(default_deck_path())
TIMEOUT = 10_000


def crashed_mid_take(data_dir: Path) -> None:
    """A library whose last take was being recorded when the app stopped (its audio is there)."""
    library = Library(data_dir)
    session = library.start_session(DECK.id)
    take = library.begin_take(session, DECK.id, DECK.questions[0], 16000)
    soundfile.write(library.audio_file(take), np.full(16000, 0.1, np.float32), 16000)
    library.close()


@pytest.fixture
def service(qtbot: QtBot, tmp_path: Path) -> Iterator[LibraryService]:
    opened = LibraryService(tmp_path / "data")
    yield opened
    opened.close()


def test_the_library_opens_on_its_own_thread_and_jobs_answer_on_the_gui_thread(
    qtbot: QtBot, service: LibraryService
) -> None:
    assert not service.library_is_open
    with qtbot.waitSignal(service.ready, timeout=TIMEOUT):
        service.open()
    assert service.library_is_open and service.library_error is None
    assert (service.data_dir / LOCK_NAME).exists()  # no lock from launch: opening took it

    threads: list[str] = []
    answers: list[tuple[int, str]] = []

    def job(library: Library) -> int:
        threads.append(threading.current_thread().name)
        return library.start_session(DECK.id)

    service.run(job, lambda sid: answers.append((sid, threading.current_thread().name)))
    qtbot.waitUntil(lambda: bool(answers), timeout=TIMEOUT)
    assert threads == ["closer-library"]
    assert answers[0][1] == threading.main_thread().name


def test_what_opening_repaired_is_said_once_after_ready(
    qtbot: QtBot, service: LibraryService
) -> None:
    crashed_mid_take(service.data_dir)
    order: list[str] = []
    service.ready.connect(lambda: order.append("ready"))
    service.message.connect(lambda level, text: order.append(f"{level}: {text}"))
    service.open()
    qtbot.waitUntil(lambda: len(order) == 2, timeout=TIMEOUT)
    assert order[0] == "ready"
    assert order[1].startswith("info: Recovered 1 take")


def test_a_library_that_cannot_be_opened_says_why_and_runs_no_job(
    qtbot: QtBot, tmp_path: Path
) -> None:
    in_the_way = tmp_path / "data"
    in_the_way.write_text("a file where the data folder should be")
    service = LibraryService(in_the_way)
    messages: list[tuple[str, str]] = []
    service.message.connect(lambda level, text: messages.append((level, text)))
    try:
        with qtbot.waitSignal(service.failed, timeout=TIMEOUT):
            service.open()
        assert not service.library_is_open
        assert service.library_error is not None
        assert service.library_error.startswith("Your library cannot be opened")
        assert messages == [
            ("error", service.library_error + ". Recording is off; nothing was changed.")
        ]
        errors: list[BaseException] = []
        service.run(lambda lib: lib.start_session(DECK.id), None, errors.append)
        qtbot.waitUntil(lambda: bool(errors), timeout=TIMEOUT)
        assert "not open" in str(errors[0])
        assert in_the_way.read_text() == "a file where the data folder should be"
    finally:
        service.close()


def test_busy_and_changed_are_told_to_listeners(qtbot: QtBot, service: LibraryService) -> None:
    busy: list[object] = []
    changed: list[object] = []
    service.busy_changed.connect(busy.append)
    service.changed.connect(changed.append)
    service.set_library_busy("Backing up your library…")
    assert service.library_busy == "Backing up your library…"
    service.set_library_busy(None)
    assert service.library_busy is None
    assert busy == ["Backing up your library…", None]
    service.notify_library_changed()  # a restore, by default: takes came behind the views' backs
    service.notify_library_changed(Change.TRASH)
    assert changed == [Change.TAKES, Change.TRASH]


def test_the_lock_taken_at_launch_is_the_one_the_library_opens_under(
    qtbot: QtBot, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    launch_lock = LibraryLock.acquire(data_dir, "Closer")
    try:
        without = LibraryService(data_dir)  # would take its own: held already, so refused
        with qtbot.waitSignal(without.failed, timeout=TIMEOUT):
            without.open()
        without.close()
        assert without.library_error is not None

        service = LibraryService(data_dir, lock=launch_lock)
        with qtbot.waitSignal(service.ready, timeout=TIMEOUT):
            service.open()
        service.close()
        assert launch_lock.held  # given up by launch, after the library is closed
    finally:
        launch_lock.release()
