"""The take recording state machine (app/recording.py) on a real library and the virtual
microphone: a take is listed, recorded and saved; one whose microphone cannot be opened is taken
out of the list again; a stop that comes while the take is still being reserved ends it; what
waits on a save runs once it is in; the options and the block listener reach the take."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from closer_desktop.app.library import LibraryService
from closer_desktop.app.recording import Recording
from closer_desktop.audio.devices import choose_input, list_input_devices
from closer_desktop.domain.deck import load_deck
from closer_desktop.domain.practice import Take
from closer_desktop.paths import default_deck_path
from closer_desktop.storage.library import Library
from tests.support.virtual_mic import VirtualMic

DECK = load_deck(default_deck_path())
QUESTION = DECK.questions[0]
TIMEOUT = 10_000


class Seen:
    """What a Recording said, in order."""

    def __init__(self, recording: Recording) -> None:
        self.changes: list[bool] = []
        self.sessions: list[int] = []
        self.saved: list[Take] = []
        self.messages: list[tuple[str, str]] = []
        recording.changed.connect(self.changes.append)
        recording.session_started.connect(self.sessions.append)
        recording.saved.connect(self.saved.append)
        recording.message.connect(lambda level, text: self.messages.append((level, text)))


@pytest.fixture
def library(library_service: LibraryService) -> LibraryService:
    return library_service  # tests/support/fixtures.py


@pytest.fixture
def recording(library: LibraryService) -> Iterator[Recording]:
    rec = Recording(library)
    yield rec
    rec.shutdown()


def microphone() -> tuple[int, int]:
    device = choose_input(list_input_devices(), None)
    assert device is not None, "the virtual microphone should be listed"
    return device.index, device.default_samplerate


def stored(data_dir: Path) -> list[Take]:
    library = Library(data_dir)
    try:
        return library.takes_for_question(DECK.id, QUESTION.id)
    finally:
        library.close()


def statuses(data_dir: Path) -> list[str]:
    """Every take row's status, listed or not."""
    library = Library(data_dir)
    try:
        return [row[0] for row in library.db.execute("SELECT status FROM takes")]
    finally:
        library.close()


@pytest.mark.real_audio
def test_a_take_is_reserved_recorded_and_saved(
    qtbot: QtBot, virtual_mic: VirtualMic, library: LibraryService, recording: Recording
) -> None:
    seen = Seen(recording)
    index, rate = microphone()
    recording.start_take(None, DECK.id, QUESTION, index, rate)
    assert recording.is_recording  # from the reservation on, before any sound
    qtbot.waitUntil(lambda: recording.recorder.first_block_at is not None, timeout=TIMEOUT)
    assert seen.changes == [True] and recording.take is not None
    qtbot.wait(300)
    recording.stop()
    assert recording.is_stopping
    qtbot.waitUntil(lambda: not recording.is_recording, timeout=TIMEOUT)
    assert seen.changes == [True, False]
    (take,) = seen.saved
    assert take.duration_s > 0.2 and recording.last_saved_take_id == take.id
    assert recording.take is None
    assert len(seen.sessions) == 1  # a new session for the first take
    assert [(t.id, t.session_id) for t in stored(library.data_dir)] == [(take.id, seen.sessions[0])]


def test_a_take_whose_microphone_cannot_be_opened_is_taken_off_the_list(
    qtbot: QtBot, library: LibraryService, recording: Recording
) -> None:
    seen = Seen(recording)
    waited: list[str] = []
    recording.start_take(None, DECK.id, QUESTION, 9999, 48000)  # no such device
    recording.when_saved(lambda: waited.append("ran"))  # it waits for the take to end
    qtbot.waitUntil(lambda: not recording.is_recording, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: not library.runner.busy, timeout=TIMEOUT)
    assert waited == ["ran"]
    assert seen.saved == [] and seen.changes[-1] is False
    assert [level for level, _ in seen.messages] == ["error"]
    assert statuses(library.data_dir) == []  # the reserved take is gone again


