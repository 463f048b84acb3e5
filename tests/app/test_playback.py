"""Playback of the shown take (app/playback.py) on real files and a real output stream: a play
asked for while the audio is still being read starts once it is in, a second one cancels it, audio
read for a take no longer shown is dropped, a file that cannot be read says so, and nothing plays
while playing is held off (recording, a device scan)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import soundfile
from pytestqt.qtbot import QtBot

from closer_desktop.app.playback import Playback
from closer_desktop.app.tasks import TaskRunner
from closer_desktop.domain.deck import load_deck
from closer_desktop.domain.practice import Take
from closer_desktop.paths import default_deck_path
from closer_desktop.storage.library import Library
from tests.support.virtual_mic import VirtualMic

DECK = load_deck(default_deck_path())
RATE = 16000
TIMEOUT = 10_000


def takes(data_dir: Path, *seconds: float) -> list[Take]:
    """Takes of the given lengths, saved in a real library."""
    library = Library(data_dir)
    try:
        session = library.start_session(DECK.id)
        made = []
        for length in seconds:
            take = library.begin_take(session, DECK.id, DECK.questions[0], RATE)
            tone = 0.1 * np.sin(np.arange(int(length * RATE)) * 2 * np.pi * 440 / RATE)
            soundfile.write(library.audio_file(take), tone.astype(np.float32), RATE)
            made.append(library.finish_take(take.id, length, RATE))
        return made
    finally:
        library.close()


@pytest.fixture
def playback(tmp_path: Path) -> Iterator[Playback]:
    files = TaskRunner("test-files")
    shown = Playback(files, tmp_path / "data")
    yield shown
    shown.close()
    files.shutdown()


@pytest.mark.real_audio
def test_a_play_asked_for_while_the_audio_is_read_starts_once_it_is_in(
    qtbot: QtBot, virtual_mic: VirtualMic, playback: Playback
) -> None:
    (take,) = takes(playback.data_dir, 0.4)
    playing: list[bool] = []
    playback.changed.connect(playing.append)
    playback.show(take)
    playback.toggle()  # the file is still being read (its result comes on this thread)
    assert not playback.player.is_loaded
    qtbot.waitUntil(lambda: True in playing, timeout=TIMEOUT)
    assert playback.player.duration_s == pytest.approx(0.4)
    qtbot.waitUntil(lambda: playing[-1] is False, timeout=TIMEOUT)  # it played to the end
    assert playback.player.position_s == pytest.approx(0.4, abs=0.01)


@pytest.mark.real_audio
def test_a_second_play_before_the_audio_is_in_cancels_it(
    qtbot: QtBot, virtual_mic: VirtualMic, playback: Playback
) -> None:
    (take,) = takes(playback.data_dir, 0.4)
    playing: list[bool] = []
    playback.changed.connect(playing.append)
    playback.show(take)
    playback.toggle()
    playback.toggle()
    qtbot.waitUntil(lambda: playback.player.is_loaded, timeout=TIMEOUT)
    qtbot.wait(100)
    assert True not in playing and not playback.player.is_playing


def test_audio_read_for_a_take_no_longer_shown_is_dropped(qtbot: QtBot, playback: Playback) -> None:
    first, second = takes(playback.data_dir, 0.4, 0.8)
    playback.show(first)
    playback.show(None)  # before its audio is in: the user moved on
    qtbot.waitUntil(lambda: not playback.files.busy, timeout=TIMEOUT)
    qtbot.wait(50)  # the read's result is delivered on this thread
    assert not playback.player.is_loaded
    playback.show(first)
    playback.show(second)
    qtbot.waitUntil(lambda: playback.player.is_loaded, timeout=TIMEOUT)
    assert playback.player.duration_s == pytest.approx(0.8)
    playback.show(second)  # the same take again: its audio stays
    assert playback.player.is_loaded


def test_a_file_that_cannot_be_read_says_so(qtbot: QtBot, playback: Playback) -> None:
    (take,) = takes(playback.data_dir, 0.4)
    (playback.data_dir / take.audio_path).write_bytes(b"not a wav file")
    messages: list[tuple[str, str]] = []
    playback.message.connect(lambda level, text: messages.append((level, text)))
    playback.show(take)
    playback.toggle()
    qtbot.waitUntil(lambda: bool(messages), timeout=TIMEOUT)
    assert messages[0][0] == "error" and not playback.player.is_loaded


def test_nothing_plays_while_playing_is_held_off_or_without_a_take(
    qtbot: QtBot, playback: Playback
) -> None:
    (take,) = takes(playback.data_dir, 0.4)
    messages: list[tuple[str, str]] = []
    playback.message.connect(lambda level, text: messages.append((level, text)))
    playback.toggle()
    assert messages == [("info", "Record a take first (Space), then play it back with P.")]
    playback.can_play = lambda: False  # recording, or the devices being scanned
    playback.show(take)
    qtbot.waitUntil(lambda: playback.player.is_loaded, timeout=TIMEOUT)
    playback.toggle()
    assert not playback.player.is_playing and len(messages) == 1