def test_a_take_that_cannot_be_reserved_says_so_and_runs_what_waited(
    qtbot: QtBot, tmp_path: Path
) -> None:
    closed = LibraryService(tmp_path / "data")  # never opened: nothing can be reserved
    recording = Recording(closed)
    seen = Seen(recording)
    waited: list[str] = []
    recording.start_take(None, DECK.id, QUESTION, 0, 48000)
    recording.when_saved(lambda: waited.append("ran"))
    qtbot.waitUntil(lambda: bool(waited), timeout=TIMEOUT)
    assert not recording.is_recording and recording.take is None
    assert seen.changes == [False] and seen.sessions == []
    assert seen.messages == [("error", "The take could not be started: the library is not open")]
    closed.close()


@pytest.mark.real_audio
def test_a_stop_while_the_take_is_reserved_ends_it_once_it_has_started(
    qtbot: QtBot, virtual_mic: VirtualMic, library: LibraryService, recording: Recording
) -> None:
    seen = Seen(recording)
    index, rate = microphone()
    released = threading.Event()
    library.runner._worker.submit(lambda: released.wait(10))  # a slow library: still reserving
    recording.start_take(None, DECK.id, QUESTION, index, rate)
    recording.stop()
    released.set()
    qtbot.waitUntil(lambda: not recording.is_recording, timeout=TIMEOUT)
    assert seen.changes[0] is True and seen.changes[-1] is False  # started, then ended at once
    qtbot.waitUntil(lambda: not library.runner.busy, timeout=TIMEOUT)
    assert "recording" not in statuses(library.data_dir)  # kept or dropped, never left so


def test_when_saved_runs_at_once_without_a_take(recording: Recording) -> None:
    ran: list[str] = []
    recording.when_saved(lambda: ran.append("now"))
    assert ran == ["now"] and not recording.is_stopping


@pytest.mark.real_audio
def test_the_options_are_stored_with_the_take_and_the_listener_hears_its_blocks(
    qtbot: QtBot, virtual_mic: VirtualMic, library: LibraryService, recording: Recording
) -> None:
    heard: list[tuple[int, int]] = []

    def listener(block: Any, rate: int) -> None:
        heard.append((len(block), rate))

    index, rate = microphone()
    options = {"mode": "memory", "hint_level": 1}
    recording.start_take(None, DECK.id, QUESTION, index, rate, options=options, listener=listener)
    qtbot.waitUntil(lambda: len(heard) >= 5, timeout=TIMEOUT)
    recording.stop()
    qtbot.waitUntil(lambda: not recording.is_recording, timeout=TIMEOUT)
    (take,) = stored(library.data_dir)
    assert (take.mode, take.hint_level) == ("memory", 1)
    assert {r for _, r in heard} == {rate} and all(n > 0 for n, _ in heard)


def test_ended_says_each_take_is_over_and_owner_who_started_it(
    qtbot: QtBot, virtual_mic: VirtualMic, library: LibraryService, recording: Recording
) -> None:
    """One recorder serves the practice page and the interview run: `owner` tells their takes
    apart and `ended` says when a take's life is over (with the saved take, or None)."""
    ended: list[Take | None] = []
    recording.ended.connect(ended.append)
    run, page = object(), object()
    index, rate = microphone()
    recording.start_take(None, DECK.id, QUESTION, 9999, rate, owner=run)  # no such device
    assert recording.owner is run
    qtbot.waitUntil(lambda: bool(ended), timeout=TIMEOUT)
    assert ended == [None] and recording.owner is run
    recording.start_take(None, DECK.id, QUESTION, index, rate, owner=page)
    qtbot.waitUntil(lambda: recording.recorder.first_block_at is not None, timeout=TIMEOUT)
    qtbot.wait(300)
    recording.stop()
    qtbot.waitUntil(lambda: len(ended) == 2, timeout=TIMEOUT)
    saved = ended[1]
    assert saved is not None and saved.id == recording.last_saved_take_id
    assert recording.owner is page
